//! An import's file kept in the database, in pieces of up to a megabyte, so
//! whichever instance takes the job up reads the same bytes; dropped once the
//! import is done.

use crate::error::AppResult;
use crate::ids::ImportId;
use sqlx::AnyConnection;

/// Bytes per stored piece.
const PIECE: usize = 1024 * 1024;

/// Stores `bytes` as the file of `id`.
pub async fn save(conn: &mut AnyConnection, id: &ImportId, bytes: &[u8]) -> AppResult<()> {
    for (seq, piece) in bytes.chunks(PIECE).enumerate() {
        sqlx::query("INSERT INTO import_chunks (import_id, seq, data) VALUES ($1, $2, $3)")
            .bind(id.as_str())
            .bind(seq as i64)
            .bind(piece.to_vec())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The file of `id`, whole.
pub async fn load(conn: &mut AnyConnection, id: &ImportId) -> AppResult<Vec<u8>> {
    let pieces: Vec<(Vec<u8>,)> =
        sqlx::query_as("SELECT data FROM import_chunks WHERE import_id = $1 ORDER BY seq")
            .bind(id.as_str())
            .fetch_all(conn)
            .await?;
    let mut bytes = Vec::with_capacity(pieces.iter().map(|(piece,)| piece.len()).sum());
    for (piece,) in pieces {
        bytes.extend_from_slice(&piece);
    }
    Ok(bytes)
}

/// Forgets the file of `id`.
pub async fn drop(conn: &mut AnyConnection, id: &ImportId) -> AppResult<()> {
    sqlx::query("DELETE FROM import_chunks WHERE import_id = $1")
        .bind(id.as_str())
        .execute(conn)
        .await?;
    Ok(())
}
