//! Auth key creation (core `auth`, `/mtproto/auth_key`): RSA keys
//! ([`mtp_rsa_public_key`], [`mtp_rsa_private_key`]), the key exchange for
//! each role ([`mtp_client_handshake`], [`mtp_server_handshake`]), the
//! server's key store ([`mtp_auth_key_store`]) and binding a temporary key
//! to a permanent one (`mtp_bind_temp_auth_key_query`,
//! `mtp_verify_bind_temp_auth_key`).
//!
//! This file holds what they share: the [`mtp_created_auth_key`] record, the
//! lengths of the fixed-size inputs and the argument helpers.
//!
//! Bodies in and out are TL bodies only: wrap them in plain messages
//! (`mtp_seal_plain` / `mtp_open_plain`) and a transport. Handshake outputs
//! are library-owned `mtp_bytes` (release with `mtp_bytes_free`). Randomness
//! comes from the operating system's CSPRNG (its failure is
//! `MTP_RESULT_RANDOM_UNAVAILABLE`); the `*_with` functions take it as
//! arguments instead, to replay recorded exchanges
//! (`tests/vectors/handshake.json`).
//!
//! RSA key handles are immutable (usable from several threads at once);
//! handshakes and the key store are mutable (one thread at a time).

// In the order of the header: keys, the two roles, the store, binding.
pub mod rsa;

pub mod client;

pub mod server;

pub mod key_store;

pub mod bind;

pub use bind::mtp_temp_key_binding;
pub use client::mtp_client_handshake;
pub use key_store::mtp_auth_key_store;
pub use rsa::{mtp_rsa_private_key, mtp_rsa_public_key};
pub use server::mtp_server_handshake;

use std::ffi::c_char;

use mtproto_core::auth::CreatedAuthKey;
use mtproto_core::crypto::fixed;
use mtproto_core::error::{AuthError, Error};

use crate::auth_key::MTP_AUTH_KEY_LEN;
use crate::buffers::{check_out, input, output_string, write_record};
use crate::result::{Failure, mtp_result};

/// The length of a key exchange `nonce` and `server_nonce` in bytes.
pub const MTP_NONCE_LEN: usize = 16;

/// The length of a key exchange `new_nonce` in bytes.
pub const MTP_NEW_NONCE_LEN: usize = 32;

/// The length of the client's `rsa_temp_key` (RSA_PAD's AES key) in bytes.
pub const MTP_RSA_TEMP_KEY_LEN: usize = 32;

/// The length of a Diffie-Hellman exponent (`a`, `b`: 2048-bit big-endian)
/// and of a `dh_prime` in bytes.
pub const MTP_DH_EXPONENT_LEN: usize = 256;

/// The length of an RSA modulus in bytes (only 2048-bit keys are used).
pub const MTP_RSA_MODULUS_LEN: usize = 256;

/// A new auth key, as either side of the exchange ends with it
/// (`mtp_client_handshake_created_key`, `mtp_server_handshake_created_key`).
///
/// Holds the key: wipe `auth_key` when done (for instance with
/// `explicit_bzero`). To encrypt with it, make a handle with
/// `mtp_auth_key_new(created.auth_key, MTP_AUTH_KEY_LEN, &key)`.
// No `Debug`: key material is never formatted.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct mtp_created_auth_key {
    /// The 2048-bit authorization key.
    pub auth_key: [u8; MTP_AUTH_KEY_LEN],
    /// Its id (the low 64 bits of SHA1(auth_key), little-endian).
    pub auth_key_id: u64,
    /// The first server salt, `new_nonce[0..8] XOR server_nonce[0..8]`, as
    /// a signed TL `long`.
    pub first_salt: i64,
    /// The server's clock (Unix seconds) when it answered req_DH_params.
    pub server_time: i32,
    /// Client: server time minus the client's clock when that answer
    /// arrived, in milliseconds (add it to local time to get server time).
    /// Server: 0.
    pub time_offset_ms: i64,
    /// The DC id the client named (0 when it used the dc-less inner data).
    pub dc_id: i32,
    /// When a temporary key expires (server Unix seconds); 0 for a permanent
    /// key.
    pub expires_at: i32,
}

impl mtp_created_auth_key {
    /// All zero: what an absent key reads as.
    const ZERO: mtp_created_auth_key = mtp_created_auth_key {
        auth_key: [0; 256],
        auth_key_id: 0,
        first_salt: 0,
        server_time: 0,
        time_offset_ms: 0,
        dc_id: 0,
        expires_at: 0,
    };
}

/// Write an optional created key: `*present` says whether there is one and
/// `*out` gets it (all zero when there is none).
///
/// # Safety
/// Unless NULL, `present` and `out` must be writable.
pub(crate) unsafe fn write_created_key(
    key: Option<&CreatedAuthKey>,
    present: *mut bool,
    out: *mut mtp_created_auth_key,
) -> Result<(), Failure> {
    check_out(present, "present")?;
    check_out(out, "out")?;
    // SAFETY: both checked non-NULL; the caller guarantees them writable.
    unsafe { out.write(mtp_created_auth_key::ZERO) };
    // SAFETY: as above.
    unsafe { present.write(key.is_some()) };
    if let Some(k) = key {
        // The key is copied straight into the caller's record, so that no
        // temporary copy is left behind on this stack.
        // SAFETY: out is non-NULL, writable and now initialised; the source
        // is the core's 256-byte key and the regions cannot overlap.
        unsafe {
            std::ptr::copy_nonoverlapping(
                k.auth_key.as_bytes().as_ptr(),
                std::ptr::addr_of_mut!((*out).auth_key).cast::<u8>(),
                MTP_AUTH_KEY_LEN,
            );
        }
        // SAFETY: as above; the fields are plain integers.
        unsafe {
            (*out).auth_key_id = k.auth_key.id().0;
            (*out).first_salt = k.first_salt.0 as i64;
            (*out).server_time = k.server_time;
            (*out).time_offset_ms = k.time_offset_ms;
            (*out).dc_id = k.dc_id;
            (*out).expires_at = k.expires_at.unwrap_or(0);
        }
    }
    Ok(())
}

