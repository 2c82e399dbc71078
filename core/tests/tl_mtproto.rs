//! The generated service-schema types (`mtproto_core::tl::mtproto`):
//!
//! - Telegram's worked key-exchange example (`/mtproto/samples-auth_key`,
//!   copied to `tests/vectors/samples_auth_key.json`) decodes to its documented
//!   fields and re-encodes to the same bytes;
//! - every constructor and function round-trips sample encodings built from
//!   the schema by an encoder written here, independent of the generator;
//! - truncated input is an error, and arbitrary bytes never panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fmt::Debug;

use mtproto_core::TlError;
use mtproto_core::tl::codegen::{RawObject, RemoteCall};
use mtproto_core::tl::mtproto::{self, Function, functions, types};
use mtproto_core::tl::schema::{Combinator, ParamType, Schema, TypeRef};
use mtproto_core::tl::{Deserialize, Identifiable, MTPROTO_SCHEMA, Reader, Serialize, Writer};
use serde_json::Value;

/// Every constructor: its TL name, its struct, the boxed type it is read as.
macro_rules! each_constructor {
    ($m:ident) => {
        $m!("resPQ", types::ResPq, mtproto::ResPq);
        $m!("p_q_inner_data", types::PQInnerData, mtproto::PQInnerData);
        $m!(
            "p_q_inner_data_dc",
            types::PQInnerDataDc,
            mtproto::PQInnerData
        );
        $m!(
            "p_q_inner_data_temp",
            types::PQInnerDataTemp,
            mtproto::PQInnerData
        );
        $m!(
            "p_q_inner_data_temp_dc",
            types::PQInnerDataTempDc,
            mtproto::PQInnerData
        );
        $m!(
            "server_DH_params_fail",
            types::ServerDhParamsFail,
            mtproto::ServerDhParams
        );
        $m!(
            "server_DH_params_ok",
            types::ServerDhParamsOk,
            mtproto::ServerDhParams
        );
        $m!(
            "server_DH_inner_data",
            types::ServerDhInnerData,
            mtproto::ServerDhInnerData
        );
        $m!(
            "client_DH_inner_data",
            types::ClientDhInnerData,
            mtproto::ClientDhInnerData
        );
        $m!(
            "dh_gen_ok",
            types::DhGenOk,
            mtproto::SetClientDhParamsAnswer
        );
        $m!(
            "dh_gen_retry",
            types::DhGenRetry,
            mtproto::SetClientDhParamsAnswer
        );
        $m!(
            "dh_gen_fail",
            types::DhGenFail,
            mtproto::SetClientDhParamsAnswer
        );
        $m!(
            "bind_auth_key_inner",
            types::BindAuthKeyInner,
            mtproto::BindAuthKeyInner
        );
        $m!("rpc_result", types::RpcResult, mtproto::RpcResult);
        $m!("rpc_error", types::RpcError, mtproto::RpcError);
        $m!(
            "rpc_answer_unknown",
            types::RpcAnswerUnknown,
            mtproto::RpcDropAnswer
        );
        $m!(
            "rpc_answer_dropped_running",
            types::RpcAnswerDroppedRunning,
            mtproto::RpcDropAnswer
        );
        $m!(
            "rpc_answer_dropped",
            types::RpcAnswerDropped,
            mtproto::RpcDropAnswer
        );
        $m!("future_salt", types::FutureSalt, mtproto::FutureSalt);
        $m!("future_salts", types::FutureSalts, mtproto::FutureSalts);
        $m!("pong", types::Pong, mtproto::Pong);
        $m!(
            "destroy_session_ok",
            types::DestroySessionOk,
            mtproto::DestroySessionRes
        );
        $m!(
            "destroy_session_none",
            types::DestroySessionNone,
            mtproto::DestroySessionRes
        );
        $m!(
            "new_session_created",
            types::NewSessionCreated,
            mtproto::NewSession
        );
        $m!(
            "msg_container",
            types::MsgContainer,
            mtproto::MessageContainer
        );
        $m!("message", types::Message, mtproto::Message);
        $m!("msg_copy", types::MsgCopy, mtproto::MessageCopy);
        $m!("gzip_packed", types::GzipPacked, types::GzipPacked);
        $m!("msgs_ack", types::MsgsAck, mtproto::MsgsAck);
        $m!(
            "bad_msg_notification",
            types::BadMsgNotification,
            mtproto::BadMsgNotification
        );
        $m!(
            "bad_server_salt",
            types::BadServerSalt,
            mtproto::BadMsgNotification
        );
        $m!("msg_resend_req", types::MsgResendReq, mtproto::MsgResendReq);
        $m!(
            "msg_resend_ans_req",
            types::MsgResendAnsReq,
            mtproto::MsgResendReq
        );
        $m!("msgs_state_req", types::MsgsStateReq, mtproto::MsgsStateReq);
        $m!(
            "msgs_state_info",
            types::MsgsStateInfo,
            mtproto::MsgsStateInfo
        );
        $m!("msgs_all_info", types::MsgsAllInfo, mtproto::MsgsAllInfo);
        $m!(
            "msg_detailed_info",
            types::MsgDetailedInfo,
            mtproto::MsgDetailedInfo
        );
        $m!(
            "msg_new_detailed_info",
            types::MsgNewDetailedInfo,
            mtproto::MsgDetailedInfo
        );
        $m!(
            "destroy_auth_key_ok",
            types::DestroyAuthKeyOk,
            mtproto::DestroyAuthKeyRes
        );
        $m!(
            "destroy_auth_key_none",
            types::DestroyAuthKeyNone,
            mtproto::DestroyAuthKeyRes
        );
        $m!(
            "destroy_auth_key_fail",
            types::DestroyAuthKeyFail,
            mtproto::DestroyAuthKeyRes
        );
        $m!("http_wait", types::HttpWait, mtproto::HttpWait);
    };
}

