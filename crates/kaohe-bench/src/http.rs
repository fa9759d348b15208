//! Row 9: records posted over loopback by 64 concurrent clients to the HTTP command API,
//! beside workload 2 through the library. The command API does not exist yet.
//!
//! When it does, `run` starts the server on a fresh ledger on 127.0.0.1, posts drafts from 64
//! client tasks in alternating slices with 64 library appenders (`appends::append_slice`), and
//! returns the row with the ratio of the two rates against the goal of at least 0.5.

use crate::report::{Goal, Row};

/// Row 9, for now only its place in the table.
pub fn run() -> Row {
    Row {
        number: "9".into(),
        workload: "HTTP: records posted by 64 clients over loopback".into(),
        figure: "not measured: needs the HTTP command API".into(),
        baseline: "workload 2 through the library".into(),
        ratio: None,
        goal: Goal::NotMeasured(0.5),
    }
}
