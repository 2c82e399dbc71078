//! The client side of auth key creation (`/mtproto/auth_key`), as typed
//! states. Each state is consumed by the one message it accepts and yields the
//! next state plus the message to send:
//!
//! ```text
//! ClientAwaitingResPq ──resPQ──► ClientAwaitingDhParams ──server_DH_params_ok──►
//! ClientAwaitingDhGen ──dh_gen_ok──► CreatedAuthKey
//!                     ──dh_gen_retry──► ClientRetry ──(new b)──► ClientAwaitingDhGen
//! ```
//!
//! Every step has a `_with` form that takes its randomness as arguments, so a
//! test can reproduce recorded bytes; the plain form draws it from a
//! [`SecureRandom`]. [`ClientHandshake`](super::ClientHandshake) drives these
//! states for callers that just feed messages in.

use std::sync::Arc;

use zeroize::Zeroizing;

use super::common::{
    NewNonce, decrypt_inner, encrypt_inner, first_salt, hash_eq, inner_padding_len, minimal_be,
    new_nonce_hash, params_fail_hash, read_message, retry_id_of,
};
use super::{CreatedAuthKey, KeyType};
use crate::crypto::auth_key::AuthKey;
use crate::crypto::dh::DhGroup;
use crate::crypto::factorize::{factorize_pq, pq_from_bytes};
use crate::crypto::rsa::{RsaPublicKey, rsa_pad_encrypt, rsa_pad_encrypt_with};
use crate::error::{AuthError, CryptoError};
use crate::rand::SecureRandom;
use crate::time::UnixMillis;
use crate::tl::mtproto::functions::{ReqDhParams, ReqPqMulti, SetClientDhParams};
use crate::tl::mtproto::types::{
    ClientDhInnerData, PQInnerDataDc, PQInnerDataTempDc, ResPq, ServerDhInnerData,
};
use crate::tl::mtproto::{ServerDhParams, SetClientDhParamsAnswer};
use crate::tl::{Identifiable, Serialize};

/// How many dh_gen_retry answers a client accepts before giving up. Servers
/// ask for a retry only on an auth_key_id collision, which is astronomically
/// rare; a server asking again and again is misbehaving.
pub const MAX_DH_RETRIES: u32 = 5;

/// What a client needs to create a key with one data center.
#[derive(Clone, Debug)]
pub struct ClientHandshakeConfig {
    /// The server RSA keys this client trusts; resPQ must offer one of their
    /// fingerprints (`/mtproto/auth_key`, step 2).
    pub rsa_keys: Vec<RsaPublicKey>,
    /// The DC id written into the inner data: +10000 for test servers,
    /// negative for media DCs.
    pub dc_id: i32,
    /// A permanent key, or a temporary one for perfect forward secrecy.
    pub key_type: KeyType,
}

/// The client's state after sending req_pq_multi: waiting for resPQ.
pub struct ClientAwaitingResPq {
    config: Arc<ClientHandshakeConfig>,
    nonce: [u8; 16],
}

/// The client's state after sending req_DH_params.
pub struct ClientAwaitingDhParams {
    config: Arc<ClientHandshakeConfig>,
    nonce: [u8; 16],
    server_nonce: [u8; 16],
    new_nonce: NewNonce,
}

/// The client's state after sending set_client_DH_params.
pub struct ClientAwaitingDhGen {
    config: Arc<ClientHandshakeConfig>,
    nonce: [u8; 16],
    server_nonce: [u8; 16],
    new_nonce: NewNonce,
    // Boxed: a checked group carries its Montgomery parameters (~1.5 KiB).
    group: Box<DhGroup>,
    g_a: Vec<u8>,
    server_time: i32,
    time_offset_ms: i64,
    key: AuthKey,
    attempts: u32,
}

/// The server asked for another attempt (dh_gen_retry): send
/// set_client_DH_params again with a fresh `b`.
pub struct ClientRetry {
    state: ClientAwaitingDhGen,
}

/// What dh_gen_ok/retry leads to.
pub enum DhGenOutcome {
    /// The key exists; the exchange is over.
    Done(CreatedAuthKey),
    /// The server wants another attempt with a new `b`.
    Retry(ClientRetry),
}

