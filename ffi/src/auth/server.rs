//! [`mtp_server_handshake`]: the server's side of one key exchange (core
//! `auth::ServerHandshake`).

use std::ffi::c_char;
use std::sync::Arc;

use mtproto_core::auth::{ServerHandshake, ServerHandshakeConfig};
use mtproto_core::crypto::dh::{DhGroup, TELEGRAM_DH_G};
use mtproto_core::error::AuthError;
use mtproto_core::{OsRandom, UnixMillis};

use super::key_store::{self, mtp_auth_key_store};
use super::rsa::mtp_rsa_private_key;
use super::{
    MTP_NONCE_LEN, fixed_arg, free_handle, give_handle, handle_list, mtp_created_auth_key,
    reset_handle_out, write_created_key, write_error_code, write_error_message,
};
use crate::buffers::{check_out, input, output_string, reset_string_out, write_record};
use crate::panic::{boundary, guard_value};
use crate::result::{Failure, mtp_result};
use crate::transport::{borrow, borrow_mut, mtp_bytes, reset_bytes_out, write_bytes};

/// The server's side of one key exchange (one per client connection that
/// sends req_pq_multi).
///
/// Use: feed each body the client sends to `mtp_server_handshake_handle`
/// (with the server's key store) and send the reply. After a reply,
/// `mtp_server_handshake_is_done` says the key was created and registered
/// in the store; `mtp_server_handshake_error_code` says the exchange was
/// refused (a refusal such as server_DH_params_fail is still a reply to
/// send). Any error is sticky.
///
/// Opaque: create it with `mtp_server_handshake_new`, release it with
/// `mtp_server_handshake_free`. Use from one thread at a time.
pub struct mtp_server_handshake {
    inner: ServerHandshake,
}

/// The handshake behind a handle.
///
/// # Safety
/// NULL or a live handle used by one thread.
unsafe fn get<'a>(h: *mut mtp_server_handshake) -> Result<&'a mut ServerHandshake, Failure> {
    // SAFETY: passed on from the caller.
    unsafe { borrow_mut(h, "handshake") }.map(|h| &mut h.inner)
}

/// The DH group for `(g, dh_prime)`: Telegram's for an empty prime.
fn dh_group(g: i32, prime: &[u8]) -> Result<DhGroup, Failure> {
    if !prime.is_empty() {
        return Ok(DhGroup::new_checked(i64::from(g), prime)?);
    }
    match u32::try_from(g) {
        Ok(0 | TELEGRAM_DH_G) => Ok(DhGroup::telegram()),
        _ => Err(AuthError::InvalidGenerator {
            g: i64::from(g),
            reason: "Telegram's DH group (an empty dh_prime) has g = 3 (or pass 0)",
        }
        .into()),
    }
}

/// A new exchange waiting for req_pq_multi.
///
/// - `keys`, `count`: the RSA private keys whose fingerprints resPQ offers,
///   in that order (copied: they may be freed after this call).
/// - `g`, `(dh_prime, dh_prime_len)`: the DH group. An empty `dh_prime`
///   (NULL, 0) is Telegram's 2048-bit prime, with `g` 3 or 0 (meaning 3);
///   otherwise a 256-byte big-endian safe prime checked with its `g`
///   (`MTP_RESULT_AUTH_INVALID_DH_PRIME`, `MTP_RESULT_AUTH_INVALID_GENERATOR`;
///   the primality tests take a few tens of milliseconds).
/// - `dc_id`: NULL to accept any DC, or the DC this server is: inner data
///   naming another DC is refused with server_DH_params_fail.
/// - `max_temp_expires_in`: NULL for the default (30 days), or the longest
///   temporary key lifetime accepted, in seconds.
///
/// `*out` is a new handle to release with `mtp_server_handshake_free`, NULL
/// on failure.
///
/// # Safety
/// `keys` NULL (with `count` 0) or `count` readable pointers to live private
/// key handles; `(dh_prime, dh_prime_len)` readable; `dc_id` and
/// `max_temp_expires_in` NULL or readable; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_server_handshake_new(
    keys: *const *const mtp_rsa_private_key,
    count: usize,
    g: i32,
    dh_prime: *const u8,
    dh_prime_len: usize,
    dc_id: *const i32,
    max_temp_expires_in: *const i32,
    out: *mut *mut mtp_server_handshake,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { reset_handle_out(out) }?;
        // SAFETY: as above.
        let keys = unsafe { handle_list(keys, count, "keys") }?;
        // SAFETY: as above.
        let prime = unsafe { input(dh_prime, dh_prime_len, "dh_prime") }?;
        let mut config = ServerHandshakeConfig::new(keys.iter().map(|k| k.inner.clone()).collect());
        config.dh = dh_group(g, prime)?;
        // SAFETY: the caller guarantees each pointer NULL or a readable i32.
        config.dc_id = unsafe { dc_id.as_ref() }.copied();
        // SAFETY: as above.
        if let Some(max) = unsafe { max_temp_expires_in.as_ref() } {
            config.max_temp_expires_in = *max;
        }
        let inner = ServerHandshake::new(Arc::new(config), Box::new(OsRandom));
        // SAFETY: as above.
        unsafe { give_handle(out, mtp_server_handshake { inner }) }
    })
}

