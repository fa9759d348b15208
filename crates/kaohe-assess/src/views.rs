//! The views people read, each a pure function of the state: a leader's month, the quarter
//! board, a person's year with their streak, the appeal queue, and the pay effects of a year.
//!
//! The state is kept up to date as events are folded in one by one, or rebuilt from the ledger;
//! both give the same views. A view "as of" a past day reads the state folded from the events
//! recorded up to the end of that day ([`recorded_through`]); `today` is always an argument,
//! never the clock, and decides what is overdue and how many days are left.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use kaohe_ledger::event::ParsedEvent;
use serde::Serialize;
use uuid::Uuid;

use crate::payload::Scores;
use crate::period::{Month, Period, Quarter};
use crate::state::{Appeal, Kind, Nomination, Publication, Sanction, State};
use crate::words::{Outcome, Role, SanctionKind};

/// How many leading events were recorded on or before `day` in `zone`. Recording times never
/// go back (the store's writer keeps them monotonic), so these events are a prefix of the
/// ledger, and the state folded from them is the ledger as it stood at the end of `day`.
pub fn recorded_through(events: &[ParsedEvent], day: Date, zone: &TimeZone) -> usize {
    events.partition_point(|event| event.recorded_time.to_zoned(zone.clone()).date() <= day)
}

/// A person's name, or the id itself where the roster does not know it.
pub fn name_of(state: &State, person: &str) -> String {
    state
        .people
        .get(person)
        .map(|person| person.name.clone())
        .unwrap_or_default()
}

/// Where a ten-day sheet stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SheetStatus {
    /// Handed in by its due day.
    OnTime,
    /// Handed in after its due day.
    Late,
    /// Not handed in, and its due day has passed.
    Missing,
    /// Not handed in, and not yet due.
    NotDue,
}

/// One ten-day sheet of a person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SheetView {
    /// The period.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub period: Period,
    /// The day it is due.
    pub due_on: Date,
    /// Where it stands.
    pub status: SheetStatus,
    /// The submission event, if handed in.
    pub submission_id: Option<Uuid>,
    /// The day it was handed in.
    pub submitted_on: Option<Date>,
    /// Entries it holds (or, not yet handed in, the entries written for its days).
    pub entries: usize,
    /// Whether the supervising leader has read it.
    pub read: bool,
    /// Whether the office selected it for display.
    pub displayed: bool,
}

impl SheetView {
    /// Whether the sheet was handed in and waits for its leader's 阅看.
    pub fn waits_for_reading(&self) -> bool {
        self.submission_id.is_some() && !self.read
    }
}

fn sheet_view(state: &State, person: &str, period: Period, today: Date) -> SheetView {
    let due_on = state.sheet_due_on(period);
    match state.sheets.get(&(person.to_owned(), period)) {
        Some(sheet) => SheetView {
            period,
            due_on: sheet.due_on,
            status: if sheet.late() {
                SheetStatus::Late
            } else {
                SheetStatus::OnTime
            },
            submission_id: Some(sheet.id),
            submitted_on: Some(sheet.submitted_on),
            entries: sheet.entry_ids.len(),
            read: !sheet.reads.is_empty(),
            displayed: sheet.displayed.is_some(),
        },
        None => SheetView {
            period,
            due_on,
            status: if today > due_on {
                SheetStatus::Missing
            } else {
                SheetStatus::NotDue
            },
            submission_id: None,
            submitted_on: None,
            entries: entries_between(state, person, period.first_day(), period.last_day()).0,
            read: false,
            displayed: false,
        },
    }
}

/// The three sheets of `person` in `month`, as they stand on `today`.
pub fn month_sheets(state: &State, person: &str, month: Month, today: Date) -> Vec<SheetView> {
    month
        .periods()
        .into_iter()
        .map(|period| sheet_view(state, person, period, today))
        .collect()
}

/// (entries written, entries amended) of `person` from `first` to `last`.
fn entries_between(state: &State, person: &str, first: Date, last: Date) -> (usize, usize) {
    state
        .entry_days
        .range((person.to_owned(), first)..=(person.to_owned(), last))
        .fold((0, 0), |(written, amended), (_, id)| {
            let entry = &state.entries[id];
            (
                written + 1,
                amended + usize::from(!entry.amendments.is_empty()),
            )
        })
}

/// An area chief's opinion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpinionView {
    /// The opinion event.
    pub id: Uuid,
    /// The chief.
    pub chief_id: String,
    /// The cadre.
    pub cadre_id: String,
    /// The month.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub month: Month,
    /// The opinion.
    pub text: String,
}

fn opinions_on(state: &State, cadre: &str, month: Month) -> Vec<OpinionView> {
    state
        .opinions
        .iter()
        .filter(|(_, opinion)| opinion.cadre_id == cadre && opinion.month == month)
        .map(|(id, opinion)| OpinionView {
            id: *id,
            chief_id: opinion.chief_id.clone(),
            cadre_id: opinion.cadre_id.clone(),
            month: opinion.month,
            text: opinion.text.clone(),
        })
        .collect()
}

