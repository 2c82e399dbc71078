//! The `TlCodec` class (core [`mtproto_core::tl::dynamic::Codec`]): TL bytes
//! to and from plain JavaScript objects in the core's JSON form.
//!
//! Values cross the boundary through `serde-wasm-bindgen`: JavaScript values
//! become [`serde_json::Value`]s (see [`JsonSeed`]) and the core's values
//! become plain objects, arrays, strings, numbers, booleans and `null`
//! ([`Serializer::json_compatible`]), never `Map`s nor `bigint`s.

use std::cell::RefCell;
use std::fmt;

use mtproto_core::tl::dynamic::Codec;
use serde::Serialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use serde_wasm_bindgen::Serializer;
use wasm_bindgen::prelude::*;

use crate::error::{internal, invalid_argument, to_js};

#[wasm_bindgen(typescript_custom_section)]
const TS_TL: &str = r#"
/**
 * A TL constructor or function in the JSON form of the core (the same in
 * every language binding): `_` is its name (`"messages.getHistory"`), the
 * other properties are its fields by name.
 *
 * Field values: `int` a number; `long` a decimal string (numbers and bigints
 * are accepted on input); `double` a number (`"NaN"`, `"Infinity"`,
 * `"-Infinity"` for the values JSON lacks); `int128` / `int256` a lowercase
 * hex string in wire order; `string` a string; `bytes` a base64 string;
 * `Bool` a boolean; `flags.N?true` `true` when set, absent when not; other
 * optional fields absent (or `null`) when not set; vectors arrays;
 * constructors nested `TlValue`s. Flags words are computed when encoding and
 * omitted when decoding.
 */
export type TlValue = { _: string; [field: string]: unknown };
"#;

/// How deep a JavaScript value may nest (objects and arrays) before it is
/// refused: twice the core's own limit on TL nesting, and the recursion
/// limit `serde_json` puts on JSON text in the other bindings.
const MAX_JS_DEPTH: usize = 2 * mtproto_core::tl::dynamic::MAX_DEPTH;

/// Encodes JavaScript values to TL bytes and decodes TL bytes to plain
/// JavaScript objects, for one schema.
///
/// Create it from the text of a schema (`new TlCodec(apiTl)`) or take the
/// built-in MTProto service schema (`TlCodec.mtproto()`). Values are in the
/// JSON form described by `TlValue`: what `decode` returns, `encode` takes.
/// Every failure throws an `MtprotoError`; TL errors have codes 300..316 and
/// say where in the value they happened (`at invokeWithLayer.query.api_id:
/// expected an int ...`).
#[wasm_bindgen]
pub struct TlCodec {
    inner: Codec,
}

#[wasm_bindgen]
impl TlCodec {
    /// A codec for the schema in `schemaText` (the `.tl` format of
    /// `api.tl`); a schema that does not parse throws `TlSchema` (308) or
    /// `TlIdMismatch` (309).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = schemaText)] schema_text: &str,
    ) -> Result<TlCodec, JsValue> {
        let inner = Codec::from_schema_text(schema_text).map_err(to_js)?;
        Ok(TlCodec { inner })
    }

    /// A codec for the built-in MTProto service schema (`resPQ`,
    /// `msg_container`, `rpc_result`, `invokeWithLayer`, ...).
    pub fn mtproto() -> Result<TlCodec, JsValue> {
        let inner = Codec::mtproto().map_err(to_js)?;
        Ok(TlCodec { inner })
    }

    /// The TL bytes of a constructor or function `value` (boxed: its id
    /// first).
    pub fn encode(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TlValue")] value: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        self.inner.encode(&value_from_js(&value)?).map_err(to_js)
    }

    /// The constructor or function whose boxed bytes are all of `bytes`.
    #[wasm_bindgen(unchecked_return_type = "TlValue")]
    pub fn decode(&self, bytes: &[u8]) -> Result<JsValue, JsValue> {
        value_to_js(&self.inner.decode(bytes).map_err(to_js)?)
    }

    /// The TL bytes of `value` as the type `type` (`"Vector<long>"`,
    /// `"Bool"`, `"messages.Messages"`, `"int"`); a constructor name
    /// (`"message"`) gives its bare form, without the id.
    #[wasm_bindgen(js_name = encodeAs)]
    pub fn encode_as(
        &self,
        #[wasm_bindgen(js_name = type)] ty: &str,
        #[wasm_bindgen(unchecked_param_type = "unknown")] value: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        self.inner
            .encode_as(ty, &value_from_js(&value)?)
            .map_err(to_js)
    }

    /// The value of type `type` (see `encodeAs`) that spans all of `bytes`.
    #[wasm_bindgen(js_name = decodeAs, unchecked_return_type = "unknown")]
    pub fn decode_as(
        &self,
        #[wasm_bindgen(js_name = type)] ty: &str,
        bytes: &[u8],
    ) -> Result<JsValue, JsValue> {
        value_to_js(&self.inner.decode_as(ty, bytes).map_err(to_js)?)
    }

    /// The result type of the function call `query`, generics resolved:
    /// `"Config"` for `invokeWithLayer(initConnection(help.getConfig))`.
    #[wasm_bindgen(js_name = resultType)]
    pub fn result_type(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TlValue")] query: JsValue,
    ) -> Result<String, JsValue> {
        let ty = self
            .inner
            .result_type(&value_from_js(&query)?)
            .map_err(to_js)?;
        Ok(ty.to_string())
    }

    /// The result of the function call `query` from its bytes (the
    /// `result` of an `rpc_result`), decoded as `resultType(query)`.
    #[wasm_bindgen(js_name = decodeResult, unchecked_return_type = "unknown")]
    pub fn decode_result(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TlValue")] query: JsValue,
        bytes: &[u8],
    ) -> Result<JsValue, JsValue> {
        let query = value_from_js(&query)?;
        value_to_js(&self.inner.decode_result(&query, bytes).map_err(to_js)?)
    }
}

