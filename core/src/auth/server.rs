//! The server side of auth key creation (`/mtproto/auth_key`), as typed
//! states:
//!
//! ```text
//! ServerAwaitingReqPq ──req_pq_multi──► ServerAwaitingReqDh ──req_DH_params──►
//! ServerAwaitingClientDh ──set_client_DH_params──► dh_gen_ok (key created)
//!                                                 │ dh_gen_retry (id taken) → ServerAwaitingClientDh
//!                                                 └ dh_gen_fail
//! ```
//!
//! Each step has a `_with` form that takes its randomness (server_nonce, the
//! pq primes, the exponent `a`, padding) as arguments.

use std::sync::Arc;

use zeroize::Zeroizing;

use super::common::{
    NewNonce, constructor_of, decrypt_inner, encrypt_inner, first_salt, hash_eq, inner_padding_len,
    minimal_be, new_nonce_hash, params_fail_hash, read_message, retry_id_of,
};
use super::key_store::AuthKeyStore;
use super::{CreatedAuthKey, KeyType};
use crate::crypto::auth_key::AuthKey;
use crate::crypto::dh::DhGroup;
use crate::crypto::factorize::{generate_pq_primes, is_prime_u64};
use crate::crypto::rsa::{RsaPrivateKey, old_scheme_decrypt, rsa_pad_decrypt};
use crate::error::AuthError;
use crate::rand::SecureRandom;
use crate::time::UnixMillis;
use crate::tl::mtproto::PQInnerData;
use crate::tl::mtproto::functions::{ReqDhParams, ReqPq, ReqPqMulti, SetClientDhParams};
use crate::tl::mtproto::types::{
    ClientDhInnerData, DhGenFail, DhGenOk, DhGenRetry, ResPq, ServerDhInnerData,
    ServerDhParamsFail, ServerDhParamsOk,
};
use crate::tl::{Deserialize, Identifiable, Reader, Serialize};

/// How many dh_gen_retry answers the server gives in one exchange before
/// answering dh_gen_fail.
pub const MAX_SERVER_RETRIES: u32 = 5;

/// Default longest lifetime of a temporary key the server accepts (seconds).
pub const DEFAULT_MAX_TEMP_EXPIRES_IN: i32 = 30 * 24 * 3600;

/// What the server needs to create keys: its RSA keys and DH group.
#[derive(Clone, Debug)]
pub struct ServerHandshakeConfig {
    /// The RSA private keys whose fingerprints resPQ offers, in that order.
    pub rsa_keys: Vec<RsaPrivateKey>,
    /// The DH group (default: Telegram's 2048-bit prime with g = 3).
    pub dh: DhGroup,
    /// When set, inner data naming another DC is refused with
    /// server_DH_params_fail. The dc-less `p_q_inner_data` is always taken.
    pub dc_id: Option<i32>,
    /// The longest temporary key lifetime accepted, in seconds.
    pub max_temp_expires_in: i32,
}

impl ServerHandshakeConfig {
    /// A configuration with these RSA keys, Telegram's DH group, any DC and
    /// the default temporary key limit.
    pub fn new(rsa_keys: Vec<RsaPrivateKey>) -> Self {
        ServerHandshakeConfig {
            rsa_keys,
            dh: DhGroup::telegram(),
            dc_id: None,
            max_temp_expires_in: DEFAULT_MAX_TEMP_EXPIRES_IN,
        }
    }
}

/// A new exchange, waiting for req_pq_multi (or the older req_pq).
pub struct ServerAwaitingReqPq {
    config: Arc<ServerHandshakeConfig>,
}

/// resPQ sent; waiting for req_DH_params.
pub struct ServerAwaitingReqDh {
    config: Arc<ServerHandshakeConfig>,
    nonce: [u8; 16],
    server_nonce: [u8; 16],
    pq: u64,
    p: u32,
    q: u32,
}

