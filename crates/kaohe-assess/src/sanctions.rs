//! 三奖惩: the sanctions that follow from a quarter's final designations under the policy in
//! force, and the replay that compares them with what the ledger recorded.
//!
//! Best: commendation, quarterly and year-end bonus uplifts. Worst: talk, admonishment,
//! rectification by a deadline. Worst in `consecutive_worst_count` consecutive quarters (final
//! designations, after appeals): public criticism, basic salary only, the year's bonuses
//! withheld.

use std::collections::BTreeMap;

use jiff::civil::Date;
use uuid::Uuid;

use crate::period::Quarter;
use crate::state::{Kind, State};
use crate::words::DayKind;
use crate::words::SanctionKind;

/// A sanction the rules derive.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Expected {
    /// Who.
    pub person_id: String,
    /// Which sanction.
    pub sanction: SanctionKind,
    /// Uplift in basis points.
    pub bonus_bp: Option<u32>,
    /// Rectification deadline.
    pub rectify_by: Option<Date>,
    /// The co-signatures of the decisions it follows from.
    pub causes: Vec<Uuid>,
    /// The policy version.
    pub policy_version: u32,
}

/// The sanctions a quarter's final designations call for.
pub fn derive(state: &State, quarter: Quarter) -> Vec<Expected> {
    let Some(decision) = state.decisions.get(&quarter) else {
        return Vec::new();
    };
    let proposal = &state.proposals[&decision.proposal_id];
    let Some(policy) = state.policies.in_force(quarter.last_day()) else {
        return Vec::new();
    };
    let mut expected = Vec::new();
    let mut add = |person: &str, sanction, bonus_bp, rectify_by, causes: Vec<Uuid>| {
        expected.push(Expected {
            person_id: person.into(),
            sanction,
            bonus_bp,
            rectify_by,
            causes,
            policy_version: policy.version,
        });
    };
    for person in &proposal.best {
        if state.finally_designated(quarter, Kind::Best, person) {
            let cause = vec![decision.cosign_id];
            add(
                person,
                SanctionKind::Commendation,
                None,
                None,
                cause.clone(),
            );
            add(
                person,
                SanctionKind::QuarterlyBonusUplift,
                Some(policy.best_quarterly_bonus_bp),
                None,
                cause.clone(),
            );
            add(
                person,
                SanctionKind::YearEndBonusUplift,
                Some(policy.best_year_end_bonus_bp),
                None,
                cause,
            );
        }
    }
    for person in &proposal.worst {
        if !state.finally_designated(quarter, Kind::Worst, person) {
            continue;
        }
        let cause = vec![decision.cosign_id];
        let deadline = state.add_days(
            decision.cosigned_on,
            policy.rectification_days,
            DayKind::Calendar,
        );
        add(person, SanctionKind::Talk, None, None, cause.clone());
        add(
            person,
            SanctionKind::Admonishment,
            None,
            None,
            cause.clone(),
        );
        add(
            person,
            SanctionKind::Rectification,
            None,
            Some(deadline),
            cause,
        );
        // Consecutive worst: this quarter and the ones before it, all final.
        let mut causes = vec![decision.cosign_id];
        let mut earlier = quarter;
        for _ in 1..policy.consecutive_worst_count {
            earlier = earlier.previous();
            match state.decisions.get(&earlier) {
                Some(before) if state.finally_designated(earlier, Kind::Worst, person) => {
                    causes.push(before.cosign_id);
                }
                _ => break,
            }
        }
        if causes.len() == policy.consecutive_worst_count as usize {
            causes.reverse();
            add(
                person,
                SanctionKind::PublicCriticism,
                None,
                None,
                causes.clone(),
            );
            add(
                person,
                SanctionKind::BasicSalaryOnly,
                None,
                None,
                causes.clone(),
            );
            add(person, SanctionKind::BonusesWithheld, None, None, causes);
        }
    }
    expected
}

/// One difference between what the rules derive and what the ledger holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Difference {
    /// A sanction the rules derive is not recorded (or was revoked).
    Missing(Expected),
    /// A recorded, unrevoked sanction the rules do not derive.
    Unexpected {
        /// The sanction event.
        id: Uuid,
        /// Whose.
        person_id: String,
        /// Which.
        sanction: SanctionKind,
        /// Whether it names no cause at all.
        without_cause: bool,
    },
    /// Recorded with other figures or other causes than derived.
    Mismatch {
        /// The sanction event.
        id: Uuid,
        /// What the rules derive.
        expected: Expected,
    },
    /// A designation outside the quarter's pools, or a decision in force that the rules
    /// would refuse.
    Designation(String),
}

/// What a replay of one quarter found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replay {
    /// The quarter.
    pub quarter: Quarter,
    /// The designations in force: (kind, person, finally designated after appeals).
    pub designations: Vec<(Kind, String, bool)>,
    /// The sanctions derived.
    pub derived: Vec<Expected>,
    /// How many recorded sanctions matched.
    pub matched: usize,
    /// Every difference.
    pub differences: Vec<Difference>,
    /// Findings for review that are not differences (`findings`).
    pub findings: Vec<crate::findings::Finding>,
}

/// Rebuild a quarter's designations and sanctions from the state folded from the events alone,
/// and compare them with the sanctions recorded.
pub fn replay(state: &State, quarter: Quarter) -> Replay {
    let mut differences = Vec::new();
    let mut designations = Vec::new();
    if let Some(decision) = state.decisions.get(&quarter) {
        let proposal = &state.proposals[&decision.proposal_id];
        for (kind, listed) in [(Kind::Best, &proposal.best), (Kind::Worst, &proposal.worst)] {
            let pool: Vec<&str> = state
                .pool(quarter, kind)
                .iter()
                .map(|(_, nomination)| nomination.cadre_id.as_str())
                .collect();
            for person in listed {
                if !pool.contains(&person.as_str()) {
                    differences.push(Difference::Designation(format!(
                        "{person} is designated {} but is not in the {} pool",
                        kind.as_str(),
                        kind.as_str()
                    )));
                }
                designations.push((
                    kind,
                    person.clone(),
                    state.finally_designated(quarter, kind, person),
                ));
            }
        }
    }
    let derived = derive(state, quarter);
    let mut recorded: BTreeMap<(String, SanctionKind), Vec<(Uuid, &crate::state::Sanction)>> =
        BTreeMap::new();
    for (id, sanction) in &state.sanctions {
        if sanction.quarter == quarter && sanction.revoked_by.is_none() {
            recorded
                .entry((sanction.person_id.clone(), sanction.sanction))
                .or_default()
                .push((*id, sanction));
        }
    }
    let mut matched = 0;
    for expected in &derived {
        let key = (expected.person_id.clone(), expected.sanction);
        match recorded.get_mut(&key).and_then(|found| found.pop()) {
            None => differences.push(Difference::Missing(expected.clone())),
            Some((id, sanction)) => {
                if sanction.bonus_bp == expected.bonus_bp
                    && sanction.rectify_by == expected.rectify_by
                    && sanction.caused_by == expected.causes
                {
                    matched += 1;
                } else {
                    differences.push(Difference::Mismatch {
                        id,
                        expected: expected.clone(),
                    });
                }
            }
        }
    }
    for ((person_id, sanction), left) in recorded {
        for (id, recorded) in left {
            differences.push(Difference::Unexpected {
                id,
                person_id: person_id.clone(),
                sanction,
                without_cause: recorded.caused_by.is_empty(),
            });
        }
    }
    Replay {
        quarter,
        designations,
        derived,
        matched,
        differences,
        findings: crate::findings::findings(state, quarter),
    }
}