/// Every function: its TL name and its struct (read boxed as [`Function`]).
macro_rules! each_function {
    ($m:ident) => {
        $m!("req_pq", functions::ReqPq, Function);
        $m!("req_pq_multi", functions::ReqPqMulti, Function);
        $m!("req_DH_params", functions::ReqDhParams, Function);
        $m!(
            "set_client_DH_params",
            functions::SetClientDhParams,
            Function
        );
        $m!("rpc_drop_answer", functions::RpcDropAnswer, Function);
        $m!("get_future_salts", functions::GetFutureSalts, Function);
        $m!("ping", functions::Ping, Function);
        $m!(
            "ping_delay_disconnect",
            functions::PingDelayDisconnect,
            Function
        );
        $m!("destroy_session", functions::DestroySession, Function);
        $m!("destroy_auth_key", functions::DestroyAuthKey, Function);
    };
}

fn schema() -> Schema {
    Schema::parse_verified(MTPROTO_SCHEMA).unwrap()
}

// ---- an independent sample encoder, driven by the schema ----

/// Writes sample encodings of schema types. Variant `v` picks values: the
/// empty, short and long (`0xfe` length form) strings, vectors of 0, 1 and 2
/// elements, the constructor of a boxed type.
struct Samples<'s> {
    s: &'s Schema,
}

impl Samples<'_> {
    fn combinator(&self, c: &Combinator, v: u32, w: &mut Writer, boxed: bool) {
        if boxed {
            w.write_u32(c.id);
        }
        let mut i = 0;
        while let Some(p) = c.params.get(i) {
            let ParamType::Typed { ty, condition } = &p.ty else {
                panic!("{}: flags and repetitions are not in mtproto.tl", c.name);
            };
            assert!(condition.is_none());
            let next = c.params.get(i + 1);
            let sized_object = p.name == "bytes"
                && ty.name == "int"
                && matches!(next.map(|n| &n.ty), Some(ParamType::Typed { ty, .. }) if ty.name == "Object");
            if sized_object {
                // `message`: the length, then the object.
                let mut body = Writer::new();
                self.object(v, &mut body);
                w.write_i32(body.len() as i32);
                w.write_raw(body.as_slice());
                i += 2;
                continue;
            }
            self.value(ty, v.wrapping_add(i as u32), w);
            i += 1;
        }
    }

    /// An `Object`: some boxed value of the schema (a `pong`, or for other
    /// variants an `rpc_error`).
    fn object(&self, v: u32, w: &mut Writer) {
        let name = if v % 2 == 0 { "pong" } else { "rpc_error" };
        self.combinator(self.s.by_name(name).unwrap(), v, w, true);
    }

    fn value(&self, t: &TypeRef, v: u32, w: &mut Writer) {
        match t.name.as_str() {
            "int" => w.write_i32((v as i32).wrapping_mul(-7_654_321)),
            "long" => w.write_i64(i64::from(v).wrapping_mul(-0x0123_4567_89ab_cdef)),
            "int128" => w.write_raw(&[v as u8 ^ 0x5a; 16]),
            "int256" => w.write_raw(&[v as u8 ^ 0xa5; 32]),
            "string" | "bytes" => match v % 3 {
                0 => w.write_bytes(b""),
                1 => w.write_bytes(b"hello"),
                _ => w.write_bytes(&[b'x'; 300]),
            },
            "Bool" => w.write_bool(v % 2 == 1),
            "Object" => self.object(v, w),
            "Vector" | "vector" => {
                let n = v % 3;
                if t.bare {
                    w.write_u32(n);
                } else {
                    w.write_vector_header(n as usize);
                }
                for k in 0..n {
                    self.value(&t.args[0], v + k, w);
                }
            }
            name if t.bare => {
                let c = self
                    .s
                    .by_name(name)
                    .or_else(|| self.s.constructors_of(name).next())
                    .unwrap();
                self.combinator(c, v, w, false);
            }
            name => {
                let ctors: Vec<_> = self.s.constructors_of(name).collect();
                assert!(!ctors.is_empty(), "no constructors of {name}");
                self.combinator(ctors[v as usize % ctors.len()], v, w, true);
            }
        }
    }

    fn boxed(&self, name: &str, v: u32) -> Vec<u8> {
        let mut w = Writer::new();
        self.combinator(self.s.by_name(name).unwrap(), v, &mut w, true);
        w.into_inner()
    }
}