impl ClientAwaitingResPq {
    /// Begin with a random nonce; returns the state and the req_pq_multi body
    /// to send in a plain message.
    pub fn start(
        config: Arc<ClientHandshakeConfig>,
        rng: &mut dyn SecureRandom,
    ) -> Result<(Self, Vec<u8>), AuthError> {
        let mut nonce = [0u8; 16];
        rng.fill(&mut nonce)?;
        Ok(Self::start_with(config, nonce))
    }

    /// Begin with the given nonce (tests and vectors).
    pub fn start_with(config: Arc<ClientHandshakeConfig>, nonce: [u8; 16]) -> (Self, Vec<u8>) {
        let body = ReqPqMulti { nonce }.to_tl_bytes();
        (ClientAwaitingResPq { config, nonce }, body)
    }

    /// Handle resPQ with fresh randomness; returns the next state and the
    /// req_DH_params body.
    pub fn handle_res_pq(
        self,
        body: &[u8],
        rng: &mut dyn SecureRandom,
    ) -> Result<(ClientAwaitingDhParams, Vec<u8>), AuthError> {
        let res_pq = self.check_res_pq(body)?;
        let mut new_nonce = Zeroizing::new([0u8; 32]);
        rng.fill(new_nonce.as_mut())?;
        let prepared = self.inner_data(&res_pq, &new_nonce)?;
        let encrypted = rsa_pad_encrypt(prepared.key, &prepared.inner, rng)?;
        let (fingerprint, p, q) = prepared.into_parts();
        Ok(self.finish_req_dh(res_pq, new_nonce, fingerprint, p, q, &encrypted))
    }

    /// Handle resPQ with the given new_nonce and RSA_PAD randomness
    /// (`rsa_padding` is `192 - len(inner data)` bytes); fails if this
    /// `rsa_temp_key` gives a value not below the modulus (draw another).
    pub fn handle_res_pq_with(
        self,
        body: &[u8],
        new_nonce: [u8; 32],
        rsa_padding: &[u8],
        rsa_temp_key: &[u8; 32],
    ) -> Result<(ClientAwaitingDhParams, Vec<u8>), AuthError> {
        let res_pq = self.check_res_pq(body)?;
        let new_nonce = Zeroizing::new(new_nonce);
        let prepared = self.inner_data(&res_pq, &new_nonce)?;
        let encrypted =
            rsa_pad_encrypt_with(prepared.key, &prepared.inner, rsa_padding, rsa_temp_key)?.ok_or(
                AuthError::InvalidRsaKey(
                    "this temp_key makes key_aes_encrypted not below the modulus; draw another"
                        .into(),
                ),
            )?;
        let (fingerprint, p, q) = prepared.into_parts();
        Ok(self.finish_req_dh(res_pq, new_nonce, fingerprint, p, q, &encrypted))
    }

    fn check_res_pq(&self, body: &[u8]) -> Result<ResPq, AuthError> {
        let res_pq: ResPq = read_message(body, "resPQ", &[ResPq::CONSTRUCTOR_ID])?;
        if !hash_eq(&res_pq.nonce, &self.nonce) {
            return Err(AuthError::NonceMismatch);
        }
        Ok(res_pq)
    }

