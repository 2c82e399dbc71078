//! Transports (core `transport`): how MTProto payloads travel over TCP and
//! HTTP (`/mtproto/mtproto-transports`, `/mtproto/transports`), for both
//! roles.
//!
//! - [`ClientTransport`] and [`ServerTransport`]: one object per connection
//!   end, composing framing, obfuscation, fake TLS and HTTP;
//! - [`FramingCodec`], [`HttpClient`], [`HttpServer`]: the single layers;
//! - [`obfuscation`]: the stateless helpers (proxy secrets, obfuscated2
//!   inits, AES-256-CTR, fake-TLS hellos).
//!
//! Every object is driven the same way: feed the bytes the socket read, then
//! drain `poll_transmit` (bytes to write, in order) and `poll_inbound` /
//! `poll` (what arrived). Errors carry the core's transport codes (600..611);
//! the first decoding error is fatal and sticky: every later call throws it
//! again. Randomness (padding, inits, hellos) comes from the operating
//! system's CSPRNG; its failure is code 102.

use mtproto_core::ErrorCode;
use mtproto_core::transport::connection as core_conn;
use mtproto_core::transport::{DEFAULT_MAX_FRAME, FramingKind, ProxySecret};

mod connection;
mod framing;
mod http;
pub mod obfuscation;

pub use connection::{
    ClientTransport, ClientTransportConfig, DetectedTransport, ServerTransport,
    ServerTransportConfig,
};
pub use framing::{
    FramingCodec, framing_header, quick_ack_token, strip_padded_intermediate_padding,
};
pub use http::{HttpClient, HttpServer};
pub use obfuscation::{FakeTlsClientHello, ObfuscationInit};

use crate::error::MtprotoError;
pub(crate) use crate::error::lock;

/// The transport a connection speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum TransportKind {
    /// Abridged framing: `0xef`, then 1- or 4-byte lengths in 4-byte words.
    Abridged,
    /// Intermediate framing: `0xeeeeeeee`, then 4-byte lengths.
    Intermediate,
    /// Padded intermediate framing: `0xdddddddd`, intermediate with 0..15
    /// random padding bytes per packet (required by `dd` and `ee` secrets).
    PaddedIntermediate,
    /// Full framing: length, sequence number, payload, CRC32 (cannot be
    /// obfuscated, has no quick acks).
    Full,
    /// HTTP/1.1 POSTs to `/api` (cannot be obfuscated, has no quick acks).
    Http,
}

impl From<TransportKind> for core_conn::TransportKind {
    fn from(k: TransportKind) -> Self {
        match k {
            TransportKind::Abridged => core_conn::TransportKind::Framed(FramingKind::Abridged),
            TransportKind::Intermediate => {
                core_conn::TransportKind::Framed(FramingKind::Intermediate)
            }
            TransportKind::PaddedIntermediate => {
                core_conn::TransportKind::Framed(FramingKind::PaddedIntermediate)
            }
            TransportKind::Full => core_conn::TransportKind::Framed(FramingKind::Full),
            TransportKind::Http => core_conn::TransportKind::Http,
        }
    }
}

impl From<core_conn::TransportKind> for TransportKind {
    fn from(k: core_conn::TransportKind) -> Self {
        match k {
            core_conn::TransportKind::Framed(FramingKind::Abridged) => TransportKind::Abridged,
            core_conn::TransportKind::Framed(FramingKind::Intermediate) => {
                TransportKind::Intermediate
            }
            core_conn::TransportKind::Framed(FramingKind::PaddedIntermediate) => {
                TransportKind::PaddedIntermediate
            }
            core_conn::TransportKind::Framed(FramingKind::Full) => TransportKind::Full,
            core_conn::TransportKind::Http => TransportKind::Http,
        }
    }
}

/// The framing of a framed `kind`; code 1 (InvalidArgument) for `Http`,
/// which has none.
pub(crate) fn framing_kind(kind: TransportKind) -> Result<FramingKind, MtprotoError> {
    match core_conn::TransportKind::from(kind) {
        core_conn::TransportKind::Framed(f) => Ok(f),
        core_conn::TransportKind::Http => Err(MtprotoError::binding(
            ErrorCode::InvalidArgument,
            "expected a framed transport (abridged, intermediate, padded intermediate or full), \
             found HTTP"
                .into(),
        )),
    }
}

/// Which end of a connection a codec serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum Role {
    /// Connects, sends the header or init first, may ask for quick acks.
    Client,
    /// Accepts, answers quick acks, may send transport errors.
    Server,
}

impl From<Role> for mtproto_core::transport::Role {
    fn from(r: Role) -> Self {
        match r {
            Role::Client => mtproto_core::transport::Role::Client,
            Role::Server => mtproto_core::transport::Role::Server,
        }
    }
}

/// What a decoder yields.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum Inbound {
    /// One MTProto message (a plain or encrypted envelope). Under padded
    /// intermediate the random padding is still at its end
    /// (`strip_padded_intermediate_padding` cuts it off).
    Packet {
        /// The payload, without framing.
        payload: Vec<u8>,
        /// Server side: the client asked for a quick ack of this packet.
        quick_ack: bool,
    },
    /// Client side: the server acknowledged a packet sent with a quick-ack
    /// request (`quick_ack_token` of its `msg_key_large`).
    QuickAck {
        /// The token, top bit set.
        token: u32,
    },
    /// A transport error (-404 auth key not found, -429 too many
    /// connections, -444 wrong DC, ...).
    TransportError {
        /// The code, negative.
        code: i32,
    },
}

impl From<mtproto_core::transport::Inbound> for Inbound {
    fn from(i: mtproto_core::transport::Inbound) -> Self {
        use mtproto_core::transport::Inbound as C;
        match i {
            C::Packet { payload, quick_ack } => Inbound::Packet { payload, quick_ack },
            C::QuickAck { token } => Inbound::QuickAck { token },
            C::TransportError { code } => Inbound::TransportError { code },
        }
    }
}

/// A byte count from the caller as `usize` (saturating on 32-bit targets;
/// the core clamps limits to what each framing can express).
pub(crate) fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// A count from the core as `u64`.
pub(crate) fn to_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// Parse a proxy secret's text form (hex, or base64url as in MTProxy links):
/// code 610 (TransportInvalidSecret) if it is not one.
pub(crate) fn parse_secret(text: &str) -> Result<ProxySecret, MtprotoError> {
    Ok(ProxySecret::parse(text)?)
}

/// The default `max_frame` (16 MiB), as the records' defaults spell it.
const _: () = assert!(DEFAULT_MAX_FRAME == 16_777_216);

#[cfg(test)]
mod tests;
