use serde_json::{Map, json};

use super::*;
use crate::rand::{SecureRandom, SeededRandom};
use crate::tl::Writer;
use crate::tl::schema::{ParamType, Section};

fn schema_file(path: &str) -> String {
    let path = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn api() -> Codec {
    Codec::from_schema_text(&schema_file("tests/schema/api.tl")).unwrap()
}

fn mtproto() -> Codec {
    Codec::new(Schema::parse_verified(&schema_file("core/schema/mtproto.tl")).unwrap())
}

fn init_connection_query() -> Value {
    json!({
        "_": "invokeWithLayer",
        "layer": 228,
        "query": {
            "_": "initConnection",
            "api_id": 12345,
            "device_model": "Test device",
            "system_version": "1.0",
            "app_version": "0.1.0",
            "system_lang_code": "en",
            "lang_pack": "",
            "lang_code": "en",
            "query": {"_": "help.getConfig"}
        }
    })
}

#[test]
fn invoke_with_layer_init_connection_get_config() {
    let codec = api();
    let bytes = codec.encode(&init_connection_query()).unwrap();
    // The same message built field by field from the ids in api.tl.
    let mut w = Writer::new();
    w.write_u32(0xda9b_0d0d); // invokeWithLayer
    w.write_i32(228);
    w.write_u32(0xc1cd_5ea9); // initConnection
    w.write_u32(0); // flags: no proxy, no params
    w.write_i32(12345);
    for s in ["Test device", "1.0", "0.1.0", "en", "", "en"] {
        w.write_string(s);
    }
    w.write_u32(0xc4f9_186b); // help.getConfig
    assert_eq!(hex::encode(&bytes), hex::encode(w.as_slice()));
    assert_eq!(codec.decode(&bytes).unwrap(), init_connection_query());
    assert_eq!(
        codec
            .result_type(&init_connection_query())
            .unwrap()
            .to_string(),
        "Config"
    );
}

#[test]
fn every_api_combinator_round_trips_with_generated_values() {
    let codec = api();
    let mut rng = SeededRandom::from_u64(228);
    let mut count = 0;
    for round in 0..2 {
        for c in codec.schema().combinators.iter() {
            if is_builtin_declaration(c) || !c.id_check.is_ok() && c.id_check != id_alias() {
                continue;
            }
            if c.id_check == id_alias() {
                continue; // the `...Prefix` aliases encode as their originals
            }
            let v = Gen {
                codec: &codec,
                rng: &mut rng,
                budget: 60,
            }
            .combinator(c, 0);
            let bytes = codec
                .encode(&v)
                .unwrap_or_else(|e| panic!("encode {}: {e}\n{v}", c.name));
            let back = codec
                .decode(&bytes)
                .unwrap_or_else(|e| panic!("decode {}: {e}\n{v}", c.name));
            assert_eq!(back, v, "{} (round {round})", c.name);
            assert_eq!(codec.encode(&back).unwrap(), bytes);
            count += 1;
        }
    }
    assert!(count > 2 * 2400, "{count}");
}

fn id_alias() -> crate::tl::schema::id::IdCheck {
    crate::tl::schema::id::IdCheck::Alias
}

/// `vector`, `int128 4*[ int ]` and friends: declarations of builtins.
fn is_builtin_declaration(c: &Combinator) -> bool {
    c.params
        .iter()
        .any(|p| matches!(p.ty, ParamType::Repeat { .. }))
        || matches!(c.name.as_str(), "bytes" | "int128" | "int256" | "vector")
        || c.params.is_empty()
            && c.result
                .name
                .chars()
                .next()
                .is_some_and(|ch| ch.is_ascii_uppercase())
            && ["Bytes", "Int128", "Int256"].contains(&c.result.name.as_str())
}

/// Random JSON values of the codec's form for a schema.
struct Gen<'a> {
    codec: &'a Codec,
    rng: &'a mut SeededRandom,
    budget: usize,
}

impl<'a> Gen<'a> {
    fn next(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.rng.fill(&mut b).unwrap();
        u64::from_le_bytes(b)
    }

