//! The people of the township, and rosters: who of them a suite's township holds, who
//! supervises whom and who is chief of which area, as the commands the office sends.

use jiff::civil::{Date, date};
use kaohe_assess::commands::{AssignArea, AssignRole, AssignSupervision, RegisterPerson};
use kaohe_assess::{Command, Role};

/// When the office enrols a roster: 09:00 on 2 January 2026, the first working day.
pub const ENROLLED_AT: &str = "2026-01-02T09:00:00+08:00";

/// One of the township's people.
#[derive(Debug, PartialEq, Eq)]
pub struct Person {
    /// The person id the ledger knows them by.
    pub id: &'static str,
    /// Their name.
    pub name: &'static str,
    /// Their role, from 2026-01-01 on.
    pub role: Role,
}

const fn someone(id: &'static str, name: &'static str, role: Role) -> Person {
    Person { id, name, role }
}

/// Everyone in the township, one role each. `office` holds the office from event 0, which
/// names them; everyone else is enrolled by the office.
pub const PEOPLE: [Person; 13] = [
    someone("p001", "张伟", Role::Cadre),
    someone("p002", "李娜", Role::Cadre),
    someone("p003", "王芳", Role::Cadre),
    someone("p004", "刘洋", Role::Cadre),
    someone("l01", "王强", Role::SupervisingLeader),
    someone("l02", "陈刚", Role::SupervisingLeader),
    someone("c01", "赵敏", Role::AreaChief),
    someone("c02", "周丽", Role::AreaChief),
    someone("s01", "刘书记", Role::PartySecretary),
    someone("m01", "陈镇长", Role::Mayor),
    someone("w01", "孙委员", Role::PartyCommittee),
    someone("i01", "吴纪检", Role::DisciplineInspector),
    someone("office", "党政办", Role::Office),
];

/// The first day of every role and assignment a roster gives: 2026-01-01, the ledger's first.
pub fn first_day() -> Date {
    date(2026, 1, 1)
}

/// The person `id`; panics if the township has no one of that id.
pub fn person(id: &str) -> &'static Person {
    PEOPLE
        .iter()
        .find(|person| person.id == id)
        .unwrap_or_else(|| panic!("{id} is not one of the township's people"))
}

/// Who a township holds, and how they are organised: a cadre's supervising leader and area.
#[derive(Clone, Debug, Default)]
pub struct Roster {
    people: Vec<&'static Person>,
    /// (cadre, leader).
    supervision: Vec<(&'static str, &'static str)>,
    /// (cadre, area, chief).
    areas: Vec<(&'static str, &'static str, &'static str)>,
}

impl Roster {
    /// The people `ids`, in that order, nobody supervised or in an area yet.
    pub fn of(ids: &[&str]) -> Roster {
        Roster {
            people: ids.iter().map(|id| person(id)).collect(),
            ..Roster::default()
        }
    }

    /// Two cadres, p001 and p002, under the leader l01 and the chief c01 in 东片; the
    /// secretary s01 and the mayor m01: enough to rate and decide a quarter.
    pub fn small() -> Roster {
        let cadres = ["p001", "p002"];
        Roster::of(&["p001", "p002", "l01", "c01", "s01", "m01"])
            .supervised_by("l01", &cadres)
            .in_area("东片", "c01", &cadres)
    }

    /// Four cadres, p001 to p004, under l01 and c01 in 东片; s01, m01 and the committee's
    /// w01, who answers appeals.
    pub fn large() -> Roster {
        let cadres = ["p001", "p002", "p003", "p004"];
        Roster::of(&[
            "p001", "p002", "p003", "p004", "l01", "c01", "s01", "m01", "w01",
        ])
        .supervised_by("l01", &cadres)
        .in_area("东片", "c01", &cadres)
    }

    /// One person of each role and a second leader and chief: p001 and p002 under l01 and c01
    /// in 东片, p003 under l02 and c02 in 西片; s01, m01, w01, the inspector i01 and the
    /// office.
    pub fn served() -> Roster {
        Roster::of(&[
            "p001", "p002", "p003", "l01", "l02", "c01", "c02", "s01", "m01", "w01", "i01",
            "office",
        ])
        .supervised_by("l01", &["p001", "p002"])
        .in_area("东片", "c01", &["p001", "p002"])
        .supervised_by("l02", &["p003"])
        .in_area("西片", "c02", &["p003"])
    }

