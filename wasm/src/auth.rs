//! Auth key creation (core [`mtproto_core::auth`]): the records that cross
//! the boundary as plain objects (`CreatedAuthKey`, `TempKeyBinding`,
//! `BindTempAuthKeyQuery`) and their conversions, the server's
//! [`AuthKeyStore`] and the auth.bindTempAuthKey functions. The RSA keys and
//! the two handshake drivers live in the submodules.

mod handshake;
mod rsa;

pub use handshake::{ClientHandshake, ServerHandshake};
pub use rsa::{RsaPrivateKey, RsaPublicKey};

use js_sys::{Array, Object};
use mtproto_core::auth::{self as core, CreatedAuthKey};
use mtproto_core::crypto::fixed;
use mtproto_core::envelope::{MsgId, SessionId};
use mtproto_core::{AuthKey, AuthKeyId, OsRandom, UnixMillis};
use wasm_bindgen::convert::TryFromJsValue;
use wasm_bindgen::prelude::*;

use crate::convert::{bytes, describe, i64_from_js, int_from_js, set, u64_from_js};
use crate::error::{internal, invalid_argument, to_js};

#[wasm_bindgen(typescript_custom_section)]
const TS_AUTH: &str = r#"
/** The result of a successful key exchange, on either side. */
export interface CreatedAuthKey {
  /** The new authorization key (256 bytes). */
  authKey: Uint8Array;
  /** Its auth_key_id (64 bits). */
  authKeyId: bigint;
  /** The first server salt, as a TL long (signed 64 bits). */
  firstSalt: bigint;
  /** The server's clock (Unix seconds) when it answered req_DH_params. */
  serverTime: number;
  /**
   * Client: server time minus local time when the answer arrived, in
   * milliseconds (add it to local time to get server time). Server: 0n.
   */
  timeOffsetMs: bigint;
  /** The DC id the client asked for (0 for the dc-less inner data). */
  dcId: number;
  /** When a temporary key expires (server Unix seconds); 0 for a permanent key. */
  expiresAt: number;
}

/** A binding of a temporary key to a permanent one that the server accepted. */
export interface TempKeyBinding {
  /** The permanent key's auth_key_id (64 bits). */
  permAuthKeyId: bigint;
  /** The temporary key's auth_key_id (64 bits). */
  tempAuthKeyId: bigint;
  /** The session the request came in (64 bits). */
  tempSessionId: bigint;
  /** The client's random nonce of the request (a TL long). */
  nonce: bigint;
  /** When the binding (and the temporary key) ends, Unix seconds. */
  expiresAt: number;
}

/** An auth.bindTempAuthKey query and the nonce it carries. */
export interface BindTempAuthKeyQuery {
  /** The query body, to send over the temporary key. */
  query: Uint8Array;
  /** The random nonce inside it (a TL long, never 0). */
  nonce: bigint;
}
"#;

/// A JS `CreatedAuthKey` object.
pub(crate) fn created_key_to_js(key: Option<&CreatedAuthKey>) -> Result<JsValue, JsValue> {
    let Some(key) = key else {
        return Ok(JsValue::UNDEFINED);
    };
    let obj = Object::new();
    set(&obj, "authKey", &bytes(key.auth_key.as_bytes()))?;
    set(&obj, "authKeyId", &key.auth_key.id().0.into())?;
    set(&obj, "firstSalt", &(key.first_salt.0 as i64).into())?;
    set(&obj, "serverTime", &key.server_time.into())?;
    set(&obj, "timeOffsetMs", &key.time_offset_ms.into())?;
    set(&obj, "dcId", &key.dc_id.into())?;
    set(&obj, "expiresAt", &key.expires_at.unwrap_or(0).into())?;
    Ok(obj.into())
}

/// A JS `TempKeyBinding` object.
fn binding_to_js(b: &core::TempKeyBinding) -> Result<JsValue, JsValue> {
    let obj = Object::new();
    set(&obj, "permAuthKeyId", &b.perm_auth_key_id.0.into())?;
    set(&obj, "tempAuthKeyId", &b.temp_auth_key_id.0.into())?;
    set(&obj, "tempSessionId", &b.temp_session_id.0.into())?;
    set(&obj, "nonce", &b.nonce.into())?;
    set(&obj, "expiresAt", &b.expires_at.into())?;
    Ok(obj.into())
}