    fn combinator(&mut self, c: &Combinator, depth: usize) -> Value {
        let mut m = Map::new();
        m.insert("_".into(), Value::String(c.name.clone()));
        // One decision per flag bit: fields sharing a bit (a `true` and a
        // value, as in inputMediaUploadedPhoto) are present together.
        let mut bits: Vec<(String, u32, bool)> = Vec::new();
        for p in &c.params {
            if let ParamType::Typed { ty, condition } = &p.ty {
                let present = match condition {
                    None => true,
                    Some(cond) => match bits
                        .iter()
                        .find(|(f, b, _)| *f == cond.field && *b == cond.bit)
                    {
                        Some((_, _, d)) => *d,
                        None => {
                            let d = self.next() % 2 == 0;
                            bits.push((cond.field.clone(), cond.bit, d));
                            d
                        }
                    },
                };
                if ty.name == "true" {
                    if condition.is_some() && present {
                        m.insert(p.name.clone(), Value::Bool(true));
                    }
                    continue;
                }
                if present {
                    let v = self.value(ty, &c.type_params, depth + 1);
                    m.insert(p.name.clone(), v);
                }
            }
        }
        Value::Object(m)
    }

    fn value(&mut self, ty: &TypeRef, generics: &[String], depth: usize) -> Value {
        self.budget = self.budget.saturating_sub(1);
        match self.codec.kind(ty, generics).unwrap() {
            Kind::Int => json!(self.next() as i32),
            Kind::Long => Value::String((self.next() as i64).to_string()),
            Kind::Double => json!((self.next() % 1_000_000) as f64 / 8.0),
            Kind::Int128 => Value::String(format!("{:016x}{:016x}", self.next(), self.next())),
            Kind::Int256 => Value::String(
                (0..4)
                    .map(|_| format!("{:016x}", self.next()))
                    .collect::<String>(),
            ),
            Kind::String => Value::String(
                ["", "a", "héllo ✓", &"x".repeat(300)][(self.next() % 4) as usize].into(),
            ),
            Kind::Bytes => {
                let len = [0usize, 1, 3, 253, 254, 600][(self.next() % 6) as usize];
                let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
                Value::String(base64::Engine::encode(
                    &base64::engine::general_purpose::STANDARD,
                    data,
                ))
            }
            Kind::Bool => Value::Bool(self.next() % 2 == 0),
            Kind::True => Value::Bool(true),
            Kind::Vector { elem, .. } => {
                let n = if self.budget == 0 || depth > 6 {
                    0
                } else {
                    (self.next() % 3) as usize
                };
                Value::Array(
                    (0..n)
                        .map(|_| self.value(elem, generics, depth + 1))
                        .collect(),
                )
            }
            Kind::Object => {
                let c = self.pick_any(Section::Types);
                self.combinator(c, depth)
            }
            Kind::Query => {
                let c = self.pick_any(Section::Functions);
                self.combinator(c, depth)
            }
            Kind::Boxed(t) => {
                let codec = self.codec;
                let options: Vec<&Combinator> = codec.schema().constructors_of(t).collect();
                assert!(!options.is_empty(), "no constructors of {t}");
                let c = if self.budget == 0 || depth > 6 {
                    *options.iter().min_by_key(|c| c.params.len()).unwrap()
                } else {
                    options[(self.next() % options.len() as u64) as usize]
                };
                self.combinator(c, depth)
            }
            Kind::Bare(c) => self.combinator(c, depth),
        }
    }

    fn pick_any(&mut self, section: Section) -> &'a Combinator {
        // Keep nested queries and objects small: the simplest ones.
        let codec = self.codec;
        let k = (self.next() % 8) as usize;
        codec
            .schema()
            .combinators
            .iter()
            .filter(|c| {
                c.section == section
                    && c.params.is_empty()
                    && c.id_check.is_ok()
                    && !is_builtin_declaration(c)
            })
            .nth(k)
            .unwrap()
    }
}

