//! Tests of `crypto::rsa`: PEM in all four forms against OpenSSL's encoder,
//! the Telegram keys' fingerprints, RSA_PAD and the old scheme against a
//! reference built from `num-bigint`, `sha2` and the RustCrypto `ige` crate,
//! and every failure path.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aes::Aes256;
use ige::cipher::{BlockModeEncrypt, KeyIvInit};
use num_bigint::BigUint;
use pkcs1::der::{Decode, SecretDocument};
use pkcs1::{EncodeRsaPrivateKey, LineEnding, RsaPrivateKeyRef, UintRef};
use sha2::{Digest, Sha256};

use super::*;
use crate::error::CryptoError;
use crate::rand::{SecureRandom, SeededRandom};

fn openssl_key() -> RsaPrivateKey {
    RsaPrivateKey::from_pem(OPENSSL_PKCS1_PRIVATE).unwrap()
}

fn big(bytes: &[u8]) -> BigUint {
    BigUint::from_bytes_be(bytes)
}

fn be256(x: &BigUint) -> [u8; 256] {
    let b = x.to_bytes_be();
    let mut out = [0u8; 256];
    out[256 - b.len()..].copy_from_slice(&b);
    out
}

/// The eight integers of a PKCS#1 private key PEM, in file order
/// (n, e, d, p, q, dP, dQ, qInv).
fn private_numbers(pem: &str) -> Vec<BigUint> {
    let (_, doc) = SecretDocument::from_pem(pem).unwrap();
    let k = RsaPrivateKeyRef::from_der(doc.as_bytes()).unwrap();
    [
        k.modulus,
        k.public_exponent,
        k.private_exponent,
        k.prime1,
        k.prime2,
        k.exponent1,
        k.exponent2,
        k.coefficient,
    ]
    .iter()
    .map(|u| big(u.as_bytes()))
    .collect()
}

/// A PKCS#1 private key PEM from eight integers (no consistency checks).
fn private_pem(nums: &[BigUint]) -> String {
    let bytes: Vec<Vec<u8>> = nums.iter().map(|x| x.to_bytes_be()).collect();
    let u = |i: usize| UintRef::new(&bytes[i]).unwrap();
    let key = RsaPrivateKeyRef {
        modulus: u(0),
        public_exponent: u(1),
        private_exponent: u(2),
        prime1: u(3),
        prime2: u(4),
        exponent1: u(5),
        exponent2: u(6),
        coefficient: u(7),
        other_prime_infos: None,
    };
    key.to_pkcs1_pem(LineEnding::LF).unwrap().to_string()
}

/// RSA_PAD written again from the spec with independent primitives: SHA-256
/// from `sha2`, IGE from the RustCrypto `ige` crate, the RSA step with
/// `num-bigint`.
fn reference_rsa_pad(
    key: &RsaPublicKey,
    data: &[u8],
    padding: &[u8],
    temp_key: &[u8; 32],
) -> Option<[u8; 256]> {
    let data_with_padding = [data, padding].concat();
    let mut data_with_hash: Vec<u8> = data_with_padding.iter().rev().copied().collect();
    data_with_hash.extend_from_slice(
        &Sha256::new()
            .chain_update(temp_key)
            .chain_update(&data_with_padding)
            .finalize(),
    );
    let mut ige = ige::Encryptor::<Aes256>::new(temp_key.into(), (&[0u8; 32]).into());
    for block in data_with_hash.chunks_exact_mut(16) {
        ige.encrypt_block(block.try_into().unwrap());
    }
    let h = Sha256::digest(&data_with_hash);
    let mut key_aes_encrypted: Vec<u8> =
        temp_key.iter().zip(h.iter()).map(|(a, b)| a ^ b).collect();
    key_aes_encrypted.extend_from_slice(&data_with_hash);
    let (x, n) = (big(&key_aes_encrypted), big(&key.modulus_be()));
    (x < n).then(|| be256(&x.modpow(&big(&key.exponent_be()), &n)))
}

/// An RNG that returns the same byte forever (a broken one).
struct Constant(u8);

impl SecureRandom for Constant {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        dest.fill(self.0);
        Ok(())
    }
}

/// An RNG that serves `.0` more bytes, then fails.
struct FailsAfter(usize);

impl SecureRandom for FailsAfter {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        if dest.len() > self.0 {
            return Err(CryptoError::RandomUnavailable);
        }
        self.0 -= dest.len();
        dest.fill(0x42);
        Ok(())
    }
}

fn invalid_key(r: Result<impl core::fmt::Debug, AuthError>) -> String {
    match r {
        Err(AuthError::InvalidRsaKey(msg)) => msg,
        other => panic!("expected InvalidRsaKey, got {other:?}"),
    }
}

// --- keys and PEM -------------------------------------------------------------

