//! Obfuscation and fake-TLS free functions: proxy secrets, obfuscated2
//! inits, AES-256-CTR, and the fake-TLS hellos (deterministic forms, for
//! vectors and tests).

use std::ffi::c_char;

use mtproto_core::TransportError;
use mtproto_core::UnixMillis;
use mtproto_core::crypto::aes_ctr::AesCtr256;
use mtproto_core::crypto::fixed;
use mtproto_core::transport::ProxySecret;
use mtproto_core::transport::fake_tls::{
    ClientHelloRandom, ServerHelloRandom, build_client_hello, build_server_hello,
    key_share_from_candidate,
};
use mtproto_core::transport::obfuscated::{client_init_with_random, is_valid_init_random};
use zeroize::Zeroizing;

use super::client::secret_arg;
use super::{framing_kind, mtp_bytes, mtp_transport_kind, reset_bytes_out, write_value};
use crate::buffers::{check_out, input, output, text};
use crate::panic::boundary;
use crate::result::{Failure, mtp_result};

/// The length of an obfuscated2 init (and of its random input).
pub const MTP_OBFUSCATION_INIT_LEN: usize = 64;

/// An obfuscated2 client init and its keys (`mtp_obfuscation_init`). The
/// server's keys are the reverse: it encrypts with the client's decrypt
/// key/iv and decrypts with its encrypt key/iv. Secret: wipe it after use.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct mtp_obfuscation_init_keys {
    /// The 64 bytes the client sends first.
    pub header: [u8; 64],
    /// Client → server AES-256-CTR key.
    pub client_encrypt_key: [u8; 32],
    /// Client → server IV.
    pub client_encrypt_iv: [u8; 16],
    /// Server → client key.
    pub client_decrypt_key: [u8; 32],
    /// Server → client IV.
    pub client_decrypt_iv: [u8; 16],
}

/// A fake-TLS ClientHello (`mtp_fake_tls_client_hello`).
#[repr(C)]
#[derive(Debug)]
pub struct mtp_client_hello {
    /// The ClientHello record (library-owned: `mtp_bytes_free(&h.hello)`).
    pub hello: mtp_bytes,
    /// Its random field: `digest` with the time XOR-ed into the last 4 bytes.
    pub random: [u8; 32],
    /// The HMAC-SHA256 digest the random derives from.
    pub digest: [u8; 32],
}

/// A fixed-size input `(ptr, len)`; another length is
/// `MTP_RESULT_INVALID_LENGTH` naming `what`.
///
/// # Safety
/// As for [`input`].
unsafe fn fixed_arg<const N: usize>(
    what: &'static str,
    ptr: *const u8,
    len: usize,
    name: &str,
) -> Result<[u8; N], Failure> {
    // SAFETY: the caller's guarantee is input's.
    let bytes = unsafe { input(ptr, len, name) }?;
    Ok(fixed::<N>(what, bytes)?)
}

/// A required proxy secret given as text.
///
/// # Safety
/// As for [`text`].
unsafe fn required_secret(ptr: *const c_char, len: usize) -> Result<ProxySecret, Failure> {
    if ptr.is_null() && len != 0 {
        return Err(Failure::null("secret"));
    }
    // SAFETY: passed on; a NULL pointer with length 0 reads as "".
    let t = unsafe { text(ptr, len, "secret") }?;
    Ok(ProxySecret::parse(t)?)
}

/// Parse a proxy secret given as text (hex in any case, or base64url as in
/// MTProxy links; surrounding whitespace ignored) and write its binary form
/// (16 bytes, `dd` + 16, or `ee` + 16 + domain) into `(out, *out_len)`.
/// Anything else is `MTP_RESULT_TRANSPORT_INVALID_SECRET`.
///
/// # Safety
/// `(secret, secret_len)` readable; `out_len` NULL or a writable `size_t`
/// holding the capacity of `out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_parse_proxy_secret(
    secret: *const c_char,
    secret_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        let parsed = unsafe { required_secret(secret, secret_len) }?;
        let bytes = Zeroizing::new(parsed.to_bytes());
        // SAFETY: as above.
        unsafe { output(&bytes, out, out_len, "out") }
    })
}

