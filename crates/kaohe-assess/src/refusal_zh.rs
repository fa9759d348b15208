//! Each refusal in Chinese words, as the pages show it beside the form it refused, written per
//! variant from the refusal's own typed data. One exhaustive match names every variant, so a
//! refusal cannot be added without its Chinese words, and none falls back to English.

use jiff::civil::Date;
use uuid::Uuid;

use crate::period::{Month, Period, Quarter};
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
    /// The rule that refused, in Chinese: one arm per variant, so a refusal added without its
    /// Chinese words does not compile.
    pub fn in_chinese(&self) -> String {
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
                format!("任职止日 {until} 早于起日 {from}")
            }
            Refusal::PolicyVersion { expected, got } => policy_version(*expected, *got),
            Refusal::PolicyInPast { effective, today } => policy_in_past(*effective, *today),
            Refusal::EntryInFuture { date, today } => entry_in_future(*date, *today),
            Refusal::EntryExists { date } => {
                format!("{date} 已有工作记录；如需修改，请提交更正")
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
                format!("{person} 尚未上交 {period} 旬的记录表")
            }
            Refusal::NotSupervisor {
                leader,
                cadre,
                date,
            } => not_supervisor(leader, cadre, *date),
            Refusal::NotYourArea {
                chief,
                cadre,
                month,
            } => not_your_area(chief, cadre, *month),
            Refusal::MonthNotOver { month, last_day } => {
                format!("{month} 月到 {last_day} 才结束")
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
            Refusal::QuarterNotOver { quarter, last_day } => quarter_not_over(*quarter, *last_day),
            Refusal::DecisionInForce(quarter) => format!("{quarter} 季度的评定已生效"),
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
                format!("{person} 不能在同一季度既评为最好又评为最差")
            }
            Refusal::NotLatestProposal(_) => "只能会签本季度最新提出的评定方案".into(),
            Refusal::NotTheOtherSigner {
                person,
                proposer,
                proposer_role,
            } => not_the_other_signer(person, proposer, *proposer_role),
            Refusal::NoDecision(quarter) => format!("{quarter} 季度尚无生效的评定"),
            Refusal::AlreadyPublished(quarter) => format!("{quarter} 季度的评定已经公示"),
            Refusal::NotPublished(quarter) => format!("{quarter} 季度的评定尚未公示"),
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
                format!("{person} 在 {quarter} 季度的评定已申请过复评")
            }
            Refusal::UnknownAppeal(_) => "没有这项复评申请".into(),
            Refusal::OwnAppeal { person, .. } => own_appeal(person),
            Refusal::AlreadyAnswered(_) => "这项复评申请已经答复".into(),
            Refusal::NoScoring(month) => format!("{month} 月适用的考核办法没有量化评分"),
            Refusal::ScoreOutOfScale { score, max } => score_out_of_scale(*score, *max),
            Refusal::AlreadyScored { cadre, month } => format!("{cadre} 的 {month} 月评分已录入"),
            Refusal::OverrideNeedsReason {
                kind,
                expected,
                named,
            } => override_needs_reason(*kind, expected, named),
            Refusal::AlreadyDisplayed { person, period } => {
                format!("{person} 的 {period} 旬记录表已抽选展示")
            }
            Refusal::BadTime(time) => format!("“{time}”不是有效的时间"),
            Refusal::NoPolicy(day) => format!("{day} 没有生效的考核办法"),
            Refusal::TextMissing(what) => format!("{}不能为空", what.name_zh()),
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
            Refusal::TokenExists(_) => "这个令牌编号已经使用".into(),
            Refusal::UnknownToken(_) => "没有这个令牌".into(),
            Refusal::TokenRevoked(_) => "这个令牌已经吊销".into(),
            Refusal::DayOutOfRange {
                day,
                earliest,
                latest,
            } => day_out_of_range(*day, *earliest, *latest),
            Refusal::Units(refusal) => refusal.in_chinese(),
        }
    }
}

// The words of the longer refusals, kept out of `in_chinese` so that its one match, which the
// compiler checks covers every refusal, reads on one screen; by the part of the scheme they
// belong to, each from the refusal's typed data.

