//! What a judgment rested on: from one event, everything it names as its causes, and theirs
//! in turn, and the policy version each judgment was made under, in the order they happened.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use kaohe_ledger::event::ParsedEvent;
use uuid::Uuid;

use crate::summary::describe;

/// The most events one explanation lists.
pub const EXPLANATION_STEPS_MAX: usize = 10_000;

/// Why an event is part of the explanation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Relation {
    /// The judgment explained.
    Judgment,
    /// Something it rests on, directly or through another step.
    RestedOn,
    /// The policy version a step was made under.
    PolicyInForce,
}

impl Relation {
    /// The word printed for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Judgment => "judgment",
            Relation::RestedOn => "rested on",
            Relation::PolicyInForce => "policy in force",
        }
    }
}

/// One step of an explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The event's position.
    pub position: u64,
    /// Its id.
    pub id: Uuid,
    /// Its type.
    pub event_type: String,
    /// When it happened.
    pub business_time: String,
    /// Who acted, and as what.
    pub actor: String,
    /// One line in Chinese.
    pub summary: String,
    /// Why it is here.
    pub relation: Relation,
}

/// Why there is no explanation.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExplainError {
    /// No event has that id.
    #[error("no event {0} in the ledger")]
    UnknownEvent(Uuid),
    /// The causes reach more events than an explanation lists.
    #[error("the explanation would list more than {EXPLANATION_STEPS_MAX} events")]
    TooLarge,
}

/// Explain the event `target` from the ledger's events (in position order).
pub fn explain(events: &[ParsedEvent], target: Uuid) -> Result<Vec<Step>, ExplainError> {
    let by_id: HashMap<Uuid, usize> = events
        .iter()
        .enumerate()
        .map(|(index, event)| (event.id, index))
        .collect();
    // The event that put each policy version in force.
    let mut policy_events: BTreeMap<u64, usize> = BTreeMap::new();
    for (index, event) in events.iter().enumerate() {
        let version = match event.event_type.as_str() {
            "ledger_created" | "policy_adopted" => {
                event.value["payload"]["policy"]["version"].as_u64()
            }
            _ => None,
        };
        if let Some(version) = version {
            policy_events.insert(version, index);
        }
    }
    let start = *by_id
        .get(&target)
        .ok_or(ExplainError::UnknownEvent(target))?;
    let mut relation: BTreeMap<usize, Relation> = BTreeMap::from([(start, Relation::Judgment)]);
    let mut queue = vec![start];
    let mut seen = BTreeSet::from([start]);
    while let Some(index) = queue.pop() {
        let event = &events[index];
        let mut next: Vec<(usize, Relation)> = event
            .caused_by
            .iter()
            .filter_map(|cause| by_id.get(cause).map(|cause| (*cause, Relation::RestedOn)))
            .collect();
        if let Some(version) = event.value["payload"]["policy_version"].as_u64()
            && let Some(policy) = policy_events.get(&version)
        {
            next.push((*policy, Relation::PolicyInForce));
        }
        for (cause, why) in next {
            if seen.insert(cause) {
                relation.insert(cause, why);
                queue.push(cause);
                if seen.len() > EXPLANATION_STEPS_MAX {
                    return Err(ExplainError::TooLarge);
                }
            }
        }
    }
    Ok(relation
        .into_iter()
        .map(|(index, relation)| {
            let event = &events[index];
            Step {
                position: event.position,
                id: event.id,
                event_type: event.event_type.clone(),
                business_time: event.value["business_time"]
                    .as_str()
                    .unwrap_or_default()
                    .into(),
                actor: format!(
                    "{} ({})",
                    event.value["actor"]["person_id"]
                        .as_str()
                        .unwrap_or_default(),
                    event.value["actor"]["role"].as_str().unwrap_or_default()
                ),
                summary: describe(&event.value),
                relation,
            }
        })
        .collect())
}
