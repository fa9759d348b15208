//! `decide`: given the state, a command, who acts and when, either the events to append or a
//! refusal that says which rule refused. Each command has its rule in `rules/`; this is the
//! dispatcher. Nothing here reads the clock or the disk: the time of the act is an argument.

use kaohe_ledger::event::EventDraft;
use uuid::Uuid;

pub use crate::commands::Command;
pub use crate::refusal::{Refusal, RefusalKind};
use crate::rules::{
    Context, appeals, calendar, decisions, follow_ups, key_tasks, policy, rankings, ratings,
    records, roster, spot_checks, three_lists, tokens, units,
};
use crate::state::State;

/// Who acts, and when (RFC 3339 with offset).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Act {
    /// The person acting.
    pub person_id: String,
    /// When: the business time of the events the act produces.
    pub time: String,
}

/// The person id of events the rules derive rather than a person decides.
pub const SYSTEM_PERSON: &str = "kaohe";

/// The id of the `index`-th event derived from the act with id `id`: the same time, and bits
/// that differ from `id` and from each other, so a replayed decision derives the same ids.
pub fn derived_id(id: Uuid, index: usize) -> Uuid {
    let mut bytes = *id.as_bytes();
    let index = index as u16;
    bytes[14] ^= 0x5a ^ (index >> 8) as u8;
    bytes[15] ^= index as u8;
    Uuid::from_bytes(bytes)
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
    let cx = Context {
        state,
        act,
        today,
        id,
    };
    match command {
        Command::AdoptPolicy(command) => policy::adopt_policy(&cx, command),
        Command::RegisterPerson(command) => roster::register_person(&cx, command),
        Command::AssignRole(command) => roster::assign_role(&cx, command),
        Command::AssignSupervision(command) => roster::assign_supervision(&cx, command),
        Command::AssignArea(command) => roster::assign_area(&cx, command),
        Command::WriteEntry(command) => records::write_entry(&cx, command),
        Command::AmendEntry(command) => records::amend_entry(&cx, command),
        Command::SubmitSheet(command) => records::submit_sheet(&cx, command),
        Command::ReadSheet(command) => records::read_sheet(&cx, command),
        Command::DisplaySheet(command) => records::display_sheet(&cx, command),
        Command::GiveOpinion(command) => ratings::give_opinion(&cx, command),
        Command::Nominate(command) => ratings::nominate(&cx, command),
        Command::GiveScores(command) => ratings::give_scores(&cx, command),
        Command::ProposeDecision(command) => decisions::propose_decision(&cx, command),
        Command::CosignDecision(command) => decisions::cosign_decision(&cx, command),
        Command::PublishDecision(command) => decisions::publish_decision(&cx, command),
        Command::FileAppeal(command) => appeals::file_appeal(&cx, command),
        Command::AnswerAppeal(command) => appeals::answer_appeal(&cx, command),
        Command::RecordTalk(command) => follow_ups::record_talk(&cx, command),
        Command::PlanRectification(command) => follow_ups::plan_rectification(&cx, command),
        Command::CompleteRectification(command) => follow_ups::complete_rectification(&cx, command),
        Command::IssueToken(command) => tokens::issue_token(&cx, command),
        Command::RevokeToken(command) => tokens::revoke_token(&cx, command),
        Command::RegisterUnit(command) => units::register_unit(&cx, command),
        Command::AssignUnitLeader(command) => units::assign_unit_leader(&cx, command),
        Command::AssignIndicator(command) => units::assign_indicator(&cx, command),
        Command::RecordCityScores(command) => rankings::record_city_scores(&cx, command),
        Command::FulfilConsequence(command) => rankings::fulfil_consequence(&cx, command),
        Command::ScoreVillages(command) => rankings::score_villages(&cx, command),
        Command::PublishVillageRanking(command) => rankings::publish_village_ranking(&cx, command),
        Command::ReportVillageWork(command) => rankings::report_village_work(&cx, command),
        Command::RecordSpotCheck(command) => spot_checks::record_spot_check(&cx, command),
        Command::JustifyAbsence(command) => spot_checks::justify_absence(&cx, command),
        Command::ReviewAbsence(command) => spot_checks::review_absence(&cx, command),
        Command::RegisterKeyTask(command) => key_tasks::register_key_task(&cx, command),
        Command::ReportKeyTaskProgress(command) => key_tasks::report_progress(&cx, command),
        Command::FollowUpKeyTask(command) => key_tasks::follow_up(&cx, command),
        Command::ReviewKeyTasks(command) => key_tasks::review_key_tasks(&cx, command),
        Command::OpenListItem(command) => three_lists::open_item(&cx, command),
        Command::AnalyseListItem(command) => three_lists::analyse_item(&cx, command),
        Command::CloseListItem(command) => three_lists::close_item(&cx, command),
        Command::VerifyListItem(command) => three_lists::verify_item(&cx, command),
        Command::ReopenListItem(command) => three_lists::reopen_item(&cx, command),
        Command::RecordCalendar(command) => calendar::record_calendar(&cx, command),
    }
}
