//! The printed table: one row per workload with its figure, its baseline, the ratio, the goal,
//! and whether the goal was met.

use std::fmt::Write;

/// What a row's ratio must be.
#[derive(Clone, Copy, Debug)]
pub enum Goal {
    /// At least this.
    AtLeast(f64),
    /// At most this.
    AtMost(f64),
    /// Reported, no goal.
    Report,
}

/// One printed row.
#[derive(Clone, Debug)]
pub struct Row {
    /// The row number, with a letter for its parts ("2b").
    pub number: String,
    /// What is measured.
    pub workload: String,
    /// The figure.
    pub figure: String,
    /// The baseline, named, with its figure.
    pub baseline: String,
    /// figure / baseline (or reads / bound for proofs).
    pub ratio: Option<f64>,
    /// The median of the ratios of slices taken side by side, where there were slices.
    pub paired: Option<f64>,
    /// The goal.
    pub goal: Goal,
}

impl Row {
    /// A row with a ratio.
    pub fn new(
        number: &str,
        workload: impl Into<String>,
        figure: impl Into<String>,
        baseline: impl Into<String>,
        ratio: impl Into<crate::slices::Ratio>,
        goal: Goal,
    ) -> Row {
        let ratio = ratio.into();
        Row {
            number: number.into(),
            workload: workload.into(),
            figure: figure.into(),
            baseline: baseline.into(),
            ratio: Some(ratio.of_medians),
            paired: ratio.paired,
            goal,
        }
    }

    /// A row whose ratio is not reported, and why (in the figure's place).
    pub fn unreported(
        number: &str,
        workload: impl Into<String>,
        why: impl Into<String>,
        baseline: impl Into<String>,
        goal: Goal,
    ) -> Row {
        Row {
            number: number.into(),
            workload: workload.into(),
            figure: why.into(),
            baseline: baseline.into(),
            ratio: None,
            paired: None,
            goal,
        }
    }

    /// PASS, MISS, or what stands in their place.
    pub fn verdict(&self) -> &'static str {
        match (self.goal, self.ratio) {
            (Goal::AtLeast(goal), Some(ratio)) if ratio >= goal => "PASS",
            (Goal::AtMost(goal), Some(ratio)) if ratio <= goal => "PASS",
            (Goal::AtLeast(_) | Goal::AtMost(_), _) => "MISS",
            (Goal::Report, _) => "report",
        }
    }

    fn goal_text(&self) -> String {
        match self.goal {
            Goal::AtLeast(goal) => format!(">= {goal}"),
            Goal::AtMost(goal) => format!("<= {goal}"),
            Goal::Report => "report".into(),
        }
    }
}

/// An events-per-second figure, rounded for reading.
pub fn rate(events_per_second: f64) -> String {
    if events_per_second >= 100_000.0 {
        format!("{:.0}k ev/s", events_per_second / 1000.0)
    } else if events_per_second >= 10_000.0 {
        format!("{:.1}k ev/s", events_per_second / 1000.0)
    } else {
        format!("{events_per_second:.0} ev/s")
    }
}

/// A ratio with three decimals below 10, so that one just under its goal does not print as
/// the goal itself; one decimal above.
fn ratio_text(ratio: f64) -> String {
    if ratio < 10.0 {
        format!("{ratio:.3}")
    } else {
        format!("{ratio:.1}")
    }
}

/// A byte count in MiB.
pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn width(text: &str) -> usize {
    // Every character the table prints is one column wide except CJK, which takes two.
    text.chars()
        .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
        .sum()
}

fn pad(text: &str, columns: usize) -> String {
    let mut padded = text.to_owned();
    for _ in width(text)..columns {
        padded.push(' ');
    }
    padded
}

/// The table as text, as printed and as pasted into BENCHMARKS.md.
pub fn table(rows: &[Row]) -> String {
    let headers = [
        "#", "workload", "figure", "baseline", "ratio", "paired", "goal", "result",
    ];
    let cells: Vec<[String; 8]> = rows
        .iter()
        .map(|row| {
            [
                row.number.clone(),
                row.workload.clone(),
                row.figure.clone(),
                row.baseline.clone(),
                row.ratio.map_or("-".into(), ratio_text),
                row.paired.map_or("-".into(), ratio_text),
                row.goal_text(),
                row.verdict().into(),
            ]
        })
        .collect();
    let mut widths = headers.map(width);
    for row in &cells {
        for (column, cell) in row.iter().enumerate() {
            widths[column] = widths[column].max(width(cell));
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, row: &[String]| {
        let padded: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, columns)| pad(cell, columns))
            .collect();
        let _ = writeln!(out, "| {} |", padded.join(" | "));
    };
    line(&mut out, &headers.map(String::from));
    let rule: Vec<String> = widths.iter().map(|columns| "-".repeat(*columns)).collect();
    let _ = writeln!(out, "|-{}-|", rule.join("-|-"));
    for row in &cells {
        line(&mut out, row);
    }
    out
}
