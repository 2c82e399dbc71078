//! Authorization key creation (core `auth`, `/mtproto/auth_key`) for both
//! roles, the server's key store, and temporary keys bound to permanent ones
//! (`/method/auth.bindTempAuthKey`, perfect forward secrecy).
//!
//! - [`RsaPublicKey`], [`RsaPrivateKey`]: the server's RSA keys (PEM in and
//!   out, a public key from its modulus and exponent, fingerprints, key
//!   generation, the old RSA scheme);
//! - [`ClientHandshake`], [`ServerHandshake`]: one object per exchange; feed
//!   each received TL body to `handle` and send what it returns (bodies
//!   travel in plain messages: `seal_plain` / `open_plain`);
//! - [`AuthKeyStore`]: a server's keys, shared by its handshakes;
//! - [`bind_temp_auth_key_query`] and [`verify_bind_temp_auth_key`]: binding
//!   a temporary key to a permanent one.
//!
//! Errors carry the core's auth codes (400..418), 101 for a fixed-size
//! argument of the wrong length and the TL codes (300..) for a body that
//! does not parse. Randomness comes from the operating system's CSPRNG
//! (code 102 if it fails); the `_with` calls take it as arguments.

use std::sync::{Arc, Mutex, MutexGuard};

use mtproto_core::auth::{self as core_auth};
use mtproto_core::crypto::fixed;
use mtproto_core::envelope::{MsgId, SessionId};
use mtproto_core::{AuthKeyId, OsRandom, UnixMillis};
use zeroize::{Zeroize, Zeroizing};

use crate::error::{MtprotoError, lock};

mod handshake;
mod rsa;

pub use handshake::{ClientHandshake, ServerHandshake};
pub use rsa::{RsaPrivateKey, RsaPublicKey};

/// A core auth key from caller bytes (101 unless 256 bytes); the caller's
/// copy is wiped.
fn auth_key(mut bytes: Vec<u8>) -> Result<mtproto_core::AuthKey, MtprotoError> {
    let key = mtproto_core::AuthKey::from_slice(&bytes);
    bytes.zeroize();
    Ok(key?)
}

/// A count from the core as `u32` (saturating).
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The result of a successful key exchange, on either side.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct CreatedAuthKey {
    /// The 256-byte authorization key (a secret: store it safely, never log
    /// it).
    pub auth_key: Vec<u8>,
    /// Its 64-bit id (the low 64 bits of SHA1(auth_key)).
    pub auth_key_id: u64,
    /// The first server salt (`new_nonce[0..8] XOR server_nonce[0..8]`), as
    /// the signed TL `long`.
    pub first_salt: i64,
    /// The server's clock (Unix seconds) when it answered req_DH_params.
    pub server_time: i32,
    /// Client: server time minus the local clock when that answer arrived,
    /// in milliseconds (add it to local time to get server time). Server: 0.
    pub time_offset_ms: i64,
    /// The DC id the client named (0 for the dc-less inner data).
    pub dc_id: i32,
    /// For a temporary key, when it expires (server Unix seconds); 0 for a
    /// permanent key.
    pub expires_at: i32,
}

impl From<&core_auth::CreatedAuthKey> for CreatedAuthKey {
    fn from(k: &core_auth::CreatedAuthKey) -> Self {
        CreatedAuthKey {
            auth_key: k.auth_key.as_bytes().to_vec(),
            auth_key_id: k.auth_key.id().0,
            first_salt: k.first_salt.0 as i64,
            server_time: k.server_time,
            time_offset_ms: k.time_offset_ms,
            dc_id: k.dc_id,
            expires_at: k.expires_at.unwrap_or(0),
        }
    }
}

