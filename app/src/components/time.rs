//! Times on the organisation's clock: chrono-tz on the server, the browser's own Intl zone data while hydrated.

/// A date and time from UTC epoch milliseconds, as `YYYY-MM-DD HH:MM` on the
/// organisation's clock (the page's organisation; UTC outside a signed-in page).
pub fn format_time(epoch_ms: i64) -> String {
    let zone = super::use_organisation().map_or_else(|| "UTC".to_owned(), |o| o.time_zone);
    format_time_in(&zone, epoch_ms)
}

/// A date and time from UTC epoch milliseconds, as `YYYY-MM-DD HH:MM` in the
/// IANA zone `zone` (unknown zones: UTC). The server uses chrono-tz; the browser
/// asks its own `Intl` time zone data, which keeps the zone tables out of the
/// WebAssembly bundle.
pub fn format_time_in(zone: &str, epoch_ms: i64) -> String {
    #[cfg(feature = "ssr")]
    {
        let zone: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::Tz::UTC);
        chrono::DateTime::from_timestamp_millis(epoch_ms)
            .map(|t| t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        browser_time(zone, epoch_ms).unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        let _ = zone;
        chrono::DateTime::from_timestamp_millis(epoch_ms)
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    }
}

/// `YYYY-MM-DD HH:MM` in `zone` through `Intl.DateTimeFormat`.
#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn browser_time(zone: &str, epoch_ms: i64) -> Option<String> {
    use js_sys::{Array, Date, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;
    let options = Object::new();
    for (key, value) in [
        ("timeZone", zone),
        ("year", "numeric"),
        ("month", "2-digit"),
        ("day", "2-digit"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
        ("hourCycle", "h23"),
    ] {
        Reflect::set(&options, &key.into(), &value.into()).ok()?;
    }
    let format = Intl::DateTimeFormat::new(&Array::of1(&"en-US".into()), &options);
    let parts = format.format_to_parts(&Date::new(&JsValue::from_f64(epoch_ms as f64)));
    let part = |kind: &str| {
        parts.iter().find_map(|p| {
            let is_kind = Reflect::get(&p, &"type".into()).ok()?.as_string()? == kind;
            is_kind.then(|| Reflect::get(&p, &"value".into()).ok()?.as_string()).flatten()
        })
    };
    Some(format!(
        "{}-{}-{} {}:{}",
        part("year")?,
        part("month")?,
        part("day")?,
        part("hour")?,
        part("minute")?
    ))
}

/// A moment as people say it, on the organisation's clock: "today 14:00",
/// "yesterday 09:12", "in 3 days", "3 Dec", with the exact time on hover and
/// for machines (`datetime`). Pages render on the server, which knows "now";
/// rendered in the browser it shows the exact time.
#[leptos::component]
pub fn Moment(at: i64) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let zone = super::use_organisation().map_or_else(|| "UTC".to_owned(), |o| o.time_zone);
    let exact = format_time_in(&zone, at);
    #[cfg(feature = "ssr")]
    let spoken = spoken_in(&zone, crate::db::now_ms(), at);
    #[cfg(not(feature = "ssr"))]
    let spoken = exact.clone();
    let machine = chrono::DateTime::from_timestamp_millis(at)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default();
    view! { <time class="moment" datetime=machine title=exact>{spoken}</time> }
}

/// `at` relative to `now`, both UTC epoch milliseconds, in the IANA zone `zone`.
#[cfg(feature = "ssr")]
pub fn spoken_in(zone: &str, now: i64, at: i64) -> String {
    use chrono::{Datelike, TimeZone};
    let zone: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::Tz::UTC);
    let local = |ms| zone.timestamp_millis_opt(ms).single();
    let (Some(now), Some(at)) = (local(now), local(at)) else {
        return String::new();
    };
    let days = (at.date_naive() - now.date_naive()).num_days();
    let clock = at.format("%H:%M");
    match days {
        0 => format!("today {clock}"),
        -1 => format!("yesterday {clock}"),
        1 => format!("tomorrow {clock}"),
        -6..=-2 => format!("{} days ago", -days),
        2..=6 => format!("in {days} days"),
        _ if at.year() == now.year() => at.format("%-d %b").to_string(),
        _ => at.format("%-d %b %Y").to_string(),
    }
}

