//! Commands and the rules that decide them: given the state, a command, who acts and when,
//! either the events to append or a refusal that says which rule refused. Nothing here reads
//! the clock or the disk: the time of the act is an argument.

use jiff::civil::Date;
use kaohe_ledger::event::{Actor, EventDraft};
use serde::Serialize;

use uuid::Uuid;

use crate::payload;
use crate::period::{Month, Period, Quarter};
use crate::policy::Policy;
use crate::state::Kind;
use crate::state::State;
use crate::words::{EventType, Outcome, Role, SanctionKind, Standing};

/// Who acts, and when (RFC 3339 with offset).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Act {
    /// The person acting.
    pub person_id: String,
    /// When: the business time of the events the act produces.
    pub time: String,
}

/// What a person asks the ledger to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// The office adopts the next policy version.
    AdoptPolicy {
        /// The new version.
        policy: Policy,
    },
    /// The office adds a person to the roster.
    RegisterPerson {
        /// The new roster id.
        person_id: String,
        /// The name.
        name: String,
    },
    /// The office gives a person a role.
    AssignRole {
        /// Who.
        person_id: String,
        /// Which role.
        role: Role,
        /// From.
        from: Date,
        /// Until, inclusive.
        until: Option<Date>,
    },
    /// The office puts a cadre under a supervising leader.
    AssignSupervision {
        /// The cadre.
        cadre_id: String,
        /// The leader.
        leader_id: String,
        /// From.
        from: Date,
    },
    /// The office puts a cadre in an area under its chief.
    AssignArea {
        /// The cadre.
        cadre_id: String,
        /// The area.
        area: String,
        /// Its chief.
        chief_id: String,
        /// From.
        from: Date,
    },
    /// A cadre writes the entry of a working day (一天两行字).
    WriteEntry {
        /// The day.
        date: Date,
        /// First line.
        did: String,
        /// Second line.
        learned: String,
    },
    /// A cadre corrects an entry; the original stays visible.
    AmendEntry {
        /// The entry.
        entry_id: Uuid,
        /// Corrected first line.
        did: String,
        /// Corrected second line.
        learned: String,
        /// Why.
        reason: String,
    },
    /// A cadre hands in the sheet of a ten-day period.
    SubmitSheet {
        /// The period.
        period: Period,
    },
    /// An area chief gives an opinion on a cadre of the area for a month (片长意见).
    GiveOpinion {
        /// The cadre.
        cadre_id: String,
        /// The month.
        month: Month,
        /// The opinion.
        opinion: String,
    },
    /// A supervising leader names a best or worst cadre of a month (一评).
    Nominate {
        /// The month.
        month: Month,
        /// Best or worst.
        kind: Kind,
        /// The cadre.
        cadre_id: String,
        /// Why.
        reason: String,
        /// The records, sheets and opinions the reason rests on.
        cited_ids: Vec<Uuid>,
        /// Under numeric scoring, why someone other than the scores give is named.
        override_reason: Option<String>,
    },
    /// A supervising leader scores a supervisee for a month under numeric scoring.
    GiveScores {
        /// The month.
        month: Month,
        /// The cadre.
        cadre_id: String,
        /// The scores, tenths of a point.
        scores: payload::Scores,
    },
    /// The secretary or the mayor proposes the quarterly decision (二评).
    ProposeDecision {
        /// The quarter.
        quarter: Quarter,
        /// Best workers.
        best: Vec<String>,
        /// Worst workers.
        worst: Vec<String>,
    },
    /// The other of the two co-signs the proposal, putting it in force.
    CosignDecision {
        /// The quarter.
        quarter: Quarter,
        /// The proposal.
        proposal_id: Uuid,
    },
    /// The office publishes the quarter's decision in force (公示).
    PublishDecision {
        /// The quarter.
        quarter: Quarter,
        /// The notice.
        notice: String,
    },
    /// An appeal against one designation (复评申请).
    FileAppeal {
        /// The quarter.
        quarter: Quarter,
        /// Whose designation.
        person_id: String,
        /// Which.
        kind: Kind,
        /// Why.
        grounds: String,
    },
    /// The party committee answers an appeal.
    AnswerAppeal {
        /// The appeal.
        appeal_id: Uuid,
        /// Upheld or overturned.
        outcome: Outcome,
        /// Why.
        reasons: String,
    },
    /// The office selects a submitted sheet for display to all staff (抽选展示).
    DisplaySheet {
        /// Whose sheet.
        person_id: String,
        /// The period.
        period: Period,
        /// Why it is shown.
        note: String,
    },
    /// The supervising leader reads a cadre's sheet.
    ReadSheet {
        /// Whose sheet.
        person_id: String,
        /// The period.
        period: Period,
        /// A comment, possibly empty.
        comment: String,
    },
    /// The party secretary or the mayor records the talk a worst designation calls for (谈话).
    RecordTalk {
        /// The talk sanction.
        sanction_id: Uuid,
        /// The day it was held.
        held_on: Date,
        /// What was said and agreed.
        summary: String,
    },
    /// The person a rectification names hands in the plan (整改方案).
    PlanRectification {
        /// The rectification sanction.
        sanction_id: Uuid,
        /// The plan.
        plan: String,
    },
    /// The supervising leader confirms that the plan was carried out.
    CompleteRectification {
        /// The rectification sanction.
        sanction_id: Uuid,
        /// What was done.
        summary: String,
    },
    /// The office issues a bearer token to a person (the secret stays outside the ledger).
    IssueToken {
        /// The token's id.
        token_id: Uuid,
        /// Whom it signs in.
        person_id: String,
    },
    /// The office revokes a bearer token.
    RevokeToken {
        /// The token.
        token_id: Uuid,
        /// Why.
        reason: String,
    },
}

