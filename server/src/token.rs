//! `kith token create`: an API token for a team member, printed once, for scripted
//! installs. It goes through the same checks and store as the tokens page, and its
//! making is logged on its owner.

use crate::config::TokenCreateArgs;
use app::api_tokens::{store, TokenDraft, TokenForm};
use app::auth::{store::viewer_by_email, Checked, Email};
use app::db::Db;

pub async fn create(db: &Db, args: TokenCreateArgs) -> Result<(), String> {
    let email =
        Email::parse("email", &args.email).map_err(|e| format!("--email: {}", e.message))?;
    let owner = viewer_by_email(db, &email)
        .await
        .map_err(|e| e.in_one_line())?
        .ok_or_else(|| format!("no active team member has the email {}", args.email))?;
    let expires_days = match args.expires_days {
        0 => "never".to_owned(),
        days => days.to_string(),
    };
    let form = TokenForm { name: args.name, scope: args.scope, expires_days };
    let draft = TokenDraft::checked(&form).map_err(|e| e.in_one_line())?;
    let mut tx = db.transaction().await.map_err(|e| e.to_string())?;
    let token =
        store::create(&mut tx, &owner, &owner.id, &draft).await.map_err(|e| e.in_one_line())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    eprintln!(
        "API token “{}” for {} ({}), {}: shown only now.",
        draft.name,
        owner.email,
        draft.scope.label().to_lowercase(),
        draft.days.map_or_else(|| "never expires".to_owned(), |d| format!("expires in {d} days")),
    );
    println!("{token}");
    Ok(())
}