/// Release a server handshake (with the key it holds, wiped). NULL is
/// accepted and ignored.
///
/// # Safety
/// `handshake` must be NULL or a handle from `mtp_server_handshake_new`, not
/// freed yet and not in use by another thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_server_handshake_free(handshake: *mut mtp_server_handshake) {
    // SAFETY: the caller's guarantee is passed on.
    guard_value((), || unsafe { free_handle(handshake) });
}

/// Run one step that yields a reply: reset `out`, borrow the handshake, and
/// hand the reply to the caller.
///
/// # Safety
/// `handshake` NULL or a live handle; `out` NULL or writable.
unsafe fn reply_step(
    handshake: *mut mtp_server_handshake,
    out: *mut mtp_bytes,
    step: impl FnOnce(&mut ServerHandshake) -> Result<Vec<u8>, Failure>,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { reset_bytes_out(out, "out") }?;
        // SAFETY: as above.
        let h = unsafe { get(handshake) }?;
        let reply = step(h)?;
        // SAFETY: as above.
        unsafe { write_bytes(out, reply, "out") }
    })
}

/// Feed the next body the client sent (a TL body without envelope) and get
/// the reply to send into `*out` (library-owned: release with
/// `mtp_bytes_free`; `{NULL, 0}` on failure). `now_ms` is the server's
/// clock (Unix milliseconds); `store` is the server's key store, where the
/// new key is registered (and whose ids trigger a dh_gen_retry).
///
/// A refusal (server_DH_params_fail, dh_gen_fail) succeeds with the reply
/// to send, then `mtp_server_handshake_error_code` says why. A request that
/// fails its checks is an error (`MTP_RESULT_AUTH_*`, `MTP_RESULT_TL_*`)
/// with nothing to send.
///
/// # Safety
/// `handshake` and `store` NULL or live handles (not in use by another
/// thread); `(body, body_len)` readable; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_server_handshake_handle(
    handshake: *mut mtp_server_handshake,
    body: *const u8,
    body_len: usize,
    now_ms: u64,
    store: *mut mtp_auth_key_store,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller guarantees the handle, `out` and every (pointer,
    // length) pair as documented above; the closure reads the pairs (and
    // borrows the store) only during this call.
    unsafe {
        reply_step(handshake, out, |h| {
            let store = key_store::get(store)?;
            let body = input(body, body_len, "body")?;
            Ok(h.handle(body, UnixMillis(now_ms), store)?)
        })
    }
}

/// Answer req_pq_multi with an explicit `server_nonce` (`MTP_NONCE_LEN`, 16
/// bytes) and the primes `p < q` whose product resPQ sends as pq. The
/// resPQ body goes into `*out`.
///
/// # Safety
/// `handshake` NULL or a live handle; the `(pointer, length)` pairs
/// readable; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_server_handshake_handle_req_pq_with(
    handshake: *mut mtp_server_handshake,
    body: *const u8,
    body_len: usize,
    server_nonce: *const u8,
    server_nonce_len: usize,
    p: u32,
    q: u32,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller guarantees the handle, `out` and every (pointer,
    // length) pair as documented above; the closure reads the pairs (and
    // borrows the store) only during this call.
    unsafe {
        reply_step(handshake, out, |h| {
            let body = input(body, body_len, "body")?;
            let nonce = fixed_arg::<MTP_NONCE_LEN>(
                "server_nonce",
                server_nonce,
                server_nonce_len,
                "server_nonce",
            )?;
            Ok(h.handle_req_pq_with(body, nonce, p, q)?)
        })
    }
}

