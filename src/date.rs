//! Dates as publicity staff write them: `2022-10-08`, `2022/10/8`, `2022.10.8`, `2022年10月8日`,
//! optionally followed by a time (`19:00`, `19:00+08:00`, `T11:00Z`); or only as precisely as
//! the source supports: `2018-08`, `2018年8月`, `2018`.
//!
//! Calendar checks and offset arithmetic are `jiff`'s. The site's zone is China Standard Time,
//! a fixed +08:00 (no daylight saving since 1991), so no time zone database is needed: a time
//! written with another offset (or `Z`) is converted to +08:00, one without is taken as +08:00.

use std::fmt;
use std::str::FromStr;

use jiff::civil::{self, DateTime};
use jiff::tz::Offset;
use jiff::Timestamp;

/// The site's zone: China Standard Time.
const SITE_OFFSET: Offset = Offset::constant(8);

/// How much of a date the source gives. Ordered coarse to fine.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Precision {
    Year,
    Month,
    Day,
    /// A day with a time of day.
    Time,
}

/// A calendar date (with a time when one was given) in the site's zone. A partial date is its
/// period's first instant, so it sorts at the start of its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    at: DateTime,
    precision: Precision,
}

/// For the parse cache: the civil date and time, and the precision.
type DateParts = (i16, i8, i8, i8, i8, i8, i32, Precision);

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = self.at;
        let parts: DateParts = (
            a.year(),
            a.month(),
            a.day(),
            a.hour(),
            a.minute(),
            a.second(),
            a.subsec_nanosecond(),
            self.precision,
        );
        parts.serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let (y, mo, day, h, mi, sec, ns, precision) = DateParts::deserialize(d)?;
        let at = DateTime::new(y, mo, day, h, mi, sec, ns).map_err(serde::de::Error::custom)?;
        Ok(Date { at, precision })
    }
}

impl Date {
    /// Parses the accepted forms; `None` for anything else (the caller names the accepted forms).
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let (date_part, time_part) = split_time(s);
        if date_part.ends_with(['-', '/', '.']) {
            return None;
        }
        let nums: Vec<&str> = date_part
            .split(['-', '/', '.', '年', '月', '日'])
            .filter(|p| !p.is_empty())
            .collect();
        if nums.is_empty() || nums.iter().any(|n| !n.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        // The year comes first and has four digits: `10/08/2022` is not guessed at.
        if nums[0].len() != 4 {
            return None;
        }
        let year: i16 = nums[0].parse().ok()?;
        if !(1000..=9999).contains(&year) {
            return None;
        }
        let month: i8 = nums.get(1).map_or(Some(1), |m| m.parse().ok())?;
        let day: i8 = nums.get(2).map_or(Some(1), |d| d.parse().ok())?;
        let precision = match (nums.len(), time_part) {
            (1, None) => Precision::Year,
            (2, None) => Precision::Month,
            (3, None) => Precision::Day,
            (3, Some(_)) => Precision::Time,
            _ => return None,
        };
        let date = civil::Date::new(year, month, day).ok()?;
        let at = match time_part {
            None => date.to_datetime(civil::Time::midnight()),
            Some(t) => with_time(date, t)?,
        };
        Some(Date { at, precision })
    }

    /// A year alone (`since: 2021`).
    pub fn year_only(year: i32) -> Option<Date> {
        if !(1000..=9999).contains(&year) {
            return None;
        }
        let date = civil::Date::new(i16::try_from(year).ok()?, 1, 1).ok()?;
        Some(Date {
            at: date.to_datetime(civil::Time::midnight()),
            precision: Precision::Year,
        })
    }

    /// Today in the site's zone (for `herald new`).
    pub fn today() -> Date {
        let at = SITE_OFFSET.to_datetime(Timestamp::now());
        Date {
            at: at.date().to_datetime(civil::Time::midnight()),
            precision: Precision::Day,
        }
    }

    pub fn year(&self) -> i32 {
        i32::from(self.at.year())
    }

    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// `2022-10-08`, or `2022-10` / `2022` for a partial date: as precise as the source.
    /// This is also a valid HTML `<time datetime>` value.
    pub fn iso_date(&self) -> String {
        let (y, m, d) = (self.at.year(), self.at.month(), self.at.day());
        match self.precision {
            Precision::Year => format!("{y:04}"),
            Precision::Month => format!("{y:04}-{m:02}"),
            Precision::Day | Precision::Time => format!("{y:04}-{m:02}-{d:02}"),
        }
    }

    /// `2022-10-08T19:00:00+08:00`, for Atom and the sitemap: the first instant of a
    /// partial date's period.
    pub fn rfc3339(&self) -> String {
        let a = self.at;
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+08:00",
            a.year(),
            a.month(),
            a.day(),
            a.hour(),
            a.minute(),
            a.second()
        )
    }

    /// `2022年10月8日`, `2018年8月`, `2018年`.
    pub fn zh(&self) -> String {
        let (y, m, d) = (self.at.year(), self.at.month(), self.at.day());
        match self.precision {
            Precision::Year => format!("{y}年"),
            Precision::Month => format!("{y}年{m}月"),
            Precision::Day | Precision::Time => format!("{y}年{m}月{d}日"),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso_date())
    }
}