/// server_DH_params_ok sent; waiting for set_client_DH_params.
pub struct ServerAwaitingClientDh {
    nonce: [u8; 16],
    server_nonce: [u8; 16],
    new_nonce: NewNonce,
    // Boxed: the group's Montgomery parameters and `a` are large.
    group: Box<DhGroup>,
    a: Box<Zeroizing<[u8; 256]>>,
    key_type: KeyType,
    dc_id: i32,
    server_time: i32,
    /// retry_id the next set_client_DH_params must carry: 0 first, then the
    /// aux hash of the key the server refused.
    expected_retry_id: i64,
    attempts: u32,
}

/// The server's answer to req_DH_params.
pub enum DhParamsReply {
    /// server_DH_params_ok: send it and wait for set_client_DH_params.
    Ok(ServerAwaitingClientDh, Vec<u8>),
    /// server_DH_params_fail: send it; the exchange is over for the reason
    /// given.
    Fail(Vec<u8>, AuthError),
}

/// The server's answer to set_client_DH_params.
pub enum ClientDhReply {
    /// dh_gen_ok: send it; the key exists (register it in the key store).
    Ok(Vec<u8>, CreatedAuthKey),
    /// dh_gen_retry: the key's id is taken; send it and wait for another
    /// set_client_DH_params.
    Retry(ServerAwaitingClientDh, Vec<u8>),
    /// dh_gen_fail: send it; the exchange is over for the reason given.
    Fail(Vec<u8>, AuthError),
}

/// The inner data of req_DH_params, whichever variant the client sent.
struct Inner {
    pq: Vec<u8>,
    p: Vec<u8>,
    q: Vec<u8>,
    nonce: [u8; 16],
    server_nonce: [u8; 16],
    new_nonce: NewNonce,
    dc: Option<i32>,
    expires_in: Option<i32>,
}

impl From<PQInnerData> for Inner {
    fn from(v: PQInnerData) -> Self {
        // The four variants share their first six fields; they differ in
        // whether they carry dc and expires_in.
        macro_rules! inner {
            ($d:expr, $dc:expr, $expires_in:expr) => {
                Inner {
                    pq: $d.pq,
                    p: $d.p,
                    q: $d.q,
                    nonce: $d.nonce,
                    server_nonce: $d.server_nonce,
                    new_nonce: Zeroizing::new($d.new_nonce),
                    dc: $dc,
                    expires_in: $expires_in,
                }
            };
        }
        match v {
            PQInnerData::PQInnerData(d) => inner!(d, None, None),
            PQInnerData::PQInnerDataDc(d) => inner!(d, Some(d.dc), None),
            PQInnerData::PQInnerDataTemp(d) => inner!(d, None, Some(d.expires_in)),
            PQInnerData::PQInnerDataTempDc(d) => inner!(d, Some(d.dc), Some(d.expires_in)),
        }
    }
}

impl ServerAwaitingReqPq {
    /// A new exchange under `config`.
    pub fn new(config: Arc<ServerHandshakeConfig>) -> Self {
        ServerAwaitingReqPq { config }
    }

    /// Answer req_pq_multi with a random server_nonce and pq.
    pub fn handle_req_pq(
        self,
        body: &[u8],
        rng: &mut dyn SecureRandom,
    ) -> Result<(ServerAwaitingReqDh, Vec<u8>), AuthError> {
        let mut server_nonce = [0u8; 16];
        rng.fill(&mut server_nonce)?;
        let (p, q) = generate_pq_primes(rng)?;
        self.handle_req_pq_with(body, server_nonce, p, q)
    }

