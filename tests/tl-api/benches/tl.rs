//! Encode and decode throughput of a large real API object, a
//! `messages.messages` with 100 messages (text of a typical length,
//! entities, reply headers, `from_id` peers), 20 users and 5 channels: the
//! generated types against the dynamic codec (JSON value ↔ bytes), with
//! the ratio generated / dynamic measured in the same run.
//!
//! `cargo bench -p mtproto-tl-api --bench tl`. Under `cargo test` each
//! benchmark runs once as a smoke test and no table is printed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput};
use mtproto_core::tl::dynamic::Codec;
use mtproto_core::tl::{Deserialize, Serialize};
use mtproto_tl_api::MessagesMessages;
use serde_json::{Value, json};

const GROUP: &str = "messages.messages";

/// About 110–330 characters of ordinary text, different per message.
fn text(i: usize) -> String {
    let words = [
        "the",
        "meeting",
        "moved",
        "to",
        "thursday",
        "afternoon",
        "please",
        "bring",
        "your",
        "notes",
        "and",
        "the",
        "draft",
        "budget",
        "for",
        "review",
        "thanks",
        "see",
        "you",
        "there",
        "👍",
    ];
    let n = 20 + (i * 7) % 40;
    (0..n)
        .map(|k| words[(i + k * 3) % words.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

fn message(i: usize) -> Value {
    let body = text(i);
    let len = body.encode_utf16().count() as i64;
    let mut m = json!({
        "_": "message",
        "out": i % 3 == 0,
        "id": 100_000 + i,
        "from_id": {"_": "peerUser", "user_id": (1_000_000 + (i % 20)).to_string()},
        "peer_id": {"_": "peerChannel", "channel_id": (2_000_000 + (i % 5)).to_string()},
        "date": 1_700_000_000 + 37 * i,
        "message": body,
        "entities": [
            {"_": "messageEntityBold", "offset": 0, "length": 3},
            {"_": "messageEntityTextUrl", "offset": 4, "length": 7,
             "url": "https://example.com/agenda"},
            {"_": "messageEntityMentionName", "offset": len - 5, "length": 5,
             "user_id": "1000003"},
        ],
        "views": 1000 + i,
        "forwards": i % 7,
    });
    if m["out"] == json!(false) {
        m.as_object_mut().unwrap().remove("out");
    }
    if i % 2 == 1 {
        m["reply_to"] = json!({
            "_": "messageReplyHeader",
            "reply_to_msg_id": 100_000 + i - 1,
            "reply_to_peer_id": {"_": "peerChannel", "channel_id": "2000001"},
        });
    }
    if i % 10 == 0 {
        m["edit_date"] = json!(1_700_000_100 + 37 * i);
    }
    m
}

fn user(i: usize) -> Value {
    json!({
        "_": "user",
        "contact": i % 4 == 0,
        "premium": i % 5 == 0,
        "id": (1_000_000 + i).to_string(),
        "access_hash": (0x1234_5678_9abc_def0_u64 as i64 ^ i as i64).to_string(),
        "first_name": format!("First{i}"),
        "last_name": format!("Lastname{i}"),
        "username": format!("user_{i}"),
        "photo": {"_": "userProfilePhoto", "photo_id": (5_000_000_000_i64 + i as i64).to_string(),
                  "stripped_thumb": "AQIDBAUGBwgJCgsMDQ4PEA==", "dc_id": 2},
        "status": {"_": "userStatusOffline", "was_online": 1_700_000_000 + i},
        "lang_code": "en",
        "color": {"_": "peerColor", "color": (i % 7) as i64},
    })
}

fn channel(i: usize) -> Value {
    json!({
        "_": "channel",
        "megagroup": true,
        "id": (2_000_000 + i).to_string(),
        "access_hash": (0x0fed_cba9_8765_4321_i64 ^ i as i64).to_string(),
        "title": format!("Project group {i}"),
        "username": format!("project_{i}"),
        "photo": {"_": "chatPhoto", "photo_id": (6_000_000_000_i64 + i as i64).to_string(),
                  "dc_id": 4},
        "date": 1_600_000_000 + i,
        "participants_count": 150 + i,
    })
}

/// The `messages.messages` value as JSON, with the true flags that are
/// false left out (the codec's decoded form).
fn history() -> Value {
    let mut v = json!({
        "_": "messages.messages",
        "messages": (0..100).map(message).collect::<Vec<_>>(),
        "topics": [],
        "chats": (0..5).map(channel).collect::<Vec<_>>(),
        "users": (0..20).map(user).collect::<Vec<_>>(),
    });
    strip_false(&mut v);
    v
}

fn strip_false(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| x != &Value::Bool(false));
            m.values_mut().for_each(strip_false);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_false),
        _ => {}
    }
}

fn codec() -> Codec {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema/api.tl");
    Codec::from_schema_text(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn bench(c: &mut Criterion) -> usize {
    let codec = codec();
    let json = history();
    let bytes = codec.encode(&json).unwrap();
    let typed = MessagesMessages::from_tl_bytes(&bytes).unwrap();
    // Both sides must mean the same thing before they are timed.
    assert_eq!(typed.to_tl_bytes(), bytes);
    assert_eq!(codec.decode(&bytes).unwrap(), json);

    let mut g = c.benchmark_group(GROUP);
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    let n = bytes.len();
    g.bench_with_input(BenchmarkId::new("generated_encode", n), &typed, |b, t| {
        b.iter(|| black_box(t).to_tl_bytes())
    });
    g.bench_with_input(BenchmarkId::new("dynamic_encode", n), &json, |b, j| {
        b.iter(|| codec.encode(black_box(j)).unwrap())
    });
    g.bench_with_input(BenchmarkId::new("generated_decode", n), &bytes, |b, x| {
        b.iter(|| MessagesMessages::from_tl_bytes(black_box(x)).unwrap())
    });
    g.bench_with_input(BenchmarkId::new("dynamic_decode", n), &bytes, |b, x| {
        b.iter(|| codec.decode(black_box(x)).unwrap())
    });
    g.finish();
    n
}

/// Mean time per iteration (ns) that criterion saved for one benchmark.
fn mean_ns(name: &str, size: usize) -> Option<f64> {
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../target").to_string());
    let path = format!("{target}/criterion/{GROUP}/{name}/{size}/new/estimates.json");
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    doc["mean"]["point_estimate"].as_f64()
}

fn print_table(size: usize) {
    println!(
        "\nmessages.messages: 100 messages, 20 users, 5 channels = {size} bytes of TL\n\
         {:<10} {:>16} {:>16} {:>20}",
        "", "generated MB/s", "dynamic MB/s", "generated/dynamic"
    );
    for op in ["encode", "decode"] {
        let generated = mean_ns(&format!("generated_{op}"), size);
        let dynamic = mean_ns(&format!("dynamic_{op}"), size);
        if let (Some(g), Some(d)) = (generated, dynamic) {
            let mbs = |t: f64| size as f64 / t * 1e3;
            println!(
                "{op:<10} {:>16.1} {:>16.1} {:>19.1}×",
                mbs(g),
                mbs(d),
                d / g
            );
        }
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let size = bench(&mut c);
    c.final_summary();
    if std::env::args().any(|a| a == "--bench") {
        print_table(size);
    }
}
