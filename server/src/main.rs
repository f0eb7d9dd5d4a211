//! `kith`: serve, migrate, create an admin, seed demo data, import a file, make an
//! API token, back up and restore, check the derived data.

use app::auth::{store, Checked};
use app::db::{now_ms, Db};
use app::sign_in::accounts::{self, NewAccount};
use app::sign_in::SetupForm;
use axum::serve::ListenerExt;
use clap::Parser;
use kith_server::config::{self, Cli, Command, CreateAdminArgs, ServeArgs, TokenCommand};
use kith_server::{demo, leptos_options, open_store};
use std::future::IntoFuture;
use std::io::BufRead;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tracing_subscriber::EnvFilter;

/// jemalloc, with one arena and a background thread that hands memory freed for
/// a tenth of a second back to the system: the server's resident memory follows
/// what it is using. With an arena per thread (jemalloc's default, and glibc's)
/// every thread's rendering peaks were kept apart and resident memory crept up
/// under a steady load (65 → 81 MB over 10 minutes of `make soak`); one arena
/// keeps it within what is allocated (61–71 MB, the same p50s). It is the whole
/// process's `malloc`, so SQLite's page caches and statements (which come and go
/// with connections and imports) are handed back the same way, and `/metrics`'
/// jemalloc gauges account for all of the process's heap. `MALLOC_CONF` overrides it.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[allow(non_upper_case_globals)]
#[unsafe(export_name = "malloc_conf")]
static malloc_conf: &[u8; 69] =
    b"background_thread:true,narenas:1,dirty_decay_ms:100,muzzy_decay_ms:0\0";