// The RSA key classes carry a method that JavaScript does not see in the
// TypeScript declarations: `__mtpClone()`, a new object holding a copy of the
// key. A list of keys reaches Rust as an array of JavaScript objects, and
// wasm-bindgen can only take such objects over (the caller's would be freed):
// the handshakes take copies instead, so the caller keeps its keys.
#[wasm_bindgen]
extern "C" {
    /// A value passed where an `RsaPublicKey` or `RsaPrivateKey` belongs.
    type KeyObject;

    #[wasm_bindgen(method, catch, js_name = __mtpClone)]
    fn mtp_clone(this: &KeyObject) -> Result<JsValue, JsValue>;
}

/// Copies of the keys in `list`, a JS array of `class` objects; anything
/// else (not an array, another value, a freed key) is `InvalidArgument`.
pub(crate) fn key_list_from_js<T: TryFromJsValue>(
    what: &str,
    class: &str,
    list: &JsValue,
) -> Result<Vec<T>, JsValue> {
    if !Array::is_array(list) {
        return Err(invalid_argument(&format!(
            "{what} must be an array of {class}, got {}",
            describe(list)
        )));
    }
    Array::from(list)
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let wrong = || {
                invalid_argument(&format!(
                    "{what}[{i}] must be a live {class}, got {}",
                    describe(&item)
                ))
            };
            if !item.is_object() {
                return Err(wrong());
            }
            let copy = item.unchecked_ref::<KeyObject>().mtp_clone();
            T::try_from_js_value(copy.map_err(|_| wrong())?).map_err(|_| wrong())
        })
        .collect()
}

/// A core auth key from its 256 bytes (otherwise `InvalidLength`, 101).
fn auth_key_from(bytes: &[u8]) -> Result<AuthKey, JsValue> {
    AuthKey::from_slice(bytes).map_err(to_js)
}

/// An `i32` argument (an integer `number`).
pub(crate) fn i32_from_js(what: &str, value: &JsValue) -> Result<i32, JsValue> {
    int_from_js(what, "-2^31..2^31", value)
}

/// A `nowMs` argument (a `bigint`, Unix milliseconds).
pub(crate) fn now_from_js(value: JsValue) -> Result<UnixMillis, JsValue> {
    Ok(UnixMillis(u64_from_js("nowMs", value)?))
}

/// The server's authorization keys (core
/// [`mtproto_core::auth::AuthKeyStore`]): permanent ones, temporary ones
/// with their expiry, and which permanent key each temporary key is bound to.
///
/// One store is shared by all of a server's handshakes (`ServerHandshake`
/// registers every key it creates here) and by `verifyBindTempAuthKey`;
/// pass it to them. Key ids are `bigint`s, times `nowMs` `bigint` Unix
/// milliseconds.
#[wasm_bindgen]
#[derive(Default)]
pub struct AuthKeyStore {
    inner: core::AuthKeyStore,
}

#[wasm_bindgen]
impl AuthKeyStore {
    /// An empty store.
    #[wasm_bindgen(constructor)]
    pub fn new() -> AuthKeyStore {
        AuthKeyStore::default()
    }

    /// Register a permanent key created elsewhere (restored from storage):
    /// its 256 bytes (otherwise `InvalidLength`, 101) and the DC id it was
    /// created for. `false` when a key with its id is already there (it is
    /// not replaced).
    #[wasm_bindgen(js_name = insertPermanent)]
    pub fn insert_permanent(
        &mut self,
        #[wasm_bindgen(js_name = authKey)] auth_key: &[u8],
        #[wasm_bindgen(js_name = dcId, unchecked_param_type = "number")] dc_id: JsValue,
    ) -> Result<bool, JsValue> {
        let key = auth_key_from(auth_key)?;
        let dc_id = i32_from_js("dcId", &dc_id)?;
        Ok(self.inner.insert_permanent(key, dc_id))
    }

    /// Register a temporary key created elsewhere, expiring at `expiresAt`
    /// (Unix seconds). `false` when a key with its id is already there.
    #[wasm_bindgen(js_name = insertTemporary)]
    pub fn insert_temporary(
        &mut self,
        #[wasm_bindgen(js_name = authKey)] auth_key: &[u8],
        #[wasm_bindgen(js_name = dcId, unchecked_param_type = "number")] dc_id: JsValue,
        #[wasm_bindgen(js_name = expiresAt, unchecked_param_type = "number")] expires_at: JsValue,
    ) -> Result<bool, JsValue> {
        let key = auth_key_from(auth_key)?;
        let dc_id = i32_from_js("dcId", &dc_id)?;
        let expires_at = i32_from_js("expiresAt", &expires_at)?;
        Ok(self.inner.insert_temporary(key, dc_id, expires_at))
    }