    /// Pick the key, factor pq and build the serialized inner data.
    fn inner_data(
        &self,
        res_pq: &ResPq,
        new_nonce: &[u8; 32],
    ) -> Result<PreparedInner<'_>, AuthError> {
        let offered = &res_pq.server_public_key_fingerprints;
        let key = offered
            .iter()
            .find_map(|fp| self.config.rsa_keys.iter().find(|k| k.fingerprint() == *fp))
            .ok_or(AuthError::UnknownFingerprint {
                offered: offered.len(),
            })?;
        let pq = pq_from_bytes(&res_pq.pq)?;
        let (p, q) = factorize_pq(pq)?;
        let (p, q) = (minimal_be(p), minimal_be(q));
        let inner = match self.config.key_type {
            KeyType::Permanent => PQInnerDataDc {
                pq: res_pq.pq.clone(),
                p: p.clone(),
                q: q.clone(),
                nonce: self.nonce,
                server_nonce: res_pq.server_nonce,
                new_nonce: *new_nonce,
                dc: self.config.dc_id,
            }
            .to_tl_bytes(),
            KeyType::Temporary { expires_in } => PQInnerDataTempDc {
                pq: res_pq.pq.clone(),
                p: p.clone(),
                q: q.clone(),
                nonce: self.nonce,
                server_nonce: res_pq.server_nonce,
                new_nonce: *new_nonce,
                dc: self.config.dc_id,
                expires_in,
            }
            .to_tl_bytes(),
        };
        Ok(PreparedInner {
            key,
            inner: Zeroizing::new(inner),
            p,
            q,
        })
    }

    fn finish_req_dh(
        self,
        res_pq: ResPq,
        new_nonce: NewNonce,
        fingerprint: i64,
        p: Vec<u8>,
        q: Vec<u8>,
        encrypted: &[u8; 256],
    ) -> (ClientAwaitingDhParams, Vec<u8>) {
        let body = ReqDhParams {
            nonce: self.nonce,
            server_nonce: res_pq.server_nonce,
            p,
            q,
            public_key_fingerprint: fingerprint,
            encrypted_data: encrypted.to_vec(),
        }
        .to_tl_bytes();
        let next = ClientAwaitingDhParams {
            config: self.config,
            nonce: self.nonce,
            server_nonce: res_pq.server_nonce,
            new_nonce,
        };
        (next, body)
    }
}

/// The RSA key chosen from resPQ, the serialized inner data, and p and q as
/// req_DH_params repeats them.
struct PreparedInner<'a> {
    key: &'a RsaPublicKey,
    inner: Zeroizing<Vec<u8>>,
    p: Vec<u8>,
    q: Vec<u8>,
}

impl PreparedInner<'_> {
    fn into_parts(self) -> (i64, Vec<u8>, Vec<u8>) {
        (self.key.fingerprint(), self.p, self.q)
    }
}

impl ClientAwaitingDhParams {
    /// Handle server_DH_params_ok (or _fail) with a fresh `b`; returns the
    /// next state and the set_client_DH_params body. `now` is the client's
    /// clock when the answer arrived (for the server time offset).
    pub fn handle_server_dh_params(
        self,
        body: &[u8],
        now: UnixMillis,
        rng: &mut dyn SecureRandom,
    ) -> Result<(ClientAwaitingDhGen, Vec<u8>), AuthError> {
        let (b, padding) = draw_b_and_padding(rng)?;
        self.handle_server_dh_params_with(body, now, &b, &padding)
    }

    /// Handle server_DH_params_ok with the given secret exponent `b` (256
    /// big-endian bytes) and the 0..=15 padding bytes of client_DH_inner_data
    /// (their length must be what makes it a multiple of 16 with its SHA1:
    /// 12 for a 256-byte g_b).
    pub fn handle_server_dh_params_with(
        self,
        body: &[u8],
        now: UnixMillis,
        b: &[u8; 256],
        padding: &[u8],
    ) -> Result<(ClientAwaitingDhGen, Vec<u8>), AuthError> {
        let answer: ServerDhParams = read_message(
            body,
            "server_DH_params_ok or server_DH_params_fail",
            &[
                crate::tl::mtproto::types::ServerDhParamsOk::CONSTRUCTOR_ID,
                crate::tl::mtproto::types::ServerDhParamsFail::CONSTRUCTOR_ID,
            ],
        )?;
        let ok = match answer {
            ServerDhParams::ServerDhParamsOk(ok) => ok,
            ServerDhParams::ServerDhParamsFail(fail) => {
                self.check_nonces(&fail.nonce, &fail.server_nonce)?;
                return if hash_eq(&fail.new_nonce_hash, &params_fail_hash(&self.new_nonce)) {
                    Err(AuthError::ServerDhParamsFail)
                } else {
                    Err(AuthError::NewNonceHashMismatch {
                        which: "server_DH_params_fail new_nonce_hash",
                    })
                };
            }
        };
        self.check_nonces(&ok.nonce, &ok.server_nonce)?;
        let inner: ServerDhInnerData =
            decrypt_inner(&self.new_nonce, &self.server_nonce, &ok.encrypted_answer)?;
        self.check_nonces(&inner.nonce, &inner.server_nonce)?;
        let group = DhGroup::new_checked(i64::from(inner.g), &inner.dh_prime)?;
        group.check_public(&inner.g_a, "g_a")?;
        let server_ms = i64::from(inner.server_time).saturating_mul(1000);
        let time_offset_ms = server_ms.saturating_sub(i64::try_from(now.0).unwrap_or(i64::MAX));
        let (key, body) = client_dh_message(
            &self.nonce,
            &self.server_nonce,
            &self.new_nonce,
            &group,
            &inner.g_a,
            0,
            b,
            padding,
        )?;
        let next = ClientAwaitingDhGen {
            config: self.config,
            nonce: self.nonce,
            server_nonce: self.server_nonce,
            new_nonce: self.new_nonce,
            group: Box::new(group),
            g_a: inner.g_a,
            server_time: inner.server_time,
            time_offset_ms,
            key,
            attempts: 1,
        };
        Ok((next, body))
    }

