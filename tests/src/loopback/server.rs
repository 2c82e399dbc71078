//! The loopback server: shared state for all connections, and one sans-IO
//! [`ServerConnection`] per socket.
//!
//! What it answers:
//! - plain messages: the key exchange, one `ServerHandshake` per
//!   req_pq_multi (a connection may create several keys one after another);
//! - encrypted messages under any key in the store: `ping` with a bare
//!   `pong` (as Telegram does: pong is not wrapped), `auth.bindTempAuthKey`
//!   with `rpc_result{boolTrue}` or `rpc_result{rpc_error 400
//!   ENCRYPTED_MESSAGE_INVALID}`, anything else with `rpc_result{rpc_error
//!   400 INPUT_METHOD_INVALID}`;
//! - a message under an unknown key with transport error -404.
//!
//! Until the core has its session layer, this server deliberately skips
//! the session checks: no salt check (answers carry the key's first salt),
//! no msg_id time window or replay window (only the client parity is
//! checked), no acks or containers, one seq_no counter per connection.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use mtproto_core::auth::bind::BIND_TEMP_AUTH_KEY_ID;
use mtproto_core::auth::{
    AuthKeyStore, ServerHandshake, ServerHandshakeConfig, TempKeyBinding, verify_bind_temp_auth_key,
};
use mtproto_core::envelope::{
    MessageHeader, SeqNo, open_encrypted, open_plain, peek_auth_key_id, seal_encrypted, seal_plain,
};
use mtproto_core::tl::codegen::RawObject;
use mtproto_core::tl::mtproto::functions::{Ping, ReqPq, ReqPqMulti};
use mtproto_core::tl::mtproto::types::{Pong, RpcError, RpcResult};
use mtproto_core::tl::{BOOL_TRUE_ID, Deserialize, Identifiable, Serialize};
use mtproto_core::transport::{DetectedTransport, Inbound, ServerTransport, ServerTransportConfig};
use mtproto_core::{AuthError, AuthKeyId, Direction, SecureRandom, UnixMillis};

use super::{
    BIND_ERROR_MESSAGE, LoopbackError, MsgIdClock, PING_ID, RandomSource, constructor, unpad,
};

/// Transport error code for "auth key not found" (`/mtproto/mtproto-transports`).
const UNKNOWN_KEY: i32 = -404;

/// What every connection of a [`LoopbackServer`] shares.
#[derive(Clone, Debug)]
pub struct LoopbackServerConfig {
    /// Which transports and proxy secrets are accepted.
    pub transport: ServerTransportConfig,
    /// RSA keys and DH group, shared by every key exchange.
    pub handshake: Arc<ServerHandshakeConfig>,
}

/// Identifies one connection of a server, in accept order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnectionId(pub u64);

/// What happened on a connection, for logs and tests.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerEvent {
    /// The first bytes said which transport the client speaks.
    TransportDetected(DetectedTransport),
    /// A key exchange finished with dh_gen_ok; the key is in the store.
    KeyCreated {
        /// The new key's id.
        auth_key_id: AuthKeyId,
        /// For a temporary key, when it expires (unix seconds).
        expires_at: Option<i32>,
    },
    /// A key exchange was refused (server_DH_params_fail or dh_gen_fail was
    /// the answer).
    ExchangeRefused(AuthError),
    /// auth.bindTempAuthKey verified; the binding is in the store.
    TempKeyBound(TempKeyBinding),
    /// auth.bindTempAuthKey failed its checks; the client got
    /// `rpc_error 400 ENCRYPTED_MESSAGE_INVALID`.
    BindRefused(AuthError),
    /// A ping over `auth_key_id` was answered with a pong.
    Pinged {
        /// The key the ping came over.
        auth_key_id: AuthKeyId,
        /// The client's ping_id, echoed in the pong.
        ping_id: i64,
    },
    /// An encrypted message named a key the server does not hold (or that
    /// expired); the client got transport error -404.
    UnknownKey(AuthKeyId),
    /// A query this server does not implement; the client got an rpc_error.
    Unsupported {
        /// Its constructor id.
        constructor: u32,
    },
}

struct Shared {
    config: LoopbackServerConfig,
    keys: Mutex<AuthKeyStore>,
    rngs: Arc<dyn RandomSource>,
    next_connection: AtomicU64,
}

/// The server: what all connections share (configuration, one key store,
/// the RNG source). Cloning gives another handle to the same server, so
/// each connection thread can hold one.
#[derive(Clone)]
pub struct LoopbackServer {
    shared: Arc<Shared>,
}

impl core::fmt::Debug for LoopbackServer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("LoopbackServer")
            .field("transport", &self.shared.config.transport)
            .finish_non_exhaustive()
    }
}

impl LoopbackServer {
    /// A server with an empty key store.
    pub fn new(config: LoopbackServerConfig, rngs: Arc<dyn RandomSource>) -> Self {
        LoopbackServer {
            shared: Arc::new(Shared {
                config,
                keys: Mutex::new(AuthKeyStore::new()),
                rngs,
                next_connection: AtomicU64::new(0),
            }),
        }
    }

