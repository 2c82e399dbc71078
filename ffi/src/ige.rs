//! AES-256-IGE, the cipher of every MTProto message.

use mtproto_core::crypto::aes_ige::{ige_decrypt, ige_encrypt};
use mtproto_core::crypto::fixed;
use mtproto_core::error::CryptoError;
use zeroize::Zeroizing;

use crate::buffers::{input, output};
use crate::panic::boundary;
use crate::result::{Failure, mtp_result};

/// The length of an AES-256 key, of an IGE IV, and of a DH `new_nonce`.
pub const MTP_AES_KEY_LEN: usize = 32;

type IgeFn = fn(&[u8; 32], &[u8; 32], &mut [u8]) -> Result<(), CryptoError>;

/// The shared body of both exports: check, copy, run `f` in place on the
/// copy, write the result out.
///
/// # Safety
/// As documented on `mtp_ige_encrypt`.
#[allow(clippy::too_many_arguments)]
unsafe fn run(
    f: IgeFn,
    key: *const u8,
    key_len: usize,
    iv: *const u8,
    iv_len: usize,
    data: *const u8,
    data_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> Result<(), Failure> {
    // SAFETY (all three): the caller guarantees each (pointer, length) pair.
    let key = Zeroizing::new(fixed::<32>("AES key", unsafe {
        input(key, key_len, "key")
    }?)?);
    let iv = Zeroizing::new(fixed::<32>("IGE IV", unsafe { input(iv, iv_len, "iv") }?)?);
    // The copy ends the borrow of `data` before `out` is written, which makes
    // `out == data` (in place) well defined.
    let mut buf = Zeroizing::new(unsafe { input(data, data_len, "data") }?.to_vec());
    f(&key, &iv, &mut buf)?;
    // SAFETY: the caller guarantees (out, out_len).
    unsafe { output(&buf, out, out_len, "out") }
}

/// AES-256-IGE-encrypt `data` (a multiple of 16 bytes, otherwise
/// `MTP_RESULT_IGE_LENGTH`) under the 32-byte `key` and 32-byte `iv`
/// (otherwise `MTP_RESULT_INVALID_LENGTH`) into `(out, *out_len)`; the output
/// is `data_len` bytes. `out` may be the same buffer as `data` (in place).
///
/// For the key-exchange payloads; messages are sealed with
/// `mtp_seal_encrypted`, which does this itself.
///
/// # Safety
/// Each input pointer must point to its length in readable bytes (or be NULL
/// with length 0); `out_len` must point to a writable `size_t` holding the
/// capacity of `out`.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn mtp_ige_encrypt(
    key: *const u8,
    key_len: usize,
    iv: *const u8,
    iv_len: usize,
    data: *const u8,
    data_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> mtp_result {
    // SAFETY: the caller's guarantees are passed on unchanged.
    boundary(|| unsafe {
        run(
            ige_encrypt,
            key,
            key_len,
            iv,
            iv_len,
            data,
            data_len,
            out,
            out_len,
        )
    })
}

/// AES-256-IGE-decrypt `data`; the arguments, outputs and errors are those
/// of `mtp_ige_encrypt`.
///
/// # Safety
/// As for `mtp_ige_encrypt`.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn mtp_ige_decrypt(
    key: *const u8,
    key_len: usize,
    iv: *const u8,
    iv_len: usize,
    data: *const u8,
    data_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> mtp_result {
    // SAFETY: the caller's guarantees are passed on unchanged.
    boundary(|| unsafe {
        run(
            ige_decrypt,
            key,
            key_len,
            iv,
            iv_len,
            data,
            data_len,
            out,
            out_len,
        )
    })
}
