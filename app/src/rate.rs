//! Requests counted per key (an API token…) in fixed one-minute windows, in this
//! instance's memory: how many a key may still make, and when its window ends.

use std::collections::HashMap;
use std::sync::Mutex;

const WINDOW_MS: i64 = 60_000;
/// Tokens counted at once before windows that have ended are dropped.
const PRUNE_ABOVE: usize = 10_000;

/// Requests each token made in the current minute.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<String, (i64, u32)>>,
}

/// Where a token stands in its window.
#[derive(Debug, Clone, Copy)]
pub struct Allowance {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the window ends.
    pub reset: u64,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        Self { per_minute, windows: Mutex::new(HashMap::new()) }
    }

    /// Counts a request of `token_id` at `now_ms`: `Err` when the minute's are used up.
    pub fn take(&self, token_id: &str, now_ms: i64) -> Result<Allowance, Allowance> {
        let window = now_ms.div_euclid(WINDOW_MS);
        let reset = u64::try_from((window + 1) * WINDOW_MS - now_ms).unwrap_or(0).div_ceil(1000);
        let mut windows = self.windows.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if windows.len() > PRUNE_ABOVE {
            windows.retain(|_, (w, _)| *w == window);
        }
        let (counted, used) = windows.entry(token_id.to_owned()).or_insert((window, 0));
        if *counted != window {
            (*counted, *used) = (window, 0);
        }
        let mut allowance = Allowance { limit: self.per_minute, remaining: 0, reset };
        if *used >= self.per_minute {
            return Err(allowance);
        }
        *used += 1;
        allowance.remaining = self.per_minute - *used;
        Ok(allowance)
    }
}