    /// Answer req_pq_multi with the given server_nonce and primes `p < q`
    /// (`p·q` must stay below 2^63, `/mtproto/auth_key` step 2).
    pub fn handle_req_pq_with(
        self,
        body: &[u8],
        server_nonce: [u8; 16],
        p: u32,
        q: u32,
    ) -> Result<(ServerAwaitingReqDh, Vec<u8>), AuthError> {
        let pq = u64::from(p) * u64::from(q);
        if p >= q || pq >= 1 << 63 || !is_prime_u64(p.into()) || !is_prime_u64(q.into()) {
            return Err(AuthError::InvalidPq(
                "p and q must be primes with p < q and p·q < 2^63",
            ));
        }
        // The older req_pq has the same single field; both are answered.
        let nonce = match constructor_of(body)? {
            ReqPqMulti::CONSTRUCTOR_ID => ReqPqMulti::from_tl_bytes(body)?.nonce,
            ReqPq::CONSTRUCTOR_ID => ReqPq::from_tl_bytes(body)?.nonce,
            found => {
                return Err(AuthError::UnexpectedMessage {
                    expected: "req_pq_multi or req_pq",
                    found,
                });
            }
        };
        let res_pq = ResPq {
            nonce,
            server_nonce,
            pq: minimal_be(pq),
            server_public_key_fingerprints: self
                .config
                .rsa_keys
                .iter()
                .map(RsaPrivateKey::fingerprint)
                .collect(),
        };
        let next = ServerAwaitingReqDh {
            config: self.config,
            nonce,
            server_nonce,
            pq,
            p,
            q,
        };
        Ok((next, res_pq.to_tl_bytes()))
    }
}

impl ServerAwaitingReqDh {
    /// Answer req_DH_params with a fresh exponent `a`. `now` gives
    /// server_time. The request is checked (and RSA-decrypted) before any
    /// exponentiation is spent on it.
    pub fn handle_req_dh_params(
        self,
        body: &[u8],
        now: UnixMillis,
        rng: &mut dyn SecureRandom,
    ) -> Result<DhParamsReply, AuthError> {
        let accepted = match self.check_req_dh_params(body)? {
            Checked::Accepted(a) => a,
            Checked::Refused(reply, e) => return Ok(DhParamsReply::Fail(reply, e)),
        };
        // A few draws at most: an `a` whose g_a is out of range has
        // probability about 2^-63.
        for _ in 0..8 {
            let mut a = Zeroizing::new([0u8; 256]);
            rng.fill(a.as_mut())?;
            let g_a = self.config.dh.public_from_secret(&a);
            if self.config.dh.check_public(&g_a, "g_a").is_ok() {
                // server_DH_inner_data with 256-byte dh_prime and g_a: 564 bytes.
                let mut padding = vec![0u8; inner_padding_len(564)];
                rng.fill(&mut padding)?;
                return self.respond(accepted, now, &a, &g_a, &padding);
            }
        }
        Err(AuthError::DhValueOutOfRange { which: "g_a" })
    }

    /// Answer req_DH_params with the given exponent `a` (256 big-endian
    /// bytes) and padding for server_DH_inner_data (what makes SHA1 ‖ answer
    /// a multiple of 16: 8 bytes with a 256-byte prime and g_a).
    pub fn handle_req_dh_params_with(
        self,
        body: &[u8],
        now: UnixMillis,
        a: &[u8; 256],
        answer_padding: &[u8],
    ) -> Result<DhParamsReply, AuthError> {
        let accepted = match self.check_req_dh_params(body)? {
            Checked::Accepted(a) => a,
            Checked::Refused(reply, e) => return Ok(DhParamsReply::Fail(reply, e)),
        };
        let g_a = self.config.dh.public_from_secret(a);
        self.config.dh.check_public(&g_a, "g_a")?;
        self.respond(accepted, now, a, &g_a, answer_padding)
    }

