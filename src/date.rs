//! Dates as publicity staff write them: `2022-10-08`, `2022/10/8`, `2022.10.8`, `2022年10月8日`,
//! optionally followed by a time. No time zone arithmetic: reports carry calendar dates, and
//! feeds state them in China Standard Time.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl Date {
    /// Parses the accepted forms; `None` for anything else (the caller names the accepted forms).
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let (date_part, time_part) = split_time(s);
        let nums: Vec<&str> = date_part
            .split(['-', '/', '.', '年', '月', '日'])
            .filter(|p| !p.is_empty())
            .collect();
        if nums.len() != 3 || date_part.ends_with(['-', '/', '.']) {
            return None;
        }
        let year: i32 = nums[0].parse().ok()?;
        let month: u8 = nums[1].parse().ok()?;
        let day: u8 = nums[2].parse().ok()?;
        if !(1000..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        let mut date = Date {
            year,
            month,
            day,
            ..Date::default()
        };
        if let Some(t) = time_part {
            let t = t.trim_end_matches('Z');
            // Drop a numeric offset (+08:00): dates are shown as written.
            let t = match t.rfind(['+', '-']) {
                Some(i) if i > 0 => &t[..i],
                _ => t,
            };
            let mut it = t.split(':');
            date.hour = it.next()?.trim().parse().ok()?;
            date.minute = it.next().map_or(Some(0), |m| m.trim().parse().ok())?;
            date.second = it
                .next()
                .map_or(Some(0), |s| s.trim().split('.').next()?.parse().ok())?;
            if date.hour > 23 || date.minute > 59 || date.second > 60 {
                return None;
            }
        }
        Some(date)
    }

    /// A year alone (`since: 2021`).
    pub fn year_only(year: i32) -> Option<Date> {
        (1000..=9999).contains(&year).then_some(Date {
            year,
            month: 1,
            day: 1,
            ..Date::default()
        })
    }

    /// `2022-10-08`
    pub fn iso_date(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `2022-10-08T19:00:00+08:00`, for Atom and the sitemap.
    pub fn rfc3339(&self) -> String {
        format!(
            "{}T{:02}:{:02}:{:02}+08:00",
            self.iso_date(),
            self.hour,
            self.minute,
            self.second
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso_date())
    }
}

fn split_time(s: &str) -> (&str, Option<&str>) {
    if let Some(i) = s.find(['T', ' ']) {
        let (d, t) = s.split_at(i);
        return (d, Some(t[1..].trim()).filter(|t| !t.is_empty()));
    }
    (s, None)
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
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
    }

    #[test]
    fn refuses_non_dates() {
        for s in [
            "昨天",
            "2022-13-01",
            "2022-02-30",
            "2022-10",
            "10/08/2022",
            "",
        ] {
            assert_eq!(Date::parse(s), None, "{s}");
        }
        assert!(Date::parse("2024-02-29").is_some());
    }
}
