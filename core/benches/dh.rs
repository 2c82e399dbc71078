//! Diffie-Hellman and the proof of work of auth key creation
//! (`/mtproto/auth_key`), each with a reference measured in the same run:
//!
//! - `factorize_pq` (Pollard-Brent in Montgomery form) on Telegram-like pq
//!   (two primes in `[2^30, 2^31)`, pq about 2^60..2^62) against a textbook
//!   Pollard rho (Floyd's cycle detection, a gcd per step, `u128 %`), the
//!   way many clients write it;
//! - `g^b mod p` with our constant-time exponentiation (`public_from_secret`)
//!   and the whole `shared_secret` (range check plus `g_a^b mod p`) against
//!   `num-bigint`'s variable-time `modpow` on the same numbers;
//! - `DhGroup::new_checked` on Telegram's prime (recognized, no primality
//!   test) and on another safe prime (two BPSW tests), and `check_public`,
//!   shown as multiples of one constant-time `g^b`.
//!
//! `cargo bench -p mtproto-core --bench dh`. Under `cargo test` each
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

use criterion::{BenchmarkId, Criterion};
use mtproto_core::SeededRandom;
use mtproto_core::crypto::dh::{DhGroup, TELEGRAM_DH_PRIME};
use mtproto_core::crypto::factorize::{factorize_pq, generate_pq_primes};
use mtproto_core::rand::SecureRandom;
use num_bigint::BigUint;

const DH: &str = "dh";
const FACTOR: &str = "factorize";
/// The parameter criterion files the DH benchmarks under (the prime's size).
const BITS: usize = 2048;
/// The parameter of the factoring benchmarks (pq is below 2^62).
const PQ_BITS: usize = 62;
/// How many pq values one factoring iteration works through.
const PQ_COUNT: usize = 32;

/// A second 2048-bit safe prime (`openssl dhparam -2 2048`; g = 2 is valid
/// for it), so that `new_checked` runs its full primality test.
const OTHER_SAFE_PRIME: &str = concat!(
    "adb92ae72500577ef5e12105e1db97145ef76c7a2ccf5ce27cd0a0b3d7d87fe1",
    "5c80834f6bb8c5eb13a2d915d8c0b99e8a03a9d418686d71cc46932c0143e48b",
    "5a771c583a3344d1c84b4f2ac1dd21300ade94925ae7303ec6f245082ce46978",
    "6add4b7e1767b6f53dcdbc39232cd3111dd261384b64eeb9dc37b67d02ae4d52",
    "ce9edf60e15bc3429ef727aded1d717e17c1b215242995caf3f06838f965ed61",
    "dbceac9c499bdc4d6f7dcb6001041b211e66e14f4f4a82aea9e3567a9873f848",
    "5143db8a1e6349c7affef5d873612a407d091ac71f8ee4b764203fc3130345b5",
    "94e59d310b0f5e723a6cd22f35facc58cfffe8e77d986da59f3cb03180c4aee7",
);

/// Textbook Pollard rho: `x -> x^2 + c`, Floyd's tortoise and hare, one gcd
/// per step, `u128` remainder for every product. The reference.
fn reference_rho(n: u64) -> u64 {
    if n % 2 == 0 {
        return 2;
    }
    let mulmod = |a: u64, b: u64| (u128::from(a) * u128::from(b) % u128::from(n)) as u64;
    let gcd = |mut a: u64, mut b: u64| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    for c in 1.. {
        let f = |x: u64| (mulmod(x, x) + c) % n;
        let (mut x, mut y, mut d) = (2u64, 2u64, 1u64);
        while d == 1 {
            x = f(x);
            y = f(f(y));
            d = gcd(x.abs_diff(y), n);
        }
        if d != n {
            return d;
        }
    }
    unreachable!()
}

fn pq_values() -> Vec<u64> {
    let mut rng = SeededRandom::from_u64(1);
    (0..PQ_COUNT)
        .map(|_| {
            let (p, q) = generate_pq_primes(&mut rng).unwrap();
            u64::from(p) * u64::from(q)
        })
        .collect()
}

fn bench_factorize(c: &mut Criterion) {
    let pqs = pq_values();
    for &pq in &pqs {
        let (p, q) = factorize_pq(pq).unwrap();
        let d = reference_rho(pq);
        assert!(d == p || d == q);
    }
    let mut g = c.benchmark_group(FACTOR);
    g.bench_with_input(
        BenchmarkId::new("factorize_pq", PQ_BITS),
        &PQ_BITS,
        |b, _| {
            b.iter(|| {
                for &pq in &pqs {
                    black_box(factorize_pq(black_box(pq)).unwrap());
                }
            })
        },
    );
    g.bench_with_input(
        BenchmarkId::new("reference_rho", PQ_BITS),
        &PQ_BITS,
        |b, _| {
            b.iter(|| {
                for &pq in &pqs {
                    black_box(reference_rho(black_box(pq)));
                }
            })
        },
    );
    g.finish();
}

struct Fixture {
    group: DhGroup,
    other_prime: Vec<u8>,
    b: [u8; 256],
    g_a: [u8; 256],
    p: BigUint,
}