    /// Every check of req_DH_params and its inner data; a refusal the
    /// client can verify (server_DH_params_fail) once new_nonce is known.
    fn check_req_dh_params(&self, body: &[u8]) -> Result<Checked, AuthError> {
        let req: ReqDhParams = read_message(body, "req_DH_params", &[ReqDhParams::CONSTRUCTOR_ID])?;
        if !hash_eq(&req.nonce, &self.nonce) {
            return Err(AuthError::NonceMismatch);
        }
        if !hash_eq(&req.server_nonce, &self.server_nonce) {
            return Err(AuthError::ServerNonceMismatch);
        }
        let (p, q) = (minimal_be(self.p.into()), minimal_be(self.q.into()));
        if req.p != p || req.q != q {
            return Err(AuthError::InvalidPq("p and q are not the factors of pq"));
        }
        let key = self
            .config
            .rsa_keys
            .iter()
            .find(|k| k.fingerprint() == req.public_key_fingerprint)
            .ok_or(AuthError::UnknownFingerprint { offered: 1 })?;
        let inner = decrypt_inner_data(key, &req.encrypted_data)?;
        if !hash_eq(&inner.nonce, &self.nonce) {
            return Err(AuthError::NonceMismatch);
        }
        if !hash_eq(&inner.server_nonce, &self.server_nonce) {
            return Err(AuthError::ServerNonceMismatch);
        }
        if inner.pq != minimal_be(self.pq) || inner.p != p || inner.q != q {
            return Err(AuthError::InvalidInnerData(
                "pq, p or q differ from the exchange's",
            ));
        }
        let refuse = |reason| {
            let body = ServerDhParamsFail {
                nonce: self.nonce,
                server_nonce: self.server_nonce,
                new_nonce_hash: params_fail_hash(&inner.new_nonce),
            }
            .to_tl_bytes();
            Ok(Checked::Refused(body, AuthError::InvalidInnerData(reason)))
        };
        if let (Some(want), Some(dc)) = (self.config.dc_id, inner.dc) {
            if want != dc {
                return refuse("the inner data names another DC");
            }
        }
        let key_type = match inner.expires_in {
            None => KeyType::Permanent,
            Some(e) if e > 0 && e <= self.config.max_temp_expires_in => {
                KeyType::Temporary { expires_in: e }
            }
            Some(_) => return refuse("expires_in out of the accepted range"),
        };
        Ok(Checked::Accepted(Accepted {
            new_nonce: inner.new_nonce,
            dc: inner.dc.unwrap_or(0),
            key_type,
        }))
    }

    /// server_DH_params_ok for an accepted request, with `g_a = g^a`.
    fn respond(
        self,
        accepted: Accepted,
        now: UnixMillis,
        a: &[u8; 256],
        g_a: &[u8; 256],
        answer_padding: &[u8],
    ) -> Result<DhParamsReply, AuthError> {
        let group = self.config.dh.clone();
        let server_time = i32::try_from(now.as_secs()).unwrap_or(i32::MAX);
        let answer = Zeroizing::new(
            ServerDhInnerData {
                nonce: self.nonce,
                server_nonce: self.server_nonce,
                g: i32::try_from(group.g()).unwrap_or(0),
                dh_prime: group.prime_be().to_vec(),
                g_a: g_a.to_vec(),
                server_time,
            }
            .to_tl_bytes(),
        );
        let encrypted_answer = encrypt_inner(
            &accepted.new_nonce,
            &self.server_nonce,
            &answer,
            answer_padding,
        )?;
        let reply = ServerDhParamsOk {
            nonce: self.nonce,
            server_nonce: self.server_nonce,
            encrypted_answer,
        }
        .to_tl_bytes();
        let next = ServerAwaitingClientDh {
            nonce: self.nonce,
            server_nonce: self.server_nonce,
            new_nonce: accepted.new_nonce,
            group: Box::new(group),
            a: Box::new(Zeroizing::new(*a)),
            key_type: accepted.key_type,
            dc_id: accepted.dc,
            server_time,
            expected_retry_id: 0,
            attempts: 0,
        };
        Ok(DhParamsReply::Ok(next, reply))
    }
}

/// What the checks of req_DH_params decided.
enum Checked {
    Accepted(Accepted),
    /// server_DH_params_fail to send, and why.
    Refused(Vec<u8>, AuthError),
}

/// An accepted request: what the rest of the exchange needs from it.
struct Accepted {
    new_nonce: NewNonce,
    dc: i32,
    key_type: KeyType,
}