/// A monthly nomination.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NominationView {
    /// The nomination event.
    pub id: Uuid,
    /// The leader.
    pub leader_id: String,
    /// The month.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub month: Month,
    /// Best or worst.
    pub kind: Kind,
    /// The cadre named.
    pub cadre_id: String,
    /// The cadre's name.
    pub name: String,
    /// Why.
    pub reason: String,
    /// What the reason rests on.
    pub cited_ids: Vec<Uuid>,
    /// The policy version.
    pub policy_version: u32,
    /// Why the scores were overridden, if they were: a finding for review.
    pub override_reason: Option<String>,
}

fn nomination_view(state: &State, id: Uuid, nomination: &Nomination) -> NominationView {
    NominationView {
        id,
        leader_id: nomination.leader_id.clone(),
        month: nomination.month,
        kind: nomination.kind,
        cadre_id: nomination.cadre_id.clone(),
        name: name_of(state, &nomination.cadre_id),
        reason: nomination.reason.clone(),
        cited_ids: nomination.cited_ids.clone(),
        policy_version: nomination.policy_version,
        override_reason: nomination.override_reason.clone(),
    }
}

/// How many best and worst a rule asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quota {
    /// Best.
    pub best: u32,
    /// Worst.
    pub worst: u32,
}

/// A leader's scores of a supervisee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreView {
    /// The five scores, tenths of a point.
    pub scores: Scores,
    /// The weighted total in thousandths of a point, rounded down.
    pub weighted_total_milli: u64,
}

/// One supervisee in a leader's month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuperviseeMonth {
    /// The cadre.
    pub person_id: String,
    /// The name.
    pub name: String,
    /// Entries written in the month.
    pub entries: usize,
    /// Of them, entries corrected by an amendment.
    pub amended: usize,
    /// The month's three sheets, those the leader supervised.
    pub sheets: Vec<SheetView>,
    /// The area chiefs' opinions of the month.
    pub opinions: Vec<OpinionView>,
    /// The leader's scores, under numeric scoring.
    pub scores: Option<ScoreView>,
}

/// A supervising leader's month: whom they supervised, the records and opinions to hear, and
/// the nominations made (一评).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaderMonth {
    /// The leader.
    pub leader_id: String,
    /// The name.
    pub name: String,
    /// The month.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub month: Month,
    /// The policy version in force for the month's rating.
    pub policy_version: Option<u32>,
    /// Whether the month is rated by numeric scoring.
    pub scoring: bool,
    /// The day the nominations are due.
    pub nominations_due: Option<Date>,
    /// Best and worst a leader names under the policy.
    pub quota: Option<Quota>,
    /// Every cadre the leader supervised on some day of the month.
    pub supervisees: Vec<SuperviseeMonth>,
    /// The nominations the leader made for the month.
    pub nominations: Vec<NominationView>,
    /// Under numeric scoring, whom the scores give as best.
    pub scored_best: Option<String>,
    /// Under numeric scoring, whom the scores give as worst.
    pub scored_worst: Option<String>,
}

impl LeaderMonth {
    /// The sheets handed in that the leader has not read yet.
    pub fn unread_sheets(&self) -> usize {
        self.supervisees
            .iter()
            .flat_map(|supervisee| &supervisee.sheets)
            .filter(|sheet| sheet.waits_for_reading())
            .count()
    }
}

/// The month of `leader`, as the state stands, with `today` deciding what is overdue.
pub fn leader_month(state: &State, leader: &str, month: Month, today: Date) -> LeaderMonth {
    let policy = state.policy_on(month.last_day());
    let scoring = policy.and_then(|policy| policy.scoring.as_ref());
    let supervisees = state
        .supervisees(leader, month)
        .iter()
        .map(|cadre| {
            let (entries, amended) =
                entries_between(state, cadre, month.first_day(), month.last_day());
            SuperviseeMonth {
                person_id: cadre.clone(),
                name: name_of(state, cadre),
                entries,
                amended,
                sheets: month
                    .periods()
                    .into_iter()
                    .filter(|period| state.supervisor_on(cadre, period.last_day()) == Some(leader))
                    .map(|period| sheet_view(state, cadre, period, today))
                    .collect(),
                opinions: opinions_on(state, cadre, month),
                scores: state
                    .scores
                    .get(&(leader.to_owned(), month, cadre.clone()))
                    .map(|scores| ScoreView {
                        scores: *scores,
                        weighted_total_milli: scoring
                            .map_or(0, |scoring| scoring.weighted_total(scores) / 100),
                    }),
            }
        })
        .collect();
    LeaderMonth {
        leader_id: leader.into(),
        name: name_of(state, leader),
        month,
        policy_version: policy.map(|policy| policy.version),
        scoring: scoring.is_some(),
        nominations_due: state.nomination_due(month),
        quota: policy.map(|policy| Quota {
            best: policy.leader_best_count,
            worst: policy.leader_worst_count,
        }),
        supervisees,
        nominations: state
            .nominations
            .iter()
            .filter(|(_, nomination)| nomination.leader_id == leader && nomination.month == month)
            .map(|(id, nomination)| nomination_view(state, *id, nomination))
            .collect(),
        scored_best: state.scored_choice(leader, month, Kind::Best),
        scored_worst: state.scored_choice(leader, month, Kind::Worst),
    }
}

