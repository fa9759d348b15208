//! The township's units, for the suites of the units' part: the policy's units' section (two of
//! the city's indicators, two departments' criteria for scoring villages), the units themselves
//! (the township, three villages, two departments, the supervision office) with their leaders,
//! the village secretaries who lead the villages (on the roster, holding no role of the
//! township's), and who answers for each indicator; as the commands the office sends.

use jiff::civil::Date;
use kaohe_assess::Command;
use kaohe_assess::commands::{
    AdoptPolicy, AssignIndicator, AssignUnitLeader, RegisterPerson, RegisterUnit,
};
use kaohe_assess::policy::Policy;
use kaohe_assess::units::payload::Document;
use kaohe_assess::units::policy::{Indicator, UnitsPolicy, VillageCriterion};
use kaohe_assess::units::words::UnitKind;

use crate::given::Given;
use crate::roster::first_day;

/// When the office sets the units up in [`given`]: 10:00 on 2 January 2026.
pub const UNITS_AT: &str = "2026-01-02T10:00:00+08:00";

/// The township as a unit.
pub const TOWNSHIP: &str = "town";

/// The supervision office (督查室).
pub const SUPERVISION_OFFICE: &str = "ducha";

/// The villages: (code, name, secretary's id, secretary's name).
pub const VILLAGES: [(&str, &str, &str, &str); 3] = [
    ("v01", "东风村", "vs01", "何书记"),
    ("v02", "红星村", "vs02", "林书记"),
    ("v03", "新华村", "vs03", "罗书记"),
];

/// The departments that score the villages: (code, name, head, criterion).
pub const DEPARTMENTS: [(&str, &str, &str, &str); 2] = [
    ("d01", "党建办", "p003", "c-party"),
    ("d02", "农业农村办", "p004", "c-agri"),
];

/// The head of the supervision office: 周丽, an area chief, who is not in the office, so that a
/// test tells the supervision office's acts from the office's.
pub const SUPERVISION_HEAD: &str = "c02";

/// The city's indicators: (code, name); l01 answers for both, with p001 and p002.
pub const INDICATORS: [(&str, &str); 2] = [("ind01", "招商引资"), ("ind02", "安全生产")];

/// The units' section of the policy: [`INDICATORS`], a criterion of each of
/// [`DEPARTMENTS`] (at most 100 points), and the defaults.
pub fn units_policy() -> UnitsPolicy {
    let indicators = INDICATORS
        .iter()
        .map(|(id, name)| Indicator {
            id: (*id).into(),
            name: (*name).into(),
        })
        .collect();
    let criteria = DEPARTMENTS
        .iter()
        .map(|(department, name, _, criterion)| VillageCriterion {
            id: (*criterion).into(),
            department_id: (*department).into(),
            name: format!("{name}工作"),
            score_max_tenths: 1000,
            basis: "按季度工作台账逐项赋分，缺一项扣五分".into(),
        })
        .collect();
    UnitsPolicy::with_defaults(indicators, criteria)
}

/// `policy` as the next version `version`, effective `from`, with the units' section.
pub fn with_units(mut policy: Policy, version: u32, from: Date) -> Policy {
    policy.version = version;
    policy.effective_date = from;
    policy.units = Some(units_policy());
    policy
}

/// A document issued on `day`.
pub fn document(title: &str, day: Date) -> Document {
    Document {
        title: title.into(),
        number: String::new(),
        issued_on: day,
    }
}

/// What the office sends, all from `from`, to set the units up under `policy` (the latest
/// version, which `with_units` makes the next): the policy adopted, the village secretaries
/// registered, the units registered and led (the departments by [`DEPARTMENTS`]' heads, the
/// supervision office by [`SUPERVISION_HEAD`], the township by the mayor `m01`), and both
/// indicators assigned to l01 with p001 and p002. The heads and l01, p001, p002 and m01 must be
/// on the roster in their roles.
pub fn commands(policy: Policy, from: Date) -> Vec<Command> {
    let mut commands = vec![Command::AdoptPolicy(AdoptPolicy { policy })];
    for (_, _, secretary, name) in VILLAGES {
        commands.push(Command::RegisterPerson(RegisterPerson {
            person_id: secretary.into(),
            name: name.into(),
        }));
    }
    let mut unit = |id: &str, kind, name: &str, leader: &str| {
        commands.push(Command::RegisterUnit(RegisterUnit {
            unit_id: id.into(),
            kind,
            name: name.into(),
        }));
        commands.push(Command::AssignUnitLeader(AssignUnitLeader {
            unit_id: id.into(),
            person_id: leader.into(),
            from,
        }));
    };
    unit(TOWNSHIP, UnitKind::Township, "示范镇", "m01");
    for (id, name, secretary, _) in VILLAGES {
        unit(id, UnitKind::Village, name, secretary);
    }
    for (id, name, head, _) in DEPARTMENTS {
        unit(id, UnitKind::Department, name, head);
    }
    unit(
        SUPERVISION_OFFICE,
        UnitKind::SupervisionOffice,
        "督查室",
        SUPERVISION_HEAD,
    );
    for (indicator, _) in INDICATORS {
        commands.push(Command::AssignIndicator(AssignIndicator {
            indicator_id: indicator.into(),
            leader_id: "l01".into(),
            cadre_ids: vec!["p001".into(), "p002".into()],
            from,
        }));
    }
    commands
}

/// The township of [`Given::township`] with its units: the department heads p003 and p004 and
/// the supervision office's head c02 enrolled, and [`commands`] sent at [`UNITS_AT`], everything
/// from that day.
pub fn given() -> Given {
    let mut given = Given::township();
    for person in ["p003", "p004", SUPERVISION_HEAD] {
        given.staff(person, first_day(), UNITS_AT);
    }
    let from = jiff::civil::date(2026, 1, 2);
    let policy = with_units(
        given.state.policies.latest().expect("a policy").clone(),
        2,
        from,
    );
    for command in commands(policy, from) {
        given.ok("office", UNITS_AT, command);
    }
    given
}
