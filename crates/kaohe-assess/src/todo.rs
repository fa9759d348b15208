//! What is due for one person on one day, by the rules: the to-do list a person's home page
//! shows, each item with the day it falls due and whether that day has passed. Computed from
//! the state alone, per role the person holds that day, so that what is shown as due is what
//! the rules will hold them to.

use jiff::civil::Date;
use serde::Serialize;
use uuid::Uuid;

use crate::period::{Month, Period, Quarter};
use crate::state::{Kind, State};
use crate::words::{Outcome, Role, SanctionKind};

/// One thing to do (or, for an answer, to know).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum Todo {
    /// A cadre's entry of today is not written yet.
    WriteEntry {
        /// Today.
        day: Date,
    },
    /// A cadre's sheet of a period that is over is not handed in.
    HandInSheet {
        /// The period.
        period: Period,
    },
    /// A designation stands and may still be appealed.
    Appeal {
        /// The quarter.
        quarter: Quarter,
        /// Best or worst.
        kind: Kind,
    },
    /// The party committee answered the person's appeal.
    AppealAnswered {
        /// The quarter.
        quarter: Quarter,
        /// Best or worst.
        kind: Kind,
        /// Upheld or overturned.
        outcome: Outcome,
    },
    /// A rectification in force waits for the person's plan.
    PlanRectification {
        /// The quarter of the designation it follows.
        quarter: Quarter,
        /// The sanction.
        sanction_id: Uuid,
    },
    /// A supervisee's rectification plan waits for the leader's confirmation that it was
    /// carried out.
    ConfirmRectification {
        /// The quarter of the designation it follows.
        quarter: Quarter,
        /// The sanction.
        sanction_id: Uuid,
        /// Whose.
        person_id: String,
    },
    /// A supervising leader's sheets of the month handed in and not read.
    ReadSheets {
        /// The month.
        month: Month,
        /// How many.
        count: usize,
    },
    /// A supervising leader has not named the month's best and worst.
    Nominate {
        /// The month.
        month: Month,
    },
    /// An area chief's cadres without an opinion for the month.
    GiveOpinions {
        /// The month.
        month: Month,
        /// How many.
        count: usize,
    },
    /// The quarter is over and no decision is proposed.
    ProposeDecision {
        /// The quarter.
        quarter: Quarter,
    },
    /// The other principal leader's proposal waits for this one's co-signature.
    Cosign {
        /// The quarter.
        quarter: Quarter,
    },
    /// A decision in force is not yet published.
    Publish {
        /// The quarter.
        quarter: Quarter,
    },
    /// An appeal waits for the party committee's answer.
    AnswerAppeal {
        /// The appeal.
        appeal_id: Uuid,
        /// Whose.
        person_id: String,
    },
    /// A talk sanction in force waits for the talk with a principal leader.
    HoldTalk {
        /// The quarter of the designation it follows.
        quarter: Quarter,
        /// The sanction.
        sanction_id: Uuid,
        /// Whose.
        person_id: String,
    },
}

/// A to-do item with its deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Due {
    /// What.
    pub todo: Todo,
    /// The last day, where the rules set one.
    pub due_on: Option<Date>,
    /// Whether the last day has passed.
    pub late: bool,
}

/// How long an appeal's answer stays on the person's list.
pub const ANSWER_SHOWN_DAYS: i64 = 30;

