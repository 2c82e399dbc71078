//! Binding a temporary key to the permanent one (`/method/auth.bindTempAuthKey`,
//! perfect forward secrecy).
//!
//! The client sends `auth.bindTempAuthKey` over the **temporary** key; its
//! `encrypted_message` is `bind_auth_key_inner` encrypted MTProto 1.0 style
//! under the **permanent** key: `perm_auth_key_id ‖ msg_key ‖
//! AES-IGE(random128 ‖ msg_id ‖ seq_no=0 ‖ length=40 ‖ inner ‖ padding)` with
//! `msg_key = SHA1(plaintext without padding)[4..20]` and the 1.0 key
//! derivation for client-to-server messages. `msg_id` is the msg_id of the
//! message that carries the request.

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::key_store::AuthKeyStore;
use crate::crypto::Direction;
use crate::crypto::aes_ige::{ige_decrypt, ige_encrypt};
use crate::crypto::auth_key::{AuthKey, AuthKeyId};
use crate::crypto::kdf::{MsgKey, derive_v1, msg_key_v1};
use crate::envelope::{MsgId, SessionId};
use crate::error::{AuthError, CryptoError};
use crate::rand::SecureRandom;
use crate::time::UnixMillis;
use crate::tl::mtproto::types::BindAuthKeyInner;
use crate::tl::{Deserialize, Reader, Serialize, Writer};

/// `auth.bindTempAuthKey#cdd42a05 perm_auth_key_id:long nonce:long
/// expires_at:int encrypted_message:bytes = Bool` (API layer method).
pub const BIND_TEMP_AUTH_KEY_ID: u32 = 0xcdd4_2a05;

/// Length of the 1.0 plaintext before padding: random 16, msg_id 8,
/// seq_no 4, length 4, bind_auth_key_inner 40.
const PLAINTEXT_LEN: usize = 72;
/// Padding that brings the plaintext to 80 bytes, a multiple of 16.
pub const BIND_PADDING_LEN: usize = 8;

/// A binding the server accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TempKeyBinding {
    /// The permanent key.
    pub perm_auth_key_id: AuthKeyId,
    /// The temporary key now bound to it.
    pub temp_auth_key_id: AuthKeyId,
    /// The session the request came in.
    pub temp_session_id: SessionId,
    /// The client's random nonce of the request.
    pub nonce: i64,
    /// When the binding (and the temporary key) ends, unix seconds.
    pub expires_at: i32,
}

/// Build the auth.bindTempAuthKey query with fresh randomness; returns the
/// query body and the nonce it carries. Send the body over the temporary key
/// in the message whose id is `msg_id`.
pub fn bind_temp_auth_key_query(
    perm: &AuthKey,
    temp_auth_key_id: AuthKeyId,
    temp_session_id: SessionId,
    msg_id: MsgId,
    expires_at: i32,
    rng: &mut dyn SecureRandom,
) -> Result<(Vec<u8>, i64), AuthError> {
    let mut nonce = 0i64;
    while nonce == 0 {
        let mut b = [0u8; 8];
        rng.fill(&mut b)?;
        nonce = i64::from_le_bytes(b);
    }
    let mut random = Zeroizing::new([0u8; 16]);
    rng.fill(random.as_mut())?;
    let mut padding = [0u8; BIND_PADDING_LEN];
    rng.fill(&mut padding)?;
    let query = bind_temp_auth_key_query_with(
        perm,
        temp_auth_key_id,
        temp_session_id,
        msg_id,
        nonce,
        expires_at,
        &random,
        &padding,
    )?;
    Ok((query, nonce))
}

/// Build the auth.bindTempAuthKey query from explicit randomness: the 16
/// random bytes standing in for salt and session, and 8 bytes of padding.
#[allow(clippy::too_many_arguments)]
pub fn bind_temp_auth_key_query_with(
    perm: &AuthKey,
    temp_auth_key_id: AuthKeyId,
    temp_session_id: SessionId,
    msg_id: MsgId,
    nonce: i64,
    expires_at: i32,
    random: &[u8; 16],
    padding: &[u8],
) -> Result<Vec<u8>, AuthError> {
    if padding.len() != BIND_PADDING_LEN {
        return Err(CryptoError::InvalidLength {
            what: "binding padding",
            expected: BIND_PADDING_LEN,
            found: padding.len(),
        }
        .into());
    }
    let perm_id = perm.id();
    let inner = BindAuthKeyInner {
        nonce,
        temp_auth_key_id: temp_auth_key_id.0 as i64,
        perm_auth_key_id: perm_id.0 as i64,
        temp_session_id: temp_session_id.0 as i64,
        expires_at,
    }
    .to_tl_bytes();
    let mut plain = Zeroizing::new(Vec::with_capacity(PLAINTEXT_LEN + BIND_PADDING_LEN));
    plain.extend_from_slice(random);
    plain.extend_from_slice(&msg_id.0.to_le_bytes());
    plain.extend_from_slice(&0u32.to_le_bytes());
    plain.extend_from_slice(&(inner.len() as u32).to_le_bytes());
    plain.extend_from_slice(&inner);
    let msg_key = msg_key_v1(&plain);
    plain.extend_from_slice(padding);
    let keys = derive_v1(perm, Direction::ClientToServer, &msg_key);
    ige_encrypt(&keys.key, &keys.iv, &mut plain)?;
    let mut encrypted_message = Vec::with_capacity(8 + 16 + plain.len());
    encrypted_message.extend_from_slice(&perm_id.to_wire());
    encrypted_message.extend_from_slice(&msg_key.0);
    encrypted_message.extend_from_slice(&plain);

    let mut w = Writer::new();
    w.write_u32(BIND_TEMP_AUTH_KEY_ID);
    w.write_i64(perm_id.0 as i64);
    w.write_i64(nonce);
    w.write_i32(expires_at);
    w.write_bytes(&encrypted_message);
    Ok(w.into_inner())
}

