//! The loopback client: a permanent key, a temporary key, the binding, a
//! ping, all over one transport connection.

use mtproto_core::auth::{
    ClientHandshake, ClientHandshakeConfig, CreatedAuthKey, KeyType, bind_temp_auth_key_query,
};
use mtproto_core::crypto::rsa::RsaPublicKey;
use mtproto_core::envelope::{
    MessageHeader, MsgId, SeqNo, SessionId, open_encrypted, open_plain, peek_auth_key_id,
    seal_encrypted, seal_plain,
};
use mtproto_core::tl::mtproto::functions::Ping;
use mtproto_core::tl::mtproto::types::{Pong, RpcError, RpcResult};
use mtproto_core::tl::{BOOL_TRUE_ID, Deserialize, Identifiable, Serialize};
use mtproto_core::transport::{ClientTransport, ClientTransportConfig, Inbound};
use mtproto_core::{Direction, SecureRandom, UnixMillis};

use super::{LoopbackError, MsgIdClock, RandomSource, TEMP_KEY_EXPIRES_IN, constructor, unpad};

/// What a client needs to talk to a loopback server.
#[derive(Clone, Debug)]
pub struct LoopbackClientConfig {
    /// How to connect.
    pub transport: ClientTransportConfig,
    /// The server RSA keys the client trusts.
    pub rsa_keys: Vec<RsaPublicKey>,
    /// The DC id written into the key exchange's inner data.
    pub dc_id: i32,
    /// The temporary key's lifetime in seconds.
    pub temp_expires_in: i32,
}

impl LoopbackClientConfig {
    /// A client of DC 2 with a one-hour temporary key.
    pub fn new(transport: ClientTransportConfig, rsa_keys: Vec<RsaPublicKey>) -> Self {
        LoopbackClientConfig {
            transport,
            rsa_keys,
            dc_id: 2,
            temp_expires_in: TEMP_KEY_EXPIRES_IN,
        }
    }
}

/// Where the conversation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClientPhase {
    /// Creating the permanent key.
    PermanentKey,
    /// Creating the temporary key.
    TemporaryKey,
    /// auth.bindTempAuthKey sent over the temporary key.
    Binding,
    /// ping sent over the temporary key.
    Ping,
    /// The pong arrived.
    Done,
    /// The conversation failed ([`LoopbackClient::error`] says why).
    Failed,
}

/// The server's answer to auth.bindTempAuthKey.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BindResult {
    /// `boolTrue`.
    Bound,
    /// An `rpc_error`.
    Refused {
        /// The error code (400).
        code: i32,
        /// The error message (ENCRYPTED_MESSAGE_INVALID).
        message: String,
    },
}

/// What a finished conversation established.
#[derive(Clone, Debug)]
pub struct ClientReport {
    /// The permanent key.
    pub permanent: CreatedAuthKey,
    /// The temporary key.
    pub temporary: CreatedAuthKey,
    /// The session used over the temporary key.
    pub session_id: SessionId,
    /// The answer to auth.bindTempAuthKey.
    pub bind: BindResult,
    /// The ping_id sent.
    pub ping_id: i64,
    /// The msg_id of the ping.
    pub ping_msg_id: MsgId,
    /// The pong received.
    pub pong: Pong,
}

enum State {
    Exchange(ClientHandshake),
    Binding { msg_id: MsgId },
    Pinging { msg_id: MsgId, ping_id: i64 },
    Done(Box<ClientReport>),
    Failed,
}

/// The client end of one conversation, sans-IO: open it, write out
/// [`poll_transmit`](Self::poll_transmit), feed what the socket reads to
/// [`handle_input`](Self::handle_input), repeat until
/// [`report`](Self::report) is there. An error is fatal and sticky.
pub struct LoopbackClient {
    config: LoopbackClientConfig,
    transport: ClientTransport,
    state: State,
    /// The temporary key's exchange, started once the permanent key exists.
    next_exchange: Option<ClientHandshake>,
    rng: Box<dyn SecureRandom>,
    msg_ids: MsgIdClock,
    last_server_msg_id: u64,
    /// Server time minus local time, learned from the key exchange; msg_ids
    /// must be close to the server's clock.
    time_offset_ms: i64,
    session_id: SessionId,
    permanent: Option<CreatedAuthKey>,
    temporary: Option<CreatedAuthKey>,
    bind: Option<BindResult>,
    content_sent: u32,
    error: Option<LoopbackError>,
}

