//! Findings for review: what a replay lists beside its comparison, never a difference. A
//! finding is something an inspector or an appeal reviewer should look at (a leader naming
//! someone against the scores, a deadline passed with nothing recorded, ...), derived from the
//! state alone, so that `kaohe replay` and the service list the same ones. Findings never
//! change a replay's verdict: it matches when the recorded designations and sanctions are
//! exactly what the rules derive.
//!
//! Adding a kind of finding: a variant of `Finding` with its code and its two texts, and a
//! function `fn(&State, Quarter) -> Vec<Finding>` listed in `FINDERS`.

use uuid::Uuid;

use crate::period::Quarter;
use crate::state::State;

/// One finding for review, with the events it rests on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// Under numeric scoring, a leader named someone other than the scores give, saying why.
    ScoreOverride {
        /// The nomination.
        nomination: Uuid,
        /// The leader.
        leader_id: String,
        /// The cadre named.
        cadre_id: String,
        /// The leader's reason.
        reason: String,
    },
}

impl Finding {
    /// A stable machine-readable code: the kind of finding in snake case.
    pub fn code(&self) -> &'static str {
        match self {
            Finding::ScoreOverride { .. } => "score_override",
        }
    }

    /// The person the finding is about, if one.
    pub fn person(&self) -> Option<&str> {
        match self {
            Finding::ScoreOverride { cadre_id, .. } => Some(cadre_id),
        }
    }

    /// The events it rests on, the first the one to look at.
    pub fn events(&self) -> Vec<Uuid> {
        match self {
            Finding::ScoreOverride { nomination, .. } => vec![*nomination],
        }
    }

    /// One sentence in English, for the command line.
    pub fn describe(&self) -> String {
        match self {
            Finding::ScoreOverride {
                nomination,
                leader_id,
                cadre_id,
                reason,
            } => format!(
                "{leader_id} named {cadre_id} against the scores (event {nomination}): {reason}"
            ),
        }
    }

    /// One sentence in Chinese, for the pages, with people named by `name_of`.
    pub fn describe_zh(&self, name_of: &dyn Fn(&str) -> String) -> String {
        match self {
            Finding::ScoreOverride {
                leader_id,
                cadre_id,
                reason,
                ..
            } => format!(
                "{} 提名 {} 与评分结果不一致，理由：{reason}",
                name_of(leader_id),
                name_of(cadre_id)
            ),
        }
    }
}

/// Every finder, in the order their findings are listed.
const FINDERS: &[fn(&State, Quarter) -> Vec<Finding>] = &[score_overrides];

/// Every finding about `quarter`, in the order of `FINDERS`.
pub fn findings(state: &State, quarter: Quarter) -> Vec<Finding> {
    FINDERS
        .iter()
        .flat_map(|finder| finder(state, quarter))
        .collect()
}

/// Nominations of the quarter's months that name someone other than the scores give.
fn score_overrides(state: &State, quarter: Quarter) -> Vec<Finding> {
    state
        .nominations
        .iter()
        .filter(|(_, nomination)| nomination.month.quarter() == quarter)
        .filter_map(|(id, nomination)| {
            let reason = nomination.override_reason.as_ref()?;
            Some(Finding::ScoreOverride {
                nomination: *id,
                leader_id: nomination.leader_id.clone(),
                cadre_id: nomination.cadre_id.clone(),
                reason: reason.clone(),
            })
        })
        .collect()
}