/// A JS value of the core's JSON form as plain objects, arrays and
/// primitives.
fn value_to_js(value: &Value) -> Result<JsValue, JsValue> {
    value
        .serialize(&Serializer::json_compatible())
        .map_err(|e| internal(&format!("TL value to JavaScript: {e}")))
}

/// A JSON value from a JS value: objects (plain, or `Map`s with string keys),
/// arrays, strings, numbers, `bigint`s in the 64-bit range, booleans, and
/// `null` or `undefined` (both `null`). Anything else (a `Uint8Array`, a
/// function, a symbol), or nesting deeper than [`MAX_JS_DEPTH`], throws
/// `InvalidArgument` naming where in the value it is.
fn value_from_js(value: &JsValue) -> Result<Value, JsValue> {
    let path = RefCell::new(Vec::new());
    let seed = JsonSeed {
        depth: 0,
        path: &path,
    };
    seed.deserialize(serde_wasm_bindgen::Deserializer::from(value.clone()))
        .map_err(|e| {
            let at: String = path.borrow().iter().rev().map(String::as_str).collect();
            invalid_argument(&format!(
                "not a TL value in the JSON form at value{at}: {}",
                message_of(e)
            ))
        })
}

/// The message of a `serde-wasm-bindgen` error (a JS `Error`), without the
/// `Error: ` that its `Display` puts first.
fn message_of(e: serde_wasm_bindgen::Error) -> String {
    let fallback = e.to_string();
    JsValue::from(e)
        .dyn_into::<js_sys::Error>()
        .ok()
        .and_then(|e| e.message().as_string())
        .unwrap_or(fallback)
}

/// Builds a [`Value`] from any self-describing deserializer, with a depth
/// limit, keeping object properties in order and recording in `path` where
/// a failure happened (segments `.name` and `[i]`, innermost first).
///
/// JavaScript numbers that JSON lacks become the core's strings for them:
/// `NaN` is `"NaN"`, the infinities `"Infinity"` and `"-Infinity"`.
struct JsonSeed<'p> {
    depth: usize,
    path: &'p RefCell<Vec<String>>,
}

impl JsonSeed<'_> {
    fn child(&self) -> Self {
        JsonSeed {
            depth: self.depth + 1,
            path: self.path,
        }
    }

    /// Records that the failure `e` happened inside `segment` (called
    /// innermost first, as the error travels out).
    fn failed_at<E>(&self, segment: String, e: E) -> E {
        self.path.borrow_mut().push(segment);
        e
    }

    fn enter<E: de::Error>(&self) -> Result<(), E> {
        if self.depth >= MAX_JS_DEPTH {
            return Err(E::custom(format!(
                "objects and arrays nested deeper than {MAX_JS_DEPTH} levels"
            )));
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for JsonSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for JsonSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "an object, array, string, number, bigint, boolean or null \
             (bytes are base64 strings)",
        )
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(match Number::from_f64(v) {
            Some(n) => Value::Number(n),
            None if v.is_nan() => Value::from("NaN"),
            None if v > 0.0 => Value::from("Infinity"),
            None => Value::from("-Infinity"),
        })
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.enter()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq
            .next_element_seed(self.child())
            .map_err(|e| self.failed_at(format!("[{}]", items.len()), e))?
        {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.enter()?;
        let mut fields = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map
                .next_value_seed(self.child())
                .map_err(|e| self.failed_at(format!(".{key}"), e))?;
            fields.insert(key, value);
        }
        Ok(Value::Object(fields))
    }
}
