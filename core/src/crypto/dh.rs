//! Diffie-Hellman of the handshake (`/mtproto/auth_key`, steps 4 to 6):
//! checking the server's group and values, and computing `g^a`, `g^b` and
//! the auth key `g^ab mod p`.
//!
//! Every check of `/mtproto/auth_key` and `/mtproto/security_guidelines` is
//! here: `dh_prime` is a 2048-bit safe prime, `g` is in 2..=7 and generates
//! the subgroup of order `(p - 1) / 2` (its residue condition), and `g_a`,
//! `g_b` lie in `[2^(2048-64), p - 2^(2048-64)]`. A [`DhGroup`] only exists
//! once its prime and generator passed; values are checked with
//! [`DhGroup::check_public`] (which [`DhGroup::shared_secret`] also runs).
//!
//! Exponentiations with a secret exponent (`a`, `b`) go through
//! [`pow_mod_secret`], whose time does not depend on the exponent.

use core::fmt;

use crypto_bigint::{Odd, U2048};
use crypto_primes::{Flavor, is_prime};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use crate::crypto::bigint::{BYTES_2048, Modulus, pow_mod_secret, u2048_from_be, u2048_to_be};
use crate::error::AuthError;

/// Telegram's standard 2048-bit safe prime `dh_prime`, big-endian, as every
/// production and test server sends it with `g = 3` (`/mtproto/auth_key`;
/// taken from `server_DH_inner_data` of `/mtproto/samples-auth_key`).
///
/// [`DhGroup::new_checked`] recognizes it and skips the primality test: the
/// spec (`/mtproto/auth_key`, `/mtproto/security_guidelines`) lets a client
/// cache the result of checking a prime, and this one is checked by the unit
/// tests.
pub const TELEGRAM_DH_PRIME: [u8; 256] = [
    0xc7, 0x1c, 0xae, 0xb9, 0xc6, 0xb1, 0xc9, 0x04, 0x8e, 0x6c, 0x52, 0x2f, 0x70, 0xf1, 0x3f, 0x73,
    0x98, 0x0d, 0x40, 0x23, 0x8e, 0x3e, 0x21, 0xc1, 0x49, 0x34, 0xd0, 0x37, 0x56, 0x3d, 0x93, 0x0f,
    0x48, 0x19, 0x8a, 0x0a, 0xa7, 0xc1, 0x40, 0x58, 0x22, 0x94, 0x93, 0xd2, 0x25, 0x30, 0xf4, 0xdb,
    0xfa, 0x33, 0x6f, 0x6e, 0x0a, 0xc9, 0x25, 0x13, 0x95, 0x43, 0xae, 0xd4, 0x4c, 0xce, 0x7c, 0x37,
    0x20, 0xfd, 0x51, 0xf6, 0x94, 0x58, 0x70, 0x5a, 0xc6, 0x8c, 0xd4, 0xfe, 0x6b, 0x6b, 0x13, 0xab,
    0xdc, 0x97, 0x46, 0x51, 0x29, 0x69, 0x32, 0x84, 0x54, 0xf1, 0x8f, 0xaf, 0x8c, 0x59, 0x5f, 0x64,
    0x24, 0x77, 0xfe, 0x96, 0xbb, 0x2a, 0x94, 0x1d, 0x5b, 0xcd, 0x1d, 0x4a, 0xc8, 0xcc, 0x49, 0x88,
    0x07, 0x08, 0xfa, 0x9b, 0x37, 0x8e, 0x3c, 0x4f, 0x3a, 0x90, 0x60, 0xbe, 0xe6, 0x7c, 0xf9, 0xa4,
    0xa4, 0xa6, 0x95, 0x81, 0x10, 0x51, 0x90, 0x7e, 0x16, 0x27, 0x53, 0xb5, 0x6b, 0x0f, 0x6b, 0x41,
    0x0d, 0xba, 0x74, 0xd8, 0xa8, 0x4b, 0x2a, 0x14, 0xb3, 0x14, 0x4e, 0x0e, 0xf1, 0x28, 0x47, 0x54,
    0xfd, 0x17, 0xed, 0x95, 0x0d, 0x59, 0x65, 0xb4, 0xb9, 0xdd, 0x46, 0x58, 0x2d, 0xb1, 0x17, 0x8d,
    0x16, 0x9c, 0x6b, 0xc4, 0x65, 0xb0, 0xd6, 0xff, 0x9c, 0xa3, 0x92, 0x8f, 0xef, 0x5b, 0x9a, 0xe4,
    0xe4, 0x18, 0xfc, 0x15, 0xe8, 0x3e, 0xbe, 0xa0, 0xf8, 0x7f, 0xa9, 0xff, 0x5e, 0xed, 0x70, 0x05,
    0x0d, 0xed, 0x28, 0x49, 0xf4, 0x7b, 0xf9, 0x59, 0xd9, 0x56, 0x85, 0x0c, 0xe9, 0x29, 0x85, 0x1f,
    0x0d, 0x81, 0x15, 0xf6, 0x35, 0xb1, 0x05, 0xee, 0x2e, 0x4e, 0x15, 0xd0, 0x4b, 0x24, 0x54, 0xbf,
    0x6f, 0x4f, 0xad, 0xf0, 0x34, 0xb1, 0x04, 0x03, 0x11, 0x9c, 0xd8, 0xe3, 0xb9, 0x2f, 0xcc, 0x5b,
];

