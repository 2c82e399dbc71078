//! [`mtp_rsa_public_key`] and [`mtp_rsa_private_key`]: the server's RSA keys
//! (core `crypto::rsa`). A client holds the public keys it trusts; a server
//! holds the private keys whose fingerprints its resPQ offers.

use std::ffi::c_char;

use mtproto_core::OsRandom;
use mtproto_core::crypto::rsa::{
    RsaPrivateKey, RsaPublicKey, old_scheme_decrypt, telegram_production_keys, telegram_test_keys,
};
use mtproto_core::error::AuthError;
use zeroize::Zeroizing;

use super::{free_handle, give_handle, reset_handle_out};
use crate::buffers::{input, output, output_string, reset_string_out, text, write_record};
use crate::panic::{boundary, guard_value};
use crate::result::{Failure, mtp_result};
use crate::transport::borrow;

/// An RSA public key with a 2048-bit modulus: what a client encrypts its
/// `p_q_inner_data` with.
///
/// Opaque: create it with `mtp_rsa_public_key_from_pem`,
/// `mtp_rsa_public_key_from_components`,
/// `mtp_rsa_public_key_telegram_production`,
/// `mtp_rsa_public_key_telegram_test` or `mtp_rsa_private_key_public_key`;
/// release it with `mtp_rsa_public_key_free`. Immutable: it may be used from
/// several threads at once.
pub struct mtp_rsa_public_key {
    pub(crate) inner: RsaPublicKey,
}

/// An RSA private key (two primes, 2048-bit modulus): what a server decrypts
/// `req_DH_params` with.
///
/// Opaque: create it with `mtp_rsa_private_key_from_pem` or
/// `mtp_rsa_private_key_generate`; release it with
/// `mtp_rsa_private_key_free`, which wipes the secret numbers. Immutable: it
/// may be used from several threads at once.
pub struct mtp_rsa_private_key {
    pub(crate) inner: RsaPrivateKey,
}

// Handles are shared between threads as documented above.
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<mtp_rsa_public_key>();
    send_sync::<mtp_rsa_private_key>();
};

/// Parse a PEM public key `(pem, pem_len)` (UTF-8, no NUL terminator
/// needed): PKCS#1 (`-----BEGIN RSA PUBLIC KEY-----`, the form Telegram
/// publishes) or SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`, what
/// `openssl rsa -pubout` writes). The modulus must be 2048 bits.
///
/// Errors: `MTP_RESULT_AUTH_INVALID_RSA_KEY` for anything else (the message
/// says why), `MTP_RESULT_INVALID_ARGUMENT` for text that is not UTF-8. On success `*out` is a new handle to release with
/// `mtp_rsa_public_key_free`; on failure it is NULL.
///
/// # Safety
/// `(pem, pem_len)` readable (NULL with length 0 allowed); `out` NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_rsa_public_key_from_pem(
    pem: *const c_char,
    pem_len: usize,
    out: *mut *mut mtp_rsa_public_key,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { reset_handle_out(out) }?;
        // SAFETY: as above.
        let pem = unsafe { text(pem, pem_len, "pem") }?;
        let inner = RsaPublicKey::from_pem(pem)?;
        // SAFETY: as above.
        unsafe { give_handle(out, mtp_rsa_public_key { inner }) }
    })
}

/// A public key from its modulus `(n, n_len)` and public exponent
/// `(e, e_len)`, big-endian bytes (leading zeros are ignored: what
/// `mtp_rsa_public_key_modulus` and `mtp_rsa_public_key_exponent` write
/// reads back as the same key). The modulus must be exactly 2048 bits and
/// odd; the exponent odd, greater than 1 and smaller than the modulus.
///
/// Errors: `MTP_RESULT_AUTH_INVALID_RSA_KEY` for anything else (the message
/// says why). On success `*out` is a new handle to release with
/// `mtp_rsa_public_key_free`; on failure it is NULL.
///
/// # Safety
/// `(n, n_len)` and `(e, e_len)` readable (NULL with length 0 allowed);
/// `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_rsa_public_key_from_components(
    n: *const u8,
    n_len: usize,
    e: *const u8,
    e_len: usize,
    out: *mut *mut mtp_rsa_public_key,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { reset_handle_out(out) }?;
        // SAFETY: as above.
        let n = unsafe { input(n, n_len, "n") }?;
        // SAFETY: as above.
        let e = unsafe { input(e, e_len, "e") }?;
        let inner = RsaPublicKey::from_components(n, e)?;
        // SAFETY: as above.
        unsafe { give_handle(out, mtp_rsa_public_key { inner }) }
    })
}

