//! Server functions of API tokens: anyone lists, makes and revokes their own; an
//! admin also sees and revokes everyone's.

use super::{TokenForm, TokensOverview};
use crate::error::AppError;
use crate::ids::ApiTokenId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{store, TokenDraft},
    crate::auth::Checked,
    crate::db::now_ms,
    crate::state::{app_state, go, signed_in, write},
};

/// The page of a person's API tokens.
pub const PAGE: &str = "/profile/tokens";

/// The viewer's tokens, one made just now (once), and everyone's for an admin.
#[server(prefix = "/api", endpoint = "tokens/list")]
pub async fn my_tokens() -> Result<TokensOverview, AppError> {
    let viewer = signed_in()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    let fresh = store::revealed(&mut conn, &viewer).await?;
    let mine = store::list(&mut conn, Some(&viewer.id)).await?;
    let everyone = match viewer.is_admin() {
        true => Some(store::list(&mut conn, None).await?),
        false => None,
    };
    Ok(TokensOverview { mine, fresh, everyone, now: now_ms() })
}

/// Makes a token for the viewer; the page shows it once.
#[server(prefix = "/api", endpoint = "tokens/create")]
pub async fn create_token(#[server(flatten)] form: TokenForm) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let draft = TokenDraft::checked(&form)?;
    write(async |tx| {
        let token = store::create(tx, &viewer, &viewer.id, &draft).await?;
        store::reveal_later(tx, &viewer, &token).await
    })
    .await?;
    go(&format!("{PAGE}?created=1"))
}

/// Revokes one of the viewer's tokens (an admin: anyone's).
#[server(prefix = "/api", endpoint = "tokens/revoke")]
pub async fn revoke_token(id: ApiTokenId) -> Result<(), AppError> {
    let viewer = signed_in()?;
    write(async |tx| store::revoke(tx, &viewer, &id).await).await?;
    go(&format!("{PAGE}?revoked=1"))
}
