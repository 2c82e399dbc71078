//! [`mtp_client_handshake`]: the client's side of one key exchange (core
//! `auth::ClientHandshake`).

use std::ffi::c_char;

use mtproto_core::auth::{ClientHandshake, ClientHandshakeConfig, KeyType};
use mtproto_core::{OsRandom, UnixMillis};
use zeroize::Zeroizing;

use super::rsa::mtp_rsa_public_key;
use super::{
    MTP_DH_EXPONENT_LEN, MTP_NEW_NONCE_LEN, MTP_NONCE_LEN, MTP_RSA_TEMP_KEY_LEN, fixed_arg,
    free_handle, give_handle, handle_list, mtp_created_auth_key, reset_handle_out,
    write_created_key, write_error_code, write_error_message,
};
use crate::buffers::{check_out, input, output_string, reset_string_out, write_record};
use crate::panic::{boundary, guard_value};
use crate::result::{Failure, mtp_result};
use crate::transport::{borrow, borrow_mut, mtp_bytes, reset_bytes_out, write_bytes};

/// The client's side of one key exchange with one data center.
///
/// Use: `mtp_client_handshake_start` and send its body (req_pq_multi) in a
/// plain message; then feed each body the server answers to
/// `mtp_client_handshake_handle` and send what it returns, until it returns
/// no bytes (`out->len == 0`): the key is then in
/// `mtp_client_handshake_created_key`. Any error ends the exchange: every
/// later call returns it again, and `mtp_client_handshake_error_code` and
/// `mtp_client_handshake_error_message` say why.
///
/// Opaque: create it with `mtp_client_handshake_new`, release it with
/// `mtp_client_handshake_free`. Use from one thread at a time.
pub struct mtp_client_handshake {
    inner: ClientHandshake,
}

/// The handshake behind a handle.
///
/// # Safety
/// NULL or a live handle used by one thread.
unsafe fn get<'a>(h: *mut mtp_client_handshake) -> Result<&'a mut ClientHandshake, Failure> {
    // SAFETY: passed on from the caller.
    unsafe { borrow_mut(h, "handshake") }.map(|h| &mut h.inner)
}

/// A new exchange that will create a key with DC `dc_id` (+10000 for test
/// servers, negative for media DCs), trusting the `count` public keys at
/// `keys` (copied: they may be freed after this call). `expires_in` is 0
/// for a permanent key, or the lifetime in seconds of a temporary key
/// (bind it to the permanent key with `mtp_bind_temp_auth_key_query`).
/// Nothing is sent until `mtp_client_handshake_start`.
///
/// Errors: a NULL key (`MTP_RESULT_NULL_POINTER`), a negative `expires_in`
/// (`MTP_RESULT_INVALID_ARGUMENT`). `*out` is a new handle to release with
/// `mtp_client_handshake_free`, NULL on failure.
///
/// # Safety
/// `keys` NULL (with `count` 0) or `count` readable pointers to live public
/// key handles; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_client_handshake_new(
    keys: *const *const mtp_rsa_public_key,
    count: usize,
    dc_id: i32,
    expires_in: i32,
    out: *mut *mut mtp_client_handshake,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { reset_handle_out(out) }?;
        // SAFETY: as above.
        let keys = unsafe { handle_list(keys, count, "keys") }?;
        let key_type = match expires_in {
            0 => KeyType::Permanent,
            e if e > 0 => KeyType::Temporary { expires_in: e },
            e => {
                return Err(Failure::invalid(format!(
                    "expires_in must be 0 (permanent key) or positive (temporary key), got {e}"
                )));
            }
        };
        let config = ClientHandshakeConfig {
            rsa_keys: keys.iter().map(|k| k.inner.clone()).collect(),
            dc_id,
            key_type,
        };
        let inner = ClientHandshake::new(config, Box::new(OsRandom));
        // SAFETY: as above.
        unsafe { give_handle(out, mtp_client_handshake { inner }) }
    })
}

/// Release a client handshake (with the key it holds, wiped). NULL is
/// accepted and ignored.
///
/// # Safety
/// `handshake` must be NULL or a handle from `mtp_client_handshake_new`, not
/// freed yet and not in use by another thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_client_handshake_free(handshake: *mut mtp_client_handshake) {
    // SAFETY: the caller's guarantee is passed on.
    guard_value((), || unsafe { free_handle(handshake) });
}

/// Run one step that yields a body: reset `out`, borrow the handshake, and
/// hand the body to the caller.
///
/// # Safety
/// `handshake` NULL or a live handle; `out` NULL or writable.
unsafe fn body_step(
    handshake: *mut mtp_client_handshake,
    out: *mut mtp_bytes,
    step: impl FnOnce(&mut ClientHandshake) -> Result<Option<Vec<u8>>, Failure>,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { reset_bytes_out(out, "out") }?;
        // SAFETY: as above.
        let h = unsafe { get(handshake) }?;
        let body = step(h)?.unwrap_or_default();
        // SAFETY: as above.
        unsafe { write_bytes(out, body, "out") }
    })
}

