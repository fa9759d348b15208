//! Why a command was refused: the rule that refused it, with what it names, a stable code
//! and kind for callers that answer it, English words (`Display`) and Chinese words
//! (`refusal_zh.rs`).

use jiff::civil::Date;
use uuid::Uuid;

use crate::period::{Month, Period, Quarter};
use crate::words::{FollowUp, Kind, Role, SanctionKind, TextField};

/// Why a command was refused; nothing is appended.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum Refusal {
    /// The acting person is not on the roster.
    #[error("{0} is not on the roster")]
    UnknownPerson(String),
    /// The person does not hold the role the command needs on that day.
    #[error("{person} is not {} on {date}", or_list(.roles))]
    NotInRole {
        /// Who.
        person: String,
        /// The roles any of which would do (the two principal leaders, or one role).
        roles: Vec<Role>,
        /// The day.
        date: Date,
    },
    /// A person id is already taken.
    #[error("{0} is already on the roster")]
    AlreadyRegistered(String),
    /// The role, as sent, is not one that can be given.
    #[error("{0} is not a role that can be given")]
    UnknownRole(String),
    /// A span or assignment with its dates the wrong way round.
    #[error("the role ends on {until}, before it starts on {from}")]
    BadSpan {
        /// First day.
        from: Date,
        /// Last day.
        until: Date,
    },
    /// The policy is not the next version.
    #[error("the next policy version is {expected}, not {got}")]
    PolicyVersion {
        /// The next version.
        expected: u32,
        /// The version given.
        got: u32,
    },
    /// A policy cannot take effect before the day it is adopted.
    #[error("a policy cannot take effect in the past ({effective} is before {today})")]
    PolicyInPast {
        /// Its effective day.
        effective: Date,
        /// The day of the act.
        today: Date,
    },
    /// An entry for a day not yet come.
    #[error("the entry is for {date}, which is after today ({today})")]
    EntryInFuture {
        /// The entry's day.
        date: Date,
        /// The day of the act.
        today: Date,
    },
    /// The day already has an entry; correct it with an amendment instead.
    #[error("{date} already has an entry; amend it instead")]
    EntryExists {
        /// The day.
        date: Date,
    },
    /// The entry is longer than the policy allows.
    #[error("the entry has {chars} characters; the policy allows {max}")]
    EntryTooLong {
        /// Its length.
        chars: usize,
        /// The limit.
        max: u32,
    },
    /// The first line is empty.
    #[error("the first line (what was done) is empty")]
    EntryEmpty,
    /// The period's sheet is already handed in: entries of its days are amended, not written.
    #[error("the sheet of {period} was already submitted; correct its entries by amendment")]
    SheetAlreadySubmitted {
        /// The period.
        period: Period,
    },
    /// A sheet cannot be handed in before the period's last day.
    #[error("the period {period} ends on {last_day}; its sheet cannot be submitted on {today}")]
    PeriodNotOver {
        /// The period.
        period: Period,
        /// Its last day.
        last_day: Date,
        /// The day of the act.
        today: Date,
    },
    /// No such entry, or it is someone else's.
    #[error("entry {0} is not one of yours")]
    NotYourEntry(Uuid),
    /// An amendment needs a reason.
    #[error("an amendment needs a reason")]
    ReasonMissing,
    /// The sheet was not handed in.
    #[error("{person} has not submitted the sheet of {period}")]
    SheetNotSubmitted {
        /// Whose.
        person: String,
        /// The period.
        period: Period,
    },
    /// The leader did not supervise the cadre then.
    #[error("{leader} did not supervise {cadre} on {date}")]
    NotSupervisor {
        /// The leader.
        leader: String,
        /// The cadre.
        cadre: String,
        /// The day.
        date: Date,
    },
    /// The cadre is not in the chief's area that month.
    #[error("{cadre} is not in the area of {chief} in {month}")]
    NotYourArea {
        /// The chief.
        chief: String,
        /// The cadre.
        cadre: String,
        /// The month.
        month: Month,
    },
    /// A rating of a month not yet over.
    #[error("{month} is not over until {last_day}")]
    MonthNotOver {
        /// The month.
        month: Month,
        /// Its last day.
        last_day: Date,
    },
    /// Nominations after the policy's deadline.
    #[error("the nominations of {month} were due by {due}")]
    NominationLate {
        /// The month.
        month: Month,
        /// The deadline.
        due: Date,
    },
    /// The cadre was not the leader's supervisee on any day of the month.
    #[error("{cadre} was not supervised by {leader} in {month}")]
    NotYourSupervisee {
        /// The leader.
        leader: String,
        /// The cadre.
        cadre: String,
        /// The month.
        month: Month,
    },
    /// The leader has already named as many of this kind as the policy allows.
    #[error("{leader} has already named {count} {kind} for {month}, the most the policy allows")]
    QuotaReached {
        /// The leader.
        leader: String,
        /// Best or worst.
        kind: Kind,
        /// The month.
        month: Month,
        /// The quota.
        count: u32,
    },
    /// One person cannot be both best and worst of the same leader and month.
    #[error("{cadre} is already named {other} by {leader} for {month}")]
    BothBestAndWorst {
        /// The leader.
        leader: String,
        /// The cadre.
        cadre: String,
        /// The kind already given.
        other: Kind,
        /// The month.
        month: Month,
    },
    /// A nomination must cite the records it rests on.
    #[error("a nomination must cite the records it rests on")]
    CitationMissing,
    /// A cited event is not a record, sheet or opinion about the cadre that month.
    #[error("{cited} is not a record, sheet or opinion about {cadre} in {month}")]
    BadCitation {
        /// The event cited.
        cited: Uuid,
        /// The cadre named.
        cadre: String,
        /// The month.
        month: Month,
    },
    /// The reason is empty.
    #[error("a nomination needs a reason")]
    NominationReasonMissing,
    /// The quarter is not over.
    #[error("{quarter} ends on {last_day}; its decision comes after")]
    QuarterNotOver {
        /// The quarter.
        quarter: Quarter,
        /// Its last day.
        last_day: Date,
    },
    /// The quarter already has a decision in force.
    #[error("{0} already has a decision in force")]
    DecisionInForce(Quarter),
    /// A selected person is not in the matching pool.
    #[error("{person} is not in the {kind} pool of {quarter}")]
    NotInPool {
        /// The person.
        person: String,
        /// Best or worst.
        kind: Kind,
        /// The quarter.
        quarter: Quarter,
    },
    /// The selection has the wrong number of people.
    #[error("the decision must select {expected} {kind}, not {got}")]
    WrongCount {
        /// Best or worst.
        kind: Kind,
        /// What the policy and the pool give.
        expected: usize,
        /// What was selected.
        got: usize,
    },
    /// A person selected as both best and worst.
    #[error("{0} cannot be both best and worst of the quarter")]
    SelectedTwice(String),
    /// The proposal to co-sign is not the quarter's latest.
    #[error("{0} is not the latest proposal of the quarter")]
    NotLatestProposal(Uuid),
    /// The co-signer must be the other of secretary and mayor.
    #[error(
        "{person} cannot co-sign: the proposal is by {proposer} as {proposer_role}; the co-signature needs the other of party secretary and mayor"
    )]
    NotTheOtherSigner {
        /// Who tried.
        person: String,
        /// The proposer.
        proposer: String,
        /// The proposer's role.
        proposer_role: Role,
    },
    /// The quarter has no decision in force.
    #[error("{0} has no decision in force")]
    NoDecision(Quarter),
    /// The decision is already published.
    #[error("the decision of {0} is already published")]
    AlreadyPublished(Quarter),
    /// Appeals wait for publication.
    #[error("the decision of {0} is not published yet")]
    NotPublished(Quarter),
    /// The filing window is over.
    #[error("appeals against {quarter} could be filed until {ended}")]
    FilingWindowClosed {
        /// The quarter.
        quarter: Quarter,
        /// The last day of the window.
        ended: Date,
    },
    /// Under the policy only the person rated may appeal.
    #[error(
        "{person} cannot appeal the rating of {rated}: the policy gives standing to the person rated"
    )]
    NoStanding {
        /// Who tried.
        person: String,
        /// Who was rated.
        rated: String,
    },
    /// The person holds no such designation (or it was already overturned).
    #[error("{person} is not designated {kind} in {quarter}")]
    NotDesignated {
        /// Who.
        person: String,
        /// Best or worst.
        kind: Kind,
        /// The quarter.
        quarter: Quarter,
    },
    /// The designation was already appealed.
    #[error("the designation of {person} in {quarter} was already appealed")]
    AlreadyAppealed {
        /// Who.
        person: String,
        /// The quarter.
        quarter: Quarter,
    },
    /// No such appeal.
    #[error("no appeal {0}")]
    UnknownAppeal(Uuid),
    /// No one answers an appeal about themselves or one they filed.
    #[error("{person} cannot answer appeal {appeal}: it is about them or filed by them")]
    OwnAppeal {
        /// Who tried.
        person: String,
        /// The appeal.
        appeal: Uuid,
    },
    /// The appeal was already answered.
    #[error("appeal {0} was already answered")]
    AlreadyAnswered(Uuid),
    /// The policy in force for the month has no numeric scoring.
    #[error("the policy in force for {0} has no numeric scoring")]
    NoScoring(Month),
    /// A score beyond the scale.
    #[error("a score of {score} tenths is beyond the scale of {max}")]
    ScoreOutOfScale {
        /// The score.
        score: u32,
        /// The highest allowed.
        max: u32,
    },
    /// The leader already scored the cadre for the month.
    #[error("{cadre} is already scored for {month}")]
    AlreadyScored {
        /// The cadre.
        cadre: String,
        /// The month.
        month: Month,
    },
    /// Naming someone other than the scores give needs a reason.
    #[error(
        "the scores give {expected} as {kind}; naming {named} instead needs an override reason"
    )]
    OverrideNeedsReason {
        /// Best or worst.
        kind: Kind,
        /// Whom the scores give.
        expected: String,
        /// Whom the leader named.
        named: String,
    },
    /// The sheet is already on display.
    #[error("the sheet of {person} for {period} is already displayed")]
    AlreadyDisplayed {
        /// Whose.
        person: String,
        /// The period.
        period: Period,
    },
    /// The act's time is not an RFC 3339 time with offset.
    #[error("{0} is not an RFC 3339 time with offset")]
    BadTime(String),
    /// The ledger has no policy in force on that day.
    #[error("no policy is in force on {0}")]
    NoPolicy(Date),
    /// A text the act needs is empty.
    #[error("{0} cannot be empty")]
    TextMissing(TextField),
    /// No such sanction.
    #[error("no sanction {0}")]
    UnknownSanction(Uuid),
    /// The sanction is not the kind the follow-up is for.
    #[error("sanction {id} is {sanction}, not {needed}")]
    WrongSanction {
        /// The sanction.
        id: Uuid,
        /// What it is.
        sanction: SanctionKind,
        /// What the follow-up needs.
        needed: SanctionKind,
    },
    /// The sanction was revoked on appeal and needs no follow-up.
    #[error("sanction {0} was revoked on appeal; it needs no follow-up")]
    SanctionRevoked(Uuid),
    /// The follow-up is already recorded.
    #[error("the {what} of sanction {id} is already recorded")]
    FollowUpRecorded {
        /// The sanction.
        id: Uuid,
        /// The talk, the plan or the completion.
        what: FollowUp,
    },
    /// Only the person a rectification names hands in its plan.
    #[error("sanction {id} names {person}; only they hand in its plan")]
    NotYourSanction {
        /// The sanction.
        id: Uuid,
        /// Whom it names.
        person: String,
    },
    /// A rectification is completed only after its plan.
    #[error("the rectification {0} has no plan yet; its completion follows the plan")]
    NoPlan(Uuid),
    /// The token id is already taken.
    #[error("token {0} was already issued")]
    TokenExists(Uuid),
    /// No such token.
    #[error("no token {0}")]
    UnknownToken(Uuid),
    /// The token was already revoked.
    #[error("token {0} was already revoked")]
    TokenRevoked(Uuid),
    /// A day outside the span the act allows.
    #[error("{day} is not between {earliest} and {latest}")]
    DayOutOfRange {
        /// The day given.
        day: Date,
        /// The earliest allowed.
        earliest: Date,
        /// The latest allowed.
        latest: Date,
    },
    /// A rule of the units' part refused (`units::refusal`).
    #[error(transparent)]
    Units(crate::units::UnitsRefusal),
    /// A day of a calendar outside its year.
    #[error("{day} is not in {year}, the calendar's year")]
    CalendarDayOutOfYear {
        /// The day.
        day: Date,
        /// The calendar's year.
        year: i16,
    },
    /// A holiday that ends before it begins.
    #[error("the holiday {name} ends on {last}, before it begins on {first}")]
    BadHolidaySpan {
        /// The holiday's name.
        name: String,
        /// Its first day.
        first: Date,
        /// Its last day.
        last: Date,
    },
    /// A make-up working day inside a holiday of the same calendar.
    #[error("{0} is both a holiday and a working day")]
    WorkingDayInHoliday(Date),
}