/// The first key of a built-in list as a new handle.
///
/// # Safety
/// `out` NULL or writable.
unsafe fn builtin(
    keys: Vec<RsaPublicKey>,
    which: &str,
    out: *mut *mut mtp_rsa_public_key,
) -> Result<(), Failure> {
    // SAFETY: passed on from the caller.
    unsafe { reset_handle_out(out) }?;
    let inner = keys.into_iter().next().ok_or_else(|| Failure {
        code: mtp_result::Internal,
        message: format!("internal error: the built-in {which} key does not parse"),
    })?;
    // SAFETY: as above.
    unsafe { give_handle(out, mtp_rsa_public_key { inner }) }
}

/// Telegram's production server key (fingerprint `-3414540481677951611`,
/// `0xd09d1d85de64fd85`) as a new handle in `*out` (release with
/// `mtp_rsa_public_key_free`).
///
/// # Safety
/// `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_rsa_public_key_telegram_production(
    out: *mut *mut mtp_rsa_public_key,
) -> mtp_result {
    // SAFETY: the caller's guarantee is passed on.
    boundary(|| unsafe { builtin(telegram_production_keys(), "production", out) })
}

/// Telegram's test-DC server key (fingerprint `-5595554452916591101`) as a
/// new handle in `*out` (release with `mtp_rsa_public_key_free`).
///
/// # Safety
/// `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_rsa_public_key_telegram_test(
    out: *mut *mut mtp_rsa_public_key,
) -> mtp_result {
    // SAFETY: the caller's guarantee is passed on.
    boundary(|| unsafe { builtin(telegram_test_keys(), "test", out) })
}

/// Release a public key. NULL is accepted and ignored.
///
/// # Safety
/// `key` must be NULL or a handle from this library's `mtp_rsa_public_key`
/// constructors, not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_rsa_public_key_free(key: *mut mtp_rsa_public_key) {
    // SAFETY: the caller's guarantee is passed on.
    guard_value((), || unsafe { free_handle(key) });
}

/// The key's fingerprint into `*out`: the low 64 bits of SHA1 of its TL
/// serialization, as resPQ lists it (a signed TL `long`).
///
/// # Safety
/// `key` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_rsa_public_key_fingerprint(
    key: *const mtp_rsa_public_key,
    out: *mut i64,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        let key = unsafe { borrow(key, "key") }?;
        // SAFETY: as above.
        unsafe { write_record(out, key.inner.fingerprint(), "out") }
    })
}

/// The modulus as `MTP_RSA_MODULUS_LEN` (256) big-endian bytes into the
/// buffer `(out, *out_len)`.
///
/// # Safety
/// `key` NULL or a live handle; `out_len` NULL or a writable `size_t`
/// holding the capacity of `out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_rsa_public_key_modulus(
    key: *const mtp_rsa_public_key,
    out: *mut u8,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        let key = unsafe { borrow(key, "key") }?;
        // SAFETY: as above.
        unsafe { output(&key.inner.modulus_be(), out, out_len, "out") }
    })
}

/// The public exponent as a minimal big-endian byte string (3 bytes
/// `01 00 01` for 65537) into the buffer `(out, *out_len)`.
///
/// # Safety
/// As for `mtp_rsa_public_key_modulus`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_rsa_public_key_exponent(
    key: *const mtp_rsa_public_key,
    out: *mut u8,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        let key = unsafe { borrow(key, "key") }?;
        // SAFETY: as above.
        unsafe { output(&key.inner.exponent_be(), out, out_len, "out") }
    })
}

/// The key as PKCS#1 PEM (`-----BEGIN RSA PUBLIC KEY-----`, LF line
/// endings): a new library-owned string in `*out` (release with
/// `mtp_string_free`), its length without the NUL in `*out_len` unless
/// `out_len` is NULL.
///
/// # Safety
/// `key` NULL or a live handle; `out` NULL or writable; `out_len` NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_rsa_public_key_to_pem(
    key: *const mtp_rsa_public_key,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { reset_string_out(out, "out") }?;
        // SAFETY: as above.
        let key = unsafe { borrow(key, "key") }?;
        // SAFETY: as above.
        unsafe { output_string(key.inner.to_pem(), out, out_len, "out") }
    })
}

/// Parse a PEM private key `(pem, pem_len)` (UTF-8): PKCS#1
/// (`-----BEGIN RSA PRIVATE KEY-----`) or unencrypted PKCS#8
/// (`-----BEGIN PRIVATE KEY-----`). Only consistent two-prime 2048-bit keys
/// are accepted.
///
/// Errors: `MTP_RESULT_AUTH_INVALID_RSA_KEY` (the message says why),
/// `MTP_RESULT_INVALID_ARGUMENT` for text that is not UTF-8. On
/// success `*out` is a new handle to release with `mtp_rsa_private_key_free`;
/// on failure it is NULL.
///
/// # Safety
/// `(pem, pem_len)` readable (NULL with length 0 allowed); `out` NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_rsa_private_key_from_pem(
    pem: *const c_char,
    pem_len: usize,
    out: *mut *mut mtp_rsa_private_key,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { reset_handle_out(out) }?;
        // SAFETY: as above.
        let pem = unsafe { text(pem, pem_len, "pem") }?;
        let inner = RsaPrivateKey::from_pem(pem)?;
        // SAFETY: as above.
        unsafe { give_handle(out, mtp_rsa_private_key { inner }) }
    })
}

