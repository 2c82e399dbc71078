//! The transports (core [`mtproto_core::transport`]): the enums
//! [`TransportKind`] and [`Role`], the records that cross the boundary as
//! plain objects (`Inbound`, the two configs, `DetectedTransport`,
//! `ObfuscationInit`, `FakeTlsClientHello`) and their conversions. The
//! classes and functions live in the submodules.

mod codec;
mod connection;
mod functions;

pub use codec::{
    FramingCodec, HttpClient, HttpServer, framing_header, quick_ack_token,
    strip_padded_intermediate_padding,
};
pub use connection::{ClientTransport, ServerTransport};
pub use functions::{
    aes_ctr_apply, fake_tls_client_hello, fake_tls_key_share, fake_tls_server_hello,
    is_valid_obfuscation_init, obfuscation_init, parse_proxy_secret,
};

use js_sys::Object;
use mtproto_core::transport::{
    self as core, DEFAULT_MAX_FRAME, DetectedTransport, FramingKind, Inbound, ProxySecret,
};
use wasm_bindgen::prelude::*;

use crate::convert::{bytes, describe, get, int_from_js, set};
use crate::error::{invalid_argument, to_js};

#[wasm_bindgen(typescript_custom_section)]
const TS_TRANSPORT: &str = r#"
/**
 * What a transport decoder yields: a payload (`quickAck`: the client asked
 * for a quick ack of it, server side), a quick-ack token (client side, top
 * bit set), or a transport error (a negative code: -404, -429, -444, ...).
 */
export type Inbound =
  | { kind: "packet"; payload: Uint8Array; quickAck: boolean }
  | { kind: "quickAck"; token: number }
  | { kind: "transportError"; code: number };

/** How a `ClientTransport` connects; absent fields take the core's defaults. */
export interface ClientTransportConfig {
  /** The transport. */
  kind: TransportKind;
  /** Obfuscate the stream (obfuscated2); implied by `secret`. Default false. */
  obfuscate?: boolean;
  /** The DC id written into an obfuscated init (-32768..32767). Default 2. */
  dcId?: number;
  /** A proxy secret (hex, or base64url as in MTProxy links). Default none. */
  secret?: string | null;
  /** The `Host` header for HTTP. Default empty. */
  httpHost?: string;
  /** The largest payload accepted, in bytes. Default 16 MiB. */
  maxFrame?: number;
}

/** What a `ServerTransport` accepts; absent fields take the core's defaults. */
export interface ServerTransportConfig {
  /** Proxy secrets accepted (hex or base64url: 16-byte, `dd`, `ee`). Default none. */
  secrets?: string[];
  /** Accept unobfuscated framings. Default true. */
  allowPlain?: boolean;
  /** Accept obfuscated2 without a secret. Default true. */
  allowObfuscatedWithoutSecret?: boolean;
  /** Accept HTTP. Default true. */
  allowHttp?: boolean;
  /** The largest payload accepted, in bytes. Default 16 MiB. */
  maxFrame?: number;
}

/** What a `ServerTransport` found the connection to speak. */
export interface DetectedTransport {
  /** The transport. */
  kind: TransportKind;
  /** Whether the stream is obfuscated. */
  obfuscated: boolean;
  /** Whether it came in fake TLS. */
  fakeTls: boolean;
  /** Index into `ServerTransportConfig.secrets` of the secret used. */
  secretIndex?: number;
  /** The DC id an obfuscated init named. */
  dcId?: number;
}

/**
 * A client's obfuscated2 init: the 64 bytes to send first, and the client's
 * AES-256-CTR keys and IVs (a server's are the same, directions swapped).
 * The client's encrypting stream has consumed 64 bytes (the init).
 */
export interface ObfuscationInit {
  /** The 64 bytes to send first. */
  header: Uint8Array;
  /** The key of the client-to-server stream (32 bytes). */
  clientEncryptKey: Uint8Array;
  /** The IV of the client-to-server stream (16 bytes). */
  clientEncryptIv: Uint8Array;
  /** The key of the server-to-client stream (32 bytes). */
  clientDecryptKey: Uint8Array;
  /** The IV of the server-to-client stream (16 bytes). */
  clientDecryptIv: Uint8Array;
}

/** A fake-TLS ClientHello. */
export interface FakeTlsClientHello {
  /** The 517 bytes to send. */
  hello: Uint8Array;
  /** The `random` field as sent (32 bytes). */
  random: Uint8Array;
  /** The HMAC before the time is mixed in (32 bytes). */
  digest: Uint8Array;
}
"#;

