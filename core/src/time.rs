//! Time as the caller supplies it.
//!
//! The core never reads a clock (see the crate docs): every method that depends
//! on time takes a [`UnixMillis`]. A plain `u64` crosses FFI and JavaScript
//! without loss, unlike an opaque `Instant`.

/// Milliseconds since the Unix epoch, supplied by the caller.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixMillis(pub u64);

impl UnixMillis {
    /// Whole seconds since the epoch (rounded down).
    pub fn as_secs(self) -> u64 {
        self.0 / 1000
    }

    /// This time plus `ms` milliseconds, saturating at the maximum.
    pub fn saturating_add_millis(self, ms: u64) -> Self {
        UnixMillis(self.0.saturating_add(ms))
    }
}
