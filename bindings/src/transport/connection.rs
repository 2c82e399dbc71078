//! [`ClientTransport`] and [`ServerTransport`]: one object per connection
//! end (core `transport::connection`).

use std::sync::{Arc, Mutex};

use mtproto_core::transport::connection as core_conn;
use mtproto_core::{OsRandom, UnixMillis};

use super::{Inbound, TransportKind, lock, parse_secret, to_usize};
use crate::error::MtprotoError;

/// How a client connects.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct ClientTransportConfig {
    /// The transport.
    pub kind: TransportKind,
    /// Obfuscate the stream (obfuscated2). Implied by a proxy secret; not
    /// possible with full framing or HTTP.
    #[uniffi(default = false)]
    pub obfuscate: bool,
    /// The DC id written into an obfuscated init (negative for media DCs,
    /// +10000 for test DCs).
    #[uniffi(default = 2)]
    pub dc_id: i16,
    /// A proxy secret as text (hex, or base64url as in MTProxy links): 16
    /// bytes; `dd` + 16 bytes (padded intermediate required); `ee` + 16 bytes
    /// + domain (fake TLS, padded intermediate required).
    #[uniffi(default = None)]
    pub secret: Option<String>,
    /// The `Host` header for HTTP (`host[:port]`; may be empty).
    #[uniffi(default = "")]
    pub http_host: String,
    /// The largest payload accepted, in bytes (default 16 MiB).
    #[uniffi(default = 16777216)]
    pub max_frame: u64,
}

impl core::fmt::Debug for ClientTransportConfig {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The secret is key material: say only whether there is one.
        f.debug_struct("ClientTransportConfig")
            .field("kind", &self.kind)
            .field("obfuscate", &self.obfuscate)
            .field("dc_id", &self.dc_id)
            .field("secret", &self.secret.as_ref().map(|_| ".."))
            .field("http_host", &self.http_host)
            .field("max_frame", &self.max_frame)
            .finish()
    }
}

/// The client end of one connection: framing (optionally obfuscated, or in
/// fake TLS for an `ee` secret) or HTTP.
///
/// After construction, drain [`poll_transmit`](Self::poll_transmit): the
/// framing header, obfuscated init or fake-TLS hello go first. Then
/// [`send`](Self::send) payloads, [`handle_input`](Self::handle_input) what
/// the socket reads, and drain `poll_transmit` and
/// [`poll_inbound`](Self::poll_inbound) after every call. The first error is
/// fatal and sticky. Safe to share between threads (calls are serialized).
#[derive(uniffi::Object)]
pub struct ClientTransport {
    inner: Mutex<core_conn::ClientTransport>,
}

impl core::fmt::Debug for ClientTransport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ClientTransport { .. }")
    }
}

#[uniffi::export]
impl ClientTransport {
    /// Open a connection with `config`; `now_ms` (Unix milliseconds) dates a
    /// fake-TLS hello. Throws 610 for a secret that does not parse or does
    /// not fit the framing, 611 for obfuscated full or HTTP, 102 if the
    /// system random source fails.
    #[uniffi::constructor]
    pub fn new(config: ClientTransportConfig, now_ms: u64) -> Result<Arc<Self>, MtprotoError> {
        let secret = config.secret.as_deref().map(parse_secret).transpose()?;
        let core_config = core_conn::ClientTransportConfig {
            kind: config.kind.into(),
            obfuscate: config.obfuscate,
            dc_id: config.dc_id,
            secret,
            http_host: config.http_host,
            max_frame: to_usize(config.max_frame),
        };
        let inner =
            core_conn::ClientTransport::new(core_config, Box::new(OsRandom), UnixMillis(now_ms))?;
        Ok(Arc::new(ClientTransport {
            inner: Mutex::new(inner),
        }))
    }

    /// Queue one payload (an MTProto message, whole 4-byte words). With
    /// `quick_ack` the server is asked to acknowledge it on receipt (not on
    /// full or HTTP: code 611). Then drain `poll_transmit`.
    pub fn send(&self, payload: Vec<u8>, quick_ack: bool) -> Result<(), MtprotoError> {
        Ok(lock(&self.inner, "ClientTransport")?.send(&payload, quick_ack)?)
    }

    /// Feed bytes the socket read (any amount, split anywhere), then drain
    /// `poll_transmit` and `poll_inbound`.
    pub fn handle_input(&self, bytes: Vec<u8>) -> Result<(), MtprotoError> {
        Ok(lock(&self.inner, "ClientTransport")?.handle_input(&bytes)?)
    }

    /// The next bytes to write to the socket, in order; `None` when there
    /// are none.
    pub fn poll_transmit(&self) -> Result<Option<Vec<u8>>, MtprotoError> {
        Ok(lock(&self.inner, "ClientTransport")?.poll_transmit())
    }

    /// The next payload, quick ack or transport error that arrived; `None`
    /// when there is none.
    pub fn poll_inbound(&self) -> Result<Option<Inbound>, MtprotoError> {
        Ok(lock(&self.inner, "ClientTransport")?
            .poll_inbound()
            .map(Inbound::from))
    }
}

// ---------------------------------------------------------------------------
// ServerTransport

/// What a server accepts. The defaults are what Telegram's own servers
/// accept: plain, obfuscated without a secret, HTTP; no proxy secrets.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct ServerTransportConfig {
    /// Proxy secrets accepted (text: hex or base64url): 16-byte and `dd` for
    /// obfuscated2, `ee` for fake TLS.
    #[uniffi(default = [])]
    pub secrets: Vec<String>,
    /// Accept unobfuscated abridged, intermediate, padded and full.
    #[uniffi(default = true)]
    pub allow_plain: bool,
    /// Accept obfuscated2 without a secret (as Telegram's servers do).
    #[uniffi(default = true)]
    pub allow_obfuscated_without_secret: bool,
    /// Accept HTTP.
    #[uniffi(default = true)]
    pub allow_http: bool,
    /// The largest payload accepted, in bytes (default 16 MiB).
    #[uniffi(default = 16777216)]
    pub max_frame: u64,
}

