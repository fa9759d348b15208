//! The assessment policy: every parameter DOMAIN.md leaves to policy, versioned, each version
//! in force from its effective date.

use serde::{Deserialize, Serialize};

use crate::words::{DayKind, Standing, TieBreak};

/// Numeric scoring on five dimensions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// The highest score on a dimension, in tenths of a point.
    pub score_max_tenths: u32,
    /// The weights in basis points.
    pub weights_bp: Weights,
    /// How equal totals are ordered.
    pub tie_break: TieBreak,
}

impl Scoring {
    /// The weighted total of five scores: the sum of each score (tenths of a point) times its
    /// weight (basis points). Divide by 100,000 for points.
    pub fn weighted_total(&self, scores: &crate::payload::Scores) -> u64 {
        let weights = &self.weights_bp;
        u64::from(scores.ideology) * u64::from(weights.ideology)
            + u64::from(scores.ability) * u64::from(weights.ability)
            + u64::from(scores.discipline) * u64::from(weights.discipline)
            + u64::from(scores.liaison) * u64::from(weights.liaison)
            + u64::from(scores.line_work) * u64::from(weights.line_work)
    }
}

/// The weight of each dimension, in basis points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// 思想品德.
    pub ideology: u32,
    /// 工作能力.
    pub ability: u32,
    /// 纪律考勤.
    pub discipline: u32,
    /// 联片驻村.
    pub liaison: u32,
    /// 线上工作.
    pub line_work: u32,
}

/// One policy version (`schemas/policy.schema.json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The version, one more at each change.
    pub version: u32,
    /// The first day it applies to.
    pub effective_date: jiff::civil::Date,
    /// The most characters in one day's entry (both lines together).
    pub entry_chars_max: u32,
    /// Days after a period ends by which its sheet is due.
    pub sheet_due_days: u32,
    /// Best named by each leader a month.
    pub leader_best_count: u32,
    /// Worst named by each leader a month.
    pub leader_worst_count: u32,
    /// Days after month end by which nominations are due.
    pub nomination_due_days: u32,
    /// Best workers selected a quarter.
    pub quarter_best_count: u32,
    /// Worst workers selected a quarter.
    pub quarter_worst_count: u32,
    /// Days after publication within which an appeal may be filed.
    pub appeal_filing_days: u32,
    /// Days within which an appeal must be answered.
    pub appeal_answer_days: u32,
    /// Calendar or working days.
    pub appeal_day_kind: DayKind,
    /// Who may appeal: the person rated, or any staff.
    pub appeal_standing: Standing,
    /// Extra quarterly bonus for a best worker, basis points.
    pub best_quarterly_bonus_bp: u32,
    /// Extra year-end bonus for a best worker, basis points.
    pub best_year_end_bonus_bp: u32,
    /// Consecutive worst designations that withhold the year's bonuses.
    pub consecutive_worst_count: u32,
    /// Days from the co-signature of a decision to a worst worker's rectification deadline.
    pub rectification_days: u32,
    /// Numeric scoring, or none while leaders judge freely.
    pub scoring: Option<Scoring>,
    /// The units' rules (indicators, village criteria, last places, the three lists), absent in
    /// the versions before they existed, so those keep their bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<crate::units::policy::UnitsPolicy>,
}

/// Every adopted version, to find the one in force on a date.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyBook {
    versions: Vec<Policy>,
}

impl PolicyBook {
    /// Add the next version (versions arrive in order).
    pub fn adopt(&mut self, policy: Policy) {
        debug_assert_eq!(policy.version as usize, self.versions.len() + 1);
        self.versions.push(policy);
    }

    /// The latest version.
    pub fn latest(&self) -> Option<&Policy> {
        self.versions.last()
    }

    /// The version in force on `date`: the highest version whose effective date is not later.
    pub fn in_force(&self, date: jiff::civil::Date) -> Option<&Policy> {
        self.versions
            .iter()
            .filter(|policy| policy.effective_date <= date)
            .max_by_key(|policy| policy.version)
    }
}
