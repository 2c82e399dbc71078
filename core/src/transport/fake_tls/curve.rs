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
//! so the arithmetic need not be constant-time. It is small enough to write
//! out: five 51-bit limbs, as in the common 64-bit Curve25519 code.

use crate::error::{Error, TransportError};
use crate::rand::SecureRandom;

const MASK: u64 = (1 << 51) - 1;

/// A field element mod 2^255 - 19 in five 51-bit limbs (each kept below
/// about 2^52 between operations).
#[derive(Clone, Copy, Debug)]
struct Fe([u64; 5]);

/// (p - 1) / 2 = 2^254 - 10, little-endian.
const HALF_P_MINUS_1: [u8; 32] = {
    let mut e = [0xff; 32];
    e[0] = 0xf6;
    e[31] = 0x3f;
    e
};

/// p - 2 = 2^255 - 21, little-endian (the exponent of inversion).
const P_MINUS_2: [u8; 32] = {
    let mut e = [0xff; 32];
    e[0] = 0xeb;
    e[31] = 0x7f;
    e
};

impl Fe {
    const ZERO: Fe = Fe([0; 5]);
    const ONE: Fe = Fe([1, 0, 0, 0, 0]);

    fn small(v: u64) -> Fe {
        Fe([v, 0, 0, 0, 0])
    }

    /// Little-endian bytes; the top bit is ignored (as RFC 7748 decodes
    /// u-coordinates).
    fn from_bytes(b: &[u8; 32]) -> Fe {
        let mut w = [0u64; 4];
        for (i, word) in w.iter_mut().enumerate() {
            let mut le = [0u8; 8];
            if let Some(s) = b.get(8 * i..8 * i + 8) {
                le.copy_from_slice(s);
            }
            *word = u64::from_le_bytes(le);
        }
        let [w0, w1, w2, w3] = w;
        Fe([
            w0 & MASK,
            ((w0 >> 51) | (w1 << 13)) & MASK,
            ((w1 >> 38) | (w2 << 26)) & MASK,
            ((w2 >> 25) | (w3 << 39)) & MASK,
            (w3 >> 12) & MASK,
        ])
    }

    /// Propagate carries so every limb is below 2^51 (plus a little in limb
    /// 0); the value is unchanged mod p.
    fn carry(self) -> Fe {
        let [mut a0, mut a1, mut a2, mut a3, mut a4] = self.0;
        a1 += a0 >> 51;
        a0 &= MASK;
        a2 += a1 >> 51;
        a1 &= MASK;
        a3 += a2 >> 51;
        a2 &= MASK;
        a4 += a3 >> 51;
        a3 &= MASK;
        a0 += 19 * (a4 >> 51);
        a4 &= MASK;
        a1 += a0 >> 51;
        a0 &= MASK;
        Fe([a0, a1, a2, a3, a4])
    }

    /// The canonical little-endian encoding (fully reduced mod p).
    fn to_bytes(self) -> [u8; 32] {
        let [mut h0, mut h1, mut h2, mut h3, mut h4] = self.carry().carry().0;
        // q = 1 exactly when h >= p.
        let mut q = (h0 + 19) >> 51;
        q = (h1 + q) >> 51;
        q = (h2 + q) >> 51;
        q = (h3 + q) >> 51;
        q = (h4 + q) >> 51;
        h0 += 19 * q;
        h1 += h0 >> 51;
        h0 &= MASK;
        h2 += h1 >> 51;
        h1 &= MASK;
        h3 += h2 >> 51;
        h2 &= MASK;
        h4 += h3 >> 51;
        h3 &= MASK;
        h4 &= MASK;
        let words = [
            h0 | (h1 << 51),
            (h1 >> 13) | (h2 << 38),
            (h2 >> 26) | (h3 << 25),
            (h3 >> 39) | (h4 << 12),
        ];
        let mut out = [0u8; 32];
        for (chunk, w) in out.chunks_exact_mut(8).zip(words) {
            chunk.copy_from_slice(&w.to_le_bytes());
        }
        out
    }

    fn add(self, o: Fe) -> Fe {
        let mut r = [0u64; 5];
        for (r, (a, b)) in r.iter_mut().zip(self.0.iter().zip(o.0)) {
            *r = a + b;
        }
        Fe(r).carry()
    }

    fn sub(self, o: Fe) -> Fe {
        // self + 2p - o keeps every limb non-negative.
        const TWO_P: [u64; 5] = [
            0xf_ffff_ffff_ffda,
            0xf_ffff_ffff_fffe,
            0xf_ffff_ffff_fffe,
            0xf_ffff_ffff_fffe,
            0xf_ffff_ffff_fffe,
        ];
        let o = o.carry();
        let mut r = [0u64; 5];
        for (i, r) in r.iter_mut().enumerate() {
            let (a, b, t) = (
                self.0.get(i).copied().unwrap_or(0),
                o.0.get(i).copied().unwrap_or(0),
                TWO_P.get(i).copied().unwrap_or(0),
            );
            *r = a + t - b;
        }
        Fe(r).carry()
    }

