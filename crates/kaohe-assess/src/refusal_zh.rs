//! Each refusal in Chinese words, as the pages show it beside the form it refused, written per
//! variant from the refusal's own typed data.

use crate::refusal::Refusal;
use crate::words::Role;

/// Roles in Chinese: one, or “党委书记或镇长”.
fn roles_zh(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|role| role.name_zh())
        .collect::<Vec<_>>()
        .join("或")
}

impl Refusal {
    /// The rule that refused, in Chinese.
    pub fn in_chinese(&self) -> String {
        match self {
            Refusal::UnknownPerson(person) => format!("人员名册中没有 {person}"),
            Refusal::NotInRole {
                person,
                roles,
                date,
            } => format!("{person} 在 {date} 不是{}，无权办理此事项", roles_zh(roles)),
            Refusal::AlreadyRegistered(person) => format!("{person} 已在人员名册中"),
            Refusal::UnknownRole(text) => {
                let name: &str = match text.parse::<Role>() {
                    Ok(role) => role.name_zh(),
                    Err(_) => text,
                };
                format!("“{name}”不是可以授予的职责")
            }
            Refusal::BadSpan { from, until } => {
                format!("任职止日 {until} 早于起日 {from}")
            }
            Refusal::PolicyVersion { expected, got } => {
                format!("考核办法的下一个版本应为第 {expected} 版，不是第 {got} 版")
            }
            Refusal::PolicyInPast { effective, today } => {
                format!("考核办法不能追溯生效：生效日 {effective} 早于今天 {today}")
            }
            Refusal::EntryInFuture { date, today } => {
                format!("不能预先填写 {date} 的记录（今天是 {today}）")
            }
            Refusal::EntryExists { date } => {
                format!("{date} 已有工作记录；如需修改，请提交更正")
            }
            Refusal::EntryTooLong { chars, max } => {
                format!("记录共 {chars} 字，超过考核办法规定的 {max} 字")
            }
            Refusal::EntryEmpty => "第一行（做了什么）不能为空".into(),
            Refusal::SheetAlreadySubmitted { period } => {
                format!("{period} 旬的记录表已上交，表内记录只能更正，不能新增")
            }
            Refusal::PeriodNotOver {
                period,
                last_day,
                today,
            } => format!("{period} 旬到 {last_day} 才结束，今天（{today}）还不能上交"),
            Refusal::NotYourEntry(_) => "这条记录不是您本人的，不能更正".into(),
            Refusal::ReasonMissing => "更正记录须说明理由".into(),
            Refusal::SheetNotSubmitted { person, period } => {
                format!("{person} 尚未上交 {period} 旬的记录表")
            }
            Refusal::NotSupervisor {
                leader,
                cadre,
                date,
            } => format!("{date} 时 {cadre} 不由 {leader} 分管"),
            Refusal::NotYourArea {
                chief,
                cadre,
                month,
            } => format!("{month} 月 {cadre} 不在片长 {chief} 的片区"),
            Refusal::MonthNotOver { month, last_day } => {
                format!("{month} 月到 {last_day} 才结束")
            }
            Refusal::NominationLate { month, due } => {
                format!("{month} 月的最好、最差人选应于 {due} 前提出，已过期限")
            }
            Refusal::NotYourSupervisee {
                leader,
                cadre,
                month,
            } => format!("{month} 月 {cadre} 不是 {leader} 分管的人员"),
            Refusal::QuotaReached {
                leader,
                kind,
                month,
                count,
            } => format!(
                "{leader} 已提出 {month} 月{}人选 {count} 名，已达考核办法规定的名额",
                kind.name_zh()
            ),
            Refusal::BothBestAndWorst {
                leader,
                cadre,
                other,
                month,
            } => format!(
                "{cadre} 已被 {leader} 评为 {month} 月{}，同一人不能既评最好又评最差",
                other.name_zh()
            ),
            Refusal::CitationMissing => "提名须引用其依据的工作记录、记录表或片长意见".into(),
            Refusal::BadCitation {
                cited,
                cadre,
                month,
            } => format!("所引用的 {cited} 不是 {cadre} {month} 月的记录、记录表或片长意见"),
            Refusal::NominationReasonMissing => "提名须写明理由".into(),
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
            | Refusal::AlreadyAnswered(..)
            | Refusal::NoScoring(..)
            | Refusal::ScoreOutOfScale { .. }
            | Refusal::AlreadyScored { .. }
            | Refusal::OverrideNeedsReason { .. }
            | Refusal::AlreadyDisplayed { .. }
            | Refusal::BadTime(..)
            | Refusal::NoPolicy(..)
            | Refusal::TextMissing(..)
            | Refusal::UnknownSanction(..)
            | Refusal::WrongSanction { .. }
            | Refusal::SanctionRevoked(..)
            | Refusal::FollowUpRecorded { .. }
            | Refusal::NotYourSanction { .. }
            | Refusal::NoPlan(..)
            | Refusal::TokenExists(..)
            | Refusal::UnknownToken(..)
            | Refusal::TokenRevoked(..)
            | Refusal::DayOutOfRange { .. } => self.decision_in_chinese(),
        }
    }