/// A new 2048-bit key (`e = 65537`, two random 1024-bit primes from the
/// operating system's CSPRNG) in `*out` (release with
/// `mtp_rsa_private_key_free`; NULL on failure). The prime search takes
/// roughly 0.02 to 1 s. Errors: `MTP_RESULT_RANDOM_UNAVAILABLE`.
///
/// # Safety
/// `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_rsa_private_key_generate(
    out: *mut *mut mtp_rsa_private_key,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantee is passed on.
        unsafe { reset_handle_out(out) }?;
        let inner = RsaPrivateKey::generate(&mut OsRandom)?;
        // SAFETY: as above.
        unsafe { give_handle(out, mtp_rsa_private_key { inner }) }
    })
}

/// Release a private key, wiping its secret numbers. NULL is accepted and
/// ignored.
///
/// # Safety
/// `key` must be NULL or a handle from `mtp_rsa_private_key_from_pem` or
/// `mtp_rsa_private_key_generate`, not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_rsa_private_key_free(key: *mut mtp_rsa_private_key) {
    // SAFETY: the caller's guarantee is passed on.
    guard_value((), || unsafe { free_handle(key) });
}

/// The key as PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`, LF line
/// endings): a new library-owned string in `*out`, its length in `*out_len`
/// unless NULL. It holds the secret key: `mtp_string_free` wipes it, and a
/// copy the caller makes is the caller's to wipe.
///
/// # Safety
/// `key` NULL or a live handle; `out` NULL or writable; `out_len` NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_rsa_private_key_to_pem(
    key: *const mtp_rsa_private_key,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { reset_string_out(out, "out") }?;
        // SAFETY: as above.
        let key = unsafe { borrow(key, "key") }?;
        let pem = Zeroizing::new(key.inner.to_pem());
        // SAFETY: as above.
        unsafe { crate::buffers::output_secret_string(&pem, out, out_len, "out") }
    })
}

/// The matching public key as a new handle in `*out` (release with
/// `mtp_rsa_public_key_free`).
///
/// # Safety
/// `key` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_rsa_private_key_public_key(
    key: *const mtp_rsa_private_key,
    out: *mut *mut mtp_rsa_public_key,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { reset_handle_out(out) }?;
        // SAFETY: as above.
        let key = unsafe { borrow(key, "key") }?;
        let inner = key.inner.public_key();
        // SAFETY: as above.
        unsafe { give_handle(out, mtp_rsa_public_key { inner }) }
    })
}

/// The fingerprint of the key's public half into `*out` (as
/// `mtp_rsa_public_key_fingerprint`).
///
/// # Safety
/// `key` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_rsa_private_key_fingerprint(
    key: *const mtp_rsa_private_key,
    out: *mut i64,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        let key = unsafe { borrow(key, "key") }?;
        // SAFETY: as above.
        unsafe { write_record(out, key.inner.fingerprint(), "out") }
    })
}

/// Decrypt data RSA-encrypted with the older scheme some clients still use
/// for `p_q_inner_data` (`SHA1(data) ‖ data ‖ padding`, 255 bytes, raised to
/// `e`), check the SHA1 over its first `data_len` bytes, and write those
/// `data_len` bytes into the buffer `(out, *out_len)`.
///
/// Errors: `MTP_RESULT_AUTH_RSA_DECRYPT_FAILED` when `encrypted` is not
/// below the modulus, does not decrypt to 255 bytes or its SHA1 does not
/// match (also for a `data_len` over 235); `MTP_RESULT_BUFFER_TOO_SMALL`
/// with `data_len` in `*out_len`. The output is the decrypted secret: wipe
/// it when done.
///
/// # Safety
/// `key` NULL or a live handle; `(encrypted, encrypted_len)` readable;
/// `out_len` NULL or a writable `size_t` holding the capacity of `out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_rsa_private_key_decrypt_old_scheme(
    key: *const mtp_rsa_private_key,
    encrypted: *const u8,
    encrypted_len: usize,
    data_len: u32,
    out: *mut u8,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        let key = unsafe { borrow(key, "key") }?;
        // SAFETY: as above.
        let encrypted = unsafe { input(encrypted, encrypted_len, "encrypted") }?;
        let payload = old_scheme_decrypt(&key.inner, encrypted)?;
        let len = usize::try_from(data_len).unwrap_or(usize::MAX);
        let data = payload.verify(len).ok_or(AuthError::RsaDecryptFailed)?;
        // SAFETY: as above.
        unsafe { output(data, out, out_len, "out") }
    })
}
