//! An import's file kept in the database, in pieces of up to a megabyte, so
//! whichever instance takes the job up reads the same bytes; read back a piece at a
//! time and dropped once the import is done.

use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::ids::ImportId;
use crate::import::source::Reading;
use crate::import::stream::Stream;
use sqlx::AnyConnection;
use std::io::{self, Read};
use std::path::Path;
use tokio::io::AsyncReadExt as _;
use tokio::runtime::Handle;

/// Bytes per stored piece.
const PIECE: usize = 1024 * 1024;

/// Stores the file at `path` as the file of `id`, a piece at a time.
pub async fn save(conn: &mut AnyConnection, id: &ImportId, path: &Path) -> AppResult<()> {
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(|e| AppError::internal("an uploaded file could not be opened", e))?;
    let mut seq = 0i64;
    loop {
        let mut piece = Vec::with_capacity(PIECE);
        (&mut file)
            .take(PIECE as u64)
            .read_to_end(&mut piece)
            .await
            .map_err(|e| AppError::internal("an uploaded file could not be read", e))?;
        if piece.is_empty() {
            return Ok(());
        }
        sqlx::query("INSERT INTO import_chunks (import_id, seq, data) VALUES ($1, $2, $3)")
            .bind(id.as_str())
            .bind(seq)
            .bind(piece)
            .execute(&mut *conn)
            .await?;
        seq += 1;
    }
}

/// The rows of the file of `id` read as `reading` says, `size` a batch.
pub async fn rows(db: &Db, id: &ImportId, reading: Reading, size: usize) -> AppResult<Stream> {
    let (db, id, handle) = (db.clone(), id.clone(), Handle::current());
    let open = move || {
        Ok(Pieces {
            db: db.clone(),
            id: id.clone(),
            handle: handle.clone(),
            next: 0,
            piece: Vec::new(),
            at: 0,
            ended: false,
        })
    };
    Stream::open(open, reading, size).await
}

/// The stored file read from its start, each piece fetched when the one before is
/// used up (on a blocking thread: it waits for the database).
struct Pieces {
    db: Db,
    id: ImportId,
    handle: Handle,
    next: i64,
    piece: Vec<u8>,
    at: usize,
    ended: bool,
}

impl Read for Pieces {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        while self.at == self.piece.len() {
            if self.ended {
                return Ok(0);
            }
            let fetch =
                sqlx::query_as("SELECT data FROM import_chunks WHERE import_id = $1 AND seq = $2")
                    .bind(self.id.as_str())
                    .bind(self.next)
                    .fetch_optional(&self.db.pool);
            match self.handle.block_on(fetch).map_err(io::Error::other)? {
                Some((piece,)) => (self.piece, self.at, self.next) = (piece, 0, self.next + 1),
                None => self.ended = true,
            }
        }
        let n = buffer.len().min(self.piece.len() - self.at);
        buffer[..n].copy_from_slice(&self.piece[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Forgets the file of `id`.
pub async fn drop(conn: &mut AnyConnection, id: &ImportId) -> AppResult<()> {
    sqlx::query("DELETE FROM import_chunks WHERE import_id = $1")
        .bind(id.as_str())
        .execute(conn)
        .await?;
    Ok(())
}
