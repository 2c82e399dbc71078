//! A loopback MTProto server and client built from the core's sans-IO pieces,
//! and the socket glue that runs them over real TCP.
//!
//! There is no session layer in the core yet (msg_id/seq_no tracking, acks,
//! containers, salts come in a later issue), so these objects do the least a
//! conversation needs and say so where they cut corners:
//!
//! - [`LoopbackServer`] holds what every connection shares (the RSA keys and
//!   DH group as one `Arc<ServerHandshakeConfig>`, one [`AuthKeyStore`]);
//!   [`LoopbackServer::accept`] gives one [`ServerConnection`] per socket,
//!   which composes a [`ServerTransport`] (every transport on one port), plain
//!   messages with one [`ServerHandshake`] per key exchange, and encrypted
//!   messages answering `ping` and `auth.bindTempAuthKey`.
//! - [`LoopbackClient`] creates a permanent key, then a temporary key, binds
//!   the temporary key to the permanent one, then pings over the temporary
//!   key, all on one transport connection.
//! - [`tcp`] runs both over `std::net` sockets: the demo and the integration
//!   tests use it.
//!
//! Every object follows the core's drive loop: feed bytes with
//! `handle_input(.., now)`, then drain `poll_transmit` (and `poll_event` on
//! the server). Time is always an argument; randomness comes from a
//! [`RandomSource`], which hands each core object its own RNG.
//!
//! [`ServerTransport`]: mtproto_core::transport::ServerTransport
//! [`ServerHandshake`]: mtproto_core::auth::ServerHandshake
//! [`AuthKeyStore`]: mtproto_core::auth::AuthKeyStore

mod client;
mod server;
mod setups;
pub mod tcp;

use std::sync::atomic::{AtomicU64, Ordering};

use mtproto_core::crypto::rsa::RsaPrivateKey;
use mtproto_core::envelope::MsgId;
use mtproto_core::transport::framing::strip_padded_intermediate_padding;
use mtproto_core::transport::{FramingKind, TransportKind};
use mtproto_core::{
    AuthError, CryptoError, EnvelopeError, OsRandom, SecureRandom, SeededRandom, TlError,
    TransportError, UnixMillis,
};

pub use client::{BindResult, ClientPhase, ClientReport, LoopbackClient, LoopbackClientConfig};
pub use server::{
    ConnectionId, LoopbackServer, LoopbackServerConfig, ServerConnection, ServerEvent,
};
pub use setups::{ProxySecrets, Setup, setups};

/// `ping#7abe77ec ping_id:long = Pong`.
pub const PING_ID: u32 = 0x7abe_77ec;
/// `pong#347773c5 msg_id:long ping_id:long = Pong`.
pub const PONG_ID: u32 = 0x3477_73c5;
/// The lifetime the client asks for its temporary key, in seconds.
pub const TEMP_KEY_EXPIRES_IN: i32 = 3600;
/// The error message of a refused auth.bindTempAuthKey
/// (`/method/auth.bindTempAuthKey`, possible errors).
pub const BIND_ERROR_MESSAGE: &str = "ENCRYPTED_MESSAGE_INVALID";

/// Everything that can end a loopback conversation.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoopbackError {
    /// A core layer refused something (transport, envelope, TL, handshake).
    #[error(transparent)]
    Core(#[from] mtproto_core::Error),
    /// The peer sent something valid but out of place in this conversation.
    #[error("protocol violation: {0}")]
    Protocol(String),
    /// The peer sent a transport error (-404 unknown key, ...).
    #[error("the peer sent transport error {0}")]
    TransportError(i32),
    /// A socket failed (only from [`tcp`]).
    #[error("i/o: {0}")]
    Io(String),
    /// The conversation did not finish in time (only from [`tcp`]).
    #[error("timed out after {0} ms")]
    Timeout(u64),
    /// The peer closed the connection before the conversation finished.
    #[error("connection closed by the peer")]
    Closed,
    /// A thread panicked while holding shared state.
    #[error("shared server state is poisoned")]
    Poisoned,
}

// The core's per-layer errors all funnel into `mtproto_core::Error`, which
// carries the stable error code; one `From` each keeps `?` working.
macro_rules! via_core_error {
    ($($t:ty),*) => {$(
        impl From<$t> for LoopbackError {
            fn from(e: $t) -> Self {
                LoopbackError::Core(e.into())
            }
        }
    )*};
}
via_core_error!(
    AuthError,
    EnvelopeError,
    TlError,
    TransportError,
    CryptoError
);

