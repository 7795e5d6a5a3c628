//! Request ids: 16 hex digits, unique within a process and unlikely to repeat across
//! restarts because the counter starts at a random value.

use std::hash::{BuildHasher as _, RandomState};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: LazyLock<AtomicU64> =
    LazyLock::new(|| AtomicU64::new(RandomState::new().hash_one(std::process::id())));

/// Returns the next id as a number.
pub fn next() -> u64 {
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

/// Returns the next id formatted as 16 lower-case hex digits.
pub fn next_hex() -> String {
    format!("{:016x}", next())
}