#[test]
fn telegram_key_fingerprints() {
    let prod = RsaPublicKey::from_pem(TELEGRAM_PRODUCTION_KEY_PEM).unwrap();
    assert_eq!(prod.fingerprint(), -3_414_540_481_677_951_611);
    assert_eq!(prod.fingerprint() as u64, 0xd09d_1d85_de64_fd85);
    assert_eq!(
        hex::encode(prod.fingerprint().to_le_bytes()),
        "85fd64de851d9dd0"
    );
    let test = RsaPublicKey::from_pem(TELEGRAM_TEST_KEY_PEM).unwrap();
    assert_eq!(test.fingerprint() as u64, 0xb258_98df_208d_2603);
    assert_eq!(test.fingerprint(), -5_595_554_452_916_591_101);
    assert_eq!(telegram_production_keys(), vec![prod.clone()]);
    assert_eq!(telegram_test_keys(), vec![test.clone()]);
    for k in [&prod, &test] {
        assert_eq!(k.exponent_be(), vec![1, 0, 1]);
        assert_eq!(k.modulus_be()[0] >> 7, 1);
        // tdlib's text is the canonical PKCS#1 encoding: it round-trips exactly.
        assert_eq!(RsaPublicKey::from_pem(&k.to_pem()).unwrap(), *k);
    }
    assert_eq!(prod.to_pem(), TELEGRAM_PRODUCTION_KEY_PEM);
    assert_eq!(test.to_pem(), TELEGRAM_TEST_KEY_PEM);
}

#[test]
fn spec_sample_uses_the_production_key() {
    // /mtproto/samples-auth_key (DC 2): resPQ offers three fingerprints and
    // req_DH_params picks 85fd64de851d9dd0, which is tdlib's production key,
    // not its test-DC key.
    let sample: serde_json::Value = serde_json::from_str(include_str!(
        "../../../../tests/vectors/samples_auth_key.json"
    ))
    .unwrap();
    let wire = sample["rsa"]["public_key_fingerprint_wire"]
        .as_str()
        .unwrap();
    let prod = telegram_production_keys()[0].fingerprint();
    assert_eq!(wire, hex::encode(prod.to_le_bytes()));
    assert_ne!(
        wire,
        hex::encode(telegram_test_keys()[0].fingerprint().to_le_bytes())
    );
    let res_pq = sample["messages"]["resPQ"].as_str().unwrap();
    assert!(res_pq.ends_with(wire));
    // The recorded encrypted_data is a residue below the production modulus.
    let encrypted = hex::decode(sample["rsa"]["encrypted_data"].as_str().unwrap()).unwrap();
    assert_eq!(encrypted.len(), 256);
    assert!(big(&encrypted) < big(&telegram_production_keys()[0].modulus_be()));
}

#[test]
fn public_pem_pkcs1_and_spki() {
    let pkcs1 = RsaPublicKey::from_pem(OPENSSL_PKCS1_PUBLIC).unwrap();
    let spki = RsaPublicKey::from_pem(OPENSSL_SPKI_PUBLIC).unwrap();
    assert_eq!(pkcs1, spki);
    assert_eq!(pkcs1.fingerprint(), OPENSSL_FINGERPRINT);
    // Our PKCS#1 encoding is byte for byte OpenSSL's.
    assert_eq!(spki.to_pem(), OPENSSL_PKCS1_PUBLIC);
    assert_eq!(RsaPublicKey::from_pem(&spki.to_pem()).unwrap(), spki);
    // CRLF line endings and surrounding whitespace are accepted.
    let crlf = format!("\n  {}  \n", OPENSSL_SPKI_PUBLIC.replace('\n', "\r\n"));
    assert_eq!(RsaPublicKey::from_pem(&crlf).unwrap(), spki);
    let debug = format!("{spki:?}");
    assert_eq!(debug, "RsaPublicKey { fingerprint: 0x164bb80102fbadaa }");
}

#[test]
fn private_pem_pkcs1_and_pkcs8() {
    let pkcs1 = openssl_key();
    let pkcs8 = RsaPrivateKey::from_pem(OPENSSL_PKCS8_PRIVATE).unwrap();
    assert_eq!(pkcs1.public_key(), pkcs8.public_key());
    assert_eq!(
        pkcs1.public_key(),
        RsaPublicKey::from_pem(OPENSSL_SPKI_PUBLIC).unwrap()
    );
    assert_eq!(pkcs1.fingerprint(), OPENSSL_FINGERPRINT);
    // Both re-export as OpenSSL's PKCS#1 text exactly.
    assert_eq!(pkcs1.to_pem(), OPENSSL_PKCS1_PRIVATE);
    assert_eq!(pkcs8.to_pem(), OPENSSL_PKCS1_PRIVATE);
    let again = RsaPrivateKey::from_pem(&pkcs8.to_pem()).unwrap();
    assert_eq!(again.public_key(), pkcs8.public_key());
    assert_eq!(
        format!("{again:?}"),
        "RsaPrivateKey { fingerprint: 0x164bb80102fbadaa }"
    );
    let cloned = again.clone();
    drop(again);
    assert_eq!(cloned.to_pem(), OPENSSL_PKCS1_PRIVATE);
}

