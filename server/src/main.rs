//! `kith`: serve, migrate, create an admin, seed demo data, import a file.

use app::auth::{store, Checked};
use app::db::{now_ms, Db};
use app::sign_in::accounts::{self, NewAccount};
use app::sign_in::SetupForm;
use axum::serve::ListenerExt;
use clap::Parser;
use kith_server::config::{self, Cli, Command, CreateAdminArgs, ServeArgs, TokenCommand};
use kith_server::{demo, leptos_options, open_store};
use std::io::BufRead;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;
use tracing_subscriber::EnvFilter;

/// jemalloc, with a background thread that hands memory freed for a second
/// back to the system: the server's resident memory follows what it is using,
/// where glibc's allocator kept every rendering peak in per-thread arenas.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[allow(non_upper_case_globals)]
#[unsafe(export_name = "_rjem_malloc_conf")]
static malloc_conf: &[u8; 60] = b"background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0\0";

#[tokio::main]
async fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    config::apply_env_aliases();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("KITH_LOG")
                .or_else(|_| EnvFilter::try_from_default_env())
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info")),
        )
        .init();
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
    let db = open_store(&cli.database).await?;
    match cli.command.unwrap_or(Command::Serve(ServeArgs::parse_from_env())) {
        Command::Serve(args) => serve(db, args).await,
        Command::Migrate => {
            println!("Database is up to date.");
            Ok(())
        }
        Command::CreateAdmin(args) => create_admin(&db, args).await,
        Command::Import(args) => kith_server::import::run(&db, args).await,
        Command::Token(TokenCommand::Create(args)) => kith_server::token::create(&db, args).await,
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

async fn serve(db: Db, args: ServeArgs) -> Result<(), String> {
    if args.demo && demo::seed_demo(&db).await.map_err(|e| e.to_string())? {
        demo::print_logins();
    }
    let options = leptos_options()?;
    let addr: SocketAddr = args.addr.unwrap_or(options.site_addr);
    spawn_housekeeping(db.clone());
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
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))
}

/// Hourly cleanup of expired sessions and throttle counters. Every statement is
/// an idempotent delete, so several instances may run it at once.
fn spawn_housekeeping(db: Db) {
    spawn_handovers(db.clone());
    spawn_imports(db.clone());
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
    tracing::info!("shutting down: finishing requests in flight");
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