impl core::fmt::Debug for LoopbackClient {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("LoopbackClient")
            .field("phase", &self.phase())
            .field("transport", &self.transport)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl LoopbackClient {
    /// Open the connection and start creating the permanent key: the
    /// transport's first bytes and req_pq_multi are queued for
    /// [`poll_transmit`](Self::poll_transmit).
    pub fn new(
        config: LoopbackClientConfig,
        rngs: &dyn RandomSource,
        now: UnixMillis,
    ) -> Result<Self, LoopbackError> {
        let transport = ClientTransport::new(config.transport.clone(), rngs.make(), now)?;
        let handshake = |key_type| {
            let c = ClientHandshakeConfig {
                rsa_keys: config.rsa_keys.clone(),
                dc_id: config.dc_id,
                key_type,
            };
            ClientHandshake::new(c, rngs.make())
        };
        let mut permanent = handshake(KeyType::Permanent);
        let temporary = handshake(KeyType::Temporary {
            expires_in: config.temp_expires_in,
        });
        let mut rng = rngs.make();
        let mut session = [0u8; 8];
        rng.fill(&mut session)?;
        let first = permanent.start()?;
        let mut client = LoopbackClient {
            config,
            transport,
            state: State::Exchange(permanent),
            next_exchange: Some(temporary),
            rng,
            msg_ids: MsgIdClock::client(),
            last_server_msg_id: 0,
            time_offset_ms: 0,
            session_id: SessionId(u64::from_le_bytes(session)),
            permanent: None,
            temporary: None,
            bind: None,
            content_sent: 0,
            error: None,
        };
        client.send_plain(&first, now)?;
        Ok(client)
    }

    /// Where the conversation is.
    pub fn phase(&self) -> ClientPhase {
        if self.error.is_some() {
            return ClientPhase::Failed;
        }
        match &self.state {
            State::Exchange(_) if self.permanent.is_none() => ClientPhase::PermanentKey,
            State::Exchange(_) => ClientPhase::TemporaryKey,
            State::Binding { .. } => ClientPhase::Binding,
            State::Pinging { .. } => ClientPhase::Ping,
            State::Done(_) => ClientPhase::Done,
            State::Failed => ClientPhase::Failed,
        }
    }

    /// The result, once the pong arrived.
    pub fn report(&self) -> Option<&ClientReport> {
        match &self.state {
            State::Done(r) => Some(r),
            _ => None,
        }
    }

    /// The permanent key, once created.
    pub fn permanent_key(&self) -> Option<&CreatedAuthKey> {
        self.permanent.as_ref()
    }

    /// The temporary key, once created.
    pub fn temporary_key(&self) -> Option<&CreatedAuthKey> {
        self.temporary.as_ref()
    }

    /// The fatal error, if one happened.
    pub fn error(&self) -> Option<&LoopbackError> {
        self.error.as_ref()
    }

    /// The next bytes to write to the socket.
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.transport.poll_transmit()
    }

    /// Feed bytes the socket read at `now`; answers are queued for
    /// [`poll_transmit`](Self::poll_transmit).
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

    fn input(&mut self, bytes: &[u8], now: UnixMillis) -> Result<(), LoopbackError> {
        self.transport.handle_input(bytes)?;
        while let Some(inbound) = self.transport.poll_inbound() {
            match inbound {
                Inbound::Packet { payload, .. } => {
                    let message = unpad(self.config.transport.kind, &payload);
                    self.message(message, now)?;
                }
                Inbound::TransportError { code } => {
                    return Err(LoopbackError::TransportError(code));
                }
                // Never asked for.
                Inbound::QuickAck { .. } => {}
            }
        }
        Ok(())
    }

