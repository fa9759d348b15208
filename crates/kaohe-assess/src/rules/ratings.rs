//! 一评: the area chiefs' opinions, the leaders' scores under numeric scoring, and each
//! leader's best and worst of the month, citing the records they rest on.

use kaohe_ledger::event::EventDraft;
use uuid::Uuid;

use super::{Context, need_text};
use crate::commands::{GiveOpinion, GiveScores, Nominate};
use crate::payload;
use crate::period::Month;
use crate::policy::Policy;
use crate::refusal::Refusal;
use crate::state::State;
use crate::words::{EventType, Kind, Role, TextField};

/// An area chief gives an opinion on a cadre of their area that month, once the month began.
pub(crate) fn give_opinion(
    cx: &Context<'_>,
    command: &GiveOpinion,
) -> Result<Vec<EventDraft>, Refusal> {
    let (actor, month) = (cx.actor(), command.month);
    cx.need_role(actor, Role::AreaChief, month.last_day())?;
    if cx.state.chief_on(&command.cadre_id, month.last_day()) != Some(actor) {
        return Err(Refusal::NotYourArea {
            chief: actor.into(),
            cadre: command.cadre_id.clone(),
            month,
        });
    }
    if cx.today < month.first_day() {
        return Err(Refusal::MonthNotOver {
            month,
            last_day: month.last_day(),
        });
    }
    need_text(&command.opinion, TextField::Opinion)?;
    let given = payload::OpinionGiven {
        cadre_id: command.cadre_id.clone(),
        month,
        opinion: command.opinion.clone(),
    };
    Ok(vec![cx.draft(
        Role::AreaChief,
        EventType::OpinionGiven,
        &given,
        Vec::new(),
    )])
}

/// A leader scores a supervisee of a month that is over, once, within the policy's scale.
pub(crate) fn give_scores(
    cx: &Context<'_>,
    command: &GiveScores,
) -> Result<Vec<EventDraft>, Refusal> {
    let (actor, month) = (cx.actor(), command.month);
    let policy = rating_policy(cx, month)?;
    let scoring = policy.scoring.as_ref().ok_or(Refusal::NoScoring(month))?;
    need_supervisee(cx.state, actor, &command.cadre_id, month)?;
    let key = (actor.to_owned(), month, command.cadre_id.clone());
    if cx.state.scores.contains_key(&key) {
        return Err(Refusal::AlreadyScored {
            cadre: command.cadre_id.clone(),
            month,
        });
    }
    let scores = &command.scores;
    let five = [
        scores.ideology,
        scores.ability,
        scores.discipline,
        scores.liaison,
        scores.line_work,
    ];
    if let Some(score) = five
        .into_iter()
        .find(|score| *score > scoring.score_max_tenths)
    {
        return Err(Refusal::ScoreOutOfScale {
            score,
            max: scoring.score_max_tenths,
        });
    }
    let given = payload::ScoresGiven {
        month,
        cadre_id: command.cadre_id.clone(),
        scores: *scores,
        policy_version: policy.version,
    };
    Ok(vec![cx.draft(
        Role::SupervisingLeader,
        EventType::ScoresGiven,
        &given,
        Vec::new(),
    )])
}