/// The generator Telegram's servers use with [`TELEGRAM_DH_PRIME`].
pub const TELEGRAM_DH_G: u32 = 3;

/// `2048 - 64`: `g_a` and `g_b` must lie in
/// `[2^(2048-64), p - 2^(2048-64)]` (`/mtproto/auth_key`, "checks").
const RANGE_MARGIN_BITS: u32 = 2048 - 64;

/// A Diffie-Hellman group (`dh_prime`, `g`) that passed every check of
/// `/mtproto/auth_key`, with its Montgomery parameters precomputed.
///
/// Build it with [`DhGroup::telegram`] or, for a prime received from a
/// server, [`DhGroup::new_checked`]; then check each public value with
/// [`DhGroup::check_public`], make your own with
/// [`DhGroup::public_from_secret`] and derive the key with
/// [`DhGroup::shared_secret`].
#[derive(Clone)]
pub struct DhGroup {
    prime_be: [u8; BYTES_2048],
    g: u32,
    modulus: Modulus,
    g_big: U2048,
    /// 2^(2048-64): the smallest allowed public value.
    low: U2048,
    /// p - 2^(2048-64): the largest allowed public value.
    high: U2048,
}

impl fmt::Debug for DhGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Public parameters only; the prime is shortened to its first bytes.
        let head: String = self
            .prime_be
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect();
        f.debug_struct("DhGroup")
            .field("g", &self.g)
            .field("prime", &format_args!("{head}.."))
            .finish()
    }
}

impl DhGroup {
    /// Telegram's group: [`TELEGRAM_DH_PRIME`] with `g = 3`, without any
    /// primality test (the prime is a known safe prime; the unit tests check
    /// it and its residue condition).
    pub fn telegram() -> Self {
        // Evaluated at compile time: an even constant would fail the build,
        // so nothing here can fail at run time.
        const ODD: Odd<U2048> = U2048::from_be_slice(&TELEGRAM_DH_PRIME)
            .to_odd()
            .expect_copied("TELEGRAM_DH_PRIME is odd");
        let p = *ODD.as_ref();
        Self::from_parts(TELEGRAM_DH_PRIME, TELEGRAM_DH_G, p, Modulus::from_odd(ODD))
    }