/// Round trip one struct through its boxed form, its bare form and the boxed
/// type (enum or alias) it belongs to; every truncation must fail, except
/// for types whose last field runs to the end of the input, where a
/// truncation that still decodes must give another value.
fn round_trip<T, B>(
    samples: &Samples<'_>,
    tl: &str,
    bare: fn(&mut Reader<'_>) -> Result<T, TlError>,
    greedy: bool,
) -> usize
where
    T: Serialize + Deserialize + Identifiable + Debug + PartialEq,
    B: Serialize + Deserialize + Debug,
{
    let c = samples.s.by_name(tl).unwrap();
    assert_eq!(T::CONSTRUCTOR_ID, c.id, "{tl}");
    for v in 0..6 {
        let bytes = samples.boxed(tl, v);
        let value = T::from_tl_bytes(&bytes).unwrap_or_else(|e| panic!("{tl} v{v}: {e}"));
        assert_eq!(value.to_tl_bytes(), bytes, "{tl} v{v}");
        let via = B::from_tl_bytes(&bytes).unwrap_or_else(|e| panic!("{tl} v{v} boxed: {e}"));
        assert_eq!(via.to_tl_bytes(), bytes, "{tl} v{v} boxed");
        let mut r = Reader::new(&bytes[4..]);
        assert_eq!(bare(&mut r).unwrap(), value, "{tl} v{v} bare");
        r.finish().unwrap();
        for cut in 0..bytes.len() {
            match T::from_tl_bytes(&bytes[..cut]) {
                Err(_) => {}
                Ok(other) => assert!(greedy && other != value, "{tl} v{v} cut at {cut}"),
            }
        }
        // Another constructor's id is refused, naming this one.
        let mut wrong = bytes.clone();
        wrong[0] ^= 1;
        assert!(matches!(
            T::from_tl_bytes(&wrong),
            Err(TlError::UnknownConstructor { expected, at: 0, .. }) if expected == tl
        ));
    }
    1
}

#[test]
fn every_constructor_and_function_round_trips() {
    let s = schema();
    let samples = Samples { s: &s };
    let mut names: Vec<&str> = Vec::new();
    let greedy = ["rpc_result"];
    macro_rules! check {
        ($tl:literal, $t:ty, $b:ty) => {
            round_trip::<$t, $b>(&samples, $tl, <$t>::deserialize_bare, greedy.contains(&$tl));
            names.push($tl);
        };
    }
    each_constructor!(check);
    each_function!(check);
    // The lists above cover the schema: every combinator that is not a
    // builtin of the serializer.
    let native = ["vector", "int128", "int256", "bytes"];
    let expected: Vec<&str> = s
        .combinators
        .iter()
        .map(|c| c.name.as_str())
        .filter(|n| !native.contains(n))
        .collect();
    assert_eq!(names, expected);
}

#[test]
fn functions_name_their_result_types() {
    fn ret<F: RemoteCall>() -> &'static str {
        std::any::type_name::<F::Return>()
            .rsplit("::")
            .next()
            .unwrap()
    }
    assert_eq!(ret::<functions::ReqPqMulti>(), "ResPq");
    assert_eq!(ret::<functions::ReqDhParams>(), "ServerDhParams");
    assert_eq!(
        ret::<functions::SetClientDhParams>(),
        "SetClientDhParamsAnswer"
    );
    assert_eq!(ret::<functions::Ping>(), "Pong");
    assert_eq!(ret::<functions::GetFutureSalts>(), "FutureSalts");
    assert_eq!(ret::<functions::DestroyAuthKey>(), "DestroyAuthKeyRes");

    let ping = functions::Ping { ping_id: 7 };
    let f = Function::from_tl_bytes(&ping.to_tl_bytes()).unwrap();
    assert_eq!(f, Function::Ping(ping.clone()));
    assert_eq!(f.constructor_id(), 0x7abe_77ec);
    assert_eq!(Function::from(ping.clone()), f);
    // A constructor is not a function.
    let pong = types::Pong {
        msg_id: 1,
        ping_id: 7,
    };
    assert!(matches!(
        Function::from_tl_bytes(&pong.to_tl_bytes()),
        Err(TlError::UnknownConstructor { id: 0x3477_73c5, expected, at: 0 }) if expected == "function"
    ));
}

