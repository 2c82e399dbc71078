//! The key-exchange drivers (core [`mtproto_core::auth::ClientHandshake`]
//! and [`mtproto_core::auth::ServerHandshake`]).

use std::sync::Arc;

use mtproto_core::AuthError;
use mtproto_core::OsRandom;
use mtproto_core::auth::client::{exponent_from_slice, new_nonce_from_slice, nonce_from_slice};
use mtproto_core::auth::{self as core, ClientHandshakeConfig, KeyType, ServerHandshakeConfig};
use mtproto_core::crypto::dh::DhGroup;
use mtproto_core::crypto::fixed;
use mtproto_core::error::Error as CoreError;
use wasm_bindgen::prelude::*;

use super::rsa::{RsaPrivateKey, RsaPublicKey};
use super::{AuthKeyStore, created_key_to_js, i32_from_js, key_list_from_js, now_from_js};
use crate::convert::int_from_js;
use crate::error::{invalid_argument, to_js};

/// The code of the error that ended an exchange (`errorCode()` of both
/// handshakes).
fn error_code(error: Option<&AuthError>) -> Option<u32> {
    error.map(|e| CoreError::from(e.clone()).code().as_u32())
}

/// The message of the error that ended an exchange (`errorMessage()` of both
/// handshakes).
fn error_message(error: Option<&AuthError>) -> Option<String> {
    error.map(ToString::to_string)
}

/// The client's side of one key exchange (`/mtproto/auth_key`): creates a
/// permanent or temporary authorization key with one DC.
///
/// `start()` gives the req_pq_multi body to send first; then feed every
/// body the server answers to `handle(body, nowMs)` and send what it
/// returns, until it returns `undefined`: the key is then in
/// `createdKey()`. Bodies are TL only: wrap them in plain messages
/// (`sealPlain`, `openPlain`). Any error ends the exchange: every later call
/// throws it again, and `errorCode()` and `errorMessage()` say why. The
/// `...With` methods take the randomness as arguments, for tests against
/// recorded exchanges.
#[wasm_bindgen]
pub struct ClientHandshake {
    inner: core::ClientHandshake,
}