/// One person in a quarter's pool, with how often they were nominated (人次).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolEntry {
    /// The cadre.
    pub person_id: String,
    /// The name.
    pub name: String,
    /// Nominations of this kind in the quarter.
    pub times: usize,
    /// The nominations.
    pub nominations: Vec<Uuid>,
    /// The leaders who named them.
    pub leaders: Vec<String>,
}

/// A quarter's pool of one kind, most nominated first, then by roster id: the ranking the
/// decision is drawn from.
pub fn pool_ranking(state: &State, quarter: Quarter, kind: Kind) -> Vec<PoolEntry> {
    let mut by_person: BTreeMap<&str, PoolEntry> = BTreeMap::new();
    for (id, nomination) in state.pool(quarter, kind) {
        let entry = by_person
            .entry(nomination.cadre_id.as_str())
            .or_insert_with(|| PoolEntry {
                person_id: nomination.cadre_id.clone(),
                name: name_of(state, &nomination.cadre_id),
                times: 0,
                nominations: Vec::new(),
                leaders: Vec::new(),
            });
        entry.times += 1;
        entry.nominations.push(*id);
        if !entry.leaders.contains(&nomination.leader_id) {
            entry.leaders.push(nomination.leader_id.clone());
        }
    }
    let mut ranking: Vec<PoolEntry> = by_person.into_values().collect();
    ranking.sort_by(|a, b| b.times.cmp(&a.times).then(a.person_id.cmp(&b.person_id)));
    ranking
}

/// A proposed quarterly decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalView {
    /// The proposal event.
    pub id: Uuid,
    /// Who proposed it.
    pub proposer_id: String,
    /// As the party secretary or the mayor.
    pub proposer_role: Role,
    /// Best workers.
    pub best: Vec<String>,
    /// Worst workers.
    pub worst: Vec<String>,
    /// The policy version.
    pub policy_version: u32,
    /// Whether it is the quarter's latest proposal (the one a co-signature can put in force).
    pub latest: bool,
}

/// The decision in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionView {
    /// The proposal put in force.
    pub proposal_id: Uuid,
    /// The co-signature.
    pub cosign_id: Uuid,
    /// Who co-signed.
    pub cosigner_id: String,
    /// The day.
    pub cosigned_on: Date,
}

/// One designation of a decision in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DesignationView {
    /// Best or worst.
    pub kind: Kind,
    /// Who.
    pub person_id: String,
    /// The name.
    pub name: String,
    /// Whether it stands after appeals (false once overturned).
    #[serde(rename = "final")]
    pub stands: bool,
    /// The appeal against it, if any.
    pub appeal_id: Option<Uuid>,
}

/// The answer to an appeal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerView {
    /// The answer event.
    pub id: Uuid,
    /// Upheld or overturned.
    pub outcome: Outcome,
    /// The reasons.
    pub reasons: String,
    /// The day it was answered.
    pub answered_on: Date,
}

/// An appeal with its deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppealView {
    /// The appeal event.
    pub id: Uuid,
    /// The quarter.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub quarter: Quarter,
    /// Whose designation.
    pub person_id: String,
    /// The name.
    pub name: String,
    /// Which designation.
    pub kind: Kind,
    /// Who appealed.
    pub appellant_id: String,
    /// The grounds.
    pub grounds: String,
    /// The day it was filed.
    pub filed_on: Date,
    /// The day the answer is due.
    pub due_on: Date,
    /// Days from `today` to the due day (negative once past it); for an answered appeal, from
    /// the answer.
    pub days_left: i64,
    /// The answer, if given.
    pub answer: Option<AnswerView>,
    /// Answered after its due day, or unanswered past it: a breach of the 5-day rule.
    pub breached: bool,
}

/// Days from `from` to `to`. Between two dates of jiff's range the span in days always exists;
/// were it not to, the difference reads as none rather than panicking.
fn days_between(from: Date, to: Date) -> i64 {
    from.until(to).map_or(0, |span| i64::from(span.get_days()))
}

fn appeal_view(state: &State, id: Uuid, appeal: &Appeal, today: Date) -> AppealView {
    let reference = appeal
        .answer
        .as_ref()
        .map_or(today, |answer| answer.answered_on);
    AppealView {
        id,
        quarter: appeal.quarter,
        person_id: appeal.person_id.clone(),
        name: name_of(state, &appeal.person_id),
        kind: appeal.kind,
        appellant_id: appeal.appellant_id.clone(),
        grounds: appeal.grounds.clone(),
        filed_on: appeal.filed_on,
        due_on: appeal.due_on,
        days_left: days_between(reference, appeal.due_on),
        answer: appeal.answer.as_ref().map(|answer| AnswerView {
            id: answer.id,
            outcome: answer.outcome,
            reasons: answer.reasons.clone(),
            answered_on: answer.answered_on,
        }),
        breached: appeal.breached(today),
    }
}

/// A sanction with its follow-ups.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SanctionView {
    /// The sanction event.
    pub id: Uuid,
    /// Who.
    pub person_id: String,
    /// The name.
    pub name: String,
    /// The quarter of its cause.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub quarter: Quarter,
    /// Which sanction.
    pub sanction: SanctionKind,
    /// Uplift in basis points.
    pub bonus_bp: Option<u32>,
    /// Rectification deadline.
    pub rectify_by: Option<Date>,
    /// Its causes.
    pub caused_by: Vec<Uuid>,
    /// The day imposed.
    pub imposed_on: Date,
    /// The revocation, if revoked on appeal.
    pub revoked_by: Option<Uuid>,
    /// For a talk: the record of it.
    pub talk_held: Option<Uuid>,
    /// For a rectification: the plan.
    pub plan: Option<Uuid>,
    /// For a rectification: the confirmation of completion.
    pub completed: Option<Uuid>,
    /// For a rectification: not completed by its deadline (as of `today`).
    pub rectification_late: bool,
}

