//! One object per key exchange, for each role: it holds the typed state of
//! [`client`](super::client) or [`server`](super::server) and an RNG, so a
//! caller only feeds received bodies in and sends what comes out.
//!
//! Use: client — `start()`, send it; then for every received body
//! `handle(body, now)`; send `Some(reply)`; on `None` the key is ready in
//! `created_key()`. Server — `handle(body, now, &mut keys)` for every
//! received body; send the reply; `is_done()` says the key was created and
//! registered in `keys`; `error()` says the exchange ended (a refusal still
//! has a reply to send). Any error is sticky.

use std::sync::Arc;

use super::CreatedAuthKey;
use super::client::{
    ClientAwaitingDhGen, ClientAwaitingDhParams, ClientAwaitingResPq, ClientHandshakeConfig,
    DhGenOutcome,
};
use super::common::constructor_of;
use super::key_store::AuthKeyStore;
use super::server::{
    ClientDhReply, DhParamsReply, ServerAwaitingClientDh, ServerAwaitingReqDh, ServerAwaitingReqPq,
    ServerHandshakeConfig,
};
use crate::error::AuthError;
use crate::rand::SecureRandom;
use crate::time::UnixMillis;

enum ClientState {
    New,
    AwaitingResPq(ClientAwaitingResPq),
    AwaitingDhParams(ClientAwaitingDhParams),
    AwaitingDhGen(ClientAwaitingDhGen),
    Done(CreatedAuthKey),
    Failed(AuthError),
}

impl ClientState {
    fn name(&self) -> &'static str {
        match self {
            ClientState::New => "new",
            ClientState::AwaitingResPq(_) => "awaiting resPQ",
            ClientState::AwaitingDhParams(_) => "awaiting server_DH_params",
            ClientState::AwaitingDhGen(_) => "awaiting dh_gen answer",
            ClientState::Done(_) => "done",
            ClientState::Failed(_) => "failed",
        }
    }
}

/// The client's side of one key exchange.
pub struct ClientHandshake {
    config: Arc<ClientHandshakeConfig>,
    rng: Box<dyn SecureRandom>,
    state: ClientState,
}

impl ClientHandshake {
    /// A new exchange; nothing is sent until [`start`](Self::start).
    pub fn new(config: ClientHandshakeConfig, rng: Box<dyn SecureRandom>) -> Self {
        ClientHandshake {
            config: Arc::new(config),
            rng,
            state: ClientState::New,
        }
    }

    /// The req_pq_multi body to send first.
    pub fn start(&mut self) -> Result<Vec<u8>, AuthError> {
        let mut nonce = [0u8; 16];
        self.rng.fill(&mut nonce)?;
        self.start_with(nonce)
    }

    /// [`start`](Self::start) with the given nonce.
    pub fn start_with(&mut self, nonce: [u8; 16]) -> Result<Vec<u8>, AuthError> {
        let config = self.config.clone();
        self.step(
            "start",
            |s| matches!(s, ClientState::New),
            |s| match s {
                ClientState::New => {
                    let (next, body) = ClientAwaitingResPq::start_with(config, nonce);
                    Ok((ClientState::AwaitingResPq(next), body))
                }
                other => Err(out_of_order("start", &other)),
            },
        )
    }

    /// Feed the next server message (a TL body). Returns the body to send,
    /// or `None` once the key exists ([`created_key`](Self::created_key)).
    /// `now` is the local clock, used for the server time offset.
    pub fn handle(&mut self, body: &[u8], now: UnixMillis) -> Result<Option<Vec<u8>>, AuthError> {
        let state = std::mem::replace(&mut self.state, ClientState::New);
        let result = match state {
            ClientState::AwaitingResPq(s) => s
                .handle_res_pq(body, self.rng.as_mut())
                .map(|(n, b)| (ClientState::AwaitingDhParams(n), Some(b))),
            ClientState::AwaitingDhParams(s) => s
                .handle_server_dh_params(body, now, self.rng.as_mut())
                .map(|(n, b)| (ClientState::AwaitingDhGen(n), Some(b))),
            ClientState::AwaitingDhGen(s) => match s.handle_dh_gen(body) {
                Ok(DhGenOutcome::Done(key)) => Ok((ClientState::Done(key), None)),
                Ok(DhGenOutcome::Retry(r)) => r
                    .send(self.rng.as_mut())
                    .map(|(n, b)| (ClientState::AwaitingDhGen(n), Some(b))),
                Err(e) => Err(e),
            },
            other => {
                let err = out_of_order("handle", &other);
                self.state = other;
                return Err(err);
            }
        };
        self.settle(result)
    }