/// The transport a connection speaks (core
/// [`mtproto_core::transport::TransportKind`] and
/// [`mtproto_core::transport::FramingKind`]).
///
/// Functions take it as a `number` typed `TransportKind`; any other value
/// throws `InvalidArgument` (1).
#[wasm_bindgen]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportKind {
    /// `0xef`, then 1- or 4-byte lengths in 4-byte words.
    Abridged = 0,
    /// `0xeeeeeeee`, then 4-byte lengths in bytes.
    Intermediate = 1,
    /// `0xdddddddd`, intermediate with 0..15 random padding bytes per packet.
    PaddedIntermediate = 2,
    /// No header; length, sequence number, payload, CRC32.
    Full = 3,
    /// HTTP/1.1 POSTs to `/api`.
    Http = 4,
}

/// Which end of a connection a codec serves (core
/// [`mtproto_core::transport::Role`]).
#[wasm_bindgen]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Connects, sends first, may ask for quick acks.
    Client = 0,
    /// Accepts, answers quick acks, may send transport errors.
    Server = 1,
}

const KINDS: [(TransportKind, core::TransportKind); 5] = [
    (
        TransportKind::Abridged,
        core::TransportKind::Framed(FramingKind::Abridged),
    ),
    (
        TransportKind::Intermediate,
        core::TransportKind::Framed(FramingKind::Intermediate),
    ),
    (
        TransportKind::PaddedIntermediate,
        core::TransportKind::Framed(FramingKind::PaddedIntermediate),
    ),
    (
        TransportKind::Full,
        core::TransportKind::Framed(FramingKind::Full),
    ),
    (TransportKind::Http, core::TransportKind::Http),
];

/// A core transport kind from a `TransportKind` value.
pub(crate) fn kind_from_js(what: &str, value: &JsValue) -> Result<core::TransportKind, JsValue> {
    let n = value.as_f64();
    KINDS
        .iter()
        .find(|(ours, _)| n == Some(f64::from(*ours as u32)))
        .map(|(_, kind)| *kind)
        .ok_or_else(|| {
            invalid_argument(&format!(
                "{what} must be a TransportKind (0..=4), got {}",
                describe(value)
            ))
        })
}

/// A core framing from a `TransportKind` value other than `Http`.
pub(crate) fn framing_from_js(what: &str, value: &JsValue) -> Result<FramingKind, JsValue> {
    match kind_from_js(what, value)? {
        core::TransportKind::Framed(kind) => Ok(kind),
        core::TransportKind::Http => Err(invalid_argument(&format!(
            "{what} must be a framing (Abridged, Intermediate, PaddedIntermediate or Full), got Http"
        ))),
    }
}

/// The `TransportKind` of a core transport kind.
fn kind_to_js(kind: core::TransportKind) -> TransportKind {
    KINDS
        .iter()
        .find(|(_, k)| *k == kind)
        .map_or(TransportKind::Http, |(ours, _)| *ours)
}

/// A core role from a `Role` value.
pub(crate) fn role_from_js(value: &JsValue) -> Result<core::Role, JsValue> {
    match value.as_f64() {
        Some(n) if n == f64::from(Role::Client as u32) => Ok(core::Role::Client),
        Some(n) if n == f64::from(Role::Server as u32) => Ok(core::Role::Server),
        _ => Err(invalid_argument(&format!(
            "role must be Role.Client (0) or Role.Server (1), got {}",
            describe(value)
        ))),
    }
}

/// A JS `Inbound` object, or `undefined` for none.
pub(crate) fn inbound_to_js(inbound: Option<Inbound>) -> Result<JsValue, JsValue> {
    let Some(inbound) = inbound else {
        return Ok(JsValue::UNDEFINED);
    };
    let obj = Object::new();
    match inbound {
        Inbound::Packet { payload, quick_ack } => {
            set(&obj, "kind", &"packet".into())?;
            set(&obj, "payload", &bytes(&payload))?;
            set(&obj, "quickAck", &quick_ack.into())?;
        }
        Inbound::QuickAck { token } => {
            set(&obj, "kind", &"quickAck".into())?;
            set(&obj, "token", &token.into())?;
        }
        Inbound::TransportError { code } => {
            set(&obj, "kind", &"transportError".into())?;
            set(&obj, "code", &code.into())?;
        }
    }
    Ok(obj.into())
}