/// The sanctions that pass `keep`, by person, then quarter, then the order the rules derive them.
fn sanction_views(
    state: &State,
    today: Date,
    keep: impl Fn(&Sanction) -> bool,
) -> Vec<SanctionView> {
    let mut views: Vec<SanctionView> = state
        .sanctions
        .iter()
        .filter(|(_, sanction)| keep(sanction))
        .map(|(id, sanction)| sanction_view(state, *id, sanction, today))
        .collect();
    views.sort_by(|a, b| {
        (&a.person_id, a.quarter, a.sanction, a.id).cmp(&(
            &b.person_id,
            b.quarter,
            b.sanction,
            b.id,
        ))
    });
    views
}

fn sanction_view(state: &State, id: Uuid, sanction: &Sanction, today: Date) -> SanctionView {
    SanctionView {
        id,
        person_id: sanction.person_id.clone(),
        name: name_of(state, &sanction.person_id),
        quarter: sanction.quarter,
        sanction: sanction.sanction,
        bonus_bp: sanction.bonus_bp,
        rectify_by: sanction.rectify_by,
        caused_by: sanction.caused_by.clone(),
        imposed_on: sanction.imposed_on,
        revoked_by: sanction.revoked_by,
        talk_held: sanction.talk_held.map(|(id, _)| id),
        plan: sanction.plan.map(|(id, _)| id),
        completed: sanction.completed.map(|(id, _)| id),
        rectification_late: sanction.rectification_late(today),
    }
}

/// A quarter at a glance: the pools ranked, the proposals, the decision in force and its
/// publication, the designations after appeals, the appeals, and the sanctions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuarterBoard {
    /// The quarter.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub quarter: Quarter,
    /// The policy version in force on its last day.
    pub policy_version: Option<u32>,
    /// Best and worst workers the decision selects under that policy.
    pub selection_counts: Option<Quota>,
    /// The best pool, ranked.
    pub best_pool: Vec<PoolEntry>,
    /// The worst pool, ranked.
    pub worst_pool: Vec<PoolEntry>,
    /// Every proposal, oldest first.
    pub proposals: Vec<ProposalView>,
    /// The decision in force.
    pub decision: Option<DecisionView>,
    /// The public notice.
    pub publication: Option<Publication>,
    /// The designations of the decision in force.
    pub designations: Vec<DesignationView>,
    /// The appeals against them.
    pub appeals: Vec<AppealView>,
    /// The sanctions of the quarter, revoked ones included (marked).
    pub sanctions: Vec<SanctionView>,
}

/// The board of `quarter`.
pub fn quarter_board(state: &State, quarter: Quarter, today: Date) -> QuarterBoard {
    let policy = state.policy_on(quarter.last_day());
    let latest = state.latest_proposal.get(&quarter);
    let decision = state.decisions.get(&quarter);
    let appeals: Vec<AppealView> = state
        .appeals
        .iter()
        .filter(|(_, appeal)| appeal.quarter == quarter)
        .map(|(id, appeal)| appeal_view(state, *id, appeal, today))
        .collect();
    let designations = decision
        .map(|decision| {
            let proposal = &state.proposals[&decision.proposal_id];
            [(Kind::Best, &proposal.best), (Kind::Worst, &proposal.worst)]
                .into_iter()
                .flat_map(|(kind, listed)| listed.iter().map(move |person| (kind, person)))
                .map(|(kind, person)| DesignationView {
                    kind,
                    person_id: person.clone(),
                    name: name_of(state, person),
                    stands: state.finally_designated(quarter, kind, person),
                    appeal_id: appeals
                        .iter()
                        .find(|appeal| appeal.kind == kind && appeal.person_id == *person)
                        .map(|appeal| appeal.id),
                })
                .collect()
        })
        .unwrap_or_default();
    QuarterBoard {
        quarter,
        policy_version: policy.map(|policy| policy.version),
        selection_counts: policy.map(|policy| Quota {
            best: policy.quarter_best_count,
            worst: policy.quarter_worst_count,
        }),
        best_pool: pool_ranking(state, quarter, Kind::Best),
        worst_pool: pool_ranking(state, quarter, Kind::Worst),
        proposals: state
            .proposals
            .iter()
            .filter(|(_, proposal)| proposal.quarter == quarter)
            .map(|(id, proposal)| ProposalView {
                id: *id,
                proposer_id: proposal.proposer_id.clone(),
                proposer_role: proposal.proposer_role,
                best: proposal.best.clone(),
                worst: proposal.worst.clone(),
                policy_version: proposal.policy_version,
                latest: latest == Some(id),
            })
            .collect(),
        decision: decision.map(|decision| DecisionView {
            proposal_id: decision.proposal_id,
            cosign_id: decision.cosign_id,
            cosigner_id: decision.cosigner_id.clone(),
            cosigned_on: decision.cosigned_on,
        }),
        publication: state.publications.get(&quarter).cloned(),
        designations,
        appeals,
        sanctions: sanction_views(state, today, |sanction| sanction.quarter == quarter),
    }
}

