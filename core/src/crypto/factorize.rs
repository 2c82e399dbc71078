//! The handshake's proof of work: factoring `pq` (`/mtproto/auth_key`,
//! "Proof of work").
//!
//! The server sends `pq`, a product of two distinct primes below 2^63, in
//! `resPQ`; the client answers with `p < q` in `p_q_inner_data`. The server
//! side draws the two primes with [`generate_pq_primes`].
//!
//! Factoring is Pollard's rho with Brent's cycle detection and batched gcds,
//! in Montgomery arithmetic on `u64`, after trial division by small odd
//! numbers. It is deterministic (the polynomial constants are tried in order
//! `c = 1, 2, 3, ...`, no RNG) and its work is bounded: each constant gets a
//! capped number of steps, and if every constant fails, Lehman's method, which
//! is proven to find a factor in `O(n^(1/3))` steps, finishes the job. So
//! every `pq < 2^63` gets its exact answer, and the worst case stays well
//! under a second, whatever the server sends.

use crate::error::AuthError;
use crate::rand::SecureRandom;

/// The message for every `pq` that is not `p * q` with distinct primes.
const NOT_TWO_PRIMES: &str = "not a product of two distinct primes";

/// Trial division covers odd divisors below this before rho starts, so rho
/// only sees odd numbers without tiny factors (Montgomery needs odd moduli).
const TRIAL_LIMIT: u64 = 1 << 10;

/// Rho's cycle length is doubled up to this bound per constant `c`. A factor
/// `p < 2^31.5` is found after about `sqrt(pi * p / 2) ~ 2^16` steps on
/// average; `2^20` is 16 times that, so a constant runs out only with
/// probability around `e^-180` under the random-mapping heuristic.
const RHO_MAX_CYCLE: u64 = 1 << 20;

/// How many constants `c` rho tries before Lehman's method takes over.
const RHO_CONSTANTS: u64 = 8;

/// Steps between two gcds in Brent's loop (the batched product of
/// differences).
const RHO_BATCH: u64 = 128;

/// Factor the `pq` of `resPQ` into `(p, q)` with `p < q`, `p * q == pq` and
/// both prime (`/mtproto/auth_key`, "Proof of work").
///
/// Call it on the value [`pq_from_bytes`] returned; put `p` and `q` into
/// `p_q_inner_data` as big-endian strings.
///
/// # Errors
///
/// [`AuthError::InvalidPq`] when `pq >= 2^63`, or when `pq` is not a product
/// of two distinct primes (0, 1, a prime, a prime square, a product of three
/// or more primes).
pub fn factorize_pq(pq: u64) -> Result<(u64, u64), AuthError> {
    if pq >= 1 << 63 {
        return Err(AuthError::InvalidPq("pq must be below 2^63"));
    }
    // 6 = 2 * 3 is the smallest valid value; below it nothing factors.
    if pq < 6 || is_prime_u64(pq) {
        return Err(AuthError::InvalidPq(NOT_TWO_PRIMES));
    }
    let d = find_factor(pq).ok_or(AuthError::InvalidPq(NOT_TWO_PRIMES))?;
    let e = pq / d;
    let (p, q) = if d < e { (d, e) } else { (e, d) };
    if p == q || p.checked_mul(q) != Some(pq) || !is_prime_u64(p) || !is_prime_u64(q) {
        return Err(AuthError::InvalidPq(NOT_TWO_PRIMES));
    }
    Ok((p, q))
}

/// Read the TL `pq:string` of `resPQ`: a big-endian number of at most 8
/// bytes (leading zeros allowed), which must be above 3 and below 2^63
/// (`/mtproto/auth_key`: "pq < 2^63").
///
/// # Errors
///
/// [`AuthError::InvalidPq`] when the string is longer than 8 bytes or the
/// value is out of range.
pub fn pq_from_bytes(pq_be: &[u8]) -> Result<u64, AuthError> {
    if pq_be.len() > 8 {
        return Err(AuthError::InvalidPq("pq is longer than 8 bytes"));
    }
    let value = pq_be.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    if value >= 1 << 63 {
        return Err(AuthError::InvalidPq("pq must be below 2^63"));
    }
    if value <= 3 {
        return Err(AuthError::InvalidPq("pq must be greater than 3"));
    }
    Ok(value)
}