/// Why a command was refused; nothing is appended.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum Refusal {
    /// The acting person is not on the roster.
    #[error("{0} is not on the roster")]
    UnknownPerson(String),
    /// The person does not hold the role the command needs on that day.
    #[error("{person} is not {role} on {date}")]
    NotInRole {
        /// Who.
        person: String,
        /// The role needed.
        role: String,
        /// The day.
        date: Date,
    },
    /// A person id is already taken.
    #[error("{0} is already on the roster")]
    AlreadyRegistered(String),
    /// The role is not one that can be given.
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
        /// best or worst.
        kind: &'static str,
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
        other: &'static str,
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
        /// best or worst.
        kind: &'static str,
        /// The quarter.
        quarter: Quarter,
    },
    /// The selection has the wrong number of people.
    #[error("the decision must select {expected} {kind}, not {got}")]
    WrongCount {
        /// best or worst.
        kind: &'static str,
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
        proposer_role: String,
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
        /// best or worst.
        kind: &'static str,
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
        /// best or worst.
        kind: &'static str,
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
    TextMissing(&'static str),
    /// No such sanction.
    #[error("no sanction {0}")]
    UnknownSanction(Uuid),
    /// The sanction is not the kind the follow-up is for.
    #[error("sanction {id} is {sanction}, not {needed}")]
    WrongSanction {
        /// The sanction.
        id: Uuid,
        /// What it is.
        sanction: String,
        /// What the follow-up needs.
        needed: &'static str,
    },
    /// The sanction was revoked on appeal and needs no follow-up.
    #[error("sanction {0} was revoked on appeal; it needs no follow-up")]
    SanctionRevoked(Uuid),
    /// The follow-up is already recorded.
    #[error("the {what} of sanction {id} is already recorded")]
    FollowUpRecorded {
        /// The sanction.
        id: Uuid,
        /// talk, plan or completion.
        what: &'static str,
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
            _ => RefusalKind::Invalid,
        }
    }
}

fn draft<T: Serialize>(
    id: Uuid,
    act: &Act,
    role: Role,
    event_type: EventType,
    payload: &T,
) -> EventDraft {
    EventDraft {
        id,
        event_type: event_type.as_str().into(),
        payload_version: 1,
        business_time: act.time.clone(),
        actor: Actor {
            person_id: act.person_id.clone(),
            role: role.as_str().into(),
        },
        payload: serde_json::to_value(payload).expect("payloads serialise"),
        caused_by: Vec::new(),
    }
}

fn need_role(state: &State, person: &str, role: Role, date: Date) -> Result<(), Refusal> {
    if !state.people.contains_key(person) {
        return Err(Refusal::UnknownPerson(person.into()));
    }
    if !state.holds(person, role, date) {
        return Err(Refusal::NotInRole {
            person: person.into(),
            role: role.to_string(),
            date,
        });
    }
    Ok(())
}

fn need_person(state: &State, person: &str) -> Result<(), Refusal> {
    if state.people.contains_key(person) {
        Ok(())
    } else {
        Err(Refusal::UnknownPerson(person.into()))
    }
}

fn check_lines(state: &State, date: Date, did: &str, learned: &str) -> Result<(), Refusal> {
    if did.trim().is_empty() {
        return Err(Refusal::EntryEmpty);
    }
    let policy = state.policy_on(date).ok_or(Refusal::NoPolicy(date))?;
    let chars = did.chars().count() + learned.chars().count();
    if chars > policy.entry_chars_max as usize {
        return Err(Refusal::EntryTooLong {
            chars,
            max: policy.entry_chars_max,
        });
    }
    Ok(())
}