impl core::fmt::Debug for CreatedAuthKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The key prints as its id only (as in the core).
        f.debug_struct("CreatedAuthKey")
            .field("auth_key_id", &self.auth_key_id)
            .field("server_time", &self.server_time)
            .field("time_offset_ms", &self.time_offset_ms)
            .field("dc_id", &self.dc_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// A server's authorization keys: permanent ones, temporary ones with their
/// expiry, and which permanent key each temporary key is bound to.
///
/// One store serves all of a server's handshakes (pass the same object to
/// each `ServerHandshake.handle`); calls are serialized, so it may be shared
/// between threads.
#[derive(uniffi::Object)]
pub struct AuthKeyStore {
    inner: Mutex<core_auth::AuthKeyStore>,
}

impl AuthKeyStore {
    /// The core store, locked.
    pub(crate) fn lock(&self) -> Result<MutexGuard<'_, core_auth::AuthKeyStore>, MtprotoError> {
        lock(&self.inner, "AuthKeyStore")
    }
}

impl core::fmt::Debug for AuthKeyStore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AuthKeyStore { .. }")
    }
}

#[uniffi::export]
impl AuthKeyStore {
    /// An empty store.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(AuthKeyStore {
            inner: Mutex::new(core_auth::AuthKeyStore::new()),
        })
    }

    /// Register a permanent key created elsewhere (restored from storage);
    /// `false` if a key with its id is already present. Throws 101 unless
    /// `auth_key` is 256 bytes.
    pub fn insert_permanent(&self, auth_key: Vec<u8>, dc_id: i32) -> Result<bool, MtprotoError> {
        let key = self::auth_key(auth_key)?;
        Ok(self.lock()?.insert_permanent(key, dc_id))
    }

    /// Register a temporary key created elsewhere, expiring at `expires_at`
    /// (Unix seconds); `false` if a key with its id is already present.
    /// Throws 101 unless `auth_key` is 256 bytes.
    pub fn insert_temporary(
        &self,
        auth_key: Vec<u8>,
        dc_id: i32,
        expires_at: i32,
    ) -> Result<bool, MtprotoError> {
        let key = self::auth_key(auth_key)?;
        Ok(self.lock()?.insert_temporary(key, dc_id, expires_at))
    }

    /// Whether a key with this id is present (expired or not).
    pub fn contains(&self, auth_key_id: u64) -> Result<bool, MtprotoError> {
        Ok(self.lock()?.contains(AuthKeyId(auth_key_id)))
    }

    /// The id of the permanent key the temporary key `temp_auth_key_id` is
    /// bound to, if it is present, not expired at `now_ms` and bound.
    pub fn bound_permanent(
        &self,
        temp_auth_key_id: u64,
        now_ms: u64,
    ) -> Result<Option<u64>, MtprotoError> {
        Ok(self
            .lock()?
            .bound_permanent(AuthKeyId(temp_auth_key_id), UnixMillis(now_ms))
            .map(|id| id.0))
    }

    /// Forget a key (destroy_auth_key, logout); temporary keys bound to it
    /// lose their binding. `false` if it was not present.
    pub fn remove(&self, auth_key_id: u64) -> Result<bool, MtprotoError> {
        Ok(self.lock()?.remove(AuthKeyId(auth_key_id)).is_some())
    }

    /// Drop every temporary key expired at `now_ms`; returns how many.
    pub fn remove_expired(&self, now_ms: u64) -> Result<u32, MtprotoError> {
        Ok(to_u32(self.lock()?.remove_expired(UnixMillis(now_ms))))
    }

    /// How many keys are stored.
    pub fn len(&self) -> Result<u32, MtprotoError> {
        Ok(to_u32(self.lock()?.len()))
    }

    /// Whether no key is stored.
    pub fn is_empty(&self) -> Result<bool, MtprotoError> {
        Ok(self.lock()?.is_empty())
    }
}

/// An auth.bindTempAuthKey query and the nonce it carries.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct BindTempAuthKeyQuery {
    /// The TL body of the query: send it over the temporary key in the
    /// message whose id was given.
    pub query: Vec<u8>,
    /// The random nonce inside it.
    pub nonce: i64,
}