/// Whether `n` is prime, exactly, for every `u64`: trial division by the
/// first twelve primes, then strong Miller-Rabin tests with those twelve
/// primes as bases, which have no common strong pseudoprime below
/// 3.18 * 10^23 (Sorenson and Webster, 2015), far beyond `u64`.
pub fn is_prime_u64(n: u64) -> bool {
    const BASES: [u64; 12] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];
    if n < 2 {
        return false;
    }
    for p in BASES {
        if n % p == 0 {
            return n == p;
        }
    }
    // n is odd and above 37: write n - 1 = d * 2^s with d odd.
    let s = (n - 1).trailing_zeros();
    let d = (n - 1) >> s;
    'bases: for a in BASES {
        let mut x = pow_mod_u64(a, d, n);
        if x == 1 || x == n - 1 {
            continue;
        }
        for _ in 1..s {
            x = mul_mod_u64(x, x, n);
            if x == n - 1 {
                continue 'bases;
            }
        }
        return false;
    }
    true
}

/// Server side: two distinct random primes `p < q` in `[2^30, 2^31)`, so
/// that `pq = p * q` lies in `[2^60, 2^62)`, like the values Telegram's
/// servers send (`/mtproto/auth_key`, "Proof of work").
///
/// Candidates are random odd numbers in the range, redrawn until one is prime
/// (about one in eleven is); the draws are capped so a broken random source
/// cannot loop forever.
///
/// # Errors
///
/// [`AuthError::Crypto`] when the random source fails, and
/// [`AuthError::InvalidPq`] if no prime turned up within the cap (only a
/// broken random source gets there: the chance is below 2^-100).
pub fn generate_pq_primes(rng: &mut dyn SecureRandom) -> Result<(u32, u32), AuthError> {
    // A draw is prime with probability about 2 / ln(2^31) ~ 1/10.7; 1024
    // draws all fail with probability (1 - 1/10.7)^1024 < 2^-140.
    const MAX_DRAWS: u32 = 1024;
    let mut found: Option<u32> = None;
    for _ in 0..MAX_DRAWS {
        let mut buf = [0u8; 4];
        rng.fill(&mut buf)?;
        // Top bit 30 set, bit 31 clear, odd: a number in [2^30, 2^31).
        let candidate = (u32::from_le_bytes(buf) & 0x3fff_ffff) | 0x4000_0001;
        if !is_prime_u64(u64::from(candidate)) {
            continue;
        }
        match found {
            None => found = Some(candidate),
            Some(first) if first != candidate => {
                return Ok((first.min(candidate), first.max(candidate)));
            }
            Some(_) => {}
        }
    }
    Err(AuthError::InvalidPq(
        "the random source gave no prime for pq within the draw limit",
    ))
}

/// `a * b mod n` through a 128-bit product (any `n > 0`).
fn mul_mod_u64(a: u64, b: u64, n: u64) -> u64 {
    let r = u128::from(a) * u128::from(b) % u128::from(n);
    // r < n, so it fits.
    r as u64
}

/// `base^exp mod n` by square-and-multiply (public values only).
fn pow_mod_u64(base: u64, mut exp: u64, n: u64) -> u64 {
    let mut result = 1 % n;
    let mut b = base % n;
    while exp > 0 {
        if exp & 1 == 1 {
            result = mul_mod_u64(result, b, n);
        }
        b = mul_mod_u64(b, b, n);
        exp >>= 1;
    }
    result
}

/// Binary gcd.
fn gcd(mut a: u64, mut b: u64) -> u64 {
    if a == 0 {
        return b;
    }
    if b == 0 {
        return a;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            core::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
    }
}

/// A nontrivial factor of a composite `n` in `6..2^63`, or `None` when `n`
/// has none (it is prime).
fn find_factor(n: u64) -> Option<u64> {
    if n % 2 == 0 {
        return Some(2);
    }
    let mut d = 3;
    while d < TRIAL_LIMIT {
        if n % d == 0 && d < n {
            return Some(d);
        }
        d += 2;
    }
    (1..=RHO_CONSTANTS)
        .find_map(|c| brent(n, c))
        .or_else(|| lehman(n))
}

