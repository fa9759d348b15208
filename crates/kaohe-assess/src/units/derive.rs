//! What the rules derive in the units' part, the same code for the act that records it and for
//! the replay that checks it: the consequences of a last place in the city's ranking (the
//! mayor's decision, the vice-leader's statement, the self-criticism after consecutive last
//! places, and the item it puts on the three lists), the village ranking from the departments'
//! scores, and the pay effects of a published ranking.

use std::collections::BTreeMap;

use jiff::civil::Date;
use uuid::Uuid;

use crate::period::Quarter;
use crate::state::State;
use crate::units::payload::VillagePlace;
use crate::units::policy::UnitsPolicy;
use crate::units::refusal::UnitsRefusal;
use crate::units::text::quarter_zh;
use crate::units::words::{ConsequenceKind, RankEnd};
use crate::words::{DayKind, Role};

/// A consequence of a last place the rules derive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectedConsequence {
    /// What is due.
    pub consequence: ConsequenceKind,
    /// Who owes it.
    pub person_ids: Vec<String>,
    /// When.
    pub due_on: Date,
    /// The recordings of the last places it follows from, earliest first.
    pub causes: Vec<Uuid>,
    /// The policy version.
    pub policy_version: u32,
}

/// The item a last place puts on the three lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectedItem {
    /// The problem.
    pub problem: String,
    /// The person responsible: the indicator's vice-leader.
    pub person_id: String,
    /// Its deadline.
    pub due_on: Date,
    /// The recording of the last place.
    pub causes: Vec<Uuid>,
    /// The policy version.
    pub policy_version: u32,
}

/// Everything a last place calls for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastPlace {
    /// The consequences, in the order of `ConsequenceKind`.
    pub consequences: Vec<ExpectedConsequence>,
    /// The item on the three lists.
    pub item: ExpectedItem,
}

/// The units' section of the policy in force on `date`.
pub fn units_policy(state: &State, date: Date) -> Result<&UnitsPolicy, UnitsRefusal> {
    state
        .policy_on(date)
        .and_then(|policy| policy.units.as_ref())
        .ok_or(UnitsRefusal::NoUnitsPolicy(date))
}

/// What the recorded city scores of `indicator` for `quarter` call for: nothing unless the
/// township is last. The policy is the one in force on the quarter's last day, the vice-leader
/// and business cadres those answering for the indicator then, the mayor whoever holds the role
/// on the day the scores were recorded, and the deadlines count from that day.
pub fn last_place(
    state: &State,
    quarter: Quarter,
    indicator: &str,
) -> Result<Option<LastPlace>, UnitsRefusal> {
    let units = &state.units;
    let Some(scores) = units.city_scores.get(&(quarter, indicator.to_owned())) else {
        return Ok(None);
    };
    if !scores.last() {
        return Ok(None);
    }
    let last_day = quarter.last_day();
    let policy = units_policy(state, last_day)?;
    let version = state.policy_on(last_day).map_or(0, |policy| policy.version);
    let named = policy
        .indicator(indicator)
        .ok_or_else(|| UnitsRefusal::UnknownIndicator(indicator.to_owned()))?;
    let responsible = units.responsible_on(indicator, last_day).ok_or_else(|| {
        UnitsRefusal::NobodyResponsible {
            indicator: indicator.to_owned(),
            date: last_day,
        }
    })?;
    let recorded_on = scores.recorded_on;
    let mayor = state
        .people
        .keys()
        .find(|person| state.holds(person, Role::Mayor, recorded_on))
        .ok_or(UnitsRefusal::NoMayor(recorded_on))?;
    let due = |days| state.add_days(recorded_on, days, DayKind::Calendar);
    let consequence = |kind, person_ids, days, causes| ExpectedConsequence {
        consequence: kind,
        person_ids,
        due_on: due(days),
        causes,
        policy_version: version,
    };
    let mut consequences = vec![
        consequence(
            ConsequenceKind::MayorDecision,
            vec![mayor.clone()],
            policy.mayor_decision_days,
            vec![scores.id],
        ),
        consequence(
            ConsequenceKind::Statement,
            vec![responsible.leader_id.clone()],
            policy.statement_days,
            vec![scores.id],
        ),
    ];
    // Consecutive last places: this quarter and the ones just before it, each last.
    let mut causes = vec![scores.id];
    let mut earlier = quarter;
    for _ in 1..policy.consecutive_last_count {
        earlier = earlier.previous();
        match units.city_scores.get(&(earlier, indicator.to_owned())) {
            Some(before) if before.last() => causes.push(before.id),
            _ => break,
        }
    }
    if causes.len() == policy.consecutive_last_count as usize {
        causes.reverse();
        let mut people = vec![responsible.leader_id.clone()];
        people.extend(responsible.cadre_ids.iter().cloned());
        consequences.push(consequence(
            ConsequenceKind::SelfCriticism,
            people,
            policy.self_criticism_days,
            causes,
        ));
    }
    let item = ExpectedItem {
        problem: format!(
            "{}{}全市排名倒数第一（第{}名，共{}个乡镇）",
            named.name,
            quarter_zh(quarter),
            scores.rank(),
            scores.ranked()
        ),
        person_id: responsible.leader_id.clone(),
        due_on: due(policy.list_item_days),
        causes: vec![scores.id],
        policy_version: version,
    };
    Ok(Some(LastPlace { consequences, item }))
}

/// The village ranking of `quarter` from every department's scores of it: each village's total
/// over the criteria scored, ranked by total (one more than the villages with a higher total,
/// so equal totals share a rank), first place first and ties by code.
pub fn village_ranking(state: &State, quarter: Quarter) -> Vec<VillagePlace> {
    let mut totals: BTreeMap<&str, u32> = BTreeMap::new();
    for ((scored, _), sheet) in &state.units.village_scores {
        if *scored != quarter {
            continue;
        }
        for score in &sheet.scores {
            *totals.entry(score.village_id.as_str()).or_default() += score.score_tenths;
        }
    }
    let mut ranking: Vec<VillagePlace> = totals
        .iter()
        .map(|(village, total)| VillagePlace {
            village_id: (*village).to_owned(),
            total_tenths: *total,
            rank: 1 + totals.values().filter(|other| *other > total).count() as u32,
        })
        .collect();
    ranking.sort_by(|a, b| (a.rank, &a.village_id).cmp(&(b.rank, &b.village_id)));
    ranking
}

/// A village's pay effect of a ranking: its code, rank and adjustment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectedPay {
    /// The village.
    pub village_id: String,
    /// Its rank.
    pub rank: u32,
    /// The adjustment, basis points.
    pub adjustment_bp: i32,
}

/// The pay effects of `ranking` under `policy`: each village in a band (the first band that
/// holds it) with a non-zero adjustment. A village's place from the bottom is one more than
/// the villages with a lower total.
pub fn village_pay(policy: &UnitsPolicy, ranking: &[VillagePlace]) -> Vec<ExpectedPay> {
    ranking
        .iter()
        .filter_map(|place| {
            let from_bottom = 1 + ranking
                .iter()
                .filter(|other| other.total_tenths < place.total_tenths)
                .count() as u32;
            let band = policy.village_pay.iter().find(|band| match band.end {
                RankEnd::Top => place.rank <= band.places,
                RankEnd::Bottom => from_bottom <= band.places,
            })?;
            (band.adjustment_bp != 0).then(|| ExpectedPay {
                village_id: place.village_id.clone(),
                rank: place.rank,
                adjustment_bp: band.adjustment_bp,
            })
        })
        .collect()
}
