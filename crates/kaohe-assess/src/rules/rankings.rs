//! Rankings of units: the city's quarterly scores of the township on each indicator, with what a
//! last place calls for (000: 由镇长视情况作出决定，副职领导上台作表态发言，连续两次倒数第一上台
//! 作检查), recorded at once with its cause; the fulfilment of each; the departments' scores of
//! the villages by written rules (003: 有据可循); the village ranking published town-wide
//! (公示) with its pay effects; and the village leaders' reports (述职).

use std::collections::BTreeSet;

use kaohe_ledger::event::EventDraft;
use uuid::Uuid;

use super::Context;
use super::units::need;
use crate::commands::{
    FulfilConsequence, PublishVillageRanking, RecordCityScores, ReportVillageWork, ScoreVillages,
};
use crate::refusal::Refusal;
use crate::state::Fact;
use crate::units::derive::{last_place, units_policy, village_pay, village_ranking};
use crate::units::payload;
use crate::units::refusal::{UnitsRefusal, UnitsText};
use crate::units::words::{ConsequenceKind, ItemSource, UnitKind};
use crate::words::{EventType, Role};

/// The most scoring sheets a publication names as its causes (the envelope's limit).
const PUBLICATION_CAUSES_MAX: usize = 64;

/// The office records the city's scores of one indicator for a quarter that is over, from the
/// city's notice. Where no other township scored lower, the township is last, and the
/// consequences the policy calls for are recorded in the same act, each naming the scores (and,
/// for a self-criticism, the earlier last places) as its causes, with the item on the three
/// lists.
pub(crate) fn record_city_scores(
    cx: &Context<'_>,
    command: &RecordCityScores,
) -> Result<Vec<EventDraft>, Refusal> {
    cx.need_role(cx.actor(), Role::Office, cx.today)?;
    let quarter = command.quarter;
    let last_day = quarter.last_day();
    if cx.today <= last_day {
        return Err(Refusal::QuarterNotOver { quarter, last_day });
    }
    let policy = units_policy(cx.state, last_day)?;
    let indicator = &command.indicator_id;
    if policy.indicator(indicator).is_none() {
        return Err(UnitsRefusal::UnknownIndicator(indicator.clone()).into());
    }
    need_unit(cx, &command.unit_id, UnitKind::Township)?;
    if cx
        .state
        .units
        .city_scores
        .contains_key(&(quarter, indicator.clone()))
    {
        return Err(UnitsRefusal::ScoresRecorded {
            quarter,
            indicator: indicator.clone(),
        }
        .into());
    }
    need_peers(&command.peers)?;
    need_document(cx, &command.document)?;
    let recorded = payload::CityScoresRecorded {
        quarter,
        indicator_id: indicator.clone(),
        unit_id: command.unit_id.clone(),
        score_tenths: command.score_tenths,
        peers: command.peers.clone(),
        document: command.document.clone(),
        policy_version: cx
            .state
            .policy_on(last_day)
            .map_or(0, |policy| policy.version),
    };
    let event = cx.draft(
        Role::Office,
        EventType::CityScoresRecorded,
        &recorded,
        Vec::new(),
    );
    let mut after = cx.state.clone();
    after
        .apply(&Fact::from(&event))
        .expect("a decided event applies");
    // Every indicator answers to someone, last or not: the responsibility is checked for each.
    if after.units.responsible_on(indicator, last_day).is_none() {
        return Err(UnitsRefusal::NobodyResponsible {
            indicator: indicator.clone(),
            date: last_day,
        }
        .into());
    }
    let mut events = vec![event];
    if let Some(last) = last_place(&after, quarter, indicator)? {
        for expected in last.consequences {
            let due = payload::LastPlaceConsequenceDue {
                quarter,
                indicator_id: indicator.clone(),
                consequence: expected.consequence,
                person_ids: expected.person_ids,
                due_on: expected.due_on,
                policy_version: expected.policy_version,
            };
            let index = events.len();
            events.push(cx.derived(
                index,
                EventType::LastPlaceConsequenceDue,
                &due,
                expected.causes,
            ));
        }
        let item = payload::ListItemOpened {
            problem: last.item.problem,
            cause: String::new(),
            measure: String::new(),
            person_id: last.item.person_id,
            source: ItemSource::LastPlace,
            document: None,
            due_on: last.item.due_on,
            policy_version: last.item.policy_version,
        };
        let index = events.len();
        events.push(cx.derived(index, EventType::ListItemOpened, &item, last.item.causes));
    }
    Ok(events)
}

/// The unit `id` is registered and of `kind`.
pub(crate) fn need_unit(cx: &Context<'_>, id: &str, kind: UnitKind) -> Result<(), Refusal> {
    let unit = cx
        .state
        .units
        .units
        .get(id)
        .ok_or_else(|| UnitsRefusal::UnknownUnit(id.to_owned()))?;
    if unit.kind != kind {
        return Err(UnitsRefusal::WrongUnitKind {
            unit: id.to_owned(),
            kind: unit.kind,
            needed: kind,
        }
        .into());
    }
    Ok(())
}

