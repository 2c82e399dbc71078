//! RSA for auth key creation (`/mtproto/auth_key`), with the ratio of each
//! operation to `num-bigint`'s `modpow` on the same numbers, measured in the
//! same run:
//!
//! - the client's RSA_PAD encryption (SHA-256, AES-IGE and `x^e mod n`, the
//!   variable-time public exponentiation) and the old scheme (SHA-1 and
//!   `x^e mod n`) against `num-bigint` `x^e mod n`;
//! - the server's `decrypt_raw` (`c^d mod n`, constant time in `d`) and the
//!   whole RSA_PAD decryption against `num-bigint` `c^d mod n` (variable time);
//! - key generation (two 1024-bit primes), timed over a few seeds.
//!
//! `cargo bench -p mtproto-core --bench rsa`. Under `cargo test` each
//! benchmark runs once as a smoke test and no table is printed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use common::{benchmarking, mean_ns};

use criterion::{BenchmarkId, Criterion};
use mtproto_core::SeededRandom;
use mtproto_core::crypto::rsa::{
    RsaPrivateKey, old_scheme_encrypt_with, rsa_pad_decrypt, rsa_pad_encrypt_with,
};
use num_bigint::BigUint;
use pkcs1::RsaPrivateKeyRef;
use pkcs1::der::{Decode, SecretDocument};

const GROUP: &str = "rsa";
/// The parameter criterion files every benchmark under (the key size).
const BITS: usize = 2048;
/// A typical p_q_inner_data_dc is 96 bytes.
const DATA: [u8; 96] = [0x5a; 96];
/// Seeds of the keys generated for the key-generation timing.
const KEYGEN_SEEDS: u64 = 6;

struct Fixture {
    key: RsaPrivateKey,
    n: BigUint,
    e: BigUint,
    d: BigUint,
    temp_key: [u8; 32],
    encrypted: [u8; 256],
    keygen: Duration,
}

fn fixture() -> Fixture {
    let start = Instant::now();
    let key = RsaPrivateKey::generate(&mut SeededRandom::from_u64(0)).unwrap();
    let keygen = start.elapsed();
    let (_, doc) = SecretDocument::from_pem(&key.to_pem()).unwrap();
    let k = RsaPrivateKeyRef::from_der(doc.as_bytes()).unwrap();
    let big = |u: pkcs1::UintRef<'_>| BigUint::from_bytes_be(u.as_bytes());
    let (n, e, d) = (
        big(k.modulus),
        big(k.public_exponent),
        big(k.private_exponent),
    );
    // A temp_key whose key_aes_encrypted is below n, so every iteration does
    // the whole encryption.
    let public = key.public_key();
    let padding = [0u8; 192 - DATA.len()];
    let (temp_key, encrypted) = (0..=255u8)
        .find_map(|i| {
            let tk = [i; 32];
            rsa_pad_encrypt_with(&public, &DATA, &padding, &tk)
                .unwrap()
                .map(|enc| (tk, enc))
        })
        .unwrap();
    Fixture {
        key,
        n,
        e,
        d,
        temp_key,
        encrypted,
        keygen,
    }
}

fn bench_rsa(c: &mut Criterion, f: &Fixture) {
    let public = f.key.public_key();
    let padding = [0u8; 192 - DATA.len()];
    let old_padding = [0u8; 235 - DATA.len()];
    let x = BigUint::from_bytes_be(&f.encrypted);
    let mut g = c.benchmark_group(GROUP);
    g.bench_with_input(BenchmarkId::new("rsa_pad_encrypt", BITS), &BITS, |b, _| {
        b.iter(|| rsa_pad_encrypt_with(&public, black_box(&DATA), &padding, &f.temp_key))
    });
    g.bench_with_input(
        BenchmarkId::new("old_scheme_encrypt", BITS),
        &BITS,
        |b, _| b.iter(|| old_scheme_encrypt_with(&public, black_box(&DATA), &old_padding)),
    );
    g.bench_with_input(
        BenchmarkId::new("num_bigint_modpow_e", BITS),
        &BITS,
        |b, _| b.iter(|| black_box(&x).modpow(&f.e, &f.n)),
    );
    g.bench_with_input(BenchmarkId::new("decrypt_raw", BITS), &BITS, |b, _| {
        b.iter(|| f.key.decrypt_raw(black_box(&f.encrypted)))
    });
    g.bench_with_input(BenchmarkId::new("rsa_pad_decrypt", BITS), &BITS, |b, _| {
        b.iter(|| rsa_pad_decrypt(&f.key, black_box(&f.encrypted)))
    });
    g.bench_with_input(
        BenchmarkId::new("num_bigint_modpow_d", BITS),
        &BITS,
        |b, _| b.iter(|| black_box(&x).modpow(&f.d, &f.n)),
    );
    g.finish();
}

/// Key generation is too slow and too variable (prime gaps) for criterion's
/// sampling; time a few seeds instead (only when benchmarking).
fn time_keygen(first: Duration) -> Vec<Duration> {
    let mut times = vec![first];
    for seed in 1..KEYGEN_SEEDS {
        let start = Instant::now();
        black_box(RsaPrivateKey::generate(&mut SeededRandom::from_u64(seed)).unwrap());
        times.push(start.elapsed());
    }
    times
}

fn print_ratios(keygen: &[Duration]) {
    println!(
        "\n{:<28} {:>12} {:>10} {:>20}",
        "benchmark", "µs", "ops/s", "× num-bigint modpow"
    );
    let row = |name: &str, reference: &str| {
        if let (Some(t), Some(r)) = (mean_ns(GROUP, name, BITS), mean_ns(GROUP, reference, BITS)) {
            println!(
                "{:<28} {:>12.1} {:>10.0} {:>20.3}",
                format!("{GROUP}/{name}"),
                t / 1e3,
                1e9 / t,
                r / t
            );
        }
    };
    for name in [
        "num_bigint_modpow_e",
        "rsa_pad_encrypt",
        "old_scheme_encrypt",
    ] {
        row(name, "num_bigint_modpow_e");
    }
    for name in ["num_bigint_modpow_d", "decrypt_raw", "rsa_pad_decrypt"] {
        row(name, "num_bigint_modpow_d");
    }
    println!("(× > 1: faster than num-bigint; e ops vs modpow with e, d ops vs modpow with d)");
    let ms: Vec<f64> = keygen.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    let mean = ms.iter().sum::<f64>() / ms.len() as f64;
    let (min, max) = ms
        .iter()
        .fold((f64::MAX, 0f64), |(lo, hi), &x| (lo.min(x), hi.max(x)));
    println!(
        "rsa/generate (2048-bit, {} seeds): mean {mean:.0} ms, min {min:.0} ms, max {max:.0} ms",
        ms.len()
    );
}

fn main() {
    let f = fixture();
    let mut c = Criterion::default().configure_from_args();
    bench_rsa(&mut c, &f);
    c.final_summary();
    if benchmarking() {
        print_ratios(&time_keygen(f.keygen));
    }
}
