//! Progress timestamps in every form real plans use.
//!
//! Canonical: `(2026-08-19 14:52Z)`. Also read: date only `(2026-02-07)`,
//! named zones `(2026-03-18 22:10 CST)`, offsets `(2026-01-27 10:44-08:00)`
//! and `(2026-04-05 00:00+08)`, `T` separators `2025-10-25T17:34Z`, seconds,
//! with or without parentheses, and the template's literal placeholder
//! `(YYYY-MM-DD HH:MMZ)`.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::Offset;

/// The zone a timestamp names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Zone {
    /// No zone written.
    None,
    /// `Z` or `UTC`.
    Utc,
    /// A numeric offset, in seconds east of UTC.
    Offset(i32),
    /// A zone abbreviation such as `CST`; its offset is not known.
    Named(String),
}

/// A timestamp as written, with its byte span (relative to where it was
/// parsed from until the model builder makes it absolute).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timestamp {
    pub start: usize,
    pub end: usize,
    pub raw: String,
    pub parenthesized: bool,
    /// The template's literal `(YYYY-MM-DD HH:MMZ)`.
    pub placeholder: bool,
    pub year: i32,
    pub month: i32,
    pub day: i32,
    /// Hour, minute and optional second.
    pub time: Option<(i32, i32, Option<i32>)>,
    pub t_separator: bool,
    pub zone: Zone,
}

impl Timestamp {
    /// `(YYYY-MM-DD HH:MMZ)`: parenthesised, space-separated, minutes, UTC.
    pub fn is_canonical(&self) -> bool {
        self.parenthesized
            && !self.placeholder
            && !self.t_separator
            && matches!(self.time, Some((_, _, None)))
            && self.zone == Zone::Utc
            && self.raw.ends_with("Z)")
    }

    /// Why this is not a real date and time, if it is not.
    pub fn invalid_reason(&self) -> Option<String> {
        if self.placeholder {
            return None;
        }
        if let Err(e) = self.date() {
            return Some(format!(
                "{:04}-{:02}-{:02} is not a date ({e})",
                self.year, self.month, self.day
            ));
        }
        if let Some((h, m, s)) = self.time
            && Time::new(h as i8, m as i8, s.unwrap_or(0) as i8, 0).is_err()
        {
            return Some(match s {
                Some(s) => format!("{h:02}:{m:02}:{s:02} is not a time of day"),
                None => format!("{h:02}:{m:02} is not a time of day"),
            });
        }
        if let Zone::Offset(secs) = self.zone
            && Offset::from_seconds(secs).is_err()
        {
            return Some("the UTC offset is out of range".to_string());
        }
        None
    }

    fn date(&self) -> Result<Date, jiff::Error> {
        let year = i16::try_from(self.year).unwrap_or(i16::MAX);
        Date::new(
            year,
            self.month.clamp(0, 99) as i8,
            self.day.clamp(0, 99) as i8,
        )
    }

    /// The earliest and latest instants this timestamp can denote: a date
    /// alone covers its whole day in any zone; an unknown named zone could be
    /// anywhere from UTC-12 to UTC+14. `None` when it is not valid.
    pub fn instant_bounds(&self) -> Option<(jiff::Timestamp, jiff::Timestamp)> {
        if self.placeholder || self.invalid_reason().is_some() {
            return None;
        }
        let date = self.date().ok()?;
        let (h, m, s) = self.time.unwrap_or((0, 0, None));
        let local = DateTime::from_parts(
            date,
            Time::new(h as i8, m as i8, s.unwrap_or(0) as i8, 0).ok()?,
        );
        let at = |secs: i32| -> Option<jiff::Timestamp> {
            Offset::from_seconds(secs).ok()?.to_timestamp(local).ok()
        };
        let day = jiff::SignedDuration::from_hours(24);
        match (&self.zone, self.time) {
            (_, None) => Some((at(14 * 3600)?, at(-12 * 3600)?.checked_add(day).ok()?)),
            (Zone::Utc, Some(_)) => Some((at(0)?, at(0)?)),
            (Zone::Offset(secs), Some(_)) => Some((at(*secs)?, at(*secs)?)),
            (Zone::None | Zone::Named(_), Some(_)) => Some((at(14 * 3600)?, at(-12 * 3600)?)),
        }
    }

    /// The instant used to order stamps: exact where the zone is known, else
    /// read as UTC.
    pub fn sort_key(&self) -> Option<jiff::Timestamp> {
        let (lo, hi) = self.instant_bounds()?;
        if lo == hi {
            Some(lo)
        } else {
            Some(lo + (hi.duration_since(lo) / 2))
        }
    }

