//! Dates, quarters and points as people read them on the pages and in the refusals:
//! 2026年3月2日, 2026年第一季度, 87.5 分.

use jiff::civil::Date;

use crate::period::Quarter;

/// A day as 2026年3月2日.
pub fn date_zh(date: Date) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// A quarter as 2026年第一季度.
pub fn quarter_zh(quarter: Quarter) -> String {
    let number = ["一", "二", "三", "四"][usize::from(quarter.number().clamp(1, 4) - 1)];
    format!("{}年第{number}季度", quarter.year())
}

/// Tenths of a point as points, 87.5.
pub fn points(tenths: u32) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// Basis points as a signed percentage, +10% or −5.5%.
pub fn percent(bp: i32) -> String {
    let sign = if bp > 0 {
        "+"
    } else if bp < 0 {
        "−"
    } else {
        ""
    };
    let magnitude = bp.unsigned_abs();
    if magnitude % 100 == 0 {
        format!("{sign}{}%", magnitude / 100)
    } else {
        format!("{sign}{}.{:02}%", magnitude / 100, magnitude % 100)
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn dates_quarters_and_figures_read_as_people_write_them() {
        assert_eq!(date_zh(date(2026, 3, 2)), "2026年3月2日");
        assert_eq!(quarter_zh("2026-Q3".parse().unwrap()), "2026年第三季度");
        assert_eq!(points(875), "87.5");
        assert_eq!(percent(1000), "+10%");
        assert_eq!(percent(-550), "−5.50%");
        assert_eq!(percent(0), "0%");
    }
}