/// A task's due day (`YYYY-MM-DD` on the organisation's calendar, and its `HH:MM` if
/// it has one) as people say it: "today 14:00", "tomorrow", "in 3 days", and for a
/// task past due "3 days overdue"; the exact day on hover.
#[leptos::component]
pub fn DueDate(day: String, time: Option<String>, overdue: bool) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let exact = time.as_ref().map_or_else(|| day.clone(), |t| format!("{day} {t}"));
    let machine = time.as_ref().map_or_else(|| day.clone(), |t| format!("{day}T{t}"));
    #[cfg(feature = "ssr")]
    let spoken = {
        let zone = super::use_organisation().map_or_else(|| "UTC".to_owned(), |o| o.time_zone);
        let zone: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::Tz::UTC);
        let today = chrono::Utc::now().with_timezone(&zone).date_naive();
        chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
            .map(|due| spoken_day(today, due, time.as_deref(), overdue))
            .unwrap_or_else(|_| exact.clone())
    };
    #[cfg(not(feature = "ssr"))]
    let spoken = {
        let _ = overdue;
        exact.clone()
    };
    view! { <time class="moment" datetime=machine title=exact>{spoken}</time> }
}

/// Day `due` (at `time`, if any) seen from `today`.
#[cfg(feature = "ssr")]
pub fn spoken_day(
    today: chrono::NaiveDate,
    due: chrono::NaiveDate,
    time: Option<&str>,
    overdue: bool,
) -> String {
    use chrono::Datelike;
    let days = (due - today).num_days();
    let at = time.map(|t| format!(" {t}")).unwrap_or_default();
    let plural = |n: i64| if n == 1 { "" } else { "s" };
    match days {
        ..=-1 if overdue => format!("{} day{} overdue", -days, plural(-days)),
        0 if overdue => format!("overdue since{at}"),
        0 => format!("today{at}"),
        1 => format!("tomorrow{at}"),
        -1 => format!("yesterday{at}"),
        2..=6 => format!("in {days} days"),
        -6..=-2 => format!("{} days ago", -days),
        _ if due.year() == today.year() => due.format("%-d %b").to_string(),
        _ => due.format("%-d %b %Y").to_string(),
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::{spoken_day, spoken_in};

    #[test]
    fn due_days_read_as_people_say_them() {
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        let today = day("2026-12-03");
        let cases = [
            ("2026-12-03", Some("14:00"), false, "today 14:00"),
            ("2026-12-03", Some("09:00"), true, "overdue since 09:00"),
            ("2026-12-04", None, false, "tomorrow"),
            ("2026-12-08", None, false, "in 5 days"),
            ("2026-12-02", None, true, "1 day overdue"),
            ("2026-11-30", None, true, "3 days overdue"),
            ("2026-11-30", None, false, "3 days ago"),
            ("2027-01-20", None, false, "20 Jan 2027"),
            ("2026-12-24", None, false, "24 Dec"),
        ];
        for (due, time, overdue, said) in cases {
            assert_eq!(spoken_day(today, day(due), time, overdue), said, "{due}");
        }
    }

    #[test]
    fn moments_read_as_people_say_them_on_the_organisations_clock() {
        // 2026-12-03 10:00 UTC is 11:00 in Berlin and 05:00 in New York.
        let now = 1_796_292_000_000;
        let hour = 3_600_000;
        let day = 24 * hour;
        let cases = [
            ("Europe/Berlin", now + 3 * hour, "today 14:00"),
            ("Europe/Berlin", now - day, "yesterday 11:00"),
            ("Europe/Berlin", now + day, "tomorrow 11:00"),
            ("Europe/Berlin", now - 3 * day, "3 days ago"),
            ("Europe/Berlin", now + 5 * day, "in 5 days"),
            ("Europe/Berlin", now - 40 * day, "24 Oct"),
            ("Europe/Berlin", now - 400 * day, "29 Oct 2025"),
            // 06:00 UTC is still yesterday evening in New York.
            ("America/New_York", now - 6 * hour, "yesterday 23:00"),
            ("Nowhere/Unknown", now, "today 10:00"),
        ];
        for (zone, at, said) in cases {
            assert_eq!(spoken_in(zone, now, at), said, "{zone} {at}");
        }
    }
}