    /// Handle resPQ with explicit randomness (see
    /// [`ClientAwaitingResPq::handle_res_pq_with`]).
    pub fn handle_res_pq_with(
        &mut self,
        body: &[u8],
        new_nonce: [u8; 32],
        rsa_padding: &[u8],
        rsa_temp_key: &[u8; 32],
    ) -> Result<Vec<u8>, AuthError> {
        self.step(
            "handle_res_pq",
            |s| matches!(s, ClientState::AwaitingResPq(_)),
            |s| match s {
                ClientState::AwaitingResPq(s) => s
                    .handle_res_pq_with(body, new_nonce, rsa_padding, rsa_temp_key)
                    .map(|(n, b)| (ClientState::AwaitingDhParams(n), b)),
                other => Err(out_of_order("handle_res_pq", &other)),
            },
        )
    }

    /// Handle server_DH_params with explicit `b` and padding.
    pub fn handle_server_dh_params_with(
        &mut self,
        body: &[u8],
        now: UnixMillis,
        b: &[u8; 256],
        padding: &[u8],
    ) -> Result<Vec<u8>, AuthError> {
        self.step(
            "handle_server_dh_params",
            |s| matches!(s, ClientState::AwaitingDhParams(_)),
            |s| match s {
                ClientState::AwaitingDhParams(s) => s
                    .handle_server_dh_params_with(body, now, b, padding)
                    .map(|(n, b)| (ClientState::AwaitingDhGen(n), b)),
                other => Err(out_of_order("handle_server_dh_params", &other)),
            },
        )
    }

    /// Handle the dh_gen answer; on dh_gen_retry, answer with the given `b`
    /// and padding (ignored otherwise). `None` once the key exists.
    pub fn handle_dh_gen_with(
        &mut self,
        body: &[u8],
        retry_b: &[u8; 256],
        retry_padding: &[u8],
    ) -> Result<Option<Vec<u8>>, AuthError> {
        let state = std::mem::replace(&mut self.state, ClientState::New);
        let result = match state {
            ClientState::AwaitingDhGen(s) => match s.handle_dh_gen(body) {
                Ok(DhGenOutcome::Done(key)) => Ok((ClientState::Done(key), None)),
                Ok(DhGenOutcome::Retry(r)) => r
                    .send_with(retry_b, retry_padding)
                    .map(|(n, b)| (ClientState::AwaitingDhGen(n), Some(b))),
                Err(e) => Err(e),
            },
            other => {
                let err = out_of_order("handle_dh_gen", &other);
                self.state = other;
                return Err(err);
            }
        };
        self.settle(result)
    }

    /// The key, once the exchange succeeded.
    pub fn created_key(&self) -> Option<&CreatedAuthKey> {
        match &self.state {
            ClientState::Done(k) => Some(k),
            _ => None,
        }
    }

    /// Whether the key exists.
    pub fn is_done(&self) -> bool {
        matches!(self.state, ClientState::Done(_))
    }

    /// The error that ended the exchange, if one did.
    pub fn error(&self) -> Option<&AuthError> {
        match &self.state {
            ClientState::Failed(e) => Some(e),
            _ => None,
        }
    }

