//! Configuration: command-line flags, each with an environment variable and a
//! documented default. A `.env` file in the working directory is read first.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;

#[derive(Debug, Parser)]
#[command(name = "kith", version, about = "Kith, a self-hosted CRM for small sales teams")]
pub struct Cli {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve Kith over HTTP (the default).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create an administrator account (for scripted installs).
    CreateAdmin(CreateAdminArgs),
    /// Add the demo team (an admin and three agents) and a few hundred leads, if the database has no users.
    SeedDemo,
    /// Generate a large synthetic data set for benchmarks.
    Seed(SeedArgs),
    /// Import leads or customers from a CSV or Excel file, as a team member.
    Import(ImportArgs),
    /// Personal API tokens, for scripted installs.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Copy the database to FILE while Kith serves (SQLite), and check the copy;
    /// on PostgreSQL, run (or print) the `pg_dump` that does it.
    Backup(BackupArgs),
    /// Replace the SQLite database with a backup FILE, checked first and migrated
    /// if older; refused while a Kith server uses the database.
    Restore(BackupArgs),
    /// Compare the data Kith keeps beside the records (dashboard counts, search
    /// indexes) with the records; `--repair` rebuilds what is wrong.
    Check(CheckArgs),
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Rebuild what is wrong.
    #[arg(long)]
    pub repair: bool,
}

#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// The backup file.
    pub file: std::path::PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make an API token for a team member and print it (it is shown only this once).
    Create(TokenCreateArgs),
}

#[derive(Debug, Clone, Args)]
pub struct TokenCreateArgs {
    /// The email of the team member the token acts as, with their rights.
    #[arg(long)]
    pub email: String,
    /// What the token is for ("Website sync").
    #[arg(long)]
    pub name: String,
    /// `read` (read only) or `write` (read and write).
    #[arg(long, default_value = "read")]
    pub scope: String,
    /// Days until it expires; 0 for never.
    #[arg(long = "expires-days", default_value_t = 90)]
    pub expires_days: u32,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// What the file holds: `leads` or `customers`.
    pub kind: String,
    /// A CSV (any delimiter and encoding) or Excel file.
    pub file: std::path::PathBuf,
    /// The email of the team member who imports: their rights apply, and an agent's
    /// rows are theirs whatever the file says.
    #[arg(long = "as")]
    pub as_email: String,
    /// A row whose email matches a lead or customer already there (or an earlier row):
    /// `skip`, `update` (its mapped, non-empty fields) or `create` anyway.
    #[arg(long = "on-duplicate", alias = "duplicates", default_value = "skip")]
    pub on_duplicate: String,
    /// Match rows by phone too (its digits alone: "+1 (555) 010-0100" is "15550100100"),
    /// not by email only.
    #[arg(long)]
    pub match_phone: bool,
    /// The email of whom rows go to that name nobody on the team (default: the importer).
    #[arg(long = "assignee", alias = "assign-to")]
    pub assignee: Option<String>,
    /// A column's field instead of the one proposed, as `"Column=field"` (fields:
    /// name, first_name, last_name, email, phone, company, source, status,
    /// assignee, notes, tags, skip). Repeat for several columns.
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    pub map: Vec<String>,
    /// Map the columns and status values as the importer's mapping saved under this
    /// name on the import page does (`--map` still changes a column).
    #[arg(long = "mapping", value_name = "NAME")]
    pub mapping: Option<String>,
    /// Check every row and print what the import would do, writing nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The workbook's sheet to read (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Where to write the refused rows with a Reason column (default: beside the file,
    /// `NAME.rejected.csv`).
    #[arg(long)]
    pub rejected: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// SQLite (`sqlite://path`) or PostgreSQL (`postgres://…`) database URL.
    #[arg(long, global = true, env = "KITH_DATABASE_URL", default_value = "sqlite://data/kith.db")]
    pub database_url: String,
    /// Maximum pooled connections (default: sized for this machine and database).
    #[arg(long, global = true, env = "KITH_DB_MAX_CONNECTIONS")]
    pub db_max_connections: Option<u32>,
    /// SQLite only: `normal` (a commit survives Kith crashing; the last ones may be
    /// lost if the machine loses power) or `full` (every commit on disk first).
    #[arg(long, global = true, env = "KITH_SQLITE_SYNCHRONOUS", default_value = "normal", value_parser = parse_durability)]
    pub sqlite_synchronous: app::db::Durability,
}

