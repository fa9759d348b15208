//! 复评: appeals against a published designation, within the filing window, and the party
//! committee's answers; an overturning answer revokes the sanctions the designation brought.

use kaohe_ledger::event::EventDraft;
use uuid::Uuid;

use super::{Context, need_text};
use crate::commands::{AnswerAppeal, FileAppeal};
use crate::payload;
use crate::refusal::Refusal;
use crate::state::{Appeal, Fact, State};
use crate::words::{EventType, Outcome, Role, SanctionKind, Standing, TextField};

/// Someone with standing appeals a final designation of a published quarter, once, within
/// the filing window, with grounds.
pub(crate) fn file_appeal(
    cx: &Context<'_>,
    command: &FileAppeal,
) -> Result<Vec<EventDraft>, Refusal> {
    let (actor, quarter) = (cx.actor(), command.quarter);
    cx.need_person(actor)?;
    let publication = cx
        .state
        .publications
        .get(&quarter)
        .ok_or(Refusal::NotPublished(quarter))?;
    let published_on = publication.published_on;
    let policy = cx
        .state
        .policy_on(published_on)
        .ok_or(Refusal::NoPolicy(published_on))?;
    let window_ends = cx
        .state
        .appeal_window_ends(quarter)
        .ok_or(Refusal::NoPolicy(published_on))?;
    if cx.today > window_ends {
        return Err(Refusal::FilingWindowClosed {
            quarter,
            ended: window_ends,
        });
    }
    if policy.appeal_standing == Standing::RatedPerson && actor != command.person_id {
        return Err(Refusal::NoStanding {
            person: actor.into(),
            rated: command.person_id.clone(),
        });
    }
    if !cx
        .state
        .finally_designated(quarter, command.kind, &command.person_id)
    {
        return Err(Refusal::NotDesignated {
            person: command.person_id.clone(),
            kind: command.kind,
            quarter,
        });
    }
    if cx.state.appeals.values().any(|appeal| {
        appeal.quarter == quarter
            && appeal.person_id == command.person_id
            && appeal.kind == command.kind
    }) {
        return Err(Refusal::AlreadyAppealed {
            person: command.person_id.clone(),
            quarter,
        });
    }
    need_text(&command.grounds, TextField::AppealGrounds)?;
    // A cadre appeals as a cadre; anyone else with standing, on the office's record.
    let role = if cx.state.holds(actor, Role::Cadre, cx.today) {
        Role::Cadre
    } else {
        Role::Office
    };
    let filed = payload::AppealFiled {
        quarter,
        person_id: command.person_id.clone(),
        kind: command.kind,
        grounds: command.grounds.clone(),
    };
    Ok(vec![cx.draft(
        role,
        EventType::AppealFiled,
        &filed,
        vec![publication.id],
    )])
}

/// A member of the party committee answers an appeal not about or by themselves, once, with
/// reasons; overturned, the sanctions the designation no longer calls for are revoked.
pub(crate) fn answer_appeal(
    cx: &Context<'_>,
    command: &AnswerAppeal,
) -> Result<Vec<EventDraft>, Refusal> {
    let (actor, appeal_id) = (cx.actor(), command.appeal_id);
    cx.need_role(actor, Role::PartyCommittee, cx.today)?;
    let appeal = cx
        .state
        .appeals
        .get(&appeal_id)
        .ok_or(Refusal::UnknownAppeal(appeal_id))?;
    if appeal.answer.is_some() {
        return Err(Refusal::AlreadyAnswered(appeal_id));
    }
    if appeal.person_id == actor || appeal.appellant_id == actor {
        return Err(Refusal::OwnAppeal {
            person: actor.into(),
            appeal: appeal_id,
        });
    }
    need_text(&command.reasons, TextField::AnswerReasons)?;
    let policy = cx
        .state
        .policy_on(cx.today)
        .ok_or(Refusal::NoPolicy(cx.today))?;
    let answered = payload::AppealAnswered {
        appeal_id,
        outcome: command.outcome,
        reasons: command.reasons.clone(),
        policy_version: policy.version,
    };
    let answer = cx.draft(
        Role::PartyCommittee,
        EventType::AppealAnswered,
        &answered,
        vec![appeal_id],
    );
    let mut events = vec![answer];
    if command.outcome == Outcome::Overturned {
        let mut after = cx.state.clone();
        after
            .apply(&Fact::from(&events[0]))
            .expect("a decided event applies");
        for sanction_id in revoked_by_answer(cx.state, &after, appeal) {
            let revoked = payload::SanctionRevoked {
                sanction_id,
                appeal_answer_id: cx.id,
            };
            let index = events.len();
            events.push(cx.derived(
                index,
                EventType::SanctionRevoked,
                &revoked,
                vec![cx.id, sanction_id],
            ));
        }
    }
    Ok(events)
}

/// The sanctions in force on the appealed person, from the appealed quarter on, that the
/// rules no longer derive once the answer is folded in (`after`): the ones its overturning
/// removes the cause of.
fn revoked_by_answer(before: &State, after: &State, appeal: &Appeal) -> Vec<Uuid> {
    let still: Vec<(String, SanctionKind, Vec<Uuid>)> = after
        .decisions
        .keys()
        .filter(|quarter| **quarter >= appeal.quarter)
        .flat_map(|quarter| crate::sanctions::derive(after, *quarter))
        .map(|expected| (expected.person_id, expected.sanction, expected.causes))
        .collect();
    before
        .sanctions
        .iter()
        .filter(|(_, sanction)| {
            let derived = still.iter().any(|(person, kind, causes)| {
                *person == sanction.person_id
                    && *kind == sanction.sanction
                    && *causes == sanction.caused_by
            });
            sanction.revoked_by.is_none()
                && sanction.person_id == appeal.person_id
                && sanction.quarter >= appeal.quarter
                && !derived
        })
        .map(|(id, _)| *id)
        .collect()
}
