//! Each refusal in Chinese words, as the pages show it beside the form it refused, written per
//! variant from the refusal's own typed data. One exhaustive match names every variant, so a
//! refusal cannot be added without its Chinese words, and none falls back to English.

use jiff::civil::Date;
use uuid::Uuid;

use crate::period::{Month, Period, Quarter, date_zh};
use crate::refusal::Refusal;
use crate::words::{Kind, Role, SanctionKind};

/// Roles in Chinese: one, or “党委书记或镇长”.
fn roles_zh(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|role| role.name_zh())
        .collect::<Vec<_>>()
        .join("或")
}

impl Refusal {
    /// The rule that refused, in Chinese. Every variant is named here, in the group of the
    /// scheme it belongs to, so a refusal added without its Chinese words does not compile; each
    /// group's function writes the words of its own variants from their typed data.
    pub fn in_chinese(&self) -> String {
        match self {
            Refusal::UnknownPerson(..)
            | Refusal::NotInRole { .. }
            | Refusal::AlreadyRegistered(..)
            | Refusal::UnknownRole(..)
            | Refusal::BadSpan { .. }
            | Refusal::PolicyVersion { .. }
            | Refusal::PolicyInPast { .. }
            | Refusal::BadTime(..)
            | Refusal::NoPolicy(..)
            | Refusal::TextMissing(..)
            | Refusal::DayOutOfRange { .. }
            | Refusal::TokenExists(..)
            | Refusal::UnknownToken(..)
            | Refusal::TokenRevoked(..)
            | Refusal::CalendarDayOutOfYear { .. }
            | Refusal::BadHolidaySpan { .. }
            | Refusal::WorkingDayInHoliday(..) => self.general_zh(),
            Refusal::EntryInFuture { .. }
            | Refusal::EntryExists { .. }
            | Refusal::EntryTooLong { .. }
            | Refusal::EntryEmpty
            | Refusal::SheetAlreadySubmitted { .. }
            | Refusal::PeriodNotOver { .. }
            | Refusal::NotYourEntry(..)
            | Refusal::ReasonMissing
            | Refusal::SheetNotSubmitted { .. }
            | Refusal::NotSupervisor { .. }
            | Refusal::AlreadyDisplayed { .. } => self.records_zh(),
            Refusal::NotYourArea { .. }
            | Refusal::MonthNotOver { .. }
            | Refusal::NominationLate { .. }
            | Refusal::NotYourSupervisee { .. }
            | Refusal::QuotaReached { .. }
            | Refusal::BothBestAndWorst { .. }
            | Refusal::CitationMissing
            | Refusal::BadCitation { .. }
            | Refusal::NominationReasonMissing
            | Refusal::NoScoring(..)
            | Refusal::ScoreOutOfScale { .. }
            | Refusal::AlreadyScored { .. }
            | Refusal::OverrideNeedsReason { .. } => self.ratings_zh(),
            Refusal::QuarterNotOver { .. }
            | Refusal::DecisionInForce(..)
            | Refusal::NotInPool { .. }
            | Refusal::WrongCount { .. }
            | Refusal::SelectedTwice(..)
            | Refusal::NotLatestProposal(..)
            | Refusal::NotTheOtherSigner { .. }
            | Refusal::NoDecision(..)
            | Refusal::AlreadyPublished(..)
            | Refusal::NotPublished(..)
            | Refusal::FilingWindowClosed { .. }
            | Refusal::NoStanding { .. }
            | Refusal::NotDesignated { .. }
            | Refusal::AlreadyAppealed { .. }
            | Refusal::UnknownAppeal(..)
            | Refusal::OwnAppeal { .. }
            | Refusal::AlreadyAnswered(..) => self.decisions_zh(),
            Refusal::UnknownSanction(..)
            | Refusal::WrongSanction { .. }
            | Refusal::SanctionRevoked(..)
            | Refusal::FollowUpRecorded { .. }
            | Refusal::NotYourSanction { .. }
            | Refusal::NoPlan(..) => self.follow_ups_zh(),
            Refusal::Units(refusal) => refusal.in_chinese(),
        }
    }

