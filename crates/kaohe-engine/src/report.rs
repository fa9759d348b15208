//! The reports an appeal reviewer and an inspector read, the same from the command line and
//! from the HTTP service: the replay of a quarter, and the explanation of a judgment with the
//! inclusion proof of every step checked against a signed checkpoint.

use kaohe_assess::State;
use kaohe_assess::explain::{ExplainError, explain};
use kaohe_assess::period::Quarter;
use kaohe_assess::sanctions::{Difference, replay};
use kaohe_assess::state::Kind;
use kaohe_ledger::event::ParsedEvent;
use kaohe_ledger::hash::leaf_hash;
use kaohe_ledger::merkle::verify_inclusion;
use kaohe_ledger::note::{Checkpoint, NoteError, VerifierKey};
use kaohe_store::Snapshot;
use serde::Serialize;
use uuid::Uuid;

/// One designation as the replay finds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplayDesignation {
    /// Best or worst.
    pub kind: Kind,
    /// Who.
    pub person_id: String,
    /// The name.
    pub name: String,
    /// Whether it stands after appeals.
    #[serde(rename = "final")]
    pub stands: bool,
}

/// A finding for review beside the replay's match (`kaohe_assess::findings`): never a
/// difference, never a change of the verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FindingReport {
    /// The kind of finding, stable (e.g. `score_override`).
    pub code: &'static str,
    /// The person it is about, if one.
    pub person_id: Option<String>,
    /// The events it rests on, the first the one to look at.
    pub events: Vec<Uuid>,
    /// One sentence in English.
    pub text: String,
    /// One sentence in Chinese, people by name.
    pub text_zh: String,
}

/// A quarter rebuilt from the events alone and compared with what was recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplayReport {
    /// The quarter.
    pub quarter: String,
    /// How many events were folded.
    pub events: u64,
    /// The designations of the decision in force.
    pub designations: Vec<ReplayDesignation>,
    /// How many sanctions the rules derive.
    pub derived_sanctions: usize,
    /// How many recorded sanctions match them.
    pub matched: usize,
    /// Every difference, one sentence each.
    pub differences: Vec<String>,
    /// Findings for review beside the match.
    pub findings: Vec<FindingReport>,
    /// True only when there is no difference.
    #[serde(rename = "match")]
    pub matches: bool,
}

/// One sentence for a difference between what the rules derive and what the ledger holds.
pub fn describe_difference(difference: &Difference) -> String {
    match difference {
        Difference::Missing(expected) => format!(
            "missing: {} {} (follows from {}) is not recorded",
            expected.person_id,
            expected.sanction,
            expected
                .causes
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Difference::Unexpected {
            id,
            person_id,
            sanction,
            without_cause,
        } => format!(
            "unexpected: {person_id} {sanction} (event {id}) {}",
            if *without_cause {
                "names no cause"
            } else {
                "does not follow from the final designations"
            }
        ),
        Difference::Mismatch { id, expected } => format!(
            "mismatch: event {id} records {} {} with other figures or causes than the rules derive ({:?}, {:?})",
            expected.person_id, expected.sanction, expected.bonus_bp, expected.rectify_by
        ),
        Difference::Designation(text) => format!("designation: {text}"),
    }
}

/// Replay `quarter` on the state folded from `events` events.
pub fn replay_report(state: &State, quarter: Quarter, events: u64) -> ReplayReport {
    let report = replay(state, quarter);
    ReplayReport {
        quarter: quarter.to_string(),
        events,
        designations: report
            .designations
            .iter()
            .map(|(kind, person, stands)| ReplayDesignation {
                kind: *kind,
                person_id: person.clone(),
                name: state
                    .people
                    .get(person)
                    .map(|person| person.name.clone())
                    .unwrap_or_default(),
                stands: *stands,
            })
            .collect(),
        derived_sanctions: report.derived.len(),
        matched: report.matched,
        differences: report.differences.iter().map(describe_difference).collect(),
        findings: report
            .findings
            .iter()
            .map(|finding| FindingReport {
                code: finding.code(),
                person_id: finding.person().map(str::to_owned),
                events: finding.events(),
                text: finding.describe(),
                text_zh: finding.describe_zh(&|person| {
                    state
                        .people
                        .get(person)
                        .map_or_else(|| person.to_owned(), |known| known.name.clone())
                }),
            })
            .collect(),
        matches: report.differences.is_empty(),
    }
}

/// One step of an explanation with its proof.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProvenStep {
    /// The event's position.
    pub position: u64,
    /// Its id.
    pub id: Uuid,
    /// Its type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// When it happened.
    pub business_time: String,
    /// Who acted, and as what.
    pub actor: String,
    /// One line in Chinese.
    pub summary: String,
    /// `judgment`, `rested on`, `policy in force` or `consequence`.
    pub relation: &'static str,
    /// Its leaf hash, when the checkpoint covers it.
    pub leaf_hash: Option<String>,
    /// Its inclusion proof in the checkpoint's tree, checked, when the checkpoint covers it.
    pub inclusion_proof: Option<Vec<String>>,
}