    fn message(&mut self, message: &[u8], now: UnixMillis) -> Result<(), LoopbackError> {
        let state = std::mem::replace(&mut self.state, State::Failed);
        let (next, result) = match state {
            State::Exchange(handshake) => self.exchange(handshake, message, now),
            State::Binding { msg_id } => match self.bind_answer(msg_id, message) {
                Ok(()) => self.send_ping(now),
                Err(e) => (State::Binding { msg_id }, Err(e)),
            },
            State::Pinging { msg_id, ping_id } => match self.pong(msg_id, ping_id, message) {
                Ok(report) => (State::Done(Box::new(report)), Ok(())),
                Err(e) => (State::Pinging { msg_id, ping_id }, Err(e)),
            },
            done @ (State::Done(_) | State::Failed) => (
                done,
                Err(LoopbackError::Protocol(
                    "a message after the conversation ended".into(),
                )),
            ),
        };
        self.state = next;
        result
    }

    /// One key-exchange answer; the next step, or the next phase.
    fn exchange(
        &mut self,
        mut handshake: ClientHandshake,
        message: &[u8],
        now: UnixMillis,
    ) -> (State, Result<(), LoopbackError>) {
        let step = (|| {
            let m = open_plain(message)?;
            self.check_server_msg_id(m.msg_id)?;
            match handshake.handle(m.body, now)? {
                Some(reply) => self.send_plain(&reply, now).map(|()| None),
                None => handshake
                    .created_key()
                    .cloned()
                    .map(Some)
                    .ok_or_else(|| LoopbackError::Protocol("no key after dh_gen_ok".into())),
            }
        })();
        match step {
            Ok(None) => (State::Exchange(handshake), Ok(())),
            Ok(Some(key)) => {
                self.time_offset_ms = key.time_offset_ms;
                if self.permanent.is_none() {
                    self.permanent = Some(key);
                    self.start_temporary(now)
                } else {
                    self.temporary = Some(key);
                    self.send_bind(now)
                }
            }
            Err(e) => (State::Exchange(handshake), Err(e)),
        }
    }

    fn start_temporary(&mut self, now: UnixMillis) -> (State, Result<(), LoopbackError>) {
        let Some(mut handshake) = self.next_exchange.take() else {
            return (
                State::Failed,
                Err(LoopbackError::Protocol("no second exchange".into())),
            );
        };
        let result = handshake
            .start()
            .map_err(LoopbackError::from)
            .and_then(|body| self.send_plain(&body, now));
        (State::Exchange(handshake), result)
    }

    /// auth.bindTempAuthKey over the temporary key, in the message whose
    /// msg_id the encrypted inner data names.
    fn send_bind(&mut self, now: UnixMillis) -> (State, Result<(), LoopbackError>) {
        let msg_id = self.msg_ids.next(now, self.time_offset_ms);
        let result = (|| {
            let (perm, temp) = match (&self.permanent, &self.temporary) {
                (Some(p), Some(t)) => (p, t),
                _ => return Err(LoopbackError::Protocol("keys missing".into())),
            };
            let expires_at = temp
                .expires_at
                .ok_or_else(|| LoopbackError::Protocol("the temporary key has no expiry".into()))?;
            // Field borrows, so the RNG can be borrowed mutably beside them.
            let (query, _nonce) = bind_temp_auth_key_query(
                &perm.auth_key,
                temp.auth_key.id(),
                self.session_id,
                msg_id,
                expires_at,
                self.rng.as_mut(),
            )?;
            self.send_encrypted(msg_id, &query)
        })();
        (State::Binding { msg_id }, result)
    }

    fn bind_answer(&mut self, msg_id: MsgId, message: &[u8]) -> Result<(), LoopbackError> {
        let body = self.open(message)?;
        let result = RpcResult::from_tl_bytes(&body)?;
        if result.req_msg_id as u64 != msg_id.0 {
            return Err(LoopbackError::Protocol(format!(
                "rpc_result answers {:#x}, not the bind query {:#x}",
                result.req_msg_id, msg_id.0
            )));
        }
        let inner = result.result.0;
        self.bind = Some(match constructor(&inner) {
            Some(BOOL_TRUE_ID) if inner.len() == 4 => BindResult::Bound,
            Some(RpcError::CONSTRUCTOR_ID) => {
                let e = RpcError::from_tl_bytes(&inner)?;
                BindResult::Refused {
                    code: e.error_code,
                    message: e.error_message,
                }
            }
            other => {
                return Err(LoopbackError::Protocol(format!(
                    "unexpected bind answer {:08x}",
                    other.unwrap_or(0)
                )));
            }
        });
        Ok(())
    }

