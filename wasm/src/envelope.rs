//! The plain and encrypted message envelopes (core [`mtproto_core::envelope`]).

use mtproto_core::OsRandom;
use mtproto_core::envelope::{self, MsgId};
use wasm_bindgen::prelude::*;

use crate::auth_key::AuthKey;
use crate::convert::{
    decrypted_to_js, direction_from_js, header_from_js, plain_to_js, u64_from_js,
};
use crate::error::to_js;

/// Seal `body` into an encrypted MTProto 2.0 message sent in `direction`,
/// with random padding from `crypto.getRandomValues`.
///
/// `body` must be whole 32-bit words (`BodyNotAligned`, 203) and below the
/// transport limit (`MessageTooLarge`, 204); a header field of the wrong type
/// throws `InvalidArgument` (1).
#[wasm_bindgen(js_name = sealEncrypted)]
pub fn seal_encrypted(
    #[wasm_bindgen(js_name = authKey)] auth_key: &AuthKey,
    #[wasm_bindgen(unchecked_param_type = "Direction")] direction: JsValue,
    #[wasm_bindgen(unchecked_param_type = "MessageHeader")] header: JsValue,
    body: &[u8],
) -> Result<Vec<u8>, JsValue> {
    let header = header_from_js(&header)?;
    envelope::seal_encrypted(
        auth_key.core(),
        direction_from_js(&direction)?,
        &header,
        body,
        &mut OsRandom,
    )
    .map_err(to_js)
}

/// Seal `body` with the given padding bytes: deterministic, for tests and
/// vectors.
///
/// The padding must be 12..=1024 bytes and make `32 + body.length +
/// padding.length` a multiple of 16 (otherwise `InvalidPadding`, 202).
#[wasm_bindgen(js_name = sealEncryptedWithPadding)]
pub fn seal_encrypted_with_padding(
    #[wasm_bindgen(js_name = authKey)] auth_key: &AuthKey,
    #[wasm_bindgen(unchecked_param_type = "Direction")] direction: JsValue,
    #[wasm_bindgen(unchecked_param_type = "MessageHeader")] header: JsValue,
    body: &[u8],
    padding: &[u8],
) -> Result<Vec<u8>, JsValue> {
    let header = header_from_js(&header)?;
    envelope::seal_encrypted_with_padding(
        auth_key.core(),
        direction_from_js(&direction)?,
        &header,
        body,
        padding,
    )
    .map_err(to_js)
}

/// Open an encrypted message received in `direction` (for a client:
/// `ServerToClient`).
///
/// Any failure (wrong auth_key_id, size, msg_key, length or padding) throws
/// the same `EnvelopeRejected` (200), whatever the reason.
#[wasm_bindgen(js_name = openEncrypted, unchecked_return_type = "DecryptedMessage")]
pub fn open_encrypted(
    #[wasm_bindgen(js_name = authKey)] auth_key: &AuthKey,
    #[wasm_bindgen(unchecked_param_type = "Direction")] direction: JsValue,
    wire: &[u8],
) -> Result<JsValue, JsValue> {
    let message = envelope::open_encrypted(auth_key.core(), direction_from_js(&direction)?, wire)
        .map_err(to_js)?;
    decrypted_to_js(&message)
}

/// Frame `body` as a plain (unencrypted) message, as used by the key
/// exchange.
///
/// `msgId` is a `bigint` in 0..2^64 (otherwise `InvalidArgument`, 1); `body`
/// must be whole 32-bit words (`BodyNotAligned`, 203).
#[wasm_bindgen(js_name = sealPlain)]
pub fn seal_plain(
    #[wasm_bindgen(js_name = msgId, unchecked_param_type = "bigint")] msg_id: JsValue,
    body: &[u8],
) -> Result<Vec<u8>, JsValue> {
    let msg_id = MsgId(u64_from_js("msgId", msg_id)?);
    envelope::seal_plain(msg_id, body).map_err(to_js)
}

/// Parse a plain (unencrypted) message; a malformed one throws
/// `EnvelopeMalformed` (201).
#[wasm_bindgen(js_name = openPlain, unchecked_return_type = "PlainMessage")]
pub fn open_plain(wire: &[u8]) -> Result<JsValue, JsValue> {
    let message = envelope::open_plain(wire).map_err(to_js)?;
    plain_to_js(message.msg_id, message.body)
}
