//! [`ClientHandshake`] and [`ServerHandshake`]: one object per key exchange
//! (core `auth::handshake`).

use std::sync::{Arc, Mutex};

use mtproto_core::auth::{
    self as core_auth, ClientHandshakeConfig, KeyType, ServerHandshakeConfig,
};
use mtproto_core::crypto::dh::{DhGroup, TELEGRAM_DH_G};
use mtproto_core::crypto::fixed;
use mtproto_core::error::Error as CoreError;
use mtproto_core::{AuthError, ErrorCode, OsRandom, UnixMillis};
use zeroize::{Zeroize, Zeroizing};

use super::{AuthKeyStore, CreatedAuthKey, RsaPrivateKey, RsaPublicKey};
use crate::error::{MtprotoError, lock};

/// A 256-byte DH exponent given by the caller (`b`, `a`); code 101 for
/// another length. The caller's copy is wiped.
fn exponent(what: &'static str, mut bytes: Vec<u8>) -> Result<Zeroizing<[u8; 256]>, MtprotoError> {
    let out = fixed::<256>(what, &bytes).map(Zeroizing::new);
    bytes.zeroize();
    Ok(out?)
}

/// The code of the error that ended an exchange (`error_code()` of both
/// handshakes).
fn error_code(error: Option<&AuthError>) -> Option<u32> {
    error.map(|e| CoreError::from(e.clone()).code().as_u32())
}

/// The message of the error that ended an exchange (`error_message()` of
/// both handshakes).
fn error_message(error: Option<&AuthError>) -> Option<String> {
    error.map(ToString::to_string)
}

/// The client's side of one key exchange with one data center.
///
/// `start()` gives the req_pq_multi body to send (in a plain message); feed
/// every body the server answers to `handle` and send what it returns; on
/// `None` the key is in `created_key()`. The `_with` methods take each
/// step's randomness as arguments (to replay recorded exchanges). Any error
/// ends the exchange and every later call throws it again (`error_code()`
/// and `error_message()` keep it). Randomness comes from the system; calls
/// are serialized, so the object may be shared between threads.
#[derive(uniffi::Object)]
pub struct ClientHandshake {
    inner: Mutex<core_auth::ClientHandshake>,
}

impl core::fmt::Debug for ClientHandshake {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ClientHandshake { .. }")
    }
}

#[uniffi::export]
impl ClientHandshake {
    /// A new exchange trusting `rsa_keys` (resPQ must offer one of their
    /// fingerprints), for DC `dc_id` (+10000 for test servers, negative for
    /// media DCs). `expires_in` 0 creates a permanent key; a positive value
    /// creates a temporary key living that many seconds. Throws 1
    /// (InvalidArgument) for a negative `expires_in`.
    #[uniffi::constructor]
    pub fn new(
        rsa_keys: Vec<Arc<RsaPublicKey>>,
        dc_id: i32,
        expires_in: i32,
    ) -> Result<Arc<Self>, MtprotoError> {
        let key_type = match expires_in {
            0 => KeyType::Permanent,
            n if n > 0 => KeyType::Temporary { expires_in: n },
            n => {
                return Err(MtprotoError::binding(
                    ErrorCode::InvalidArgument,
                    format!("expires_in must be 0 (permanent key) or positive, found {n}"),
                ));
            }
        };
        let config = ClientHandshakeConfig {
            rsa_keys: rsa_keys.iter().map(|k| k.core().clone()).collect(),
            dc_id,
            key_type,
        };
        Ok(Arc::new(ClientHandshake {
            inner: Mutex::new(core_auth::ClientHandshake::new(config, Box::new(OsRandom))),
        }))
    }

    /// The req_pq_multi body to send first (a random nonce). A second call
    /// throws 401 (AuthOutOfOrder).
    pub fn start(&self) -> Result<Vec<u8>, MtprotoError> {
        Ok(lock(&self.inner, "ClientHandshake")?.start()?)
    }

    /// [`start`](Self::start) with the given 16-byte nonce (101 for another
    /// length).
    pub fn start_with(&self, nonce: Vec<u8>) -> Result<Vec<u8>, MtprotoError> {
        let nonce: [u8; 16] = fixed("nonce", &nonce)?;
        Ok(lock(&self.inner, "ClientHandshake")?.start_with(nonce)?)
    }

    /// Feed the next server body (TL, without its plain-message envelope);
    /// returns the body to send, or `None` once the key exists. `now_ms` is
    /// the local clock (Unix milliseconds), for the server time offset.
    pub fn handle(&self, body: Vec<u8>, now_ms: u64) -> Result<Option<Vec<u8>>, MtprotoError> {
        Ok(lock(&self.inner, "ClientHandshake")?.handle(&body, UnixMillis(now_ms))?)
    }

