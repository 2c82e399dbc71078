//! [`mtp_auth_key_store`]: the server's authorization keys (core
//! `auth::AuthKeyStore`).

use mtproto_core::auth::AuthKeyStore;
use mtproto_core::{AuthKey, AuthKeyId, UnixMillis};

use super::{free_handle, give_handle, reset_handle_out};
use crate::buffers::{check_out, input, write_record};
use crate::panic::{boundary, guard_value};
use crate::result::{Failure, mtp_result};
use crate::transport::{borrow, borrow_mut};

/// The server's keys: permanent ones, temporary ones with their expiry, and
/// which permanent key each temporary key is bound to. The server's
/// handshakes register every key they create here
/// (`mtp_server_handshake_handle`), and `mtp_verify_bind_temp_auth_key`
/// records bindings.
///
/// Opaque: create it with `mtp_auth_key_store_new`, release it with
/// `mtp_auth_key_store_free` (which wipes the keys). It is shared by all
/// of a server's handshakes, passed to each call that needs it; it is
/// mutable: one thread at a time (guard it with a mutex to share it between
/// threads).
pub struct mtp_auth_key_store {
    inner: AuthKeyStore,
}

/// The store behind a handle, for a call that may change it.
///
/// # Safety
/// NULL or a live handle used by one thread.
pub(crate) unsafe fn get<'a>(s: *mut mtp_auth_key_store) -> Result<&'a mut AuthKeyStore, Failure> {
    // SAFETY: passed on from the caller.
    unsafe { borrow_mut(s, "store") }.map(|s| &mut s.inner)
}

/// An auth key argument (`MTP_AUTH_KEY_LEN`, 256 bytes).
///
/// # Safety
/// As for `input`.
pub(crate) unsafe fn auth_key_arg(
    ptr: *const u8,
    len: usize,
    name: &str,
) -> Result<AuthKey, Failure> {
    // SAFETY: passed on from the caller.
    let bytes = unsafe { input(ptr, len, name) }?;
    Ok(AuthKey::from_slice(bytes)?)
}

/// A new empty store in `*out` (release with `mtp_auth_key_store_free`).
///
/// # Safety
/// `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_auth_key_store_new(out: *mut *mut mtp_auth_key_store) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantee is passed on.
        unsafe { reset_handle_out(out) }?;
        let inner = AuthKeyStore::new();
        // SAFETY: as above.
        unsafe { give_handle(out, mtp_auth_key_store { inner }) }
    })
}

/// Release a store, wiping its keys. NULL is accepted and ignored.
///
/// # Safety
/// `store` must be NULL or a handle from `mtp_auth_key_store_new`, not
/// freed yet and not in use by another thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_auth_key_store_free(store: *mut mtp_auth_key_store) {
    // SAFETY: the caller's guarantee is passed on.
    guard_value((), || unsafe { free_handle(store) });
}

/// Register a permanent key created elsewhere (restored from storage):
/// `(auth_key, auth_key_len)` (`MTP_AUTH_KEY_LEN` bytes, copied) for DC
/// `dc_id`. `*inserted` is false when a key with the same id is already
/// there (it is not replaced).
///
/// # Safety
/// `store` NULL or a live handle; `(auth_key, auth_key_len)` readable;
/// `inserted` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_auth_key_store_insert_permanent(
    store: *mut mtp_auth_key_store,
    auth_key: *const u8,
    auth_key_len: usize,
    dc_id: i32,
    inserted: *mut bool,
) -> mtp_result {
    boundary(|| {
        check_out(inserted, "inserted")?;
        // SAFETY: the caller's guarantees are passed on.
        let s = unsafe { get(store) }?;
        // SAFETY: as above.
        let key = unsafe { auth_key_arg(auth_key, auth_key_len, "auth_key") }?;
        let added = s.insert_permanent(key, dc_id);
        // SAFETY: as above.
        unsafe { write_record(inserted, added, "inserted") }
    })
}

/// Register a temporary key created elsewhere, expiring at `expires_at`
/// (server Unix seconds). `*inserted` as for
/// `mtp_auth_key_store_insert_permanent`.
///
/// # Safety
/// As for `mtp_auth_key_store_insert_permanent`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_auth_key_store_insert_temporary(
    store: *mut mtp_auth_key_store,
    auth_key: *const u8,
    auth_key_len: usize,
    dc_id: i32,
    expires_at: i32,
    inserted: *mut bool,
) -> mtp_result {
    boundary(|| {
        check_out(inserted, "inserted")?;
        // SAFETY: the caller's guarantees are passed on.
        let s = unsafe { get(store) }?;
        // SAFETY: as above.
        let key = unsafe { auth_key_arg(auth_key, auth_key_len, "auth_key") }?;
        let added = s.insert_temporary(key, dc_id, expires_at);
        // SAFETY: as above.
        unsafe { write_record(inserted, added, "inserted") }
    })
}