/// A JS `DetectedTransport` object, or `undefined` for none.
pub(crate) fn detected_to_js(detected: Option<&DetectedTransport>) -> Result<JsValue, JsValue> {
    let Some(d) = detected else {
        return Ok(JsValue::UNDEFINED);
    };
    let obj = Object::new();
    set(&obj, "kind", &(kind_to_js(d.kind) as u32).into())?;
    set(&obj, "obfuscated", &d.obfuscated.into())?;
    set(&obj, "fakeTls", &d.fake_tls.into())?;
    if let Some(i) = d.secret_index {
        let i = u32::try_from(i).map_err(|_| crate::error::internal("secret index overflow"))?;
        set(&obj, "secretIndex", &i.into())?;
    }
    if let Some(dc) = d.dc_id {
        set(&obj, "dcId", &dc.into())?;
    }
    Ok(obj.into())
}

/// The value of `key` in `obj`, or `None` when it is `undefined` or `null`.
fn field(obj: &JsValue, key: &str) -> Result<Option<JsValue>, JsValue> {
    let v = get(obj, key)?;
    Ok((!v.is_undefined() && !v.is_null()).then_some(v))
}

fn bool_field(obj: &JsValue, what: &str, key: &str) -> Result<Option<bool>, JsValue> {
    field(obj, key)?
        .map(|v| {
            v.as_bool().ok_or_else(|| {
                invalid_argument(&format!(
                    "{what}.{key} must be a boolean, got {}",
                    describe(&v)
                ))
            })
        })
        .transpose()
}

fn string_of(what: &str, v: &JsValue) -> Result<String, JsValue> {
    v.as_string()
        .ok_or_else(|| invalid_argument(&format!("{what} must be a string, got {}", describe(v))))
}

/// A `maxFrame` value (an integer `number` in 0..2^32) as a `usize`.
pub(crate) fn max_frame_from_js(what: &str, v: &JsValue) -> Result<usize, JsValue> {
    let n: u32 = int_from_js(what, "0..2^32", v)?;
    usize::try_from(n).map_err(|_| invalid_argument(&format!("{what} does not fit a usize")))
}

fn object_or_error(what: &str, v: &JsValue) -> Result<(), JsValue> {
    if v.is_object() {
        Ok(())
    } else {
        Err(invalid_argument(&format!(
            "{what} must be an object, got {}",
            describe(v)
        )))
    }
}

/// A core client config from a JS `ClientTransportConfig`.
pub(crate) fn client_config_from_js(v: &JsValue) -> Result<core::ClientTransportConfig, JsValue> {
    object_or_error("config", v)?;
    let mut config =
        core::ClientTransportConfig::new(kind_from_js("config.kind", &get(v, "kind")?)?);
    if let Some(b) = bool_field(v, "config", "obfuscate")? {
        config.obfuscate = b;
    }
    if let Some(dc) = field(v, "dcId")? {
        config.dc_id = int_from_js("config.dcId", "-32768..=32767", &dc)?;
    }
    if let Some(s) = field(v, "secret")? {
        let text = string_of("config.secret", &s)?;
        config.secret = Some(ProxySecret::parse(&text).map_err(to_js)?);
    }
    if let Some(h) = field(v, "httpHost")? {
        config.http_host = string_of("config.httpHost", &h)?;
    }
    if let Some(m) = field(v, "maxFrame")? {
        config.max_frame = max_frame_from_js("config.maxFrame", &m)?;
    }
    Ok(config)
}

/// A core server config from a JS `ServerTransportConfig`.
pub(crate) fn server_config_from_js(v: &JsValue) -> Result<core::ServerTransportConfig, JsValue> {
    object_or_error("config", v)?;
    let mut config = core::ServerTransportConfig::default();
    if let Some(list) = field(v, "secrets")? {
        if !js_sys::Array::is_array(&list) {
            return Err(invalid_argument(&format!(
                "config.secrets must be an array of strings, got {}",
                describe(&list)
            )));
        }
        for item in js_sys::Array::from(&list).iter() {
            let text = string_of("config.secrets[i]", &item)?;
            config
                .secrets
                .push(ProxySecret::parse(&text).map_err(to_js)?);
        }
    }
    if let Some(b) = bool_field(v, "config", "allowPlain")? {
        config.allow_plain = b;
    }
    if let Some(b) = bool_field(v, "config", "allowObfuscatedWithoutSecret")? {
        config.allow_obfuscated_without_secret = b;
    }
    if let Some(b) = bool_field(v, "config", "allowHttp")? {
        config.allow_http = b;
    }
    config.max_frame = match field(v, "maxFrame")? {
        Some(m) => max_frame_from_js("config.maxFrame", &m)?,
        None => DEFAULT_MAX_FRAME,
    };
    Ok(config)
}
