//! The X25519 key share of the fake handshakes.
//!
//! No key agreement ever happens over fake TLS, but a key share that is not a
//! point of Curve25519 would tell an observer the hello is not real. Like
//! tdlib (`TlsHelloStore`, `Op::key`) the client draws random x-coordinates
//! until `x³ + 486662·x² + x` is a non-zero square mod p = 2^255 - 19 (x is
//! then on the curve, not its twist), and doubles the point three times (so
//! it lies in the prime-order subgroup, as `scalar·basepoint` does). The
//! server's key share is made the same way.
//!
//! Nothing here is secret (there is no private scalar; the value is a decoy),
//! so the arithmetic need not be constant-time: `num-bigint` does it.

use num_bigint::BigUint;

use crate::error::{Error, TransportError};
use crate::rand::SecureRandom;

/// p = 2^255 - 19.
fn prime() -> BigUint {
    (BigUint::from(1u32) << 255u32) - 19u32
}

/// y² = x³ + 486662·x² + x mod p, the right-hand side of Curve25519.
fn y_squared(x: &BigUint, p: &BigUint) -> BigUint {
    ((x + 486_662u32) * x + 1u32) * x % p
}

/// Euler's criterion: a non-zero square has a^((p-1)/2) = 1.
fn is_nonzero_square(a: &BigUint, p: &BigUint) -> bool {
    let half: BigUint = (p - 1u32) >> 1u32;
    a.modpow(&half, p) == BigUint::from(1u32)
}

/// x(2P) = (x² - 1)² / (4·y²) for a point with x-coordinate `x`.
fn double_x(x: &BigUint, p: &BigUint) -> BigUint {
    let den = y_squared(x, p) * 4u32 % p;
    if den == BigUint::ZERO {
        return BigUint::ZERO;
    }
    let n = (x * x + p - 1u32) % p;
    // Fermat inversion: den^(p-2).
    n.pow(2) % p * den.modpow(&(p - 2u32), p) % p
}

/// The key share tdlib's procedure makes from one 32-byte random draw
/// (`candidate`, little-endian, top bit ignored), or `None` when that draw
/// is not the x-coordinate of a curve point and must be re-drawn. The result
/// is the x-coordinate of 8·P, canonical little-endian.
pub fn key_share_from_candidate(candidate: &[u8; 32]) -> Option<[u8; 32]> {
    let p = prime();
    let mut c = *candidate;
    c[31] &= 0x7f;
    let mut x = BigUint::from_bytes_le(&c) % &p;
    if !is_nonzero_square(&y_squared(&x, &p), &p) {
        return None;
    }
    for _ in 0..3 {
        x = double_x(&x, &p);
    }
    let mut out = [0u8; 32];
    for (o, b) in out.iter_mut().zip(x.to_bytes_le()) {
        *o = b;
    }
    Some(out)
}

/// Draw candidates from `rng` until one gives a key share (each draw does
/// with probability about 1/2).
pub(crate) fn random_key_share(rng: &mut dyn SecureRandom) -> Result<[u8; 32], Error> {
    let mut candidate = [0u8; 32];
    for _ in 0..128 {
        rng.fill(&mut candidate)?;
        if let Some(key) = key_share_from_candidate(&candidate) {
            return Ok(key);
        }
    }
    Err(
        TransportError::FakeTls("the random source produced no curve point in 128 draws".into())
            .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_point_doubles_like_x25519() {
        // The base point u = 9 is on the curve; 2·B has the u-coordinate
        // 14847277145635483483963372537557091634710985132825781088887140890597596352251
        // (checked with Python integers).
        let p = prime();
        let nine = BigUint::from(9u32);
        assert!(is_nonzero_square(&y_squared(&nine, &p), &p));
        let two_b = double_x(&nine, &p).to_bytes_le();
        let hex: String = two_b.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "fb4e68dd9c46ae5c5c0b351eed5c3f8f1471157d680c75d9b7f17318d542d320"
        );
        // About half of all candidates are on the curve.
        let results: Vec<bool> = (0u8..32)
            .map(|i| key_share_from_candidate(&[i; 32]).is_some())
            .collect();
        assert!(results.iter().any(|r| *r) && results.iter().any(|r| !*r));
    }
}