/// Begin: the req_pq_multi body to send, with a random nonce, into `*out`
/// (library-owned: release with `mtp_bytes_free`; `{NULL, 0}` on failure).
/// A second call is `MTP_RESULT_AUTH_OUT_OF_ORDER`.
///
/// # Safety
/// `handshake` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_client_handshake_start(
    handshake: *mut mtp_client_handshake,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller's guarantees are passed on.
    unsafe { body_step(handshake, out, |h| Ok(Some(h.start()?))) }
}

/// `mtp_client_handshake_start` with the given `MTP_NONCE_LEN` (16) byte
/// nonce (another length: `MTP_RESULT_INVALID_LENGTH`), for replaying
/// recorded exchanges.
///
/// # Safety
/// `handshake` NULL or a live handle; `(nonce, nonce_len)` readable; `out`
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_client_handshake_start_with(
    handshake: *mut mtp_client_handshake,
    nonce: *const u8,
    nonce_len: usize,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller guarantees the handle, `out` and every (pointer,
    // length) pair as documented above; the closure reads the pairs only
    // during this call.
    unsafe {
        body_step(handshake, out, |h| {
            let nonce = fixed_arg::<MTP_NONCE_LEN>("nonce", nonce, nonce_len, "nonce")?;
            Ok(Some(h.start_with(nonce)?))
        })
    }
}

/// Feed the next body the server sent (`(body, body_len)`, a TL body
/// without envelope) and get the body to send into `*out` (release with
/// `mtp_bytes_free`). Once the key exists `*out` is `{NULL, 0}`: nothing
/// more to send, read `mtp_client_handshake_created_key`. `now_ms` is the
/// local clock (Unix milliseconds), for the server time offset.
///
/// Errors: the server's answers are checked at every step (nonces, hashes,
/// DH parameters): `MTP_RESULT_AUTH_*`, `MTP_RESULT_TL_*`; a refusal is
/// `MTP_RESULT_AUTH_SERVER_DH_PARAMS_FAIL` or `MTP_RESULT_AUTH_DH_GEN_FAIL`.
///
/// # Safety
/// `handshake` NULL or a live handle; `(body, body_len)` readable; `out`
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_client_handshake_handle(
    handshake: *mut mtp_client_handshake,
    body: *const u8,
    body_len: usize,
    now_ms: u64,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller guarantees the handle, `out` and every (pointer,
    // length) pair as documented above; the closure reads the pairs only
    // during this call.
    unsafe {
        body_step(handshake, out, |h| {
            let body = input(body, body_len, "body")?;
            Ok(h.handle(body, UnixMillis(now_ms))?)
        })
    }
}

/// Handle resPQ with explicit randomness: `new_nonce` (`MTP_NEW_NONCE_LEN`,
/// 32 bytes), RSA_PAD's padding (`192 - len(p_q_inner_data)` bytes) and
/// `rsa_temp_key` (`MTP_RSA_TEMP_KEY_LEN`, 32 bytes). The req_DH_params body
/// goes into `*out`.
///
/// # Safety
/// `handshake` NULL or a live handle; every `(pointer, length)` pair
/// readable; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_client_handshake_handle_res_pq_with(
    handshake: *mut mtp_client_handshake,
    body: *const u8,
    body_len: usize,
    new_nonce: *const u8,
    new_nonce_len: usize,
    rsa_padding: *const u8,
    rsa_padding_len: usize,
    rsa_temp_key: *const u8,
    rsa_temp_key_len: usize,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller guarantees the handle, `out` and every (pointer,
    // length) pair as documented above; the closure reads the pairs only
    // during this call.
    unsafe {
        body_step(handshake, out, |h| {
            let body = input(body, body_len, "body")?;
            let new_nonce = Zeroizing::new(fixed_arg::<MTP_NEW_NONCE_LEN>(
                "new_nonce",
                new_nonce,
                new_nonce_len,
                "new_nonce",
            )?);
            let padding = input(rsa_padding, rsa_padding_len, "rsa_padding")?;
            let temp_key = Zeroizing::new(fixed_arg::<MTP_RSA_TEMP_KEY_LEN>(
                "rsa_temp_key",
                rsa_temp_key,
                rsa_temp_key_len,
                "rsa_temp_key",
            )?);
            Ok(Some(h.handle_res_pq_with(
                body, *new_nonce, padding, &temp_key,
            )?))
        })
    }
}

/// Handle server_DH_params with explicit randomness: the exponent `b`
/// (`MTP_DH_EXPONENT_LEN`, 256 big-endian bytes) and the padding of
/// client_DH_inner_data. `now_ms` is the local clock. The
/// set_client_DH_params body goes into `*out`.
///
/// # Safety
/// As for `mtp_client_handshake_handle_res_pq_with`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_client_handshake_handle_server_dh_params_with(
    handshake: *mut mtp_client_handshake,
    body: *const u8,
    body_len: usize,
    now_ms: u64,
    b: *const u8,
    b_len: usize,
    padding: *const u8,
    padding_len: usize,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller guarantees the handle, `out` and every (pointer,
    // length) pair as documented above; the closure reads the pairs only
    // during this call.
    unsafe {
        body_step(handshake, out, |h| {
            let body = input(body, body_len, "body")?;
            let b = exponent_arg(b, b_len, "b")?;
            let padding = input(padding, padding_len, "padding")?;
            Ok(Some(h.handle_server_dh_params_with(
                body,
                UnixMillis(now_ms),
                &b,
                padding,
            )?))
        })
    }
}

/// Handle the dh_gen answer: on dh_gen_ok `*out` is `{NULL, 0}` and the key
/// exists; on dh_gen_retry `*out` is the new set_client_DH_params body,
/// made with `retry_b` (256 bytes) and `retry_padding` (both ignored
/// otherwise, but `retry_b` must still be 256 bytes).
///
/// # Safety
/// As for `mtp_client_handshake_handle_res_pq_with`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_client_handshake_handle_dh_gen_with(
    handshake: *mut mtp_client_handshake,
    body: *const u8,
    body_len: usize,
    retry_b: *const u8,
    retry_b_len: usize,
    retry_padding: *const u8,
    retry_padding_len: usize,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller guarantees the handle, `out` and every (pointer,
    // length) pair as documented above; the closure reads the pairs only
    // during this call.
    unsafe {
        body_step(handshake, out, |h| {
            let body = input(body, body_len, "body")?;
            let b = exponent_arg(retry_b, retry_b_len, "retry_b")?;
            let padding = input(retry_padding, retry_padding_len, "retry_padding")?;
            Ok(h.handle_dh_gen_with(body, &b, padding)?)
        })
    }
}

/// A 256-byte DH exponent argument, wiped after use.
///
/// # Safety
/// As for `input`.
unsafe fn exponent_arg(
    ptr: *const u8,
    len: usize,
    name: &str,
) -> Result<Zeroizing<[u8; MTP_DH_EXPONENT_LEN]>, Failure> {
    // SAFETY: passed on from the caller.
    let bytes = unsafe { input(ptr, len, name) }?;
    Ok(mtproto_core::auth::client::exponent_from_slice(bytes)?)
}

/// Whether the key exists, into `*out`.
///
/// # Safety
/// `handshake` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_client_handshake_is_done(
    handshake: *const mtp_client_handshake,
    out: *mut bool,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        let h = unsafe { borrow(handshake, "handshake") }?;
        // SAFETY: as above.
        unsafe { write_record(out, h.inner.is_done(), "out") }
    })
}

