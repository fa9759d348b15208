//! The rest of the township's accountability around the scheme: units (the township as the
//! city ranks it, its villages and departments, the supervision office) with their leaders over
//! time; the city's indicators, with who answers for each and what a last place calls for; the
//! villages ranked by the departments' written rules, published and tied to pay; unannounced
//! spot checks; the thirty key tasks; and the three lists of problems, rectifications and
//! responsibilities. Its commands, payloads, state, refusals, derivations, replay and views
//! are here; its rules are in `rules/` (`units`, `rankings`, `spot_checks`, `key_tasks`,
//! `three_lists`), its findings in `findings.rs`, as for the rest of the scheme.

pub mod commands;
pub mod derive;
pub mod payload;
pub mod policy;
pub mod refusal;
pub mod state;
pub mod summary;
pub mod text;
pub mod words;

pub use refusal::UnitsRefusal;
pub use state::UnitsState;

impl From<UnitsRefusal> for crate::refusal::Refusal {
    fn from(refusal: UnitsRefusal) -> Self {
        crate::refusal::Refusal::Units(refusal)
    }
}