// ---- known answers: Telegram's worked key exchange ----

fn sample_doc() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/samples_auth_key.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn hex_at(doc: &Value, path: &[&str]) -> Vec<u8> {
    let mut v = doc;
    for p in path {
        v = &v[*p];
    }
    hex::decode(v.as_str().unwrap_or_else(|| panic!("{path:?}"))).unwrap()
}

/// The body of a plain message: after `auth_key_id | msg_id | length`.
fn plain_body(doc: &Value, name: &str) -> Vec<u8> {
    hex_at(doc, &["messages", name])[20..].to_vec()
}

/// Decode, check, and re-encode to the same bytes.
fn known<T: Deserialize + Serialize>(bytes: &[u8]) -> T {
    let v = T::from_tl_bytes(bytes).unwrap();
    assert_eq!(hex::encode(v.to_tl_bytes()), hex::encode(bytes));
    v
}

/// Telegram's 2048-bit safe prime with g = 3 (`/mtproto/auth_key`; the
/// one every client checks for).
const TELEGRAM_DH_PRIME: &str = "\
    c71caeb9c6b1c9048e6c522f70f13f73980d40238e3e21c14934d037563d930f\
    48198a0aa7c14058229493d22530f4dbfa336f6e0ac925139543aed44cce7c37\
    20fd51f69458705ac68cd4fe6b6b13abdc9746512969328454f18faf8c595f64\
    2477fe96bb2a941d5bcd1d4ac8cc49880708fa9b378e3c4f3a9060bee67cf9a4\
    a4a695811051907e162753b56b0f6b410dba74d8a84b2a14b3144e0ef1284754\
    fd17ed950d5965b4b9dd46582db1178d169c6bc465b0d6ff9ca3928fef5b9ae4\
    e418fc15e83ebea0f87fa9ff5eed70050ded2849f47bf959d956850ce929851f\
    0d8115f635b105ee2e4e15d04b2454bf6f4fadf034b10403119cd8e3b92fcc5b";