    /// The words of the refusals of the roster, the policy, tokens and what every command checks.
    fn general_zh(&self) -> String {
        match self {
            Refusal::UnknownPerson(person) => format!("人员名册中没有 {person}"),
            Refusal::NotInRole {
                person,
                roles,
                date,
            } => not_in_role(person, roles, *date),
            Refusal::AlreadyRegistered(person) => format!("{person} 已在人员名册中"),
            Refusal::UnknownRole(text) => unknown_role(text),
            Refusal::BadSpan { from, until } => {
                format!("任职止日 {} 早于起日 {}", date_zh(*until), date_zh(*from))
            }
            Refusal::PolicyVersion { expected, got } => policy_version(*expected, *got),
            Refusal::PolicyInPast { effective, today } => policy_in_past(*effective, *today),
            Refusal::BadTime(time) => format!("“{time}”不是有效的时间"),
            Refusal::NoPolicy(day) => format!("{}没有生效的考核办法", date_zh(*day)),
            Refusal::TextMissing(what) => format!("{}不能为空", what.name_zh()),
            Refusal::DayOutOfRange {
                day,
                earliest,
                latest,
            } => day_out_of_range(*day, *earliest, *latest),
            Refusal::TokenExists(_) => "这个令牌编号已经使用".into(),
            Refusal::UnknownToken(_) => "没有这个令牌".into(),
            Refusal::TokenRevoked(_) => "这个令牌已经吊销".into(),
            Refusal::CalendarDayOutOfYear { day, year } => {
                format!("{}不在{year}年的节假日安排之内", date_zh(*day))
            }
            Refusal::BadHolidaySpan { name, first, last } => format!(
                "{name}放假止日{}早于起日{}",
                date_zh(*last),
                date_zh(*first)
            ),
            Refusal::WorkingDayInHoliday(day) => {
                format!("{}不能既是放假日又是调休上班日", date_zh(*day))
            }
            _ => unreachable!("in_chinese hands general_zh only its own refusals"),
        }
    }

    /// The words of the refusals of 一记: entries and sheets.
    fn records_zh(&self) -> String {
        match self {
            Refusal::EntryInFuture { date, today } => entry_in_future(*date, *today),
            Refusal::EntryExists { date } => {
                format!("{} 已有工作记录；如需修改，请提交更正", date_zh(*date))
            }
            Refusal::EntryTooLong { chars, max } => entry_too_long(*chars, *max),
            Refusal::EntryEmpty => "第一行（做了什么）不能为空".into(),
            Refusal::SheetAlreadySubmitted { period } => sheet_already_submitted(*period),
            Refusal::PeriodNotOver {
                period,
                last_day,
                today,
            } => period_not_over(*period, *last_day, *today),
            Refusal::NotYourEntry(_) => "这条记录不是您本人的，不能更正".into(),
            Refusal::ReasonMissing => "更正记录须说明理由".into(),
            Refusal::SheetNotSubmitted { person, period } => {
                format!("{person} 尚未上交{}的记录表", period.name_zh())
            }
            Refusal::NotSupervisor {
                leader,
                cadre,
                date,
            } => not_supervisor(leader, cadre, *date),
            Refusal::AlreadyDisplayed { person, period } => {
                format!("{person} {}的记录表已抽选展示", period.name_zh())
            }
            _ => unreachable!("in_chinese hands records_zh only its own refusals"),
        }
    }

    /// The words of the refusals of 一评: opinions, scores and nominations.
    fn ratings_zh(&self) -> String {
        match self {
            Refusal::NotYourArea {
                chief,
                cadre,
                month,
            } => not_your_area(chief, cadre, *month),
            Refusal::MonthNotOver { month, last_day } => {
                format!("{}到{}才结束", month.name_zh(), date_zh(*last_day))
            }
            Refusal::NominationLate { month, due } => nomination_late(*month, *due),
            Refusal::NotYourSupervisee {
                leader,
                cadre,
                month,
            } => not_your_supervisee(leader, cadre, *month),
            Refusal::QuotaReached {
                leader,
                kind,
                month,
                count,
            } => quota_reached(leader, *kind, *month, *count),
            Refusal::BothBestAndWorst {
                leader,
                cadre,
                other,
                month,
            } => both_best_and_worst(leader, cadre, *other, *month),
            Refusal::CitationMissing => "提名须引用其依据的工作记录、记录表或片长意见".into(),
            Refusal::BadCitation {
                cited,
                cadre,
                month,
            } => bad_citation(*cited, cadre, *month),
            Refusal::NominationReasonMissing => "提名须写明理由".into(),
            Refusal::NoScoring(month) => {
                format!("{}适用的考核办法没有量化评分", month.name_zh())
            }
            Refusal::ScoreOutOfScale { score, max } => score_out_of_scale(*score, *max),
            Refusal::AlreadyScored { cadre, month } => {
                format!("{cadre} {}的评分已录入", month.name_zh())
            }
            Refusal::OverrideNeedsReason {
                kind,
                expected,
                named,
            } => override_needs_reason(*kind, expected, named),
            _ => unreachable!("in_chinese hands ratings_zh only its own refusals"),
        }
    }

