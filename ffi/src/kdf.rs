//! Key derivation: `msg_key` and the per-message AES key and IV (MTProto 2.0
//! and 1.0), and the key exchange's temporary key.

use mtproto_core::crypto::fixed;
use mtproto_core::crypto::kdf::{
    AesKeyIv, MsgKey, derive_v1, derive_v2, handshake_tmp_key_iv, msg_key_v1, msg_key_v2,
};
use zeroize::Zeroizing;

use crate::auth_key::{self, mtp_auth_key};
use crate::buffers::{check_out, input, output, write_record};
use crate::direction::{self, mtp_direction};
use crate::panic::boundary;
use crate::result::{Failure, mtp_result};

/// The length of a `msg_key` and of a DH `server_nonce` in bytes.
pub const MTP_MSG_KEY_LEN: usize = 16;

/// An AES-256 key and a 32-byte IGE IV, as derived for one message or for
/// the key exchange. Holds key material: clear it when done.
// No `Debug`: key material is never formatted.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct mtp_aes_key_iv {
    /// The AES-256 key.
    pub key: [u8; 32],
    /// The IGE initialization vector.
    pub iv: [u8; 32],
}

impl From<&AesKeyIv> for mtp_aes_key_iv {
    fn from(k: &AesKeyIv) -> Self {
        mtp_aes_key_iv {
            key: k.key,
            iv: k.iv,
        }
    }
}

/// Read a 16-byte msg_key argument.
///
/// # Safety
/// `(ptr, len)` as for any input.
unsafe fn msg_key_arg(ptr: *const u8, len: usize) -> Result<MsgKey, Failure> {
    // SAFETY: the caller guarantees (ptr, len).
    let bytes = unsafe { input(ptr, len, "msg_key") }?;
    Ok(MsgKey(fixed("msg_key", bytes)?))
}

/// The MTProto 2.0 `msg_key` of `plaintext` (the whole plaintext, padding
/// included) for `direction`, written into `(out, *out_len)`
/// (`MTP_MSG_KEY_LEN` bytes).
///
/// # Safety
/// `auth_key` must be a live handle; `plaintext` must point to
/// `plaintext_len` readable bytes (or be NULL with length 0); `out_len` must
/// point to a writable `size_t` holding the capacity of `out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_msg_key_v2(
    auth_key: *const mtp_auth_key,
    direction: mtp_direction,
    plaintext: *const u8,
    plaintext_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees every pointer per the contract above.
        let key = unsafe { auth_key::borrow(auth_key) }?;
        let dir = direction::from_c(direction)?;
        // SAFETY: as above.
        let plaintext = unsafe { input(plaintext, plaintext_len, "plaintext") }?;
        let msg_key = msg_key_v2(key, dir, plaintext);
        // SAFETY: as above.
        unsafe { output(&msg_key.0, out, out_len, "out") }
    })
}

/// The MTProto 2.0 AES key and IV for a message with `msg_key` (16 bytes,
/// otherwise `MTP_RESULT_INVALID_LENGTH`) in `direction`, written to `*out`.
///
/// # Safety
/// `auth_key` must be a live handle; `msg_key` must point to `msg_key_len`
/// readable bytes; `out` must point to a writable `mtp_aes_key_iv`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_derive_v2(
    auth_key: *const mtp_auth_key,
    direction: mtp_direction,
    msg_key: *const u8,
    msg_key_len: usize,
    out: *mut mtp_aes_key_iv,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees every pointer per the contract above.
        let key = unsafe { auth_key::borrow(auth_key) }?;
        let dir = direction::from_c(direction)?;
        // SAFETY: as above.
        let msg_key = unsafe { msg_key_arg(msg_key, msg_key_len) }?;
        check_out(out, "out")?;
        let derived = derive_v2(key, dir, &msg_key);
        // SAFETY: as above.
        unsafe { write_record(out, (&derived).into(), "out") }
    })
}

/// The MTProto 1.0 `msg_key` (used inside `auth.bindTempAuthKey`): bytes
/// 4..20 of SHA1 of the plaintext *without* padding, written into
/// `(out, *out_len)` (`MTP_MSG_KEY_LEN` bytes).
///
/// # Safety
/// `plaintext` must point to `plaintext_len` readable bytes (or be NULL with
/// length 0); `out_len` must point to a writable `size_t` holding the
/// capacity of `out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_msg_key_v1(
    plaintext: *const u8,
    plaintext_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees every pointer per the contract above.
        let plaintext = unsafe { input(plaintext, plaintext_len, "plaintext") }?;
        let msg_key = msg_key_v1(plaintext);
        // SAFETY: as above.
        unsafe { output(&msg_key.0, out, out_len, "out") }
    })
}

/// The MTProto 1.0 AES key and IV for `msg_key` (16 bytes) in `direction`,
/// written to `*out`.
///
/// # Safety
/// As for `mtp_derive_v2`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_derive_v1(
    auth_key: *const mtp_auth_key,
    direction: mtp_direction,
    msg_key: *const u8,
    msg_key_len: usize,
    out: *mut mtp_aes_key_iv,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees every pointer per the contract above.
        let key = unsafe { auth_key::borrow(auth_key) }?;
        let dir = direction::from_c(direction)?;
        // SAFETY: as above.
        let msg_key = unsafe { msg_key_arg(msg_key, msg_key_len) }?;
        check_out(out, "out")?;
        let derived = derive_v1(key, dir, &msg_key);
        // SAFETY: as above.
        unsafe { write_record(out, (&derived).into(), "out") }
    })
}

/// The temporary AES key and IV that encrypt `server_DH_inner_data` and
/// `client_DH_inner_data` during key creation, from `new_nonce` (32 bytes)
/// and `server_nonce` (16 bytes), written to `*out`.
///
/// # Safety
/// Each input pointer must point to its length in readable bytes; `out` must
/// point to a writable `mtp_aes_key_iv`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_handshake_tmp_key_iv(
    new_nonce: *const u8,
    new_nonce_len: usize,
    server_nonce: *const u8,
    server_nonce_len: usize,
    out: *mut mtp_aes_key_iv,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees every pointer per the contract above.
        let new_nonce = unsafe { input(new_nonce, new_nonce_len, "new_nonce") }?;
        let new_nonce = Zeroizing::new(fixed::<32>("new_nonce", new_nonce)?);
        // SAFETY: as above.
        let server_nonce = unsafe { input(server_nonce, server_nonce_len, "server_nonce") }?;
        let server_nonce = fixed::<16>("server_nonce", server_nonce)?;
        check_out(out, "out")?;
        let derived = handshake_tmp_key_iv(&new_nonce, &server_nonce);
        // SAFETY: as above.
        unsafe { write_record(out, (&derived).into(), "out") }
    })
}