#[test]
fn samples_auth_key_decode_to_the_documented_fields() {
    let doc = sample_doc();
    let nonce: [u8; 16] = hex_at(&doc, &["nonce"]).try_into().unwrap();
    let server_nonce: [u8; 16] = hex_at(&doc, &["server_nonce"]).try_into().unwrap();
    let new_nonce: [u8; 32] = hex_at(&doc, &["new_nonce"]).try_into().unwrap();
    let pq = doc["pq"].as_u64().unwrap().to_be_bytes().to_vec();
    let p = (doc["p"].as_u64().unwrap() as u32).to_be_bytes().to_vec();
    let q = (doc["q"].as_u64().unwrap() as u32).to_be_bytes().to_vec();
    // The test DC key's fingerprint, 0xd09d1d85de64fd85.
    let fingerprint = i64::from_le_bytes(
        hex_at(&doc, &["rsa", "public_key_fingerprint_wire"])
            .try_into()
            .unwrap(),
    );
    assert_eq!(fingerprint as u64, 0xd09d_1d85_de64_fd85);

    let req: functions::ReqPqMulti = known(&plain_body(&doc, "req_pq_multi"));
    assert_eq!(req.nonce, nonce);

    // resPQ's message_length on the page is noise; the body is what follows.
    let res: mtproto::ResPq = known(&plain_body(&doc, "resPQ"));
    assert_eq!((res.nonce, res.server_nonce), (nonce, server_nonce));
    assert_eq!(res.pq, pq);
    // The server offers three keys; the client picked the last one.
    assert_eq!(res.server_public_key_fingerprints.len(), 3);
    assert_eq!(res.server_public_key_fingerprints[2], fingerprint);

    let req_dh = known::<Function>(&plain_body(&doc, "req_DH_params"));
    let Function::ReqDhParams(req_dh) = req_dh else {
        panic!("{req_dh:?}");
    };
    assert_eq!(
        req_dh,
        functions::ReqDhParams {
            nonce,
            server_nonce,
            p: p.clone(),
            q: q.clone(),
            public_key_fingerprint: fingerprint,
            encrypted_data: hex_at(&doc, &["rsa", "encrypted_data"]),
        }
    );

    let inner: mtproto::PQInnerData = known(&hex_at(&doc, &["rsa", "p_q_inner_data_dc"]));
    assert_eq!(
        inner,
        mtproto::PQInnerData::PQInnerDataDc(types::PQInnerDataDc {
            pq,
            p,
            q,
            nonce,
            server_nonce,
            new_nonce,
            dc: doc["dc"].as_i64().unwrap() as i32,
        })
    );

    let params: mtproto::ServerDhParams = known(&plain_body(&doc, "server_DH_params_ok"));
    assert_eq!(
        params,
        mtproto::ServerDhParams::ServerDhParamsOk(types::ServerDhParamsOk {
            nonce,
            server_nonce,
            encrypted_answer: hex_at(&doc, &["server_dh", "encrypted_answer"]),
        })
    );

    // answer_with_hash = SHA1(answer) (20 bytes) | answer (564 bytes) | padding.
    let answer = hex_at(&doc, &["server_dh", "answer_with_hash"]);
    let dh: mtproto::ServerDhInnerData = known(&answer[20..20 + 564]);
    assert_eq!((dh.nonce, dh.server_nonce), (nonce, server_nonce));
    assert_eq!(dh.g, 3);
    assert_eq!(dh.server_time, 1_705_754_877);
    assert_eq!(hex::encode(&dh.dh_prime), TELEGRAM_DH_PRIME);
    assert_eq!(dh.g_a.len(), 256);

    let client: mtproto::ClientDhInnerData =
        known(&hex_at(&doc, &["client_dh", "client_DH_inner_data"]));
    assert_eq!(
        client,
        types::ClientDhInnerData {
            nonce,
            server_nonce,
            retry_id: 0,
            g_b: hex_at(&doc, &["client_dh", "g_b"]),
        }
    );

    let set = known::<Function>(&plain_body(&doc, "set_client_DH_params"));
    assert_eq!(
        set,
        Function::SetClientDhParams(functions::SetClientDhParams {
            nonce,
            server_nonce,
            encrypted_data: hex_at(&doc, &["client_dh", "encrypted_data"]),
        })
    );

    let ok: mtproto::SetClientDhParamsAnswer = known(&plain_body(&doc, "dh_gen_ok"));
    assert_eq!(
        ok,
        mtproto::SetClientDhParamsAnswer::DhGenOk(types::DhGenOk {
            nonce,
            server_nonce,
            new_nonce_hash1: hex_at(&doc, &["new_nonce_hash1"]).try_into().unwrap(),
        })
    );
}

// ---- Object fields ----