#[test]
fn generated_key_is_consistent_and_round_trips() {
    let key = RsaPrivateKey::generate(&mut SeededRandom::from_u64(2048)).unwrap();
    let public = key.public_key();
    assert_eq!(public.modulus_be()[0] >> 7, 1, "n has exactly 2048 bits");
    assert_eq!(public.exponent_be(), vec![1, 0, 1]);
    // Independent check of every number in the exported PEM.
    let nums = private_numbers(&key.to_pem());
    let [n, e, d, p, q, dp, dq, qinv] = <[BigUint; 8]>::try_from(nums).unwrap();
    let one = BigUint::from(1u8);
    assert_eq!(&p * &q, n);
    assert!(p > q);
    assert_eq!((p.bits(), q.bits()), (1024, 1024));
    let phi = (&p - &one) * (&q - &one);
    assert_eq!(&e * &d % &phi, one);
    assert_eq!(dp, &d % (&p - &one));
    assert_eq!(dq, &d % (&q - &one));
    assert_eq!(&qinv * &q % &p, one);
    // PEM round trip, and decrypt_raw against num-bigint.
    let back = RsaPrivateKey::from_pem(&key.to_pem()).unwrap();
    assert_eq!(back.public_key(), public);
    assert_eq!(back.fingerprint(), key.fingerprint());
    let m = BigUint::from_bytes_be(&[0x33; 200]);
    let c = be256(&m.modpow(&e, &n));
    assert_eq!(big(&back.decrypt_raw(&c).unwrap()), m);
    // The same seed gives the same key; an RNG failure is reported.
    let twin = RsaPrivateKey::generate(&mut SeededRandom::from_u64(2048)).unwrap();
    assert_eq!(twin.public_key(), public);
    assert_eq!(
        RsaPrivateKey::generate(&mut FailsAfter(200)).unwrap_err(),
        AuthError::Crypto(CryptoError::RandomUnavailable)
    );
}

#[test]
fn decrypt_raw_matches_num_bigint() {
    let key = openssl_key();
    let nums = private_numbers(OPENSSL_PKCS1_PRIVATE);
    let (n, d) = (&nums[0], &nums[2]);
    let mut rng = SeededRandom::from_u64(5);
    for _ in 0..4 {
        let mut c = [0u8; 256];
        rng.fill(&mut c).unwrap();
        c[0] &= 0x7f; // below n (n > 2^2047)
        let expected = be256(&big(&c).modpow(d, n));
        assert_eq!(key.decrypt_raw(&c).unwrap(), expected);
        // Leading zeros and a short encoding are the same number.
        let long = [&[0u8; 3][..], &c].concat();
        assert_eq!(key.decrypt_raw(&long).unwrap(), expected);
    }
    assert_eq!(key.decrypt_raw(&[]).unwrap(), [0u8; 256]);
    let mut one = [0u8; 256];
    one[255] = 1;
    assert_eq!(key.decrypt_raw(&[1]).unwrap(), one);
}

// --- RSA_PAD --------------------------------------------------------------------

#[test]
fn rsa_pad_encrypt_with_matches_reference() {
    let key = openssl_key().public_key();
    let prod = telegram_production_keys().remove(0);
    let mut rng = SeededRandom::from_u64(9);
    let mut matched = 0;
    for (k, len) in [
        (&key, 0usize),
        (&key, 1),
        (&key, 96),
        (&prod, 144),
        (&prod, 100),
    ] {
        let mut data = vec![0u8; len];
        let mut padding = vec![0u8; 192 - len];
        rng.fill(&mut data).unwrap();
        rng.fill(&mut padding).unwrap();
        for _ in 0..4 {
            let mut temp_key = [0u8; 32];
            rng.fill(&mut temp_key).unwrap();
            let ours = rsa_pad_encrypt_with(k, &data, &padding, &temp_key).unwrap();
            assert_eq!(ours, reference_rsa_pad(k, &data, &padding, &temp_key));
            matched += usize::from(ours.is_some());
        }
    }
    assert!(matched > 10);
}

#[test]
fn rsa_pad_round_trip() {
    let key = openssl_key();
    let public = key.public_key();
    let mut rng = SeededRandom::from_u64(11);
    for len in [0usize, 1, 72, 143, 144] {
        let data: Vec<u8> = (0..len).map(|i| i as u8 ^ 0xa5).collect();
        let encrypted = rsa_pad_encrypt(&public, &data, &mut rng).unwrap();
        let plain = rsa_pad_decrypt(&key, &encrypted).unwrap();
        assert_eq!(&plain[..len], &data[..]);
    }
    // Given padding comes back too.
    let padding = [0x77u8; 182];
    let temp_key = [3u8; 32];
    let encrypted = (0..=255u8)
        .find_map(|i| {
            let mut tk = temp_key;
            tk[0] = i;
            rsa_pad_encrypt_with(&public, b"0123456789", &padding, &tk).unwrap()
        })
        .unwrap();
    let plain = rsa_pad_decrypt(&key, &encrypted).unwrap();
    assert_eq!(&plain[..10], b"0123456789");
    assert_eq!(&plain[10..], &padding[..]);
}

#[test]
fn rsa_pad_none_when_value_is_not_below_modulus() {
    // The test key's modulus starts with 0x9b, so about 40% of temp keys give
    // key_aes_encrypted >= n; the reference says which.
    let key = openssl_key().public_key();
    let padding = [0u8; 192];
    let (mut none, mut some) = (0, 0);
    for i in 0..=255u8 {
        let temp_key = [i; 32];
        let ours = rsa_pad_encrypt_with(&key, &[], &padding, &temp_key).unwrap();
        assert_eq!(ours, reference_rsa_pad(&key, &[], &padding, &temp_key));
        match ours {
            None => none += 1,
            Some(_) => some += 1,
        }
    }
    assert!(none > 20 && some > 20, "none {none}, some {some}");
    // A broken RNG that always draws a rejected temp key: bounded, then an error.
    let stuck = (0..=255u8)
        .find(|&b| {
            rsa_pad_encrypt_with(&key, b"x", &[b; 191], &[b; 32])
                .unwrap()
                .is_none()
        })
        .unwrap();
    assert_eq!(
        rsa_pad_encrypt(&key, b"x", &mut Constant(stuck)).unwrap_err(),
        AuthError::Crypto(CryptoError::RandomUnavailable)
    );
    // A failing RNG is reported as it is.
    assert_eq!(
        rsa_pad_encrypt(&key, b"x", &mut FailsAfter(10)).unwrap_err(),
        AuthError::Crypto(CryptoError::RandomUnavailable)
    );
}