    fn check_nonces(&self, nonce: &[u8; 16], server_nonce: &[u8; 16]) -> Result<(), AuthError> {
        if !hash_eq(nonce, &self.nonce) {
            return Err(AuthError::NonceMismatch);
        }
        if !hash_eq(server_nonce, &self.server_nonce) {
            return Err(AuthError::ServerNonceMismatch);
        }
        Ok(())
    }
}

/// Compute g_b and the auth key for `b`, and the set_client_DH_params body.
#[allow(clippy::too_many_arguments)]
fn client_dh_message(
    nonce: &[u8; 16],
    server_nonce: &[u8; 16],
    new_nonce: &[u8; 32],
    group: &DhGroup,
    g_a: &[u8],
    retry_id: i64,
    b: &[u8; 256],
    padding: &[u8],
) -> Result<(AuthKey, Vec<u8>), AuthError> {
    let g_b = group.public_from_secret(b);
    // The spec requires our own g_b to be in range too (`/mtproto/auth_key`,
    // step 6); a b that fails is as good as lost, the caller draws another.
    group.check_public(&g_b, "g_b")?;
    let key_bytes = group.shared_secret(g_a, b, "g_a")?;
    let key = AuthKey::new(*key_bytes);
    let inner = Zeroizing::new(
        ClientDhInnerData {
            nonce: *nonce,
            server_nonce: *server_nonce,
            retry_id,
            g_b: g_b.to_vec(),
        }
        .to_tl_bytes(),
    );
    let encrypted_data = encrypt_inner(new_nonce, server_nonce, &inner, padding)?;
    let body = SetClientDhParams {
        nonce: *nonce,
        server_nonce: *server_nonce,
        encrypted_data,
    }
    .to_tl_bytes();
    Ok((key, body))
}

/// A fresh 256-byte exponent and the padding for a 256-byte g_b.
fn draw_b_and_padding(
    rng: &mut dyn SecureRandom,
) -> Result<(Zeroizing<[u8; 256]>, Vec<u8>), AuthError> {
    let mut b = Zeroizing::new([0u8; 256]);
    rng.fill(b.as_mut())?;
    // client_DH_inner_data with a 256-byte g_b: 4+16+16+8+(4+256) = 304 bytes.
    let mut padding = vec![0u8; inner_padding_len(304)];
    rng.fill(&mut padding)?;
    Ok((b, padding))
}

