//! The server's RSA private key: what decrypts `req_DH_params.encrypted_data`
//! (`/mtproto/auth_key`). Loading checks the key's consistency; generation
//! draws two 1024-bit primes with `crypto-primes`.

use core::convert::Infallible;
use core::fmt;

use crypto_bigint::ctutils::{CtEq, CtGt, CtLt, CtSelect};
use crypto_bigint::{NonZero, Odd, U1024, U2048};
use crypto_primes::hazmat::{SetBits, SmallFactorsSieveFactory};
use crypto_primes::{Flavor, is_prime, sieve_and_find};
use pkcs1::der::{Decode, SecretDocument};
use pkcs1::{EncodeRsaPrivateKey, LineEnding, RsaPrivateKeyRef};
use pkcs8::PrivateKeyInfoRef;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::{RsaPublicKey, invalid, uint_ref};
use crate::crypto::bigint::{
    BYTES_2048, RngAdapter, pow_mod_public, pow_mod_secret, u2048_from_be, u2048_to_be,
};
use crate::error::{AuthError, CryptoError};
use crate::rand::SecureRandom;

/// The public exponent of generated keys (F4, as Telegram's keys use).
const E: u64 = 65_537;

/// Prime pairs drawn before [`RsaPrivateKey::generate`] gives up. A pair is
/// only redrawn when `p = q` or `e` divides `p - 1` or `q - 1` (about 1 in
/// 32 768 per prime), so this bound is never reached with a working RNG.
const MAX_PRIME_PAIRS: usize = 16;

/// A 2048-bit RSA private key: the server side of `req_DH_params`
/// (`/mtproto/auth_key`).
///
/// Every secret number is zeroized on drop; `Debug` prints only the
/// fingerprint. The private exponent is only ever used through the
/// constant-time exponentiation ([`crate::crypto::bigint::pow_mod_secret`]).
#[derive(Clone)]
pub struct RsaPrivateKey {
    public: RsaPublicKey,
    secret: Box<Secret>,
}

/// The secret half, boxed so that moving the key does not leave copies of it
/// on the stack.
#[derive(Clone)]
struct Secret {
    d: U2048,
    p: U2048,
    q: U2048,
    dp: U2048,
    dq: U2048,
    qinv: U2048,
    pem: Zeroizing<String>,
}

impl Drop for Secret {
    fn drop(&mut self) {
        for x in [
            &mut self.d,
            &mut self.p,
            &mut self.q,
            &mut self.dp,
            &mut self.dq,
            &mut self.qinv,
        ] {
            x.zeroize();
        }
        // `pem` is `Zeroizing` and clears itself.
    }
}

impl ZeroizeOnDrop for Secret {}
impl ZeroizeOnDrop for RsaPrivateKey {}

impl RsaPrivateKey {
    /// Parse a PEM private key: PKCS#1 (`-----BEGIN RSA PRIVATE KEY-----`)
    /// or unencrypted PKCS#8 (`-----BEGIN PRIVATE KEY-----`) holding an
    /// rsaEncryption key.
    ///
    /// Only two-prime 2048-bit keys are accepted, and only consistent ones:
    /// `p·q = n`, `d mod (p-1)`, `d mod (q-1)` and `q⁻¹ mod p` match, and a
    /// test value encrypted with `e` decrypts back with `d`. Anything else is
    /// [`AuthError::InvalidRsaKey`].
    pub fn from_pem(pem: &str) -> Result<Self, AuthError> {
        let (label, doc) =
            SecretDocument::from_pem(pem.trim()).map_err(|e| invalid(format!("bad PEM: {e}")))?;
        let pkcs1_der = match label {
            "RSA PRIVATE KEY" => doc.as_bytes(),
            "PRIVATE KEY" => {
                let info = PrivateKeyInfoRef::from_der(doc.as_bytes())
                    .map_err(|e| invalid(format!("bad PKCS#8 private key: {e}")))?;
                if info.algorithm.oid != pkcs1::ALGORITHM_OID {
                    return Err(invalid(format!(
                        "algorithm {} is not rsaEncryption",
                        info.algorithm.oid
                    )));
                }
                info.private_key.as_bytes()
            }
            other => {
                return Err(invalid(format!(
                    "PEM label {other:?}, expected \"RSA PRIVATE KEY\" or \"PRIVATE KEY\""
                )));
            }
        };
        let key = RsaPrivateKeyRef::from_der(pkcs1_der)
            .map_err(|e| invalid(format!("bad PKCS#1 private key: {e}")))?;
        if key.other_prime_infos.is_some() {
            return Err(invalid("multi-prime keys are not supported".into()));
        }
        let public =
            RsaPublicKey::from_components(key.modulus.as_bytes(), key.public_exponent.as_bytes())?;
        let num = |what: &str, bytes: &[u8]| {
            u2048_from_be(bytes).ok_or_else(|| invalid(format!("{what} is longer than 2048 bits")))
        };
        let secret = Secret {
            d: num("private exponent", key.private_exponent.as_bytes())?,
            p: num("prime1", key.prime1.as_bytes())?,
            q: num("prime2", key.prime2.as_bytes())?,
            dp: num("exponent1", key.exponent1.as_bytes())?,
            dq: num("exponent2", key.exponent2.as_bytes())?,
            qinv: num("coefficient", key.coefficient.as_bytes())?,
            pem: Zeroizing::new(String::new()),
        };
        Self::assemble(public, Box::new(secret))
    }