    fn mul(self, o: Fe) -> Fe {
        let [a0, a1, a2, a3, a4] = self.0.map(u128::from);
        let [b0, b1, b2, b3, b4] = o.0.map(u128::from);
        let r0 = a0 * b0 + 19 * (a1 * b4 + a2 * b3 + a3 * b2 + a4 * b1);
        let r1 = a0 * b1 + a1 * b0 + 19 * (a2 * b4 + a3 * b3 + a4 * b2);
        let r2 = a0 * b2 + a1 * b1 + a2 * b0 + 19 * (a3 * b4 + a4 * b3);
        let r3 = a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + 19 * (a4 * b4);
        let r4 = a0 * b4 + a1 * b3 + a2 * b2 + a3 * b1 + a4 * b0;
        let m = u128::from(MASK);
        let r1 = r1 + (r0 >> 51);
        let r2 = r2 + (r1 >> 51);
        let r3 = r3 + (r2 >> 51);
        let r4 = r4 + (r3 >> 51);
        let r0 = (r0 & m) + 19 * (r4 >> 51);
        // Every limb is now below 2^51 except limb 0 (below about 2^57):
        // truncating to u64 loses nothing.
        let limbs = [r0, r1 & m, r2 & m, r3 & m, r4 & m].map(|v| v as u64);
        Fe(limbs).carry()
    }

    fn pow(self, exp_le: &[u8; 32]) -> Fe {
        let mut acc = Fe::ONE;
        for byte in exp_le.iter().rev() {
            for bit in (0..8).rev() {
                acc = acc.mul(acc);
                if (byte >> bit) & 1 == 1 {
                    acc = acc.mul(self);
                }
            }
        }
        acc
    }

    fn invert(self) -> Fe {
        self.pow(&P_MINUS_2)
    }

    fn is_zero(self) -> bool {
        self.to_bytes() == [0; 32]
    }
}

/// y² = x³ + 486662·x² + x, the right-hand side of Curve25519.
fn y_squared(x: Fe) -> Fe {
    x.add(Fe::small(486_662)).mul(x).add(Fe::ONE).mul(x)
}

/// Euler's criterion: a non-zero square has a^((p-1)/2) = 1.
fn is_nonzero_square(a: Fe) -> bool {
    a.pow(&HALF_P_MINUS_1).to_bytes() == Fe::ONE.to_bytes()
}

/// x(2P) = (x² - 1)² / (4·y²) for a point with x-coordinate `x`.
fn double_x(x: Fe) -> Fe {
    let den = y_squared(x).mul(Fe::small(4));
    if den.is_zero() {
        return Fe::ZERO;
    }
    let n = x.mul(x).sub(Fe::ONE);
    n.mul(n).mul(den.invert())
}

/// The key share tdlib's procedure makes from one 32-byte random draw
/// (`candidate`, little-endian, top bit ignored), or `None` when that draw
/// is not the x-coordinate of a curve point and must be re-drawn. The result
/// is the x-coordinate of 8·P, canonical little-endian.
pub fn key_share_from_candidate(candidate: &[u8; 32]) -> Option<[u8; 32]> {
    let mut x = Fe::from_bytes(candidate);
    if !is_nonzero_square(y_squared(x)) {
        return None;
    }
    for _ in 0..3 {
        x = double_x(x);
    }
    Some(x.to_bytes())
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

    fn fe(v: u64) -> Fe {
        Fe::small(v)
    }

    #[test]
    fn field_basics() {
        // p itself and p + 1 reduce to 0 and 1.
        let mut p = [0xff; 32];
        p[0] = 0xed;
        p[31] = 0x7f;
        assert_eq!(Fe::from_bytes(&p).to_bytes(), [0; 32]);
        p[0] = 0xee;
        assert_eq!(Fe::from_bytes(&p).to_bytes(), Fe::ONE.to_bytes());
        // 0 - 1 = p - 1.
        let minus_one = Fe::ZERO.sub(Fe::ONE).to_bytes();
        let mut expect = [0xff; 32];
        expect[0] = 0xec;
        expect[31] = 0x7f;
        assert_eq!(minus_one, expect);
        // a · a⁻¹ = 1, and 3 · 5 = 15.
        let a = Fe::from_bytes(&[0x5c; 32]);
        assert_eq!(a.mul(a.invert()).to_bytes(), Fe::ONE.to_bytes());
        assert_eq!(fe(3).mul(fe(5)).to_bytes(), fe(15).to_bytes());
        // (p-1)·(p-1) = 1.
        let m1 = Fe::from_bytes(&expect);
        assert_eq!(m1.mul(m1).to_bytes(), Fe::ONE.to_bytes());
    }

    #[test]
    fn base_point_doubles_like_x25519() {
        // The base point u = 9 is on the curve; 2·B has the u-coordinate
        // 14847277145635483483963372537557091634710985132825781088887140890597596352251
        // (checked with Python integers).
        assert!(is_nonzero_square(y_squared(fe(9))));
        let two_b = double_x(fe(9)).to_bytes();
        let expect = "fb4e68dd9c46ae5c5c0b351eed5c3f8f1471157d680c75d9b7f17318d542d320";
        let hex: String = two_b.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, expect);
        // About half of all candidates are on the curve.
        let results: Vec<bool> = (0u8..32)
            .map(|i| key_share_from_candidate(&[i; 32]).is_some())
            .collect();
        assert!(results.iter().any(|r| *r) && results.iter().any(|r| !*r));
    }
}