impl ClientAwaitingDhGen {
    /// Handle dh_gen_ok, dh_gen_retry or dh_gen_fail.
    pub fn handle_dh_gen(self, body: &[u8]) -> Result<DhGenOutcome, AuthError> {
        use crate::tl::mtproto::types::{DhGenFail, DhGenOk, DhGenRetry};
        let answer: SetClientDhParamsAnswer = read_message(
            body,
            "dh_gen_ok, dh_gen_retry or dh_gen_fail",
            &[
                DhGenOk::CONSTRUCTOR_ID,
                DhGenRetry::CONSTRUCTOR_ID,
                DhGenFail::CONSTRUCTOR_ID,
            ],
        )?;
        let (nonce, server_nonce, hash, n, which) = match &answer {
            SetClientDhParamsAnswer::DhGenOk(a) => (
                a.nonce,
                a.server_nonce,
                a.new_nonce_hash1,
                1,
                "new_nonce_hash1",
            ),
            SetClientDhParamsAnswer::DhGenRetry(a) => (
                a.nonce,
                a.server_nonce,
                a.new_nonce_hash2,
                2,
                "new_nonce_hash2",
            ),
            SetClientDhParamsAnswer::DhGenFail(a) => (
                a.nonce,
                a.server_nonce,
                a.new_nonce_hash3,
                3,
                "new_nonce_hash3",
            ),
        };
        if !hash_eq(&nonce, &self.nonce) {
            return Err(AuthError::NonceMismatch);
        }
        if !hash_eq(&server_nonce, &self.server_nonce) {
            return Err(AuthError::ServerNonceMismatch);
        }
        if !hash_eq(&hash, &new_nonce_hash(&self.new_nonce, n, &self.key)) {
            return Err(AuthError::NewNonceHashMismatch { which });
        }
        match n {
            1 => Ok(DhGenOutcome::Done(self.created())),
            2 if self.attempts > MAX_DH_RETRIES => Err(AuthError::TooManyRetries {
                attempts: self.attempts,
            }),
            2 => Ok(DhGenOutcome::Retry(ClientRetry { state: self })),
            _ => Err(AuthError::DhGenFail),
        }
    }

    fn created(self) -> CreatedAuthKey {
        let expires_at = match self.config.key_type {
            KeyType::Permanent => None,
            KeyType::Temporary { expires_in } => Some(self.server_time.saturating_add(expires_in)),
        };
        CreatedAuthKey {
            auth_key: self.key,
            first_salt: first_salt(&self.new_nonce, &self.server_nonce),
            server_time: self.server_time,
            time_offset_ms: self.time_offset_ms,
            dc_id: self.config.dc_id,
            expires_at,
        }
    }
}

impl ClientRetry {
    /// The auth_key_id of the attempt the server refused.
    pub fn refused_key_id(&self) -> crate::crypto::auth_key::AuthKeyId {
        self.state.key.id()
    }

    /// Send set_client_DH_params again with a fresh `b`.
    pub fn send(
        self,
        rng: &mut dyn SecureRandom,
    ) -> Result<(ClientAwaitingDhGen, Vec<u8>), AuthError> {
        let (b, padding) = draw_b_and_padding(rng)?;
        self.send_with(&b, &padding)
    }

    /// Send set_client_DH_params again with the given `b` and padding; its
    /// retry_id is the refused key's aux hash (`/mtproto/auth_key`, step 6).
    pub fn send_with(
        self,
        b: &[u8; 256],
        padding: &[u8],
    ) -> Result<(ClientAwaitingDhGen, Vec<u8>), AuthError> {
        let s = self.state;
        let retry_id = retry_id_of(&s.key);
        let (key, body) = client_dh_message(
            &s.nonce,
            &s.server_nonce,
            &s.new_nonce,
            &s.group,
            &s.g_a,
            retry_id,
            b,
            padding,
        )?;
        let next = ClientAwaitingDhGen {
            key,
            attempts: s.attempts.saturating_add(1),
            ..s
        };
        Ok((next, body))
    }
}

/// Refuse a length that cannot be a nonce: used by bindings that take nonces
/// as byte strings.
pub fn nonce_from_slice(bytes: &[u8]) -> Result<[u8; 16], AuthError> {
    Ok(crate::crypto::fixed::<16>("nonce", bytes)?)
}

/// Refuse a length that cannot be new_nonce.
pub fn new_nonce_from_slice(bytes: &[u8]) -> Result<[u8; 32], AuthError> {
    Ok(crate::crypto::fixed::<32>("new_nonce", bytes)?)
}

/// Refuse a length that cannot be a DH exponent (256 big-endian bytes).
pub fn exponent_from_slice(bytes: &[u8]) -> Result<Zeroizing<[u8; 256]>, AuthError> {
    let arr: [u8; 256] = bytes.try_into().map_err(|_| {
        AuthError::Crypto(CryptoError::InvalidLength {
            what: "DH exponent",
            expected: 256,
            found: bytes.len(),
        })
    })?;
    Ok(Zeroizing::new(arr))
}