#[test]
fn rsa_pad_length_errors() {
    let key = openssl_key().public_key();
    let long = [0u8; 145];
    let err = AuthError::Crypto(CryptoError::InvalidLength {
        what: "RSA_PAD data (at most 144 bytes)",
        expected: 144,
        found: 145,
    });
    assert_eq!(
        rsa_pad_encrypt_with(&key, &long, &[], &[0; 32]).unwrap_err(),
        err
    );
    assert_eq!(
        rsa_pad_encrypt(&key, &long, &mut SeededRandom::from_u64(1)).unwrap_err(),
        err
    );
    assert_eq!(
        rsa_pad_encrypt_with(&key, &[1; 10], &[0; 181], &[0; 32]).unwrap_err(),
        AuthError::Crypto(CryptoError::InvalidLength {
            what: "RSA_PAD random padding (192 bytes minus the data)",
            expected: 182,
            found: 181,
        })
    );
    assert!(rsa_pad_encrypt_with(&key, &[1; 10], &[0; 192], &[0; 32]).is_err());
}

#[test]
fn rsa_pad_decrypt_failures() {
    let key = openssl_key();
    let public = key.public_key();
    let data = [5u8; 100];
    let good = rsa_pad_encrypt(&public, &data, &mut SeededRandom::from_u64(3)).unwrap();
    assert!(rsa_pad_decrypt(&key, &good).is_ok());
    // Any flipped bit breaks the hash.
    for (i, bit) in [(0usize, 1u8), (1, 0x80), (40, 4), (128, 1), (255, 0x10)] {
        let mut bad = good;
        bad[i] ^= bit;
        if big(&bad) >= big(&public.modulus_be()) {
            continue;
        }
        assert_eq!(
            rsa_pad_decrypt(&key, &bad).unwrap_err(),
            AuthError::RsaDecryptFailed
        );
    }
    let n = public.modulus_be();
    let n_plus_1 = be256(&(big(&n) + 1u8));
    for bad in [
        &n[..],
        &n_plus_1[..],
        &[0xff; 256][..],
        &[1; 257][..],
        &[][..],
    ] {
        assert_eq!(
            rsa_pad_decrypt(&key, bad).unwrap_err(),
            AuthError::RsaDecryptFailed
        );
    }
    assert_eq!(
        key.decrypt_raw(&n).unwrap_err(),
        AuthError::RsaDecryptFailed
    );
    assert_eq!(
        key.decrypt_raw(&[1; 257]).unwrap_err(),
        AuthError::RsaDecryptFailed
    );
    // An old-scheme ciphertext is not an RSA_PAD one.
    let old = old_scheme_encrypt_with(&public, &data, &[0; 135]).unwrap();
    assert_eq!(
        rsa_pad_decrypt(&key, &old).unwrap_err(),
        AuthError::RsaDecryptFailed
    );
    // Encrypted for another key.
    let other = rsa_pad_encrypt(
        &telegram_test_keys()[0],
        &data,
        &mut SeededRandom::from_u64(4),
    );
    if let Ok(other) = other {
        assert!(rsa_pad_decrypt(&key, &other).is_err());
    }
}

// --- the old scheme ---------------------------------------------------------------

#[test]
fn old_scheme_round_trip_and_verify() {
    let key = openssl_key();
    let public = key.public_key();
    let nums = private_numbers(OPENSSL_PKCS1_PRIVATE);
    let data: Vec<u8> = (0..100u8).collect();
    let padding = [0xeeu8; 135];
    let encrypted = old_scheme_encrypt_with(&public, &data, &padding).unwrap();
    // Reference: the 255-byte SHA1(data) ‖ data ‖ padding to the power e.
    let m = [&sha1::Sha1::digest(&data)[..], &data, &padding].concat();
    assert_eq!(m.len(), 255);
    assert_eq!(encrypted, be256(&big(&m).modpow(&nums[1], &nums[0])));

    let payload = old_scheme_decrypt(&key, &encrypted).unwrap();
    assert_eq!(payload.data_and_padding(), &m[20..]);
    assert_eq!(payload.verify(100), Some(&data[..]));
    assert_eq!(payload.verify(99), None);
    assert_eq!(payload.verify(101), None);
    assert_eq!(payload.verify(235), None);
    assert_eq!(payload.verify(236), None);
    assert_eq!(payload.verify(usize::MAX), None);
    assert_eq!(format!("{payload:?}"), "OldSchemePayload { .. }");
    // All data, no padding.
    let full = [9u8; 235];
    let enc = old_scheme_encrypt_with(&public, &full, &[]).unwrap();
    assert_eq!(
        old_scheme_decrypt(&key, &enc).unwrap().verify(235),
        Some(&full[..])
    );
}