/// A judgment, what it rested on and what followed, each step proven.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExplainReport {
    /// The judgment explained.
    pub event: Uuid,
    /// The person it is about.
    pub subject: Option<String>,
    /// The signed checkpoint every proof was checked against (note text).
    pub checkpoint: String,
    /// Its size.
    pub checkpoint_size: u64,
    /// Its root, hexadecimal.
    pub root: String,
    /// The steps in ledger order.
    pub steps: Vec<ProvenStep>,
    /// How many steps the checkpoint covers, all proven.
    pub proven: usize,
}

/// Why there is no explanation.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// No such event, or too many steps.
    #[error(transparent)]
    Explain(#[from] ExplainError),
    /// The checkpoint does not verify with the ledger's key.
    #[error("the checkpoint does not verify with the ledger's key")]
    Checkpoint(#[source] NoteError),
    /// A proof failed: the ledger does not hold what the checkpoint vouches for.
    #[error("the proof of event {0} fails against the signed checkpoint")]
    ProofFailed(u64),
    /// The ledger could not be read.
    #[error(transparent)]
    Read(#[from] kaohe_store::ReadError),
}

/// Explain `target` about `person` (or the person it names) from the ledger's `events`, and
/// prove every step the signed `checkpoint` covers with an inclusion proof from `snapshot`,
/// checked here before it is reported.
pub fn explain_report(
    snapshot: &Snapshot,
    events: &[ParsedEvent],
    target: Uuid,
    person: Option<&str>,
    checkpoint: &str,
    key: &VerifierKey,
) -> Result<ExplainReport, ReportError> {
    let opened = Checkpoint::open(checkpoint, key).map_err(ReportError::Checkpoint)?;
    let explanation = explain(events, target, person)?;
    let mut steps = Vec::with_capacity(explanation.steps.len());
    let mut proven = 0;
    for step in explanation.steps {
        let (leaf_hash, inclusion_proof) = if step.position < opened.size {
            let leaf = leaf_hash(&snapshot.event(step.position)?);
            let path = snapshot.inclusion_proof(step.position, opened.size)?;
            verify_inclusion(&leaf, step.position, opened.size, &path, &opened.root)
                .map_err(|_| ReportError::ProofFailed(step.position))?;
            proven += 1;
            (
                Some(leaf.to_hex()),
                Some(path.iter().map(|hash| hash.to_hex()).collect()),
            )
        } else {
            (None, None)
        };
        steps.push(ProvenStep {
            position: step.position,
            id: step.id,
            event_type: step.event_type,
            business_time: step.business_time,
            actor: step.actor,
            summary: step.summary,
            relation: step.relation.as_str(),
            leaf_hash,
            inclusion_proof,
        });
    }
    Ok(ExplainReport {
        event: target,
        subject: explanation.subject,
        checkpoint: checkpoint.to_owned(),
        checkpoint_size: opened.size,
        root: opened.root.to_hex(),
        steps,
        proven,
    })
}