    /// Check a group received from a server (`server_DH_inner_data`'s `g`
    /// and `dh_prime`) and keep it (`/mtproto/auth_key`, "checks";
    /// `/mtproto/security_guidelines`).
    ///
    /// In order: `g` in 2..=7; `2^2047 < p < 2^2048` (`prime_be` may carry
    /// leading zero bytes); `p` and `(p - 1) / 2` both prime; `g`'s residue
    /// condition (`g = 2`: `p mod 8 = 7`; `3`: `p mod 3 = 2`; `4`: none;
    /// `5`: `p mod 5` in {1, 4}; `6`: `p mod 24` in {19, 23}; `7`: `p mod 7`
    /// in {3, 5, 6}), which makes `g` generate the subgroup of prime order
    /// `(p - 1) / 2`.
    ///
    /// [`TELEGRAM_DH_PRIME`] is recognized and not tested again. Any other
    /// prime costs two BPSW tests (`crypto_primes::is_prime`: a base-2
    /// strong Miller-Rabin test and a strong Lucas test, Baillie-Fiori-
    /// Wagstaff 2021): deterministic, with no known composite that passes,
    /// a few tens of milliseconds.
    ///
    /// # Errors
    ///
    /// [`AuthError::InvalidGenerator`] when `g` is outside 2..=7 or fails its
    /// condition, [`AuthError::InvalidDhPrime`] when the prime has the wrong
    /// size or is not a safe prime; each message names the failed check.
    pub fn new_checked(g: i64, prime_be: &[u8]) -> Result<Self, AuthError> {
        let g = match u32::try_from(g) {
            Ok(g @ 2..=7) => g,
            _ => {
                return Err(AuthError::InvalidGenerator {
                    g,
                    reason: "g must be in 2..=7",
                });
            }
        };
        let p = u2048_from_be(prime_be)
            .ok_or(AuthError::InvalidDhPrime("dh_prime is not below 2^2048"))?;
        let two_2047 = U2048::ONE.wrapping_shl_vartime(2047);
        if p <= two_2047 {
            return Err(AuthError::InvalidDhPrime("dh_prime is not above 2^2047"));
        }
        let normalized = u2048_to_be(&p);
        // The known prime is public; the constant-time comparison costs
        // nothing and keeps the branch free of data-dependent timing.
        let known: bool = normalized.ct_eq(&TELEGRAM_DH_PRIME).into();
        if !known {
            if !is_prime(Flavor::Any, &p) {
                return Err(AuthError::InvalidDhPrime("dh_prime is not prime"));
            }
            if !is_prime(Flavor::Any, &p.wrapping_shr_vartime(1)) {
                return Err(AuthError::InvalidDhPrime(
                    "(dh_prime - 1) / 2 is not prime (not a safe prime)",
                ));
            }
        }
        generator_condition(g, mod_small(&normalized, 840)).map_err(|reason| {
            AuthError::InvalidGenerator {
                g: i64::from(g),
                reason,
            }
        })?;
        let modulus = Modulus::new(&p).ok_or(AuthError::InvalidDhPrime("dh_prime is not prime"))?;
        Ok(Self::from_parts(normalized, g, p, modulus))
    }

    fn from_parts(prime_be: [u8; BYTES_2048], g: u32, p: U2048, modulus: Modulus) -> Self {
        let low = U2048::ONE.wrapping_shl_vartime(RANGE_MARGIN_BITS);
        DhGroup {
            prime_be,
            g,
            modulus,
            g_big: U2048::from_u32(g),
            low,
            high: p.wrapping_sub(&low),
        }
    }

    /// The prime, 256 big-endian bytes (as `dh_prime` is sent).
    pub fn prime_be(&self) -> &[u8; BYTES_2048] {
        &self.prime_be
    }

    /// The generator.
    pub fn g(&self) -> u32 {
        self.g
    }

    /// Check a public value (`g_a` from the server, `g_b` from the client)
    /// before using it (`/mtproto/auth_key`, "checks";
    /// `/mtproto/security_guidelines`): `1 < x < p - 1` and
    /// `2^(2048-64) <= x <= p - 2^(2048-64)`.
    ///
    /// `value_be` is big-endian; leading zero bytes are allowed, more than
    /// 256 significant bytes are out of range. `which` (`"g_a"` or `"g_b"`)
    /// names the value in the error.
    ///
    /// # Errors
    ///
    /// [`AuthError::DhValueOutOfRange`] when a bound fails.
    pub fn check_public(&self, value_be: &[u8], which: &'static str) -> Result<(), AuthError> {
        let out = AuthError::DhValueOutOfRange { which };
        let x = u2048_from_be(value_be).ok_or(out.clone())?;
        let p_minus_1 = self.modulus.value().wrapping_sub(&U2048::ONE);
        // The second pair of bounds implies the first; both are spelled out
        // as the spec lists them.
        if x <= U2048::ONE || x >= p_minus_1 || x < self.low || x > self.high {
            return Err(out);
        }
        Ok(())
    }

    /// `g^secret mod p`, in time independent of `secret` (the client's
    /// `g_b` from `b`, the server's `g_a` from `a`). `secret` is a 2048-bit
    /// big-endian number from the CSPRNG (`/mtproto/auth_key`: `a` and `b`
    /// are random 2048-bit numbers). Check the result with
    /// [`DhGroup::check_public`] before sending it, and draw a new secret if
    /// it fails.
    pub fn public_from_secret(&self, secret: &[u8; BYTES_2048]) -> [u8; BYTES_2048] {
        let mut exp = U2048::from_be_slice(secret);
        let public = pow_mod_secret(&self.g_big, &exp, &self.modulus);
        exp.zeroize();
        u2048_to_be(&public)
    }