/// What is due for `person` on `today`: late first, then by deadline (none last).
pub fn due(state: &State, person: &str, today: Date) -> Vec<Due> {
    let mut list = Vec::new();
    let mut push = |todo: Todo, due_on: Option<Date>| {
        list.push(Due {
            late: due_on.is_some_and(|due_on| today > due_on),
            todo,
            due_on,
        })
    };
    let holds = |role: Role| state.holds(person, role, today);
    let last_month = today.first_of_month().yesterday().ok().map(Month::of);
    let last_quarter = Month::of(today).quarter().previous();

    if holds(Role::Cadre) {
        if !state.entry_days.contains_key(&(person.to_owned(), today)) {
            push(Todo::WriteEntry { day: today }, Some(today));
        }
        for period in crate::views::record_due(state, person, today).sheets_due {
            push(
                Todo::HandInSheet { period },
                Some(state.sheet_due_on(period)),
            );
        }
    }
    for (quarter, decision) in &state.decisions {
        let Some(proposal) = state.proposals.get(&decision.proposal_id) else {
            continue;
        };
        for (kind, named) in [(Kind::Best, &proposal.best), (Kind::Worst, &proposal.worst)] {
            if !named.iter().any(|named| named == person) {
                continue;
            }
            let appealed = state.appeals.values().find(|appeal| {
                appeal.quarter == *quarter && appeal.kind == kind && appeal.person_id == person
            });
            match (appealed, state.appeal_window_ends(*quarter)) {
                (None, Some(until)) if today <= until => push(
                    Todo::Appeal {
                        quarter: *quarter,
                        kind,
                    },
                    Some(until),
                ),
                (Some(appeal), _) => {
                    if let Some(answer) = &appeal.answer {
                        let shown_until = answer
                            .answered_on
                            .checked_add(jiff::Span::new().days(ANSWER_SHOWN_DAYS))
                            .unwrap_or(answer.answered_on);
                        if today <= shown_until {
                            push(
                                Todo::AppealAnswered {
                                    quarter: *quarter,
                                    kind,
                                    outcome: answer.outcome,
                                },
                                None,
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }
    for (id, sanction) in &state.sanctions {
        if sanction.revoked_by.is_some() {
            continue;
        }
        match sanction.sanction {
            SanctionKind::Rectification
                if sanction.person_id == person && sanction.plan.is_none() =>
            {
                push(
                    Todo::PlanRectification {
                        quarter: sanction.quarter,
                        sanction_id: *id,
                    },
                    sanction.rectify_by,
                )
            }
            SanctionKind::Rectification
                if sanction.plan.is_some()
                    && sanction.completed.is_none()
                    && holds(Role::SupervisingLeader)
                    && state.supervisor_on(&sanction.person_id, today) == Some(person) =>
            {
                push(
                    Todo::ConfirmRectification {
                        quarter: sanction.quarter,
                        sanction_id: *id,
                        person_id: sanction.person_id.clone(),
                    },
                    sanction.rectify_by,
                )
            }
            SanctionKind::Talk
                if sanction.talk_held.is_none() && Role::PRINCIPALS.into_iter().any(holds) =>
            {
                push(
                    Todo::HoldTalk {
                        quarter: sanction.quarter,
                        sanction_id: *id,
                        person_id: sanction.person_id.clone(),
                    },
                    None,
                )
            }
            _ => {}
        }
    }
    if let Some(month) = last_month {
        let nominations_due = state.nomination_due(month);
        if holds(Role::SupervisingLeader) {
            let view = crate::views::leader_month(state, person, month, today);
            let unread = view
                .supervisees
                .iter()
                .flat_map(|supervisee| &supervisee.sheets)
                .filter(|sheet| sheet.submission_id.is_some() && !sheet.read)
                .count();
            if unread > 0 {
                push(
                    Todo::ReadSheets {
                        month,
                        count: unread,
                    },
                    nominations_due,
                );
            }
            if !view.supervisees.is_empty() && view.nominations.is_empty() {
                push(Todo::Nominate { month }, nominations_due);
            }
        }
        if holds(Role::AreaChief) {
            let area = crate::views::area_month(state, person, month);
            let count = area
                .cadres
                .iter()
                .filter(|cadre| cadre.opinions.is_empty())
                .count();
            if count > 0 {
                push(Todo::GiveOpinions { month, count }, nominations_due);
            }
        }
    }
    if Role::PRINCIPALS.into_iter().any(holds) && !state.decisions.contains_key(&last_quarter) {
        match state
            .latest_proposal
            .get(&last_quarter)
            .and_then(|id| state.proposals.get(id))
        {
            None => push(
                Todo::ProposeDecision {
                    quarter: last_quarter,
                },
                None,
            ),
            Some(proposal) if proposal.proposer_id != person => push(
                Todo::Cosign {
                    quarter: last_quarter,
                },
                None,
            ),
            Some(_) => {}
        }
    }
    if holds(Role::Office) {
        for quarter in state.decisions.keys() {
            if !state.publications.contains_key(quarter) {
                push(Todo::Publish { quarter: *quarter }, None);
            }
        }
    }
    if holds(Role::PartyCommittee) {
        for (id, appeal) in &state.appeals {
            if appeal.answer.is_none() {
                push(
                    Todo::AnswerAppeal {
                        appeal_id: *id,
                        person_id: appeal.person_id.clone(),
                    },
                    Some(appeal.due_on),
                );
            }
        }
    }
    list.sort_by_key(|due| (!due.late, due.due_on.is_none(), due.due_on));
    list
}