    /// The refusals of the quarterly decision and what follows it, in Chinese.
    fn decision_in_chinese(&self) -> String {
        match self {
            Refusal::QuarterNotOver { quarter, last_day } => {
                format!("{quarter} 季度到 {last_day} 才结束，结束后方可评定")
            }
            Refusal::DecisionInForce(quarter) => format!("{quarter} 季度的评定已生效"),
            Refusal::NotInPool {
                person,
                kind,
                quarter,
            } => format!(
                "{person} 不在 {quarter} 季度{}人选的提名范围内",
                kind.name_zh()
            ),
            Refusal::WrongCount {
                kind,
                expected,
                got,
            } => format!(
                "应评出{}工作人员 {expected} 名，而不是 {got} 名",
                kind.name_zh()
            ),
            Refusal::SelectedTwice(person) => {
                format!("{person} 不能在同一季度既评为最好又评为最差")
            }
            Refusal::NotLatestProposal(_) => "只能会签本季度最新提出的评定方案".into(),
            Refusal::NotTheOtherSigner {
                person,
                proposer,
                proposer_role,
            } => format!(
                "{person} 不能会签：方案由{} {proposer} 提出，须由书记、镇长中的另一人会签",
                proposer_role.name_zh()
            ),
            Refusal::NoDecision(quarter) => format!("{quarter} 季度尚无生效的评定"),
            Refusal::AlreadyPublished(quarter) => format!("{quarter} 季度的评定已经公示"),
            Refusal::NotPublished(quarter) => format!("{quarter} 季度的评定尚未公示"),
            Refusal::FilingWindowClosed { quarter, ended } => {
                format!("对 {quarter} 季度评定的复评申请应于 {ended} 前提出，已过期限")
            }
            Refusal::NoStanding { person, rated } => {
                format!("按考核办法，只有被评定人本人可以申请复评；{person} 不能替 {rated} 申请")
            }
            Refusal::NotDesignated {
                person,
                kind,
                quarter,
            } => format!("{person} 在 {quarter} 季度没有被评为{}", kind.name_zh()),
            Refusal::AlreadyAppealed { person, quarter } => {
                format!("{person} 在 {quarter} 季度的评定已申请过复评")
            }
            Refusal::UnknownAppeal(_) => "没有这项复评申请".into(),
            Refusal::OwnAppeal { person, .. } => {
                format!("{person} 不能答复涉及本人或由本人提出的复评申请，应当回避")
            }
            Refusal::AlreadyAnswered(_) => "这项复评申请已经答复".into(),
            Refusal::NoScoring(month) => format!("{month} 月适用的考核办法没有量化评分"),
            Refusal::ScoreOutOfScale { score, max } => format!(
                "评分 {} 超出满分 {}",
                f64::from(*score) / 10.0,
                f64::from(*max) / 10.0
            ),
            Refusal::AlreadyScored { cadre, month } => format!("{cadre} 的 {month} 月评分已录入"),
            Refusal::OverrideNeedsReason {
                kind,
                expected,
                named,
            } => format!(
                "按评分，{}应为 {expected}；改评 {named} 须说明理由",
                kind.name_zh()
            ),
            Refusal::AlreadyDisplayed { person, period } => {
                format!("{person} 的 {period} 旬记录表已抽选展示")
            }
            Refusal::BadTime(time) => format!("“{time}”不是有效的时间"),
            Refusal::NoPolicy(day) => format!("{day} 没有生效的考核办法"),
            Refusal::TextMissing(what) => format!("{}不能为空", what.name_zh()),
            Refusal::UnknownSanction(_) => "没有这项奖惩".into(),
            Refusal::WrongSanction {
                sanction, needed, ..
            } => format!(
                "这项奖惩是“{}”，不是“{}”",
                sanction.name_zh(),
                needed.name_zh()
            ),
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
            } => format!("日期 {day} 应在 {earliest} 至 {latest} 之间"),
            // `in_chinese` sends only the variants above here.
            other => other.to_string(),
        }
    }
}
