//! 2048-bit modular arithmetic for RSA and Diffie-Hellman, on `crypto-bigint`.
//!
//! Exponentiations whose exponent is secret (the DH exponents `a` and `b`, the
//! RSA private exponent) use [`pow_mod_secret`], which runs in time independent
//! of the exponent's value (crypto-bigint's fixed-window Montgomery `pow`).
//! Public exponents (RSA `e`) may use [`pow_mod_public`], which is variable
//! time and about 30 times faster for `e = 65537`.
//!
//! Numbers travel as big-endian byte strings (`/mtproto/auth_key`: "big-endian
//! byte strings" for every RSA and DH value).

use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{Odd, U2048};

use crate::error::CryptoError;
use crate::rand::SecureRandom;

/// Bytes in a 2048-bit number.
pub const BYTES_2048: usize = 256;

/// Read a big-endian number of at most 256 bytes (leading zeros allowed).
/// `None` when it has more significant bytes than fit in 2048 bits.
pub fn u2048_from_be(bytes: &[u8]) -> Option<U2048> {
    // Strip leading zeros so a 257-byte string with a zero first byte still fits.
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    let digits = bytes.get(first..)?;
    if digits.len() > BYTES_2048 {
        return None;
    }
    let mut padded = [0u8; BYTES_2048];
    padded
        .get_mut(BYTES_2048 - digits.len()..)?
        .copy_from_slice(digits);
    Some(U2048::from_be_slice(&padded))
}

/// The number as exactly 256 big-endian bytes (left-padded with zeros).
pub fn u2048_to_be(x: &U2048) -> [u8; BYTES_2048] {
    let mut out = [0u8; BYTES_2048];
    out.copy_from_slice(x.to_be_bytes().as_ref());
    out
}

/// Precomputed Montgomery parameters for one odd modulus; build once per key or
/// prime and reuse for every exponentiation.
#[derive(Clone, Debug)]
pub struct Modulus {
    params: FixedMontyParams<{ U2048::LIMBS }>,
}

impl Modulus {
    /// Parameters for an odd modulus; `None` for an even one (RSA moduli and
    /// DH primes are odd; anything else is an invalid key).
    pub fn new(modulus: &U2048) -> Option<Self> {
        let odd: Option<Odd<U2048>> = Odd::new(*modulus).into();
        odd.map(|m| Modulus {
            params: FixedMontyParams::new_vartime(m),
        })
    }

    /// Parameters for a modulus already known to be odd (a constant: see
    /// [`crate::crypto::dh::DhGroup::telegram`]).
    pub const fn from_odd(modulus: Odd<U2048>) -> Self {
        Modulus {
            params: FixedMontyParams::new(modulus),
        }
    }

    /// The modulus itself.
    pub fn value(&self) -> &U2048 {
        self.params.modulus().as_ref()
    }
}

/// `base^exp mod m` in time independent of `exp` (the secret-exponent path:
/// DH `a` and `b`, RSA `d`). `base` need not be reduced.
pub fn pow_mod_secret(base: &U2048, exp: &U2048, m: &Modulus) -> U2048 {
    let reduced = base.rem_vartime(m.params.modulus().as_nz_ref());
    FixedMontyForm::new(&reduced, &m.params).pow(exp).retrieve()
}

/// `base^exp mod m` in variable time; only for public exponents (RSA `e`).
pub fn pow_mod_public(base: &U2048, exp: &U2048, m: &Modulus) -> U2048 {
    let reduced = base.rem_vartime(m.params.modulus().as_nz_ref());
    FixedMontyForm::new(&reduced, &m.params)
        .pow_vartime(exp)
        .retrieve()
}

/// Adapts a [`SecureRandom`] to the `rand_core` traits that `crypto-primes`
/// takes (prime generation for RSA keys and the server's pq).
pub struct RngAdapter<'a>(pub &'a mut dyn SecureRandom);

impl rand_core::TryRng for RngAdapter<'_> {
    type Error = CryptoError;

    fn try_next_u32(&mut self) -> Result<u32, CryptoError> {
        let mut b = [0u8; 4];
        self.0.fill(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, CryptoError> {
        let mut b = [0u8; 8];
        self.0.fill(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), CryptoError> {
        self.0.fill(dst)
    }
}

impl rand_core::TryCryptoRng for RngAdapter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;

    fn big(x: &U2048) -> BigUint {
        BigUint::from_bytes_be(&u2048_to_be(x))
    }

    #[test]
    fn bytes_round_trip_and_limits() {
        let mut long = vec![0u8; 300];
        long[299] = 7;
        let x = u2048_from_be(&long).unwrap();
        assert_eq!(u2048_to_be(&x)[255], 7);
        let mut too_big = vec![0u8; 257];
        too_big[0] = 1;
        assert!(u2048_from_be(&too_big).is_none());
        assert_eq!(u2048_from_be(&[]).unwrap(), U2048::ZERO);
    }

    #[test]
    fn pow_matches_num_bigint() {
        let m_bytes: Vec<u8> = (0..256u32).map(|i| (i * 37 + 11) as u8 | 1).collect();
        let m = Modulus::new(&u2048_from_be(&m_bytes).unwrap()).unwrap();
        let base = u2048_from_be(&[0xff; 256]).unwrap();
        let exp = u2048_from_be(&[0x5a; 200]).unwrap();
        let expected = big(&base).modpow(&big(&exp), &big(m.value()));
        assert_eq!(big(&pow_mod_secret(&base, &exp, &m)), expected);
        assert_eq!(big(&pow_mod_public(&base, &exp, &m)), expected);
        assert!(Modulus::new(&U2048::from_u64(10)).is_none());
    }
}