/// Montgomery arithmetic modulo an odd `n < 2^63`, with `R = 2^64`.
///
/// The bound on `n` keeps `REDC`'s sum `t + m * n < 2^126 + 2^127` inside
/// `u128`.
struct Montgomery {
    n: u64,
    /// `-n^-1 mod 2^64`.
    n_neg_inv: u64,
}

impl Montgomery {
    fn new(n: u64) -> Self {
        // Newton's iteration doubles the correct low bits each step:
        // n * n ≡ 1 mod 8 (3 bits) for odd n, then 6, 12, 24, 48, 96 bits.
        let mut inv = n;
        for _ in 0..5 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(n.wrapping_mul(inv)));
        }
        Montgomery {
            n,
            n_neg_inv: inv.wrapping_neg(),
        }
    }

    /// `a * b * R^-1 mod n` for `a, b < n`.
    fn mul(&self, a: u64, b: u64) -> u64 {
        let t = u128::from(a) * u128::from(b);
        let m = (t as u64).wrapping_mul(self.n_neg_inv);
        let u = ((t + u128::from(m) * u128::from(self.n)) >> 64) as u64;
        if u >= self.n { u - self.n } else { u }
    }

    /// `x` in Montgomery form (`x * R mod n`).
    fn to_mont(&self, x: u64) -> u64 {
        ((u128::from(x) << 64) % u128::from(self.n)) as u64
    }
}

/// Pollard's rho with Brent's cycle detection, `f(x) = x^2 + c`, gcds
/// batched every [`RHO_BATCH`] steps (Brent, "An improved Monte Carlo
/// factorization algorithm", 1980). `n` must be odd and below 2^63. Returns
/// a nontrivial factor, or `None` when this `c` hit [`RHO_MAX_CYCLE`] or
/// only found `n` itself.
///
/// The whole walk stays in Montgomery form: the map is then
/// `x -> x^2 * R^-1 + c'`, still a pseudo-random quadratic map, and since
/// `R` is a unit modulo `n` the gcds are the same.
fn brent(n: u64, c: u64) -> Option<u64> {
    let mont = Montgomery::new(n);
    let c = mont.to_mont(c % n);
    let f = |x: u64| {
        // x^2 R^-1 < n and c < n < 2^63: the sum cannot overflow.
        let y = mont.mul(x, x) + c;
        if y >= n { y - n } else { y }
    };
    let mut y = mont.to_mont(2);
    let mut x = y;
    let mut ys = y;
    let mut q = mont.to_mont(1);
    let mut g = 1;
    let mut r: u64 = 1;
    while g == 1 {
        x = y;
        for _ in 0..r {
            y = f(y);
        }
        let mut k = 0;
        while k < r && g == 1 {
            ys = y;
            for _ in 0..RHO_BATCH.min(r - k) {
                y = f(y);
                q = mont.mul(q, x.abs_diff(y));
            }
            g = gcd(q, n);
            k += RHO_BATCH;
        }
        if g == 1 {
            r *= 2;
            if r > RHO_MAX_CYCLE {
                return None;
            }
        }
    }
    if g == n {
        // The batch overshot (every factor closed its cycle in it, or q hit
        // 0): replay it one step at a time from its start. The batch was at
        // most RHO_BATCH steps, so the replay is too.
        g = 1;
        for _ in 0..RHO_BATCH {
            ys = f(ys);
            g = gcd(x.abs_diff(ys), n);
            if g != 1 {
                break;
            }
        }
    }
    (g != 1 && g != n).then_some(g)
}

