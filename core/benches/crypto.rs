//! Throughput of the crypto core, with the ratio of each to AES-256-CBC
//! encryption of the same length measured in the same run: CBC encryption is
//! the serial-chain speed limit IGE shares (each block waits for the one
//! before). The RustCrypto `ige` crate is measured beside our IGE loop.
//!
//! `cargo bench -p mtproto-core --bench crypto` (or `make bench`). Under
//! `cargo test` each benchmark runs once as a smoke test and no table is
//! printed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::hint::black_box;

use common::{benchmarking, mean_ns};

use aes::Aes256;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use criterion::{BenchmarkId, Criterion, Throughput};
use mtproto_core::crypto::aes_ige::{ige_decrypt, ige_encrypt};
use mtproto_core::envelope::{
    MessageHeader, open_encrypted, seal_encrypted, seal_encrypted_with_padding,
};
use mtproto_core::{AuthKey, Direction, SeededRandom};

const KEY: [u8; 32] = [7; 32];
const IV: [u8; 32] = [9; 32];
const IGE_SIZES: [usize; 3] = [1024, 16 * 1024, 1024 * 1024];
const ENVELOPE_SIZES: [usize; 3] = [100, 1024, 64 * 1024];

fn cbc_encrypt(data: &mut [u8]) {
    let mut m = cbc::Encryptor::<Aes256>::new(&KEY.into(), &IV[..16].try_into().unwrap());
    for chunk in data.chunks_exact_mut(16) {
        m.encrypt_block(chunk.try_into().unwrap());
    }
}

fn rustcrypto_ige_encrypt(data: &mut [u8]) {
    let mut m = ige::Encryptor::<Aes256>::new(&KEY.into(), &IV.into());
    for chunk in data.chunks_exact_mut(16) {
        m.encrypt_block(chunk.try_into().unwrap());
    }
}

fn rustcrypto_ige_decrypt(data: &mut [u8]) {
    let mut m = ige::Decryptor::<Aes256>::new(&KEY.into(), &IV.into());
    for chunk in data.chunks_exact_mut(16) {
        m.decrypt_block(chunk.try_into().unwrap());
    }
}

type Op = fn(&mut [u8]);

fn bench_ige(c: &mut Criterion) {
    let ops: [(&str, Op); 5] = [
        ("cbc_encrypt", cbc_encrypt),
        ("ige_encrypt", |d| ige_encrypt(&KEY, &IV, d).unwrap()),
        ("ige_decrypt", |d| ige_decrypt(&KEY, &IV, d).unwrap()),
        ("rustcrypto_ige_encrypt", rustcrypto_ige_encrypt),
        ("rustcrypto_ige_decrypt", rustcrypto_ige_decrypt),
    ];
    let mut g = c.benchmark_group("aes");
    for size in IGE_SIZES.into_iter().chain(ENVELOPE_SIZES.map(padded_len)) {
        g.throughput(Throughput::Bytes(size as u64));
        let mut data = vec![0x5au8; size];
        for (name, op) in ops {
            if ENVELOPE_SIZES.map(padded_len).contains(&size) && name != "cbc_encrypt" {
                continue; // only the CBC reference is needed at envelope sizes
            }
            g.bench_with_input(BenchmarkId::new(name, size), &size, |b, _| {
                b.iter(|| op(black_box(&mut data)))
            });
        }
    }
    g.finish();
}

/// The encrypted length of an envelope with a body of `body` bytes and the
/// minimum padding: what CBC is compared against.
fn padded_len(body: usize) -> usize {
    (32 + body + 12).next_multiple_of(16)
}

fn bench_envelope(c: &mut Criterion) {
    let key = AuthKey::new(core::array::from_fn(|i| i as u8));
    let header = MessageHeader::default();
    let mut rng = SeededRandom::from_u64(1);
    let mut g = c.benchmark_group("envelope");
    for size in ENVELOPE_SIZES {
        let body = vec![1u8; size];
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_with_input(BenchmarkId::new("seal", size), &size, |b, _| {
            b.iter(|| seal_encrypted(&key, Direction::ClientToServer, &header, &body, &mut rng))
        });
        let pad = vec![0u8; padded_len(size) - 32 - size];
        let wire =
            seal_encrypted_with_padding(&key, Direction::ClientToServer, &header, &body, &pad)
                .unwrap();
        g.bench_with_input(BenchmarkId::new("open", size), &size, |b, _| {
            b.iter(|| open_encrypted(&key, Direction::ClientToServer, black_box(&wire)))
        });
    }
    g.finish();
}

fn print_ratios() {
    println!(
        "\n{:<34} {:>10} {:>12} {:>9}",
        "benchmark", "bytes", "MB/s", "× CBC"
    );
    let row = |label: String, group: &str, name: &str, size: usize, bytes: usize| {
        let cbc = mean_ns("aes", "cbc_encrypt", bytes);
        if let (Some(t), Some(cbc)) = (mean_ns(group, name, size), cbc) {
            let mbs = bytes as f64 / t * 1e3;
            println!("{label:<34} {bytes:>10} {mbs:>12.1} {:>9.3}", cbc / t);
        }
    };
    for size in IGE_SIZES {
        for name in [
            "cbc_encrypt",
            "ige_encrypt",
            "ige_decrypt",
            "rustcrypto_ige_encrypt",
            "rustcrypto_ige_decrypt",
        ] {
            row(format!("aes/{name}"), "aes", name, size, size);
        }
    }
    for size in ENVELOPE_SIZES {
        for name in ["seal", "open"] {
            row(
                format!("envelope/{name} (body {size})"),
                "envelope",
                name,
                size,
                padded_len(size),
            );
        }
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench_ige(&mut c);
    bench_envelope(&mut c);
    c.final_summary();
    if benchmarking() {
        print_ratios();
    }
}