/// Write the code of the error that ended an exchange into `*out`
/// (`MTP_RESULT_OK` when there is none): the `mtp_*_handshake_error_code`
/// functions.
///
/// # Safety
/// Unless NULL, `out` must be writable.
pub(crate) unsafe fn write_error_code(
    error: Option<&AuthError>,
    out: *mut mtp_result,
) -> Result<(), Failure> {
    let code = error.map_or(mtp_result::Ok, |e| Error::from(e.clone()).code().into());
    // SAFETY: the caller's guarantee is passed on.
    unsafe { write_record(out, code, "out") }
}

/// Write the message of the error that ended an exchange as a new
/// library-owned string into `*out` (already reset to NULL by the caller,
/// which leaves it NULL when there is none) and its length into `*out_len`
/// unless NULL (0 when there is none): the `mtp_*_handshake_error_message`
/// functions.
///
/// # Safety
/// `out` non-NULL and writable; `out_len` NULL or writable.
pub(crate) unsafe fn write_error_message(
    error: Option<&AuthError>,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> Result<(), Failure> {
    match error {
        // SAFETY: the caller's guarantees are passed on.
        Some(e) => unsafe { output_string(e.to_string(), out, out_len, "out") },
        None => {
            if !out_len.is_null() {
                // SAFETY: non-NULL, and the caller guarantees it writable.
                unsafe { out_len.write(0) };
            }
            Ok(())
        }
    }
}

/// A fixed-size byte input `(ptr, len)`; another length is
/// `MTP_RESULT_INVALID_LENGTH` naming `what`.
///
/// # Safety
/// As for [`input`].
pub(crate) unsafe fn fixed_arg<const N: usize>(
    what: &'static str,
    ptr: *const u8,
    len: usize,
    name: &str,
) -> Result<[u8; N], Failure> {
    // SAFETY: the caller's guarantee is input's.
    let bytes = unsafe { input(ptr, len, name) }?;
    Ok(fixed::<N>(what, bytes)?)
}

/// Borrow the caller's array of `count` handle pointers (NULL allowed when
/// `count` is 0; no element may be NULL).
///
/// # Safety
/// Unless NULL, `list` must point to `count` readable pointers, each NULL or
/// a live handle that stays valid and unmodified during the call.
pub(crate) unsafe fn handle_list<'a, T>(
    list: *const *const T,
    count: usize,
    what: &str,
) -> Result<Vec<&'a T>, Failure> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if list.is_null() {
        return Err(Failure::null(what));
    }
    if isize::try_from(count.saturating_mul(size_of::<*const T>())).is_err() {
        return Err(Failure::invalid(format!(
            "`{what}_count` ({count}) exceeds the address space"
        )));
    }
    // SAFETY: list is non-NULL, the size fits in isize, and the caller
    // guarantees `count` readable, aligned pointers for the call.
    let pointers = unsafe { std::slice::from_raw_parts(list, count) };
    pointers
        .iter()
        .enumerate()
        .map(|(i, p)| {
            // SAFETY: the caller guarantees each element NULL or live.
            unsafe { p.as_ref() }.ok_or_else(|| Failure::null(&format!("{what}[{i}]")))
        })
        .collect()
}

/// Check a handle out-pointer and set `*out` to NULL, so that it is NULL on
/// every failure.
///
/// # Safety
/// Unless NULL, `out` must point to a writable `T *`.
pub(crate) unsafe fn reset_handle_out<T>(out: *mut *mut T) -> Result<(), Failure> {
    check_out(out, "out")?;
    // SAFETY: out is non-NULL and the caller guarantees it writable.
    unsafe { out.write(std::ptr::null_mut()) };
    Ok(())
}

/// Hand a new handle to the caller through `out` (checked by
/// [`reset_handle_out`]); the caller releases it with the matching `*_free`.
///
/// # Safety
/// As for [`reset_handle_out`].
pub(crate) unsafe fn give_handle<T>(out: *mut *mut T, value: T) -> Result<(), Failure> {
    let handle = Box::into_raw(Box::new(value));
    // SAFETY: passed on; ownership of the Box passes to the caller, who
    // returns it through the matching *_free (Box::from_raw).
    unsafe { write_record(out, handle, "out") }.inspect_err(|_| {
        // SAFETY: the handle was not handed out; free it here.
        drop(unsafe { Box::from_raw(handle) });
    })
}

/// Release a handle from [`give_handle`]. NULL is ignored.
///
/// # Safety
/// `handle` must be NULL or come from [`give_handle`] with the same `T`,
/// not freed yet and not in use by another thread.
pub(crate) unsafe fn free_handle<T>(handle: *mut T) {
    if !handle.is_null() {
        // SAFETY: the caller guarantees a live Box from give_handle, freed
        // once.
        drop(unsafe { Box::from_raw(handle) });
    }
}

const _: () = assert!(MTP_RSA_MODULUS_LEN == MTP_DH_EXPONENT_LEN);
