//! SQL for the organisation settings, kept as rows of the `settings` table.

use super::{Organisation, OrganisationDraft};
use crate::activity::store::{changes_json, NewEntry};
use crate::activity::{Action, EntityType};
use crate::auth::store::set_setting;
use crate::auth::Viewer;
use crate::clock::TIME_ZONE_SETTING;
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
pub use crate::organisation::{load, NAME_SETTING, REQUIRE_TWO_FACTOR_SETTING};
use sqlx::AnyConnection;

/// The time zone a new installation starts in (`KITH_TIME_ZONE`), set by Kith
/// itself: stored, task due instants moved, and logged like an admin's change.
pub async fn start_in_time_zone(conn: &mut AnyConnection, zone: chrono_tz::Tz) -> AppResult<()> {
    let old = load(conn).await?;
    let Some(changes) = changes_json(&[("time_zone", &old.time_zone, zone.name())]) else {
        return Ok(());
    };
    move_to_time_zone(conn, &old, zone, now_ms().max(old.version + 1)).await?;
    log(conn, None, changes).await
}

/// Stores `zone` and, when it differs from the old one, recomputes every
/// task's due instant with it (tasks fall due in the organisation's time zone).
async fn move_to_time_zone(
    conn: &mut AnyConnection,
    old: &Organisation,
    zone: chrono_tz::Tz,
    now: i64,
) -> AppResult<()> {
    set_setting(conn, TIME_ZONE_SETTING, zone.name(), now).await?;
    if old.zone() != zone {
        crate::tasks::store::reschedule(conn, zone).await?;
    }
    Ok(())
}

/// A settings change in the log; without an admin, Kith itself made it.
async fn log(conn: &mut AnyConnection, admin: Option<&Viewer>, changes: String) -> AppResult<()> {
    NewEntry {
        actor_id: admin.map(|a| a.id.as_str()),
        actor_name: admin.map_or("Kith", |a| a.name.as_str()),
        action: Action::Update,
        entity_type: EntityType::Settings,
        entity_id: None,
        label: "Organisation settings",
        changes: Some(changes),
    }
    .record(conn)
    .await?;
    Ok(())
}

/// Saves the settings form unless someone saved since `version` was read; a new
/// time zone moves every task's due instant with it, in the same transaction.
pub async fn save(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    version: i64,
    draft: &OrganisationDraft,
) -> AppResult<()> {
    // Lock the rows before reading them, so two admins saving at once queue and
    // the second sees the first's save (PostgreSQL; SQLite's writers queue anyway).
    sqlx::query("UPDATE settings SET value = value WHERE name IN ($1, $2, $3)")
        .bind(NAME_SETTING)
        .bind(TIME_ZONE_SETTING)
        .bind(REQUIRE_TWO_FACTOR_SETTING)
        .execute(&mut *conn)
        .await?;
    let old = load(conn).await?;
    if old.version != version {
        return Err(AppError::Conflict(
            "Someone changed the settings since you opened them. Reload to see their change."
                .into(),
        ));
    }
    let yes_no = |on: bool| if on { "required" } else { "optional" };
    let Some(changes) = changes_json(&[
        ("name", &old.name, &draft.name),
        ("time_zone", &old.time_zone, draft.time_zone.name()),
        ("two-factor sign-in", yes_no(old.require_two_factor), yes_no(draft.require_two_factor)),
    ]) else {
        return Ok(());
    };
    // Strictly later than the old version, so a second save in the same millisecond still conflicts.
    let now = now_ms().max(old.version + 1);
    set_setting(conn, NAME_SETTING, &draft.name, now).await?;
    let required = if draft.require_two_factor { "true" } else { "false" };
    set_setting(conn, REQUIRE_TWO_FACTOR_SETTING, required, now).await?;
    move_to_time_zone(conn, &old, draft.time_zone, now).await?;
    log(conn, Some(viewer), changes).await
}
