//! CPU time of a whole auth key exchange (`/mtproto/auth_key`), per role,
//! and the operations it is made of, measured in the same run:
//!
//! - `client`: the client's four steps of one exchange (req_pq_multi;
//!   resPQ → factorize pq, RSA_PAD; server_DH_params_ok → decrypt, check
//!   the Telegram prime and g_a, g^b and g_a^b; dh_gen_ok);
//! - `server`: the server's three steps (resPQ with fresh primes;
//!   req_DH_params → RSA private decrypt, g^a; set_client_DH_params →
//!   g_b^a), with the key store;
//! - the parts: `factorize_pq`, `rsa_pad_encrypt` (public op),
//!   `rsa_private_decrypt` (constant time), `dh_modexp` (one constant-time
//!   2048-bit exponentiation).
//!
//! Client and server run against each other; each benchmark times only its
//! own role's calls (`iter_custom`). The table printed at the end gives the
//! median of each and the share of the parts in each role's time.
//!
//! `cargo bench -p mtproto-core --bench handshake`. Under `cargo test` each
//! benchmark runs once as a smoke test and no table is printed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{benchmarking, median_ns};

use criterion::{BenchmarkId, Criterion};
use mtproto_core::auth::{
    AuthKeyStore, ClientHandshake, ClientHandshakeConfig, KeyType, ServerHandshake,
    ServerHandshakeConfig,
};
use mtproto_core::crypto::dh::DhGroup;
use mtproto_core::crypto::factorize::factorize_pq;
use mtproto_core::crypto::rsa::{RsaPrivateKey, rsa_pad_encrypt};
use mtproto_core::{SeededRandom, UnixMillis};

const GROUP: &str = "handshake";
/// criterion's parameter for every benchmark here (the key size in bits).
const BITS: usize = 2048;
const NOW: UnixMillis = UnixMillis(1_735_689_600_000);

/// The committed test key of tests/vectors (2048-bit, e = 65537).
fn server_key() -> RsaPrivateKey {
    let pem = include_str!("../../tests/vectors/rsa_test_key.pem");
    RsaPrivateKey::from_pem(pem).unwrap()
}

/// Time spent in the client's and in the server's calls during one exchange.
fn one_exchange(key: &RsaPrivateKey, seed: u64) -> (Duration, Duration) {
    let client_cfg = ClientHandshakeConfig {
        rsa_keys: vec![key.public_key()],
        dc_id: 2,
        key_type: KeyType::Permanent,
    };
    let server_cfg = Arc::new(ServerHandshakeConfig::new(vec![key.clone()]));
    let mut client = ClientHandshake::new(client_cfg, Box::new(SeededRandom::from_u64(seed)));
    let mut server = ServerHandshake::new(server_cfg, Box::new(SeededRandom::from_u64(!seed)));
    let mut keys = AuthKeyStore::new();
    let (mut in_client, mut in_server) = (Duration::ZERO, Duration::ZERO);
    let t = Instant::now();
    let mut to_server = client.start().unwrap();
    in_client += t.elapsed();
    loop {
        let t = Instant::now();
        let to_client = server.handle(&to_server, NOW, &mut keys).unwrap();
        in_server += t.elapsed();
        let t = Instant::now();
        let next = client.handle(&to_client, NOW).unwrap();
        in_client += t.elapsed();
        match next {
            Some(body) => to_server = body,
            None => break,
        }
    }
    assert!(client.is_done() && server.is_done());
    (in_client, in_server)
}

fn bench(c: &mut Criterion) {
    let key = server_key();
    let mut g = c.benchmark_group(GROUP);
    g.sample_size(10);
    let mut seed = 0u64;
    for (name, pick_client) in [("client", true), ("server", false)] {
        g.bench_with_input(BenchmarkId::new(name, BITS), &key, |b, key| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    seed += 1;
                    let (c, s) = one_exchange(key, seed);
                    total += if pick_client { c } else { s };
                }
                total
            })
        });
    }
    // The parts, on the same machine in the same run.
    let pq = 1_468_428_376_148_703_121u64;
    g.bench_with_input(BenchmarkId::new("factorize_pq", BITS), &pq, |b, pq| {
        b.iter(|| factorize_pq(black_box(*pq)).unwrap())
    });
    let public = key.public_key();
    let data = [0x5au8; 100];
    let mut rng = SeededRandom::from_u64(1);
    g.bench_with_input(BenchmarkId::new("rsa_pad_encrypt", BITS), &data, |b, d| {
        b.iter(|| rsa_pad_encrypt(&public, black_box(d), &mut rng).unwrap())
    });
    let encrypted = rsa_pad_encrypt(&public, &data, &mut rng).unwrap();
    g.bench_with_input(
        BenchmarkId::new("rsa_private_decrypt", BITS),
        &encrypted,
        |b, e| b.iter(|| key.decrypt_raw(black_box(e)).unwrap()),
    );
    let group = DhGroup::telegram();
    g.bench_with_input(
        BenchmarkId::new("dh_modexp", BITS),
        &[0x77u8; 256],
        |b, x| b.iter(|| group.public_from_secret(black_box(x))),
    );
    g.finish();
}

fn print_table() {
    let ms = |name: &str| median_ns(GROUP, name, BITS).map(|ns| ns / 1e6);
    let (Some(client), Some(server)) = (ms("client"), ms("server")) else {
        return;
    };
    println!("\nauth key exchange, CPU time per exchange (median):");
    println!("  client {client:8.2} ms   server {server:8.2} ms");
    let parts = [
        ("factorize_pq", 1.0, 0.0),
        ("rsa_pad_encrypt", 1.0, 0.0),
        ("rsa_private_decrypt", 0.0, 1.0),
        // The client computes g^b and g_a^b; the server g^a and g_b^a.
        ("dh_modexp", 2.0, 2.0),
    ];
    println!("  part                  median ms   share of client   share of server");
    for (name, in_client, in_server) in parts {
        if let Some(t) = ms(name) {
            println!(
                "  {name:<20} {t:10.3}   {:14.1}%   {:14.1}%",
                100.0 * in_client * t / client,
                100.0 * in_server * t / server
            );
        }
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
    if benchmarking() {
        print_table();
    }
}