    /// The auth key `peer^secret mod p` (`/mtproto/auth_key`: "auth_key =
    /// g_ab", 256 big-endian bytes), after [`DhGroup::check_public`] on the
    /// peer's value. The exponentiation runs in time independent of
    /// `secret`. In a safe-prime group the range check also rules out the
    /// elements of order 1 and 2, so the key is never 1 or `p - 1`.
    ///
    /// # Errors
    ///
    /// [`AuthError::DhValueOutOfRange`] (naming `which`) when the peer's
    /// value fails the range check.
    pub fn shared_secret(
        &self,
        peer_public_be: &[u8],
        secret: &[u8; BYTES_2048],
        which: &'static str,
    ) -> Result<Zeroizing<[u8; BYTES_2048]>, AuthError> {
        self.check_public(peer_public_be, which)?;
        let peer = u2048_from_be(peer_public_be).ok_or(AuthError::DhValueOutOfRange { which })?;
        let mut exp = U2048::from_be_slice(secret);
        let mut key = pow_mod_secret(&peer, &exp, &self.modulus);
        exp.zeroize();
        let mut out = Zeroizing::new([0u8; BYTES_2048]);
        out.copy_from_slice(key.to_be_bytes().as_ref());
        key.zeroize();
        Ok(out)
    }
}

/// `x mod m` for a big-endian number and a small `m` (the residue
/// conditions need `p mod 840`, 840 being the lcm of 3, 5, 7, 8 and 24).
fn mod_small(be: &[u8], m: u32) -> u32 {
    be.iter().fold(0u32, |r, &b| (r * 256 + u32::from(b)) % m)
}