/// Lehman's method (R. S. Lehman, "Factoring large integers", 1974): for
/// odd `n` below 2^63 it finds a factor in `O(n^(1/3))` steps, or proves `n`
/// prime. After trial division up to `n^(1/3)`, a composite `n` has a
/// representation `a^2 - 4kn = b^2` with `1 <= k <= n^(1/3)` and
/// `sqrt(4kn) <= a <= sqrt(4kn) + n^(1/6) / (4 sqrt(k))`, and `gcd(a + b, n)`
/// is a factor.
///
/// Rho almost never fails; this fallback makes the worst case certain (about
/// 2^22 cheap steps for `n` near 2^63).
fn lehman(n: u64) -> Option<u64> {
    if n < 9 || n % 2 == 0 {
        return (n >= 4 && n % 2 == 0).then_some(2);
    }
    let cbrt = icbrt(n);
    let mut d = 3;
    while d <= cbrt + 1 {
        if n % d == 0 && d < n {
            return Some(d);
        }
        d += 2;
    }
    let n128 = u128::from(n);
    let sixth = (n as f64).powf(1.0 / 6.0);
    for k in 1..=cbrt + 1 {
        // 4kn < 4 * 2^21 * 2^63 = 2^86: fits u128, and its root fits u64.
        let four_kn = 4 * u128::from(k) * n128;
        let root = isqrt_u128(four_kn);
        let a_min = if root * root == four_kn {
            root
        } else {
            root + 1
        };
        // The width is a float; two extra values cover its rounding.
        let width = (sixth / (4.0 * (k as f64).sqrt())) as u128 + 2;
        for a in a_min..=root + width {
            let b2 = a * a - four_kn;
            let b = isqrt_u128(b2);
            if b * b == b2 {
                // a + b < 2^45 here; reduce it modulo n for the gcd.
                let g = gcd(((a + b) % n128) as u64, n);
                if g != 1 && g != n {
                    return Some(g);
                }
            }
        }
    }
    None
}

/// `floor(sqrt(x))` for `x < 2^100`: a float estimate, then exact fixes.
fn isqrt_u128(x: u128) -> u128 {
    let mut r = (x as f64).sqrt() as u128;
    while r * r > x {
        r -= 1;
    }
    while (r + 1) * (r + 1) <= x {
        r += 1;
    }
    r
}