/// Whether the 64 bytes at `random` may start an obfuscated2 init (no plain
/// transport could start with them), into `*out`. Another length is
/// `MTP_RESULT_INVALID_LENGTH`.
///
/// # Safety
/// `(random, random_len)` readable; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_is_valid_obfuscation_init(
    random: *const u8,
    random_len: usize,
    out: *mut bool,
) -> mtp_result {
    boundary(|| {
        check_out(out, "out")?;
        // SAFETY: the caller's guarantees are passed on.
        let random: [u8; 64] =
            unsafe { fixed_arg("obfuscation init", random, random_len, "random") }?;
        // SAFETY: as above.
        unsafe { write_value(out, is_valid_init_random(&random), "out") }
    })
}

/// Build an obfuscated2 client init from 64 random bytes (deterministic:
/// bytes 56..64 become the tag of framing `kind` and `dc_id`) with an
/// optional proxy secret (text; NULL for none), into `*out`.
///
/// Errors: `random` not 64 bytes (`MTP_RESULT_INVALID_LENGTH`) or forbidden
/// (`MTP_RESULT_TRANSPORT_OBFUSCATION`); full framing
/// (`MTP_RESULT_TRANSPORT_OBFUSCATION`); HTTP or an unknown kind
/// (`MTP_RESULT_INVALID_ARGUMENT`); an invalid secret or a `dd`/`ee` secret
/// without padded intermediate (`MTP_RESULT_TRANSPORT_INVALID_SECRET`).
///
/// # Safety
/// `(random, random_len)` and `(secret, secret_len)` readable (secret may be
/// NULL); `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_obfuscation_init(
    random: *const u8,
    random_len: usize,
    kind: mtp_transport_kind,
    dc_id: i16,
    secret: *const c_char,
    secret_len: usize,
    out: *mut mtp_obfuscation_init_keys,
) -> mtp_result {
    boundary(|| {
        check_out(out, "out")?;
        // SAFETY: the caller's guarantees are passed on.
        let random: Zeroizing<[u8; 64]> =
            Zeroizing::new(unsafe { fixed_arg("obfuscation init", random, random_len, "random") }?);
        let framing = framing_kind(kind)?;
        // SAFETY: as above.
        let secret = unsafe { secret_arg(secret, secret_len, "secret") }?;
        let init = client_init_with_random(&random, framing, dc_id, secret.as_ref())?;
        let value = mtp_obfuscation_init_keys {
            header: init.header,
            client_encrypt_key: init.keys.encrypt_key,
            client_encrypt_iv: init.keys.encrypt_iv,
            client_decrypt_key: init.keys.decrypt_key,
            client_decrypt_iv: init.keys.decrypt_iv,
        };
        // SAFETY: as above.
        unsafe { write_value(out, value, "out") }
    })
}

/// One-shot AES-256-CTR (the obfuscation cipher) of `data` under the 32-byte
/// `key` and 16-byte `iv` (otherwise `MTP_RESULT_INVALID_LENGTH`), from the
/// start of the keystream, into `(out, *out_len)` (`data_len` bytes; `out`
/// may be `data`). Applying it twice gives the data back.
///
/// # Safety
/// Each input readable for its length; `out_len` NULL or a writable `size_t`
/// holding the capacity of `out`.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn mtp_aes_ctr_apply(
    key: *const u8,
    key_len: usize,
    iv: *const u8,
    iv_len: usize,
    data: *const u8,
    data_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees each (pointer, length) pair.
        let key: Zeroizing<[u8; 32]> =
            Zeroizing::new(unsafe { fixed_arg("AES key", key, key_len, "key") }?);
        // SAFETY: as above.
        let iv: Zeroizing<[u8; 16]> =
            Zeroizing::new(unsafe { fixed_arg("CTR IV", iv, iv_len, "iv") }?);
        // The copy ends the borrow of `data` before `out` is written.
        // SAFETY: as above.
        let mut buf = Zeroizing::new(unsafe { input(data, data_len, "data") }?.to_vec());
        AesCtr256::new(&key, &iv).apply(&mut buf);
        // SAFETY: the caller guarantees (out, out_len).
        unsafe { output(&buf, out, out_len, "out") }
    })
}

/// The fake-TLS key share (a valid X25519 public key) made from a 32-byte
/// `candidate`, into `(out, *out_len)`: 32 bytes, or 0 bytes
/// (`*out_len = 0`, `MTP_RESULT_OK`) when the candidate is rejected.
///
/// # Safety
/// `(candidate, candidate_len)` readable; `out_len` NULL or a writable
/// `size_t` holding the capacity of `out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_fake_tls_key_share(
    candidate: *const u8,
    candidate_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        let candidate: [u8; 32] =
            unsafe { fixed_arg("key share candidate", candidate, candidate_len, "candidate") }?;
        let share = key_share_from_candidate(&candidate);
        let bytes: &[u8] = share.as_ref().map_or(&[], |s| &s[..]);
        // SAFETY: as above.
        unsafe { output(bytes, out, out_len, "out") }
    })
}

