//! The TL codec (core `tl::dynamic`): TL bytes to and from JSON text for any
//! schema loaded at run time, so Kotlin and Swift speak the whole Telegram API
//! without generated types.
//!
//! Values cross as JSON text in the core's JSON form (see
//! [`mtproto_core::tl::dynamic`]): a constructor or function is an object whose
//! `"_"` names it; `long` is a decimal string; `bytes` base64; `int128` and
//! `int256` lowercase hex; flags words are computed and never appear.

use std::sync::Arc;

use mtproto_core::ErrorCode;
use mtproto_core::tl::dynamic::Codec;
use serde_json::Value;

use crate::error::MtprotoError;

/// Parse JSON text given by the caller: code 1 (InvalidArgument) when it is
/// not JSON at all.
fn parse_json(what: &str, text: &str) -> Result<Value, MtprotoError> {
    serde_json::from_str(text).map_err(|e| {
        MtprotoError::binding(
            ErrorCode::InvalidArgument,
            format!("{what} is not valid JSON text: {e}"),
        )
    })
}

/// Write a decoded value as compact JSON text.
fn to_json(value: &Value) -> Result<String, MtprotoError> {
    // A `Value` always serializes (its keys are strings, its numbers finite);
    // a failure here would be a bug, hence Internal.
    serde_json::to_string(value).map_err(|e| {
        MtprotoError::binding(
            ErrorCode::Internal,
            format!("could not write JSON text: {e}"),
        )
    })
}

/// Encodes JSON values to TL bytes and decodes TL bytes to JSON, for one
/// schema: the Telegram API's `api.tl` given as text, or the built-in MTProto
/// service schema (`TlCodec.mtproto()` in Kotlin and Swift).
///
/// Values are JSON text in the core's JSON form: constructors and functions as
/// objects with `"_"` naming them (`{"_": "help.getConfig"}`), `long` as
/// decimal strings, `bytes` as base64, `int128`/`int256` as hex, `Bool` as
/// `true`/`false`, vectors as arrays, flags computed. Decoding emits exactly
/// that form with fields in schema order.
///
/// The object is immutable and safe to share between threads. Errors carry the
/// core's TL codes (300..316); their message names the field path at fault
/// (`at invokeWithLayer.query.api_id: expected an int ...`). JSON text that
/// does not parse throws code 1 (InvalidArgument).
#[derive(uniffi::Object)]
pub struct TlCodec {
    inner: Codec,
}

impl core::fmt::Debug for TlCodec {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The schema itself is far too long to print.
        f.debug_struct("TlCodec")
            .field("combinators", &self.inner.schema().combinators.len())
            .field("layer", &self.inner.schema().layer)
            .finish()
    }
}

#[uniffi::export]
impl TlCodec {
    /// A codec for the schema in `schema_text` (TL as Telegram publishes it,
    /// for instance `api.tl`). Throws code 308 (TlSchema) when a line does not
    /// parse.
    #[uniffi::constructor]
    pub fn new(schema_text: String) -> Result<Arc<Self>, MtprotoError> {
        Ok(Arc::new(TlCodec {
            inner: Codec::from_schema_text(&schema_text)?,
        }))
    }

    /// A codec for the built-in MTProto service schema (key exchange,
    /// `msgs_ack`, `rpc_result`, `bad_server_salt`, ...).
    #[uniffi::constructor]
    pub fn mtproto() -> Result<Arc<Self>, MtprotoError> {
        Ok(Arc::new(TlCodec {
            inner: Codec::mtproto()?,
        }))
    }

    /// Encode a constructor or function value (JSON text of an object with
    /// `"_"`), boxed: its 4-byte id, then its fields.
    pub fn encode(&self, value: String) -> Result<Vec<u8>, MtprotoError> {
        let value = parse_json("value", &value)?;
        Ok(self.inner.encode(&value)?)
    }

    /// Decode one boxed constructor or function that spans all of `bytes`;
    /// returns its JSON text. Throws code 300 for truncated input, 301 for an
    /// unknown constructor id, 302 for trailing bytes.
    pub fn decode(&self, bytes: Vec<u8>) -> Result<String, MtprotoError> {
        to_json(&self.inner.decode(&bytes)?)
    }