impl From<std::io::Error> for LoopbackError {
    fn from(e: std::io::Error) -> Self {
        // io::Error is not Clone; errors here are sticky and returned again.
        LoopbackError::Io(format!("{:?}: {e}", e.kind()))
    }
}

/// Hands every core object its own RNG (the core objects take ownership of
/// a `Box<dyn SecureRandom>` each).
pub trait RandomSource: Send + Sync {
    /// A new generator.
    fn make(&self) -> Box<dyn SecureRandom>;
}

/// The operating system's CSPRNG for everything: what the demo uses.
#[derive(Clone, Copy, Debug, Default)]
pub struct OsRandomSource;

impl RandomSource for OsRandomSource {
    fn make(&self) -> Box<dyn SecureRandom> {
        Box::new(OsRandom)
    }
}

/// Deterministic generators for tests: the n-th generator handed out is
/// [`SeededRandom`] over `seed ‖ n`, so a run that creates objects in the
/// same order sees the same bytes.
#[derive(Debug)]
pub struct SeededRandomSource {
    seed: u64,
    next: AtomicU64,
}

impl SeededRandomSource {
    /// A source whose generators all derive from `seed`.
    pub fn new(seed: u64) -> Self {
        SeededRandomSource {
            seed,
            next: AtomicU64::new(0),
        }
    }
}

impl RandomSource for SeededRandomSource {
    fn make(&self) -> Box<dyn SecureRandom> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let mut seed = [0u8; 32];
        let (a, b) = seed.split_at_mut(8);
        a.copy_from_slice(&self.seed.to_le_bytes());
        if let Some(b) = b.get_mut(..8) {
            b.copy_from_slice(&n.to_le_bytes());
        }
        Box::new(SeededRandom::new(seed))
    }
}

/// Message ids of one sender (`/mtproto/description`, "Message Identifier"):
/// about `unixtime · 2^32` (the fraction of the second in the low half),
/// strictly increasing, and with a fixed residue mod 4: 0 for a client, 1
/// for a server's responses.
#[derive(Clone, Copy, Debug)]
pub struct MsgIdClock {
    residue: u64,
    last: u64,
}

impl MsgIdClock {
    /// The clock of a client (`msg_id ≡ 0 mod 4`).
    pub fn client() -> Self {
        MsgIdClock {
            residue: 0,
            last: 0,
        }
    }

    /// The clock of a server answering requests (`msg_id ≡ 1 mod 4`).
    pub fn server() -> Self {
        MsgIdClock {
            residue: 1,
            last: 0,
        }
    }

    /// The next id at `now` shifted by `offset_ms` (a client adds the server
    /// time offset it learned during key creation).
    pub fn next(&mut self, now: UnixMillis, offset_ms: i64) -> MsgId {
        let ms = now.0.saturating_add_signed(offset_ms);
        let fraction = (ms % 1000) * (1 << 32) / 1000;
        let mut id = (((ms / 1000) << 32 | fraction) & !3) | self.residue;
        // Two ids in the same tick (or a clock step back) must still grow:
        // the next value with the same residue.
        if id <= self.last {
            id = self.last.saturating_add(4);
        }
        self.last = id;
        MsgId(id)
    }
}

/// The envelope inside a received payload: padded intermediate appends up to
/// 15 random bytes the receiver has to cut off itself.
pub(crate) fn unpad(kind: TransportKind, payload: &[u8]) -> &[u8] {
    match kind {
        TransportKind::Framed(FramingKind::PaddedIntermediate) => {
            strip_padded_intermediate_padding(payload)
        }
        _ => payload,
    }
}

/// The test RSA key of `tests/vectors/rsa_test_key.pem` (a 2048-bit key
/// standing in for Telegram's; the Python vector generator uses it too).
/// Loading it is instant, unlike generating a new one.
pub fn test_rsa_key() -> Result<RsaPrivateKey, LoopbackError> {
    Ok(RsaPrivateKey::from_pem(include_str!(
        "../vectors/rsa_test_key.pem"
    ))?)
}

/// The current time from the system clock: only the socket glue and the
/// demo read a clock; everything sans-IO takes `now` as an argument.
pub fn system_now() -> UnixMillis {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0);
    UnixMillis(ms)
}

/// The first four bytes of a TL body as its constructor id.
pub(crate) fn constructor(body: &[u8]) -> Option<u32> {
    let id: [u8; 4] = body.get(..4)?.try_into().ok()?;
    Some(u32::from_le_bytes(id))
}