    /// The words of the refusals of 二评 and 复评: the quarterly decision and appeals.
    fn decisions_zh(&self) -> String {
        match self {
            Refusal::QuarterNotOver { quarter, last_day } => quarter_not_over(*quarter, *last_day),
            Refusal::DecisionInForce(quarter) => format!("{}的评定已生效", quarter.name_zh()),
            Refusal::NotInPool {
                person,
                kind,
                quarter,
            } => not_in_pool(person, *kind, *quarter),
            Refusal::WrongCount {
                kind,
                expected,
                got,
            } => wrong_count(*kind, *expected, *got),
            Refusal::SelectedTwice(person) => {
                format!("{person} 不能在同一季度既评为最佳工作者又评为最差工作者")
            }
            Refusal::NotLatestProposal(_) => "只能会签本季度最新提出的评定方案".into(),
            Refusal::NotTheOtherSigner {
                person,
                proposer,
                proposer_role,
            } => not_the_other_signer(person, proposer, *proposer_role),
            Refusal::NoDecision(quarter) => format!("{}尚无生效的评定", quarter.name_zh()),
            Refusal::AlreadyPublished(quarter) => {
                format!("{}的通报表扬已经发布", quarter.name_zh())
            }
            Refusal::NotPublished(quarter) => format!("{}的评定尚未通报", quarter.name_zh()),
            Refusal::FilingWindowClosed { quarter, ended } => {
                filing_window_closed(*quarter, *ended)
            }
            Refusal::NoStanding { person, rated } => no_standing(person, rated),
            Refusal::NotDesignated {
                person,
                kind,
                quarter,
            } => not_designated(person, *kind, *quarter),
            Refusal::AlreadyAppealed { person, quarter } => {
                format!("{person} 在{}的评定已申请过复评", quarter.name_zh())
            }
            Refusal::UnknownAppeal(_) => "没有这项复评申请".into(),
            Refusal::OwnAppeal { person, .. } => own_appeal(person),
            Refusal::AlreadyAnswered(_) => "这项复评申请已经答复".into(),
            _ => unreachable!("in_chinese hands decisions_zh only its own refusals"),
        }
    }

    /// The words of the refusals of 三奖惩: sanctions and their follow-ups.
    fn follow_ups_zh(&self) -> String {
        match self {
            Refusal::UnknownSanction(_) => "没有这项奖惩".into(),
            Refusal::WrongSanction {
                sanction, needed, ..
            } => wrong_sanction(*sanction, *needed),
            Refusal::SanctionRevoked(_) => "这项奖惩已因复评撤销，无需再办理".into(),
            Refusal::FollowUpRecorded { what, .. } => {
                format!("这项奖惩的{}已经登记", what.name_zh())
            }
            Refusal::NotYourSanction { person, .. } => {
                format!("整改方案只能由被整改人 {person} 本人提交")
            }
            Refusal::NoPlan(_) => "尚未提交整改方案，不能确认整改完成".into(),
            _ => unreachable!("in_chinese hands follow_ups_zh only its own refusals"),
        }
    }
}

// The words of the longer refusals, kept out of `in_chinese` so that its one match, which the
// compiler checks covers every refusal, reads on one screen; by the part of the scheme they
// belong to, each from the refusal's typed data.

// The roster.

fn not_in_role(person: &str, roles: &[Role], date: Date) -> String {
    format!(
        "{person} 在{}不是{}，无权办理此事项",
        date_zh(date),
        roles_zh(roles)
    )
}

/// A role as sent: its Chinese name if it is a role at all (but not one that can be given).
fn unknown_role(text: &str) -> String {
    let name: &str = match text.parse::<Role>() {
        Ok(role) => role.name_zh(),
        Err(_) => text,
    };
    format!("“{name}”不是可以授予的职责")
}

// The policy.

fn policy_version(expected: u32, got: u32) -> String {
    format!("考核办法的下一个版本应为第 {expected} 版，不是第 {got} 版")
}

fn policy_in_past(effective: Date, today: Date) -> String {
    format!(
        "考核办法不能追溯生效：生效日{}早于今天（{}）",
        date_zh(effective),
        date_zh(today)
    )
}

// 一记: entries and sheets.

fn period_not_over(period: Period, last_day: Date, today: Date) -> String {
    format!(
        "{}到{}才结束，今天（{}）还不能上交",
        period.name_zh(),
        date_zh(last_day),
        date_zh(today)
    )
}

