//! Key tasks (001: 30项重点工作): each registered along a line of responsibility (分线负责制:
//! the owning leader and unit) with milestones due in its year; progress reported by its
//! owner; followed by the supervision office (督查室) and inspection tours (巡查), a problem
//! found going on the three lists at once; and reviewed item by item at mid-year (逐项点评).

use std::collections::BTreeSet;

use kaohe_ledger::event::EventDraft;

use super::Context;
use super::units::need;
use crate::commands::{FollowUpKeyTask, RegisterKeyTask, ReportKeyTaskProgress, ReviewKeyTasks};
use crate::refusal::Refusal;
use crate::units::derive::units_policy;
use crate::units::payload;
use crate::units::refusal::{UnitsRefusal, UnitsText};
use crate::units::state::KeyTask;
use crate::units::words::ItemSource;
use crate::words::{DayKind, EventType, Role};

/// The most key tasks a mid-year review names as its causes (the envelope's limit).
const REVIEW_CAUSES_MAX: usize = 64;

/// The roles that own a line of key tasks: the supervising leaders and the principal leaders.
const OWNERS: [Role; 3] = [Role::SupervisingLeader, Role::PartySecretary, Role::Mayor];

/// The office registers a key task under a new code: its owning leader in a leader's role
/// today, its owning unit, its cadres in their role today, and milestones due in its year.
pub(crate) fn register_key_task(
    cx: &Context<'_>,
    command: &RegisterKeyTask,
) -> Result<Vec<EventDraft>, Refusal> {
    cx.need_role(cx.actor(), Role::Office, cx.today)?;
    let units = &cx.state.units;
    if units.key_tasks.contains_key(&command.task_id) {
        return Err(UnitsRefusal::TaskExists(command.task_id.clone()).into());
    }
    need(&command.title, UnitsText::Title)?;
    cx.need_person(&command.leader_id)?;
    if !OWNERS
        .iter()
        .any(|role| cx.state.holds(&command.leader_id, *role, cx.today))
    {
        return Err(Refusal::NotInRole {
            person: command.leader_id.clone(),
            roles: OWNERS.to_vec(),
            date: cx.today,
        });
    }
    if !units.units.contains_key(&command.unit_id) {
        return Err(UnitsRefusal::UnknownUnit(command.unit_id.clone()).into());
    }
    for cadre in &command.cadre_ids {
        cx.need_role(cadre, Role::Cadre, cx.today)?;
    }
    let in_year = |milestone: &payload::Milestone| milestone.due_on.year() == command.year;
    if command.milestones.is_empty() || !command.milestones.iter().all(in_year) {
        return Err(UnitsRefusal::BadMilestones { year: command.year }.into());
    }
    for milestone in &command.milestones {
        need(&milestone.title, UnitsText::Title)?;
    }
    let registered = payload::KeyTaskRegistered {
        task_id: command.task_id.clone(),
        year: command.year,
        title: command.title.clone(),
        leader_id: command.leader_id.clone(),
        unit_id: command.unit_id.clone(),
        cadre_ids: command.cadre_ids.clone(),
        milestones: command.milestones.clone(),
    };
    Ok(vec![cx.draft(
        Role::Office,
        EventType::KeyTaskRegistered,
        &registered,
        Vec::new(),
    )])
}

fn task<'a>(cx: &'a Context<'_>, id: &str) -> Result<&'a KeyTask, Refusal> {
    cx.state
        .units
        .key_tasks
        .get(id)
        .ok_or_else(|| UnitsRefusal::UnknownTask(id.to_owned()).into())
}

/// The owning leader, or the head of the owning unit today, reports progress, reaching at most
/// one milestone not yet reached.
pub(crate) fn report_progress(
    cx: &Context<'_>,
    command: &ReportKeyTaskProgress,
) -> Result<Vec<EventDraft>, Refusal> {
    let actor = cx.actor();
    cx.need_person(actor)?;
    let task = task(cx, &command.task_id)?;
    let role = if actor == task.leader_id
        && let Some(role) = OWNERS
            .into_iter()
            .find(|role| cx.state.holds(actor, *role, cx.today))
    {
        role
    } else if cx.state.units.leads(actor, &task.unit_id, cx.today) {
        Role::UnitLeader
    } else {
        return Err(UnitsRefusal::NotTaskOwner {
            person: actor.into(),
            task: command.task_id.clone(),
        }
        .into());
    };
    if let Some(number) = command.milestone {
        let milestone = (number as usize)
            .checked_sub(1)
            .and_then(|index| task.milestones.get(index))
            .ok_or_else(|| UnitsRefusal::UnknownMilestone {
                task: command.task_id.clone(),
                number,
            })?;
        if milestone.reached.is_some() {
            return Err(UnitsRefusal::MilestoneReached {
                task: command.task_id.clone(),
                number,
            }
            .into());
        }
    }
    need(&command.summary, UnitsText::Summary)?;
    let reported = payload::KeyTaskProgressReported {
        task_id: command.task_id.clone(),
        milestone: command.milestone,
        summary: command.summary.clone(),
    };
    Ok(vec![cx.draft(
        role,
        EventType::KeyTaskProgressReported,
        &reported,
        vec![task.id],
    )])
}