    /// A new key: `e = 65537` and two random 1024-bit primes (top two bits
    /// set, so `n` has exactly 2048 bits), drawn with `crypto-primes` from
    /// `rng`; `d = e⁻¹ mod (p-1)(q-1)`. Prime search time varies a lot: about
    /// 20 to 160 ms in release builds (`cargo bench --bench rsa`).
    ///
    /// Fails only when `rng` does ([`AuthError::Crypto`]).
    pub fn generate(rng: &mut dyn SecureRandom) -> Result<Self, AuthError> {
        let e = U2048::from_u64(E);
        for _ in 0..MAX_PRIME_PAIRS {
            let mut p = Zeroizing::new(random_prime_1024(rng)?);
            let mut q = Zeroizing::new(random_prime_1024(rng)?);
            // PKCS#1 convention (and OpenSSL's): p > q. The swap is a
            // constant-time select.
            let swap = p.ct_lt(&*q);
            p.ct_swap(&mut q, swap);
            let p1 = Zeroizing::new(p.wrapping_sub(&U1024::ONE));
            let q1 = Zeroizing::new(q.wrapping_sub(&U1024::ONE));
            let phi: Zeroizing<U2048> = Zeroizing::new(p1.concatenating_mul(&*q1));
            let wide = |x: &U1024| -> U2048 { x.resize() };
            let d = NonZero::new(*phi)
                .into_option()
                .and_then(|phi| e.invert_mod(&phi).into_option())
                .map(Zeroizing::new);
            let qinv = Odd::new(*p)
                .into_option()
                .and_then(|p| q.invert_odd_mod(&p).into_option())
                .map(Zeroizing::new);
            let (Some(d), Some(qinv)) = (d, qinv) else {
                // p = q, or e divides p - 1 or q - 1: draw again.
                continue;
            };
            let (Some(p1_nz), Some(q1_nz)) = (
                NonZero::new(wide(&p1)).into_option(),
                NonZero::new(wide(&q1)).into_option(),
            ) else {
                continue;
            };
            let n: U2048 = p.concatenating_mul(&*q);
            let secret = Box::new(Secret {
                d: *d,
                p: wide(&p),
                q: wide(&q),
                dp: d.rem(&p1_nz),
                dq: d.rem(&q1_nz),
                qinv: wide(&qinv),
                pem: Zeroizing::new(String::new()),
            });
            let public = RsaPublicKey::from_components(&u2048_to_be(&n), &E.to_be_bytes())?;
            return Self::assemble(public, secret);
        }
        Err(AuthError::Crypto(CryptoError::RandomUnavailable))
    }

    /// Check the key's consistency and encode its PEM once.
    fn assemble(public: RsaPublicKey, mut secret: Box<Secret>) -> Result<Self, AuthError> {
        check_consistency(&public, &secret)?;
        secret.pem = encode_pem(&public, &secret)?;
        Ok(RsaPrivateKey { public, secret })
    }

    /// The key as PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`, LF line
    /// endings). The returned string holds the secret key: zeroize it when
    /// done if it does not go straight to storage.
    pub fn to_pem(&self) -> String {
        self.secret.pem.as_str().to_owned()
    }

    /// The matching public key (what clients hold and `resPQ` fingerprints).
    pub fn public_key(&self) -> RsaPublicKey {
        self.public.clone()
    }

    /// The fingerprint of the public key
    /// ([`RsaPublicKey::fingerprint`]).
    pub fn fingerprint(&self) -> i64 {
        self.public.fingerprint()
    }

    /// `c^d mod n` for a ciphertext `c` given as a big-endian byte string of
    /// at most 256 significant bytes (leading zeros are fine), as 256
    /// big-endian bytes.
    ///
    /// `c` must be smaller than `n`, else [`AuthError::RsaDecryptFailed`].
    /// The exponentiation runs in time independent of `d`. The result is the
    /// raw RSA plaintext: treat it as secret and zeroize it after use.
    pub fn decrypt_raw(&self, encrypted: &[u8]) -> Result<[u8; 256], AuthError> {
        let c = u2048_from_be(encrypted).ok_or(AuthError::RsaDecryptFailed)?;
        // The ciphertext is public: a variable-time comparison is fine.
        if c.cmp_vartime(self.public.n()).is_ge() {
            return Err(AuthError::RsaDecryptFailed);
        }
        let m = Zeroizing::new(pow_mod_secret(&c, &self.secret.d, self.public.modulus()));
        Ok(u2048_to_be(&m))
    }
}

impl fmt::Debug for RsaPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "RsaPrivateKey {{ fingerprint: {:#018x} }}",
            self.fingerprint() as u64
        )
    }
}