fn not_supervisor(leader: &str, cadre: &str, date: Date) -> String {
    format!("{}时 {cadre} 不由 {leader} 分管", date_zh(date))
}

fn entry_in_future(date: Date, today: Date) -> String {
    format!(
        "不能预先填写{}的记录（今天是{}）",
        date_zh(date),
        date_zh(today)
    )
}

fn entry_too_long(chars: usize, max: u32) -> String {
    format!("记录共 {chars} 字，超过考核办法规定的 {max} 字")
}

fn sheet_already_submitted(period: Period) -> String {
    format!(
        "{}的记录表已上交，表内记录只能更正，不能新增",
        period.name_zh()
    )
}

// 一评: opinions, scores and nominations.

fn not_your_area(chief: &str, cadre: &str, month: Month) -> String {
    format!("{} {cadre} 不在片长 {chief} 的片区", month.name_zh())
}

fn not_your_supervisee(leader: &str, cadre: &str, month: Month) -> String {
    format!("{} {cadre} 不是 {leader} 分管的人员", month.name_zh())
}

fn quota_reached(leader: &str, kind: Kind, month: Month, count: u32) -> String {
    format!(
        "{leader} 已提出{}{}人选 {count} 名，已达考核办法规定的名额",
        month.name_zh(),
        kind.name_zh()
    )
}

fn both_best_and_worst(leader: &str, cadre: &str, other: Kind, month: Month) -> String {
    format!(
        "{cadre} 已被 {leader} 评为{}{}，同一人不能既评最佳又评最差",
        month.name_zh(),
        other.name_zh()
    )
}

fn bad_citation(cited: Uuid, cadre: &str, month: Month) -> String {
    format!(
        "所引用的 {cited} 不是 {cadre} {}的记录、记录表或片长意见",
        month.name_zh()
    )
}

/// Scores are kept in tenths of a point and shown in points.
fn score_out_of_scale(score: u32, max: u32) -> String {
    format!(
        "评分 {} 分超出满分 {} 分",
        f64::from(score) / 10.0,
        f64::from(max) / 10.0
    )
}

fn override_needs_reason(kind: Kind, expected: &str, named: &str) -> String {
    format!(
        "按评分，{}应为 {expected}；改评 {named} 须说明理由",
        kind.name_zh()
    )
}

fn nomination_late(month: Month, due: Date) -> String {
    format!(
        "{}的最佳、最差人选应于{}前提出，已过期限",
        month.name_zh(),
        date_zh(due)
    )
}

// 二评: the quarterly decision.

fn not_in_pool(person: &str, kind: Kind, quarter: Quarter) -> String {
    format!(
        "{person} 不在{}{}人选的提名范围内",
        quarter.name_zh(),
        kind.name_zh()
    )
}

fn wrong_count(kind: Kind, expected: usize, got: usize) -> String {
    format!("应评出{} {expected} 名，而不是 {got} 名", kind.worker_zh())
}

fn not_the_other_signer(person: &str, proposer: &str, proposer_role: Role) -> String {
    format!(
        "{person} 不能会签：方案由{} {proposer} 提出，须由书记、镇长中的另一人会签",
        proposer_role.name_zh()
    )
}

fn quarter_not_over(quarter: Quarter, last_day: Date) -> String {
    format!(
        "{}到{}才结束，结束后方可评定",
        quarter.name_zh(),
        date_zh(last_day)
    )
}

// 复评: appeals.

fn filing_window_closed(quarter: Quarter, ended: Date) -> String {
    format!(
        "对{}评定的复评申请应于{}前提出，已过期限",
        quarter.name_zh(),
        date_zh(ended)
    )
}

fn no_standing(person: &str, rated: &str) -> String {
    format!("按考核办法，只有被评定人本人可以申请复评；{person} 不能替 {rated} 申请")
}

fn own_appeal(person: &str) -> String {
    format!("{person} 不能答复涉及本人或由本人提出的复评申请，应当回避")
}

fn not_designated(person: &str, kind: Kind, quarter: Quarter) -> String {
    format!(
        "{person} 在{}没有被评为{}",
        quarter.name_zh(),
        kind.worker_zh()
    )
}

// 三奖惩: the follow-ups of sanctions.

fn wrong_sanction(sanction: SanctionKind, needed: SanctionKind) -> String {
    format!(
        "这项奖惩是“{}”，不是“{}”",
        sanction.name_zh(),
        needed.name_zh()
    )
}

fn day_out_of_range(day: Date, earliest: Date, latest: Date) -> String {
    format!(
        "日期{}应在{}至{}之间",
        date_zh(day),
        date_zh(earliest),
        date_zh(latest)
    )
}