    /// Encode `value` (JSON text) as the TL type `type`: `"Vector<long>"`,
    /// `"Bool"`, `"messages.Messages"`, `"int"`, ...
    pub fn encode_as(&self, r#type: String, value: String) -> Result<Vec<u8>, MtprotoError> {
        let value = parse_json("value", &value)?;
        Ok(self.inner.encode_as(&r#type, &value)?)
    }

    /// Decode `bytes` (all of them) as the TL type `type`; returns JSON text.
    pub fn decode_as(&self, r#type: String, bytes: Vec<u8>) -> Result<String, MtprotoError> {
        to_json(&self.inner.decode_as(&r#type, &bytes)?)
    }

    /// The result type of the function call `query` (JSON text), with
    /// generic wrappers resolved: `"Config"` for
    /// `invokeWithLayer(initConnection(help.getConfig))`.
    pub fn result_type(&self, query: String) -> Result<String, MtprotoError> {
        let query = parse_json("query", &query)?;
        Ok(self.inner.result_type(&query)?.to_string())
    }

    /// Decode `bytes` (an `rpc_result`'s result) as the result of the function
    /// call `query` (JSON text); returns JSON text.
    pub fn decode_result(&self, query: String, bytes: Vec<u8>) -> Result<String, MtprotoError> {
        let query = parse_json("query", &query)?;
        to_json(&self.inner.decode_result(&query, &bytes)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(r: Result<impl Sized, MtprotoError>) -> u32 {
        match r {
            Ok(_) => 0,
            Err(MtprotoError::Failed { code, .. }) => code,
        }
    }

    fn read(path: &str) -> String {
        std::fs::read_to_string(format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn every_vector_round_trips() {
        let api = TlCodec::new(read("tests/schema/api.tl")).unwrap();
        let mtproto = TlCodec::mtproto().unwrap();
        let file: Value = serde_json::from_str(&read("tests/vectors/tl.json")).unwrap();
        let cases = file["cases"].as_array().unwrap();
        assert!(!cases.is_empty());
        for c in cases {
            let codec = match c["schema"].as_str().unwrap() {
                "api" => &api,
                "mtproto" => &mtproto,
                other => panic!("unknown schema {other}"),
            };
            let json = c["json"].to_string();
            let bytes = hex(c["hex"].as_str().unwrap());
            let (encoded, decoded) = match c.get("type").and_then(Value::as_str) {
                Some(ty) => (
                    codec.encode_as(ty.into(), json).unwrap(),
                    codec.decode_as(ty.into(), bytes.clone()).unwrap(),
                ),
                None => (
                    codec.encode(json).unwrap(),
                    codec.decode(bytes.clone()).unwrap(),
                ),
            };
            assert_eq!(encoded, bytes, "{}", c["name"]);
            let decoded: Value = serde_json::from_str(&decoded).unwrap();
            assert_eq!(decoded, c["json"], "{}", c["name"]);
            if let Some(rt) = c.get("result_type").and_then(Value::as_str) {
                assert_eq!(codec.result_type(c["json"].to_string()).unwrap(), rt);
            }
        }
    }

    #[test]
    fn errors_carry_codes_and_paths() {
        let api = TlCodec::new(read("tests/schema/api.tl")).unwrap();
        let bad = r#"{"_": "invokeWithLayer", "layer": 228, "query": {"_": "initConnection",
            "api_id": "twelve", "device_model": "d", "system_version": "s", "app_version": "a",
            "system_lang_code": "en", "lang_pack": "", "lang_code": "en",
            "query": {"_": "help.getConfig"}}}"#;
        match api.encode(bad.into()) {
            Err(MtprotoError::Failed { code, message }) => {
                assert_eq!(code, 310);
                assert!(
                    message.contains("invokeWithLayer.query.api_id"),
                    "{message}"
                );
            }
            Ok(_) => panic!("encoded a bad api_id"),
        }
        let config = api.encode(r#"{"_": "help.getConfig"}"#.into()).unwrap();
        assert_eq!(code(api.decode(config[..3].to_vec())), 300);
        assert_eq!(code(api.encode("{not json".into())), 1);
        assert_eq!(code(api.encode_as("Bool".into(), "".into())), 1);
        assert_eq!(code(api.result_type("[".into())), 1);
        assert_eq!(code(api.decode_result("nope".into(), vec![])), 1);
        assert_eq!(code(TlCodec::new("broken = ;".into())), 308);
        assert_eq!(code(api.decode(vec![1, 2, 3, 4])), 301);
        let help = api.encode(r#"{"_": "help.getConfig"}"#.into()).unwrap();
        assert_eq!(code(api.decode([help, vec![0; 4]].concat())), 302);
        assert!(format!("{api:?}").starts_with("TlCodec { combinators: "));
    }

    #[test]
    fn typed_values_and_results() {
        let api = TlCodec::new(read("tests/schema/api.tl")).unwrap();
        let t = api.encode_as("Bool".into(), "true".into()).unwrap();
        assert_eq!(api.decode_as("Bool".into(), t).unwrap(), "true");
        let q = r#"{"_": "help.getConfig"}"#.to_string();
        assert_eq!(api.result_type(q.clone()).unwrap(), "Config");
        let mt = TlCodec::mtproto().unwrap();
        let pong = r#"{"_":"pong","msg_id":"1","ping_id":"-2"}"#;
        let bytes = mt.encode(pong.into()).unwrap();
        let ping = r#"{"_":"ping","ping_id":"-2"}"#.to_string();
        assert_eq!(mt.result_type(ping.clone()).unwrap(), "Pong");
        assert_eq!(mt.decode_result(ping, bytes).unwrap(), pong);
    }
}