#[wasm_bindgen]
impl ClientHandshake {
    /// An exchange with a server holding one of `rsaKeys` (copied), writing
    /// `dcId` into the inner data (+10000 for test DCs, negative for media
    /// DCs), for a permanent key (`expiresIn` 0) or a temporary key living
    /// `expiresIn` seconds. Randomness comes from `crypto.getRandomValues`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = rsaKeys, unchecked_param_type = "RsaPublicKey[]")]
        rsa_keys: JsValue,
        #[wasm_bindgen(js_name = dcId, unchecked_param_type = "number")] dc_id: JsValue,
        #[wasm_bindgen(js_name = expiresIn, unchecked_param_type = "number")] expires_in: JsValue,
    ) -> Result<ClientHandshake, JsValue> {
        let rsa_keys = key_list_from_js::<RsaPublicKey>("rsaKeys", "RsaPublicKey", &rsa_keys)?
            .into_iter()
            .map(RsaPublicKey::into_core)
            .collect();
        let dc_id = i32_from_js("dcId", &dc_id)?;
        let key_type = match int_from_js::<i32>("expiresIn", "0..2^31", &expires_in)? {
            0 => KeyType::Permanent,
            n if n > 0 => KeyType::Temporary { expires_in: n },
            n => {
                return Err(invalid_argument(&format!(
                    "expiresIn must be an integer number in 0..2^31, got the number {n}"
                )));
            }
        };
        let config = ClientHandshakeConfig {
            rsa_keys,
            dc_id,
            key_type,
        };
        Ok(ClientHandshake {
            inner: core::ClientHandshake::new(config, Box::new(OsRandom)),
        })
    }

    /// The req_pq_multi body to send first. A second call throws
    /// `AuthOutOfOrder` (401).
    pub fn start(&mut self) -> Result<Vec<u8>, JsValue> {
        self.inner.start().map_err(to_js)
    }

    /// `start` with the given 16-byte `nonce`.
    #[wasm_bindgen(js_name = startWith)]
    pub fn start_with(&mut self, nonce: &[u8]) -> Result<Vec<u8>, JsValue> {
        let nonce = nonce_from_slice(nonce).map_err(to_js)?;
        self.inner.start_with(nonce).map_err(to_js)
    }

    /// Feed the next body the server sent; `nowMs` (a `bigint`) is the local
    /// clock, for the server time offset. Returns the body to send, or
    /// `undefined` once the key exists.
    pub fn handle(
        &mut self,
        body: &[u8],
        #[wasm_bindgen(js_name = nowMs, unchecked_param_type = "bigint")] now_ms: JsValue,
    ) -> Result<Option<Vec<u8>>, JsValue> {
        let now = now_from_js(now_ms)?;
        self.inner.handle(body, now).map_err(to_js)
    }

    /// Handle resPQ with the given randomness: a 32-byte `newNonce`, the
    /// RSA_PAD `rsaPadding` (192 bytes minus the inner data) and 32-byte
    /// `rsaTempKey`. Returns the req_DH_params body.
    #[wasm_bindgen(js_name = handleResPqWith)]
    pub fn handle_res_pq_with(
        &mut self,
        body: &[u8],
        #[wasm_bindgen(js_name = newNonce)] new_nonce: &[u8],
        #[wasm_bindgen(js_name = rsaPadding)] rsa_padding: &[u8],
        #[wasm_bindgen(js_name = rsaTempKey)] rsa_temp_key: &[u8],
    ) -> Result<Vec<u8>, JsValue> {
        let new_nonce = new_nonce_from_slice(new_nonce).map_err(to_js)?;
        let rsa_temp_key = fixed::<32>("rsa_temp_key", rsa_temp_key).map_err(to_js)?;
        self.inner
            .handle_res_pq_with(body, new_nonce, rsa_padding, &rsa_temp_key)
            .map_err(to_js)
    }

    /// Handle server_DH_params at `nowMs` with the given exponent `b` (256
    /// big-endian bytes) and `padding`. Returns the set_client_DH_params
    /// body.
    #[wasm_bindgen(js_name = handleServerDhParamsWith)]
    pub fn handle_server_dh_params_with(
        &mut self,
        body: &[u8],
        #[wasm_bindgen(js_name = nowMs, unchecked_param_type = "bigint")] now_ms: JsValue,
        b: &[u8],
        padding: &[u8],
    ) -> Result<Vec<u8>, JsValue> {
        let now = now_from_js(now_ms)?;
        let b = exponent_from_slice(b).map_err(to_js)?;
        self.inner
            .handle_server_dh_params_with(body, now, &b, padding)
            .map_err(to_js)
    }

    /// Handle the dh_gen answer; on dh_gen_retry, answer with `retryB` (256
    /// bytes) and `retryPadding` (ignored otherwise). `undefined` once the
    /// key exists.
    #[wasm_bindgen(js_name = handleDhGenWith)]
    pub fn handle_dh_gen_with(
        &mut self,
        body: &[u8],
        #[wasm_bindgen(js_name = retryB)] retry_b: &[u8],
        #[wasm_bindgen(js_name = retryPadding)] retry_padding: &[u8],
    ) -> Result<Option<Vec<u8>>, JsValue> {
        let retry_b = exponent_from_slice(retry_b).map_err(to_js)?;
        self.inner
            .handle_dh_gen_with(body, &retry_b, retry_padding)
            .map_err(to_js)
    }

    /// Whether the key exists.
    #[wasm_bindgen(js_name = isDone)]
    pub fn is_done(&self) -> bool {
        self.inner.is_done()
    }

    /// The current state, for logs (`"awaiting resPQ"`, `"done"`,
    /// `"failed"`, ...).
    #[wasm_bindgen(js_name = stateName)]
    pub fn state_name(&self) -> String {
        self.inner.state_name().to_owned()
    }

    /// The code of the error that ended the exchange (for instance
    /// `AuthNonceMismatch` (402) after a resPQ echoing another nonce), or
    /// `undefined`. A call out of order does not end it.
    #[wasm_bindgen(js_name = errorCode, unchecked_return_type = "ErrorCode | undefined")]
    pub fn error_code(&self) -> Option<u32> {
        error_code(self.inner.error())
    }

    /// The message of the error that ended the exchange, or `undefined`.
    #[wasm_bindgen(js_name = errorMessage)]
    pub fn error_message(&self) -> Option<String> {
        error_message(self.inner.error())
    }

    /// The key, once the exchange succeeded; `undefined` before.
    #[wasm_bindgen(js_name = createdKey, unchecked_return_type = "CreatedAuthKey | undefined")]
    pub fn created_key(&self) -> Result<JsValue, JsValue> {
        created_key_to_js(self.inner.created_key())
    }
}