    /// Handle resPQ with explicit randomness: the 32-byte `new_nonce`, the
    /// RSA_PAD padding of the inner data and its 32-byte temporary AES key.
    /// Returns the req_DH_params body.
    pub fn handle_res_pq_with(
        &self,
        body: Vec<u8>,
        new_nonce: Vec<u8>,
        rsa_padding: Vec<u8>,
        rsa_temp_key: Vec<u8>,
    ) -> Result<Vec<u8>, MtprotoError> {
        let new_nonce = Zeroizing::new(fixed::<32>("new_nonce", &new_nonce)?);
        let temp_key = Zeroizing::new(fixed::<32>("rsa_temp_key", &rsa_temp_key)?);
        Ok(lock(&self.inner, "ClientHandshake")?.handle_res_pq_with(
            &body,
            *new_nonce,
            &rsa_padding,
            &temp_key,
        )?)
    }

    /// Handle server_DH_params_ok with the 256-byte exponent `b` and the
    /// padding of client_DH_inner_data. Returns the set_client_DH_params
    /// body.
    pub fn handle_server_dh_params_with(
        &self,
        body: Vec<u8>,
        now_ms: u64,
        b: Vec<u8>,
        padding: Vec<u8>,
    ) -> Result<Vec<u8>, MtprotoError> {
        let b = exponent("b", b)?;
        Ok(
            lock(&self.inner, "ClientHandshake")?.handle_server_dh_params_with(
                &body,
                UnixMillis(now_ms),
                &b,
                &padding,
            )?,
        )
    }

    /// Handle the dh_gen answer; on dh_gen_retry, answer with the 256-byte
    /// `retry_b` and `retry_padding` (unused otherwise, but still checked).
    /// `None` once the key exists.
    pub fn handle_dh_gen_with(
        &self,
        body: Vec<u8>,
        retry_b: Vec<u8>,
        retry_padding: Vec<u8>,
    ) -> Result<Option<Vec<u8>>, MtprotoError> {
        let b = exponent("retry_b", retry_b)?;
        Ok(lock(&self.inner, "ClientHandshake")?.handle_dh_gen_with(&body, &b, &retry_padding)?)
    }

    /// Whether the key exists.
    pub fn is_done(&self) -> Result<bool, MtprotoError> {
        Ok(lock(&self.inner, "ClientHandshake")?.is_done())
    }

    /// The current state (`new`, `awaiting resPQ`, ..., `done`, `failed`),
    /// for logs.
    pub fn state_name(&self) -> Result<String, MtprotoError> {
        Ok(lock(&self.inner, "ClientHandshake")?
            .state_name()
            .to_owned())
    }

    /// The code of the error that ended the exchange (for instance 402
    /// AuthNonceMismatch for a resPQ echoing another nonce, 411 after the
    /// server's refusal), if one did. A call out of order does not end it.
    pub fn error_code(&self) -> Result<Option<u32>, MtprotoError> {
        Ok(error_code(lock(&self.inner, "ClientHandshake")?.error()))
    }

    /// The message of the error that ended the exchange, if one did.
    pub fn error_message(&self) -> Result<Option<String>, MtprotoError> {
        Ok(error_message(lock(&self.inner, "ClientHandshake")?.error()))
    }

    /// The key, once the exchange succeeded.
    pub fn created_key(&self) -> Result<Option<CreatedAuthKey>, MtprotoError> {
        Ok(lock(&self.inner, "ClientHandshake")?
            .created_key()
            .map(CreatedAuthKey::from))
    }
}

/// The server's side of one key exchange (one per client connection that
/// sends req_pq_multi).
///
/// Feed every client body to `handle` and send the reply it returns. After
/// a reply, `is_done()` says the key was created and registered in the
/// store; `error_code()` says the exchange ended (a refusal such as
/// server_DH_params_fail is still a reply to send). Errors are sticky.
/// Randomness comes from the system; calls are serialized.
#[derive(uniffi::Object)]
pub struct ServerHandshake {
    inner: Mutex<core_auth::ServerHandshake>,
}

impl core::fmt::Debug for ServerHandshake {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ServerHandshake { .. }")
    }
}

