//! Ten-day periods (一表记十天): days 1–10, 11–20, and 21 to the month's end; months and
//! quarters; and each of them, and a day, in the township's words (docs/GLOSSARY.md): 2026年3月2日,
//! 2026年3月上旬, 2026年3月, 2026年第一季度.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One ten-day sheet period of a month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    year: i16,
    month: i8,
    part: i8,
}

impl Period {
    /// The period a date falls in.
    pub fn of(date: Date) -> Period {
        Period {
            year: date.year(),
            month: date.month(),
            part: match date.day() {
                1..=10 => 1,
                11..=20 => 2,
                _ => 3,
            },
        }
    }

    /// The first day.
    pub fn first_day(self) -> Date {
        Date::new(self.year, self.month, 1 + 10 * (self.part - 1)).expect("a valid period")
    }

    /// The last day: the 10th, the 20th, or the month's end.
    pub fn last_day(self) -> Date {
        match self.part {
            1 | 2 => Date::new(self.year, self.month, 10 * self.part).expect("a valid period"),
            _ => self.first_day().last_of_month(),
        }
    }

    /// Whether `date` falls in the period.
    pub fn contains(self, date: Date) -> bool {
        Period::of(date) == self
    }

    /// In Chinese: 2026年3月上旬, 中旬 or 下旬.
    pub fn name_zh(self) -> String {
        let part = match self.part {
            1 => "上旬",
            2 => "中旬",
            _ => "下旬",
        };
        format!("{}年{}月{part}", self.year, self.month)
    }
}

/// A day in Chinese: 2026年3月2日.
pub fn date_zh(date: Date) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

impl fmt::Display for Period {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{:04}-{:02}-{}",
            self.year, self.month, self.part
        )
    }
}

/// Why a period text is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0:?} is not a period (YYYY-MM-P with P 1, 2 or 3)")]
pub struct PeriodError(String);

impl FromStr for Period {
    type Err = PeriodError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || PeriodError(text.into());
        let mut parts = text.split('-');
        let (Some(year), Some(month), Some(part), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if year.len() != 4 || month.len() != 2 || part.len() != 1 {
            return Err(bad());
        }
        let period = Period {
            year: year.parse().map_err(|_| bad())?,
            month: month.parse().map_err(|_| bad())?,
            part: part.parse().map_err(|_| bad())?,
        };
        if !(1..=12).contains(&period.month) || !(1..=3).contains(&period.part) {
            return Err(bad());
        }
        Date::new(period.year, period.month, 1).map_err(|_| bad())?;
        Ok(period)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn periods_split_months_in_three() {
        assert_eq!(Period::of(date(2026, 2, 10)).to_string(), "2026-02-1");
        assert_eq!(Period::of(date(2026, 2, 11)).to_string(), "2026-02-2");
        let last = Period::of(date(2026, 2, 28));
        assert_eq!(
            (last.first_day(), last.last_day()),
            (date(2026, 2, 21), date(2026, 2, 28))
        );
        assert_eq!(
            "2028-02-3".parse::<Period>().unwrap().last_day(),
            date(2028, 2, 29)
        );
        assert_eq!(Period::of(date(2026, 1, 31)).last_day(), date(2026, 1, 31));
        for bad in [
            "2026-13-1",
            "2026-02-4",
            "2026-2-1",
            "2026-02",
            "x",
            "2026-02-1-1",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
    }
}

/// A calendar month, `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i16,
    month: i8,
}

impl Month {
    /// The month a date falls in.
    pub fn of(date: Date) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Its first day.
    pub fn first_day(self) -> Date {
        Date::new(self.year, self.month, 1).expect("a valid month")
    }

    /// Its last day.
    pub fn last_day(self) -> Date {
        self.first_day().last_of_month()
    }

    /// Every day of the month.
    pub fn days(self) -> impl Iterator<Item = Date> {
        let last = self.last_day();
        self.first_day()
            .series(jiff::Span::new().days(1))
            .take_while(move |day| *day <= last)
    }

    /// Its three ten-day periods.
    pub fn periods(self) -> [Period; 3] {
        [1, 2, 3].map(|part| Period {
            year: self.year,
            month: self.month,
            part,
        })
    }

    /// In Chinese: 2026年3月.
    pub fn name_zh(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }

    /// The quarter it belongs to.
    pub fn quarter(self) -> Quarter {
        Quarter {
            year: self.year,
            number: (self.month - 1) / 3 + 1,
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = PeriodError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || PeriodError(text.into());
        let (year, month) = text.split_once('-').ok_or_else(bad)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(bad());
        }
        let month = Month {
            year: year.parse().map_err(|_| bad())?,
            month: month.parse().map_err(|_| bad())?,
        };
        Date::new(month.year, month.month, 1).map_err(|_| bad())?;
        Ok(month)
    }
}

/// A quarter, `YYYY-QN`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i16,
    number: i8,
}

impl Quarter {
    /// Its three months.
    pub fn months(self) -> [Month; 3] {
        let first = (self.number - 1) * 3 + 1;
        [0, 1, 2].map(|offset| Month {
            year: self.year,
            month: first + offset,
        })
    }

    /// Its first day.
    pub fn first_day(self) -> Date {
        self.months()[0].first_day()
    }

    /// Its last day.
    pub fn last_day(self) -> Date {
        self.months()[2].last_day()
    }

    /// Its year.
    pub fn year(self) -> i16 {
        self.year
    }

    /// Its number in the year, 1 to 4.
    pub fn number(self) -> u8 {
        self.number as u8
    }

    /// In Chinese: 2026年第一季度.
    pub fn name_zh(self) -> String {
        let number = match self.number {
            1 => "一",
            2 => "二",
            3 => "三",
            _ => "四",
        };
        format!("{}年第{number}季度", self.year)
    }

    /// The four quarters of `year`.
    pub fn of_year(year: i16) -> [Quarter; 4] {
        [1, 2, 3, 4].map(|number| Quarter { year, number })
    }

    /// The quarter before it.
    pub fn previous(self) -> Quarter {
        if self.number == 1 {
            Quarter {
                year: self.year - 1,
                number: 4,
            }
        } else {
            Quarter {
                year: self.year,
                number: self.number - 1,
            }
        }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{:04}-Q{}", self.year, self.number)
    }
}

impl FromStr for Quarter {
    type Err = PeriodError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || PeriodError(text.into());
        let (year, number) = text.split_once("-Q").ok_or_else(bad)?;
        if year.len() != 4 || number.len() != 1 {
            return Err(bad());
        }
        let quarter = Quarter {
            year: year.parse().map_err(|_| bad())?,
            number: number.parse().map_err(|_| bad())?,
        };
        if !(1..=4).contains(&quarter.number) {
            return Err(bad());
        }
        Ok(quarter)
    }
}

#[cfg(test)]
mod month_tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn months_and_quarters() {
        let march: Month = "2026-03".parse().unwrap();
        assert_eq!(
            (march.first_day(), march.last_day()),
            (date(2026, 3, 1), date(2026, 3, 31))
        );
        assert_eq!(march.days().count(), 31);
        assert_eq!(march.quarter().to_string(), "2026-Q1");
        let quarter: Quarter = "2026-Q1".parse().unwrap();
        assert_eq!(
            quarter.months().map(|month| month.to_string()),
            ["2026-01", "2026-02", "2026-03"]
        );
        assert_eq!(quarter.previous().to_string(), "2025-Q4");
        assert_eq!(
            "2026-Q4".parse::<Quarter>().unwrap().last_day(),
            date(2026, 12, 31)
        );
        for bad in ["2026-13", "2026-3", "26-03"] {
            assert!(bad.parse::<Month>().is_err(), "{bad}");
        }
        for bad in ["2026-Q5", "2026-Q0", "2026Q1", "2026-q1"] {
            assert!(bad.parse::<Quarter>().is_err(), "{bad}");
        }
    }

    #[test]
    fn days_periods_months_and_quarters_read_in_the_townships_words() {
        assert_eq!(date_zh(date(2026, 3, 2)), "2026年3月2日");
        let periods = "2026-03".parse::<Month>().unwrap().periods();
        assert_eq!(
            periods.map(Period::name_zh),
            ["2026年3月上旬", "2026年3月中旬", "2026年3月下旬"]
        );
        assert_eq!("2026-03".parse::<Month>().unwrap().name_zh(), "2026年3月");
        assert_eq!(
            Quarter::of_year(2026).map(Quarter::name_zh),
            [
                "2026年第一季度",
                "2026年第二季度",
                "2026年第三季度",
                "2026年第四季度"
            ]
        );
    }
}

/// Periods, months and quarters appear in views, requests and payloads as their text
/// (`2026-03-2`, `2026-03`, `2026-Q1`).
macro_rules! serialize_as_text {
    ($($type:ty),*) => {$(
        impl Serialize for $type {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    )*};
}

serialize_as_text!(Period, Month, Quarter);