/// Decrypt encrypted_data: RSA_PAD first, then the older
/// `SHA1(data) ‖ data ‖ padding` scheme some clients still send.
fn decrypt_inner_data(key: &RsaPrivateKey, encrypted: &[u8]) -> Result<Inner, AuthError> {
    if let Ok(data) = rsa_pad_decrypt(key, encrypted) {
        // The data is followed by random padding up to 192 bytes.
        let mut r = Reader::new(data.as_ref());
        let inner = PQInnerData::deserialize(&mut r).map_err(|_| AuthError::RsaDecryptFailed)?;
        return Ok(inner.into());
    }
    let payload = old_scheme_decrypt(key, encrypted)?;
    let mut r = Reader::new(payload.data_and_padding());
    let inner = PQInnerData::deserialize(&mut r).map_err(|_| AuthError::RsaDecryptFailed)?;
    if payload.verify(r.position()).is_none() {
        return Err(AuthError::RsaDecryptFailed);
    }
    Ok(inner.into())
}

impl ServerAwaitingClientDh {
    /// Answer set_client_DH_params. `keys` is consulted for an auth_key_id
    /// collision (then the answer is dh_gen_retry); the caller registers the
    /// created key (the [`ServerHandshake`](super::ServerHandshake) driver
    /// does).
    pub fn handle_set_client_dh_params(
        self,
        body: &[u8],
        keys: &AuthKeyStore,
    ) -> Result<ClientDhReply, AuthError> {
        let req: SetClientDhParams = read_message(
            body,
            "set_client_DH_params",
            &[SetClientDhParams::CONSTRUCTOR_ID],
        )?;
        if !hash_eq(&req.nonce, &self.nonce) {
            return Err(AuthError::NonceMismatch);
        }
        if !hash_eq(&req.server_nonce, &self.server_nonce) {
            return Err(AuthError::ServerNonceMismatch);
        }
        let inner: ClientDhInnerData =
            decrypt_inner(&self.new_nonce, &self.server_nonce, &req.encrypted_data)?;
        if !hash_eq(&inner.nonce, &self.nonce) {
            return Err(AuthError::NonceMismatch);
        }
        if !hash_eq(&inner.server_nonce, &self.server_nonce) {
            return Err(AuthError::ServerNonceMismatch);
        }
        let key = AuthKey::new(*self.group.shared_secret(&inner.g_b, &self.a, "g_b")?);
        let attempts = self.attempts.saturating_add(1);
        if inner.retry_id != self.expected_retry_id {
            let reply = self.dh_gen_fail(&key);
            return Ok(ClientDhReply::Fail(
                reply,
                AuthError::InvalidInnerData("retry_id is not the refused key's aux hash"),
            ));
        }
        if keys.contains(key.id()) {
            if attempts > MAX_SERVER_RETRIES {
                let reply = self.dh_gen_fail(&key);
                return Ok(ClientDhReply::Fail(
                    reply,
                    AuthError::TooManyRetries { attempts },
                ));
            }
            let reply = DhGenRetry {
                nonce: self.nonce,
                server_nonce: self.server_nonce,
                new_nonce_hash2: new_nonce_hash(&self.new_nonce, 2, &key),
            }
            .to_tl_bytes();
            let next = ServerAwaitingClientDh {
                expected_retry_id: retry_id_of(&key),
                attempts,
                ..self
            };
            return Ok(ClientDhReply::Retry(next, reply));
        }
        let reply = DhGenOk {
            nonce: self.nonce,
            server_nonce: self.server_nonce,
            new_nonce_hash1: new_nonce_hash(&self.new_nonce, 1, &key),
        }
        .to_tl_bytes();
        let expires_at = match self.key_type {
            KeyType::Permanent => None,
            KeyType::Temporary { expires_in } => Some(self.server_time.saturating_add(expires_in)),
        };
        let created = CreatedAuthKey {
            auth_key: key,
            first_salt: first_salt(&self.new_nonce, &self.server_nonce),
            server_time: self.server_time,
            time_offset_ms: 0,
            dc_id: self.dc_id,
            expires_at,
        };
        Ok(ClientDhReply::Ok(reply, created))
    }

    fn dh_gen_fail(&self, key: &AuthKey) -> Vec<u8> {
        DhGenFail {
            nonce: self.nonce,
            server_nonce: self.server_nonce,
            new_nonce_hash3: new_nonce_hash(&self.new_nonce, 3, key),
        }
        .to_tl_bytes()
    }
}