/// The supervision office's head today records a follow-up or an inspection tour held between
/// the task's registration and today. A problem found is put on the three lists in the same
/// act, the owning leader responsible, due the policy's days from today.
pub(crate) fn follow_up(
    cx: &Context<'_>,
    command: &FollowUpKeyTask,
) -> Result<Vec<EventDraft>, Refusal> {
    let actor = cx.actor();
    cx.need_person(actor)?;
    if !cx.state.units.leads_supervision_office(actor, cx.today) {
        return Err(UnitsRefusal::NotSupervisionOffice {
            person: actor.into(),
            date: cx.today,
        }
        .into());
    }
    let task = task(cx, &command.task_id)?;
    if command.held_on < task.registered_on || command.held_on > cx.today {
        return Err(Refusal::DayOutOfRange {
            day: command.held_on,
            earliest: task.registered_on,
            latest: cx.today,
        });
    }
    need(&command.note, UnitsText::Note)?;
    let problem = command
        .problem
        .as_deref()
        .map(str::trim)
        .filter(|problem| !problem.is_empty());
    let policy = match problem {
        Some(_) => Some(units_policy(cx.state, cx.today)?),
        None => None,
    };
    let followed = payload::KeyTaskFollowedUp {
        task_id: command.task_id.clone(),
        kind: command.kind,
        held_on: command.held_on,
        note: command.note.clone(),
        problem: problem.map(str::to_owned),
    };
    let event = cx.draft(
        Role::UnitLeader,
        EventType::KeyTaskFollowedUp,
        &followed,
        vec![task.id],
    );
    let cause = event.id;
    let mut events = vec![event];
    if let (Some(problem), Some(policy)) = (problem, policy) {
        let opened = payload::ListItemOpened {
            problem: format!("{}（{}）：{problem}", task.title, command.kind.name_zh()),
            cause: String::new(),
            measure: String::new(),
            person_id: task.leader_id.clone(),
            source: ItemSource::Inspection,
            document: None,
            due_on: cx
                .state
                .add_days(cx.today, policy.list_item_days, DayKind::Calendar),
            policy_version: cx
                .state
                .policy_on(cx.today)
                .map_or(0, |policy| policy.version),
        };
        events.push(cx.derived(1, EventType::ListItemOpened, &opened, vec![cause]));
    }
    Ok(events)
}

/// The mayor reviews the key tasks of a year item by item, once, on a day of that year not
/// after today: one comment for every task of the year and none for another.
pub(crate) fn review_key_tasks(
    cx: &Context<'_>,
    command: &ReviewKeyTasks,
) -> Result<Vec<EventDraft>, Refusal> {
    cx.need_role(cx.actor(), Role::Mayor, cx.today)?;
    let units = &cx.state.units;
    if units.reviews.contains_key(&command.year) {
        return Err(UnitsRefusal::YearReviewed(command.year).into());
    }
    let first = jiff::civil::Date::new(command.year, 1, 1).unwrap_or(cx.today);
    let last = jiff::civil::Date::new(command.year, 12, 31)
        .unwrap_or(cx.today)
        .min(cx.today);
    if command.held_on < first || command.held_on > last {
        return Err(Refusal::DayOutOfRange {
            day: command.held_on,
            earliest: first,
            latest: last,
        });
    }
    let mut commented = BTreeSet::new();
    for comment in &command.comments {
        let of_year = units
            .key_tasks
            .get(&comment.task_id)
            .is_some_and(|task| task.year == command.year);
        if !of_year || !commented.insert(comment.task_id.as_str()) {
            return Err(UnitsRefusal::TaskNotInReview(comment.task_id.clone()).into());
        }
        need(&comment.comment, UnitsText::TaskComment)?;
    }
    let causes: Vec<uuid::Uuid> = units
        .key_tasks
        .iter()
        .filter(|(_, task)| task.year == command.year)
        .map(|(id, task)| {
            if commented.contains(id.as_str()) {
                Ok(task.id)
            } else {
                Err(UnitsRefusal::TaskLeftOut(id.clone()))
            }
        })
        .collect::<Result<_, _>>()?;
    let reviewed = payload::KeyTasksReviewed {
        year: command.year,
        held_on: command.held_on,
        comments: command.comments.clone(),
    };
    // The envelope names a bounded number of causes; a year of more tasks names the first.
    let causes = causes.into_iter().take(REVIEW_CAUSES_MAX).collect();
    Ok(vec![cx.draft(
        Role::Mayor,
        EventType::KeyTasksReviewed,
        &reviewed,
        causes,
    )])
}
