//! A file's rows handed over a batch at a time: `source::read` runs on a blocking
//! thread (reading and decoding are synchronous, and a stored file's pieces are
//! fetched as it goes) and at most two batches wait between it and the reader, so a
//! file of any size is read in the same memory. What passes is counted, and the
//! first rows are kept for the mapping page.

use super::job::{Head, SAMPLE_ROWS};
use super::source::{self, Format, Reading, Row};
use crate::error::{AppError, AppResult};
use std::io::{self, Read};
use tokio::sync::{mpsc, oneshot};

pub struct Stream {
    pub format: Format,
    pub headers: Vec<String>,
    batches: mpsc::Receiver<AppResult<Vec<Row>>>,
    /// The first rows read, as the mapping page shows them.
    sample: Vec<Vec<String>>,
    /// Rows handed over so far.
    read: u64,
}

impl Stream {
    /// Starts reading the file `open` gives as `reading` says, `size` rows a batch.
    pub async fn open<R, F>(open: F, reading: Reading, size: usize) -> AppResult<Self>
    where
        R: Read + Send + 'static,
        F: Fn() -> io::Result<R> + Send + 'static,
    {
        let (first, header) = oneshot::channel();
        let (hand, batches) = mpsc::channel(2);
        tokio::task::spawn_blocking(move || {
            let table = match source::read(open, &reading) {
                Ok(table) => table,
                Err(error) => return drop(first.send(Err(error))),
            };
            if first.send(Ok((table.format, table.headers))).is_err() {
                return;
            }
            let mut batch = Vec::with_capacity(size);
            for row in table.rows {
                let full = match row {
                    Ok(row) => {
                        batch.push(row);
                        batch.len() >= size
                    }
                    Err(error) => return drop(hand.blocking_send(Err(error))),
                };
                // Nobody reads on: the reader stopped or failed.
                if full && hand.blocking_send(Ok(std::mem::take(&mut batch))).is_err() {
                    return;
                }
            }
            if !batch.is_empty() {
                let _ = hand.blocking_send(Ok(batch));
            }
        });
        let (format, headers) =
            header.await.map_err(|e| AppError::internal("reading an import stopped", e))??;
        Ok(Self { format, headers, batches, sample: Vec::new(), read: 0 })
    }

    /// The next batch of rows, or `None` after the last.
    pub async fn next(&mut self) -> AppResult<Option<Vec<Row>>> {
        let Some(batch) = self.batches.recv().await.transpose()? else {
            return Ok(None);
        };
        let wanted = SAMPLE_ROWS.saturating_sub(self.sample.len());
        let sampled = batch.iter().take(wanted).map(|row| row.iter().map(str::to_owned).collect());
        self.sample.extend(sampled);
        self.read += batch.len() as u64;
        Ok(Some(batch))
    }

    /// Reads on to the end (only counting), refusing a file with no rows under its header.
    pub async fn count_rest(&mut self) -> AppResult<u64> {
        while self.next().await?.is_some() {}
        if self.read == 0 {
            return Err(AppError::invalid("file", "The file has a header but no rows under it."));
        }
        Ok(self.read)
    }

    /// The header and the first rows read.
    pub fn head(&self) -> Head {
        Head { headers: self.headers.clone(), rows: self.sample.clone() }
    }

    /// How many rows have been handed over.
    pub fn rows_read(&self) -> u64 {
        self.read
    }
}