    /// The same moment written canonically, where that needs no guess: a
    /// time with a known zone. Date-only and named-zone stamps give `None`.
    pub fn to_canonical(&self) -> Option<String> {
        if self.time.is_none() || matches!(self.zone, Zone::None | Zone::Named(_)) {
            return None;
        }
        let (at, _) = self.instant_bounds()?;
        Some(format_canonical(at))
    }
}

/// `(YYYY-MM-DD HH:MMZ)` for an instant.
pub fn format_canonical(at: jiff::Timestamp) -> String {
    format!("({})", at.strftime("%Y-%m-%d %H:%MZ"))
}

const PLACEHOLDER: &str = "(YYYY-MM-DD HH:MMZ)";

/// Reads a timestamp at the very start of `text`.
pub fn parse_leading(text: &str) -> Option<Timestamp> {
    if text.starts_with(PLACEHOLDER) {
        return Some(Timestamp {
            start: 0,
            end: PLACEHOLDER.len(),
            raw: PLACEHOLDER.to_string(),
            parenthesized: true,
            placeholder: true,
            year: 0,
            month: 0,
            day: 0,
            time: None,
            t_separator: false,
            zone: Zone::Utc,
        });
    }
    let b = text.as_bytes();
    let mut i = 0;
    let parenthesized = b.first() == Some(&b'(');
    if parenthesized {
        i += 1;
    }
    let year = digits(b, &mut i, 4, 4)?;
    expect(b, &mut i, b'-')?;
    let month = digits(b, &mut i, 1, 2)?;
    expect(b, &mut i, b'-')?;
    let day = digits(b, &mut i, 1, 2)?;
    let mut time = None;
    let mut t_separator = false;
    let after_date = i;
    if matches!(b.get(i), Some(b' ') | Some(b'T') | Some(b't')) {
        t_separator = b[i] != b' ';
        let mut j = i + 1;
        if let Some(h) = digits(b, &mut j, 1, 2)
            && expect(b, &mut j, b':').is_some()
            && let Some(m) = digits(b, &mut j, 2, 2)
        {
            let mut s = None;
            let mut k = j;
            if expect(b, &mut k, b':').is_some()
                && let Some(sec) = digits(b, &mut k, 2, 2)
            {
                s = Some(sec);
                j = k;
                // Fractional seconds.
                if b.get(j) == Some(&b'.') {
                    j += 1;
                    while b.get(j).is_some_and(u8::is_ascii_digit) {
                        j += 1;
                    }
                }
            }
            time = Some((h, m, s));
            i = j;
        } else {
            t_separator = false;
            i = after_date;
        }
    }
    let mut zone = Zone::None;
    if time.is_some() {
        let mut j = i;
        let spaced = b.get(j) == Some(&b' ');
        if spaced {
            j += 1;
        }
        match b.get(j) {
            Some(b'Z') | Some(b'z') if !word_char(b.get(j + 1)) => {
                zone = Zone::Utc;
                i = j + 1;
            }
            Some(b'+') | Some(b'-') => {
                let sign = if b[j] == b'-' { -1 } else { 1 };
                let mut k = j + 1;
                // `-0400`: hours and minutes with no colon between them.
                if let Some(hhmm) = digits(b, &mut k, 4, 4) {
                    zone = Zone::Offset(sign * ((hhmm / 100) * 3600 + (hhmm % 100) * 60));
                    i = k;
                } else if let Some(hh) = digits(b, &mut k, 2, 2) {
                    let mut mm = 0;
                    let mut k2 = k;
                    let _ = expect(b, &mut k2, b':');
                    if let Some(m) = digits(b, &mut k2, 2, 2) {
                        mm = m;
                        k = k2;
                    }
                    zone = Zone::Offset(sign * (hh * 3600 + mm * 60));
                    i = k;
                }
            }
            Some(c) if c.is_ascii_uppercase() => {
                let mut k = j;
                while b.get(k).is_some_and(u8::is_ascii_uppercase) {
                    k += 1;
                }
                let name = &text[j..k];
                if (2..=5).contains(&name.len()) && !word_char(b.get(k)) {
                    zone = if name == "UTC" || name == "GMT" {
                        Zone::Utc
                    } else {
                        Zone::Named(name.to_string())
                    };
                    i = k;
                }
            }
            _ => {}
        }
    }
    if parenthesized {
        expect(b, &mut i, b')')?;
    } else if word_char(b.get(i)) {
        return None;
    }
    Some(Timestamp {
        start: 0,
        end: i,
        raw: text[..i].to_string(),
        parenthesized,
        placeholder: false,
        year,
        month,
        day,
        time,
        t_separator,
        zone,
    })
}

