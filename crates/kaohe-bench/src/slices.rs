//! Alternating slices: the sides of a comparison take turns (A, B, A, B, ...), so that a
//! shared machine's drift falls on all of them alike; figures are medians of slices, a ratio
//! is one median figure over the other (what the table prints beside them), and the median of
//! the ratios of slices taken side by side is printed as a second column.

use anyhow::Result;

/// One side's figure per slice (a rate: the higher the better).
#[derive(Clone, Debug, Default)]
pub struct Series {
    /// One figure per slice, in the order taken.
    pub slices: Vec<f64>,
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

impl Series {
    /// The median figure.
    pub fn median(&self) -> f64 {
        median(&self.slices)
    }

    /// This series' median figure over `other`'s, with the median of the slice-by-slice
    /// ratios beside it.
    pub fn ratio_to(&self, other: &Series) -> Ratio {
        let ratios: Vec<f64> = self
            .slices
            .iter()
            .zip(&other.slices)
            .map(|(mine, theirs)| mine / theirs)
            .collect();
        Ratio {
            of_medians: self.median() / other.median(),
            paired: Some(median(&ratios)),
        }
    }
}

/// A row's ratio: figure / baseline, and where the figures came from slices taken side by
/// side, the median of their ratios.
#[derive(Clone, Copy, Debug)]
pub struct Ratio {
    /// The median figure over the median baseline: the ratio the goal is read against.
    pub of_medians: f64,
    /// The median of the slice-by-slice ratios.
    pub paired: Option<f64>,
}

impl From<f64> for Ratio {
    fn from(of_medians: f64) -> Ratio {
        Ratio {
            of_medians,
            paired: None,
        }
    }
}

/// Run `rounds` rounds; in each, every side runs one slice, in turn, and returns its figure.
/// The order of the sides alternates from round to round (A B C, C B A, ...), so that no
/// side always runs first after a pause.
pub fn alternate(
    rounds: usize,
    sides: &mut [&mut dyn FnMut() -> Result<f64>],
) -> Result<Vec<Series>> {
    let mut series = vec![Series::default(); sides.len()];
    for round in 0..rounds {
        let order: Vec<usize> = if round % 2 == 0 {
            (0..sides.len()).collect()
        } else {
            (0..sides.len()).rev().collect()
        };
        for side in order {
            let figure = sides[side]()?;
            series[side].slices.push(figure);
        }
    }
    Ok(series)
}

/// The CPU time this process has used so far, in seconds (user and system, from
/// /proc/self/stat, in clock ticks of 1/100 s); `None` where that file is not there.
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may hold spaces; the fields after its closing parenthesis do not.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0)
}

/// The CPU time this process's waited-for children have used so far, in seconds (from
/// /proc/self/stat).
pub fn children_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let user: f64 = fields.get(13)?.parse().ok()?;
    let system: f64 = fields.get(14)?.parse().ok()?;
    Some((user + system) / 100.0)
}

/// The machine's load averages over 1, 5 and 15 minutes, as /proc/loadavg gives them.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| "unknown".into())
}
