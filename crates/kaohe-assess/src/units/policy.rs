//! The units' section of the policy (`units` in `schemas/policy.schema.json`): the city's
//! indicators for the township, the departments' written rules for scoring villages (有据可循),
//! what a last place calls for, the deadlines of the three lists and of a spot check's
//! justifications, and how the village ranking is tied to pay. A policy version without the
//! section (every version before it existed) has no units' rules in force: nothing of this part
//! can be recorded under it.

use serde::{Deserialize, Serialize};

use crate::period::Quarter;
use crate::units::words::RankEnd;

/// One of the city's assessment indicators for the township (考核指标).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Its code.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// A department's written rule for scoring the villages each quarter (有据可循).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VillageCriterion {
    /// Its code.
    pub id: String,
    /// The department (a unit) that scores by it.
    pub department_id: String,
    /// Its name.
    pub name: String,
    /// The highest score, in tenths of a point.
    pub score_max_tenths: u32,
    /// The rule as written: what earns and loses points.
    pub basis: String,
}

/// A pay adjustment for the cadres of the villages at one end of the published ranking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PayBand {
    /// The end the places are counted from.
    pub end: RankEnd,
    /// How many places from that end (a village tied into the band is in it).
    pub places: u32,
    /// The adjustment of the village cadres' performance pay, in basis points.
    pub adjustment_bp: i32,
}

/// The units' rules of one policy version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UnitsPolicy {
    /// The city's indicators for the township.
    pub indicators: Vec<Indicator>,
    /// The departments' rules for scoring villages.
    pub village_criteria: Vec<VillageCriterion>,
    /// The quarters (1 to 4) in which no indicator may be last (第三、四季度考核指标不能有一项倒数
    /// 第一): shown as the target, and a last place in them is a finding.
    pub no_last_place_quarters: Vec<u8>,
    /// Last places of one indicator in consecutive quarters that call for a self-criticism
    /// (连续两次倒数第一).
    pub consecutive_last_count: u32,
    /// Days after a last place is recorded by which the mayor decides what follows.
    pub mayor_decision_days: u32,
    /// Days by which the responsible vice-leader's statement is made.
    pub statement_days: u32,
    /// Days by which the self-criticism is made.
    pub self_criticism_days: u32,
    /// Days from opening to the deadline of an item of the three lists.
    pub list_item_days: u32,
    /// Days after an item is closed by which someone other than its owner verifies it.
    pub verification_days: u32,
    /// Days after a spot check by which an absent person justifies the absence.
    pub justification_days: u32,
    /// The on-duty rate below which a spot check is a finding, in basis points.
    pub on_duty_floor_bp: u32,
    /// How the published village ranking changes the village cadres' pay.
    pub village_pay: Vec<PayBand>,
}

impl UnitsPolicy {
    /// The units' rules with `indicators` and `village_criteria`, and for everything else the
    /// source's reading where it has one (000: no indicator last in the third and fourth
    /// quarters; 连续两次倒数第一 calls for a self-criticism) and kaohe's choice where it has none
    /// (the deadlines: 10 days for the mayor's decision, 30 for the statement, the
    /// self-criticism and an item of the three lists, 10 to verify a closed item, 5 to justify
    /// an absence; an on-duty floor of 85%, the rate 002 reports; the village cadres of the
    /// first three villages paid 10% more and of the last three 10% less).
    pub fn with_defaults(
        indicators: Vec<Indicator>,
        village_criteria: Vec<VillageCriterion>,
    ) -> UnitsPolicy {
        UnitsPolicy {
            indicators,
            village_criteria,
            no_last_place_quarters: vec![3, 4],
            consecutive_last_count: 2,
            mayor_decision_days: 10,
            statement_days: 30,
            self_criticism_days: 30,
            list_item_days: 30,
            verification_days: 10,
            justification_days: 5,
            on_duty_floor_bp: 8500,
            village_pay: vec![
                PayBand {
                    end: RankEnd::Top,
                    places: 3,
                    adjustment_bp: 1000,
                },
                PayBand {
                    end: RankEnd::Bottom,
                    places: 3,
                    adjustment_bp: -1000,
                },
            ],
        }
    }

    /// The indicator `id`.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|indicator| indicator.id == id)
    }

    /// The village criterion `id`.
    pub fn criterion(&self, id: &str) -> Option<&VillageCriterion> {
        self.village_criteria
            .iter()
            .find(|criterion| criterion.id == id)
    }

    /// Whether `quarter` is one in which no indicator may be last.
    pub fn is_target_quarter(&self, quarter: Quarter) -> bool {
        self.no_last_place_quarters.contains(&quarter.number())
    }
}