/// Finds a timestamp at the start of `text` or, parenthesised, at its end.
/// Offsets in the result are relative to `text`.
pub fn find_in_item(text: &str) -> Option<Timestamp> {
    if let Some(ts) = parse_leading(text) {
        return Some(ts);
    }
    // A trailing "(2026-01-01 10:00Z)", possibly followed by a full stop.
    let trimmed = text.trim_end().trim_end_matches('.');
    if trimmed.ends_with(')')
        && let Some(open) = trimmed.rfind('(')
        && let Some(mut ts) = parse_leading(&trimmed[open..])
        && open + ts.end == trimmed.len()
    {
        ts.start += open;
        ts.end += open;
        return Some(ts);
    }
    None
}

fn word_char(b: Option<&u8>) -> bool {
    b.is_some_and(|c| c.is_ascii_alphanumeric())
}

fn digits(b: &[u8], i: &mut usize, min: usize, max: usize) -> Option<i32> {
    let start = *i;
    let mut value: i32 = 0;
    while *i < b.len() && *i - start < max && b[*i].is_ascii_digit() {
        value = value * 10 + i32::from(b[*i] - b'0');
        *i += 1;
    }
    if *i - start < min || b.get(*i).is_some_and(u8::is_ascii_digit) {
        *i = start;
        return None;
    }
    Some(value)
}

fn expect(b: &[u8], i: &mut usize, c: u8) -> Option<()> {
    if b.get(*i) == Some(&c) {
        *i += 1;
        Some(())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        parse_leading(s).unwrap_or_else(|| panic!("{s} should parse"))
    }

    #[test]
    fn reads_every_real_form() {
        let c = ts("(2026-08-19 14:52Z) Did it");
        assert!(c.is_canonical());
        assert_eq!(c.raw, "(2026-08-19 14:52Z)");
        let d = ts("(2026-02-07) Bootstrapped");
        assert_eq!(d.time, None);
        assert!(!d.is_canonical());
        assert_eq!(ts("(2026-03-18 22:10 CST)").zone, Zone::Named("CST".into()));
        assert_eq!(ts("(2026-01-27 10:44-08:00)").zone, Zone::Offset(-8 * 3600));
        assert_eq!(ts("(2026-04-05 00:00+08)").zone, Zone::Offset(8 * 3600));
        assert_eq!(ts("(2026-03-21 20:02-0400)").zone, Zone::Offset(-4 * 3600));
        assert_eq!(
            ts("(2026-03-21 20:02+0530)").zone,
            Zone::Offset(5 * 3600 + 30 * 60)
        );
        let t = ts("2025-10-25T17:34Z done");
        assert!(t.t_separator && !t.parenthesized && t.zone == Zone::Utc);
        assert_eq!(ts("(2026-01-01 10:00:05Z)").time, Some((10, 0, Some(5))));
        assert!(ts("(YYYY-MM-DD HH:MMZ) x").placeholder);
        assert_eq!(ts("(2026-01-01 10:00 UTC)").zone, Zone::Utc);
    }

    #[test]
    fn rejects_what_is_not_a_timestamp() {
        for s in [
            "(2026) x",
            "2026-01-01x",
            "(2026-01-01 10:00 approx)",
            "Step 1",
            "(12345-01-01)",
        ] {
            assert!(parse_leading(s).is_none(), "{s}");
        }
    }

    #[test]
    fn impossible_dates_and_times_are_invalid() {
        assert!(ts("(2026-02-30 10:00Z)").invalid_reason().is_some());
        assert!(ts("(2026-13-01)").invalid_reason().is_some());
        assert!(ts("(2026-01-01 25:00Z)").invalid_reason().is_some());
        assert!(ts("(2026-01-01 23:59Z)").invalid_reason().is_none());
    }

    #[test]
    fn offsets_normalise_to_utc() {
        assert_eq!(
            ts("(2026-01-27 10:44-08:00)").to_canonical().as_deref(),
            Some("(2026-01-27 18:44Z)")
        );
        assert_eq!(
            ts("2025-10-25T17:34:10Z").to_canonical().as_deref(),
            Some("(2025-10-25 17:34Z)")
        );
        assert_eq!(ts("(2026-02-07)").to_canonical(), None);
    }

    #[test]
    fn trailing_stamp_is_found() {
        let t = find_in_item("Did the thing (2026-01-01 10:00Z).").unwrap();
        assert_eq!(t.start, 14);
        assert_eq!(t.raw, "(2026-01-01 10:00Z)");
    }
}