    /// `cadres` supervised by `leader` from 2026-01-01.
    pub fn supervised_by(mut self, leader: &str, cadres: &[&str]) -> Roster {
        let leader = self.holding(leader, Role::SupervisingLeader);
        for cadre in cadres {
            let cadre = self.holding(cadre, Role::Cadre);
            self.supervision.push((cadre, leader));
        }
        self
    }

    /// `cadres` in `area`, whose chief is `chief`, from 2026-01-01.
    pub fn in_area(mut self, area: &'static str, chief: &str, cadres: &[&str]) -> Roster {
        let chief = self.holding(chief, Role::AreaChief);
        for cadre in cadres {
            let cadre = self.holding(cadre, Role::Cadre);
            self.areas.push((cadre, area, chief));
        }
        self
    }

    /// The id of `id`, who must be on the roster in `role`.
    fn holding(&self, id: &str, role: Role) -> &'static str {
        let person = self
            .people
            .iter()
            .find(|person| person.id == id)
            .unwrap_or_else(|| panic!("{id} is not on the roster"));
        assert_eq!(person.role, role, "{id} is not a {role}");
        person.id
    }

    /// The people on the roster, in order.
    pub fn people(&self) -> impl Iterator<Item = &'static Person> + '_ {
        self.people.iter().copied()
    }

    /// Their ids, in order.
    pub fn ids(&self) -> Vec<&'static str> {
        self.people().map(|person| person.id).collect()
    }

    /// The chief of the area `cadre` is in, if any.
    pub fn chief_of(&self, cadre: &str) -> Option<&'static str> {
        self.areas
            .iter()
            .find(|(placed, _, _)| *placed == cadre)
            .map(|(_, _, chief)| *chief)
    }

    /// What the office sends to enrol the roster, in order: each person registered and given
    /// their role from 2026-01-01 (but `office`, whom event 0 names), then each supervision,
    /// then each area.
    pub fn commands(&self) -> Vec<Command> {
        let mut commands = Vec::new();
        for person in self.people().filter(|person| person.role != Role::Office) {
            commands.extend(enrol(person.id, person.name, person.role, first_day()));
        }
        for (cadre, leader) in &self.supervision {
            commands.push(Command::AssignSupervision(AssignSupervision {
                person_id: (*cadre).into(),
                leader_id: (*leader).into(),
                from: first_day(),
            }));
        }
        for (cadre, area, chief) in &self.areas {
            commands.push(Command::AssignArea(AssignArea {
                person_id: (*cadre).into(),
                area: (*area).into(),
                chief_id: (*chief).into(),
                from: first_day(),
            }));
        }
        commands
    }
}

/// The office's two commands that enrol `person_id`, named `name`, in `role` from `from`,
/// open-ended: the registration, then the role.
pub fn enrol(person_id: &str, name: &str, role: Role, from: Date) -> [Command; 2] {
    [
        Command::RegisterPerson(RegisterPerson {
            person_id: person_id.into(),
            name: name.into(),
        }),
        Command::AssignRole(AssignRole {
            person_id: person_id.into(),
            role: role.to_string(),
            from,
            until: None,
        }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_every_assignable_role_has_someone() {
        let mut ids: Vec<&str> = PEOPLE.iter().map(|person| person.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), PEOPLE.len());
        for role in Role::ASSIGNABLE {
            assert!(PEOPLE.iter().any(|person| person.role == role), "{role}");
        }
    }

    #[test]
    fn a_roster_enrols_everyone_but_the_office_then_supervision_then_areas() {
        let commands = Roster::served().commands();
        assert_eq!(commands.len(), 2 * 11 + 3 + 3);
        assert!(matches!(&commands[0], Command::RegisterPerson(person) if person.name == "张伟"));
        assert!(matches!(&commands[22], Command::AssignSupervision(_)));
        assert!(matches!(&commands[27], Command::AssignArea(area) if area.chief_id == "c02"));
        assert_eq!(Roster::served().chief_of("p003"), Some("c02"));
    }

    #[test]
    #[should_panic(expected = "l01 is not on the roster")]
    fn a_leader_off_the_roster_is_a_mistake_in_the_test() {
        let _ = Roster::of(&["p001"]).supervised_by("l01", &["p001"]);
    }
}
