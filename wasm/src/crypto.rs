//! AES-256-IGE and the key derivations (core [`mtproto_core::crypto`]).

use mtproto_core::crypto::{aes_ige, fixed, kdf};
use wasm_bindgen::prelude::*;

use crate::auth_key::AuthKey;
use crate::convert::{aes_key_iv_to_js, direction_from_js};
use crate::error::to_js;

/// Encrypt `data` with AES-256-IGE and return the ciphertext (`data` is left
/// unchanged).
///
/// `key` and `iv` are 32 bytes (otherwise `InvalidLength`, 101); `data` must
/// be a whole number of 16-byte blocks (otherwise `IgeLength`, 100).
#[wasm_bindgen(js_name = igeEncrypt)]
pub fn ige_encrypt(key: &[u8], iv: &[u8], mut data: Vec<u8>) -> Result<Vec<u8>, JsValue> {
    let key = fixed::<32>("AES key", key).map_err(to_js)?;
    let iv = fixed::<32>("IGE IV", iv).map_err(to_js)?;
    aes_ige::ige_encrypt(&key, &iv, &mut data).map_err(to_js)?;
    Ok(data)
}

/// Decrypt `data` with AES-256-IGE and return the plaintext (`data` is left
/// unchanged). Same argument rules as `igeEncrypt`.
#[wasm_bindgen(js_name = igeDecrypt)]
pub fn ige_decrypt(key: &[u8], iv: &[u8], mut data: Vec<u8>) -> Result<Vec<u8>, JsValue> {
    let key = fixed::<32>("AES key", key).map_err(to_js)?;
    let iv = fixed::<32>("IGE IV", iv).map_err(to_js)?;
    aes_ige::ige_decrypt(&key, &iv, &mut data).map_err(to_js)?;
    Ok(data)
}

/// The MTProto 2.0 msg_key (16 bytes) of a plaintext, padding included, sent
/// in `direction`.
#[wasm_bindgen(js_name = msgKeyV2)]
pub fn msg_key_v2(
    #[wasm_bindgen(js_name = authKey)] auth_key: &AuthKey,
    #[wasm_bindgen(unchecked_param_type = "Direction")] direction: JsValue,
    plaintext: &[u8],
) -> Result<Vec<u8>, JsValue> {
    Ok(
        kdf::msg_key_v2(auth_key.core(), direction_from_js(&direction)?, plaintext)
            .0
            .to_vec(),
    )
}

/// The MTProto 2.0 AES key and IV for a 16-byte `msgKey` (otherwise
/// `InvalidLength`, 101) sent in `direction`.
#[wasm_bindgen(js_name = deriveV2, unchecked_return_type = "AesKeyIv")]
pub fn derive_v2(
    #[wasm_bindgen(js_name = authKey)] auth_key: &AuthKey,
    #[wasm_bindgen(unchecked_param_type = "Direction")] direction: JsValue,
    #[wasm_bindgen(js_name = msgKey)] msg_key: &[u8],
) -> Result<JsValue, JsValue> {
    let msg_key = kdf::MsgKey(fixed::<16>("msg_key", msg_key).map_err(to_js)?);
    aes_key_iv_to_js(&kdf::derive_v2(
        auth_key.core(),
        direction_from_js(&direction)?,
        &msg_key,
    ))
}

/// The MTProto 1.0 msg_key (16 bytes): used only inside `bindTempAuthKey`,
/// over the plaintext **without** its padding.
#[wasm_bindgen(js_name = msgKeyV1)]
pub fn msg_key_v1(plaintext: &[u8]) -> Vec<u8> {
    kdf::msg_key_v1(plaintext).0.to_vec()
}

/// The MTProto 1.0 AES key and IV for a 16-byte `msgKey` (otherwise
/// `InvalidLength`, 101) sent in `direction`; used only inside
/// `bindTempAuthKey`.
#[wasm_bindgen(js_name = deriveV1, unchecked_return_type = "AesKeyIv")]
pub fn derive_v1(
    #[wasm_bindgen(js_name = authKey)] auth_key: &AuthKey,
    #[wasm_bindgen(unchecked_param_type = "Direction")] direction: JsValue,
    #[wasm_bindgen(js_name = msgKey)] msg_key: &[u8],
) -> Result<JsValue, JsValue> {
    let msg_key = kdf::MsgKey(fixed::<16>("msg_key", msg_key).map_err(to_js)?);
    aes_key_iv_to_js(&kdf::derive_v1(
        auth_key.core(),
        direction_from_js(&direction)?,
        &msg_key,
    ))
}

/// The temporary AES key and IV of the key exchange, which encrypt
/// `server_DH_inner_data` and `client_DH_inner_data`, from the 32-byte
/// `newNonce` and the 16-byte `serverNonce` (otherwise `InvalidLength`, 101).
#[wasm_bindgen(js_name = handshakeTmpKeyIv, unchecked_return_type = "AesKeyIv")]
pub fn handshake_tmp_key_iv(
    #[wasm_bindgen(js_name = newNonce)] new_nonce: &[u8],
    #[wasm_bindgen(js_name = serverNonce)] server_nonce: &[u8],
) -> Result<JsValue, JsValue> {
    let new_nonce = fixed::<32>("new_nonce", new_nonce).map_err(to_js)?;
    let server_nonce = fixed::<16>("server_nonce", server_nonce).map_err(to_js)?;
    aes_key_iv_to_js(&kdf::handshake_tmp_key_iv(&new_nonce, &server_nonce))
}