    /// A new connection, waiting for the client's first bytes.
    pub fn accept(&self) -> Result<ServerConnection, LoopbackError> {
        let transport = ServerTransport::new(
            self.shared.config.transport.clone(),
            self.shared.rngs.make(),
        )?;
        Ok(ServerConnection {
            id: ConnectionId(self.shared.next_connection.fetch_add(1, Ordering::Relaxed)),
            shared: self.shared.clone(),
            transport,
            handshake: None,
            rng: self.shared.rngs.make(),
            msg_ids: MsgIdClock::server(),
            content_sent: 0,
            events: VecDeque::new(),
            detected: false,
            error: None,
        })
    }

    /// A copy of the key store as it is now.
    pub fn key_store(&self) -> Result<AuthKeyStore, LoopbackError> {
        Ok(self.shared.lock_keys()?.clone())
    }
}

impl Shared {
    fn lock_keys(&self) -> Result<MutexGuard<'_, AuthKeyStore>, LoopbackError> {
        self.keys.lock().map_err(|_| LoopbackError::Poisoned)
    }
}

/// The server end of one connection. Feed it what the socket read with
/// [`handle_input`](Self::handle_input), then write out everything
/// [`poll_transmit`](Self::poll_transmit) returns and read
/// [`poll_event`](Self::poll_event). An error is fatal and sticky: write
/// out what is queued (it may hold a transport error for the client), then
/// close the socket.
pub struct ServerConnection {
    id: ConnectionId,
    shared: Arc<Shared>,
    transport: ServerTransport,
    /// The key exchange in progress; a new req_pq_multi starts a new one.
    handshake: Option<ServerHandshake>,
    rng: Box<dyn SecureRandom>,
    msg_ids: MsgIdClock,
    /// Content-related messages sent so far, for seq_no. There is one
    /// session per connection in this conversation; the session layer will
    /// track seq_no per session.
    content_sent: u32,
    events: VecDeque<ServerEvent>,
    detected: bool,
    error: Option<LoopbackError>,
}

impl core::fmt::Debug for ServerConnection {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ServerConnection")
            .field("id", &self.id)
            .field("transport", &self.transport)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl ServerConnection {
    /// This connection's id.
    pub fn id(&self) -> ConnectionId {
        self.id
    }

    /// What the client speaks, once known.
    pub fn detected(&self) -> Option<&DetectedTransport> {
        self.transport.detected()
    }

    /// The fatal error, if one happened.
    pub fn error(&self) -> Option<&LoopbackError> {
        self.error.as_ref()
    }

    /// Feed bytes the socket read at `now`.
    pub fn handle_input(&mut self, bytes: &[u8], now: UnixMillis) -> Result<(), LoopbackError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let result = self.input(bytes, now);
        if let Err(e) = &result {
            self.error = Some(e.clone());
        }
        result
    }