#[tokio::main]
async fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    config::apply_env_aliases();
    let filter = EnvFilter::try_from_env("KITH_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    // `KITH_LOG_FORMAT=json`: one JSON object a line, for log collectors.
    if std::env::var("KITH_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        tracing_subscriber::fmt().json().with_current_span(true).with_env_filter(filter).init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("kith: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    // A restore replaces the database file: it must not be opened (nor created) first.
    if let Some(Command::Restore(args)) = &cli.command {
        return kith_server::backup::restore(&cli.database, &args.file).await;
    }
    let db = open_store(&cli.database).await?;
    match cli.command.unwrap_or(Command::Serve(ServeArgs::parse_from_env())) {
        Command::Serve(args) => {
            // Held while serving: a restore waits for every server on this file to stop.
            let _in_use = match kith_server::sqlite_path(&cli.database.database_url) {
                Some(path) => {
                    let lock = kith_server::backup::lock_file(&path)?;
                    lock.lock_shared()
                        .map_err(|e| format!("cannot lock {}: {e}", path.display()))?;
                    Some(lock)
                }
                None => None,
            };
            serve(db, &cli.database.database_url, args).await
        }
        Command::Migrate => {
            println!("Database is up to date.");
            Ok(())
        }
        Command::CreateAdmin(args) => create_admin(&db, args).await,
        Command::Import(args) => kith_server::import::run(&db, args).await,
        Command::Token(TokenCommand::Create(args)) => kith_server::token::create(&db, args).await,
        Command::Backup(args) => {
            kith_server::backup::backup(&db, &cli.database.database_url, &args.file).await
        }
        Command::Check(args) => kith_server::check::run(&db, args.repair).await,
        // Handled above, before the database is opened.
        Command::Restore(_) => Ok(()),
        Command::Seed(args) => {
            let started = std::time::Instant::now();
            kith_server::seed::seed_leads(&db, args.leads, args.days, args.seed, true)
                .await
                .map_err(describe)?;
            println!("Added {} leads in {:.1}s.", args.leads, started.elapsed().as_secs_f64());
            if args.customers > 0 {
                let started = std::time::Instant::now();
                kith_server::seed::seed_customers(&db, args.customers, args.seed, true)
                    .await
                    .map_err(describe)?;
                println!(
                    "Added {} customers in {:.1}s.",
                    args.customers,
                    started.elapsed().as_secs_f64()
                );
            }
            if args.tasks > 0 {
                let started = std::time::Instant::now();
                kith_server::seed::seed_tasks(&db, args.tasks, args.seed, true)
                    .await
                    .map_err(describe)?;
                println!("Added {} tasks in {:.1}s.", args.tasks, started.elapsed().as_secs_f64());
            }
            if args.customers > 0 || args.tasks > 0 {
                db.analyze().await.map_err(|e| e.to_string())?;
            }
            Ok(())
        }
        Command::SeedDemo => {
            if demo::seed_demo(&db).await.map_err(|e| e.to_string())? {
                demo::print_logins();
            } else {
                println!("The database already has users; the demo team was not added.");
            }
            Ok(())
        }
    }
}

trait FromEnv {
    fn parse_from_env() -> Self;
}

impl FromEnv for ServeArgs {
    /// `kith` with no subcommand serves, with the `serve` flags' environment variables applied.
    fn parse_from_env() -> Self {
        #[derive(clap::Parser)]
        struct Serve {
            #[command(flatten)]
            args: ServeArgs,
        }
        Serve::try_parse_from(["kith"]).map(|s| s.args).unwrap_or_default()
    }
}

async fn serve(db: Db, database_url: &str, args: ServeArgs) -> Result<(), String> {
    if args.demo && demo::seed_demo(&db).await.map_err(|e| e.to_string())? {
        demo::print_logins();
    }
    let options = leptos_options()?;
    let addr: SocketAddr = args.addr.unwrap_or(options.site_addr);
    spawn_housekeeping(db.clone(), kith_server::webhook_sender(args.webhook_allow_private)?);
    if let Some(dir) = args.backup_dir.clone() {
        spawn_backups(db.clone(), database_url.to_owned(), dir, args.backup_keep);
    }
    let app = kith_server::app(db, &args, options).await?;
    // Answers go out at once: without TCP_NODELAY a small response on a kept-alive
    // connection waits for the client's delayed ACK (~40 ms per static file).
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?
        .tap_io(|tcp| {
            if let Err(err) = tcp.set_nodelay(true) {
                tracing::debug!("cannot set TCP_NODELAY: {err}");
            }
        });
    tracing::info!("Kith is listening on http://{addr}");
    let stopping = Arc::new(Notify::new());
    let signalled = stopping.clone();
    let serving = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            signalled.notify_one();
        });
    tokio::select! {
        served = serving.into_future() => served.map_err(|e| format!("server error: {e}")),
        () = async { stopping.notified().await; tokio::time::sleep(SHUTDOWN_GRACE).await } => {
            tracing::warn!("requests still in flight after {} s: stopping", SHUTDOWN_GRACE.as_secs());
            Ok(())
        }
    }
}

/// How long requests in flight may finish once Kith is asked to stop.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Hourly cleanup of expired sessions, throttle counters and kept API answers. Every statement is
/// an idempotent delete, so several instances may run it at once.
fn spawn_housekeeping(db: Db, webhooks: app::webhooks::deliver::Sender) {
    spawn_handovers(db.clone());
    spawn_imports(db.clone());
    spawn_webhooks(db.clone(), webhooks);
    spawn_reminders(db.clone());
    tokio::spawn(async move {
        let policy = app::auth::throttle::ThrottlePolicy::default();
        let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            let now = now_ms();
            if let Err(err) = app::auth::session::prune_expired(&db, now).await {
                tracing::warn!(%err, "pruning expired sessions failed");
            }
            if let Err(err) = app::auth::throttle::prune(&db, &policy, now).await {
                tracing::warn!(%err, "pruning throttle counters failed");
            }
            if let Err(err) = app::sign_in::two_factor::store::prune(&db, now).await {
                tracing::warn!(%err, "pruning pending sign-ins failed");
            }
            if let Err(err) = app::api::idempotency::prune(&db, now).await {
                tracing::warn!(%err, "pruning kept API answers failed");
            }
            if let Err(err) = app::lead_forms::store::prune(&db, now).await {
                tracing::warn!(%err, "pruning web form post counts failed");
            }
            if let Err(err) = app::notifications::store::prune(&db, now).await {
                tracing::warn!(%err, "pruning read notifications failed");
            }
        }
    });
}