/// `floor(cbrt(n))`: a float estimate, then exact fixes.
fn icbrt(n: u64) -> u64 {
    let n128 = u128::from(n);
    let mut r = u128::from((n as f64).cbrt() as u64);
    while r * r * r > n128 {
        r -= 1;
    }
    while (r + 1) * (r + 1) * (r + 1) <= n128 {
        r += 1;
    }
    // r^3 <= n < 2^64, so r < 2^22.
    r as u64
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
mod tests {
    use super::*;
    use crate::rand::SeededRandom;

    /// A small deterministic generator for test inputs (splitmix64).
    struct Mix(u64);

    impl Mix {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        /// A random prime in `[lo, hi)` (`hi - lo` large enough to hold one).
        fn prime_in(&mut self, lo: u64, hi: u64) -> u64 {
            loop {
                let x = lo + self.next() % (hi - lo);
                if is_prime_u64(x) {
                    return x;
                }
            }
        }
    }

    fn slow_is_prime(n: u64) -> bool {
        n >= 2 && (2..).take_while(|d| d * d <= n).all(|d| n % d != 0)
    }

    #[test]
    fn spec_example() {
        // /mtproto/samples-auth_key: resPQ's pq string 08 1460e7d3fa727791.
        let pq = pq_from_bytes(&[0x14, 0x60, 0xe7, 0xd3, 0xfa, 0x72, 0x77, 0x91]).unwrap();
        assert_eq!(pq, 1_468_428_376_148_703_121);
        assert_eq!(factorize_pq(pq).unwrap(), (1_008_949_199, 1_455_403_679));
        // The older version of that page (MTProto 1.0): 0x17ED48941A08F981.
        let pq = pq_from_bytes(&[0x17, 0xed, 0x48, 0x94, 0x1a, 0x08, 0xf9, 0x81]).unwrap();
        assert_eq!(factorize_pq(pq).unwrap(), (1_229_739_323, 1_402_015_859));
    }

    #[test]
    fn is_prime_u64_matches_trial_division_and_known_values() {
        for n in 0..20_000 {
            assert_eq!(is_prime_u64(n), slow_is_prime(n), "{n}");
        }
        let mut mix = Mix(1);
        for _ in 0..2_000 {
            let n = mix.next() % (1 << 36);
            assert_eq!(is_prime_u64(n), slow_is_prime(n), "{n}");
        }
        // Largest primes below 2^63 and 2^64; strong pseudoprimes to many
        // small bases; Carmichael numbers.
        assert!(is_prime_u64((1 << 63) - 25));
        assert!(is_prime_u64(u64::MAX - 58));
        assert!(!is_prime_u64(u64::MAX));
        for composite in [
            3_215_031_751,
            2_152_302_898_747,
            3_474_749_660_383,
            341_550_071_728_321,
            3_825_123_056_546_413_051,
            561,
            1_105,
            4_294_967_297,
            (1 << 61) - 3,
        ] {
            assert!(!is_prime_u64(composite), "{composite}");
        }
        assert!(is_prime_u64((1 << 61) - 1));
    }

    fn check_product(p: u64, q: u64) {
        let (p, q) = (p.min(q), p.max(q));
        assert_eq!(factorize_pq(p * q).unwrap(), (p, q), "{p} * {q}");
    }

    #[test]
    fn random_products_of_all_sizes() {
        let mut mix = Mix(7);
        // 2 times a big prime.
        for _ in 0..300 {
            check_product(2, mix.prime_in(1 << 40, 1 << 62));
        }
        // Small times big, across the trial-division limit.
        for _ in 0..1_000 {
            let bits = 2 + mix.next() % 20;
            let small = mix.prime_in(3, 1 << bits);
            let big = mix.prime_in(1 << 30, (1 << 62) / small);
            check_product(small, big);
        }
        // Balanced near 2^31.5 (the hardest for rho), and Telegram-like.
        for _ in 0..1_000 {
            let p = mix.prime_in(2_500_000_000, 3_037_000_499);
            let q = mix.prime_in(2_500_000_000, 3_037_000_499);
            if p != q {
                check_product(p, q);
            }
        }
        // Products just below 2^63.
        for _ in 0..500 {
            let p = mix.prime_in(1 << 20, 3_037_000_499);
            let hi = ((1u64 << 63) - 1) / p;
            let q = mix.prime_in(hi - hi / 1_000, hi + 1);
            if p != q {
                assert!(p * q < 1 << 63);
                check_product(p, q);
            }
        }
        // Every size in between.
        for _ in 0..1_000 {
            let bits_p = 2 + mix.next() % 30;
            let p = mix.prime_in(1 << (bits_p - 1), 1 << bits_p);
            let q = mix.prime_in(p + 1, ((1u64 << 63) - 1) / p + 1);
            check_product(p, q);
        }
        // Small cases, all of them.
        for p in 2..200 {
            for q in p + 1..200 {
                if slow_is_prime(p) && slow_is_prime(q) {
                    check_product(p, q);
                }
            }
        }
    }

    #[test]
    fn refuses_what_is_not_two_distinct_primes() {
        let not_two = Err(AuthError::InvalidPq(NOT_TWO_PRIMES));
        for n in [0, 1, 2, 3, 4, 5, 8, 9, 12, 27, 49, 1_024, 30] {
            assert_eq!(factorize_pq(n), not_two, "{n}");
        }
        let mut mix = Mix(11);
        for _ in 0..200 {
            // Primes.
            assert_eq!(factorize_pq(mix.prime_in(1 << 40, 1 << 63)), not_two);
            // Squares of primes, balanced and from the trial-division range.
            let p = mix.prime_in(1 << 20, 3_037_000_499);
            assert_eq!(factorize_pq(p * p), not_two, "{p}^2");
            let s = mix.prime_in(3, 1_000);
            assert_eq!(factorize_pq(s * s), not_two, "{s}^2");
            // Three primes, and a prime times a square.
            let a = mix.prime_in(1 << 10, 1 << 20);
            let b = mix.prime_in(1 << 10, 1 << 20);
            let c = mix.prime_in(1 << 10, 1 << 20);
            assert_eq!(factorize_pq(a * b * c), not_two, "{a}*{b}*{c}");
            assert_eq!(factorize_pq(2 * a * b), not_two);
            assert_eq!(factorize_pq(a * a * b), not_two);
        }
        assert_eq!(
            factorize_pq(1 << 63),
            Err(AuthError::InvalidPq("pq must be below 2^63"))
        );
        assert!(factorize_pq(u64::MAX).is_err());
        assert_eq!(factorize_pq((1 << 63) - 25), not_two);
    }

    #[test]
    fn lehman_alone_is_complete() {
        // The fallback must work by itself on every shape rho sees.
        // Each run trial-divides up to n^(1/3) first, so keep the count small.
        let mut mix = Mix(3);
        for _ in 0..40 {
            let bits_p = 11 + mix.next() % 21;
            let p = mix.prime_in(1 << (bits_p - 1), 1 << bits_p);
            let q = mix.prime_in(p, ((1u64 << 63) - 1) / p + 1);
            let d = lehman(p * q).unwrap();
            assert!(d == p || d == q, "{p} * {q}: {d}");
        }
        for _ in 0..50 {
            let p = mix.prime_in(1 << 30, 3_037_000_499);
            assert_eq!(lehman(p * p), Some(p));
        }
        // A prime runs the whole search (the worst case, about 2^22 steps).
        assert_eq!(lehman((1 << 63) - 25), None);
        assert_eq!(lehman(15), Some(3));
    }

    #[test]
    fn brent_finds_factors_and_gives_up_cleanly() {
        assert_eq!(
            brent(1_468_428_376_148_703_121, 1).map(|d| 1_468_428_376_148_703_121 % d),
            Some(0)
        );
        // On a prime no constant finds anything: it returns after its cap.
        assert_eq!(brent(1_000_003, 1), None);
        for n in [3, 5, 7] {
            assert_eq!(brent(n, 1), None);
        }
    }

    #[test]
    fn helpers_are_exact() {
        for x in [
            0u128,
            1,
            2,
            3,
            4,
            15,
            16,
            17,
            (1 << 86) - 1,
            1 << 86,
            u128::from(u64::MAX),
        ] {
            let r = isqrt_u128(x);
            assert!(r * r <= x && (r + 1) * (r + 1) > x, "{x}");
        }
        for n in [1u64, 7, 8, 9, 26, 27, 28, (1 << 63) - 1, u64::MAX] {
            let r = u128::from(icbrt(n));
            assert!(
                r * r * r <= u128::from(n) && (r + 1).pow(3) > u128::from(n),
                "{n}"
            );
        }
        assert_eq!(gcd(0, 5), 5);
        assert_eq!(gcd(12, 18), 6);
        assert_eq!(gcd(1 << 40, 1 << 20), 1 << 20);
        let m = Montgomery::new(1_468_428_376_148_703_121);
        let (a, b) = (m.to_mont(123_456_789_012), m.to_mont(987_654_321_098));
        let back = m.mul(m.mul(a, b), 1);
        assert_eq!(
            back,
            mul_mod_u64(123_456_789_012, 987_654_321_098, 1_468_428_376_148_703_121)
        );
    }

    #[test]
    fn pq_bytes() {
        assert_eq!(pq_from_bytes(&[0, 0, 0, 6]), Ok(6));
        assert_eq!(pq_from_bytes(&[4]), Ok(4));
        assert_eq!(
            pq_from_bytes(&[0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
            Ok(i64::MAX as u64)
        );
        assert!(pq_from_bytes(&[0x80, 0, 0, 0, 0, 0, 0, 0]).is_err());
        assert!(pq_from_bytes(&[0; 9]).is_err());
        assert!(pq_from_bytes(&[]).is_err());
        assert!(pq_from_bytes(&[3]).is_err());
    }

    #[test]
    fn generated_primes_are_in_range_and_factor_back() {
        let mut rng = SeededRandom::from_u64(5);
        for _ in 0..200 {
            let (p, q) = generate_pq_primes(&mut rng).unwrap();
            assert!(p < q && p >= 1 << 30 && q < 1 << 31);
            assert!(is_prime_u64(p.into()) && is_prime_u64(q.into()));
            let pq = u64::from(p) * u64::from(q);
            assert!(pq < 1 << 62);
            assert_eq!(factorize_pq(pq).unwrap(), (p.into(), q.into()));
        }
        // A broken source that repeats one composite fails cleanly.
        struct Stuck;
        impl SecureRandom for Stuck {
            fn fill(&mut self, dest: &mut [u8]) -> Result<(), crate::error::CryptoError> {
                dest.fill(0);
                Ok(())
            }
        }
        assert!(matches!(
            generate_pq_primes(&mut Stuck),
            Err(AuthError::InvalidPq(_))
        ));
    }
}