#[uniffi::export]
impl ServerHandshake {
    /// A new exchange offering `rsa_keys` (in that order) with the DH group
    /// (`g`, `dh_prime`): an empty `dh_prime` is Telegram's 2048-bit prime,
    /// with `g` 3 or 0 (the default); any other prime must be a 2048-bit
    /// safe prime for which `g` (2..=7) generates the right subgroup (407
    /// AuthInvalidDhPrime, 408 AuthInvalidGenerator). `dc_id`: refuse inner
    /// data naming another DC (`None`: any DC). `max_temp_expires_in`: the
    /// longest temporary key lifetime accepted, in seconds (`None`: 30 days).
    #[uniffi::constructor]
    pub fn new(
        rsa_keys: Vec<Arc<RsaPrivateKey>>,
        g: i32,
        dh_prime: Vec<u8>,
        dc_id: Option<i32>,
        max_temp_expires_in: Option<i32>,
    ) -> Result<Arc<Self>, MtprotoError> {
        let dh = if dh_prime.is_empty() {
            if g != 0 && i64::from(g) != i64::from(TELEGRAM_DH_G) {
                return Err(AuthError::InvalidGenerator {
                    g: i64::from(g),
                    reason: "Telegram's prime (an empty dh_prime) is used with g = 3 (or 0)",
                }
                .into());
            }
            DhGroup::telegram()
        } else {
            DhGroup::new_checked(i64::from(g), &dh_prime)?
        };
        let mut config =
            ServerHandshakeConfig::new(rsa_keys.iter().map(|k| k.core().clone()).collect());
        config.dh = dh;
        config.dc_id = dc_id;
        if let Some(max) = max_temp_expires_in {
            config.max_temp_expires_in = max;
        }
        Ok(Arc::new(ServerHandshake {
            inner: Mutex::new(core_auth::ServerHandshake::new(
                Arc::new(config),
                Box::new(OsRandom),
            )),
        }))
    }

    /// Feed the next client body; returns the reply to send. `now_ms` (Unix
    /// milliseconds) is the server time sent to the client; a created key
    /// is registered in `store`.
    pub fn handle(
        &self,
        body: Vec<u8>,
        now_ms: u64,
        store: Arc<AuthKeyStore>,
    ) -> Result<Vec<u8>, MtprotoError> {
        let mut server = lock(&self.inner, "ServerHandshake")?;
        let mut keys = store.lock()?;
        Ok(server.handle(&body, UnixMillis(now_ms), &mut keys)?)
    }

    /// Answer req_pq_multi with the given 16-byte `server_nonce` and the two
    /// primes whose product is pq (`p < q`).
    pub fn handle_req_pq_with(
        &self,
        body: Vec<u8>,
        server_nonce: Vec<u8>,
        p: u32,
        q: u32,
    ) -> Result<Vec<u8>, MtprotoError> {
        let server_nonce: [u8; 16] = fixed("server_nonce", &server_nonce)?;
        Ok(lock(&self.inner, "ServerHandshake")?.handle_req_pq_with(&body, server_nonce, p, q)?)
    }

    /// Answer req_DH_params with the 256-byte exponent `a` and the padding
    /// of the encrypted answer.
    pub fn handle_req_dh_params_with(
        &self,
        body: Vec<u8>,
        now_ms: u64,
        a: Vec<u8>,
        answer_padding: Vec<u8>,
    ) -> Result<Vec<u8>, MtprotoError> {
        let a = exponent("a", a)?;
        Ok(
            lock(&self.inner, "ServerHandshake")?.handle_req_dh_params_with(
                &body,
                UnixMillis(now_ms),
                &a,
                &answer_padding,
            )?,
        )
    }

    /// Answer set_client_DH_params (no randomness involved); registers the
    /// key in `store` on dh_gen_ok.
    pub fn handle_set_client_dh_params(
        &self,
        body: Vec<u8>,
        store: Arc<AuthKeyStore>,
    ) -> Result<Vec<u8>, MtprotoError> {
        let mut server = lock(&self.inner, "ServerHandshake")?;
        let mut keys = store.lock()?;
        Ok(server.handle_set_client_dh_params(&body, &mut keys)?)
    }

    /// Whether the key was created (dh_gen_ok was the last reply).
    pub fn is_done(&self) -> Result<bool, MtprotoError> {
        Ok(lock(&self.inner, "ServerHandshake")?.is_done())
    }

    /// The current state (`awaiting req_pq_multi`, ..., `done`, `failed`),
    /// for logs.
    pub fn state_name(&self) -> Result<String, MtprotoError> {
        Ok(lock(&self.inner, "ServerHandshake")?
            .state_name()
            .to_owned())
    }

    /// The code of the error that ended the exchange (for instance 416
    /// AuthInvalidInnerData when it refused another DC), if one did.
    pub fn error_code(&self) -> Result<Option<u32>, MtprotoError> {
        Ok(error_code(lock(&self.inner, "ServerHandshake")?.error()))
    }

    /// The message of the error that ended the exchange, if one did.
    pub fn error_message(&self) -> Result<Option<String>, MtprotoError> {
        Ok(error_message(lock(&self.inner, "ServerHandshake")?.error()))
    }

    /// The key created, once dh_gen_ok was sent.
    pub fn created_key(&self) -> Result<Option<CreatedAuthKey>, MtprotoError> {
        Ok(lock(&self.inner, "ServerHandshake")?
            .created_key()
            .map(CreatedAuthKey::from))
    }
}