    /// The current state, for logs and errors.
    pub fn state_name(&self) -> &'static str {
        self.state.name()
    }

    /// Run one step that must return a body, if the state `accepts` it;
    /// otherwise the state stays and the call is out of order.
    fn step(
        &mut self,
        call: &'static str,
        accepts: impl FnOnce(&ClientState) -> bool,
        f: impl FnOnce(ClientState) -> Result<(ClientState, Vec<u8>), AuthError>,
    ) -> Result<Vec<u8>, AuthError> {
        if !accepts(&self.state) {
            return Err(out_of_order(call, &self.state));
        }
        let state = std::mem::replace(&mut self.state, ClientState::New);
        let result = f(state);
        self.settle(result)
    }

    fn settle<T>(&mut self, result: Result<(ClientState, T), AuthError>) -> Result<T, AuthError> {
        match result {
            Ok((state, out)) => {
                self.state = state;
                Ok(out)
            }
            Err(e) => {
                self.state = ClientState::Failed(e.clone());
                Err(e)
            }
        }
    }
}

/// The error for a call the state does not take: a failed exchange repeats
/// its error, anything else is out of order.
fn out_of_order(call: &'static str, state: &ClientState) -> AuthError {
    match state {
        ClientState::Failed(e) => e.clone(),
        other => AuthError::OutOfOrder {
            call,
            state: other.name(),
        },
    }
}

enum ServerState {
    AwaitingReqPq(ServerAwaitingReqPq),
    AwaitingReqDh(ServerAwaitingReqDh),
    AwaitingClientDh(ServerAwaitingClientDh),
    Done(CreatedAuthKey),
    Failed(AuthError),
}

impl ServerState {
    fn name(&self) -> &'static str {
        match self {
            ServerState::AwaitingReqPq(_) => "awaiting req_pq_multi",
            ServerState::AwaitingReqDh(_) => "awaiting req_DH_params",
            ServerState::AwaitingClientDh(_) => "awaiting set_client_DH_params",
            ServerState::Done(_) => "done",
            ServerState::Failed(_) => "failed",
        }
    }
}

/// The server's side of one key exchange (one per client connection that
/// sends req_pq_multi).
pub struct ServerHandshake {
    rng: Box<dyn SecureRandom>,
    state: ServerState,
}

impl ServerHandshake {
    /// A new exchange waiting for req_pq_multi.
    pub fn new(config: Arc<ServerHandshakeConfig>, rng: Box<dyn SecureRandom>) -> Self {
        ServerHandshake {
            rng,
            state: ServerState::AwaitingReqPq(ServerAwaitingReqPq::new(config)),
        }
    }

    /// Feed the next client message (a TL body) and get the reply to send.
    /// After a reply, [`is_done`](Self::is_done) says the key was created
    /// and registered in `keys`; [`error`](Self::error) says the exchange
    /// was refused (server_DH_params_fail or dh_gen_fail were the reply).
    pub fn handle(
        &mut self,
        body: &[u8],
        now: UnixMillis,
        keys: &mut AuthKeyStore,
    ) -> Result<Vec<u8>, AuthError> {
        match self.take() {
            ServerState::AwaitingReqPq(s) => match s.handle_req_pq(body, self.rng.as_mut()) {
                Ok((next, reply)) => {
                    self.state = ServerState::AwaitingReqDh(next);
                    Ok(reply)
                }
                Err(e) => self.fail(e),
            },
            ServerState::AwaitingReqDh(s) => {
                let reply = s.handle_req_dh_params(body, now, self.rng.as_mut());
                self.settle_dh_params(reply)
            }
            ServerState::AwaitingClientDh(s) => {
                self.state = ServerState::AwaitingClientDh(s);
                self.handle_set_client_dh_params(body, keys)
            }
            other => self.restore_refusing(other, "handle"),
        }
    }

    /// Answer req_pq_multi with the given server_nonce and primes.
    pub fn handle_req_pq_with(
        &mut self,
        body: &[u8],
        server_nonce: [u8; 16],
        p: u32,
        q: u32,
    ) -> Result<Vec<u8>, AuthError> {
        match self.take() {
            ServerState::AwaitingReqPq(s) => match s.handle_req_pq_with(body, server_nonce, p, q) {
                Ok((next, reply)) => {
                    self.state = ServerState::AwaitingReqDh(next);
                    Ok(reply)
                }
                Err(e) => self.fail(e),
            },
            other => self.restore_refusing(other, "handle_req_pq"),
        }
    }