/// The appeal queue: open appeals by due day, then answered ones, latest answer first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppealQueue {
    /// The day the queue is read on.
    pub today: Date,
    /// Appeals not yet answered, the most urgent first.
    pub open: Vec<AppealView>,
    /// Answered appeals, the latest first.
    pub answered: Vec<AppealView>,
    /// How many appeals, open or answered, breached their deadline.
    pub breaches: usize,
}

/// The appeal queue on `today`.
pub fn appeal_queue(state: &State, today: Date) -> AppealQueue {
    let (mut open, mut answered): (Vec<AppealView>, Vec<AppealView>) = state
        .appeals
        .iter()
        .map(|(id, appeal)| appeal_view(state, *id, appeal, today))
        .partition(|appeal| appeal.answer.is_none());
    open.sort_by(|a, b| a.due_on.cmp(&b.due_on).then(a.id.cmp(&b.id)));
    answered.sort_by(|a, b| {
        let day = |appeal: &AppealView| appeal.answer.as_ref().map(|answer| answer.answered_on);
        day(b).cmp(&day(a)).then(b.id.cmp(&a.id))
    });
    let breaches = open
        .iter()
        .chain(&answered)
        .filter(|appeal| appeal.breached)
        .count();
    AppealQueue {
        today,
        open,
        answered,
        breaches,
    }
}

/// What a person's designations do to their pay in a year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonPay {
    /// Who.
    pub person_id: String,
    /// The name.
    pub name: String,
    /// The year.
    pub year: i16,
    /// The share of the normal quarterly bonus paid for each quarter, in basis points:
    /// 10,000 normally, more with a best worker's uplift, 0 when withheld.
    pub quarterly_bonus_bp: [u32; 4],
    /// The share of the normal year-end bonus paid, in basis points.
    pub year_end_bonus_bp: u32,
    /// Whether the year's quarterly and year-end bonuses are withheld (three consecutive
    /// worst designations).
    pub bonuses_withheld: bool,
    /// Whether only the basic salary is paid.
    pub basic_salary_only: bool,
    /// The sanctions in force behind these figures.
    pub causes: Vec<Uuid>,
}

impl PersonPay {
    /// Whether anything differs from normal pay.
    pub fn affected(&self) -> bool {
        !self.causes.is_empty()
    }
}

/// The pay effects of `person` in `year`, from the sanctions in force (revoked ones do not
/// count).
pub fn person_pay(state: &State, person: &str, year: i16) -> PersonPay {
    const NORMAL_BP: u32 = 10_000;
    let mut pay = PersonPay {
        person_id: person.into(),
        name: name_of(state, person),
        year,
        quarterly_bonus_bp: [NORMAL_BP; 4],
        year_end_bonus_bp: NORMAL_BP,
        bonuses_withheld: false,
        basic_salary_only: false,
        causes: Vec::new(),
    };
    let quarters = Quarter::of_year(year);
    for (id, sanction) in &state.sanctions {
        if sanction.person_id != person
            || sanction.revoked_by.is_some()
            || sanction.quarter.year() != year
        {
            continue;
        }
        let index = quarters
            .iter()
            .position(|quarter| *quarter == sanction.quarter)
            .expect("a quarter of the year");
        if !sanction.sanction.affects_pay() {
            continue;
        }
        match sanction.sanction {
            SanctionKind::QuarterlyBonusUplift => {
                pay.quarterly_bonus_bp[index] += sanction.bonus_bp.unwrap_or(0);
            }
            SanctionKind::YearEndBonusUplift => {
                pay.year_end_bonus_bp += sanction.bonus_bp.unwrap_or(0);
            }
            SanctionKind::BonusesWithheld => pay.bonuses_withheld = true,
            SanctionKind::BasicSalaryOnly => pay.basic_salary_only = true,
            _ => {}
        }
        pay.causes.push(*id);
    }
    if pay.bonuses_withheld {
        pay.quarterly_bonus_bp = [0; 4];
        pay.year_end_bonus_bp = 0;
    }
    pay
}

/// The pay effects of `year` for everyone whose pay differs from normal, by roster id.
pub fn pay_effects(state: &State, year: i16) -> Vec<PersonPay> {
    let mut people: Vec<&str> = state
        .sanctions
        .values()
        .filter(|sanction| sanction.quarter.year() == year && sanction.revoked_by.is_none())
        .map(|sanction| sanction.person_id.as_str())
        .collect();
    people.sort_unstable();
    people.dedup();
    people
        .into_iter()
        .map(|person| person_pay(state, person, year))
        .filter(PersonPay::affected)
        .collect()
}

/// One designation of a person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonDesignation {
    /// The quarter.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub quarter: Quarter,
    /// Best or worst.
    pub kind: Kind,
    /// Whether it stands after appeals.
    #[serde(rename = "final")]
    pub stands: bool,
    /// The co-signature that put it in force.
    pub cosign_id: Uuid,
}