#[test]
fn old_scheme_failures() {
    let key = openssl_key();
    let public = key.public_key();
    for (d, p) in [(100usize, 134usize), (100, 136), (236, 0), (0, 0)] {
        assert_eq!(
            old_scheme_encrypt_with(&public, &vec![0; d], &vec![0; p]).unwrap_err(),
            AuthError::Crypto(CryptoError::InvalidLength {
                what: "old-scheme data and padding",
                expected: 235,
                found: d + p,
            })
        );
    }
    // A value with a non-zero first byte is not an old-scheme payload.
    let nums = private_numbers(OPENSSL_PKCS1_PRIVATE);
    let m = &nums[0] - 12345u32;
    let c = be256(&m.modpow(&nums[1], &nums[0]));
    assert_eq!(
        old_scheme_decrypt(&key, &c).unwrap_err(),
        AuthError::RsaDecryptFailed
    );
    assert_eq!(
        old_scheme_decrypt(&key, &public.modulus_be()).unwrap_err(),
        AuthError::RsaDecryptFailed
    );
    // An RSA_PAD ciphertext decrypts to a value with a zero first byte only
    // rarely; when it does, the hash does not verify.
    let pad = rsa_pad_encrypt(&public, &[1; 50], &mut SeededRandom::from_u64(8)).unwrap();
    if let Ok(p) = old_scheme_decrypt(&key, &pad) {
        assert!((0..=235).all(|len| p.verify(len).is_none()));
    }
}

// --- refused keys -----------------------------------------------------------------

#[test]
fn pem_label_and_garbage_refused() {
    // A private key where a public one is expected, and the reverse.
    let msg = invalid_key(RsaPublicKey::from_pem(OPENSSL_PKCS1_PRIVATE));
    assert!(msg.contains("RSA PRIVATE KEY"), "{msg}");
    invalid_key(RsaPublicKey::from_pem(OPENSSL_PKCS8_PRIVATE));
    invalid_key(RsaPrivateKey::from_pem(OPENSSL_SPKI_PUBLIC));
    invalid_key(RsaPrivateKey::from_pem(OPENSSL_PKCS1_PUBLIC));
    let cert = OPENSSL_SPKI_PUBLIC.replace("PUBLIC KEY", "CERTIFICATE");
    invalid_key(RsaPublicKey::from_pem(&cert));
    // The right label on the wrong structure.
    let mislabeled = OPENSSL_SPKI_PUBLIC.replace("PUBLIC KEY", "RSA PUBLIC KEY");
    invalid_key(RsaPublicKey::from_pem(&mislabeled));
    let mislabeled = OPENSSL_PKCS8_PRIVATE.replace("PRIVATE KEY", "RSA PRIVATE KEY");
    invalid_key(RsaPrivateKey::from_pem(&mislabeled));
    // Another algorithm.
    let msg = invalid_key(RsaPublicKey::from_pem(ED25519_SPKI));
    assert!(msg.contains("1.3.101.112"), "{msg}");
    invalid_key(RsaPrivateKey::from_pem(ED25519_PKCS8));
    // Garbage.
    for text in [
        "",
        "hello",
        "-----BEGIN RSA PUBLIC KEY-----\n!!!!\n-----END RSA PUBLIC KEY-----\n",
        "-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\n",
        "-----BEGIN RSA PUBLIC KEY-----\nMIIBCgKCAQEA\n-----END RSA PUBLIC KEY-----\n",
        &TELEGRAM_TEST_KEY_PEM[..200],
    ] {
        invalid_key(RsaPublicKey::from_pem(text));
        invalid_key(RsaPrivateKey::from_pem(text));
    }
    let truncated =
        OPENSSL_PKCS1_PRIVATE.replace("mMnB5yjyMM7hvzAtqWdlN8s0Wqe+EHii2tovNJtFLI9FjlFBL3bg\n", "");
    invalid_key(RsaPrivateKey::from_pem(&truncated));
}

#[test]
fn key_size_and_components_refused() {
    let msg = invalid_key(RsaPublicKey::from_pem(OPENSSL_1024_SPKI));
    assert!(msg.contains("1024 bits"), "{msg}");
    let msg = invalid_key(RsaPrivateKey::from_pem(OPENSSL_1024_PKCS8));
    assert!(msg.contains("1024 bits"), "{msg}");

    let n = telegram_production_keys()[0].modulus_be();
    let e = [1u8, 0, 1];
    // Leading zeros are fine.
    let padded = [&[0u8, 0][..], &n].concat();
    assert_eq!(
        RsaPublicKey::from_components(&padded, &[0, 1, 0, 1]).unwrap(),
        telegram_production_keys()[0]
    );
    let mut even = n;
    even[255] ^= 1;
    let mut short = n;
    short[0] = 0x7f; // 2047 bits
    let n_plus_2 = be256(&(big(&n) + 2u8));
    for (n_be, e_be) in [
        (&even[..], &e[..]),
        (&short[..], &e[..]),
        (&n[1..], &e[..]),
        (&[1u8; 257][..], &e[..]),
        (&[][..], &e[..]),
        (&n[..], &[][..]),
        (&n[..], &[1][..]),
        (&n[..], &[0, 0, 1][..]),
        (&n[..], &[1, 0, 0][..]),
        (&n[..], &n[..]),
        (&n[..], &n_plus_2[..]),
        (&n[..], &[3u8; 300][..]),
    ] {
        invalid_key(RsaPublicKey::from_components(n_be, e_be));
    }
    // e = n - 2 is odd and below n: allowed (if useless).
    let n_min_2 = be256(&(big(&n) - 2u8));
    assert!(RsaPublicKey::from_components(&n, &n_min_2).is_ok());
    assert!(RsaPublicKey::from_components(&n, &[3]).is_ok());
}