fn need_peers(peers: &[payload::PeerScore]) -> Result<(), Refusal> {
    if peers.is_empty() {
        return Err(UnitsRefusal::NoPeers.into());
    }
    let mut names = BTreeSet::new();
    for peer in peers {
        need(&peer.name, UnitsText::Name)?;
        if !names.insert(peer.name.as_str()) {
            return Err(UnitsRefusal::PeerTwice(peer.name.clone()).into());
        }
    }
    Ok(())
}

/// A document has a title and was issued by today.
pub(crate) fn need_document(cx: &Context<'_>, document: &payload::Document) -> Result<(), Refusal> {
    need(&document.title, UnitsText::DocumentTitle)?;
    if document.issued_on > cx.today {
        return Err(UnitsRefusal::DayAfterToday {
            day: document.issued_on,
            today: cx.today,
        }
        .into());
    }
    Ok(())
}

/// The mayor records the decision a last place calls for; the office records a statement or a
/// self-criticism made at a meeting. Once each, held between the day it fell due and today.
pub(crate) fn fulfil_consequence(
    cx: &Context<'_>,
    command: &FulfilConsequence,
) -> Result<Vec<EventDraft>, Refusal> {
    let id = command.consequence_id;
    let consequence = cx
        .state
        .units
        .consequences
        .get(&id)
        .ok_or(UnitsRefusal::UnknownConsequence(id))?;
    let role = match consequence.consequence {
        ConsequenceKind::MayorDecision => Role::Mayor,
        ConsequenceKind::Statement | ConsequenceKind::SelfCriticism => Role::Office,
    };
    cx.need_role(cx.actor(), role, cx.today)?;
    if consequence.fulfilled.is_some() {
        return Err(UnitsRefusal::ConsequenceFulfilled(id).into());
    }
    if command.held_on < consequence.imposed_on || command.held_on > cx.today {
        return Err(Refusal::DayOutOfRange {
            day: command.held_on,
            earliest: consequence.imposed_on,
            latest: cx.today,
        });
    }
    need(&command.summary, UnitsText::Summary)?;
    let fulfilled = payload::LastPlaceConsequenceFulfilled {
        consequence_id: id,
        held_on: command.held_on,
        summary: command.summary.clone(),
    };
    Ok(vec![cx.draft(
        role,
        EventType::LastPlaceConsequenceFulfilled,
        &fulfilled,
        vec![id],
    )])
}

/// The head of a department scores every registered village once on one of the department's
/// criteria of the policy in force on the quarter's last day, from that day on, each score
/// within the criterion's highest and resting on a stated basis, until the ranking is published.
pub(crate) fn score_villages(
    cx: &Context<'_>,
    command: &ScoreVillages,
) -> Result<Vec<EventDraft>, Refusal> {
    let quarter = command.quarter;
    let last_day = quarter.last_day();
    let policy = units_policy(cx.state, last_day)?;
    let criterion = policy
        .criterion(&command.criterion_id)
        .ok_or_else(|| UnitsRefusal::UnknownCriterion(command.criterion_id.clone()))?;
    let units = &cx.state.units;
    if !units.leads(cx.actor(), &criterion.department_id, cx.today) {
        cx.need_person(cx.actor())?;
        return Err(UnitsRefusal::NotUnitLeader {
            person: cx.actor().into(),
            unit: criterion.department_id.clone(),
            date: cx.today,
        }
        .into());
    }
    if cx.today < last_day {
        return Err(Refusal::QuarterNotOver { quarter, last_day });
    }
    if units.rankings.contains_key(&quarter) {
        return Err(UnitsRefusal::RankingPublished(quarter).into());
    }
    if units
        .village_scores
        .contains_key(&(quarter, criterion.id.clone()))
    {
        return Err(UnitsRefusal::VillagesScored {
            quarter,
            criterion: criterion.id.clone(),
        }
        .into());
    }
    let mut scored = BTreeSet::new();
    for score in &command.scores {
        need_unit(cx, &score.village_id, UnitKind::Village)?;
        if !scored.insert(score.village_id.as_str()) {
            return Err(UnitsRefusal::VillageTwice(score.village_id.clone()).into());
        }
        if score.score_tenths > criterion.score_max_tenths {
            return Err(UnitsRefusal::ScoreAboveMax {
                village: score.village_id.clone(),
                score: score.score_tenths,
                max: criterion.score_max_tenths,
            }
            .into());
        }
        need(&score.basis, UnitsText::Basis)?;
    }
    if let Some((village, _)) = units
        .of_kind(UnitKind::Village)
        .find(|(village, _)| !scored.contains(village.as_str()))
    {
        return Err(UnitsRefusal::VillageLeftOut(village.clone()).into());
    }
    need_document(cx, &command.document)?;
    let given = payload::VillageScoresGiven {
        quarter,
        criterion_id: criterion.id.clone(),
        department_id: criterion.department_id.clone(),
        scores: command.scores.clone(),
        document: command.document.clone(),
        policy_version: cx
            .state
            .policy_on(last_day)
            .map_or(0, |policy| policy.version),
    };
    Ok(vec![cx.draft(
        Role::UnitLeader,
        EventType::VillageScoresGiven,
        &given,
        Vec::new(),
    )])
}

