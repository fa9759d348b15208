//! 二评: the quarterly decision, proposed by one of the two principal leaders from the
//! quarter's pools, put in force by the other's co-signature together with the sanctions it
//! brings, and published by the office.

use std::collections::BTreeSet;

use kaohe_ledger::event::EventDraft;
use uuid::Uuid;

use super::{Context, need_text};
use crate::commands::{CosignDecision, ProposeDecision, PublishDecision};
use crate::payload;
use crate::period::Quarter;
use crate::refusal::Refusal;
use crate::state::{Fact, State};
use crate::words::{EventType, Kind, Role, TextField};

/// The most nominations a decision names as its causes (the envelope's limit).
const DECISION_CAUSES_MAX: usize = 64;

/// The secretary or the mayor proposes a decision for a quarter that is over and has none in
/// force: from each pool, as many distinct people as the policy asks (or the pool holds),
/// nobody both best and worst.
pub(crate) fn propose_decision(
    cx: &Context<'_>,
    command: &ProposeDecision,
) -> Result<Vec<EventDraft>, Refusal> {
    let role = cx.principal_role(cx.actor())?;
    let quarter = command.quarter;
    let last_day = quarter.last_day();
    // The pools are complete only once the quarter's last month is rated, which can be no
    // earlier than its last day.
    if cx.today <= last_day {
        return Err(Refusal::QuarterNotOver { quarter, last_day });
    }
    if cx.state.decisions.contains_key(&quarter) {
        return Err(Refusal::DecisionInForce(quarter));
    }
    let policy = cx
        .state
        .policy_on(last_day)
        .ok_or(Refusal::NoPolicy(last_day))?;
    need_selection(
        cx.state,
        quarter,
        Kind::Best,
        &command.best,
        policy.quarter_best_count,
    )?;
    need_selection(
        cx.state,
        quarter,
        Kind::Worst,
        &command.worst,
        policy.quarter_worst_count,
    )?;
    if let Some(person) = command
        .best
        .iter()
        .find(|person| command.worst.contains(person))
    {
        return Err(Refusal::SelectedTwice(person.clone()));
    }
    let proposed = payload::DecisionProposed {
        quarter,
        best: command.best.clone(),
        worst: command.worst.clone(),
        policy_version: policy.version,
    };
    // The decision rests on the nominations of the people it selects.
    let selected = |cadre: &String| command.best.contains(cadre) || command.worst.contains(cadre);
    let causes: Vec<Uuid> = [Kind::Best, Kind::Worst]
        .into_iter()
        .flat_map(|kind| cx.state.pool(quarter, kind))
        .filter(|(_, nomination)| selected(&nomination.cadre_id))
        .map(|(id, _)| *id)
        .take(DECISION_CAUSES_MAX)
        .collect();
    Ok(vec![cx.draft(
        role,
        EventType::DecisionProposed,
        &proposed,
        causes,
    )])
}

/// Everyone `selected` is in the quarter's pool of `kind`, and there are as many distinct
/// people as the policy wants, or as the pool holds if fewer.
fn need_selection(
    state: &State,
    quarter: Quarter,
    kind: Kind,
    selected: &[String],
    wanted: u32,
) -> Result<(), Refusal> {
    let pool: BTreeSet<&str> = state
        .pool(quarter, kind)
        .iter()
        .map(|(_, nomination)| nomination.cadre_id.as_str())
        .collect();
    if let Some(person) = selected
        .iter()
        .find(|person| !pool.contains(person.as_str()))
    {
        return Err(Refusal::NotInPool {
            person: person.clone(),
            kind,
            quarter,
        });
    }
    let expected = (wanted as usize).min(pool.len());
    let distinct: BTreeSet<&String> = selected.iter().collect();
    if distinct.len() != selected.len() || selected.len() != expected {
        return Err(Refusal::WrongCount {
            kind,
            expected,
            got: distinct.len(),
        });
    }
    Ok(())
}

/// The other of the two principal leaders co-signs the quarter's latest proposal; the
/// sanctions its designations call for are derived at once, each naming its causes.
pub(crate) fn cosign_decision(
    cx: &Context<'_>,
    command: &CosignDecision,
) -> Result<Vec<EventDraft>, Refusal> {
    let (quarter, proposal_id) = (command.quarter, command.proposal_id);
    if cx.state.decisions.contains_key(&quarter) {
        return Err(Refusal::DecisionInForce(quarter));
    }
    if cx.state.latest_proposal.get(&quarter) != Some(&proposal_id) {
        return Err(Refusal::NotLatestProposal(proposal_id));
    }
    let proposal = &cx.state.proposals[&proposal_id];
    let other = proposal.proposer_role.other_principal();
    let signer = other.filter(|other| {
        cx.actor() != proposal.proposer_id && cx.state.holds(cx.actor(), *other, cx.today)
    });
    let Some(role) = signer else {
        return Err(Refusal::NotTheOtherSigner {
            person: cx.actor().into(),
            proposer: proposal.proposer_id.clone(),
            proposer_role: proposal.proposer_role,
        });
    };
    let cosigned = payload::DecisionCosigned {
        quarter,
        proposal_id,
    };
    let event = cx.draft(
        role,
        EventType::DecisionCosigned,
        &cosigned,
        vec![proposal_id],
    );
    let mut after = cx.state.clone();
    after
        .apply(&Fact::from(&event))
        .expect("a decided event applies");
    let mut events = vec![event];
    for expected in crate::sanctions::derive(&after, quarter) {
        let imposed = payload::SanctionImposed {
            person_id: expected.person_id,
            quarter,
            sanction: expected.sanction,
            bonus_bp: expected.bonus_bp,
            rectify_by: expected.rectify_by,
            policy_version: expected.policy_version,
        };
        let index = events.len();
        events.push(cx.derived(index, EventType::SanctionImposed, &imposed, expected.causes));
    }
    Ok(events)
}

/// The office publishes a quarter's decision in force, once, with a notice.
pub(crate) fn publish_decision(
    cx: &Context<'_>,
    command: &PublishDecision,
) -> Result<Vec<EventDraft>, Refusal> {
    cx.need_role(cx.actor(), Role::Office, cx.today)?;
    let quarter = command.quarter;
    let decision = cx
        .state
        .decisions
        .get(&quarter)
        .ok_or(Refusal::NoDecision(quarter))?;
    if cx.state.publications.contains_key(&quarter) {
        return Err(Refusal::AlreadyPublished(quarter));
    }
    need_text(&command.notice, TextField::Notice)?;
    let published = payload::DecisionPublished {
        quarter,
        notice: command.notice.clone(),
    };
    Ok(vec![cx.draft(
        Role::Office,
        EventType::DecisionPublished,
        &published,
        vec![decision.cosign_id],
    )])
}