/// Decide a command: the events to append, each with the id `id` (the first) or derived ids,
/// or the rule that refuses it.
pub fn decide(
    state: &State,
    command: &Command,
    act: &Act,
    id: Uuid,
) -> Result<Vec<EventDraft>, Refusal> {
    let today = state
        .day_of(&act.time)
        .ok_or_else(|| Refusal::BadTime(act.time.clone()))?;
    let actor = act.person_id.as_str();
    match command {
        Command::AdoptPolicy { policy } => {
            need_role(state, actor, Role::Office, today)?;
            let next = state
                .policies
                .latest()
                .map_or(1, |latest| latest.version + 1);
            if policy.version != next {
                return Err(Refusal::PolicyVersion {
                    expected: next,
                    got: policy.version,
                });
            }
            if policy.effective_date < today {
                return Err(Refusal::PolicyInPast {
                    effective: policy.effective_date,
                    today,
                });
            }
            Ok(vec![draft(
                id,
                act,
                Role::Office,
                EventType::PolicyAdopted,
                &payload::PolicyAdopted {
                    policy: policy.clone(),
                },
            )])
        }
        Command::RegisterPerson { person_id, name } => {
            need_role(state, actor, Role::Office, today)?;
            if state.people.contains_key(person_id) {
                return Err(Refusal::AlreadyRegistered(person_id.clone()));
            }
            Ok(vec![draft(
                id,
                act,
                Role::Office,
                EventType::PersonRegistered,
                &payload::PersonRegistered {
                    person_id: person_id.clone(),
                    name: name.clone(),
                },
            )])
        }
        Command::AssignRole {
            person_id,
            role,
            from,
            until,
        } => {
            need_role(state, actor, Role::Office, today)?;
            need_person(state, person_id)?;
            if !role.is_assignable() {
                return Err(Refusal::UnknownRole(role.to_string()));
            }
            if let Some(until) = until
                && until < from
            {
                return Err(Refusal::BadSpan {
                    from: *from,
                    until: *until,
                });
            }
            Ok(vec![draft(
                id,
                act,
                Role::Office,
                EventType::RoleAssigned,
                &payload::RoleAssigned {
                    person_id: person_id.clone(),
                    role: *role,
                    from: *from,
                    until: *until,
                },
            )])
        }
        Command::AssignSupervision {
            cadre_id,
            leader_id,
            from,
        } => {
            need_role(state, actor, Role::Office, today)?;
            need_role(state, cadre_id, Role::Cadre, *from)?;
            need_role(state, leader_id, Role::SupervisingLeader, *from)?;
            Ok(vec![draft(
                id,
                act,
                Role::Office,
                EventType::SupervisionAssigned,
                &payload::SupervisionAssigned {
                    cadre_id: cadre_id.clone(),
                    leader_id: leader_id.clone(),
                    from: *from,
                },
            )])
        }
        Command::AssignArea {
            cadre_id,
            area,
            chief_id,
            from,
        } => {
            need_role(state, actor, Role::Office, today)?;
            need_role(state, cadre_id, Role::Cadre, *from)?;
            need_role(state, chief_id, Role::AreaChief, *from)?;
            Ok(vec![draft(
                id,
                act,
                Role::Office,
                EventType::AreaAssigned,
                &payload::AreaAssigned {
                    cadre_id: cadre_id.clone(),
                    area: area.clone(),
                    chief_id: chief_id.clone(),
                    from: *from,
                },
            )])
        }
        Command::WriteEntry { date, did, learned } => {
            need_role(state, actor, Role::Cadre, *date)?;
            if *date > today {
                return Err(Refusal::EntryInFuture { date: *date, today });
            }
            if state.entry_days.contains_key(&(actor.to_owned(), *date)) {
                return Err(Refusal::EntryExists { date: *date });
            }
            let period = Period::of(*date);
            if state.sheets.contains_key(&(actor.to_owned(), period)) {
                return Err(Refusal::SheetAlreadySubmitted { period });
            }
            check_lines(state, *date, did, learned)?;
            Ok(vec![draft(
                id,
                act,
                Role::Cadre,
                EventType::EntryWritten,
                &payload::EntryWritten {
                    person_id: actor.into(),
                    date: *date,
                    did: did.clone(),
                    learned: learned.clone(),
                },
            )])
        }
        Command::AmendEntry {
            entry_id,
            did,
            learned,
            reason,
        } => {
            let entry = state
                .entries
                .get(entry_id)
                .filter(|entry| entry.person_id == actor)
                .ok_or(Refusal::NotYourEntry(*entry_id))?;
            need_role(state, actor, Role::Cadre, today)?;
            if reason.trim().is_empty() {
                return Err(Refusal::ReasonMissing);
            }
            check_lines(state, entry.date, did, learned)?;
            let mut event = draft(
                id,
                act,
                Role::Cadre,
                EventType::EntryAmended,
                &payload::EntryAmended {
                    entry_id: *entry_id,
                    did: did.clone(),
                    learned: learned.clone(),
                    reason: reason.clone(),
                },
            );
            event.caused_by = vec![*entry_id];
            Ok(vec![event])
        }
        Command::SubmitSheet { period } => {
            need_role(state, actor, Role::Cadre, period.last_day().min(today))?;
            if today < period.last_day() {
                return Err(Refusal::PeriodNotOver {
                    period: *period,
                    last_day: period.last_day(),
                    today,
                });
            }
            if state.sheets.contains_key(&(actor.to_owned(), *period)) {
                return Err(Refusal::SheetAlreadySubmitted { period: *period });
            }
            let entry_ids: Vec<Uuid> = state
                .entry_days
                .range(
                    (actor.to_owned(), period.first_day())..=(actor.to_owned(), period.last_day()),
                )
                .map(|(_, id)| *id)
                .collect();
            Ok(vec![draft(
                id,
                act,
                Role::Cadre,
                EventType::SheetSubmitted,
                &payload::SheetSubmitted {
                    person_id: actor.into(),
                    period: *period,
                    entry_ids,
                },
            )])
        }
        Command::GiveOpinion {
            cadre_id,
            month,
            opinion,
        } => {
            need_role(state, actor, Role::AreaChief, month.last_day())?;
            if state.chief_on(cadre_id, month.last_day()) != Some(actor) {
                return Err(Refusal::NotYourArea {
                    chief: actor.into(),
                    cadre: cadre_id.clone(),
                    month: *month,
                });
            }
            if today < month.first_day() {
                return Err(Refusal::MonthNotOver {
                    month: *month,
                    last_day: month.last_day(),
                });
            }
            if opinion.trim().is_empty() {
                return Err(Refusal::TextMissing("an opinion"));
            }
            Ok(vec![draft(
                id,
                act,
                Role::AreaChief,
                EventType::OpinionGiven,
                &payload::OpinionGiven {
                    cadre_id: cadre_id.clone(),
                    month: *month,
                    opinion: opinion.clone(),
                },
            )])
        }
        Command::GiveScores {
            month,
            cadre_id,
            scores,
        } => {
            let policy = rating_policy(state, actor, *month, today)?;
            let scoring = policy.scoring.as_ref().ok_or(Refusal::NoScoring(*month))?;
            need_supervisee(state, actor, cadre_id, *month)?;
            if state
                .scores
                .contains_key(&(actor.to_owned(), *month, cadre_id.clone()))
            {
                return Err(Refusal::AlreadyScored {
                    cadre: cadre_id.clone(),
                    month: *month,
                });
            }
            for score in [
                scores.ideology,
                scores.ability,
                scores.discipline,
                scores.liaison,
                scores.line_work,
            ] {
                if score > scoring.score_max_tenths {
                    return Err(Refusal::ScoreOutOfScale {
                        score,
                        max: scoring.score_max_tenths,
                    });
                }
            }
            Ok(vec![draft(
                id,
                act,
                Role::SupervisingLeader,
                EventType::ScoresGiven,
                &payload::ScoresGiven {
                    month: *month,
                    cadre_id: cadre_id.clone(),
                    scores: *scores,
                    policy_version: policy.version,
                },
            )])
        }
        Command::Nominate {
            month,
            kind,
            cadre_id,
            reason,
            cited_ids,
            override_reason,
        } => {
            let last_day = month.last_day();
            let policy = rating_policy(state, actor, *month, today)?;
            let due = last_day
                .checked_add(jiff::Span::new().days(i64::from(policy.nomination_due_days)))
                .expect("a date");
            if today > due {
                return Err(Refusal::NominationLate { month: *month, due });
            }
            need_supervisee(state, actor, cadre_id, *month)?;
            let mine = || {
                state.nominations.values().filter(|nomination| {
                    nomination.leader_id == actor && nomination.month == *month
                })
            };
            if let Some(other) = mine().find(|nomination| nomination.cadre_id == *cadre_id) {
                return Err(Refusal::BothBestAndWorst {
                    leader: actor.into(),
                    cadre: cadre_id.clone(),
                    other: other.kind.as_str(),
                    month: *month,
                });
            }
            let quota = match kind {
                Kind::Best => policy.leader_best_count,
                Kind::Worst => policy.leader_worst_count,
            };
            if mine().filter(|nomination| nomination.kind == *kind).count() >= quota as usize {
                return Err(Refusal::QuotaReached {
                    leader: actor.into(),
                    kind: kind.as_str(),
                    month: *month,
                    count: quota,
                });
            }
            if reason.trim().is_empty() {
                return Err(Refusal::NominationReasonMissing);
            }
            if cited_ids.is_empty() {
                return Err(Refusal::CitationMissing);
            }
            for cited in cited_ids {
                if !cites_cadre_in_month(state, cited, cadre_id, *month) {
                    return Err(Refusal::BadCitation {
                        cited: *cited,
                        cadre: cadre_id.clone(),
                        month: *month,
                    });
                }
            }
            let override_reason = match state.scored_choice(actor, *month, *kind) {
                Some(expected) if expected != *cadre_id => match override_reason {
                    Some(text) if !text.trim().is_empty() => Some(text.clone()),
                    _ => {
                        return Err(Refusal::OverrideNeedsReason {
                            kind: kind.as_str(),
                            expected,
                            named: cadre_id.clone(),
                        });
                    }
                },
                _ => None,
            };
            let mut event = draft(
                id,
                act,
                Role::SupervisingLeader,
                EventType::NominationMade,
                &payload::NominationMade {
                    month: *month,
                    kind: *kind,
                    cadre_id: cadre_id.clone(),
                    reason: reason.clone(),
                    cited_ids: cited_ids.clone(),
                    policy_version: policy.version,
                    override_reason,
                },
            );
            event.caused_by = cited_ids.clone();
            Ok(vec![event])
        }
        Command::ProposeDecision {
            quarter,
            best,
            worst,
        } => {
            let role = principal_role(state, actor, today)?;
            let last_day = quarter.last_day();
            // The pools are complete only once the quarter's last month is rated, which can be
            // no earlier than its last day.
            if today <= last_day {
                return Err(Refusal::QuarterNotOver {
                    quarter: *quarter,
                    last_day,
                });
            }
            if state.decisions.contains_key(quarter) {
                return Err(Refusal::DecisionInForce(*quarter));
            }
            let policy = state
                .policy_on(last_day)
                .ok_or(Refusal::NoPolicy(last_day))?;
            for (kind, selected, wanted) in [
                (Kind::Best, best, policy.quarter_best_count),
                (Kind::Worst, worst, policy.quarter_worst_count),
            ] {
                let pool: std::collections::BTreeSet<&str> = state
                    .pool(*quarter, kind)
                    .iter()
                    .map(|(_, nomination)| nomination.cadre_id.as_str())
                    .collect();
                for person in selected {
                    if !pool.contains(person.as_str()) {
                        return Err(Refusal::NotInPool {
                            person: person.clone(),
                            kind: kind.as_str(),
                            quarter: *quarter,
                        });
                    }
                }
                let expected = (wanted as usize).min(pool.len());
                let distinct: std::collections::BTreeSet<&String> = selected.iter().collect();
                if distinct.len() != selected.len() || selected.len() != expected {
                    return Err(Refusal::WrongCount {
                        kind: kind.as_str(),
                        expected,
                        got: distinct.len(),
                    });
                }
            }
            if let Some(person) = best.iter().find(|person| worst.contains(person)) {
                return Err(Refusal::SelectedTwice(person.clone()));
            }
            let mut event = draft(
                id,
                act,
                role,
                EventType::DecisionProposed,
                &payload::DecisionProposed {
                    quarter: *quarter,
                    best: best.clone(),
                    worst: worst.clone(),
                    policy_version: policy.version,
                },
            );
            // The decision rests on the nominations of the people it selects.
            event.caused_by = [Kind::Best, Kind::Worst]
                .into_iter()
                .flat_map(|kind| state.pool(*quarter, kind))
                .filter(|(_, nomination)| {
                    best.contains(&nomination.cadre_id) || worst.contains(&nomination.cadre_id)
                })
                .map(|(id, _)| *id)
                .take(64)
                .collect();
            Ok(vec![event])
        }
        Command::CosignDecision {
            quarter,
            proposal_id,
        } => {
            if state.decisions.contains_key(quarter) {
                return Err(Refusal::DecisionInForce(*quarter));
            }
            if state.latest_proposal.get(quarter) != Some(proposal_id) {
                return Err(Refusal::NotLatestProposal(*proposal_id));
            }
            let proposal = &state.proposals[proposal_id];
            let other = if proposal.proposer_role == Role::PartySecretary {
                Role::Mayor
            } else {
                Role::PartySecretary
            };
            if actor == proposal.proposer_id || !state.holds(actor, other, today) {
                return Err(Refusal::NotTheOtherSigner {
                    person: actor.into(),
                    proposer: proposal.proposer_id.clone(),
                    proposer_role: proposal.proposer_role.to_string(),
                });
            }
            let mut event = draft(
                id,
                act,
                other,
                EventType::DecisionCosigned,
                &payload::DecisionCosigned {
                    quarter: *quarter,
                    proposal_id: *proposal_id,
                },
            );
            event.caused_by = vec![*proposal_id];
            // The decision's consequences follow at once, each naming its causes.
            let mut after = state.clone();
            after
                .apply(&crate::state::Fact::from(&event))
                .expect("a decided event applies");
            let mut events = vec![event];
            for expected in crate::sanctions::derive(&after, *quarter) {
                let mut sanction = draft(
                    derived_id(id, events.len()),
                    &system_act(act),
                    Role::System,
                    EventType::SanctionImposed,
                    &payload::SanctionImposed {
                        person_id: expected.person_id,
                        quarter: *quarter,
                        sanction: expected.sanction,
                        bonus_bp: expected.bonus_bp,
                        rectify_by: expected.rectify_by,
                        policy_version: expected.policy_version,
                    },
                );
                sanction.caused_by = expected.causes;
                events.push(sanction);
            }
            Ok(events)
        }
        Command::PublishDecision { quarter, notice } => {
            need_role(state, actor, Role::Office, today)?;
            if !state.decisions.contains_key(quarter) {
                return Err(Refusal::NoDecision(*quarter));
            }
            if state.publications.contains_key(quarter) {
                return Err(Refusal::AlreadyPublished(*quarter));
            }
            if notice.trim().is_empty() {
                return Err(Refusal::TextMissing("a notice"));
            }
            let mut event = draft(
                id,
                act,
                Role::Office,
                EventType::DecisionPublished,
                &payload::DecisionPublished {
                    quarter: *quarter,
                    notice: notice.clone(),
                },
            );
            event.caused_by = vec![state.decisions[quarter].cosign_id];
            Ok(vec![event])
        }
        Command::FileAppeal {
            quarter,
            person_id,
            kind,
            grounds,
        } => {
            need_person(state, actor)?;
            let publication = state
                .publications
                .get(quarter)
                .ok_or(Refusal::NotPublished(*quarter))?;
            let (published_id, published_on) = (publication.id, publication.published_on);
            let policy = state
                .policy_on(published_on)
                .ok_or(Refusal::NoPolicy(published_on))?;
            let window_ends = state
                .appeal_window_ends(*quarter)
                .ok_or(Refusal::NoPolicy(published_on))?;
            if today > window_ends {
                return Err(Refusal::FilingWindowClosed {
                    quarter: *quarter,
                    ended: window_ends,
                });
            }
            if policy.appeal_standing == Standing::RatedPerson && actor != person_id {
                return Err(Refusal::NoStanding {
                    person: actor.into(),
                    rated: person_id.clone(),
                });
            }
            if !state.finally_designated(*quarter, *kind, person_id) {
                return Err(Refusal::NotDesignated {
                    person: person_id.clone(),
                    kind: kind.as_str(),
                    quarter: *quarter,
                });
            }
            if state.appeals.values().any(|appeal| {
                appeal.quarter == *quarter && appeal.person_id == *person_id && appeal.kind == *kind
            }) {
                return Err(Refusal::AlreadyAppealed {
                    person: person_id.clone(),
                    quarter: *quarter,
                });
            }
            if grounds.trim().is_empty() {
                return Err(Refusal::TextMissing("an appeal's grounds"));
            }
            let mut event = draft(
                id,
                act,
                if state.holds(actor, Role::Cadre, today) {
                    Role::Cadre
                } else {
                    Role::Office
                },
                EventType::AppealFiled,
                &payload::AppealFiled {
                    quarter: *quarter,
                    person_id: person_id.clone(),
                    kind: *kind,
                    grounds: grounds.clone(),
                },
            );
            event.caused_by = vec![published_id];
            Ok(vec![event])
        }
        Command::AnswerAppeal {
            appeal_id,
            outcome,
            reasons,
        } => {
            need_role(state, actor, Role::PartyCommittee, today)?;
            let appeal = state
                .appeals
                .get(appeal_id)
                .ok_or(Refusal::UnknownAppeal(*appeal_id))?;
            if appeal.answer.is_some() {
                return Err(Refusal::AlreadyAnswered(*appeal_id));
            }
            if appeal.person_id == actor || appeal.appellant_id == actor {
                return Err(Refusal::OwnAppeal {
                    person: actor.into(),
                    appeal: *appeal_id,
                });
            }
            if reasons.trim().is_empty() {
                return Err(Refusal::TextMissing("an answer's reasons"));
            }
            let policy = state.policy_on(today).ok_or(Refusal::NoPolicy(today))?;
            let mut answer = draft(
                id,
                act,
                Role::PartyCommittee,
                EventType::AppealAnswered,
                &payload::AppealAnswered {
                    appeal_id: *appeal_id,
                    outcome: *outcome,
                    reasons: reasons.clone(),
                    policy_version: policy.version,
                },
            );
            answer.caused_by = vec![*appeal_id];
            let mut events = vec![answer];
            if *outcome == Outcome::Overturned {
                // The sanctions whose cause the answer removes are revoked by events naming it.
                let mut after = state.clone();
                after
                    .apply(&crate::state::Fact::from(&events[0]))
                    .expect("a decided event applies");
                let still: Vec<(String, SanctionKind, Vec<Uuid>)> = after
                    .decisions
                    .keys()
                    .filter(|quarter| **quarter >= appeal.quarter)
                    .flat_map(|quarter| crate::sanctions::derive(&after, *quarter))
                    .map(|expected| (expected.person_id, expected.sanction, expected.causes))
                    .collect();
                for (sanction_id, sanction) in &state.sanctions {
                    let derived = still.iter().any(|(person, kind, causes)| {
                        *person == sanction.person_id
                            && *kind == sanction.sanction
                            && *causes == sanction.caused_by
                    });
                    if sanction.revoked_by.is_none()
                        && sanction.person_id == appeal.person_id
                        && sanction.quarter >= appeal.quarter
                        && !derived
                    {
                        let mut revoked = draft(
                            derived_id(id, events.len()),
                            &system_act(act),
                            Role::System,
                            EventType::SanctionRevoked,
                            &payload::SanctionRevoked {
                                sanction_id: *sanction_id,
                                appeal_answer_id: id,
                            },
                        );
                        revoked.caused_by = vec![id, *sanction_id];
                        events.push(revoked);
                    }
                }
            }
            Ok(events)
        }
        Command::DisplaySheet {
            person_id,
            period,
            note,
        } => {
            need_role(state, actor, Role::Office, today)?;
            let sheet = submitted_sheet(state, person_id, *period)?;
            if sheet.displayed.is_some() {
                return Err(Refusal::AlreadyDisplayed {
                    person: person_id.clone(),
                    period: *period,
                });
            }
            let mut event = draft(
                id,
                act,
                Role::Office,
                EventType::SheetDisplayed,
                &payload::SheetDisplayed {
                    person_id: person_id.clone(),
                    period: *period,
                    note: note.clone(),
                },
            );
            event.caused_by = vec![sheet.id];
            Ok(vec![event])
        }
        Command::ReadSheet {
            person_id,
            period,
            comment,
        } => {
            need_role(state, actor, Role::SupervisingLeader, today)?;
            let sheet = submitted_sheet(state, person_id, *period)?;
            if state.supervisor_on(person_id, period.last_day()) != Some(actor) {
                return Err(Refusal::NotSupervisor {
                    leader: actor.into(),
                    cadre: person_id.clone(),
                    date: period.last_day(),
                });
            }
            let mut event = draft(
                id,
                act,
                Role::SupervisingLeader,
                EventType::SheetRead,
                &payload::SheetRead {
                    person_id: person_id.clone(),
                    period: *period,
                    comment: comment.clone(),
                },
            );
            event.caused_by = vec![sheet.id];
            Ok(vec![event])
        }
        Command::RecordTalk {
            sanction_id,
            held_on,
            summary,
        } => {
            let role = principal_role(state, actor, today)?;
            let sanction = sanction_to_follow(state, *sanction_id, SanctionKind::Talk)?;
            if sanction.talk_held.is_some() {
                return Err(Refusal::FollowUpRecorded {
                    id: *sanction_id,
                    what: "talk",
                });
            }
            if *held_on < sanction.imposed_on || *held_on > today {
                return Err(Refusal::DayOutOfRange {
                    day: *held_on,
                    earliest: sanction.imposed_on,
                    latest: today,
                });
            }
            if summary.trim().is_empty() {
                return Err(Refusal::TextMissing("a talk's summary"));
            }
            let mut event = draft(
                id,
                act,
                role,
                EventType::TalkHeld,
                &payload::TalkHeld {
                    sanction_id: *sanction_id,
                    person_id: sanction.person_id.clone(),
                    held_on: *held_on,
                    summary: summary.clone(),
                },
            );
            event.caused_by = vec![*sanction_id];
            Ok(vec![event])
        }
        Command::PlanRectification { sanction_id, plan } => {
            need_person(state, actor)?;
            let sanction = sanction_to_follow(state, *sanction_id, SanctionKind::Rectification)?;
            if sanction.person_id != actor {
                return Err(Refusal::NotYourSanction {
                    id: *sanction_id,
                    person: sanction.person_id.clone(),
                });
            }
            need_role(state, actor, Role::Cadre, today)?;
            if sanction.plan.is_some() {
                return Err(Refusal::FollowUpRecorded {
                    id: *sanction_id,
                    what: "plan",
                });
            }
            if plan.trim().is_empty() {
                return Err(Refusal::TextMissing("a rectification plan"));
            }
            let mut event = draft(
                id,
                act,
                Role::Cadre,
                EventType::RectificationPlanned,
                &payload::RectificationPlanned {
                    sanction_id: *sanction_id,
                    person_id: actor.into(),
                    plan: plan.clone(),
                },
            );
            event.caused_by = vec![*sanction_id];
            Ok(vec![event])
        }
        Command::CompleteRectification {
            sanction_id,
            summary,
        } => {
            need_role(state, actor, Role::SupervisingLeader, today)?;
            let sanction = sanction_to_follow(state, *sanction_id, SanctionKind::Rectification)?;
            if state.supervisor_on(&sanction.person_id, today) != Some(actor) {
                return Err(Refusal::NotSupervisor {
                    leader: actor.into(),
                    cadre: sanction.person_id.clone(),
                    date: today,
                });
            }
            let (plan_id, _) = sanction.plan.ok_or(Refusal::NoPlan(*sanction_id))?;
            if sanction.completed.is_some() {
                return Err(Refusal::FollowUpRecorded {
                    id: *sanction_id,
                    what: "completion",
                });
            }
            if summary.trim().is_empty() {
                return Err(Refusal::TextMissing("a completion's summary"));
            }
            let mut event = draft(
                id,
                act,
                Role::SupervisingLeader,
                EventType::RectificationCompleted,
                &payload::RectificationCompleted {
                    sanction_id: *sanction_id,
                    person_id: sanction.person_id.clone(),
                    plan_id,
                    summary: summary.clone(),
                },
            );
            event.caused_by = vec![*sanction_id, plan_id];
            Ok(vec![event])
        }
        Command::IssueToken {
            token_id,
            person_id,
        } => {
            need_role(state, actor, Role::Office, today)?;
            need_person(state, person_id)?;
            if state.tokens.contains_key(token_id) {
                return Err(Refusal::TokenExists(*token_id));
            }
            Ok(vec![draft(
                id,
                act,
                Role::Office,
                EventType::TokenIssued,
                &payload::TokenIssued {
                    token_id: *token_id,
                    person_id: person_id.clone(),
                },
            )])
        }
        Command::RevokeToken { token_id, reason } => {
            need_role(state, actor, Role::Office, today)?;
            let token = state
                .tokens
                .get(token_id)
                .ok_or(Refusal::UnknownToken(*token_id))?;
            if token.revoked_by.is_some() {
                return Err(Refusal::TokenRevoked(*token_id));
            }
            if reason.trim().is_empty() {
                return Err(Refusal::TextMissing("a revocation's reason"));
            }
            let mut event = draft(
                id,
                act,
                Role::Office,
                EventType::TokenRevoked,
                &payload::TokenRevoked {
                    token_id: *token_id,
                    person_id: token.person_id.clone(),
                    reason: reason.clone(),
                },
            );
            event.caused_by = vec![token.issued_by];
            Ok(vec![event])
        }
    }
}

