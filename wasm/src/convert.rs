//! Conversions between JavaScript values and the core's records: `bigint` to
//! and from `u64` and `i64`, and the plain objects `MessageHeader`,
//! `DecryptedMessage`, `PlainMessage` and `AesKeyIv`.

use js_sys::{Object, Reflect, Uint8Array};
use mtproto_core::crypto::kdf::AesKeyIv;
use mtproto_core::envelope::{DecryptedMessage, MessageHeader, MsgId, Salt, SeqNo, SessionId};
use wasm_bindgen::prelude::*;

use crate::Direction;
use crate::error::invalid_argument;

#[wasm_bindgen(typescript_custom_section)]
const TS_RECORDS: &str = r#"
/** The plaintext header fields of an encrypted message. */
export interface MessageHeader {
  /** The server salt (64 bits). */
  salt: bigint;
  /** The session id (64 bits). */
  sessionId: bigint;
  /** The message id (64 bits). */
  msgId: bigint;
  /** The sequence number (an integer in 0..2^32). */
  seqNo: number;
}

/** A message that passed every check of `openEncrypted`. */
export interface DecryptedMessage {
  /** The header fields; checking them against the session is the caller's job. */
  header: MessageHeader;
  /** The TL body. */
  body: Uint8Array;
}

/** A parsed plain (unencrypted) message. */
export interface PlainMessage {
  /** The message id (64 bits). */
  msgId: bigint;
  /** The TL body. */
  body: Uint8Array;
}

/** An AES-256 key and IGE IV (32 bytes each). */
export interface AesKeyIv {
  /** The 32-byte AES-256 key. */
  key: Uint8Array;
  /** The 32-byte IGE IV. */
  iv: Uint8Array;
}
"#;

/// A `u64` from a `bigint` in `0..2^64`; anything else is `InvalidArgument`
/// naming `what`.
pub(crate) fn u64_from_js(what: &str, value: JsValue) -> Result<u64, JsValue> {
    u64::try_from(value).map_err(|v| {
        invalid_argument(&format!(
            "{what} must be a bigint in 0..2^64, got {}",
            describe(&v)
        ))
    })
}

/// An `i64` from a `bigint` in `-2^63..2^63`; anything else is
/// `InvalidArgument` naming `what`.
pub(crate) fn i64_from_js(what: &str, value: JsValue) -> Result<i64, JsValue> {
    i64::try_from(value).map_err(|v| {
        invalid_argument(&format!(
            "{what} must be a bigint in -2^63..2^63, got {}",
            describe(&v)
        ))
    })
}

/// A `u32` from an integral `number` in `0..2^32`; anything else is
/// `InvalidArgument` naming `what`.
fn u32_from_js(what: &str, value: &JsValue) -> Result<u32, JsValue> {
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => Ok(n as u32),
        _ => Err(invalid_argument(&format!(
            "{what} must be an integer number in 0..2^32, got {}",
            describe(value)
        ))),
    }
}

/// An integer of type `T` from an integral `number` that `T` can hold;
/// anything else is `InvalidArgument` naming `what` and `range`.
pub(crate) fn int_from_js<T: TryFrom<i64>>(
    what: &str,
    range: &str,
    value: &JsValue,
) -> Result<T, JsValue> {
    let n = value
        .as_f64()
        .filter(|n| n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0);
    match n.and_then(|n| T::try_from(n as i64).ok()) {
        Some(v) => Ok(v),
        None => Err(invalid_argument(&format!(
            "{what} must be an integer number in {range}, got {}",
            describe(value)
        ))),
    }
}

/// A short description of a value for error messages: its type, and the value
/// itself for numbers and bigints.
pub(crate) fn describe(value: &JsValue) -> String {
    if let Some(n) = value.as_f64() {
        format!("the number {n}")
    } else if value.is_bigint() {
        let digits = js_sys::BigInt::from(value.clone())
            .to_string(10)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default();
        format!("the bigint {digits}")
    } else if value.is_null() {
        "null".to_owned()
    } else {
        format!(
            "a value of type {}",
            value.js_typeof().as_string().unwrap_or_default()
        )
    }
}

/// A core direction from a `Direction` value (the number 0 or 1).
pub(crate) fn direction_from_js(value: &JsValue) -> Result<mtproto_core::Direction, JsValue> {
    match value.as_f64() {
        Some(n) if n == f64::from(Direction::ClientToServer as u32) => {
            Ok(mtproto_core::Direction::ClientToServer)
        }
        Some(n) if n == f64::from(Direction::ServerToClient as u32) => {
            Ok(mtproto_core::Direction::ServerToClient)
        }
        _ => Err(invalid_argument(&format!(
            "direction must be Direction.ClientToServer (0) or Direction.ServerToClient (1), got {}",
            describe(value)
        ))),
    }
}

pub(crate) fn get(obj: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    Reflect::get(obj, &JsValue::from_str(key))
}

pub(crate) fn set(obj: &Object, key: &str, value: &JsValue) -> Result<(), JsValue> {
    Reflect::set(obj, &JsValue::from_str(key), value).map(drop)
}

pub(crate) fn bytes(b: &[u8]) -> JsValue {
    Uint8Array::from(b).into()
}

/// A core [`MessageHeader`] from a JS `MessageHeader` object.
pub(crate) fn header_from_js(value: &JsValue) -> Result<MessageHeader, JsValue> {
    if !value.is_object() {
        return Err(invalid_argument(&format!(
            "header must be an object {{ salt, sessionId, msgId, seqNo }}, got {}",
            describe(value)
        )));
    }
    Ok(MessageHeader {
        salt: Salt(u64_from_js("header.salt", get(value, "salt")?)?),
        session_id: SessionId(u64_from_js("header.sessionId", get(value, "sessionId")?)?),
        msg_id: MsgId(u64_from_js("header.msgId", get(value, "msgId")?)?),
        seq_no: SeqNo(u32_from_js("header.seqNo", &get(value, "seqNo")?)?),
    })
}

/// A JS `MessageHeader` object from a core [`MessageHeader`].
pub(crate) fn header_to_js(h: &MessageHeader) -> Result<JsValue, JsValue> {
    let obj = Object::new();
    set(&obj, "salt", &h.salt.0.into())?;
    set(&obj, "sessionId", &h.session_id.0.into())?;
    set(&obj, "msgId", &h.msg_id.0.into())?;
    set(&obj, "seqNo", &h.seq_no.0.into())?;
    Ok(obj.into())
}

/// A JS `DecryptedMessage` object.
pub(crate) fn decrypted_to_js(m: &DecryptedMessage) -> Result<JsValue, JsValue> {
    let obj = Object::new();
    set(&obj, "header", &header_to_js(&m.header)?)?;
    set(&obj, "body", &bytes(&m.body))?;
    Ok(obj.into())
}

/// A JS `PlainMessage` object.
pub(crate) fn plain_to_js(msg_id: MsgId, body: &[u8]) -> Result<JsValue, JsValue> {
    let obj = Object::new();
    set(&obj, "msgId", &msg_id.0.into())?;
    set(&obj, "body", &bytes(body))?;
    Ok(obj.into())
}

/// A JS `AesKeyIv` object (the core value is wiped when dropped).
pub(crate) fn aes_key_iv_to_js(k: &AesKeyIv) -> Result<JsValue, JsValue> {
    let obj = Object::new();
    set(&obj, "key", &bytes(&k.key))?;
    set(&obj, "iv", &bytes(&k.iv))?;
    Ok(obj.into())
}