/// One month of a person's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonMonth {
    /// The month.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub month: Month,
    /// Entries written.
    pub entries: usize,
    /// Of them, corrected by amendment.
    pub amended: usize,
    /// The three sheets.
    pub sheets: Vec<SheetView>,
    /// Area chiefs' opinions.
    pub opinions: Vec<OpinionView>,
    /// Nominations naming the person.
    pub nominations: Vec<NominationView>,
}

/// A role held over a span of days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleView {
    /// The role.
    pub role: Role,
    /// The first day.
    pub from: Date,
    /// The last day, if any.
    pub until: Option<Date>,
}

/// Sheets counted over a span.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SheetCounts {
    /// Handed in.
    pub handed_in: usize,
    /// Of them, handed in after their due day.
    pub late: usize,
    /// Not handed in, and past their due day.
    pub missing: usize,
}

/// A person's year: the timeline of records, sheets, opinions and nominations month by month,
/// the designations, appeals and sanctions, the streak of worst designations, and pay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonYear {
    /// Who.
    pub person_id: String,
    /// The name.
    pub name: String,
    /// The year.
    pub year: i16,
    /// Every role span held.
    pub roles: Vec<RoleView>,
    /// Month by month, up to `today`.
    pub months: Vec<PersonMonth>,
    /// The year's sheets so far.
    pub sheet_counts: SheetCounts,
    /// Designations of the year's quarters.
    pub designations: Vec<PersonDesignation>,
    /// Appeals about the person.
    pub appeals: Vec<AppealView>,
    /// Sanctions of the year's quarters, with their follow-ups.
    pub sanctions: Vec<SanctionView>,
    /// Consecutive quarters of final worst designation, up to the latest decided quarter of
    /// the year.
    pub worst_streak: u32,
    /// The policy's count of consecutive worst that withholds the year's bonuses.
    pub worst_streak_limit: Option<u32>,
    /// Pay effects of the year.
    pub pay: PersonPay,
}