/// Whether a key with id `auth_key_id` is present (expired or not), into
/// `*out`.
///
/// # Safety
/// `store` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_auth_key_store_contains(
    store: *const mtp_auth_key_store,
    auth_key_id: u64,
    out: *mut bool,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        let s = unsafe { borrow(store, "store") }?;
        let found = s.inner.contains(AuthKeyId(auth_key_id));
        // SAFETY: as above.
        unsafe { write_record(out, found, "out") }
    })
}

/// The permanent key the temporary key `temp_auth_key_id` is bound to, at
/// `now_ms` (Unix milliseconds): `*present` says whether there is one (the
/// temporary key is known, not expired and bound) and `*perm_auth_key_id`
/// gets its id (0 when there is none).
///
/// # Safety
/// `store` NULL or a live handle; `present` and `perm_auth_key_id` NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_auth_key_store_bound_permanent(
    store: *const mtp_auth_key_store,
    temp_auth_key_id: u64,
    now_ms: u64,
    present: *mut bool,
    perm_auth_key_id: *mut u64,
) -> mtp_result {
    boundary(|| {
        check_out(present, "present")?;
        check_out(perm_auth_key_id, "perm_auth_key_id")?;
        // SAFETY: the caller's guarantees are passed on.
        let s = unsafe { borrow(store, "store") }?;
        let bound = s
            .inner
            .bound_permanent(AuthKeyId(temp_auth_key_id), UnixMillis(now_ms));
        // SAFETY: as above.
        unsafe { write_record(present, bound.is_some(), "present") }?;
        // SAFETY: as above.
        unsafe {
            write_record(
                perm_auth_key_id,
                bound.map_or(0, |id| id.0),
                "perm_auth_key_id",
            )
        }
    })
}

/// Forget the key `auth_key_id` (destroy_auth_key, logout); temporary keys
/// bound to it lose their binding. `*removed` says whether it was there.
///
/// # Safety
/// `store` NULL or a live handle; `removed` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_auth_key_store_remove(
    store: *mut mtp_auth_key_store,
    auth_key_id: u64,
    removed: *mut bool,
) -> mtp_result {
    boundary(|| {
        check_out(removed, "removed")?;
        // SAFETY: the caller's guarantees are passed on.
        let s = unsafe { get(store) }?;
        let was_there = s.remove(AuthKeyId(auth_key_id)).is_some();
        // SAFETY: as above.
        unsafe { write_record(removed, was_there, "removed") }
    })
}

/// Drop every temporary key expired at `now_ms` (Unix milliseconds);
/// `*removed` gets how many were dropped.
///
/// # Safety
/// `store` NULL or a live handle; `removed` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_auth_key_store_remove_expired(
    store: *mut mtp_auth_key_store,
    now_ms: u64,
    removed: *mut usize,
) -> mtp_result {
    boundary(|| {
        check_out(removed, "removed")?;
        // SAFETY: the caller's guarantees are passed on.
        let s = unsafe { get(store) }?;
        let n = s.remove_expired(UnixMillis(now_ms));
        // SAFETY: as above.
        unsafe { write_record(removed, n, "removed") }
    })
}

/// How many keys the store holds (expired ones included until
/// `mtp_auth_key_store_remove_expired`), into `*out`.
///
/// # Safety
/// `store` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_auth_key_store_len(
    store: *const mtp_auth_key_store,
    out: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        let s = unsafe { borrow(store, "store") }?;
        // SAFETY: as above.
        unsafe { write_record(out, s.inner.len(), "out") }
    })
}

/// Whether the store holds no key at all (expired ones count until
/// `mtp_auth_key_store_remove_expired`), into `*out`.
///
/// # Safety
/// `store` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_auth_key_store_is_empty(
    store: *const mtp_auth_key_store,
    out: *mut bool,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        let s = unsafe { borrow(store, "store") }?;
        // SAFETY: as above.
        unsafe { write_record(out, s.inner.is_empty(), "out") }
    })
}