/// Whether `cited` is an entry of `cadre` in `month`, a sheet of theirs for a period of that
/// month, or an area chief's opinion about them for that month.
fn cites_cadre_in_month(state: &State, cited: &Uuid, cadre: &str, month: Month) -> bool {
    if let Some(entry) = state.entries.get(cited) {
        return entry.person_id == cadre && Month::of(entry.date) == month;
    }
    if let Some(opinion) = state.opinions.get(cited) {
        return opinion.cadre_id == cadre && opinion.month == month;
    }
    state.sheets.iter().any(|((person, period), sheet)| {
        sheet.id == *cited && person == cadre && Month::of(period.last_day()) == month
    })
}

/// The person id of events the rules derive rather than a person decides.
pub const SYSTEM_PERSON: &str = "kaohe";

fn system_act(act: &Act) -> Act {
    Act {
        person_id: SYSTEM_PERSON.into(),
        time: act.time.clone(),
    }
}

/// The id of the `index`-th event derived from the act with id `id`: the same time, and bits
/// that differ from `id` and from each other, so a replayed decision derives the same ids.
pub fn derived_id(id: Uuid, index: usize) -> Uuid {
    let mut bytes = *id.as_bytes();
    let index = index as u16;
    bytes[14] ^= 0x5a ^ (index >> 8) as u8;
    bytes[15] ^= index as u8;
    Uuid::from_bytes(bytes)
}