/// The year of `person` as the state stands on `today` (months after `today` are left out).
pub fn person_year(state: &State, person: &str, year: i16, today: Date) -> PersonYear {
    let quarters = Quarter::of_year(year);
    let holds_cadre = |day: Date| state.holds(person, Role::Cadre, day);
    let months: Vec<PersonMonth> = quarters
        .iter()
        .flat_map(|quarter| quarter.months())
        .filter(|month| month.first_day() <= today)
        .map(|month| {
            let (entries, amended) =
                entries_between(state, person, month.first_day(), month.last_day());
            PersonMonth {
                month,
                entries,
                amended,
                sheets: month
                    .periods()
                    .into_iter()
                    .filter(|period| {
                        holds_cadre(period.last_day())
                            || state.sheets.contains_key(&(person.to_owned(), *period))
                    })
                    .map(|period| sheet_view(state, person, period, today))
                    .collect(),
                opinions: opinions_on(state, person, month),
                nominations: state
                    .nominations
                    .iter()
                    .filter(|(_, nomination)| {
                        nomination.cadre_id == person && nomination.month == month
                    })
                    .map(|(id, nomination)| nomination_view(state, *id, nomination))
                    .collect(),
            }
        })
        .collect();
    let sheets = months.iter().flat_map(|month| &month.sheets);
    let sheet_counts = sheets.fold(SheetCounts::default(), |mut counts, sheet| {
        match sheet.status {
            SheetStatus::OnTime => counts.handed_in += 1,
            SheetStatus::Late => {
                counts.handed_in += 1;
                counts.late += 1;
            }
            SheetStatus::Missing => counts.missing += 1,
            SheetStatus::NotDue => {}
        }
        counts
    });
    let mut designations = Vec::new();
    for quarter in quarters {
        let Some(decision) = state.decisions.get(&quarter) else {
            continue;
        };
        let proposal = &state.proposals[&decision.proposal_id];
        for (kind, listed) in [(Kind::Best, &proposal.best), (Kind::Worst, &proposal.worst)] {
            if listed.iter().any(|listed| listed == person) {
                designations.push(PersonDesignation {
                    quarter,
                    kind,
                    stands: state.finally_designated(quarter, kind, person),
                    cosign_id: decision.cosign_id,
                });
            }
        }
    }
    // The streak runs back from the latest decided quarter of the year, through earlier years
    // too, as consecutive worst designations do.
    let mut worst_streak = 0;
    if let Some(mut quarter) = quarters
        .into_iter()
        .rev()
        .find(|quarter| state.decisions.contains_key(quarter))
    {
        while state.finally_designated(quarter, Kind::Worst, person) {
            worst_streak += 1;
            quarter = quarter.previous();
        }
    }
    let last_day = quarters[3].last_day();
    PersonYear {
        person_id: person.into(),
        name: name_of(state, person),
        year,
        roles: state
            .people
            .get(person)
            .map(|person| {
                person
                    .roles
                    .iter()
                    .map(|span| RoleView {
                        role: span.role,
                        from: span.from,
                        until: span.until,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        months,
        sheet_counts,
        designations,
        appeals: state
            .appeals
            .iter()
            .filter(|(_, appeal)| appeal.person_id == person && appeal.quarter.year() == year)
            .map(|(id, appeal)| appeal_view(state, *id, appeal, today))
            .collect(),
        sanctions: sanction_views(state, today, |sanction| {
            sanction.person_id == person && sanction.quarter.year() == year
        }),
        worst_streak,
        worst_streak_limit: state
            .policy_on(last_day.min(today))
            .map(|policy| policy.consecutive_worst_count),
        pay: person_pay(state, person, year),
    }
}

/// What a cadre's own record asks of them today: whether today's entry is written, and the
/// sheets of this month and the last whose period is over but not yet handed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordDue {
    /// Whether today has an entry.
    pub written_today: bool,
    /// The periods over and not handed in, oldest first.
    pub sheets_due: Vec<Period>,
}

/// The record of `person` as it stands on `today`.
pub fn record_due(state: &State, person: &str, today: Date) -> RecordDue {
    let this_month = Month::of(today);
    let last_month = this_month.first_day().yesterday().ok().map(Month::of);
    let sheets_due = last_month
        .into_iter()
        .chain([this_month])
        .flat_map(|month| month.periods())
        .filter(|period| period.last_day() < today)
        .filter(|period| !state.sheets.contains_key(&(person.to_owned(), *period)))
        .collect();
    RecordDue {
        written_today: state.entry_days.contains_key(&(person.to_owned(), today)),
        sheets_due,
    }
}

/// One entry of a person's month as they read it: the latest text, and the original when
/// corrected since.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntryView {
    /// The entry event.
    pub id: Uuid,
    /// Its day.
    pub date: Date,
    /// The first line, as last corrected.
    pub did: String,
    /// The second line, as last corrected.
    pub learned: String,
    /// The two lines as first written, when corrected since.
    pub original: Option<(String, String)>,
    /// The reason of each correction, oldest first.
    pub reasons: Vec<String>,
    /// Whether its sheet was handed in (then it is corrected, not rewritten).
    pub submitted: bool,
}

/// Where a view reads what the state does not keep: the payload of an event, by its id (the
/// lines of an entry, and of each correction with its reason). The engine reads it from the
/// ledger; `None` for an event it does not hold yet.
pub trait EventPayloads {
    /// The payload of the event `id`.
    fn payload(&self, id: Uuid) -> Option<serde_json::Value>;
}

/// The payloads of events held in memory, by id: for tests and tools that fold events they
/// hold.
impl EventPayloads for std::collections::HashMap<Uuid, serde_json::Value> {
    fn payload(&self, id: Uuid) -> Option<serde_json::Value> {
        self.get(&id).cloned()
    }
}

/// The two lines and the reason of a payload, as text (empty where absent).
fn lines_of(payload: Option<&serde_json::Value>) -> (String, String, String) {
    let text = |member: &str| {
        payload
            .and_then(|payload| payload[member].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    (text("did"), text("learned"), text("reason"))
}

/// The entries of `person` in `month`, by day, their texts read through `payloads`.
pub fn month_entries(
    state: &State,
    payloads: &dyn EventPayloads,
    person: &str,
    month: Month,
) -> Vec<EntryView> {
    state
        .entry_days
        .range((person.to_owned(), month.first_day())..=(person.to_owned(), month.last_day()))
        .map(|(_, id)| {
            let entry = &state.entries[id];
            let (did, learned, _) = lines_of(payloads.payload(*id).as_ref());
            let corrections: Vec<(String, String, String)> = entry
                .amendments
                .iter()
                .map(|amendment| lines_of(payloads.payload(*amendment).as_ref()))
                .collect();
            let latest = corrections.last();
            EntryView {
                id: *id,
                date: entry.date,
                did: latest.map_or(&did, |(did, _, _)| did).clone(),
                learned: latest.map_or(&learned, |(_, learned, _)| learned).clone(),
                original: latest.map(|_| (did.clone(), learned.clone())),
                reasons: corrections
                    .iter()
                    .map(|(_, _, reason)| reason.clone())
                    .collect(),
                submitted: state
                    .sheets
                    .contains_key(&(person.to_owned(), Period::of(entry.date))),
            }
        })
        .collect()
}

/// One ten-day sheet as the leader who signs it off reads it: its entries with their
/// corrections, the area chiefs' opinions of the month beside it, and who has read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SheetPage {
    /// Whose sheet.
    pub person_id: String,
    /// Their name.
    pub name: String,
    /// Where the sheet stands.
    pub sheet: SheetView,
    /// The entries of its days (as handed in, or as written so far), by day.
    pub entries: Vec<EntryView>,
    /// The area chiefs' opinions of the sheet's month, with the chiefs' names.
    pub opinions: Vec<(String, OpinionView)>,
    /// Who read it (name) and what they wrote.
    pub reads: Vec<(String, String)>,
    /// The leader who supervised the person on the period's last day: the one who reads it.
    pub leader_id: Option<String>,
}

/// The sheet of `person` for `period`, its texts read through `payloads`.
pub fn sheet_page(
    state: &State,
    payloads: &dyn EventPayloads,
    person: &str,
    period: Period,
    today: Date,
) -> SheetPage {
    let entries = month_entries(state, payloads, person, Month::of(period.first_day()))
        .into_iter()
        .filter(|entry| Period::of(entry.date) == period)
        .collect();
    let reads = state
        .sheets
        .get(&(person.to_owned(), period))
        .map(|sheet| {
            sheet
                .reads
                .iter()
                .map(|(reader, comment)| (name_of(state, reader), comment.clone()))
                .collect()
        })
        .unwrap_or_default();
    SheetPage {
        person_id: person.to_owned(),
        name: name_of(state, person),
        sheet: sheet_view(state, person, period, today),
        entries,
        opinions: opinions_on(state, person, Month::of(period.first_day()))
            .into_iter()
            .map(|opinion| (name_of(state, &opinion.chief_id), opinion))
            .collect(),
        reads,
        leader_id: state
            .supervisor_on(person, period.last_day())
            .map(str::to_owned),
    }
}

/// One person of the staff directory, as the roster stands on a day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StaffMember {
    /// The person.
    pub person_id: String,
    /// The name.
    pub name: String,
    /// The roles held that day.
    pub roles: Vec<Role>,
    /// The area (片) they belong to that day, if any.
    pub area: Option<String>,
    /// Their supervising leader that day: (id, name).
    pub leader: Option<(String, String)>,
    /// Their area chief that day: (id, name).
    pub chief: Option<(String, String)>,
}

/// What the directory is narrowed to; empty fields narrow nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StaffFilter {
    /// Part of a name (or the id, for the office's lookups).
    pub text: String,
    /// A role held that day.
    pub role: Option<Role>,
    /// An area.
    pub area: Option<String>,
    /// A supervising leader's id.
    pub leader: Option<String>,
}

/// The staff directory on `day`, narrowed by `filter`, in roster order; and the areas and
/// supervising leaders there are that day, for the filter's choices.
pub fn staff_directory(
    state: &State,
    day: Date,
    filter: &StaffFilter,
) -> (Vec<StaffMember>, Vec<String>, Vec<(String, String)>) {
    let named = |id: &str| (id.to_owned(), name_of(state, id));
    let all: Vec<StaffMember> = state
        .people
        .iter()
        .map(|(id, person)| StaffMember {
            person_id: id.clone(),
            name: person.name.clone(),
            roles: Role::ASSIGNABLE
                .into_iter()
                .filter(|role| state.holds(id, *role, day))
                .collect(),
            area: person
                .areas
                .iter()
                .rev()
                .find(|(from, _, _)| *from <= day)
                .map(|(_, area, _)| area.clone())
                .filter(|area| !area.is_empty()),
            leader: state.supervisor_on(id, day).map(named),
            chief: state.chief_on(id, day).map(named),
        })
        .collect();
    let mut areas: Vec<String> = all
        .iter()
        .filter_map(|member| member.area.clone())
        .collect();
    areas.sort();
    areas.dedup();
    let leaders: Vec<(String, String)> = all
        .iter()
        .filter(|member| member.roles.contains(&Role::SupervisingLeader))
        .map(|member| (member.person_id.clone(), member.name.clone()))
        .collect();
    let text = filter.text.trim();
    let members =
        all.into_iter()
            .filter(|member| {
                (text.is_empty() || member.name.contains(text) || member.person_id == text)
                    && filter.role.is_none_or(|role| member.roles.contains(&role))
                    && filter
                        .area
                        .as_ref()
                        .is_none_or(|area| member.area.as_ref() == Some(area))
                    && filter.leader.as_ref().is_none_or(|leader| {
                        member.leader.as_ref().map(|(id, _)| id) == Some(leader)
                    })
            })
            .collect();
    (members, areas, leaders)
}

/// One cadre of an area chief's area in a month, with the opinions given on them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AreaCadre {
    /// The cadre.
    pub person_id: String,
    /// The name.
    pub name: String,
    /// The opinions of the month about them, by any chief.
    pub opinions: Vec<String>,
}

