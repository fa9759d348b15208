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
    let mut list = List {
        state,
        person,
        today,
        items: Vec::new(),
    };
    list.cadre();
    list.designations();
    list.sanctions();
    list.month_duties();
    list.quarter_duties();
    let mut items = list.items;
    items.sort_by_key(|due| (!due.late, due.due_on.is_none(), due.due_on));
    items
}

/// The list being gathered for one person on one day.
struct List<'a> {
    state: &'a State,
    person: &'a str,
    today: Date,
    items: Vec<Due>,
}

impl List<'_> {
    fn push(&mut self, todo: Todo, due_on: Option<Date>) {
        let today = self.today;
        self.items.push(Due {
            late: due_on.is_some_and(|due_on| today > due_on),
            todo,
            due_on,
        });
    }

    fn holds(&self, role: Role) -> bool {
        self.state.holds(self.person, role, self.today)
    }

    fn holds_principal(&self) -> bool {
        Role::PRINCIPALS.into_iter().any(|role| self.holds(role))
    }

    /// A cadre's own record: today's entry and the sheets to hand in.
    fn cadre(&mut self) {
        let (state, person, today) = (self.state, self.person, self.today);
        if !self.holds(Role::Cadre) {
            return;
        }
        if !state.entry_days.contains_key(&(person.to_owned(), today)) {
            self.push(Todo::WriteEntry { day: today }, Some(today));
        }
        for period in crate::views::record_due(state, person, today).sheets_due {
            self.push(
                Todo::HandInSheet { period },
                Some(state.sheet_due_on(period)),
            );
        }
    }

    /// Designations naming the person: the appeal window while open, an answer for a while.
    fn designations(&mut self) {
        let (state, person, today) = (self.state, self.person, self.today);
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
                    (None, Some(until)) if today <= until => self.push(
                        Todo::Appeal {
                            quarter: *quarter,
                            kind,
                        },
                        Some(until),
                    ),
                    (Some(appeal), _) => {
                        let Some(answer) = &appeal.answer else {
                            continue;
                        };
                        let shown_until = answer
                            .answered_on
                            .checked_add(jiff::Span::new().days(ANSWER_SHOWN_DAYS))
                            .unwrap_or(answer.answered_on);
                        if today <= shown_until {
                            self.push(
                                Todo::AppealAnswered {
                                    quarter: *quarter,
                                    kind,
                                    outcome: answer.outcome,
                                },
                                None,
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// Sanctions in force: a plan to write, a rectification to confirm, a talk to hold.
    fn sanctions(&mut self) {
        let (state, person, today) = (self.state, self.person, self.today);
        let supervisor = self.holds(Role::SupervisingLeader);
        let principal = self.holds_principal();
        for (id, sanction) in &state.sanctions {
            if sanction.revoked_by.is_some() {
                continue;
            }
            match sanction.sanction {
                SanctionKind::Rectification
                    if sanction.person_id == person && sanction.plan.is_none() =>
                {
                    self.push(
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
                        && supervisor
                        && state.supervisor_on(&sanction.person_id, today) == Some(person) =>
                {
                    self.push(
                        Todo::ConfirmRectification {
                            quarter: sanction.quarter,
                            sanction_id: *id,
                            person_id: sanction.person_id.clone(),
                        },
                        sanction.rectify_by,
                    )
                }
                SanctionKind::Talk if sanction.talk_held.is_none() && principal => self.push(
                    Todo::HoldTalk {
                        quarter: sanction.quarter,
                        sanction_id: *id,
                        person_id: sanction.person_id.clone(),
                    },
                    None,
                ),
                _ => {}
            }
        }
    }

    /// Last month's reading, nominations and opinions, due with the nominations.
    fn month_duties(&mut self) {
        let (state, person, today) = (self.state, self.person, self.today);
        let Some(month) = today.first_of_month().yesterday().ok().map(Month::of) else {
            return;
        };
        let nominations_due = state.nomination_due(month);
        if self.holds(Role::SupervisingLeader) {
            let view = crate::views::leader_month(state, person, month, today);
            let unread = view.unread_sheets();
            if unread > 0 {
                self.push(
                    Todo::ReadSheets {
                        month,
                        count: unread,
                    },
                    nominations_due,
                );
            }
            if !view.supervisees.is_empty() && view.nominations.is_empty() {
                self.push(Todo::Nominate { month }, nominations_due);
            }
        }
        if self.holds(Role::AreaChief) {
            let area = crate::views::area_month(state, person, month);
            let count = area
                .cadres
                .iter()
                .filter(|cadre| cadre.opinions.is_empty())
                .count();
            if count > 0 {
                self.push(Todo::GiveOpinions { month, count }, nominations_due);
            }
        }
    }

    /// Last quarter's decision, its publication and the appeals waiting for an answer.
    fn quarter_duties(&mut self) {
        let (state, person) = (self.state, self.person);
        let last_quarter = Month::of(self.today).quarter().previous();
        if self.holds_principal() && !state.decisions.contains_key(&last_quarter) {
            match state
                .latest_proposal
                .get(&last_quarter)
                .and_then(|id| state.proposals.get(id))
            {
                None => self.push(
                    Todo::ProposeDecision {
                        quarter: last_quarter,
                    },
                    None,
                ),
                Some(proposal) if proposal.proposer_id != person => self.push(
                    Todo::Cosign {
                        quarter: last_quarter,
                    },
                    None,
                ),
                Some(_) => {}
            }
        }
        if self.holds(Role::Office) {
            for quarter in state.decisions.keys() {
                if !state.publications.contains_key(quarter) {
                    self.push(Todo::Publish { quarter: *quarter }, None);
                }
            }
        }
        if self.holds(Role::PartyCommittee) {
            for (id, appeal) in &state.appeals {
                if appeal.answer.is_none() {
                    self.push(
                        Todo::AnswerAppeal {
                            appeal_id: *id,
                            person_id: appeal.person_id.clone(),
                        },
                        Some(appeal.due_on),
                    );
                }
            }
        }
    }
}