#[test]
fn handshake_messages_of_the_worked_example() {
    let codec = mtproto();
    let doc: Value =
        serde_json::from_str(&schema_file("tests/vectors/samples_auth_key.json")).unwrap();
    let hexfield = |v: &Value| hex::decode(v.as_str().unwrap()).unwrap();
    let body = |name: &str| hexfield(&doc["messages"][name])[20..].to_vec();
    let nonce = doc["nonce"].as_str().unwrap();
    let server_nonce = doc["server_nonce"].as_str().unwrap();
    let new_nonce = doc["new_nonce"].as_str().unwrap();

    let cases: Vec<(Vec<u8>, Value)> = vec![
        (
            body("req_pq_multi"),
            json!({"_": "req_pq_multi", "nonce": nonce}),
        ),
        (
            body("resPQ"),
            json!({"_": "resPQ", "nonce": nonce, "server_nonce": server_nonce,
                   "pq": "FGDn0/pyd5E=",
                   "server_public_key_fingerprints": ["847625836280919973", "-4344800451088585951", "-3414540481677951611"]}),
        ),
        (
            hexfield(&doc["rsa"]["p_q_inner_data_dc"]),
            json!({"_": "p_q_inner_data_dc", "pq": "FGDn0/pyd5E=", "p": "PCNXzw==", "q": "Vr+ynw==",
                   "nonce": nonce, "server_nonce": server_nonce, "new_nonce": new_nonce, "dc": 2}),
        ),
        (
            hexfield(&doc["server_dh"]["answer_with_hash"])[20..20 + 564].to_vec(),
            json!({"_": "server_DH_inner_data", "nonce": nonce, "server_nonce": server_nonce, "g": 3}),
        ),
        (
            hexfield(&doc["client_dh"]["client_DH_inner_data"]),
            json!({"_": "client_DH_inner_data", "nonce": nonce, "server_nonce": server_nonce, "retry_id": "0"}),
        ),
        (
            body("dh_gen_ok"),
            json!({"_": "dh_gen_ok", "nonce": nonce, "server_nonce": server_nonce,
                                    "new_nonce_hash1": doc["new_nonce_hash1"]}),
        ),
    ];
    for (bytes, expected) in cases {
        let v = codec
            .decode(&bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", expected["_"]));
        for (k, want) in expected.as_object().unwrap() {
            assert_eq!(&v[k], want, "{}.{k}", expected["_"]);
        }
        assert_eq!(
            codec.encode(&v).unwrap(),
            bytes,
            "{} re-encodes",
            expected["_"]
        );
    }
    // server_DH_inner_data's server_time (0x65ABC0FD) and req_DH_params as a whole.
    let inner = hexfield(&doc["server_dh"]["answer_with_hash"])[20..20 + 564].to_vec();
    assert_eq!(codec.decode(&inner).unwrap()["server_time"], 1_705_754_877);
    let req = body("req_DH_params");
    let v = codec.decode(&req).unwrap();
    assert_eq!(v["public_key_fingerprint"], "-3414540481677951611");
    assert_eq!(codec.encode(&v).unwrap(), req);
}

#[test]
fn errors_name_the_path() {
    let codec = api();
    let bytes = codec.encode(&init_connection_query()).unwrap();
    let err = |r: Result<Value, TlError>| r.unwrap_err().to_string();

    // Truncated inside the innermost query.
    let e = err(codec.decode(&bytes[..bytes.len() - 2]));
    assert!(
        e.starts_with("at invokeWithLayer.query.query: unexpected end"),
        "{e}"
    );
    // Trailing bytes.
    let mut long = bytes.clone();
    long.extend_from_slice(&[0, 0, 0, 0]);
    assert_eq!(err(codec.decode(&long)), "4 trailing bytes after the value");
    // Unknown constructor id where a function belongs.
    let mut bad = bytes.clone();
    let n = bad.len();
    bad[n - 4..].copy_from_slice(&0x1234_5678u32.to_le_bytes());
    let e = err(codec.decode(&bad));
    assert!(
        e.contains("at invokeWithLayer.query.query: unknown constructor id 0x12345678"),
        "{e}"
    );

    // Encoding: wrong type, missing field, unknown field, unknown name.
    let mut q = init_connection_query();
    q["query"]["api_id"] = json!("twelve");
    let e = codec.encode(&q).unwrap_err();
    assert_eq!(
        e.to_string(),
        "at invokeWithLayer.query.api_id: expected an int (a number from -2^31 to 2^32-1), found the string \"twelve\""
    );
    assert_eq!(Error::from(e).code(), crate::ErrorCode::TlWrongType);
    let mut q = init_connection_query();
    q["query"].as_object_mut().unwrap().remove("lang_code");
    assert_eq!(
        codec.encode(&q).unwrap_err().to_string(),
        "at invokeWithLayer.query.lang_code: missing field lang_code"
    );
    let mut q = init_connection_query();
    q["query"]["query"] = json!({"_": "help.getConfg"});
    assert!(
        codec
            .encode(&q)
            .unwrap_err()
            .to_string()
            .contains("unknown name help.getConfg")
    );
    let mut q = init_connection_query();
    q["query"]["api_idd"] = json!(1);
    assert!(
        codec
            .encode(&q)
            .unwrap_err()
            .to_string()
            .contains("initConnection.api_idd (no such field)")
    );
    // A constructor where a function is required.
    let mut q = init_connection_query();
    q["query"]["query"] = json!({"_": "inputPeerEmpty"});
    assert!(
        codec
            .encode(&q)
            .unwrap_err()
            .to_string()
            .contains("expected a function (!X)")
    );

    // Deep nesting is refused, not a stack overflow.
    let mut deep = json!({"_": "help.getConfig"});
    for _ in 0..(MAX_DEPTH + 5) {
        deep = json!({"_": "invokeWithoutUpdates", "query": deep});
    }
    assert!(
        codec
            .encode(&deep)
            .unwrap_err()
            .to_string()
            .contains("nested deeper")
    );
    let mut w = Writer::new();
    for _ in 0..(MAX_DEPTH + 5) {
        w.write_u32(0xbf94_59b7);
    }
    w.write_u32(0xc4f9_186b);
    assert!(
        codec
            .decode(w.as_slice())
            .unwrap_err()
            .to_string()
            .contains("nested deeper")
    );
}

use crate::error::Error;

#[test]
fn vectors_flags_and_special_values() {
    let codec = api();
    // Boxed vectors of primitives via encode_as / decode_as.
    let v = json!(["1", "-2", "9223372036854775807"]);
    let b = codec.encode_as("Vector<long>", &v).unwrap();
    assert_eq!(b.len(), 8 + 24);
    assert_eq!(codec.decode_as("Vector<long>", &b).unwrap(), v);
    // Numbers are accepted for longs; output is always strings.
    assert_eq!(
        codec.encode_as("long", &json!(5)).unwrap(),
        5u64.to_le_bytes()
    );
    // A huge count is refused before allocating.
    let mut w = Writer::new();
    w.write_vector_header(0x7fff_ffff);
    assert!(matches!(
        codec.decode_as("Vector<long>", w.as_slice()),
        Err(TlError::VectorTooLong { .. })
    ));
    // Doubles JSON cannot hold.
    for s in ["NaN", "Infinity", "-Infinity"] {
        let b = codec.encode_as("double", &json!(s)).unwrap();
        assert_eq!(codec.decode_as("double", &b).unwrap(), json!(s));
    }
    // flags: unset optional fields are absent; a true flag round-trips.
    let user = json!({"_": "inputUserSelf"});
    assert_eq!(codec.decode(&codec.encode(&user).unwrap()).unwrap(), user);
    let v = json!({"_": "messages.getDialogs", "exclude_pinned": true, "offset_date": 0, "offset_id": 0,
                   "offset_peer": {"_": "inputPeerEmpty"}, "limit": 20, "hash": "0"});
    let b = codec.encode(&v).unwrap();
    assert_eq!(&b[4..8], &1u32.to_le_bytes(), "exclude_pinned is flags.0");
    assert_eq!(codec.decode(&b).unwrap(), v);
    // false for a true flag is accepted and omitted.
    let mut f = v.clone();
    f["exclude_pinned"] = json!(false);
    let b = codec.encode(&f).unwrap();
    assert_eq!(&b[4..8], &0u32.to_le_bytes());
}

#[test]
fn gzip_packed_is_inflated_in_place() {
    let codec = api().with_gzip_limit(1 << 16);
    let inner = codec.encode(&init_connection_query()).unwrap();
    let mut w = Writer::new();
    w.write_u32(crate::tl::GZIP_PACKED_ID);
    w.write_bytes(&crate::tl::gzip::gzip(&inner));
    assert_eq!(codec.decode(w.as_slice()).unwrap(), init_connection_query());
    // A bomb beyond the limit is an error.
    let mut w = Writer::new();
    w.write_u32(crate::tl::GZIP_PACKED_ID);
    w.write_bytes(&crate::tl::gzip::gzip(&vec![0u8; 1 << 20]));
    let e = codec.decode(w.as_slice()).unwrap_err();
    assert_eq!(Error::from(e).code(), crate::ErrorCode::GzipTooLarge);
}