impl core::fmt::Debug for ServerTransportConfig {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Secrets are key material: print only how many there are.
        f.debug_struct("ServerTransportConfig")
            .field("secrets", &self.secrets.len())
            .field("allow_plain", &self.allow_plain)
            .field(
                "allow_obfuscated_without_secret",
                &self.allow_obfuscated_without_secret,
            )
            .field("allow_http", &self.allow_http)
            .field("max_frame", &self.max_frame)
            .finish()
    }
}

/// What a server found a connection to speak.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct DetectedTransport {
    /// The transport.
    pub kind: TransportKind,
    /// Whether the stream is obfuscated.
    pub obfuscated: bool,
    /// Whether it came in fake TLS.
    pub fake_tls: bool,
    /// Index into the config's `secrets` of the secret used.
    pub secret_index: Option<u32>,
    /// The DC id an obfuscated init named.
    pub dc_id: Option<i16>,
}

impl From<&core_conn::DetectedTransport> for DetectedTransport {
    fn from(d: &core_conn::DetectedTransport) -> Self {
        DetectedTransport {
            kind: d.kind.into(),
            obfuscated: d.obfuscated,
            fake_tls: d.fake_tls,
            secret_index: d.secret_index.map(|i| u32::try_from(i).unwrap_or(u32::MAX)),
            dc_id: d.dc_id,
        }
    }
}

/// The server end of one connection: detects what the client speaks from
/// its first bytes (plain framings, obfuscated2 with or without a proxy
/// secret, fake TLS, HTTP), then decodes and encodes it.
///
/// Feed what the socket reads with [`handle_input`](Self::handle_input),
/// then drain [`poll_transmit`](Self::poll_transmit) and
/// [`poll_inbound`](Self::poll_inbound). A connection this server does not
/// accept fails with 605 (unknown protocol), 606 (obfuscation, e.g. a wrong
/// secret) or 607 (fake TLS). The first error is fatal and sticky. Safe to
/// share between threads (calls are serialized).
#[derive(uniffi::Object)]
pub struct ServerTransport {
    inner: Mutex<core_conn::ServerTransport>,
}

impl core::fmt::Debug for ServerTransport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ServerTransport { .. }")
    }
}

#[uniffi::export]
impl ServerTransport {
    /// A server end waiting for the client's first bytes. Throws 610 for a
    /// secret that does not parse.
    #[uniffi::constructor]
    pub fn new(config: ServerTransportConfig) -> Result<Arc<Self>, MtprotoError> {
        let secrets = config
            .secrets
            .iter()
            .map(|s| parse_secret(s))
            .collect::<Result<Vec<_>, _>>()?;
        let core_config = core_conn::ServerTransportConfig {
            secrets,
            allow_plain: config.allow_plain,
            allow_obfuscated_without_secret: config.allow_obfuscated_without_secret,
            allow_http: config.allow_http,
            max_frame: to_usize(config.max_frame),
            ..core_conn::ServerTransportConfig::default()
        };
        let inner = core_conn::ServerTransport::new(core_config, Box::new(OsRandom))?;
        Ok(Arc::new(ServerTransport {
            inner: Mutex::new(inner),
        }))
    }

    /// Feed bytes the socket read (any amount, split anywhere); `now_ms`
    /// (Unix milliseconds) checks fake-TLS timestamps. Then drain
    /// `poll_transmit` and `poll_inbound`.
    pub fn handle_input(&self, bytes: Vec<u8>, now_ms: u64) -> Result<(), MtprotoError> {
        Ok(lock(&self.inner, "ServerTransport")?.handle_input(&bytes, UnixMillis(now_ms))?)
    }

    /// Queue one payload for the client (under HTTP: the response to the
    /// oldest request waiting). Then drain `poll_transmit`.
    pub fn send(&self, payload: Vec<u8>) -> Result<(), MtprotoError> {
        Ok(lock(&self.inner, "ServerTransport")?.send(&payload)?)
    }

    /// Queue the quick-ack reply for `token` (top bit set), once the packet
    /// that asked for it was accepted. Not on full or HTTP (code 611).
    pub fn send_quick_ack(&self, token: u32) -> Result<(), MtprotoError> {
        Ok(lock(&self.inner, "ServerTransport")?.send_quick_ack(token)?)
    }

    /// Queue a transport error (negative: -404, -429, -444, ...; under HTTP
    /// the response status).
    pub fn send_transport_error(&self, code: i32) -> Result<(), MtprotoError> {
        Ok(lock(&self.inner, "ServerTransport")?.send_transport_error(code)?)
    }

    /// The next bytes to write to the socket, in order; `None` when there
    /// are none.
    pub fn poll_transmit(&self) -> Result<Option<Vec<u8>>, MtprotoError> {
        Ok(lock(&self.inner, "ServerTransport")?.poll_transmit())
    }

    /// The next payload that arrived; `None` when there is none.
    pub fn poll_inbound(&self) -> Result<Option<Inbound>, MtprotoError> {
        Ok(lock(&self.inner, "ServerTransport")?
            .poll_inbound()
            .map(Inbound::from))
    }

    /// What the connection speaks, once known.
    pub fn detected(&self) -> Result<Option<DetectedTransport>, MtprotoError> {
        Ok(lock(&self.inner, "ServerTransport")?
            .detected()
            .map(DetectedTransport::from))
    }
}