/// The server's side of one key exchange (one per client connection that
/// sends req_pq_multi).
///
/// Feed every body the client sends to `handle(body, nowMs, store)` and send
/// the reply. `isDone()` then says the key was created (and registered in
/// `store`); `errorCode()` says the exchange ended: a refusal
/// (server_DH_params_fail, dh_gen_fail) is still a reply to send, and only
/// `errorCode()` and `errorMessage()` tell why. Any thrown error ends the
/// exchange too. The `...With` methods take the randomness as arguments,
/// for tests against recorded exchanges.
#[wasm_bindgen]
pub struct ServerHandshake {
    inner: core::ServerHandshake,
}

#[wasm_bindgen]
impl ServerHandshake {
    /// An exchange offering `rsaKeys` (copied; resPQ lists their
    /// fingerprints in this order), with the DH group `g` and `dhPrime` (256
    /// big-endian bytes, checked: a safe prime, `g` in 2..=7 meeting its
    /// condition; otherwise `AuthInvalidDhPrime` (407) or
    /// `AuthInvalidGenerator` (408)). An empty `dhPrime` means Telegram's
    /// group, with `g` 3 (or 0).
    ///
    /// `dcId`, when given, refuses inner data naming another DC;
    /// `maxTempExpiresIn` is the longest temporary key lifetime accepted, in
    /// seconds (default 30 days). Randomness comes from
    /// `crypto.getRandomValues`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = rsaKeys, unchecked_param_type = "RsaPrivateKey[]")]
        rsa_keys: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] g: JsValue,
        #[wasm_bindgen(js_name = dhPrime)] dh_prime: &[u8],
        #[wasm_bindgen(js_name = dcId, unchecked_optional_param_type = "number | null")]
        dc_id: JsValue,
        #[wasm_bindgen(
            js_name = maxTempExpiresIn,
            unchecked_optional_param_type = "number | null"
        )]
        max_temp_expires_in: JsValue,
    ) -> Result<ServerHandshake, JsValue> {
        let rsa_keys = key_list_from_js::<RsaPrivateKey>("rsaKeys", "RsaPrivateKey", &rsa_keys)?
            .into_iter()
            .map(RsaPrivateKey::into_core)
            .collect();
        let g = i32_from_js("g", &g)?;
        let mut config = ServerHandshakeConfig::new(rsa_keys);
        config.dh = match (dh_prime.is_empty(), g) {
            (true, 0 | 3) => DhGroup::telegram(),
            (true, g) => {
                return Err(to_js(AuthError::InvalidGenerator {
                    g: i64::from(g),
                    reason: "Telegram's group (an empty dhPrime) has g = 3",
                }));
            }
            (false, g) => DhGroup::new_checked(i64::from(g), dh_prime).map_err(to_js)?,
        };
        if let Some(dc) = optional(&dc_id) {
            config.dc_id = Some(i32_from_js("dcId", dc)?);
        }
        if let Some(max) = optional(&max_temp_expires_in) {
            config.max_temp_expires_in = i32_from_js("maxTempExpiresIn", max)?;
        }
        Ok(ServerHandshake {
            inner: core::ServerHandshake::new(Arc::new(config), Box::new(OsRandom)),
        })
    }

    /// Feed the next body the client sent, at `nowMs` (a `bigint`); returns
    /// the reply to send. A created key is registered in `store`.
    pub fn handle(
        &mut self,
        body: &[u8],
        #[wasm_bindgen(js_name = nowMs, unchecked_param_type = "bigint")] now_ms: JsValue,
        store: &mut AuthKeyStore,
    ) -> Result<Vec<u8>, JsValue> {
        let now = now_from_js(now_ms)?;
        self.inner
            .handle(body, now, store.core_mut())
            .map_err(to_js)
    }

    /// Answer req_pq_multi with the given 16-byte `serverNonce` and primes
    /// `p` < `q` (numbers below 2^32). Returns the resPQ body.
    #[wasm_bindgen(js_name = handleReqPqWith)]
    pub fn handle_req_pq_with(
        &mut self,
        body: &[u8],
        #[wasm_bindgen(js_name = serverNonce)] server_nonce: &[u8],
        #[wasm_bindgen(unchecked_param_type = "number")] p: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] q: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let server_nonce = nonce_from_slice(server_nonce).map_err(to_js)?;
        let p: u32 = int_from_js("p", "0..2^32", &p)?;
        let q: u32 = int_from_js("q", "0..2^32", &q)?;
        self.inner
            .handle_req_pq_with(body, server_nonce, p, q)
            .map_err(to_js)
    }

    /// Answer req_DH_params at `nowMs` with the given exponent `a` (256
    /// big-endian bytes) and `answerPadding`. Returns server_DH_params_ok
    /// (or server_DH_params_fail: see `errorCode()`).
    #[wasm_bindgen(js_name = handleReqDhParamsWith)]
    pub fn handle_req_dh_params_with(
        &mut self,
        body: &[u8],
        #[wasm_bindgen(js_name = nowMs, unchecked_param_type = "bigint")] now_ms: JsValue,
        a: &[u8],
        #[wasm_bindgen(js_name = answerPadding)] answer_padding: &[u8],
    ) -> Result<Vec<u8>, JsValue> {
        let now = now_from_js(now_ms)?;
        let a = exponent_from_slice(a).map_err(to_js)?;
        self.inner
            .handle_req_dh_params_with(body, now, &a, answer_padding)
            .map_err(to_js)
    }

    /// Answer set_client_DH_params (no randomness involved): dh_gen_ok
    /// (the key is registered in `store`), dh_gen_retry or dh_gen_fail.
    #[wasm_bindgen(js_name = handleSetClientDhParams)]
    pub fn handle_set_client_dh_params(
        &mut self,
        body: &[u8],
        store: &mut AuthKeyStore,
    ) -> Result<Vec<u8>, JsValue> {
        self.inner
            .handle_set_client_dh_params(body, store.core_mut())
            .map_err(to_js)
    }

    /// Whether the key was created.
    #[wasm_bindgen(js_name = isDone)]
    pub fn is_done(&self) -> bool {
        self.inner.is_done()
    }

    /// The current state, for logs (`"awaiting req_pq_multi"`, `"done"`,
    /// `"failed"`, ...).
    #[wasm_bindgen(js_name = stateName)]
    pub fn state_name(&self) -> String {
        self.inner.state_name().to_owned()
    }

    /// The code of the error that ended the exchange (a refusal or a thrown
    /// error), or `undefined`.
    #[wasm_bindgen(js_name = errorCode, unchecked_return_type = "ErrorCode | undefined")]
    pub fn error_code(&self) -> Option<u32> {
        error_code(self.inner.error())
    }

    /// The message of the error that ended the exchange, or `undefined`.
    #[wasm_bindgen(js_name = errorMessage)]
    pub fn error_message(&self) -> Option<String> {
        error_message(self.inner.error())
    }

    /// The key, once dh_gen_ok was sent; `undefined` before.
    #[wasm_bindgen(js_name = createdKey, unchecked_return_type = "CreatedAuthKey | undefined")]
    pub fn created_key(&self) -> Result<JsValue, JsValue> {
        created_key_to_js(self.inner.created_key())
    }
}

/// An optional argument: `None` for `undefined` and `null`.
fn optional(value: &JsValue) -> Option<&JsValue> {
    (!value.is_undefined() && !value.is_null()).then_some(value)
}
