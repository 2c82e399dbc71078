//! Free functions over obfuscation (core
//! [`mtproto_core::transport::obfuscated`]), fake TLS (core
//! [`mtproto_core::transport::fake_tls`]) and AES-256-CTR (core
//! [`mtproto_core::crypto::aes_ctr`]).

use js_sys::Object;
use mtproto_core::UnixMillis;
use mtproto_core::crypto::aes_ctr::AesCtr256;
use mtproto_core::crypto::fixed;
use mtproto_core::transport::ProxySecret;
use mtproto_core::transport::fake_tls::{
    ClientHelloRandom, ServerHelloRandom, build_client_hello, build_server_hello,
    key_share_from_candidate,
};
use mtproto_core::transport::obfuscated::{client_init_with_random, is_valid_init_random};
use wasm_bindgen::prelude::*;

use super::framing_from_js;
use crate::convert::{bytes, int_from_js, set, u64_from_js};
use crate::error::to_js;

/// A proxy secret from its text form (hex, or base64url as in MTProxy
/// links), validated; the normalized raw bytes (16-byte key, `dd` + key, or
/// `ee` + key + domain). Anything else throws `TransportInvalidSecret` (610).
#[wasm_bindgen(js_name = parseProxySecret)]
pub fn parse_proxy_secret(text: &str) -> Result<Vec<u8>, JsValue> {
    Ok(ProxySecret::parse(text).map_err(to_js)?.to_bytes())
}

/// Whether 64 random bytes may start an obfuscated2 init (no plain
/// transport could start with them). Not 64 bytes: `InvalidLength` (101).
#[wasm_bindgen(js_name = isValidObfuscationInit)]
pub fn is_valid_obfuscation_init(random: &[u8]) -> Result<bool, JsValue> {
    let random = fixed::<64>("init random", random).map_err(to_js)?;
    Ok(is_valid_init_random(&random))
}

/// A client's obfuscated2 init from 64 given random bytes (deterministic:
/// for tests and vectors), for a framing `kind`, a `dcId` and an optional
/// proxy secret (text, as `parseProxySecret` takes). Invalid randoms and
/// full framing throw `TransportObfuscation` (606); a `dd`/`ee` secret
/// without padded intermediate `TransportInvalidSecret` (610).
#[wasm_bindgen(js_name = obfuscationInit, unchecked_return_type = "ObfuscationInit")]
pub fn obfuscation_init(
    random: &[u8],
    #[wasm_bindgen(unchecked_param_type = "TransportKind")] kind: JsValue,
    #[wasm_bindgen(js_name = dcId, unchecked_param_type = "number")] dc_id: JsValue,
    secret: Option<String>,
) -> Result<JsValue, JsValue> {
    let random = fixed::<64>("init random", random).map_err(to_js)?;
    let framing = framing_from_js("kind", &kind)?;
    let dc_id: i16 = int_from_js("dcId", "-32768..=32767", &dc_id)?;
    let secret = secret
        .map(|s| ProxySecret::parse(&s))
        .transpose()
        .map_err(to_js)?;
    let init = client_init_with_random(&random, framing, dc_id, secret.as_ref()).map_err(to_js)?;
    let obj = Object::new();
    set(&obj, "header", &bytes(&init.header))?;
    set(&obj, "clientEncryptKey", &bytes(&init.keys.encrypt_key))?;
    set(&obj, "clientEncryptIv", &bytes(&init.keys.encrypt_iv))?;
    set(&obj, "clientDecryptKey", &bytes(&init.keys.decrypt_key))?;
    set(&obj, "clientDecryptIv", &bytes(&init.keys.decrypt_iv))?;
    Ok(obj.into())
}