/// A change to the eight numbers of a private key.
type Edit = Box<dyn Fn(&mut Vec<BigUint>)>;

#[test]
fn inconsistent_private_keys_refused() {
    let nums = private_numbers(OPENSSL_PKCS1_PRIVATE);
    assert!(RsaPrivateKey::from_pem(&private_pem(&nums)).is_ok());
    let one = BigUint::from(1u8);
    let (p, q) = (nums[3].clone(), nums[4].clone());
    let cases: Vec<(&str, Edit)> = vec![
        ("p·q", Box::new(|k| k[3] += 2u8)),
        ("p·q", Box::new(|k| k[4] = &k[4] + 2u8)),
        (
            "prime factor",
            Box::new(|k| {
                k[3] = BigUint::from(1u8);
                k[4] = k[0].clone();
            }),
        ),
        ("exponent1", Box::new(|k| k[5] += 1u8)),
        ("exponent1", Box::new(|k| k[6] += 1u8)),
        ("exponent1", Box::new(|k| k[7] += 1u8)),
        // A wrong d with matching CRT values: only the round trip catches it.
        ("private exponent", {
            let (p, q, one) = (p.clone(), q.clone(), one.clone());
            Box::new(move |k| {
                k[2] += 2u8;
                k[5] = &k[2] % (&p - &one);
                k[6] = &k[2] % (&q - &one);
            })
        }),
        // So is a wrong e.
        ("private exponent", Box::new(|k| k[1] = BigUint::from(3u8))),
    ];
    for (what, change) in cases {
        let mut k = nums.clone();
        change(&mut k);
        let msg = invalid_key(RsaPrivateKey::from_pem(&private_pem(&k)));
        assert!(msg.contains(what), "{what}: {msg}");
    }
}