    /// Answer req_DH_params with the given exponent `a` and padding.
    pub fn handle_req_dh_params_with(
        &mut self,
        body: &[u8],
        now: UnixMillis,
        a: &[u8; 256],
        answer_padding: &[u8],
    ) -> Result<Vec<u8>, AuthError> {
        match self.take() {
            ServerState::AwaitingReqDh(s) => {
                let reply = s.handle_req_dh_params_with(body, now, a, answer_padding);
                self.settle_dh_params(reply)
            }
            other => self.restore_refusing(other, "handle_req_dh_params"),
        }
    }

    /// Answer set_client_DH_params (no randomness involved); registers the
    /// key in `keys` on dh_gen_ok.
    pub fn handle_set_client_dh_params(
        &mut self,
        body: &[u8],
        keys: &mut AuthKeyStore,
    ) -> Result<Vec<u8>, AuthError> {
        match self.take() {
            ServerState::AwaitingClientDh(s) => match s.handle_set_client_dh_params(body, keys) {
                Ok(ClientDhReply::Ok(reply, created)) => {
                    keys.insert(&created);
                    self.state = ServerState::Done(created);
                    Ok(reply)
                }
                Ok(ClientDhReply::Retry(next, reply)) => {
                    self.state = ServerState::AwaitingClientDh(next);
                    Ok(reply)
                }
                Ok(ClientDhReply::Fail(reply, e)) => {
                    self.state = ServerState::Failed(e);
                    Ok(reply)
                }
                Err(e) => self.fail(e),
            },
            other => self.restore_refusing(other, "handle_set_client_dh_params"),
        }
    }

    /// The key created, once dh_gen_ok was sent.
    pub fn created_key(&self) -> Option<&CreatedAuthKey> {
        match &self.state {
            ServerState::Done(k) => Some(k),
            _ => None,
        }
    }

    /// Whether the key was created.
    pub fn is_done(&self) -> bool {
        matches!(self.state, ServerState::Done(_))
    }

    /// Why the exchange ended, if it failed or was refused.
    pub fn error(&self) -> Option<&AuthError> {
        match &self.state {
            ServerState::Failed(e) => Some(e),
            _ => None,
        }
    }

    /// The current state, for logs and errors.
    pub fn state_name(&self) -> &'static str {
        self.state.name()
    }

    /// Which constructor a body starts with, so a server can route a plain
    /// message to the exchange (req_pq_multi starts a new one).
    pub fn constructor_of(body: &[u8]) -> Result<u32, AuthError> {
        constructor_of(body)
    }

    fn take(&mut self) -> ServerState {
        std::mem::replace(
            &mut self.state,
            ServerState::Failed(AuthError::OutOfOrder {
                call: "handle",
                state: "poisoned",
            }),
        )
    }

    fn settle_dh_params(
        &mut self,
        reply: Result<DhParamsReply, AuthError>,
    ) -> Result<Vec<u8>, AuthError> {
        match reply {
            Ok(DhParamsReply::Ok(next, reply)) => {
                self.state = ServerState::AwaitingClientDh(next);
                Ok(reply)
            }
            Ok(DhParamsReply::Fail(reply, e)) => {
                self.state = ServerState::Failed(e);
                Ok(reply)
            }
            Err(e) => self.fail(e),
        }
    }

    fn fail(&mut self, e: AuthError) -> Result<Vec<u8>, AuthError> {
        self.state = ServerState::Failed(e.clone());
        Err(e)
    }

    fn refuse(&self, call: &'static str) -> AuthError {
        match &self.state {
            ServerState::Failed(e) => e.clone(),
            other => AuthError::OutOfOrder {
                call,
                state: other.name(),
            },
        }
    }

    fn restore_refusing(
        &mut self,
        state: ServerState,
        call: &'static str,
    ) -> Result<Vec<u8>, AuthError> {
        self.state = state;
        Err(self.refuse(call))
    }
}
