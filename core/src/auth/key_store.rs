//! The server's authorization keys: permanent ones, temporary ones with their
//! expiry, and which permanent key each temporary key is bound to
//! (`/method/auth.bindTempAuthKey`).
//!
//! The server's handshake registers every key it creates here; its sessions
//! look keys up by the auth_key_id of each incoming message.

use std::collections::HashMap;

use super::CreatedAuthKey;
use crate::crypto::auth_key::{AuthKey, AuthKeyId};
use crate::envelope::Salt;
use crate::error::AuthError;
use crate::time::UnixMillis;

/// One key the server holds.
#[derive(Clone, Debug)]
pub struct StoredKey {
    /// The key.
    pub auth_key: AuthKey,
    /// The salt the exchange established.
    pub first_salt: Salt,
    /// The DC id the client named when creating it.
    pub dc_id: i32,
    /// Unix seconds after which a temporary key is gone; `None` for a
    /// permanent key.
    pub expires_at: Option<i32>,
    /// For a temporary key: the permanent key it is bound to, once an
    /// auth.bindTempAuthKey succeeded.
    pub bound_to: Option<AuthKeyId>,
}

impl StoredKey {
    /// Whether this is a permanent key.
    pub fn is_permanent(&self) -> bool {
        self.expires_at.is_none()
    }

    /// Whether a temporary key has expired at `now`.
    pub fn is_expired(&self, now: UnixMillis) -> bool {
        match self.expires_at {
            None => false,
            Some(at) => now.as_secs() >= u64::try_from(at).unwrap_or(0),
        }
    }
}

/// The server's key store.
#[derive(Clone, Debug, Default)]
pub struct AuthKeyStore {
    keys: HashMap<AuthKeyId, StoredKey>,
}

impl AuthKeyStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Register a key the handshake created. A key whose id is already
    /// present is not replaced (the handshake asks the client to retry
    /// instead, `/mtproto/auth_key` dh_gen_retry); returns whether it was
    /// added.
    pub fn insert(&mut self, created: &CreatedAuthKey) -> bool {
        let id = created.auth_key.id();
        if self.keys.contains_key(&id) {
            return false;
        }
        self.keys.insert(
            id,
            StoredKey {
                auth_key: created.auth_key.clone(),
                first_salt: created.first_salt,
                dc_id: created.dc_id,
                expires_at: created.expires_at,
                bound_to: None,
            },
        );
        true
    }

    /// Register a permanent key created elsewhere (restored from storage).
    pub fn insert_permanent(&mut self, auth_key: AuthKey, dc_id: i32) -> bool {
        self.insert_restored(auth_key, dc_id, None)
    }

    /// Register a temporary key created elsewhere, expiring at `expires_at`
    /// (unix seconds).
    pub fn insert_temporary(&mut self, auth_key: AuthKey, dc_id: i32, expires_at: i32) -> bool {
        self.insert_restored(auth_key, dc_id, Some(expires_at))
    }

    fn insert_restored(&mut self, auth_key: AuthKey, dc_id: i32, expires_at: Option<i32>) -> bool {
        let id = auth_key.id();
        if self.keys.contains_key(&id) {
            return false;
        }
        self.keys.insert(
            id,
            StoredKey {
                auth_key,
                // The salt of a restored key is the session's business.
                first_salt: Salt(0),
                dc_id,
                expires_at,
                bound_to: None,
            },
        );
        true
    }

    /// Whether a key with this id is present (expired or not).
    pub fn contains(&self, id: AuthKeyId) -> bool {
        self.keys.contains_key(&id)
    }

    /// The key with this id, if present and not expired at `now`.
    pub fn get(&self, id: AuthKeyId, now: UnixMillis) -> Result<&StoredKey, AuthError> {
        match self.keys.get(&id) {
            Some(k) if !k.is_expired(now) => Ok(k),
            _ => Err(AuthError::UnknownKey),
        }
    }

    /// The permanent key a temporary key is bound to, if any.
    pub fn bound_permanent(&self, temp: AuthKeyId, now: UnixMillis) -> Option<AuthKeyId> {
        self.get(temp, now).ok().and_then(|k| k.bound_to)
    }

    /// Record that `temp` is bound to `perm`. At any moment a temporary key
    /// is bound to at most one permanent key: a new binding replaces the old.
    pub(crate) fn bind(
        &mut self,
        temp: AuthKeyId,
        perm: AuthKeyId,
        now: UnixMillis,
    ) -> Result<(), AuthError> {
        self.get(perm, now)?;
        match self.keys.get_mut(&temp) {
            Some(k) if !k.is_expired(now) && !k.is_permanent() => {
                k.bound_to = Some(perm);
                Ok(())
            }
            Some(k) if k.is_permanent() => Err(AuthError::InvalidBinding(
                "the key the request came over is not a temporary key",
            )),
            _ => Err(AuthError::UnknownKey),
        }
    }

    /// Forget a key (destroy_auth_key, logout). Temporary keys bound to a
    /// removed permanent key lose their binding.
    pub fn remove(&mut self, id: AuthKeyId) -> Option<StoredKey> {
        let removed = self.keys.remove(&id);
        for k in self.keys.values_mut() {
            if k.bound_to == Some(id) {
                k.bound_to = None;
            }
        }
        removed
    }

    /// Drop every expired temporary key; returns how many were dropped.
    pub fn remove_expired(&mut self, now: UnixMillis) -> usize {
        let before = self.keys.len();
        self.keys.retain(|_, k| !k.is_expired(now));
        before - self.keys.len()
    }

    /// How many keys are stored.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}