fn fixture() -> Fixture {
    let group = DhGroup::telegram();
    let mut rng = SeededRandom::from_u64(2);
    let (mut a, mut b) = ([0u8; 256], [0u8; 256]);
    rng.fill(&mut a).unwrap();
    rng.fill(&mut b).unwrap();
    let g_a = group.public_from_secret(&a);
    group.check_public(&g_a, "g_a").unwrap();
    Fixture {
        group,
        other_prime: hex::decode(OTHER_SAFE_PRIME).unwrap(),
        b,
        g_a,
        p: BigUint::from_bytes_be(&TELEGRAM_DH_PRIME),
    }
}

fn bench_dh(c: &mut Criterion, f: &Fixture) {
    let big_b = BigUint::from_bytes_be(&f.b);
    let big_g = BigUint::from(3u32);
    let big_g_a = BigUint::from_bytes_be(&f.g_a);
    assert_eq!(
        BigUint::from_bytes_be(&f.group.public_from_secret(&f.b)),
        big_g.modpow(&big_b, &f.p)
    );
    let mut g = c.benchmark_group(DH);
    g.bench_with_input(BenchmarkId::new("g_pow_b", BITS), &BITS, |b, _| {
        b.iter(|| f.group.public_from_secret(black_box(&f.b)))
    });
    g.bench_with_input(
        BenchmarkId::new("num_bigint_g_pow_b", BITS),
        &BITS,
        |b, _| b.iter(|| black_box(&big_g).modpow(&big_b, &f.p)),
    );
    g.bench_with_input(BenchmarkId::new("shared_secret", BITS), &BITS, |b, _| {
        b.iter(|| f.group.shared_secret(black_box(&f.g_a), &f.b, "g_a"))
    });
    g.bench_with_input(
        BenchmarkId::new("num_bigint_g_a_pow_b", BITS),
        &BITS,
        |b, _| b.iter(|| black_box(&big_g_a).modpow(&big_b, &f.p)),
    );
    g.bench_with_input(BenchmarkId::new("check_public", BITS), &BITS, |b, _| {
        b.iter(|| f.group.check_public(black_box(&f.g_a), "g_a"))
    });
    g.bench_with_input(
        BenchmarkId::new("new_checked_telegram", BITS),
        &BITS,
        |b, _| b.iter(|| DhGroup::new_checked(3, black_box(&TELEGRAM_DH_PRIME)).unwrap()),
    );
    // The full primality test takes milliseconds: fewer samples.
    g.sample_size(10);
    g.bench_with_input(
        BenchmarkId::new("new_checked_other_safe_prime", BITS),
        &BITS,
        |b, _| b.iter(|| DhGroup::new_checked(2, black_box(&f.other_prime)).unwrap()),
    );
    g.finish();
}

fn print_ratios() {
    let line = |group: &str, name: &str, size: usize, reference: &str, unit: f64| {
        if let (Some(t), Some(r)) = (mean_ns(group, name, size), mean_ns(group, reference, size)) {
            println!(
                "{:<34} {:>12.2} {:>12.0} {:>14.3}",
                format!("{group}/{name}"),
                t / unit / 1e3,
                1e9 * unit / t,
                r / t
            );
        }
    };
    println!(
        "\n{:<34} {:>12} {:>12} {:>14}",
        "benchmark (per pq)", "µs", "pq/s", "× reference"
    );
    let per_pq = PQ_COUNT as f64;
    line(FACTOR, "reference_rho", PQ_BITS, "reference_rho", per_pq);
    line(FACTOR, "factorize_pq", PQ_BITS, "reference_rho", per_pq);
    println!("(reference: Floyd rho with a gcd per step and u128 %; × > 1: faster)");
    println!(
        "\n{:<34} {:>12} {:>12} {:>14}",
        "benchmark", "µs", "ops/s", "× num-bigint"
    );
    line(DH, "num_bigint_g_pow_b", BITS, "num_bigint_g_pow_b", 1.0);
    line(DH, "g_pow_b", BITS, "num_bigint_g_pow_b", 1.0);
    line(
        DH,
        "num_bigint_g_a_pow_b",
        BITS,
        "num_bigint_g_a_pow_b",
        1.0,
    );
    line(DH, "shared_secret", BITS, "num_bigint_g_a_pow_b", 1.0);
    println!("(num-bigint modpow is variable time; ours is constant time in b)");
    println!(
        "\n{:<34} {:>12} {:>12} {:>14}",
        "benchmark", "µs", "ops/s", "× g_pow_b"
    );
    for name in [
        "check_public",
        "new_checked_telegram",
        "new_checked_other_safe_prime",
    ] {
        line(DH, name, BITS, "g_pow_b", 1.0);
    }
    println!("(× > 1: cheaper than one constant-time g^b)");
}

fn main() {
    let f = fixture();
    let mut c = Criterion::default().configure_from_args();
    bench_factorize(&mut c);
    bench_dh(&mut c, &f);
    c.final_summary();
    if benchmarking() {
        print_ratios();
    }
}
