//! `tests/vectors/transport_framing.json` (written by the independent Python
//! generator from the spec page) against the Rust framing codecs: encoding
//! each case's frames gives its wire bytes, and decoding the wire, whole,
//! byte by byte and split at every point, gives the frames back.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mtproto_core::transport::framing::{
    FramingCodec, quick_ack_token, strip_padded_intermediate_padding,
};
use mtproto_core::transport::{DEFAULT_MAX_FRAME, FramingKind, Inbound, Role};
use serde_json::Value;

fn cases() -> Vec<Value> {
    let path = format!(
        "{}/../tests/vectors/transport_framing.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["version"], 1);
    doc["cases"].as_array().unwrap().clone()
}

fn hex_field(v: &Value, field: &str) -> Vec<u8> {
    hex::decode(v[field].as_str().unwrap_or_else(|| panic!("no {field}"))).unwrap()
}

fn kind(case: &Value) -> FramingKind {
    match case["framing"].as_str().unwrap() {
        "abridged" => FramingKind::Abridged,
        "intermediate" => FramingKind::Intermediate,
        "padded_intermediate" => FramingKind::PaddedIntermediate,
        "full" => FramingKind::Full,
        other => panic!("framing {other}"),
    }
}

fn sender(case: &Value) -> Role {
    match case["sender"].as_str().unwrap() {
        "client" => Role::Client,
        "server" => Role::Server,
        other => panic!("sender {other}"),
    }
}

/// What the receiving side must decode for each frame.
fn expected(case: &Value) -> Vec<Inbound> {
    let receiver_is_server = sender(case) == Role::Client;
    case["frames"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| match f["type"].as_str().unwrap() {
            "packet" => Inbound::Packet {
                payload: [hex_field(f, "payload"), hex_field(f, "padding")].concat(),
                quick_ack: receiver_is_server && f["quick_ack"].as_bool().unwrap(),
            },
            "quick_ack" => Inbound::QuickAck {
                token: f["token"].as_u64().unwrap() as u32,
            },
            "transport_error" => Inbound::TransportError {
                code: f["code"].as_i64().unwrap() as i32,
            },
            other => panic!("frame type {other}"),
        })
        .collect()
}

fn decode<'a>(
    kind: FramingKind,
    role: Role,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> Vec<Inbound> {
    let mut c = FramingCodec::new(kind, role, DEFAULT_MAX_FRAME);
    for chunk in chunks {
        c.feed(chunk).unwrap();
    }
    assert_eq!(c.buffered_len(), 0);
    std::iter::from_fn(|| c.poll()).collect()
}

#[test]
fn encoding_gives_the_wire_bytes() {
    let all = cases();
    assert_eq!(all.len(), 8);
    for case in all {
        let name = case["name"].as_str().unwrap();
        let mut codec = FramingCodec::new(kind(&case), sender(&case), DEFAULT_MAX_FRAME);
        let mut wire = Vec::new();
        for f in case["frames"].as_array().unwrap() {
            let padding = hex_field(f, "padding");
            let bytes = match f["type"].as_str().unwrap() {
                "packet" => codec.encode_packet_with_padding(
                    &hex_field(f, "payload"),
                    f["quick_ack"].as_bool().unwrap(),
                    &padding,
                ),
                "quick_ack" => {
                    let token = f["token"].as_u64().unwrap() as u32;
                    let large: [u8; 32] = hex_field(f, "msg_key_large").try_into().unwrap();
                    assert_eq!(quick_ack_token(&large), token, "{name}");
                    codec.encode_quick_ack_with_padding(token, &padding)
                }
                "transport_error" => codec.encode_transport_error_with_padding(
                    f["code"].as_i64().unwrap() as i32,
                    &padding,
                ),
                other => panic!("frame type {other}"),
            };
            wire.extend(bytes.unwrap_or_else(|e| panic!("{name}: {e}")));
        }
        assert_eq!(hex::encode(&wire), case["wire"].as_str().unwrap(), "{name}");
    }
}

#[test]
fn decoding_gives_the_frames_at_any_split() {
    for case in cases() {
        let name = case["name"].as_str().unwrap();
        let (kind, receiver) = (
            kind(&case),
            match sender(&case) {
                Role::Client => Role::Server,
                Role::Server => Role::Client,
            },
        );
        let wire = hex_field(&case, "wire");
        let want = expected(&case);
        assert_eq!(decode(kind, receiver, [&wire[..]]), want, "{name}");
        assert_eq!(
            decode(kind, receiver, wire.chunks(1)),
            want,
            "{name} bytewise"
        );
        for at in 0..=wire.len() {
            let (a, b) = wire.split_at(at);
            assert_eq!(decode(kind, receiver, [a, b]), want, "{name} split {at}");
        }
    }
}

#[test]
fn padded_messages_strip_back_to_the_payload() {
    let mut checked = 0;
    for case in cases() {
        if kind(&case) != FramingKind::PaddedIntermediate {
            continue;
        }
        for f in case["frames"].as_array().unwrap() {
            if f["message"].as_bool() == Some(true) {
                let payload = hex_field(f, "payload");
                let received = [payload.clone(), hex_field(f, "padding")].concat();
                assert_eq!(strip_padded_intermediate_padding(&received), &payload[..]);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 2, "a plain and an encrypted message");
}
