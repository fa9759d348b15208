//! What a judgment rested on and what followed from it: from one event, everything it names
//! as its causes, and theirs in turn, with the policy version each judgment was made under;
//! then the appeals against the decisions it rests on and the consequences that followed, in
//! the order they happened.
//!
//! An explanation is about one person, the subject: the cadre a nomination, sanction, appeal
//! or answer is about, or the person named when a quarterly decision is explained. Steps about
//! other people (the other nominations a decision rests on, the sanctions of others) are left
//! out; steps about no one in particular (a decision, its publication, a policy) stay.

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
    /// An appeal, answer, sanction, revocation or follow-up that came after.
    Consequence,
}

impl Relation {
    /// The word printed for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Judgment => "judgment",
            Relation::RestedOn => "rested on",
            Relation::PolicyInForce => "policy in force",
            Relation::Consequence => "consequence",
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

/// An explanation: its subject and its steps in ledger order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// The person it is about, if the judgment is about one.
    pub subject: Option<String>,
    /// The steps, in ledger order.
    pub steps: Vec<Step>,
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

/// The event types through which the appeals against a decision are reached from it.
const APPEAL_PATH: &[&str] = &[
    "decision_published",
    "appeal_filed",
    "appeal_answered",
    "sanction_revoked",
];

/// The ledger's events indexed for explanation.
struct Index {
    by_id: HashMap<Uuid, usize>,
    /// For each event, the events that name it as a cause.
    effects: HashMap<usize, Vec<usize>>,
    /// For each event, the person it is about, if any.
    person: Vec<Option<String>>,
    /// The event that put each policy version in force.
    policy_events: BTreeMap<u64, usize>,
}

impl Index {
    fn new(events: &[ParsedEvent]) -> Index {
        let by_id: HashMap<Uuid, usize> = events
            .iter()
            .enumerate()
            .map(|(index, event)| (event.id, index))
            .collect();
        let mut effects: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut person: Vec<Option<String>> = Vec::with_capacity(events.len());
        let mut policy_events = BTreeMap::new();
        for (index, event) in events.iter().enumerate() {
            for cause in &event.caused_by {
                if let Some(cause) = by_id.get(cause) {
                    effects.entry(*cause).or_default().push(index);
                }
            }
            let payload = &event.value["payload"];
            let named = payload["person_id"]
                .as_str()
                .or_else(|| payload["cadre_id"].as_str())
                .map(str::to_owned);
            // Answers, revocations and amendments name their person through what they refer to,
            // which always stands earlier in the ledger.
            let referred = ["appeal_id", "sanction_id", "entry_id"]
                .iter()
                .find_map(|field| payload[*field].as_str())
                .and_then(|id| Uuid::parse_str(id).ok())
                .and_then(|id| by_id.get(&id))
                .and_then(|earlier| person.get(*earlier).cloned().flatten());
            person.push(named.or(referred));
            if matches!(
                event.event_type.as_str(),
                "ledger_created" | "policy_adopted"
            ) && let Some(version) = payload["policy"]["version"].as_u64()
            {
                policy_events.insert(version, index);
            }
        }
        Index {
            by_id,
            effects,
            person,
            policy_events,
        }
    }

    /// Whether the event at `index` belongs in an explanation about `subject`.
    fn concerns(&self, index: usize, subject: Option<&str>) -> bool {
        match (subject, &self.person[index]) {
            (Some(subject), Some(person)) => person == subject,
            _ => true,
        }
    }
}

/// Explain the event `target` from the ledger's events (in position order), about `subject`,
/// or, if none is given, about the person the judgment names.
pub fn explain(
    events: &[ParsedEvent],
    target: Uuid,
    subject: Option<&str>,
) -> Result<Explanation, ExplainError> {
    let index = Index::new(events);
    let start = *index
        .by_id
        .get(&target)
        .ok_or(ExplainError::UnknownEvent(target))?;
    let subject = subject
        .map(str::to_owned)
        .or_else(|| index.person[start].clone());
    let subject = subject.as_deref();
    let mut relation: BTreeMap<usize, Relation> = BTreeMap::from([(start, Relation::Judgment)]);
    let mut seen = BTreeSet::from([start]);
    let mut add = |seen: &mut BTreeSet<usize>, at: usize, why| -> Result<bool, ExplainError> {
        if !seen.insert(at) {
            return Ok(false);
        }
        if seen.len() > EXPLANATION_STEPS_MAX {
            return Err(ExplainError::TooLarge);
        }
        relation.insert(at, why);
        Ok(true)
    };

    // Backwards: the causes, theirs in turn, and the policy of each.
    let mut queue = vec![start];
    while let Some(at) = queue.pop() {
        let event = &events[at];
        let mut next: Vec<(usize, Relation)> = event
            .caused_by
            .iter()
            .filter_map(|cause| index.by_id.get(cause))
            .filter(|cause| index.concerns(**cause, subject))
            .map(|cause| (*cause, Relation::RestedOn))
            .collect();
        if let Some(version) = event.value["payload"]["policy_version"].as_u64()
            && let Some(policy) = index.policy_events.get(&version)
        {
            next.push((*policy, Relation::PolicyInForce));
        }
        for (cause, why) in next {
            if add(&mut seen, cause, why)? {
                queue.push(cause);
            }
        }
    }

    // Forwards: everything that followed from the judgment, and the appeals against the
    // decisions it rests on, with what they brought.
    let mut queue: Vec<(usize, bool)> = vec![(start, true)];
    queue.extend(
        seen.iter()
            .filter(|at| **at != start && events[**at].event_type == "decision_cosigned")
            .map(|at| (*at, false)),
    );
    while let Some((at, everything)) = queue.pop() {
        for effect in index.effects.get(&at).into_iter().flatten() {
            let effect = *effect;
            let kept = everything || APPEAL_PATH.contains(&events[effect].event_type.as_str());
            if kept
                && index.concerns(effect, subject)
                && add(&mut seen, effect, Relation::Consequence)?
            {
                queue.push((effect, everything));
            }
        }
    }

    let steps = relation
        .into_iter()
        .map(|(at, relation)| {
            let event = &events[at];
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
        .collect();
    Ok(Explanation {
        subject: subject.map(str::to_owned),
        steps,
    })
}