/// Build a fake-TLS ClientHello (deterministic) for the `ee` secret (text),
/// dated `now_ms`, from a 32-byte `session_id`, 7-byte `grease_seed`, 32-byte
/// `key_share` and 15-byte `extension_order` (a permutation of 0..15), into
/// `*out` (its `hello` released with `mtp_bytes_free`).
///
/// Errors: wrong lengths (`MTP_RESULT_INVALID_LENGTH`), a secret that is not
/// `ee` (`MTP_RESULT_TRANSPORT_INVALID_SECRET`), an order that is not a
/// permutation (`MTP_RESULT_TRANSPORT_FAKE_TLS`).
///
/// # Safety
/// Every (pointer, length) pair readable; `out` NULL or writable.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn mtp_fake_tls_client_hello(
    secret: *const c_char,
    secret_len: usize,
    now_ms: u64,
    session_id: *const u8,
    session_id_len: usize,
    grease_seed: *const u8,
    grease_seed_len: usize,
    key_share: *const u8,
    key_share_len: usize,
    extension_order: *const u8,
    extension_order_len: usize,
    out: *mut mtp_client_hello,
) -> mtp_result {
    boundary(|| {
        check_out(out, "out")?;
        // SAFETY: out is non-NULL and the caller guarantees it writable.
        unsafe {
            out.write(mtp_client_hello {
                hello: mtp_bytes::EMPTY,
                random: [0; 32],
                digest: [0; 32],
            })
        };
        // SAFETY: the caller guarantees the (pointer, length) pair.
        let secret = unsafe { required_secret(secret, secret_len) }?;
        // SAFETY: the caller guarantees every (pointer, length) pair.
        let random = unsafe {
            ClientHelloRandom {
                session_id: fixed_arg("session id", session_id, session_id_len, "session_id")?,
                grease_seed: fixed_arg("grease seed", grease_seed, grease_seed_len, "grease_seed")?,
                key_share: fixed_arg("key share", key_share, key_share_len, "key_share")?,
                extension_order: fixed_arg(
                    "extension order",
                    extension_order,
                    extension_order_len,
                    "extension_order",
                )?,
            }
        };
        let hello = build_client_hello(&secret, UnixMillis(now_ms), &random)?;
        let value = mtp_client_hello {
            hello: mtp_bytes::from_vec(hello.bytes),
            random: hello.random,
            digest: hello.digest,
        };
        // SAFETY: as above.
        unsafe { write_value(out, value, "out") }
    })
}

/// Build the server's answer to an accepted ClientHello (deterministic) for
/// the secret (text), the hello's 32-byte `client_random` and `session_id`,
/// a 32-byte `key_share` and 1..=16384 bytes of `app_data`, into `*out`
/// (release with `mtp_bytes_free`).
///
/// # Safety
/// Every (pointer, length) pair readable; `out` NULL or writable.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn mtp_fake_tls_server_hello(
    secret: *const c_char,
    secret_len: usize,
    client_random: *const u8,
    client_random_len: usize,
    session_id: *const u8,
    session_id_len: usize,
    key_share: *const u8,
    key_share_len: usize,
    app_data: *const u8,
    app_data_len: usize,
    out: *mut mtp_bytes,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees `out`.
        unsafe { reset_bytes_out(out, "out") }?;
        // SAFETY: the caller guarantees the (pointer, length) pair.
        let secret = unsafe { required_secret(secret, secret_len) }?;
        // SAFETY: the caller guarantees every (pointer, length) pair.
        let (client_random, session_id, random) = unsafe {
            let client_random: [u8; 32] = fixed_arg(
                "client random",
                client_random,
                client_random_len,
                "client_random",
            )?;
            let session_id: [u8; 32] =
                fixed_arg("session id", session_id, session_id_len, "session_id")?;
            let random = ServerHelloRandom {
                key_share: fixed_arg("key share", key_share, key_share_len, "key_share")?,
                app_data: input(app_data, app_data_len, "app_data")?.to_vec(),
            };
            (client_random, session_id, random)
        };
        let response = build_server_hello(secret.key(), &client_random, &session_id, &random)
            .map_err(|e: TransportError| Failure::from(e))?;
        // SAFETY: as above.
        unsafe { super::write_bytes(out, response, "out") }
    })
}