/// A leader names a supervisee of the month best or worst, by the deadline, within the
/// policy's quota, never both, with a reason and citations of the cadre's records of that
/// month; under numeric scoring, naming someone other than the scores give needs a reason.
pub(crate) fn nominate(cx: &Context<'_>, command: &Nominate) -> Result<Vec<EventDraft>, Refusal> {
    let (actor, month, kind) = (cx.actor(), command.month, command.kind);
    let policy = rating_policy(cx, month)?;
    if let Some(due) = cx.state.nomination_due(month)
        && cx.today > due
    {
        return Err(Refusal::NominationLate { month, due });
    }
    need_supervisee(cx.state, actor, &command.cadre_id, month)?;
    need_room(cx.state, policy, actor, command)?;
    if command.reason.trim().is_empty() {
        return Err(Refusal::NominationReasonMissing);
    }
    if command.cited_ids.is_empty() {
        return Err(Refusal::CitationMissing);
    }
    if let Some(cited) = command
        .cited_ids
        .iter()
        .find(|cited| !cites_cadre_in_month(cx.state, cited, &command.cadre_id, month))
    {
        return Err(Refusal::BadCitation {
            cited: *cited,
            cadre: command.cadre_id.clone(),
            month,
        });
    }
    let override_reason = match cx.state.scored_choice(actor, month, kind) {
        Some(expected) if expected != command.cadre_id => match &command.override_reason {
            Some(text) if !text.trim().is_empty() => Some(text.clone()),
            _ => {
                return Err(Refusal::OverrideNeedsReason {
                    kind,
                    expected,
                    named: command.cadre_id.clone(),
                });
            }
        },
        _ => None,
    };
    let made = payload::NominationMade {
        month,
        kind,
        cadre_id: command.cadre_id.clone(),
        reason: command.reason.clone(),
        cited_ids: command.cited_ids.clone(),
        policy_version: policy.version,
        override_reason,
    };
    let causes = command.cited_ids.clone();
    Ok(vec![cx.draft(
        Role::SupervisingLeader,
        EventType::NominationMade,
        &made,
        causes,
    )])
}

/// The leader has not named the cadre already this month (one cannot be both best and
/// worst), and has named fewer of the kind than the policy allows.
fn need_room(
    state: &State,
    policy: &Policy,
    leader: &str,
    command: &Nominate,
) -> Result<(), Refusal> {
    let month = command.month;
    let mine = || {
        state
            .nominations
            .values()
            .filter(|nomination| nomination.leader_id == leader && nomination.month == month)
    };
    if let Some(other) = mine().find(|nomination| nomination.cadre_id == command.cadre_id) {
        return Err(Refusal::BothBestAndWorst {
            leader: leader.into(),
            cadre: command.cadre_id.clone(),
            other: other.kind,
            month,
        });
    }
    let quota = match command.kind {
        Kind::Best => policy.leader_best_count,
        Kind::Worst => policy.leader_worst_count,
    };
    let named = mine()
        .filter(|nomination| nomination.kind == command.kind)
        .count();
    if named >= quota as usize {
        return Err(Refusal::QuotaReached {
            leader: leader.into(),
            kind: command.kind,
            month,
            count: quota,
        });
    }
    Ok(())
}

/// A leader rating `month`: holds the role on its last day, the month is over, and a policy
/// is in force for it, which is returned.
fn rating_policy<'a>(cx: &Context<'a>, month: Month) -> Result<&'a Policy, Refusal> {
    let last_day = month.last_day();
    cx.need_role(cx.actor(), Role::SupervisingLeader, last_day)?;
    if cx.today < last_day {
        return Err(Refusal::MonthNotOver { month, last_day });
    }
    cx.state
        .policy_on(last_day)
        .ok_or(Refusal::NoPolicy(last_day))
}

/// The cadre was the leader's supervisee on some day of the month.
fn need_supervisee(state: &State, leader: &str, cadre: &str, month: Month) -> Result<(), Refusal> {
    if state.supervised(leader, cadre, month) {
        Ok(())
    } else {
        Err(Refusal::NotYourSupervisee {
            leader: leader.into(),
            cadre: cadre.into(),
            month,
        })
    }
}

/// Whether `cited` is an entry of `cadre` in `month`, a sheet of theirs for a period of that
/// month, or an area chief's opinion about them for that month.
fn cites_cadre_in_month(state: &State, cited: &Uuid, cadre: &str, month: Month) -> bool {
    if let Some(entry) = state.entries.get(cited) {
        return entry.person_id == cadre && Month::of(entry.date) == month;
    }
    if let Some(opinion) = state.opinions.get(cited) {
        return opinion.cadre_id == cadre && opinion.month == month;
    }
    state.sheets.iter().any(|((person, period), sheet)| {
        sheet.id == *cited && person == cadre && Month::of(period.last_day()) == month
    })
}