    /// Whether a key with this auth_key_id is present (expired or not).
    pub fn contains(
        &self,
        #[wasm_bindgen(js_name = authKeyId, unchecked_param_type = "bigint")] auth_key_id: JsValue,
    ) -> Result<bool, JsValue> {
        let id = AuthKeyId(u64_from_js("authKeyId", auth_key_id)?);
        Ok(self.inner.contains(id))
    }

    /// The auth_key_id of the permanent key the temporary key
    /// `tempAuthKeyId` is bound to, or `undefined` (not bound, unknown or
    /// expired at `nowMs`).
    #[wasm_bindgen(js_name = boundPermanent)]
    pub fn bound_permanent(
        &self,
        #[wasm_bindgen(js_name = tempAuthKeyId, unchecked_param_type = "bigint")]
        temp_auth_key_id: JsValue,
        #[wasm_bindgen(js_name = nowMs, unchecked_param_type = "bigint")] now_ms: JsValue,
    ) -> Result<Option<u64>, JsValue> {
        let id = AuthKeyId(u64_from_js("tempAuthKeyId", temp_auth_key_id)?);
        let now = now_from_js(now_ms)?;
        Ok(self.inner.bound_permanent(id, now).map(|perm| perm.0))
    }

    /// Forget a key (destroy_auth_key, logout); temporary keys bound to it
    /// lose their binding. Whether it was there.
    pub fn remove(
        &mut self,
        #[wasm_bindgen(js_name = authKeyId, unchecked_param_type = "bigint")] auth_key_id: JsValue,
    ) -> Result<bool, JsValue> {
        let id = AuthKeyId(u64_from_js("authKeyId", auth_key_id)?);
        Ok(self.inner.remove(id).is_some())
    }

    /// Drop every temporary key expired at `nowMs`; how many were dropped.
    #[wasm_bindgen(js_name = removeExpired)]
    pub fn remove_expired(
        &mut self,
        #[wasm_bindgen(js_name = nowMs, unchecked_param_type = "bigint")] now_ms: JsValue,
    ) -> Result<u32, JsValue> {
        let removed = self.inner.remove_expired(now_from_js(now_ms)?);
        u32::try_from(removed).map_err(|_| internal("key count overflow"))
    }

    /// How many keys are stored.
    pub fn len(&self) -> Result<u32, JsValue> {
        u32::try_from(self.inner.len()).map_err(|_| internal("key count overflow"))
    }

    /// Whether no key is stored.
    #[wasm_bindgen(js_name = isEmpty)]
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }
}

impl AuthKeyStore {
    /// The wrapped core store.
    pub(crate) fn core_mut(&mut self) -> &mut core::AuthKeyStore {
        &mut self.inner
    }
}

/// The auth.bindTempAuthKey query that binds the temporary key
/// `tempAuthKeyId` to the permanent key `permAuthKey` (256 bytes), with a
/// random nonce and padding from `crypto.getRandomValues`.
///
/// Send `query` over the temporary key, in session `tempSessionId`, in the
/// message whose id is `msgId` (all `bigint`s); `expiresAt` (Unix seconds)
/// is when the temporary key expires.
#[wasm_bindgen(js_name = bindTempAuthKeyQuery, unchecked_return_type = "BindTempAuthKeyQuery")]
pub fn bind_temp_auth_key_query(
    #[wasm_bindgen(js_name = permAuthKey)] perm_auth_key: &[u8],
    #[wasm_bindgen(js_name = tempAuthKeyId, unchecked_param_type = "bigint")]
    temp_auth_key_id: JsValue,
    #[wasm_bindgen(js_name = tempSessionId, unchecked_param_type = "bigint")]
    temp_session_id: JsValue,
    #[wasm_bindgen(js_name = msgId, unchecked_param_type = "bigint")] msg_id: JsValue,
    #[wasm_bindgen(js_name = expiresAt, unchecked_param_type = "number")] expires_at: JsValue,
) -> Result<JsValue, JsValue> {
    let perm = auth_key_from(perm_auth_key)?;
    let temp = AuthKeyId(u64_from_js("tempAuthKeyId", temp_auth_key_id)?);
    let session = SessionId(u64_from_js("tempSessionId", temp_session_id)?);
    let msg_id = MsgId(u64_from_js("msgId", msg_id)?);
    let expires_at = i32_from_js("expiresAt", &expires_at)?;
    let (query, nonce) =
        core::bind_temp_auth_key_query(&perm, temp, session, msg_id, expires_at, &mut OsRandom)
            .map_err(to_js)?;
    let obj = Object::new();
    set(&obj, "query", &bytes(&query))?;
    set(&obj, "nonce", &nonce.into())?;
    Ok(obj.into())
}