/// The current state for logs (`"new"`, `"awaiting resPQ"`, ...,
/// `"done"`, `"failed"`): a new library-owned string in `*out` (release with
/// `mtp_string_free`), its length in `*out_len` unless NULL.
///
/// # Safety
/// `handshake` NULL or a live handle; `out` NULL or writable; `out_len`
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_client_handshake_state_name(
    handshake: *const mtp_client_handshake,
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

/// Why the exchange ended, into `*out`: the code of the error that ended it
/// (for instance `MTP_RESULT_AUTH_NONCE_MISMATCH` after a resPQ echoing
/// another nonce, `MTP_RESULT_AUTH_SERVER_DH_PARAMS_FAIL` after the server's
/// refusal), or `MTP_RESULT_OK` while it has not failed (a call out of order
/// does not end it). The call itself returns `MTP_RESULT_OK` in both cases.
///
/// # Safety
/// `handshake` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_client_handshake_error_code(
    handshake: *const mtp_client_handshake,
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
/// `mtp_last_error_message` gave it when the failing call returned): a new
/// library-owned string in `*out` (release with `mtp_string_free`) and its
/// length in `*out_len` unless NULL; `*out` is NULL while the exchange has
/// not failed.
///
/// # Safety
/// `handshake` NULL or a live handle; `out` NULL or writable; `out_len`
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_client_handshake_error_message(
    handshake: *const mtp_client_handshake,
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

/// The key, once the exchange succeeded: `*present` says whether it exists
/// and `*out` gets it (all zero while it does not). The record holds the
/// key: wipe it when done.
///
/// # Safety
/// `handshake` NULL or a live handle; `present` and `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_client_handshake_created_key(
    handshake: *const mtp_client_handshake,
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