/// Answer req_DH_params with an explicit exponent `a`
/// (`MTP_DH_EXPONENT_LEN`, 256 big-endian bytes) and the padding of the
/// encrypted answer. `now_ms` is the server's clock. The reply
/// (server_DH_params_ok, or server_DH_params_fail for a refused request)
/// goes into `*out`.
///
/// # Safety
/// As for `mtp_server_handshake_handle_req_pq_with`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_server_handshake_handle_req_dh_params_with(
    handshake: *mut mtp_server_handshake,
    body: *const u8,
    body_len: usize,
    now_ms: u64,
    a: *const u8,
    a_len: usize,
    answer_padding: *const u8,
    answer_padding_len: usize,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller guarantees the handle, `out` and every (pointer,
    // length) pair as documented above; the closure reads the pairs (and
    // borrows the store) only during this call.
    unsafe {
        reply_step(handshake, out, |h| {
            let body = input(body, body_len, "body")?;
            let a_bytes = input(a, a_len, "a")?;
            let a = mtproto_core::auth::client::exponent_from_slice(a_bytes)?;
            let padding = input(answer_padding, answer_padding_len, "answer_padding")?;
            Ok(h.handle_req_dh_params_with(body, UnixMillis(now_ms), &a, padding)?)
        })
    }
}

/// Answer set_client_DH_params (no randomness involved): dh_gen_ok (the key
/// is registered in `store`), dh_gen_retry (its id is taken: wait for
/// another set_client_DH_params) or dh_gen_fail, into `*out`.
///
/// # Safety
/// As for `mtp_server_handshake_handle`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_server_handshake_handle_set_client_dh_params(
    handshake: *mut mtp_server_handshake,
    body: *const u8,
    body_len: usize,
    store: *mut mtp_auth_key_store,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller guarantees the handle, `out` and every (pointer,
    // length) pair as documented above; the closure reads the pairs (and
    // borrows the store) only during this call.
    unsafe {
        reply_step(handshake, out, |h| {
            let store = key_store::get(store)?;
            let body = input(body, body_len, "body")?;
            Ok(h.handle_set_client_dh_params(body, store)?)
        })
    }
}

/// Whether the key was created (dh_gen_ok was the last reply), into `*out`.
///
/// # Safety
/// `handshake` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_server_handshake_is_done(
    handshake: *const mtp_server_handshake,
    out: *mut bool,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        let h = unsafe { borrow(handshake, "handshake") }?;
        // SAFETY: as above.
        unsafe { write_record(out, h.inner.is_done(), "out") }
    })
}

/// The current state for logs (`"awaiting req_pq_multi"`, ..., `"done"`,
/// `"failed"`): a new library-owned string in `*out` (release with
/// `mtp_string_free`), its length in `*out_len` unless NULL.
///
/// # Safety
/// `handshake` NULL or a live handle; `out` NULL or writable; `out_len`
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_server_handshake_state_name(
    handshake: *const mtp_server_handshake,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { reset_string_out(out, "out") }?;
        // SAFETY: as above.
        let h = unsafe { borrow(handshake, "handshake") }?;
        // SAFETY: as above.
        unsafe { output_string(h.inner.state_name().to_owned(), out, out_len, "out") }
    })
}

/// Why the exchange ended, into `*out`: the code of the refusal or failure
/// (for instance `MTP_RESULT_AUTH_INVALID_INNER_DATA` after a
/// server_DH_params_fail for another DC), or `MTP_RESULT_OK` while it has
/// not failed. The call itself returns `MTP_RESULT_OK` in both cases.
///
/// # Safety
/// `handshake` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_server_handshake_error_code(
    handshake: *const mtp_server_handshake,
    out: *mut mtp_result,
) -> mtp_result {
    boundary(|| {
        check_out(out, "out")?;
        // SAFETY: the caller's guarantees are passed on.
        let h = unsafe { borrow(handshake, "handshake") }?;
        // SAFETY: as above.
        unsafe { write_error_code(h.inner.error(), out) }
    })
}

/// The message of the error that ended the exchange (as
/// `mtp_last_error_message` would give it): a new library-owned string in
/// `*out` (release with `mtp_string_free`) and its length in `*out_len`
/// unless NULL; `*out` is NULL while the exchange has not failed.
///
/// # Safety
/// `handshake` NULL or a live handle; `out` NULL or writable; `out_len`
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_server_handshake_error_message(
    handshake: *const mtp_server_handshake,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { reset_string_out(out, "out") }?;
        // SAFETY: as above.
        let h = unsafe { borrow(handshake, "handshake") }?;
        // SAFETY: as above.
        unsafe { write_error_message(h.inner.error(), out, out_len) }
    })
}

/// The key, once dh_gen_ok was sent: `*present` says whether it exists and
/// `*out` gets it (all zero while it does not; `time_offset_ms` is always
/// 0 on this side). The record holds the key: wipe it when done.
///
/// # Safety
/// `handshake` NULL or a live handle; `present` and `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_server_handshake_created_key(
    handshake: *const mtp_server_handshake,
    present: *mut bool,
    out: *mut mtp_created_auth_key,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        let h = unsafe { borrow(handshake, "handshake") }?;
        // SAFETY: as above.
        unsafe { write_created_key(h.inner.created_key(), present, out) }
    })
}