fn parse_durability(name: &str) -> Result<app::db::Durability, String> {
    app::db::Durability::parse(name).ok_or_else(|| "write `normal` or `full`".to_owned())
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on (default: LEPTOS_SITE_ADDR, else 127.0.0.1:3000).
    #[arg(long, env = "KITH_ADDR")]
    pub addr: Option<SocketAddr>,
    /// Seed the demo team on first start, when the database has no users.
    #[arg(long, env = "KITH_DEMO", default_value_t = false)]
    pub demo: bool,
    /// Secret for signing access tokens. Default: generated once and kept in the
    /// database, so every instance shares it.
    #[arg(long, env = "KITH_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// Lifetime of an access token, in seconds.
    #[arg(long, env = "KITH_ACCESS_TOKEN_TTL", default_value_t = 15 * 60)]
    pub access_token_ttl: i64,
    /// Lifetime of a refresh token (and an idle session), in seconds.
    #[arg(long, env = "KITH_REFRESH_TOKEN_TTL", default_value_t = 14 * 24 * 60 * 60)]
    pub refresh_token_ttl: i64,
    /// How long (ms) an already-rotated refresh token is still honoured, for
    /// parallel requests; reuse after that revokes the session as stolen.
    #[arg(long, env = "KITH_REFRESH_REUSE_GRACE_MS", default_value_t = 10_000)]
    pub refresh_reuse_grace_ms: i64,
    /// Mark cookies `Secure` and send HSTS: set when Kith is served over https.
    #[arg(long, env = "KITH_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For`/`X-Forwarded-Host` from a reverse proxy in front of Kith.
    #[arg(long, env = "KITH_TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,
    /// How many trusted proxies append to `X-Forwarded-For` (with `KITH_TRUST_PROXY`):
    /// the client is the entry this many places from the right.
    #[arg(long, env = "KITH_PROXY_HOPS", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=8))]
    pub proxy_hops: u8,
    /// Largest accepted request body, in bytes.
    #[arg(long, env = "KITH_BODY_LIMIT", default_value_t = 1024 * 1024)]
    pub body_limit: usize,
    /// Largest import file accepted (`/import`), in megabytes. Only the upload
    /// may be this large; every other request keeps `--body-limit`.
    #[arg(long, env = "KITH_IMPORT_LIMIT_MB", default_value_t = 200)]
    pub upload_limit_mb: usize,
    /// Requests each REST API token may make a minute, counted per instance.
    #[arg(long, env = "KITH_API_RATE_LIMIT", default_value_t = 600)]
    pub api_rate_limit: u32,
    /// Let webhooks go to addresses inside the network (loopback, private,
    /// link-local): only for receivers on the same network as Kith.
    #[arg(long, env = "KITH_WEBHOOK_ALLOW_PRIVATE", default_value_t = false)]
    pub webhook_allow_private: bool,
    /// Take a backup into this folder once a day (`kith-YYYY-MM-DD.db`); one
    /// instance takes each day's.
    #[arg(long, env = "KITH_BACKUP_DIR")]
    pub backup_dir: Option<std::path::PathBuf>,
    /// How many daily backups to keep in `KITH_BACKUP_DIR`.
    #[arg(long, env = "KITH_BACKUP_KEEP", default_value_t = 7)]
    pub backup_keep: usize,
    /// The organisation's time zone (IANA name, e.g. Europe/Lisbon) for a new
    /// installation: stored at start when none is stored yet. Admins change it in
    /// Settings; a stored zone is never overwritten from here.
    #[arg(long, env = "KITH_TIME_ZONE")]
    pub time_zone: Option<String>,
    /// When set, `/metrics` answers only requests bearing this token
    /// (`Authorization: Bearer …`).
    #[arg(long, env = "KITH_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// A PostgreSQL read replica for the lists, the board and the dashboard; a
    /// browser's reads stay on the primary until the replica shows its own changes.
    #[arg(long, env = "KITH_DATABASE_REPLICA_URL", hide_env_values = true)]
    pub database_replica_url: Option<String>,
}

impl Default for ServeArgs {
    fn default() -> Self {
        Self {
            addr: None,
            demo: false,
            jwt_secret: None,
            access_token_ttl: 15 * 60,
            refresh_token_ttl: 14 * 24 * 60 * 60,
            refresh_reuse_grace_ms: 10_000,
            secure_cookies: false,
            trust_proxy: false,
            proxy_hops: 1,
            body_limit: 1024 * 1024,
            upload_limit_mb: 200,
            api_rate_limit: 600,
            webhook_allow_private: false,
            backup_dir: None,
            backup_keep: 7,
            time_zone: None,
            metrics_token: None,
            database_replica_url: None,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct SeedArgs {
    /// How many leads to generate (spread over the last `--days` days, across the active agents).
    #[arg(long, default_value_t = 100_000)]
    pub leads: u64,
    #[arg(long, default_value_t = 30)]
    pub days: i64,
    /// Random seed, so a data set can be reproduced.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// How many customers to generate as well (with tags, across the active agents).
    #[arg(long, default_value_t = 0)]
    pub customers: u64,
    /// How many tasks to generate as well (on the generated leads, due within 30 days either way).
    #[arg(long, default_value_t = 0)]
    pub tasks: u64,
}

#[derive(Debug, Clone, Args)]
pub struct CreateAdminArgs {
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub email: String,
    /// The password; read from standard input when not given.
    #[arg(long, env = "KITH_ADMIN_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
}

/// `DATABASE_URL` is honoured too, for tools that set it.
pub fn apply_env_aliases() {
    if std::env::var_os("KITH_DATABASE_URL").is_none() {
        if let Ok(url) = std::env::var("DATABASE_URL") {
            std::env::set_var("KITH_DATABASE_URL", url);
        }
    }
}
