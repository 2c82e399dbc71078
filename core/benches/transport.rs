//! Throughput of the framing codecs: one iteration frames a payload on the
//! client side and decodes it on the server side, per framing, at 1 KiB and
//! 64 KiB. A plain copy of the payload is measured beside them as the
//! reference (the codecs copy each payload twice: into the frame and out of
//! it).
//!
//! `cargo bench -p mtproto-core --bench transport`. Under `cargo test` each
//! benchmark runs once as a smoke test and no table is printed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput};
use mtproto_core::SeededRandom;
use mtproto_core::transport::framing::FramingCodec;
use mtproto_core::transport::{DEFAULT_MAX_FRAME, FramingKind, Inbound, Role};

const SIZES: [usize; 2] = [1024, 64 * 1024];
const KINDS: [(&str, FramingKind); 4] = [
    ("abridged", FramingKind::Abridged),
    ("intermediate", FramingKind::Intermediate),
    ("padded_intermediate", FramingKind::PaddedIntermediate),
    ("full", FramingKind::Full),
];

fn bench_framing(c: &mut Criterion) {
    let mut rng = SeededRandom::from_u64(1);
    let mut g = c.benchmark_group("framing");
    for size in SIZES {
        let payload: Vec<u8> = (0..size).map(|i| (i % 251) as u8 | 1).collect();
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_with_input(BenchmarkId::new("copy", size), &size, |b, _| {
            b.iter(|| black_box(black_box(&payload).to_vec()))
        });
        for (name, kind) in KINDS {
            let mut client = FramingCodec::new(kind, Role::Client, DEFAULT_MAX_FRAME);
            let mut server = FramingCodec::new(kind, Role::Server, DEFAULT_MAX_FRAME);
            g.bench_with_input(BenchmarkId::new(name, size), &size, |b, _| {
                b.iter(|| {
                    let wire = client.encode_packet(&payload, false, &mut rng).unwrap();
                    server.feed(black_box(&wire)).unwrap();
                    match server.poll() {
                        Some(Inbound::Packet { payload, .. }) => black_box(payload),
                        other => panic!("{other:?}"),
                    }
                })
            });
        }
    }
    g.finish();
}

/// Mean time per iteration (ns) that criterion saved for one benchmark.
fn mean_ns(name: &str, size: usize) -> Option<f64> {
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").to_string());
    let path = format!("{target}/criterion/framing/{name}/{size}/new/estimates.json");
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    doc["mean"]["point_estimate"].as_f64()
}

fn print_table() {
    println!(
        "\n{:<34} {:>10} {:>12} {:>9}",
        "benchmark", "bytes", "MB/s", "× copy"
    );
    for size in SIZES {
        let copy = mean_ns("copy", size);
        for name in std::iter::once("copy").chain(KINDS.map(|(n, _)| n)) {
            if let (Some(t), Some(copy)) = (mean_ns(name, size), copy) {
                let mbs = size as f64 / t * 1e3;
                println!(
                    "{:<34} {size:>10} {mbs:>12.1} {:>9.3}",
                    format!("framing/{name}"),
                    copy / t
                );
            }
        }
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench_framing(&mut c);
    c.final_summary();
    if std::env::args().any(|a| a == "--bench") {
        print_table();
    }
}
