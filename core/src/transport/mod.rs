//! Transports: how MTProto payloads travel over TCP and HTTP
//! (`/mtproto/mtproto-transports`, `/mtproto/transports`), for both roles.
//!
//! Every layer is a streaming codec: bytes go in as the socket delivers them
//! (a partial frame, several frames, a frame split over many reads) and whole
//! payloads come out; payloads go in and bytes to write come out. Nothing here
//! reads a socket or a clock.
//!
//! Layers, from the wire inwards:
//! - fake TLS ([`fake_tls`], `ee` proxy secrets): a TLS 1.3-looking handshake,
//!   then TLS application-data records;
//! - obfuscation ([`obfuscated`], "obfuscated2"): a 64-byte init and
//!   AES-256-CTR over the whole stream, optionally keyed by a proxy secret;
//! - framing ([`framing`]): abridged, intermediate, padded intermediate, full;
//!   quick acks and transport errors live here;
//! - or HTTP ([`http`]) instead of all of the above.
//!
//! [`detect`] tells a server which of these a new connection speaks from its
//! first bytes. [`connection`] composes the layers into one object per
//! connection end: [`ClientTransport`] and [`ServerTransport`].

pub mod buffer;
pub mod connection;
pub mod detect;
pub mod fake_tls;
pub mod framing;
pub mod http;
pub mod obfuscated;

pub use connection::{
    ClientTransport, ClientTransportConfig, DetectedTransport, ServerTransport,
    ServerTransportConfig, TransportKind,
};
pub use obfuscated::ProxySecret;

/// The largest payload any codec accepts by default: 16 MiB. A larger
/// declared length is a fatal error for the connection, found before any
/// allocation (`/mtproto/mtproto-transports` allows frames up to 2^24 - 1
/// words; MTProto messages stay below 2^24 bytes).
pub const DEFAULT_MAX_FRAME: usize = 1 << 24;

/// The four framings of `/mtproto/mtproto-transports`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FramingKind {
    /// `0xef`, then a 1-byte (or `0x7f` + 3-byte) length in 4-byte words.
    Abridged,
    /// `0xeeeeeeee`, then a 4-byte length in bytes.
    Intermediate,
    /// `0xdddddddd`, intermediate with 0..15 random padding bytes per packet.
    PaddedIntermediate,
    /// No header; length, sequence number, payload, CRC32.
    Full,
}

impl FramingKind {
    /// The 4-byte protocol tag an obfuscated2 init carries at bytes 56..60
    /// (`None` for full, which cannot be obfuscated).
    pub fn obfuscation_tag(self) -> Option<[u8; 4]> {
        match self {
            FramingKind::Abridged => Some([0xef; 4]),
            FramingKind::Intermediate => Some([0xee; 4]),
            FramingKind::PaddedIntermediate => Some([0xdd; 4]),
            FramingKind::Full => None,
        }
    }

    /// The framing an obfuscation tag names.
    pub fn from_obfuscation_tag(tag: [u8; 4]) -> Option<Self> {
        match tag {
            [0xef, 0xef, 0xef, 0xef] => Some(FramingKind::Abridged),
            [0xee, 0xee, 0xee, 0xee] => Some(FramingKind::Intermediate),
            [0xdd, 0xdd, 0xdd, 0xdd] => Some(FramingKind::PaddedIntermediate),
            _ => None,
        }
    }
}

/// Which end of the connection a codec serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Connects, sends the header or init first, may ask for quick acks.
    Client,
    /// Accepts, answers quick acks, may send transport errors.
    Server,
}

/// What a decoder yields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inbound {
    /// One MTProto message (a plain or encrypted envelope).
    Packet {
        /// The payload, without framing. Padded intermediate delivers its
        /// random padding inside the payload (the receiver cannot tell where
        /// the message ends); [`framing::strip_padded_intermediate_padding`]
        /// cuts it off.
        payload: Vec<u8>,
        /// Server side: the client asked for a quick ack of this packet.
        quick_ack: bool,
    },
    /// Client side: the server acknowledged a packet sent with a quick-ack
    /// request. `token` is the 32-bit value with the top bit set; the session
    /// matches it with [`crate::crypto::kdf::msg_key_large_v2`]'s first 4
    /// bytes of the packet it sent.
    QuickAck {
        /// The token, top bit set.
        token: u32,
    },
    /// A transport error: a 4-byte payload holding a negative code (-404 auth
    /// key not found, -429 too many connections, -444 wrong DC, ...).
    TransportError {
        /// The code, negative.
        code: i32,
    },
}