// Test keys made with OpenSSL 3.0 (`openssl genrsa -traditional 2048`, then
// `openssl pkcs8 -topk8 -nocrypt`, `openssl rsa -pubout` and
// `openssl rsa -RSAPublicKey_out`): an independent encoder of all four PEM
// kinds. Test material only.
/// PKCS#1 private key (`RSA PRIVATE KEY`).
const OPENSSL_PKCS1_PRIVATE: &str = "-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAm6f0jzzFmcmSTQGW4bHNjRT5a4dYNueh0Qel0ozEZ4+v/+1z
cVgySNI2OCSz+SGi0Ukk9rJj10tmzyEd9UqBbJTNrXozxX7dL1zpisWZQ5QHIz0K
jOM0Ak2seLthbZNKw4UlYKNRtCNmUtNPVQjyVd63JOQIQ7cwW5ZTvpEAytVNx0Cw
NWMMpgKATv6r/RfzPFyjWG3ToYdU5mlrCezlX+/72yaz8rhcxluz53OLFXMCS80H
wpaHNYnbfIb8Wzn1vsG1uEJKXB/4x5IFYHdSXRnOFjwDUDRMYZ4+hWdTVF/7DxJg
hOoOeh1oxuzS0yivZbNNAnvdaxFfn/MVGLcblwIDAQABAoIBABoJv4RSgy+Vo46U
LHw2tQ7bqlmNe3k7yDriT5/oAlbcl3F1dDFKsqax23YK1bxgHw9pb/CAqOjz6Q/P
F2bX/sx+G+XgIlbwQOnSXhLjuR6v3X3MkT4+J44XFjngBo1A7WnFlRoUV++NWGmU
hZnQ9FDe/74BE0zYkRNRE1M2iG5lextrwvoqOK/lGgwnAQQXTeF2U7Atjavud1M2
F82BUGk7ko+4g+8wYFRTF39z+AQeApHCtR872eOZNhsEshi70Sxl+V/FThFwOM2m
t06DBhYRcs0ZfYacc6fiLRIDSC4qzOvSI6EDJhD5UEAg/PgVXGVZxvdr7qFTV4CF
2ihOg8kCgYEA2sVHMXeytTS1deYkUqr14Im4xl0mzkH7TP2svsqeEgXdp/VlcyEO
VLuwb3kREk7s1hBQ7kjDAnn6QN0xYGX31PYNSLkKBR6jBeHXY3WGDIdOO5v2H8zN
JMAkoF0nYMv/2s7dksT3ZnEBu+yk5F46ZnG1cUNZ4BDo8sg3++e4PlMCgYEAtiUZ
FH6Q0iCgkctY7qZmfjBttUXJI0ZfAO9D/j41KhzGXu+PheYi0MC6ove/0bft0CPq
t5ywuOOPMMoAd8DoImnfL/B4I9ScWcNAG/4tG68W9ADK+fOVPnXh1epoSzvUmZ3A
A3RFhzljwV47w1860bptPI5spHihySdHxiCQXS0CgYBzKynog9AjjuT8dTSoBHI+
S6JnYwCb0qZ+CImZQ0dly4q98fT/X+aQeuJOPNjc34nUw3AnkUyAEEDLRubIjcWj
agjiQO9idJdz8EmYhXUVQWHRBbDTWtigQTrG5WNmlN5TjVWd/20Sk+lKyjCgPG7Y
IYJYZxF4YM6RiQ/X4EvhGwKBgEuS6O0P9pa44uabMLMUZ8JD5cEoy2PPduu0WsnK
ldR7S/NoAmzUJ+3liYrEsNobLpkFzgWRBeIwyOC9b6RAbhCZTPlfFPoI5TZ5RMhY
le6+nw9upMlAv9PCpYlUUSGmGXgDc//65j5NGY7JwpI1mPocF+bgUUOMqdQEcEtM
h5mhAoGBAJZoTdb7ssuCOhlxMDKUudQuEZITMmihX9T/zXnIHduH3ZTO3eWPYOMD
Ac3NHS4d/UJ+8TF7Y/S5voDXNs6PNw0OH8vnJ4T/xa6SxZoIPxgm8LUxDRXvfmOT
mMnB5yjyMM7hvzAtqWdlN8s0Wqe+EHii2tovNJtFLI9FjlFBL3bg
-----END RSA PRIVATE KEY-----
";
/// The same key as PKCS#8 (`PRIVATE KEY`).
const OPENSSL_PKCS8_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCbp/SPPMWZyZJN
AZbhsc2NFPlrh1g256HRB6XSjMRnj6//7XNxWDJI0jY4JLP5IaLRSST2smPXS2bP
IR31SoFslM2tejPFft0vXOmKxZlDlAcjPQqM4zQCTax4u2Ftk0rDhSVgo1G0I2ZS
009VCPJV3rck5AhDtzBbllO+kQDK1U3HQLA1YwymAoBO/qv9F/M8XKNYbdOhh1Tm
aWsJ7OVf7/vbJrPyuFzGW7Pnc4sVcwJLzQfCloc1idt8hvxbOfW+wbW4QkpcH/jH
kgVgd1JdGc4WPANQNExhnj6FZ1NUX/sPEmCE6g56HWjG7NLTKK9ls00Ce91rEV+f
8xUYtxuXAgMBAAECggEAGgm/hFKDL5WjjpQsfDa1DtuqWY17eTvIOuJPn+gCVtyX
cXV0MUqyprHbdgrVvGAfD2lv8ICo6PPpD88XZtf+zH4b5eAiVvBA6dJeEuO5Hq/d
fcyRPj4njhcWOeAGjUDtacWVGhRX741YaZSFmdD0UN7/vgETTNiRE1ETUzaIbmV7
G2vC+io4r+UaDCcBBBdN4XZTsC2Nq+53UzYXzYFQaTuSj7iD7zBgVFMXf3P4BB4C
kcK1HzvZ45k2GwSyGLvRLGX5X8VOEXA4zaa3ToMGFhFyzRl9hpxzp+ItEgNILirM
69IjoQMmEPlQQCD8+BVcZVnG92vuoVNXgIXaKE6DyQKBgQDaxUcxd7K1NLV15iRS
qvXgibjGXSbOQftM/ay+yp4SBd2n9WVzIQ5Uu7BveRESTuzWEFDuSMMCefpA3TFg
ZffU9g1IuQoFHqMF4ddjdYYMh047m/YfzM0kwCSgXSdgy//azt2SxPdmcQG77KTk
XjpmcbVxQ1ngEOjyyDf757g+UwKBgQC2JRkUfpDSIKCRy1jupmZ+MG21RckjRl8A
70P+PjUqHMZe74+F5iLQwLqi97/Rt+3QI+q3nLC4448wygB3wOgiad8v8Hgj1JxZ
w0Ab/i0brxb0AMr585U+deHV6mhLO9SZncADdEWHOWPBXjvDXzrRum08jmykeKHJ
J0fGIJBdLQKBgHMrKeiD0COO5Px1NKgEcj5LomdjAJvSpn4IiZlDR2XLir3x9P9f
5pB64k482NzfidTDcCeRTIAQQMtG5siNxaNqCOJA72J0l3PwSZiFdRVBYdEFsNNa
2KBBOsblY2aU3lONVZ3/bRKT6UrKMKA8btghglhnEXhgzpGJD9fgS+EbAoGAS5Lo
7Q/2lrji5pswsxRnwkPlwSjLY89267RaycqV1HtL82gCbNQn7eWJisSw2hsumQXO
BZEF4jDI4L1vpEBuEJlM+V8U+gjlNnlEyFiV7r6fD26kyUC/08KliVRRIaYZeANz
//rmPk0ZjsnCkjWY+hwX5uBRQ4yp1ARwS0yHmaECgYEAlmhN1vuyy4I6GXEwMpS5
1C4RkhMyaKFf1P/Necgd24fdlM7d5Y9g4wMBzc0dLh39Qn7xMXtj9Lm+gNc2zo83
DQ4fy+cnhP/FrpLFmgg/GCbwtTENFe9+Y5OYycHnKPIwzuG/MC2pZ2U3yzRap74Q
eKLa2i80m0Usj0WOUUEvduA=
-----END PRIVATE KEY-----
";
/// Its public key as SubjectPublicKeyInfo (`PUBLIC KEY`).
const OPENSSL_SPKI_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAm6f0jzzFmcmSTQGW4bHN
jRT5a4dYNueh0Qel0ozEZ4+v/+1zcVgySNI2OCSz+SGi0Ukk9rJj10tmzyEd9UqB
bJTNrXozxX7dL1zpisWZQ5QHIz0KjOM0Ak2seLthbZNKw4UlYKNRtCNmUtNPVQjy
Vd63JOQIQ7cwW5ZTvpEAytVNx0CwNWMMpgKATv6r/RfzPFyjWG3ToYdU5mlrCezl
X+/72yaz8rhcxluz53OLFXMCS80HwpaHNYnbfIb8Wzn1vsG1uEJKXB/4x5IFYHdS
XRnOFjwDUDRMYZ4+hWdTVF/7DxJghOoOeh1oxuzS0yivZbNNAnvdaxFfn/MVGLcb
lwIDAQAB
-----END PUBLIC KEY-----
";
/// Its public key as PKCS#1 (`RSA PUBLIC KEY`).
const OPENSSL_PKCS1_PUBLIC: &str = "-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEAm6f0jzzFmcmSTQGW4bHNjRT5a4dYNueh0Qel0ozEZ4+v/+1zcVgy
SNI2OCSz+SGi0Ukk9rJj10tmzyEd9UqBbJTNrXozxX7dL1zpisWZQ5QHIz0KjOM0
Ak2seLthbZNKw4UlYKNRtCNmUtNPVQjyVd63JOQIQ7cwW5ZTvpEAytVNx0CwNWMM
pgKATv6r/RfzPFyjWG3ToYdU5mlrCezlX+/72yaz8rhcxluz53OLFXMCS80HwpaH
NYnbfIb8Wzn1vsG1uEJKXB/4x5IFYHdSXRnOFjwDUDRMYZ4+hWdTVF/7DxJghOoO
eh1oxuzS0yivZbNNAnvdaxFfn/MVGLcblwIDAQAB
-----END RSA PUBLIC KEY-----
";
/// Its fingerprint, computed with Python's hashlib from the modulus
/// `openssl rsa -modulus` prints.
const OPENSSL_FINGERPRINT: i64 = 1_606_580_006_572_240_298;
/// A 1024-bit key (PKCS#8), which must be refused.
const OPENSSL_1024_PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBANRZBFcNme487PRJ
kRzLl3se2wPvSqhd/w1aIZ0ZJ1eIyRiiFUmKk32BE9ec3hxioI5gkfVboqJ9d42c
gV+b/bLCJ0MKkr9t6xLyyMHpZxgYuPYPoCGSoztdkr9zBjjnsCv21/qMNxlJyffF
RgsFfZZi+fbHYZsoFJAp1dRguHNbAgMBAAECgYBdDzngsLxB9P9fO5JVzT9wnKAd
BFRynub0wggzId/k87Q1kGrF1O44NUYt2rhYNjzoyJeOsH8AuP2Y2Pq1nNY8IUJt
u1T0bTue8ZLdRv3FljWYZB3sQu2FCVbBJW63k+l3H1ZetnAlGdYP4gel8He2o+y6
JW0mDBt6rjiPNKhJ6QJBAPY7VJMXg/RV/3pabnGrB4/mynE0eZI5iKlCdu3yN+43
gni5wrCRvxPp359WQ6K/rWz7NUGAWj+YRDzQfb0FvZ0CQQDcxZGOZDYZOETQHPmv
WDHDeBiC3dm/j7a5vBqGfNen0yQdfjkrgryxsGkUmrgZKlJtQJkgWG34wbBWWP7H
Wx9XAkA8LZno7RlZ0N7Ed2+Apk0N1Vjqu+luXFNTEqRgWQ9kT/q6KKQ1ZRlu83ys
w3d6QiBPf0GvxX/JBRzARDBGzy1dAkEAgJvPWWXjZfmzjJD0m0MDal1x2fqnOMLd
rYF46lObxbZoWY4Ie+JjThf4fvpKuM5AykhRa9hX6AvdT8/0S+o3bQJAHl9hzRh5
431OJoOlr4gGCHu94hlobuNrDpnueqUbEt+jdWdKE0cg+toB7dkUHTEo3GUD83Ls
GacS6pOW3ZLOeA==
-----END PRIVATE KEY-----
";
/// Its public key (SPKI).
const OPENSSL_1024_SPKI: &str = "-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDUWQRXDZnuPOz0SZEcy5d7HtsD
70qoXf8NWiGdGSdXiMkYohVJipN9gRPXnN4cYqCOYJH1W6KifXeNnIFfm/2ywidD
CpK/besS8sjB6WcYGLj2D6AhkqM7XZK/cwY457Ar9tf6jDcZScn3xUYLBX2WYvn2
x2GbKBSQKdXUYLhzWwIDAQAB
-----END PUBLIC KEY-----
";
/// An Ed25519 private key (PKCS#8, another algorithm).
const ED25519_PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEID4DYWsc9Eh9JZaHWH3pA6hWQwHYhqyAiZe7OMdHi2FH
-----END PRIVATE KEY-----
";
/// Its public key (SPKI).
const ED25519_SPKI: &str = "-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAZntqtBCfcQs80A6TQPs1IDzXo3V8of/uousz909Phac=
-----END PUBLIC KEY-----
";