/// `19:00`, `7:30`, `19:00:03`, `19:00:03.5`, each optionally with `Z` or an offset (`+08:00`,
/// `+0800`, `+08`, `-05:00`). Typed leniently (one-digit hours, spaces), checked by jiff.
fn with_time(date: civil::Date, t: &str) -> Option<DateTime> {
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let (clock, offset) = split_offset(&t)?;
    let mut parts = clock.split(':');
    let hour: i8 = number(parts.next()?)?;
    let minute: i8 = parts.next().map_or(Some(0), number)?;
    // A fraction of a second is dropped: feeds state whole seconds.
    let second: i8 = parts
        .next()
        .map_or(Some(0), |s| number(s.split('.').next()?))?;
    if parts.next().is_some() {
        return None;
    }
    let at = date.to_datetime(civil::Time::new(hour, minute, second, 0).ok()?);
    match offset {
        None => Some(at),
        // Converted to the site's zone, never shifted: 11:00Z is 19:00+08:00.
        Some(offset) => Some(SITE_OFFSET.to_datetime(offset.to_timestamp(at).ok()?)),
    }
}

/// `19:00+08:00` → (`19:00`, +8h); `19:00Z` → (`19:00`, 0); `19:00` → (`19:00`, none).
fn split_offset(t: &str) -> Option<(&str, Option<Offset>)> {
    if let Some(clock) = t.strip_suffix(['Z', 'z']) {
        return Some((clock, Some(Offset::UTC)));
    }
    let Some(i) = t.rfind(['+', '-']) else {
        return Some((t, None));
    };
    let (clock, off) = t.split_at(i);
    let sign: i32 = if off.starts_with('-') { -1 } else { 1 };
    let digits = off[1..].replace(':', "");
    if !(digits.len() == 2 || digits.len() == 4) {
        return None;
    }
    let hours: i32 = number(&digits[..2])?;
    let minutes: i32 = if digits.len() == 4 {
        number(&digits[2..])?
    } else {
        0
    };
    if hours > 14 || minutes > 59 {
        return None;
    }
    let offset = Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()?;
    Some((clock, Some(offset)))
}

/// One or two ASCII digits (`7`, `07`, `19`): nothing else is a clock number.
fn number<T: FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn split_time(s: &str) -> (&str, Option<&str>) {
    if let Some(i) = s.find(['T', ' ']) {
        let (d, t) = s.split_at(i);
        return (d, Some(t[1..].trim()).filter(|t| !t.is_empty()));
    }
    (s, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_forms_users_type() {
        let d = Date::parse("2022-10-08").map(|d| d.iso_date());
        assert_eq!(d.as_deref(), Some("2022-10-08"));
        for s in [
            "2022/10/8",
            "2022.10.8",
            "2022年10月8日",
            "2022-10-08 19:00",
            "2022-10-08T19:00:03+08:00",
        ] {
            assert_eq!(
                Date::parse(s).map(|d| d.iso_date()).as_deref(),
                Some("2022-10-08"),
                "{s}"
            );
        }
        assert_eq!(
            Date::parse("2022-10-08 19:00:03").map(|d| d.rfc3339()),
            Some("2022-10-08T19:00:03+08:00".into())
        );
        assert_eq!(
            Date::parse("2022年10月8日 19:00").map(|d| d.rfc3339()),
            Some("2022-10-08T19:00:00+08:00".into())
        );
        for (s, want) in [
            ("2022-10-08 7:30", "2022-10-08T07:30:00+08:00"),
            ("2022-10-08T19", "2022-10-08T19:00:00+08:00"),
            ("2022-10-08 19:00 +08:00", "2022-10-08T19:00:00+08:00"),
            ("2022-10-08T19:00:03.250+0800", "2022-10-08T19:00:03+08:00"),
            ("2022-10-08T11:00:00+00", "2022-10-08T19:00:00+08:00"),
        ] {
            assert_eq!(
                Date::parse(s).map(|d| d.rfc3339()).as_deref(),
                Some(want),
                "{s}"
            );
        }
    }

    #[test]
    fn partial_dates_keep_their_precision() {
        let y = Date::parse("2018");
        assert_eq!(y.map(|d| d.zh()).as_deref(), Some("2018年"));
        assert_eq!(
            y.map(|d| d.rfc3339()).as_deref(),
            Some("2018-01-01T00:00:00+08:00")
        );
        for s in ["2018-08", "2018/8", "2018.08", "2018年8月"] {
            let m = Date::parse(s);
            assert_eq!(m.map(|d| d.zh()).as_deref(), Some("2018年8月"), "{s}");
            assert_eq!(m.map(|d| d.iso_date()).as_deref(), Some("2018-08"), "{s}");
        }
        assert!(Date::parse("2018") < Date::parse("2018-01-02"));
        assert!(Date::parse("2018-08") < Date::parse("2018-08-01 00:01"));
    }

    #[test]
    fn offsets_are_converted_not_shifted() {
        assert_eq!(
            Date::parse("2022-10-08T11:00Z").map(|d| d.rfc3339()),
            Some("2022-10-08T19:00:00+08:00".into())
        );
        assert_eq!(
            Date::parse("2022-10-08T19:00Z").map(|d| d.rfc3339()),
            Some("2022-10-09T03:00:00+08:00".into())
        );
        assert_eq!(
            Date::parse("2022-10-08 09:30-05:00").map(|d| d.rfc3339()),
            Some("2022-10-08T22:30:00+08:00".into())
        );
    }

    #[test]
    fn refuses_non_dates() {
        for s in [
            "昨天",
            "2022-13-01",
            "2022-02-30",
            "2022-10-",
            "2022-1a",
            "10/08/2022",
            "22-10-08",
            "2022-10 19:00",
            "2022-10-08 25:00",
            "2022-10-08 19:60",
            "2022-10-08 19:00:00:00",
            "2022-10-08 19:00+8:00",
            "2022-10-08 19:00+15:00",
            "2022-10-08 晚上",
            "",
        ] {
            assert_eq!(Date::parse(s), None, "{s}");
        }
        assert!(Date::parse("2024-02-29").is_some());
    }
}