/// Every second, sends the webhook deliveries that are due; each attempt is made by
/// one instance however many run.
fn spawn_webhooks(db: Db, sender: app::webhooks::deliver::Sender) {
    tokio::spawn(async move {
        let mut every_second = tokio::time::interval(Duration::from_secs(1));
        every_second.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every_second.tick().await;
            if let Err(err) = app::webhooks::deliver::run_once(&db, &sender).await {
                tracing::warn!(%err, "sending webhooks failed");
            }
        }
    });
}

/// Every hour, takes the day's backup if no instance has yet (a failed one is
/// tried again the next hour).
fn spawn_backups(db: Db, url: String, dir: std::path::PathBuf, keep: usize) {
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            let day = chrono::Utc::now().format("%Y-%m-%d").to_string();
            match kith_server::backup::scheduled(&db, &url, &dir, keep, &day).await {
                Ok(Some(file)) => tracing::info!(file = %file.display(), "took the daily backup"),
                Ok(None) => {}
                Err(err) => tracing::error!(%err, "the daily backup failed"),
            }
        }
    });
}

/// Every minute, reminds people of their tasks falling due or just overdue; a
/// reminder another instance wrote is not written again.
fn spawn_reminders(db: Db) {
    tokio::spawn(async move {
        let mut every_minute = tokio::time::interval(Duration::from_secs(60));
        every_minute.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every_minute.tick().await;
            if let Err(err) = app::notifications::store::remind(&db, now_ms()).await {
                tracing::warn!(%err, "writing task reminders failed");
            }
        }
    });
}

/// Every minute, carries on any deleted user's handover that nobody is carrying
/// on (one a stopped server left unfinished); one instance at a time does each.
fn spawn_handovers(db: Db) {
    tokio::spawn(async move {
        let mut every_minute = tokio::time::interval(Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            if let Err(err) = app::users::store::handover::run(&db).await {
                tracing::warn!(%err, "handing a deleted user's records over failed");
            }
        }
    });
}

/// Every second, works on any import waiting for a worker (queued or being undone),
/// including one a stopped server left half-written; one instance at a time does each.
fn spawn_imports(db: Db) {
    tokio::spawn(async move {
        let mut every_second = tokio::time::interval(Duration::from_secs(1));
        every_second.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every_second.tick().await;
            if let Err(err) = app::import::store::worker::work(&db).await {
                tracing::warn!(%err, "working on imports failed");
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: no new connections; finishing requests in flight");
}

async fn create_admin(db: &Db, args: CreateAdminArgs) -> Result<(), String> {
    let password = match args.password {
        Some(p) => p,
        None => {
            eprintln!("Password for {} (input is not hidden):", args.email);
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| format!("cannot read the password: {e}"))?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let form = NewAccount::checked(&SetupForm {
        name: args.name.clone(),
        email: args.email.clone(),
        password,
        password_confirm: None,
    })
    .map_err(describe)?;
    let hash = accounts::password_hash(&form).await.map_err(describe)?;
    let mut tx = db.transaction().await.map_err(|e| e.to_string())?;
    // Whether or not setup was done, an admin created here completes it.
    store::claim_setup(&mut tx, now_ms()).await.map_err(describe)?;
    accounts::create_admin(&mut tx, &form, &hash).await.map_err(describe)?;
    tx.commit().await.map_err(|e| e.to_string())?;
    println!("Created admin {} <{}>.", form.name.as_str(), form.email);
    Ok(())
}

fn describe(err: app::error::AppError) -> String {
    err.in_one_line()
}