/// `p, q > 1`, `p·q = n`, the CRT values match `d`, and a test value
/// round-trips through `e` and `d`. Each failure says what is wrong but no
/// more (no numbers).
fn check_consistency(public: &RsaPublicKey, s: &Secret) -> Result<(), AuthError> {
    let one = U2048::ONE;
    if !(s.p.ct_gt(&one).to_bool() && s.q.ct_gt(&one).to_bool()) {
        return Err(invalid("a prime factor is 0 or 1".into()));
    }
    let (lo, hi) = s.p.widening_mul(&s.q);
    if !lo.ct_eq(public.n()).and(hi.ct_eq(&U2048::ZERO)).to_bool() {
        return Err(invalid("p·q is not the modulus".into()));
    }
    // p, q > 1, so p - 1 and q - 1 are non-zero and p is odd (p·q = n is odd).
    let p1 = NonZero::new(s.p.wrapping_sub(&one)).into_option();
    let q1 = NonZero::new(s.q.wrapping_sub(&one)).into_option();
    let p_nz = NonZero::new(s.p).into_option();
    let (Some(p1), Some(q1), Some(p_nz)) = (p1, q1, p_nz) else {
        return Err(invalid("a prime factor is 0 or 1".into()));
    };
    let crt_ok =
        s.dp.ct_eq(&s.d.rem(&p1))
            .and(s.dq.ct_eq(&s.d.rem(&q1)))
            .and(U2048::rem_wide(s.qinv.widening_mul(&s.q), &p_nz).ct_eq(&one));
    if !crt_ok.to_bool() {
        return Err(invalid(
            "exponent1, exponent2 or coefficient does not match".into(),
        ));
    }
    // 0x5a5a.. < 2^2047 <= n. Encrypt with e, decrypt with d: a wrong d (or
    // e) gives another value.
    let m = U2048::from_be_slice(&[0x5a; BYTES_2048]);
    let c = pow_mod_public(&m, public.e(), public.modulus());
    let back = Zeroizing::new(pow_mod_secret(&c, &s.d, public.modulus()));
    if !back.ct_eq(&m).to_bool() {
        return Err(invalid(
            "the private exponent does not invert the public one".into(),
        ));
    }
    Ok(())
}

/// PKCS#1 PEM of the key (every intermediate byte string is zeroized).
fn encode_pem(public: &RsaPublicKey, s: &Secret) -> Result<Zeroizing<String>, AuthError> {
    let be = |x: &U2048| Zeroizing::new(u2048_to_be(x));
    let n = public.modulus_be();
    let e = public.exponent_be();
    let (d, p, q) = (be(&s.d), be(&s.p), be(&s.q));
    let (dp, dq, qinv) = (be(&s.dp), be(&s.dq), be(&s.qinv));
    RsaPrivateKeyRef {
        modulus: uint_ref(&n)?,
        public_exponent: uint_ref(&e)?,
        private_exponent: uint_ref(d.as_slice())?,
        prime1: uint_ref(p.as_slice())?,
        prime2: uint_ref(q.as_slice())?,
        exponent1: uint_ref(dp.as_slice())?,
        exponent2: uint_ref(dq.as_slice())?,
        coefficient: uint_ref(qinv.as_slice())?,
        other_prime_infos: None,
    }
    .to_pkcs1_pem(LineEnding::LF)
    .map_err(|err| invalid(format!("cannot encode the key: {err}")))
}

/// A random 1024-bit prime with its top two bits set.
///
/// `crypto-primes` wants an infallible RNG; [`Recording`] turns our fallible
/// one into that by remembering the first failure (and supplying zeros from
/// then on, which still lets the search end), and the failure is returned
/// here instead of a prime built from non-random bits.
fn random_prime_1024(rng: &mut dyn SecureRandom) -> Result<U1024, AuthError> {
    let mut source = Recording {
        inner: RngAdapter(rng),
        failure: None,
    };
    let factory = SmallFactorsSieveFactory::<U1024>::new(Flavor::Any, 1024, SetBits::TwoMsb)
        .map_err(|e| invalid(format!("prime sieve: {e}")))?;
    let found = sieve_and_find(&mut source, factory, |_, candidate| {
        is_prime(Flavor::Any, candidate)
    });
    if let Some(err) = source.failure {
        return Err(AuthError::Crypto(err));
    }
    found
        .map_err(|e| invalid(format!("prime search: {e}")))?
        .ok_or_else(|| invalid("prime search ended without a prime".into()))
}

/// An infallible view of a fallible RNG that records the first failure.
struct Recording<'a> {
    inner: RngAdapter<'a>,
    failure: Option<CryptoError>,
}

impl Recording<'_> {
    fn fill(&mut self, dst: &mut [u8]) {
        use rand_core::TryRng;
        if self.failure.is_some() {
            dst.fill(0);
        } else if let Err(e) = self.inner.try_fill_bytes(dst) {
            dst.fill(0);
            self.failure = Some(e);
        }
    }
}

impl rand_core::TryRng for Recording<'_> {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut b = [0u8; 4];
        self.fill(&mut b);
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut b = [0u8; 8];
        self.fill(&mut b);
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.fill(dst);
        Ok(())
    }
}

impl rand_core::TryCryptoRng for Recording<'_> {}
