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

mod common;

use std::hint::black_box;

use common::{benchmarking, mean_ns};

use criterion::{BenchmarkId, Criterion, Throughput};
use mtproto_core::SeededRandom;
use mtproto_core::UnixMillis;
use mtproto_core::transport::framing::FramingCodec;
use mtproto_core::transport::{
    ClientTransport, ClientTransportConfig, DEFAULT_MAX_FRAME, FramingKind, Inbound, ProxySecret,
    Role, ServerTransport, ServerTransportConfig, TransportKind,
};

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

/// Whole transports (client send → server receive), obfuscated and not.
type ConfigFn = fn() -> ClientTransportConfig;
const TRANSPORTS: [(&str, ConfigFn); 6] = [
    ("plain_abridged", || {
        ClientTransportConfig::new(TransportKind::Framed(FramingKind::Abridged))
    }),
    ("obfuscated_abridged", || {
        obfuscated(FramingKind::Abridged, None)
    }),
    ("obfuscated_intermediate", || {
        obfuscated(FramingKind::Intermediate, None)
    }),
    ("obfuscated_padded", || {
        obfuscated(FramingKind::PaddedIntermediate, None)
    }),
    ("fake_tls_padded", || {
        obfuscated(FramingKind::PaddedIntermediate, Some(fake_tls_secret()))
    }),
    ("http", || {
        let mut c = ClientTransportConfig::new(TransportKind::Http);
        c.http_host = "127.0.0.1".into();
        c
    }),
];

fn fake_tls_secret() -> ProxySecret {
    ProxySecret::fake_tls([5; 16], "example.com").unwrap()
}

fn obfuscated(kind: FramingKind, secret: Option<ProxySecret>) -> ClientTransportConfig {
    let mut c = ClientTransportConfig::new(TransportKind::Framed(kind));
    c.obfuscate = true;
    c.secret = secret;
    c
}

fn bench_transports(c: &mut Criterion) {
    const NOW: UnixMillis = UnixMillis(1_705_754_877_000);
    let mut g = c.benchmark_group("transport");
    for size in SIZES {
        let payload: Vec<u8> = (0..size).map(|i| (i % 251) as u8 | 1).collect();
        g.throughput(Throughput::Bytes(size as u64));
        for (name, config) in TRANSPORTS {
            let mut client =
                ClientTransport::new(config(), Box::new(SeededRandom::from_u64(1)), NOW).unwrap();
            let server_config = ServerTransportConfig {
                secrets: vec![fake_tls_secret()],
                ..Default::default()
            };
            let mut server =
                ServerTransport::new(server_config, Box::new(SeededRandom::from_u64(2))).unwrap();
            // Handshake: the first bytes, and for fake TLS the server's answer.
            while let Some(b) = client.poll_transmit() {
                server.handle_input(&b, NOW).unwrap();
            }
            while let Some(b) = server.poll_transmit() {
                client.handle_input(&b).unwrap();
            }
            let http = name == "http";
            g.bench_with_input(BenchmarkId::new(name, size), &size, |b, _| {
                b.iter(|| {
                    client.send(black_box(&payload), false).unwrap();
                    while let Some(bytes) = client.poll_transmit() {
                        server.handle_input(&bytes, NOW).unwrap();
                    }
                    let got = match server.poll_inbound() {
                        Some(Inbound::Packet { payload, .. }) => black_box(payload),
                        other => panic!("{other:?}"),
                    };
                    if http {
                        // Each HTTP request is answered before the next.
                        server.send(&[0, 0, 0, 0]).unwrap();
                        while let Some(b) = server.poll_transmit() {
                            client.handle_input(&b).unwrap();
                        }
                        let _ = client.poll_inbound();
                    }
                    got
                })
            });
        }
    }
    g.finish();
}

fn print_table() {
    println!(
        "\n{:<34} {:>10} {:>12} {:>9}",
        "benchmark", "bytes", "MB/s", "× copy"
    );
    for size in SIZES {
        let copy = mean_ns("framing", "copy", size);
        let rows = std::iter::once(("framing", "copy"))
            .chain(KINDS.map(|(n, _)| ("framing", n)))
            .chain(TRANSPORTS.map(|(n, _)| ("transport", n)));
        for (group, name) in rows {
            if let (Some(t), Some(copy)) = (mean_ns(group, name, size), copy) {
                let mbs = size as f64 / t * 1e3;
                println!(
                    "{:<34} {size:>10} {mbs:>12.1} {:>9.3}",
                    format!("{group}/{name}"),
                    copy / t
                );
            }
        }
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench_framing(&mut c);
    bench_transports(&mut c);
    c.final_summary();
    if benchmarking() {
        print_table();
    }
}