/// Server side: check an auth.bindTempAuthKey query that arrived over the
/// temporary key `temp_auth_key_id` in session `temp_session_id` in the
/// message `msg_id`, and bind the keys in `store`. Answer `boolTrue` on
/// success; on error the client gets an rpc_error (ENCRYPTED_MESSAGE_INVALID
/// and friends, chosen by the session layer).
pub fn verify_bind_temp_auth_key(
    store: &mut AuthKeyStore,
    query: &[u8],
    temp_auth_key_id: AuthKeyId,
    temp_session_id: SessionId,
    msg_id: MsgId,
    now: UnixMillis,
) -> Result<TempKeyBinding, AuthError> {
    let mut r = Reader::new(query);
    let id = r.read_u32()?;
    if id != BIND_TEMP_AUTH_KEY_ID {
        return Err(AuthError::UnexpectedMessage {
            expected: "auth.bindTempAuthKey",
            found: id,
        });
    }
    let perm_id = AuthKeyId(r.read_i64()? as u64);
    let nonce = r.read_i64()?;
    let expires_at = r.read_i32()?;
    let encrypted_message = r.read_bytes()?;
    r.finish()?;

    let temp = store.get(temp_auth_key_id, now)?;
    if temp.is_permanent() {
        return Err(AuthError::InvalidBinding(
            "the key the request came over is not a temporary key",
        ));
    }
    let perm = store
        .get(perm_id, now)
        .map_err(|_| AuthError::InvalidBinding("perm_auth_key_id is not a known key"))?;
    if !perm.is_permanent() {
        return Err(AuthError::InvalidBinding(
            "perm_auth_key_id names a temporary key",
        ));
    }
    let plain = open_v1(&perm.auth_key, encrypted_message)?;
    let header_ok = plain.get(16..24) == Some(&msg_id.0.to_le_bytes()[..])
        && plain.get(24..28) == Some(&[0, 0, 0, 0][..])
        && plain.get(28..32) == Some(&40u32.to_le_bytes()[..]);
    if !header_ok {
        return Err(AuthError::InvalidBinding(
            "msg_id, seq_no or length of the encrypted message do not match",
        ));
    }
    let inner = BindAuthKeyInner::from_tl_bytes(plain.get(32..PLAINTEXT_LEN).unwrap_or(&[]))
        .map_err(|_| AuthError::InvalidBinding("bind_auth_key_inner is malformed"))?;
    let checks: [(bool, &'static str); 5] = [
        (inner.nonce == nonce, "nonce differs from the query's"),
        (
            inner.temp_auth_key_id as u64 == temp_auth_key_id.0,
            "temp_auth_key_id is not the key the request came over",
        ),
        (
            inner.perm_auth_key_id as u64 == perm_id.0,
            "perm_auth_key_id differs from the query's",
        ),
        (
            inner.temp_session_id as u64 == temp_session_id.0,
            "temp_session_id is not the session the request came in",
        ),
        (
            inner.expires_at == expires_at,
            "expires_at differs from the query's",
        ),
    ];
    if let Some((_, why)) = checks.iter().find(|(ok, _)| !ok) {
        return Err(AuthError::InvalidBinding(why));
    }
    if u64::try_from(expires_at).unwrap_or(0) <= now.as_secs() {
        return Err(AuthError::InvalidBinding("expires_at is in the past"));
    }
    store.bind(temp_auth_key_id, perm_id, now)?;
    Ok(TempKeyBinding {
        perm_auth_key_id: perm_id,
        temp_auth_key_id,
        temp_session_id,
        nonce,
        expires_at,
    })
}

/// Decrypt an MTProto 1.0 message from the client under `key` and check its
/// msg_key over the 72-byte plaintext, in constant time.
fn open_v1(key: &AuthKey, wire: &[u8]) -> Result<Zeroizing<Vec<u8>>, AuthError> {
    const INVALID: AuthError = AuthError::InvalidBinding("encrypted_message failed its checks");
    let (auth_key_id, rest) = wire.split_at_checked(8).ok_or(INVALID)?;
    let (msg_key, data) = rest.split_at_checked(16).ok_or(INVALID)?;
    if auth_key_id != key.id().to_wire() || data.len() % 16 != 0 || data.len() < PLAINTEXT_LEN {
        return Err(INVALID);
    }
    let msg_key = MsgKey(msg_key.try_into().map_err(|_| INVALID)?);
    let keys = derive_v1(key, Direction::ClientToServer, &msg_key);
    let mut plain = Zeroizing::new(data.to_vec());
    ige_decrypt(&keys.key, &keys.iv, &mut plain)?;
    let expected = msg_key_v1(plain.get(..PLAINTEXT_LEN).ok_or(INVALID)?);
    // Padding in 1.0 is 0..15 bytes.
    let ok = bool::from(expected.0.ct_eq(&msg_key.0)) && data.len() - PLAINTEXT_LEN < 16;
    if ok { Ok(plain) } else { Err(INVALID) }
}