/// A binding the server accepted.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct TempKeyBinding {
    /// The permanent key.
    pub perm_auth_key_id: u64,
    /// The temporary key now bound to it.
    pub temp_auth_key_id: u64,
    /// The session the request came in.
    pub temp_session_id: u64,
    /// The client's random nonce of the request.
    pub nonce: i64,
    /// When the binding (and the temporary key) ends, Unix seconds.
    pub expires_at: i32,
}

impl From<core_auth::TempKeyBinding> for TempKeyBinding {
    fn from(b: core_auth::TempKeyBinding) -> Self {
        TempKeyBinding {
            perm_auth_key_id: b.perm_auth_key_id.0,
            temp_auth_key_id: b.temp_auth_key_id.0,
            temp_session_id: b.temp_session_id.0,
            nonce: b.nonce,
            expires_at: b.expires_at,
        }
    }
}

/// Build the auth.bindTempAuthKey query binding the temporary key
/// `temp_auth_key_id` (used in session `temp_session_id`) to the permanent
/// key `perm_auth_key` (256 bytes, else 101) until `expires_at` (Unix
/// seconds), with a random nonce. Send `query` over the temporary key in
/// the message whose id is `msg_id`.
#[uniffi::export]
pub fn bind_temp_auth_key_query(
    perm_auth_key: Vec<u8>,
    temp_auth_key_id: u64,
    temp_session_id: u64,
    msg_id: u64,
    expires_at: i32,
) -> Result<BindTempAuthKeyQuery, MtprotoError> {
    let perm = auth_key(perm_auth_key)?;
    let (query, nonce) = core_auth::bind_temp_auth_key_query(
        &perm,
        AuthKeyId(temp_auth_key_id),
        SessionId(temp_session_id),
        MsgId(msg_id),
        expires_at,
        &mut OsRandom,
    )?;
    Ok(BindTempAuthKeyQuery { query, nonce })
}

/// [`bind_temp_auth_key_query`] with explicit randomness: the `nonce`, the
/// 16 `random` bytes standing in for salt and session, and 8 bytes of
/// `padding` (101 for other lengths).
#[allow(clippy::too_many_arguments)]
#[uniffi::export]
pub fn bind_temp_auth_key_query_with(
    perm_auth_key: Vec<u8>,
    temp_auth_key_id: u64,
    temp_session_id: u64,
    msg_id: u64,
    nonce: i64,
    expires_at: i32,
    random: Vec<u8>,
    padding: Vec<u8>,
) -> Result<Vec<u8>, MtprotoError> {
    let perm = auth_key(perm_auth_key)?;
    let random = Zeroizing::new(fixed::<16>("random", &random)?);
    Ok(core_auth::bind_temp_auth_key_query_with(
        &perm,
        AuthKeyId(temp_auth_key_id),
        SessionId(temp_session_id),
        MsgId(msg_id),
        nonce,
        expires_at,
        &random,
        &padding,
    )?)
}

/// Server side: check an auth.bindTempAuthKey `query` that arrived over the
/// temporary key `temp_auth_key_id`, in session `temp_session_id`, in the
/// message `msg_id`, at `now_ms`; on success bind the keys in `store`
/// (answer `boolTrue`). Throws 417 (AuthInvalidBinding) for a query that
/// fails a check, 418 (AuthUnknownKey) for a key the store does not hold.
#[uniffi::export]
pub fn verify_bind_temp_auth_key(
    store: Arc<AuthKeyStore>,
    query: Vec<u8>,
    temp_auth_key_id: u64,
    temp_session_id: u64,
    msg_id: u64,
    now_ms: u64,
) -> Result<TempKeyBinding, MtprotoError> {
    let mut keys = store.lock()?;
    Ok(core_auth::verify_bind_temp_auth_key(
        &mut keys,
        &query,
        AuthKeyId(temp_auth_key_id),
        SessionId(temp_session_id),
        MsgId(msg_id),
        UnixMillis(now_ms),
    )?
    .into())
}

#[cfg(test)]
mod tests;