/// The office publishes the village ranking of a quarter once every criterion of the policy in
/// force on its last day is scored: the ranking the rules derive from the scores, the notice,
/// and the ledger's size and root it was published against. The pay effects the policy ties to
/// the ranking are recorded in the same act, each naming the publication.
pub(crate) fn publish_village_ranking(
    cx: &Context<'_>,
    command: &PublishVillageRanking,
) -> Result<Vec<EventDraft>, Refusal> {
    cx.need_role(cx.actor(), Role::Office, cx.today)?;
    let quarter = command.quarter;
    let last_day = quarter.last_day();
    let policy = units_policy(cx.state, last_day)?;
    let units = &cx.state.units;
    if units.rankings.contains_key(&quarter) {
        return Err(UnitsRefusal::RankingPublished(quarter).into());
    }
    if policy.village_criteria.is_empty() {
        return Err(UnitsRefusal::NoVillageCriteria(last_day).into());
    }
    let mut sheets: Vec<Uuid> = Vec::new();
    for criterion in &policy.village_criteria {
        let sheet = units
            .village_scores
            .get(&(quarter, criterion.id.clone()))
            .ok_or_else(|| UnitsRefusal::CriterionUnscored {
                quarter,
                criterion: criterion.id.clone(),
            })?;
        sheets.push(sheet.id);
    }
    need(&command.notice, UnitsText::Notice)?;
    if command.ledger_size != cx.state.events {
        return Err(UnitsRefusal::LedgerMoved {
            named: command.ledger_size,
            held: cx.state.events,
        }
        .into());
    }
    let version = cx
        .state
        .policy_on(last_day)
        .map_or(0, |policy| policy.version);
    let ranking = village_ranking(cx.state, quarter);
    let pay = village_pay(policy, &ranking);
    let published = payload::VillageRankingPublished {
        quarter,
        ranking,
        notice: command.notice.clone(),
        ledger_size: command.ledger_size,
        ledger_root: command.ledger_root.clone(),
        policy_version: version,
    };
    sheets.truncate(PUBLICATION_CAUSES_MAX);
    let event = cx.draft(
        Role::Office,
        EventType::VillageRankingPublished,
        &published,
        sheets,
    );
    let publication = event.id;
    let mut events = vec![event];
    for effect in pay {
        let adjusted = payload::VillagePayAdjusted {
            quarter,
            village_id: effect.village_id,
            rank: effect.rank,
            adjustment_bp: effect.adjustment_bp,
            policy_version: version,
        };
        let index = events.len();
        events.push(cx.derived(
            index,
            EventType::VillagePayAdjusted,
            &adjusted,
            vec![publication],
        ));
    }
    Ok(events)
}

/// A village's leader reports on the quarter's work (述职), once, from the quarter's first day.
pub(crate) fn report_village_work(
    cx: &Context<'_>,
    command: &ReportVillageWork,
) -> Result<Vec<EventDraft>, Refusal> {
    let quarter = command.quarter;
    cx.need_person(cx.actor())?;
    need_unit(cx, &command.village_id, UnitKind::Village)?;
    if !cx
        .state
        .units
        .leads(cx.actor(), &command.village_id, cx.today)
    {
        return Err(UnitsRefusal::NotUnitLeader {
            person: cx.actor().into(),
            unit: command.village_id.clone(),
            date: cx.today,
        }
        .into());
    }
    if cx.today < quarter.first_day() {
        return Err(Refusal::DayOutOfRange {
            day: cx.today,
            earliest: quarter.first_day(),
            latest: cx.today,
        });
    }
    if cx
        .state
        .units
        .reports
        .contains_key(&(quarter, command.village_id.clone()))
    {
        return Err(UnitsRefusal::ReportGiven {
            quarter,
            village: command.village_id.clone(),
        }
        .into());
    }
    need(&command.summary, UnitsText::Summary)?;
    let given = payload::VillageReportGiven {
        quarter,
        village_id: command.village_id.clone(),
        form: command.form,
        summary: command.summary.clone(),
    };
    Ok(vec![cx.draft(
        Role::UnitLeader,
        EventType::VillageReportGiven,
        &given,
        Vec::new(),
    )])
}