    /// The next bytes to write to the socket.
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.transport.poll_transmit()
    }

    /// The next thing that happened.
    pub fn poll_event(&mut self) -> Option<ServerEvent> {
        self.events.pop_front()
    }

    fn input(&mut self, bytes: &[u8], now: UnixMillis) -> Result<(), LoopbackError> {
        self.transport.handle_input(bytes, now)?;
        if !self.detected {
            if let Some(d) = self.transport.detected() {
                self.detected = true;
                self.events
                    .push_back(ServerEvent::TransportDetected(d.clone()));
            }
        }
        while let Some(inbound) = self.transport.poll_inbound() {
            match inbound {
                // Quick acks would need the msg_key over the padded
                // plaintext, which open_encrypted does not return; this
                // client never asks for them.
                Inbound::Packet { payload, .. } => self.packet(&payload, now)?,
                Inbound::TransportError { code } => {
                    return Err(LoopbackError::TransportError(code));
                }
                Inbound::QuickAck { .. } => {}
            }
        }
        Ok(())
    }

    fn packet(&mut self, payload: &[u8], now: UnixMillis) -> Result<(), LoopbackError> {
        let kind = self
            .transport
            .detected()
            .map(|d| d.kind)
            .ok_or_else(|| LoopbackError::Protocol("a packet before detection".into()))?;
        let message = unpad(kind, payload);
        match peek_auth_key_id(message) {
            None => Err(LoopbackError::Protocol(
                "a packet shorter than an auth_key_id".into(),
            )),
            Some(AuthKeyId(0)) => self.plain(message, now),
            Some(id) => self.encrypted(id, message, now),
        }
    }

    /// A key-exchange message.
    fn plain(&mut self, message: &[u8], now: UnixMillis) -> Result<(), LoopbackError> {
        let m = open_plain(message)?;
        check_client_msg_id(m.msg_id.0)?;
        let starts_exchange = matches!(
            constructor(m.body),
            Some(ReqPqMulti::CONSTRUCTOR_ID | ReqPq::CONSTRUCTOR_ID)
        );
        if starts_exchange {
            self.handshake = Some(ServerHandshake::new(
                self.shared.config.handshake.clone(),
                self.shared.rngs.make(),
            ));
        }
        let handshake = self
            .handshake
            .as_mut()
            .ok_or_else(|| LoopbackError::Protocol("no key exchange in progress".into()))?;
        // `handle` takes the store on every step although only the last one
        // registers the key, so the lock is held through the RSA and DH work
        // of the earlier steps too.
        let reply = {
            let mut keys = self.shared.lock_keys()?;
            handshake.handle(m.body, now, &mut keys)?
        };
        let event = if let Some(created) = handshake.created_key() {
            Some(ServerEvent::KeyCreated {
                auth_key_id: created.auth_key.id(),
                expires_at: created.expires_at,
            })
        } else {
            handshake.error().cloned().map(ServerEvent::ExchangeRefused)
        };
        if let Some(event) = event {
            self.events.push_back(event);
            self.handshake = None;
        }
        let msg_id = self.msg_ids.next(now, 0);
        self.transport.send(&seal_plain(msg_id, &reply)?)?;
        Ok(())
    }

    /// A message under a key from the store.
    fn encrypted(
        &mut self,
        id: AuthKeyId,
        message: &[u8],
        now: UnixMillis,
    ) -> Result<(), LoopbackError> {
        let found = self
            .shared
            .lock_keys()?
            .get(id, now)
            .map(|k| (k.auth_key.clone(), k.first_salt));
        let Ok((key, salt)) = found else {
            // What Telegram does: the client learns its key is gone and
            // creates a new one; the connection stays usable.
            self.events.push_back(ServerEvent::UnknownKey(id));
            self.transport.send_transport_error(UNKNOWN_KEY)?;
            return Ok(());
        };
        let m = open_encrypted(&key, Direction::ClientToServer, message)?;
        check_client_msg_id(m.header.msg_id.0)?;
        let req_msg_id = m.header.msg_id.0 as i64;
        let answer = match constructor(&m.body) {
            Some(PING_ID) => {
                let ping = Ping::from_tl_bytes(&m.body)?;
                self.events.push_back(ServerEvent::Pinged {
                    auth_key_id: id,
                    ping_id: ping.ping_id,
                });
                // pong answers ping directly, not inside rpc_result.
                Pong {
                    msg_id: req_msg_id,
                    ping_id: ping.ping_id,
                }
                .to_tl_bytes()
            }
            Some(BIND_TEMP_AUTH_KEY_ID) => {
                let verified = verify_bind_temp_auth_key(
                    &mut *self.shared.lock_keys()?,
                    &m.body,
                    id,
                    m.header.session_id,
                    m.header.msg_id,
                    now,
                );
                let result = match verified {
                    Ok(binding) => {
                        self.events.push_back(ServerEvent::TempKeyBound(binding));
                        BOOL_TRUE_ID.to_le_bytes().to_vec()
                    }
                    Err(e) => {
                        self.events.push_back(ServerEvent::BindRefused(e));
                        rpc_error(400, BIND_ERROR_MESSAGE)
                    }
                };
                rpc_result(req_msg_id, result)
            }
            other => {
                self.events.push_back(ServerEvent::Unsupported {
                    constructor: other.unwrap_or(0),
                });
                rpc_result(req_msg_id, rpc_error(400, "INPUT_METHOD_INVALID"))
            }
        };
        // Both answers are content-related: seq_no = 2·(sent before) + 1.
        let header = MessageHeader {
            salt,
            session_id: m.header.session_id,
            msg_id: self.msg_ids.next(now, 0),
            seq_no: SeqNo(self.content_sent.saturating_mul(2).saturating_add(1)),
        };
        self.content_sent = self.content_sent.saturating_add(1);
        let wire = seal_encrypted(
            &key,
            Direction::ServerToClient,
            &header,
            &answer,
            self.rng.as_mut(),
        )?;
        self.transport.send(&wire)?;
        Ok(())
    }
}

/// Clients send even message ids, ≡ 0 mod 4 (`/mtproto/description`).
fn check_client_msg_id(id: u64) -> Result<(), LoopbackError> {
    if id % 4 == 0 {
        Ok(())
    } else {
        Err(LoopbackError::Protocol(format!(
            "client msg_id {id:#x} is not divisible by 4"
        )))
    }
}

/// `rpc_result#f35c6d01 req_msg_id:long result:Object`: the minimal wrapping
/// Telegram puts around every method's answer. The session layer will add
/// acks and containers; this server sends each answer on its own.
fn rpc_result(req_msg_id: i64, result: Vec<u8>) -> Vec<u8> {
    RpcResult {
        req_msg_id,
        result: RawObject(result),
    }
    .to_tl_bytes()
}

/// `rpc_error#2144ca19 error_code:int error_message:string`.
fn rpc_error(code: i32, message: &str) -> Vec<u8> {
    RpcError {
        error_code: code,
        error_message: message.into(),
    }
    .to_tl_bytes()
}
