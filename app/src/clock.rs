//! The organisation's calendar: its time zone, and where its days begin.
//! Stored times are UTC; "today" and "the last 14 days" are the organisation's.

use crate::auth::store::setting;
use crate::db::Db;
use crate::error::AppResult;
use chrono::{
    DateTime, Datelike, Days, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Utc,
};
use chrono_tz::Tz;

/// The setting holding the organisation's IANA time zone name.
pub const TIME_ZONE_SETTING: &str = "time_zone";

/// The organisation's time zone: the setting, or UTC when unset or unknown.
pub async fn org_time_zone(db: &Db) -> AppResult<Tz> {
    let name = setting(db, TIME_ZONE_SETTING).await?;
    Ok(name.and_then(|n| n.parse().ok()).unwrap_or(Tz::UTC))
}

/// The instant (UTC epoch ms) a calendar day begins in `tz`. Where a clock
/// change skips midnight, the day begins at the first moment that exists.
pub fn day_start(tz: Tz, day: NaiveDate) -> i64 {
    local_instant(tz, day.and_time(NaiveTime::MIN))
}

/// The instant (UTC epoch ms) a wall-clock time happens in `tz`: the earlier one
/// when clocks go back and it happens twice, the first moment after the gap when
/// clocks go forward and it never happens.
pub fn local_instant(tz: Tz, local: NaiveDateTime) -> i64 {
    let first_existing =
        (0..=24 * 60).map(|minutes| local + Duration::minutes(minutes)).find_map(|local| match tz
            .from_local_datetime(&local)
        {
            LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Some(at),
            LocalResult::None => None,
        });
    first_existing.map_or_else(|| local.and_utc().timestamp_millis(), |at| at.timestamp_millis())
}

/// The last `count` calendar days in `tz`, today included: each day with the
/// instant it begins, then the instant today ends.
pub fn recent_days(tz: Tz, now: DateTime<Utc>, count: u64) -> (Vec<(NaiveDate, i64)>, i64) {
    let today = now.with_timezone(&tz).date_naive();
    let first = today - Days::new(count.saturating_sub(1));
    let days =
        first.iter_days().take(count as usize).map(|day| (day, day_start(tz, day))).collect();
    let end = day_start(tz, today + Days::new(1));
    (days, end)
}

/// The instant (UTC epoch ms) the current calendar month began in `tz`.
pub fn month_start(tz: Tz, now: DateTime<Utc>) -> i64 {
    let today = now.with_timezone(&tz).date_naive();
    day_start(tz, today.with_day(1).unwrap_or(today))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().expect("a UTC time")
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    const HOUR: i64 = 3_600_000;

    #[test]
    fn today_follows_the_organisations_midnight_not_utcs() {
        let new_york: Tz = "America/New_York".parse().expect("zone");
        // 23:59 on 9 March in New York is already 10 March in UTC.
        let (days, _) = recent_days(new_york, utc("2026-03-10T03:59:00Z"), 14);
        assert_eq!(days.last().map(|d| d.0), Some(date("2026-03-09")));
        // One minute later (00:00 local), a new day.
        let (days, _) = recent_days(new_york, utc("2026-03-10T04:00:00Z"), 14);
        assert_eq!(days.last().map(|d| d.0), Some(date("2026-03-10")));
        assert_eq!(days.first().map(|d| d.0), Some(date("2026-02-25")));
        assert_eq!(days.len(), 14);
    }

    #[test]
    fn days_across_a_clock_change_have_23_or_25_hours() {
        let new_york: Tz = "America/New_York".parse().expect("zone");
        // Clocks go forward on 8 March 2026 and back on 1 November 2026.
        let spring =
            day_start(new_york, date("2026-03-09")) - day_start(new_york, date("2026-03-08"));
        assert_eq!(spring, 23 * HOUR);
        let autumn =
            day_start(new_york, date("2026-11-02")) - day_start(new_york, date("2026-11-01"));
        assert_eq!(autumn, 25 * HOUR);
        let (days, end) = recent_days(new_york, utc("2026-03-09T12:00:00Z"), 3);
        let starts: Vec<i64> = days.iter().map(|d| d.1).collect();
        assert_eq!(starts[1], utc("2026-03-08T05:00:00Z").timestamp_millis());
        assert_eq!(starts[2], utc("2026-03-09T04:00:00Z").timestamp_millis());
        assert_eq!(end, utc("2026-03-10T04:00:00Z").timestamp_millis());
    }

    #[test]
    fn a_day_whose_midnight_is_skipped_begins_at_the_first_real_minute() {
        // Chile moves its clocks from 00:00 to 01:00 on the first Sunday of September.
        let santiago: Tz = "America/Santiago".parse().expect("zone");
        let day = date("2026-09-06");
        assert!(matches!(
            santiago.from_local_datetime(&day.and_time(NaiveTime::MIN)),
            LocalResult::None
        ));
        assert_eq!(day_start(santiago, day), utc("2026-09-06T04:00:00Z").timestamp_millis());
    }

    #[test]
    fn utc_days_are_plain_24_hours() {
        let (days, end) = recent_days(Tz::UTC, utc("2026-11-24T00:00:00Z"), 14);
        assert_eq!(days[0], (date("2026-11-11"), utc("2026-11-11T00:00:00Z").timestamp_millis()));
        assert_eq!(end - days[13].1, 24 * HOUR);
    }
}