// The roster.

fn not_in_role(person: &str, roles: &[Role], date: Date) -> String {
    format!("{person} 在 {date} 不是{}，无权办理此事项", roles_zh(roles))
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
    format!("考核办法不能追溯生效：生效日 {effective} 早于今天 {today}")
}

// 一记: entries and sheets.

fn period_not_over(period: Period, last_day: Date, today: Date) -> String {
    format!("{period} 旬到 {last_day} 才结束，今天（{today}）还不能上交")
}

fn not_supervisor(leader: &str, cadre: &str, date: Date) -> String {
    format!("{date} 时 {cadre} 不由 {leader} 分管")
}

fn entry_in_future(date: Date, today: Date) -> String {
    format!("不能预先填写 {date} 的记录（今天是 {today}）")
}

fn entry_too_long(chars: usize, max: u32) -> String {
    format!("记录共 {chars} 字，超过考核办法规定的 {max} 字")
}

fn sheet_already_submitted(period: Period) -> String {
    format!("{period} 旬的记录表已上交，表内记录只能更正，不能新增")
}

// 一评: opinions, scores and nominations.

fn not_your_area(chief: &str, cadre: &str, month: Month) -> String {
    format!("{month} 月 {cadre} 不在片长 {chief} 的片区")
}

fn not_your_supervisee(leader: &str, cadre: &str, month: Month) -> String {
    format!("{month} 月 {cadre} 不是 {leader} 分管的人员")
}

fn quota_reached(leader: &str, kind: Kind, month: Month, count: u32) -> String {
    format!(
        "{leader} 已提出 {month} 月{}人选 {count} 名，已达考核办法规定的名额",
        kind.name_zh()
    )
}

fn both_best_and_worst(leader: &str, cadre: &str, other: Kind, month: Month) -> String {
    format!(
        "{cadre} 已被 {leader} 评为 {month} 月{}，同一人不能既评最好又评最差",
        other.name_zh()
    )
}

fn bad_citation(cited: Uuid, cadre: &str, month: Month) -> String {
    format!("所引用的 {cited} 不是 {cadre} {month} 月的记录、记录表或片长意见")
}

/// Scores are kept in tenths of a point and shown in points.
fn score_out_of_scale(score: u32, max: u32) -> String {
    format!(
        "评分 {} 超出满分 {}",
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
    format!("{month} 月的最好、最差人选应于 {due} 前提出，已过期限")
}

// 二评: the quarterly decision.

fn not_in_pool(person: &str, kind: Kind, quarter: Quarter) -> String {
    format!(
        "{person} 不在 {quarter} 季度{}人选的提名范围内",
        kind.name_zh()
    )
}

fn wrong_count(kind: Kind, expected: usize, got: usize) -> String {
    format!(
        "应评出{}工作人员 {expected} 名，而不是 {got} 名",
        kind.name_zh()
    )
}

fn not_the_other_signer(person: &str, proposer: &str, proposer_role: Role) -> String {
    format!(
        "{person} 不能会签：方案由{} {proposer} 提出，须由书记、镇长中的另一人会签",
        proposer_role.name_zh()
    )
}

fn quarter_not_over(quarter: Quarter, last_day: Date) -> String {
    format!("{quarter} 季度到 {last_day} 才结束，结束后方可评定")
}

// 复评: appeals.

fn filing_window_closed(quarter: Quarter, ended: Date) -> String {
    format!("对 {quarter} 季度评定的复评申请应于 {ended} 前提出，已过期限")
}

fn no_standing(person: &str, rated: &str) -> String {
    format!("按考核办法，只有被评定人本人可以申请复评；{person} 不能替 {rated} 申请")
}

fn own_appeal(person: &str) -> String {
    format!("{person} 不能答复涉及本人或由本人提出的复评申请，应当回避")
}

fn not_designated(person: &str, kind: Kind, quarter: Quarter) -> String {
    format!("{person} 在 {quarter} 季度没有被评为{}", kind.name_zh())
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
    format!("日期 {day} 应在 {earliest} 至 {latest} 之间")
}
