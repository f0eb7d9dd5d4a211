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