    fn send_ping(&mut self, now: UnixMillis) -> (State, Result<(), LoopbackError>) {
        let msg_id = self.msg_ids.next(now, self.time_offset_ms);
        let mut id = [0u8; 8];
        let result = self.rng.fill(&mut id).map_err(LoopbackError::from);
        let ping_id = i64::from_le_bytes(id);
        let result =
            result.and_then(|()| self.send_encrypted(msg_id, &Ping { ping_id }.to_tl_bytes()));
        (State::Pinging { msg_id, ping_id }, result)
    }

    fn pong(
        &mut self,
        msg_id: MsgId,
        ping_id: i64,
        message: &[u8],
    ) -> Result<ClientReport, LoopbackError> {
        let body = self.open(message)?;
        let pong = Pong::from_tl_bytes(&body)?;
        if pong.msg_id as u64 != msg_id.0 || pong.ping_id != ping_id {
            return Err(LoopbackError::Protocol(format!(
                "pong for msg_id {:#x} ping_id {}, expected {:#x} {ping_id}",
                pong.msg_id, pong.ping_id, msg_id.0
            )));
        }
        let (permanent, temporary) = self.keys()?;
        Ok(ClientReport {
            permanent: permanent.clone(),
            temporary: temporary.clone(),
            session_id: self.session_id,
            bind: self
                .bind
                .clone()
                .ok_or_else(|| LoopbackError::Protocol("no bind answer".into()))?,
            ping_id,
            ping_msg_id: msg_id,
            pong,
        })
    }

    fn keys(&self) -> Result<(&CreatedAuthKey, &CreatedAuthKey), LoopbackError> {
        match (&self.permanent, &self.temporary) {
            (Some(p), Some(t)) => Ok((p, t)),
            _ => Err(LoopbackError::Protocol("keys missing".into())),
        }
    }

    fn send_plain(&mut self, body: &[u8], now: UnixMillis) -> Result<(), LoopbackError> {
        let msg_id = self.msg_ids.next(now, self.time_offset_ms);
        self.transport.send(&seal_plain(msg_id, body)?, false)?;
        Ok(())
    }

    /// A content-related message over the temporary key in our session.
    fn send_encrypted(&mut self, msg_id: MsgId, body: &[u8]) -> Result<(), LoopbackError> {
        let temp = self
            .temporary
            .as_ref()
            .ok_or_else(|| LoopbackError::Protocol("no temporary key".into()))?;
        let header = MessageHeader {
            salt: temp.first_salt,
            session_id: self.session_id,
            msg_id,
            seq_no: SeqNo(self.content_sent.saturating_mul(2).saturating_add(1)),
        };
        let wire = seal_encrypted(
            &temp.auth_key,
            Direction::ClientToServer,
            &header,
            body,
            self.rng.as_mut(),
        )?;
        self.content_sent = self.content_sent.saturating_add(1);
        self.transport.send(&wire, false)?;
        Ok(())
    }

    /// Open a message from the server under the temporary key, in our
    /// session.
    fn open(&mut self, message: &[u8]) -> Result<Vec<u8>, LoopbackError> {
        let temp = self
            .temporary
            .as_ref()
            .ok_or_else(|| LoopbackError::Protocol("no temporary key".into()))?;
        if peek_auth_key_id(message) != Some(temp.auth_key.id()) {
            return Err(LoopbackError::Protocol(
                "an answer not under the temporary key".into(),
            ));
        }
        let m = open_encrypted(&temp.auth_key, Direction::ServerToClient, message)?;
        if m.header.session_id != self.session_id {
            return Err(LoopbackError::Protocol(
                "an answer in another session".into(),
            ));
        }
        self.check_server_msg_id(m.header.msg_id)?;
        Ok(m.body)
    }

    /// Server msg_ids are 1 mod 4 for answers (`/mtproto/description`) and
    /// strictly increase.
    fn check_server_msg_id(&mut self, id: MsgId) -> Result<(), LoopbackError> {
        if id.0 % 4 != 1 || id.0 <= self.last_server_msg_id {
            return Err(LoopbackError::Protocol(format!(
                "server msg_id {:#x} after {:#x}: not an increasing answer id (1 mod 4)",
                id.0, self.last_server_msg_id
            )));
        }
        self.last_server_msg_id = id.0;
        Ok(())
    }
}
