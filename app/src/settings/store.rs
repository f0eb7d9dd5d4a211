//! SQL for the organisation settings, kept as rows of the `settings` table.

use super::{Organisation, OrganisationDraft};
use crate::activity::store::{changes_json, record, NewEntry};
use crate::activity::{Action, EntityType};
use crate::auth::store::set_setting;
use crate::auth::Viewer;
use crate::clock::TIME_ZONE_SETTING;
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use sqlx::AnyConnection;

/// The setting holding the organisation's name.
pub const NAME_SETTING: &str = "organisation_name";
/// The setting saying everyone must sign in with a second factor (`true`/`false`).
pub const REQUIRE_TWO_FACTOR_SETTING: &str = "require_two_factor";

/// The organisation's name and time zone (defaults where unset).
pub async fn load(conn: &mut AnyConnection) -> AppResult<Organisation> {
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT name, value, updated_at FROM settings WHERE name IN ($1, $2, $3)")
            .bind(NAME_SETTING)
            .bind(TIME_ZONE_SETTING)
            .bind(REQUIRE_TWO_FACTOR_SETTING)
            .fetch_all(conn)
            .await?;
    let mut organisation = Organisation::default();
    for (name, value, updated_at) in rows {
        organisation.version = organisation.version.max(updated_at);
        match name.as_str() {
            NAME_SETTING => organisation.name = value,
            REQUIRE_TWO_FACTOR_SETTING => organisation.require_two_factor = value == "true",
            _ => organisation.time_zone = value,
        }
    }
    Ok(organisation)
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
    let zone = draft.time_zone.name();
    let yes_no = |on: bool| if on { "required" } else { "optional" };
    let Some(changes) = changes_json(&[
        ("name", &old.name, &draft.name),
        ("time_zone", &old.time_zone, zone),
        (
            "two-factor sign-in",
            yes_no(old.require_two_factor),
            yes_no(draft.require_two_factor),
        ),
    ]) else {
        return Ok(());
    };
    // Strictly later than the old version, so a second save in the same millisecond still conflicts.
    let now = now_ms().max(old.version + 1);
    set_setting(conn, NAME_SETTING, &draft.name, now).await?;
    set_setting(conn, TIME_ZONE_SETTING, zone, now).await?;
    let required = if draft.require_two_factor {
        "true"
    } else {
        "false"
    };
    set_setting(conn, REQUIRE_TWO_FACTOR_SETTING, required, now).await?;
    if old.zone() != draft.time_zone {
        crate::tasks::store::reschedule(conn, draft.time_zone).await?;
    }
    record(
        conn,
        NewEntry {
            actor_id: Some(&viewer.id.0),
            actor_name: &viewer.name,
            action: Action::Update,
            entity_type: EntityType::Settings,
            entity_id: None,
            label: "Organisation settings",
            changes: Some(changes),
        },
    )
    .await?;
    Ok(())
}