/// `data` XOR-ed with the AES-256-CTR keystream of a 32-byte `key` and a
/// 16-byte `iv` (the obfuscation cipher; one-shot, starting at the IV).
/// Wrong lengths throw `InvalidLength` (101).
#[wasm_bindgen(js_name = aesCtrApply)]
pub fn aes_ctr_apply(key: &[u8], iv: &[u8], mut data: Vec<u8>) -> Result<Vec<u8>, JsValue> {
    let key = fixed::<32>("AES key", key).map_err(to_js)?;
    let iv = fixed::<16>("CTR IV", iv).map_err(to_js)?;
    AesCtr256::new(&key, &iv).apply(&mut data);
    Ok(data)
}

/// The fake-TLS X25519 key share made from a 32-byte random `candidate`, or
/// `undefined` when the candidate must be re-drawn.
#[wasm_bindgen(js_name = fakeTlsKeyShare)]
pub fn fake_tls_key_share(candidate: &[u8]) -> Result<Option<Vec<u8>>, JsValue> {
    let candidate = fixed::<32>("key share candidate", candidate).map_err(to_js)?;
    Ok(key_share_from_candidate(&candidate).map(|k| k.to_vec()))
}

/// A fake-TLS ClientHello from its parts (deterministic: for tests and
/// vectors): an `ee` `secret` (text), `nowMs` (a `bigint`), a 32-byte
/// `sessionId`, a 7-byte `greaseSeed`, a 32-byte `keyShare` and a 15-byte
/// `extensionOrder` (a permutation of 0..15).
#[wasm_bindgen(js_name = fakeTlsClientHello, unchecked_return_type = "FakeTlsClientHello")]
pub fn fake_tls_client_hello(
    secret: &str,
    #[wasm_bindgen(js_name = nowMs, unchecked_param_type = "bigint")] now_ms: JsValue,
    #[wasm_bindgen(js_name = sessionId)] session_id: &[u8],
    #[wasm_bindgen(js_name = greaseSeed)] grease_seed: &[u8],
    #[wasm_bindgen(js_name = keyShare)] key_share: &[u8],
    #[wasm_bindgen(js_name = extensionOrder)] extension_order: &[u8],
) -> Result<JsValue, JsValue> {
    let secret = ProxySecret::parse(secret).map_err(to_js)?;
    let now = UnixMillis(u64_from_js("nowMs", now_ms)?);
    let random = ClientHelloRandom {
        session_id: fixed("session_id", session_id).map_err(to_js)?,
        grease_seed: fixed("grease_seed", grease_seed).map_err(to_js)?,
        key_share: fixed("key_share", key_share).map_err(to_js)?,
        extension_order: fixed("extension_order", extension_order).map_err(to_js)?,
    };
    let hello = build_client_hello(&secret, now, &random).map_err(to_js)?;
    let obj = Object::new();
    set(&obj, "hello", &bytes(&hello.bytes))?;
    set(&obj, "random", &bytes(&hello.random))?;
    set(&obj, "digest", &bytes(&hello.digest))?;
    Ok(obj.into())
}

/// A fake-TLS server answer from its parts (deterministic: for tests and
/// vectors): the proxy `secret` (text), the client's 32-byte `clientRandom`
/// and `sessionId`, a 32-byte `keyShare` and 1..=16640 bytes of `appData`.
#[wasm_bindgen(js_name = fakeTlsServerHello)]
pub fn fake_tls_server_hello(
    secret: &str,
    #[wasm_bindgen(js_name = clientRandom)] client_random: &[u8],
    #[wasm_bindgen(js_name = sessionId)] session_id: &[u8],
    #[wasm_bindgen(js_name = keyShare)] key_share: &[u8],
    #[wasm_bindgen(js_name = appData)] app_data: &[u8],
) -> Result<Vec<u8>, JsValue> {
    let secret = ProxySecret::parse(secret).map_err(to_js)?;
    let client_random = fixed::<32>("client_random", client_random).map_err(to_js)?;
    let session_id = fixed::<32>("session_id", session_id).map_err(to_js)?;
    let random = ServerHelloRandom {
        key_share: fixed("key_share", key_share).map_err(to_js)?,
        app_data: app_data.to_vec(),
    };
    build_server_hello(secret.key(), &client_random, &session_id, &random).map_err(to_js)
}