/// A leader rating `month`: holds the role on its last day, the month is over, and a policy
/// is in force for it, which is returned.
fn rating_policy<'a>(
    state: &'a State,
    leader: &str,
    month: Month,
    today: Date,
) -> Result<&'a Policy, Refusal> {
    let last_day = month.last_day();
    need_role(state, leader, Role::SupervisingLeader, last_day)?;
    if today < last_day {
        return Err(Refusal::MonthNotOver { month, last_day });
    }
    state.policy_on(last_day).ok_or(Refusal::NoPolicy(last_day))
}

/// The cadre was the leader's supervisee on some day of the month.
fn need_supervisee(state: &State, leader: &str, cadre: &str, month: Month) -> Result<(), Refusal> {
    if month
        .days()
        .any(|day| state.supervisor_on(cadre, day) == Some(leader))
    {
        Ok(())
    } else {
        Err(Refusal::NotYourSupervisee {
            leader: leader.into(),
            cadre: cadre.into(),
            month,
        })
    }
}

/// The role in which `person` acts as one of the two principal leaders (主要领导) on `date`.
fn principal_role(state: &State, person: &str, date: Date) -> Result<Role, Refusal> {
    need_person(state, person)?;
    Role::PRINCIPALS
        .into_iter()
        .find(|role| state.holds(person, *role, date))
        .ok_or_else(|| Refusal::NotInRole {
            person: person.into(),
            role: "party_secretary or mayor".into(),
            date,
        })
}

/// A sanction of kind `needed` that is still in force, for a follow-up.
fn sanction_to_follow(
    state: &State,
    id: Uuid,
    needed: SanctionKind,
) -> Result<&crate::state::Sanction, Refusal> {
    let sanction = state
        .sanctions
        .get(&id)
        .ok_or(Refusal::UnknownSanction(id))?;
    if sanction.sanction != needed {
        return Err(Refusal::WrongSanction {
            id,
            sanction: sanction.sanction.to_string(),
            needed: needed.as_str(),
        });
    }
    if sanction.revoked_by.is_some() {
        return Err(Refusal::SanctionRevoked(id));
    }
    Ok(sanction)
}

/// The sheet `person` submitted for `period`.
fn submitted_sheet<'a>(
    state: &'a State,
    person: &str,
    period: Period,
) -> Result<&'a crate::state::Sheet, Refusal> {
    state
        .sheets
        .get(&(person.to_owned(), period))
        .ok_or_else(|| Refusal::SheetNotSubmitted {
            person: person.into(),
            period,
        })
}