/// An area chief's month: the cadres of the area on the month's last day, and how many
/// opinions the chief gave that month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AreaMonth {
    /// The cadres, in roster order.
    pub cadres: Vec<AreaCadre>,
    /// The opinions the chief gave for the month.
    pub opinions_given: usize,
}

/// The area of `chief` in `month`.
pub fn area_month(state: &State, chief: &str, month: Month) -> AreaMonth {
    let cadres = state
        .people
        .iter()
        .filter(|(id, _)| state.chief_on(id, month.last_day()) == Some(chief))
        .map(|(id, person)| AreaCadre {
            person_id: id.clone(),
            name: person.name.clone(),
            opinions: state
                .opinions
                .values()
                .filter(|opinion| opinion.cadre_id == *id && opinion.month == month)
                .map(|opinion| opinion.text.clone())
                .collect(),
        })
        .collect();
    AreaMonth {
        cadres,
        opinions_given: state
            .opinions
            .values()
            .filter(|opinion| opinion.chief_id == chief && opinion.month == month)
            .count(),
    }
}

/// How far a quarter's decision has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuarterStage {
    /// No proposal yet.
    NotProposed,
    /// Proposed, awaiting the co-signature.
    Proposed,
    /// Co-signed and in force, not yet published.
    InForce,
    /// In force and published.
    Published,
}

/// The stage of `quarter`'s decision.
pub fn quarter_stage(state: &State, quarter: Quarter) -> QuarterStage {
    if state.publications.contains_key(&quarter) {
        QuarterStage::Published
    } else if state.decisions.contains_key(&quarter) {
        QuarterStage::InForce
    } else if state.latest_proposal.contains_key(&quarter) {
        QuarterStage::Proposed
    } else {
        QuarterStage::NotProposed
    }
}