#[test]
fn containers_and_rpc_results() {
    let ping = functions::Ping { ping_id: 42 };
    let ack = types::MsgsAck {
        msg_ids: vec![1, 2, 3],
    };
    let container = types::MsgContainer {
        messages: vec![
            types::Message {
                msg_id: 0x10,
                seqno: 1,
                body: RawObject::from_value(&ping),
            },
            types::Message {
                msg_id: 0x14,
                seqno: 2,
                body: RawObject::from_value(&ack),
            },
        ],
    };
    let bytes = container.to_tl_bytes();
    // msg_container id | count | (msg_id seqno bytes body)*
    let mut expect = Writer::new();
    expect.write_u32(0x73f1_f8dc);
    expect.write_u32(2);
    expect.write_i64(0x10);
    expect.write_i32(1);
    expect.write_i32(12);
    ping.serialize(&mut expect);
    expect.write_i64(0x14);
    expect.write_i32(2);
    expect.write_i32(36);
    ack.serialize(&mut expect);
    assert_eq!(bytes, expect.into_inner());
    let back = types::MsgContainer::from_tl_bytes(&bytes).unwrap();
    assert_eq!(back, container);
    assert_eq!(
        back.messages[0].body.decode::<Function>().unwrap(),
        Function::Ping(ping)
    );
    assert_eq!(
        back.messages[1].body.decode::<mtproto::MsgsAck>().unwrap(),
        ack
    );
    assert_eq!(back.messages[1].body.constructor_id(), Some(0x62d6_b459));

    // A message's `bytes` must be a whole number of words, at least an id,
    // and no longer than the input: checked at the length field (byte 20).
    for (len, at) in [(-4, 20), (6, 20), (0, 20)] {
        let mut bad = bytes.clone();
        bad[20..24].copy_from_slice(&i32::to_le_bytes(len));
        assert_eq!(
            types::MsgContainer::from_tl_bytes(&bad),
            Err(TlError::InvalidLength { at }),
            "bytes = {len}"
        );
    }
    let mut bad = bytes.clone();
    bad[20..24].copy_from_slice(&i32::to_le_bytes(1 << 20));
    assert!(matches!(
        types::MsgContainer::from_tl_bytes(&bad),
        Err(TlError::UnexpectedEof { .. })
    ));
    // A count the input cannot hold (each message takes at least 20 bytes)
    // is refused before anything is allocated.
    let mut huge = bytes.clone();
    huge[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        types::MsgContainer::from_tl_bytes(&huge),
        Err(TlError::VectorTooLong { at: 4, count, .. }) if count == u32::MAX as usize
    ));

    // rpc_result's result is the rest of the body.
    let answer = types::RpcResult {
        req_msg_id: 0x10,
        result: RawObject::from_value(&types::Pong {
            msg_id: 0x10,
            ping_id: 42,
        }),
    };
    let bytes = answer.to_tl_bytes();
    assert_eq!(bytes.len(), 4 + 8 + 20);
    let back = mtproto::RpcResult::from_tl_bytes(&bytes).unwrap();
    assert_eq!(back, answer);
    assert_eq!(back.result.decode::<mtproto::Pong>().unwrap().ping_id, 42);
    // An rpc_result with no room for a result is an error.
    assert!(mtproto::RpcResult::from_tl_bytes(&bytes[..12]).is_err());
}

// ---- never panic on input ----

/// xorshift64*: reproducible pseudo-random bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn arbitrary_bytes_never_panic() {
    let s = schema();
    let samples = Samples { s: &s };
    // Valid encodings to mutate, so that decoding gets past the ids.
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    for c in &s.combinators {
        if !["vector", "int128", "int256", "bytes"].contains(&c.name.as_str()) {
            for v in 0..3 {
                seeds.push(samples.boxed(&c.name, v));
            }
        }
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut decoded = 0usize;
    for round in 0..3000 {
        let buf: Vec<u8> = if round % 2 == 0 {
            // Random bytes, often after a real constructor id.
            let len = rng.below(80);
            let mut b: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            if len >= 4 && rng.below(2) == 0 {
                let id = s.combinators[rng.below(s.combinators.len())].id;
                b[..4].copy_from_slice(&id.to_le_bytes());
            }
            b
        } else {
            // A valid encoding with a few bytes changed, cut or extended.
            let mut b = seeds[rng.below(seeds.len())].clone();
            for _ in 0..=rng.below(4) {
                if b.is_empty() {
                    break;
                }
                let i = rng.below(b.len());
                b[i] = match rng.below(3) {
                    0 => rng.next() as u8,
                    1 => 0xff,
                    _ => 0,
                };
            }
            match rng.below(3) {
                0 => b.truncate(rng.below(b.len() + 1)),
                1 => b.extend((0..rng.below(9)).map(|_| rng.next() as u8)),
                _ => {}
            }
            b
        };
        macro_rules! feed {
            ($tl:literal, $t:ty, $b:ty) => {
                decoded += usize::from(<$t>::from_tl_bytes(&buf).is_ok());
                decoded += usize::from(<$b>::from_tl_bytes(&buf).is_ok());
                let _ = <$t>::deserialize_bare(&mut Reader::new(&buf));
            };
        }
        each_constructor!(feed);
        each_function!(feed);
    }
    // The mutated seeds keep reaching the full decoders.
    assert!(decoded > 500, "only {decoded} inputs decoded");
}
