//! [`mtp_auth_key`]: the opaque handle around the core's `AuthKey`.

use mtproto_core::AuthKey;

use crate::buffers::{input, output};
use crate::panic::{boundary, guard_value};
use crate::result::{Failure, mtp_result};

/// The length of an auth key in bytes (2048 bits).
pub const MTP_AUTH_KEY_LEN: usize = 256;

/// The length of an auth key id and of the aux hash in bytes.
pub const MTP_AUTH_KEY_ID_LEN: usize = 8;

/// An MTProto 2048-bit authorization key, with its id and aux hash computed
/// once at creation.
///
/// Opaque: create it with `mtp_auth_key_new`, release it with
/// `mtp_auth_key_free`. The key bytes are zeroized when it is freed and are
/// never exposed by the library. A handle is immutable, so it may be used
/// from several threads at once.
pub struct mtp_auth_key {
    key: AuthKey,
}

/// The key behind a handle, or `NullPointer`.
///
/// # Safety
/// Unless NULL, `key` must come from `mtp_auth_key_new` and not be freed yet.
pub(crate) unsafe fn borrow<'a>(key: *const mtp_auth_key) -> Result<&'a AuthKey, Failure> {
    // SAFETY: the caller guarantees key is NULL or a live handle from
    // mtp_auth_key_new (a Box<mtp_auth_key>), which is never mutated.
    unsafe { key.as_ref() }
        .map(|k| &k.key)
        .ok_or_else(|| Failure::null("auth_key"))
}

/// Create an auth key handle from `len` bytes at `bytes`; `len` must be
/// `MTP_AUTH_KEY_LEN` (256), otherwise `MTP_RESULT_INVALID_LENGTH`.
///
/// On success `*out` is a new handle the caller owns and must release with
/// `mtp_auth_key_free`; on failure `*out` is set to NULL (if `out` is not
/// NULL). Call it once per key, after the key exchange or when loading a
/// stored key.
///
/// # Safety
/// `bytes` must point to `len` readable bytes (or be NULL with `len` 0);
/// `out` must point to a writable `mtp_auth_key *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_auth_key_new(
    bytes: *const u8,
    len: usize,
    out: *mut *mut mtp_auth_key,
) -> mtp_result {
    boundary(|| {
        if out.is_null() {
            return Err(Failure::null("out"));
        }
        // SAFETY: out is non-NULL and the caller guarantees it is writable.
        unsafe { out.write(std::ptr::null_mut()) };
        // SAFETY: the caller guarantees (bytes, len) per the contract above.
        let bytes = unsafe { input(bytes, len, "bytes") }?;
        let key = AuthKey::from_slice(bytes)?;
        let handle = Box::into_raw(Box::new(mtp_auth_key { key }));
        // SAFETY: as for the first write.
        unsafe { out.write(handle) };
        Ok(())
    })
}

/// Release a handle from `mtp_auth_key_new`, zeroizing the key bytes.
/// NULL is accepted and ignored. The handle must not be used afterwards.
///
/// # Safety
/// `key` must be NULL or a handle from `mtp_auth_key_new` not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_auth_key_free(key: *mut mtp_auth_key) {
    guard_value((), || {
        if !key.is_null() {
            // SAFETY: the caller guarantees key came from Box::into_raw in
            // mtp_auth_key_new and is freed only once.
            drop(unsafe { Box::from_raw(key) });
        }
    });
}

/// Write the key's 64-bit id (`auth_key_id`: the low 64 bits of
/// SHA1(auth_key), read little-endian) to `*out`.
///
/// # Safety
/// `key` must be a live handle; `out` must point to a writable `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_auth_key_id(key: *const mtp_auth_key, out: *mut u64) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees key is NULL or a live handle.
        let key = unsafe { borrow(key) }?;
        // SAFETY: the caller guarantees out is NULL or a writable uint64_t.
        unsafe { crate::buffers::write_record(out, key.id().0, "out") }
    })
}

/// Write the key's id as the 8 bytes that start every encrypted message
/// into the buffer `(out, *out_len)` (capacity at least
/// `MTP_AUTH_KEY_ID_LEN`).
///
/// # Safety
/// `key` must be a live handle; `out_len` must point to a writable `size_t`
/// holding the capacity of `out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_auth_key_id_wire(
    key: *const mtp_auth_key,
    out: *mut u8,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees key is NULL or a live handle.
        let key = unsafe { borrow(key) }?;
        // SAFETY: the caller guarantees (out, out_len) per the contract above.
        unsafe { output(&key.id().to_wire(), out, out_len, "out") }
    })
}

/// Write the key's `auth_key_aux_hash` (the high 64 bits of SHA1(auth_key),
/// used during key creation) into the buffer `(out, *out_len)` (capacity at
/// least `MTP_AUTH_KEY_ID_LEN`).
///
/// # Safety
/// `key` must be a live handle; `out_len` must point to a writable `size_t`
/// holding the capacity of `out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_auth_key_aux_hash(
    key: *const mtp_auth_key,
    out: *mut u8,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees key is NULL or a live handle.
        let key = unsafe { borrow(key) }?;
        // SAFETY: the caller guarantees (out, out_len) per the contract above.
        unsafe { output(&key.aux_hash(), out, out_len, "out") }
    })
}

const _: () = assert!(MTP_AUTH_KEY_LEN == AuthKey::LEN);