/// What kind of rule a refusal is, for callers that answer it (an HTTP status, say).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefusalKind {
    /// The person may not do this: the wrong role, or not their object.
    Forbidden,
    /// The command names something the ledger does not hold.
    Unknown,
    /// The ledger already holds what the command would record, or something that excludes it.
    Conflict,
    /// The command breaks a rule about its content or its time.
    Invalid,
}

impl Refusal {
    /// A stable machine-readable code: the rule's name in snake case.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::UnknownPerson(..) => "unknown_person",
            Refusal::NotInRole { .. } => "not_in_role",
            Refusal::AlreadyRegistered(..) => "already_registered",
            Refusal::UnknownRole(..) => "unknown_role",
            Refusal::BadSpan { .. } => "bad_span",
            Refusal::PolicyVersion { .. } => "policy_version",
            Refusal::PolicyInPast { .. } => "policy_in_past",
            Refusal::EntryInFuture { .. } => "entry_in_future",
            Refusal::EntryExists { .. } => "entry_exists",
            Refusal::EntryTooLong { .. } => "entry_too_long",
            Refusal::EntryEmpty => "entry_empty",
            Refusal::SheetAlreadySubmitted { .. } => "sheet_already_submitted",
            Refusal::PeriodNotOver { .. } => "period_not_over",
            Refusal::NotYourEntry(..) => "not_your_entry",
            Refusal::ReasonMissing => "reason_missing",
            Refusal::SheetNotSubmitted { .. } => "sheet_not_submitted",
            Refusal::NotSupervisor { .. } => "not_supervisor",
            Refusal::NotYourArea { .. } => "not_your_area",
            Refusal::MonthNotOver { .. } => "month_not_over",
            Refusal::NominationLate { .. } => "nomination_late",
            Refusal::NotYourSupervisee { .. } => "not_your_supervisee",
            Refusal::QuotaReached { .. } => "quota_reached",
            Refusal::BothBestAndWorst { .. } => "both_best_and_worst",
            Refusal::CitationMissing => "citation_missing",
            Refusal::BadCitation { .. } => "bad_citation",
            Refusal::NominationReasonMissing => "nomination_reason_missing",
            Refusal::QuarterNotOver { .. } => "quarter_not_over",
            Refusal::DecisionInForce(..) => "decision_in_force",
            Refusal::NotInPool { .. } => "not_in_pool",
            Refusal::WrongCount { .. } => "wrong_count",
            Refusal::SelectedTwice(..) => "selected_twice",
            Refusal::NotLatestProposal(..) => "not_latest_proposal",
            Refusal::NotTheOtherSigner { .. } => "not_the_other_signer",
            Refusal::NoDecision(..) => "no_decision",
            Refusal::AlreadyPublished(..) => "already_published",
            Refusal::NotPublished(..) => "not_published",
            Refusal::FilingWindowClosed { .. } => "filing_window_closed",
            Refusal::NoStanding { .. } => "no_standing",
            Refusal::NotDesignated { .. } => "not_designated",
            Refusal::AlreadyAppealed { .. } => "already_appealed",
            Refusal::UnknownAppeal(..) => "unknown_appeal",
            Refusal::OwnAppeal { .. } => "own_appeal",
            Refusal::AlreadyAnswered(..) => "already_answered",
            Refusal::NoScoring(..) => "no_scoring",
            Refusal::ScoreOutOfScale { .. } => "score_out_of_scale",
            Refusal::AlreadyScored { .. } => "already_scored",
            Refusal::OverrideNeedsReason { .. } => "override_needs_reason",
            Refusal::AlreadyDisplayed { .. } => "already_displayed",
            Refusal::BadTime(..) => "bad_time",
            Refusal::NoPolicy(..) => "no_policy",
            Refusal::TextMissing(..) => "text_missing",
            Refusal::UnknownSanction(..) => "unknown_sanction",
            Refusal::WrongSanction { .. } => "wrong_sanction",
            Refusal::SanctionRevoked(..) => "sanction_revoked",
            Refusal::FollowUpRecorded { .. } => "follow_up_recorded",
            Refusal::NotYourSanction { .. } => "not_your_sanction",
            Refusal::NoPlan(..) => "no_plan",
            Refusal::TokenExists(..) => "token_exists",
            Refusal::UnknownToken(..) => "unknown_token",
            Refusal::TokenRevoked(..) => "token_revoked",
            Refusal::DayOutOfRange { .. } => "day_out_of_range",
            Refusal::Units(refusal) => refusal.code(),
            Refusal::WorkingDayInHoliday(..) => "working_day_in_holiday",
            Refusal::BadHolidaySpan { .. } => "bad_holiday_span",
            Refusal::CalendarDayOutOfYear { .. } => "calendar_day_out_of_year",
        }
    }

    /// What kind of rule refused.
    pub fn kind(&self) -> RefusalKind {
        match self {
            Refusal::NotInRole { .. }
            | Refusal::NotYourEntry(..)
            | Refusal::NotSupervisor { .. }
            | Refusal::NotYourArea { .. }
            | Refusal::NotYourSupervisee { .. }
            | Refusal::NotTheOtherSigner { .. }
            | Refusal::NoStanding { .. }
            | Refusal::OwnAppeal { .. }
            | Refusal::NotYourSanction { .. } => RefusalKind::Forbidden,
            Refusal::UnknownPerson(..)
            | Refusal::UnknownAppeal(..)
            | Refusal::UnknownSanction(..)
            | Refusal::UnknownToken(..) => RefusalKind::Unknown,
            Refusal::AlreadyRegistered(..)
            | Refusal::EntryExists { .. }
            | Refusal::SheetAlreadySubmitted { .. }
            | Refusal::DecisionInForce(..)
            | Refusal::NotLatestProposal(..)
            | Refusal::AlreadyPublished(..)
            | Refusal::AlreadyAppealed { .. }
            | Refusal::AlreadyAnswered(..)
            | Refusal::AlreadyScored { .. }
            | Refusal::AlreadyDisplayed { .. }
            | Refusal::SanctionRevoked(..)
            | Refusal::FollowUpRecorded { .. }
            | Refusal::TokenExists(..)
            | Refusal::TokenRevoked(..) => RefusalKind::Conflict,
            Refusal::UnknownRole(..)
            | Refusal::BadSpan { .. }
            | Refusal::PolicyVersion { .. }
            | Refusal::PolicyInPast { .. }
            | Refusal::EntryInFuture { .. }
            | Refusal::EntryTooLong { .. }
            | Refusal::EntryEmpty
            | Refusal::PeriodNotOver { .. }
            | Refusal::ReasonMissing
            | Refusal::SheetNotSubmitted { .. }
            | Refusal::MonthNotOver { .. }
            | Refusal::NominationLate { .. }
            | Refusal::QuotaReached { .. }
            | Refusal::BothBestAndWorst { .. }
            | Refusal::CitationMissing
            | Refusal::BadCitation { .. }
            | Refusal::NominationReasonMissing
            | Refusal::QuarterNotOver { .. }
            | Refusal::NotInPool { .. }
            | Refusal::WrongCount { .. }
            | Refusal::SelectedTwice(..)
            | Refusal::NoDecision(..)
            | Refusal::NotPublished(..)
            | Refusal::FilingWindowClosed { .. }
            | Refusal::NotDesignated { .. }
            | Refusal::NoScoring(..)
            | Refusal::ScoreOutOfScale { .. }
            | Refusal::OverrideNeedsReason { .. }
            | Refusal::BadTime(..)
            | Refusal::NoPolicy(..)
            | Refusal::TextMissing(..)
            | Refusal::WrongSanction { .. }
            | Refusal::NoPlan(..)
            | Refusal::CalendarDayOutOfYear { .. }
            | Refusal::BadHolidaySpan { .. }
            | Refusal::WorkingDayInHoliday(..)
            | Refusal::DayOutOfRange { .. } => RefusalKind::Invalid,
            Refusal::Units(refusal) => refusal.kind(),
        }
    }
}

/// Roles as a refusal names them: one, or "party_secretary or mayor".
fn or_list(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|role| role.as_str())
        .collect::<Vec<_>>()
        .join(" or ")
}
