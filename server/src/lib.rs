//! Kith's server: configuration, command line, HTTP layers and router.
//! Business rules live in the `app` crate; this crate only hosts them.

pub mod backup;
pub mod check;
pub mod config;
pub mod demo;
pub mod demo_records;
pub mod guard;
pub mod import;
pub mod metrics;
pub mod middleware;
pub mod router;
pub mod seed;
pub mod token;

use app::auth::session::AuthSettings;
use app::auth::{store, tokens};
use app::db::{default_pool_size, Backend, Db};
use app::state::AppState;
use config::{DatabaseArgs, ServeArgs};
use leptos::config::{get_configuration, LeptosOptions};
use middleware::WebState;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// Opens the database (creating the SQLite file's folder) and migrates it.
pub async fn open_store(args: &DatabaseArgs) -> Result<Db, String> {
    let backend = Backend::of_url(&args.database_url).ok_or_else(|| {
        format!("unsupported database URL {:?}: use sqlite:// or postgres://", args.database_url)
    })?;
    if backend == Backend::Sqlite {
        create_sqlite_folder(&args.database_url)?;
    }
    let size = args.db_max_connections.unwrap_or_else(|| default_pool_size(backend));
    let db = Db::connect_with(&args.database_url, size, args.sqlite_synchronous).await?;
    db.migrate().await?;
    Ok(db)
}

/// The file of an SQLite database URL (`None` for PostgreSQL or in memory).
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    if Backend::of_url(url) != Some(Backend::Sqlite) {
        return None;
    }
    let path = url.trim_start_matches("sqlite:").trim_start_matches("//").split('?').next()?;
    (!path.is_empty() && path != ":memory:").then(|| std::path::PathBuf::from(path))
}

fn create_sqlite_folder(url: &str) -> Result<(), String> {
    let Some(path) = sqlite_path(url) else {
        return Ok(());
    };
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display())),
        _ => Ok(()),
    }
}

/// Session settings; the signing secret comes from configuration or, by
/// default, from the database so that every instance shares it.
pub async fn auth_settings(db: &Db, args: &ServeArgs) -> Result<AuthSettings, String> {
    let secret = match &args.jwt_secret {
        Some(secret) if secret.len() >= 32 => secret.clone(),
        Some(_) => return Err("KITH_JWT_SECRET must be at least 32 characters".into()),
        None => store::setting_or_insert(db, "jwt_secret", &tokens::new_signing_secret())
            .await
            .map_err(|e| format!("cannot read the signing secret: {e}"))?,
    };
    let mut settings = AuthSettings::new(secret.as_bytes());
    settings.access_ttl_secs = args.access_token_ttl.max(1);
    settings.refresh_ttl_secs = args.refresh_token_ttl.max(60);
    settings.secure_cookies = args.secure_cookies;
    settings.reuse_grace_ms = args.refresh_reuse_grace_ms;
    Ok(settings)
}

/// Leptos's site settings from the environment cargo-leptos sets, with defaults
/// that fit running the `kith` binary directly from the project folder.
pub fn leptos_options() -> Result<LeptosOptions, String> {
    let mut options = get_configuration(None)
        .map_err(|e| format!("invalid LEPTOS_* setting: {e}"))?
        .leptos_options;
    if options.output_name.is_empty() {
        options.output_name = "kith".into();
    }
    // A release build names its assets by content hash and lists the hashes
    // beside the binary; pages then link those names.
    options.hash_files = options.hash_files || hash_file_beside_binary(&options).is_some();
    Ok(options)
}

/// The asset hash list cargo-leptos writes beside the server binary, if there is one.
pub fn hash_file_beside_binary(options: &LeptosOptions) -> Option<std::path::PathBuf> {
    let path = std::env::current_exe().ok()?.parent()?.join(options.hash_file.as_ref());
    path.exists().then_some(path)
}

/// The complete HTTP application on an open store.
pub async fn app(db: Db, args: &ServeArgs, options: LeptosOptions) -> Result<axum::Router, String> {
    let auth = auth_settings(&db, args).await?;
    // The configured zone starts a new organisation off; admins change it in Settings.
    if let Some(name) = &args.time_zone {
        parse_time_zone(name)?;
        let stored = store::setting(&db, app::clock::TIME_ZONE_SETTING)
            .await
            .map_err(|e| format!("cannot read the time zone: {e}"))?;
        if stored.is_none() {
            set_time_zone(&db, name).await?;
        }
    }
    app_with(db, auth, args, options)
}

fn parse_time_zone(name: &str) -> Result<chrono_tz::Tz, String> {
    name.trim().parse().map_err(|_| {
        format!("KITH_TIME_ZONE: {name:?} is not a time zone name such as Europe/Lisbon or UTC")
    })
}

/// Moves the organisation to a time zone, refusing a name that is not an IANA
/// zone; the same change as an admin's in Settings, logged as Kith's own.
pub async fn set_time_zone(db: &Db, name: &str) -> Result<(), String> {
    let zone = parse_time_zone(name)?;
    let store_zone = async {
        let mut tx = db.transaction().await?;
        app::settings::store::start_in_time_zone(&mut tx, zone).await?;
        tx.commit().await?;
        Ok::<_, app::error::AppError>(())
    };
    store_zone.await.map_err(|e| format!("cannot store the time zone: {e}"))
}

/// The application with explicit session settings (tests shorten its windows).
pub fn app_with(
    db: Db,
    auth: AuthSettings,
    args: &ServeArgs,
    options: LeptosOptions,
) -> Result<axum::Router, String> {
    let dev_reload_port = std::env::var_os("LEPTOS_WATCH").map(|_| options.reload_port);
    let replica = match args.database_replica_url.as_deref() {
        Some(_) if db.backend != Backend::Postgres => {
            return Err("KITH_DATABASE_REPLICA_URL: a replica goes with a PostgreSQL primary".into())
        }
        Some(url) => Some(Db::replica(url, default_pool_size(Backend::Postgres))?),
        None => None,
    };
    let web = WebState {
        app: AppState {
            db,
            replica,
            auth: Arc::new(auth),
            leptos_options: options,
            upload_limit: args.upload_limit_mb * 1024 * 1024,
            api_limits: Arc::new(app::rate::RateLimiter::new(args.api_rate_limit)),
            allow_private_webhooks: args.webhook_allow_private,
        },
        trust_proxy: args.trust_proxy,
        proxy_hops: usize::from(args.proxy_hops),
        https: args.secure_cookies,
        dev_reload_port,
        has_users: Arc::new(AtomicBool::new(false)),
        body_limit: args.body_limit,
        metrics_token: args.metrics_token.as_deref().map(Arc::from),
    };
    Ok(router::build(web))
}

/// What sends webhooks, over rustls with the ring provider (installed for the
/// process here, once); `allow_private` lets it reach addresses inside the network.
pub fn webhook_sender(allow_private: bool) -> Result<app::webhooks::deliver::Sender, String> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    app::webhooks::deliver::Sender::new(allow_private)
}