/// `/mtproto/auth_key`: the condition on `p` that makes `g` (2..=7) a
/// quadratic residue modulo `p`, so it generates the cyclic subgroup of prime
/// order `(p - 1) / 2`. `p840` is `p mod 840`.
fn generator_condition(g: u32, p840: u32) -> Result<(), &'static str> {
    let ok = match g {
        2 => p840 % 8 == 7,
        3 => p840 % 3 == 2,
        4 => true,
        5 => matches!(p840 % 5, 1 | 4),
        6 => matches!(p840 % 24, 19 | 23),
        7 => matches!(p840 % 7, 3 | 5 | 6),
        _ => return Err("g must be in 2..=7"),
    };
    if ok {
        return Ok(());
    }
    Err(match g {
        2 => "g = 2 requires dh_prime mod 8 = 7",
        3 => "g = 3 requires dh_prime mod 3 = 2",
        5 => "g = 5 requires dh_prime mod 5 in {1, 4}",
        6 => "g = 6 requires dh_prime mod 24 in {19, 23}",
        _ => "g = 7 requires dh_prime mod 7 in {3, 5, 6}",
    })
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
    use crate::rand::{SecureRandom, SeededRandom};
    use num_bigint::BigUint;

    /// A second 2048-bit safe prime (`openssl dhparam -2 2048`): p mod 8 = 7,
    /// mod 5 = 4, mod 24 = 23, mod 7 = 4.
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
    /// A 2048-bit prime, 3 mod 4, whose (p - 1) / 2 is composite.
    const NOT_SAFE_PRIME: &str = concat!(
        "c5e45504c4f239f2d8d6acf74481b0cbed574318e3a62c8dd9457980cccc18b4",
        "13cb4905707548a177a0eeddc26635857b4af789c44e8d7f7bac16a136be3b4a",
        "b18d6970c3e27f6bfcda00848127548794914d153a8e716fc6d3f45995ba6910",
        "f2e5584899082509475b6929206cdceb9e97ed2300acaf0ad57c5b398fd55f94",
        "47e9e4c64bfad285320b59062ae03c85981a9cbb8615b86e2dee53b3e89e5986",
        "a99e18e6d996138a130f8acfc79101b6e8361a464587529f084bd778853763b8",
        "89c8659ad031af45d6ea27499579e19c962881c2dd4a914890f32d0cd703ae06",
        "d5ad6d3105bfb7513dff72fa690fcbcd62439ee25e8d66a0f8abacb38ba0ecef",
    );
    /// A 2047-bit prime.
    const PRIME_2047: &str = concat!(
        "530e7f8cf9d2f16cf949c2b0d8b143d9b7e92292253db87cb3bd5324875ac084",
        "9d4557e4405b9f255dae6871beddc7742a86d6e54b77c54a77189fb4436f2bd1",
        "18788a9350ddd86beee6a8b949c85d9316f8cf1a1c0a351da95fc409fe241fbf",
        "6d664e69243b8748f9fb630e87157ee4e451de9a2930b520490eda18c4064621",
        "7e2683574b41eab8688b2c91244ae8f3376ee0041db2b6b67a68d1e8b62f2eb9",
        "98aabef1ffac4c5818e4336523ddead74152501a1d7b00754629dae6de49cff0",
        "083faddcc0c1921211b17a71a42b27c47d2539d3e482accc3fb2a337d16f3fdd",
        "49d1b6cd87799617d348bedd9833d25014fb37a4c6f6084268fdec8465f3f41b",
    );
    /// A 2049-bit prime (257 bytes).
    const PRIME_2049: &str = concat!(
        "01946431bcb9a186a8479331df7a771f92f5835a516a27fbbfd193d202d35304",
        "e46ab6f476095d34b8b73cbb2efe7826030859aa4d1f62d7f16484a9a066a438",
        "1df343b9dcd343dbd8fe1ca18f34978a064007d99eb1d22c2b9c30d81bce407c",
        "08a996c224827d3b7079ea14ecc24f56f4c93487cb234b13e6e2dc55fdca5577",
        "4b35e0f9a229d5830b82555e68c727d756b1c596cd5a2c13ac7e7dad33b2afb5",
        "f974d321cbb325291fff93acddd8ed2c26166c647a67fb9bccca34930864a3d8",
        "4c07bf765507e36b1806ccb40654613bc1ffb67c0c62fc61c19c648ef6a1a32f",
        "db301ca55f968b174098d4e1fc7c61d9aede006f9882fa33d52f2a77ad866d04",
        "3f",
    );

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    fn big(b: &[u8]) -> BigUint {
        BigUint::from_bytes_be(b)
    }

    fn be256(x: &BigUint) -> Vec<u8> {
        let b = x.to_bytes_be();
        let mut out = vec![0u8; 256usize.saturating_sub(b.len())];
        out.extend_from_slice(&b);
        out
    }

    /// (g_a, b, g_b, auth_key) of `/mtproto/samples-auth_key`.
    fn spec_example() -> (Vec<u8>, [u8; 256], Vec<u8>, Vec<u8>) {
        let doc: serde_json::Value =
            serde_json::from_str(include_str!("../../../tests/vectors/samples_auth_key.json"))
                .unwrap();
        let field = |a: &str, b: &str| {
            let v = if b.is_empty() { &doc[a] } else { &doc[a][b] };
            unhex(v.as_str().unwrap())
        };
        // answer_with_hash = SHA1 (20) ‖ server_DH_inner_data ‖ padding.
        let answer = field("server_dh", "answer_with_hash");
        let inner = &answer[20..];
        assert_eq!(inner[..4], [0xba, 0x0d, 0x89, 0xb5]); // b5890dba
        assert_eq!(inner[36..40], [3, 0, 0, 0]); // g = 3
        assert_eq!(inner[40..44], [0xfe, 0, 1, 0]); // dh_prime: 256 bytes
        assert_eq!(inner[44..300], TELEGRAM_DH_PRIME);
        assert_eq!(inner[300..304], [0xfe, 0, 1, 0]); // g_a: 256 bytes
        let g_a = inner[304..560].to_vec();
        let b: [u8; 256] = field("client_dh", "b").try_into().unwrap();
        (g_a, b, field("client_dh", "g_b"), field("auth_key", ""))
    }

    #[test]
    fn telegram_group_is_valid() {
        let t = DhGroup::telegram();
        assert_eq!(t.g(), 3);
        assert_eq!(t.prime_be(), &TELEGRAM_DH_PRIME);
        // The fast path agrees with the full test.
        let p = U2048::from_be_slice(&TELEGRAM_DH_PRIME);
        assert!(is_prime(Flavor::Safe, &p));
        let checked = DhGroup::new_checked(3, &TELEGRAM_DH_PRIME).unwrap();
        assert_eq!(checked.prime_be(), t.prime_be());
        // Leading zeros are fine.
        let mut padded = vec![0u8; 3];
        padded.extend_from_slice(&TELEGRAM_DH_PRIME);
        assert_eq!(DhGroup::new_checked(3, &padded).unwrap().g(), 3);
        assert!(format!("{t:?}").contains("c71caeb9c6b1c904"));
    }

    #[test]
    fn spec_example_values() {
        let (g_a, b, g_b, auth_key) = spec_example();
        let group = DhGroup::telegram();
        group.check_public(&g_a, "g_a").unwrap();
        group.check_public(&g_b, "g_b").unwrap();
        assert_eq!(group.public_from_secret(&b).to_vec(), g_b);
        let key = group.shared_secret(&g_a, &b, "g_a").unwrap();
        assert_eq!(key.to_vec(), auth_key);
    }

    #[test]
    fn matches_num_bigint_for_random_exponents() {
        let group = DhGroup::telegram();
        let p = big(&TELEGRAM_DH_PRIME);
        let mut rng = SeededRandom::from_u64(9);
        for _ in 0..8 {
            let (mut a, mut b) = ([0u8; 256], [0u8; 256]);
            rng.fill(&mut a).unwrap();
            rng.fill(&mut b).unwrap();
            let g_a = group.public_from_secret(&a);
            assert_eq!(big(&g_a), BigUint::from(3u32).modpow(&big(&a), &p));
            let g_b = group.public_from_secret(&b);
            let k1 = group.shared_secret(&g_a, &b, "g_a").unwrap();
            let k2 = group.shared_secret(&g_b, &a, "g_b").unwrap();
            assert_eq!(*k1, *k2);
            assert_eq!(big(&*k1), big(&g_a).modpow(&big(&b), &p));
        }
        // Short exponents and the other group's generators agree too.
        let other = DhGroup::new_checked(2, &unhex(OTHER_SAFE_PRIME)).unwrap();
        let mut e = [0u8; 256];
        e[255] = 5;
        assert_eq!(
            big(&other.public_from_secret(&e)),
            BigUint::from(32u32) % big(&unhex(OTHER_SAFE_PRIME))
        );
    }

    #[test]
    fn generator_rules_on_both_primes() {
        let other = unhex(OTHER_SAFE_PRIME);
        // Telegram's prime: mod 8 = 3, mod 3 = 2, mod 5 = 3, mod 24 = 11,
        // mod 7 = 6. The other: mod 8 = 7, mod 5 = 4, mod 24 = 23, mod 7 = 4.
        // A safe prime above 7 is always 2 mod 3, so g = 3 and 4 pass on both.
        let cases: [(i64, bool, bool); 6] = [
            (2, false, true),
            (3, true, true),
            (4, true, true),
            (5, false, true),
            (6, false, true),
            (7, true, false),
        ];
        for (g, telegram_ok, other_ok) in cases {
            let t = DhGroup::new_checked(g, &TELEGRAM_DH_PRIME);
            let o = DhGroup::new_checked(g, &other);
            assert_eq!(t.is_ok(), telegram_ok, "g = {g} on Telegram's prime");
            assert_eq!(o.is_ok(), other_ok, "g = {g} on the other prime");
            for r in [t, o] {
                if let Err(e) = r {
                    assert!(
                        matches!(e, AuthError::InvalidGenerator { g: eg, reason } if eg == g && reason.starts_with("g = ")),
                        "{e}"
                    );
                }
            }
        }
        for g in [1, 8, 0, -3, i64::MIN, i64::MAX, 1 << 32 | 3] {
            assert_eq!(
                DhGroup::new_checked(g, &TELEGRAM_DH_PRIME).unwrap_err(),
                AuthError::InvalidGenerator {
                    g,
                    reason: "g must be in 2..=7"
                }
            );
        }
    }

    #[test]
    fn generator_condition_table() {
        // Every residue class mod 840 against the rules written out.
        for r in 0..840 {
            assert_eq!(generator_condition(2, r).is_ok(), r % 8 == 7);
            assert_eq!(generator_condition(3, r).is_ok(), r % 3 == 2);
            assert!(generator_condition(4, r).is_ok());
            assert_eq!(generator_condition(5, r).is_ok(), [1, 4].contains(&(r % 5)));
            assert_eq!(
                generator_condition(6, r).is_ok(),
                [19, 23].contains(&(r % 24))
            );
            assert_eq!(
                generator_condition(7, r).is_ok(),
                [3, 5, 6].contains(&(r % 7))
            );
            assert!(generator_condition(8, r).is_err());
        }
        let p = big(&TELEGRAM_DH_PRIME);
        assert_eq!(
            BigUint::from(mod_small(&TELEGRAM_DH_PRIME, 840)),
            p % BigUint::from(840u32)
        );
    }

    #[test]
    fn bad_primes() {
        let err = |b: &[u8]| DhGroup::new_checked(3, b).unwrap_err();
        assert_eq!(
            err(&unhex(PRIME_2047)),
            AuthError::InvalidDhPrime("dh_prime is not above 2^2047")
        );
        assert_eq!(
            err(&unhex(PRIME_2049)),
            AuthError::InvalidDhPrime("dh_prime is not below 2^2048")
        );
        // 2^2047 itself, and empty input.
        let mut two_2047 = [0u8; 256];
        two_2047[0] = 0x80;
        assert_eq!(
            err(&two_2047),
            AuthError::InvalidDhPrime("dh_prime is not above 2^2047")
        );
        assert_eq!(
            err(&[]),
            AuthError::InvalidDhPrime("dh_prime is not above 2^2047")
        );
        // Telegram's prime + 2 is composite; + 1 is even.
        for add in [1u32, 2] {
            let composite = be256(&(big(&TELEGRAM_DH_PRIME) + add));
            assert_eq!(
                err(&composite),
                AuthError::InvalidDhPrime("dh_prime is not prime")
            );
        }
        // Prime, 3 mod 4, but (p - 1) / 2 is composite.
        assert_eq!(
            err(&unhex(NOT_SAFE_PRIME)),
            AuthError::InvalidDhPrime("(dh_prime - 1) / 2 is not prime (not a safe prime)")
        );
        // A random 2048-bit prime (almost surely not safe) from crypto-primes.
        let mut seeded = SeededRandom::from_u64(21);
        let mut rng = rand_core::UnwrapErr(crate::crypto::bigint::RngAdapter(&mut seeded));
        let p: U2048 = crypto_primes::random_prime(&mut rng, Flavor::Any, 2048);
        assert!(!is_prime(Flavor::Safe, &p));
        assert!(matches!(
            err(&u2048_to_be(&p)),
            AuthError::InvalidDhPrime(m) if m.contains("safe")
        ));
    }

    #[test]
    fn public_value_bounds() {
        let group = DhGroup::telegram();
        let p = big(&TELEGRAM_DH_PRIME);
        let low = BigUint::from(1u32) << 1984u32;
        let one = BigUint::from(1u32);
        let check = |x: &BigUint| group.check_public(&be256(x), "g_a");
        let out = Err(AuthError::DhValueOutOfRange { which: "g_a" });
        for bad in [
            BigUint::from(0u32),
            one.clone(),
            BigUint::from(2u32),
            &low - &one,
            &p - &low + &one,
            &p - &one,
            p.clone(),
            &p + &one,
            (BigUint::from(1u32) << 2048u32) - &one,
        ] {
            assert_eq!(check(&bad), out, "{bad:x}");
        }
        for good in [low.clone(), &p - &low, &low + &one, &p >> 1u32] {
            assert_eq!(check(&good), Ok(()), "{good:x}");
        }
        // Longer than 256 bytes: fine with leading zeros, out of range
        // otherwise. Short encodings are fine when the value is in range.
        let mut long = vec![0u8; 44];
        long.extend_from_slice(&be256(&low));
        assert_eq!(group.check_public(&long, "g_b"), Ok(()));
        long[0] = 1;
        assert_eq!(
            group.check_public(&long, "g_b"),
            Err(AuthError::DhValueOutOfRange { which: "g_b" })
        );
        assert_eq!(group.check_public(&low.to_bytes_be(), "g_b"), Ok(()));
        assert!(group.check_public(&[], "g_b").is_err());
        assert!(group.check_public(&[0xff; 300], "g_b").is_err());
        // shared_secret checks first and names the value.
        assert_eq!(
            group.shared_secret(&[1], &[7; 256], "g_b").unwrap_err(),
            AuthError::DhValueOutOfRange { which: "g_b" }
        );
    }
}