/// `bindTempAuthKeyQuery` with explicit randomness (deterministic: for
/// tests and vectors): the `nonce` (a `bigint`, a TL long), 16 `random`
/// bytes and 8 bytes of `padding` (otherwise `InvalidLength`, 101).
#[wasm_bindgen(js_name = bindTempAuthKeyQueryWith)]
#[allow(clippy::too_many_arguments)]
pub fn bind_temp_auth_key_query_with(
    #[wasm_bindgen(js_name = permAuthKey)] perm_auth_key: &[u8],
    #[wasm_bindgen(js_name = tempAuthKeyId, unchecked_param_type = "bigint")]
    temp_auth_key_id: JsValue,
    #[wasm_bindgen(js_name = tempSessionId, unchecked_param_type = "bigint")]
    temp_session_id: JsValue,
    #[wasm_bindgen(js_name = msgId, unchecked_param_type = "bigint")] msg_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "bigint")] nonce: JsValue,
    #[wasm_bindgen(js_name = expiresAt, unchecked_param_type = "number")] expires_at: JsValue,
    random: &[u8],
    padding: &[u8],
) -> Result<Vec<u8>, JsValue> {
    let perm = auth_key_from(perm_auth_key)?;
    let temp = AuthKeyId(u64_from_js("tempAuthKeyId", temp_auth_key_id)?);
    let session = SessionId(u64_from_js("tempSessionId", temp_session_id)?);
    let msg_id = MsgId(u64_from_js("msgId", msg_id)?);
    let nonce = i64_from_js("nonce", nonce)?;
    let expires_at = i32_from_js("expiresAt", &expires_at)?;
    let random = fixed::<16>("binding random", random).map_err(to_js)?;
    core::bind_temp_auth_key_query_with(
        &perm, temp, session, msg_id, nonce, expires_at, &random, padding,
    )
    .map_err(to_js)
}

/// Server side: check an auth.bindTempAuthKey `query` that arrived over the
/// temporary key `tempAuthKeyId`, in session `tempSessionId`, in the message
/// `msgId`, at `nowMs`, and record the binding in `store`.
///
/// A query that fails a check throws `AuthInvalidBinding` (417); a key the
/// store does not hold (or that expired) `AuthUnknownKey` (418).
#[wasm_bindgen(js_name = verifyBindTempAuthKey, unchecked_return_type = "TempKeyBinding")]
pub fn verify_bind_temp_auth_key(
    store: &mut AuthKeyStore,
    query: &[u8],
    #[wasm_bindgen(js_name = tempAuthKeyId, unchecked_param_type = "bigint")]
    temp_auth_key_id: JsValue,
    #[wasm_bindgen(js_name = tempSessionId, unchecked_param_type = "bigint")]
    temp_session_id: JsValue,
    #[wasm_bindgen(js_name = msgId, unchecked_param_type = "bigint")] msg_id: JsValue,
    #[wasm_bindgen(js_name = nowMs, unchecked_param_type = "bigint")] now_ms: JsValue,
) -> Result<JsValue, JsValue> {
    let temp = AuthKeyId(u64_from_js("tempAuthKeyId", temp_auth_key_id)?);
    let session = SessionId(u64_from_js("tempSessionId", temp_session_id)?);
    let msg_id = MsgId(u64_from_js("msgId", msg_id)?);
    let now = now_from_js(now_ms)?;
    let binding =
        core::verify_bind_temp_auth_key(store.core_mut(), query, temp, session, msg_id, now)
            .map_err(to_js)?;
    binding_to_js(&binding)
}
