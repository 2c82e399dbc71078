//! Binding a temporary key to a permanent one (core `auth::bind`,
//! `/method/auth.bindTempAuthKey`): the client's query and the server's
//! check, with [`mtp_temp_key_binding`].

use mtproto_core::auth::bind::BIND_PADDING_LEN;
use mtproto_core::auth::{
    bind_temp_auth_key_query, bind_temp_auth_key_query_with, verify_bind_temp_auth_key,
};
use mtproto_core::envelope::{MsgId, SessionId};
use mtproto_core::{AuthKeyId, OsRandom, UnixMillis};
use zeroize::Zeroizing;

use super::fixed_arg;
use super::key_store::{self, auth_key_arg, mtp_auth_key_store};
use crate::buffers::{check_out, input, write_record};
use crate::panic::boundary;
use crate::result::mtp_result;
use crate::transport::{mtp_bytes, reset_bytes_out, write_bytes};

/// The length of the random bytes of a binding query (standing in for salt
/// and session id).
pub const MTP_BIND_RANDOM_LEN: usize = 16;

/// The length of the padding of a binding query.
pub const MTP_BIND_PADDING_LEN: usize = 8;

/// A binding the server accepted (`mtp_verify_bind_temp_auth_key`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct mtp_temp_key_binding {
    /// The permanent key's id.
    pub perm_auth_key_id: u64,
    /// The temporary key now bound to it.
    pub temp_auth_key_id: u64,
    /// The session the request came in.
    pub temp_session_id: u64,
    /// The client's random nonce of the request.
    pub nonce: i64,
    /// When the binding (and the temporary key) ends, Unix seconds.
    pub expires_at: i32,
}

/// Build the auth.bindTempAuthKey query (client side) with fresh
/// randomness: its body into `*query` (library-owned: release with
/// `mtp_bytes_free`; `{NULL, 0}` on failure) and the nonce it carries into
/// `*nonce`.
///
/// `(perm_auth_key, perm_auth_key_len)` is the permanent key
/// (`MTP_AUTH_KEY_LEN` bytes) the inner message is encrypted with;
/// `temp_auth_key_id` the temporary key the query will be sent over, in
/// session `temp_session_id`, in the message whose id is `msg_id`;
/// `expires_at` (Unix seconds) when the binding ends, usually the temporary
/// key's `expires_at`.
///
/// # Safety
/// `(perm_auth_key, perm_auth_key_len)` readable; `query` and `nonce` NULL
/// or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_bind_temp_auth_key_query(
    perm_auth_key: *const u8,
    perm_auth_key_len: usize,
    temp_auth_key_id: u64,
    temp_session_id: u64,
    msg_id: u64,
    expires_at: i32,
    query: *mut mtp_bytes,
    nonce: *mut i64,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { reset_bytes_out(query, "query") }?;
        check_out(nonce, "nonce")?;
        // SAFETY: as above.
        let perm = unsafe { auth_key_arg(perm_auth_key, perm_auth_key_len, "perm_auth_key") }?;
        let (body, n) = bind_temp_auth_key_query(
            &perm,
            AuthKeyId(temp_auth_key_id),
            SessionId(temp_session_id),
            MsgId(msg_id),
            expires_at,
            &mut OsRandom,
        )?;
        // SAFETY: as above.
        unsafe { write_record(nonce, n, "nonce") }?;
        // SAFETY: as above.
        unsafe { write_bytes(query, body, "query") }
    })
}

/// `mtp_bind_temp_auth_key_query` with explicit randomness, for replaying
/// recorded queries: the `nonce` (nonzero), `MTP_BIND_RANDOM_LEN` (16)
/// random bytes and `MTP_BIND_PADDING_LEN` (8) bytes of padding (other
/// lengths: `MTP_RESULT_INVALID_LENGTH`). The body goes into `*query`.
///
/// # Safety
/// The `(pointer, length)` pairs readable; `query` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_bind_temp_auth_key_query_with(
    perm_auth_key: *const u8,
    perm_auth_key_len: usize,
    temp_auth_key_id: u64,
    temp_session_id: u64,
    msg_id: u64,
    nonce: i64,
    expires_at: i32,
    random: *const u8,
    random_len: usize,
    padding: *const u8,
    padding_len: usize,
    query: *mut mtp_bytes,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { reset_bytes_out(query, "query") }?;
        // SAFETY: as above.
        let perm = unsafe { auth_key_arg(perm_auth_key, perm_auth_key_len, "perm_auth_key") }?;
        // SAFETY: as above.
        let random = Zeroizing::new(unsafe {
            fixed_arg::<MTP_BIND_RANDOM_LEN>("binding random", random, random_len, "random")
        }?);
        // SAFETY: as above.
        let padding = unsafe { input(padding, padding_len, "padding") }?;
        let body = bind_temp_auth_key_query_with(
            &perm,
            AuthKeyId(temp_auth_key_id),
            SessionId(temp_session_id),
            MsgId(msg_id),
            nonce,
            expires_at,
            &random,
            padding,
        )?;
        // SAFETY: as above.
        unsafe { write_bytes(query, body, "query") }
    })
}

/// Check an auth.bindTempAuthKey query (server side) that arrived over the
/// temporary key `temp_auth_key_id` in session `temp_session_id` in the
/// message `msg_id`, at `now_ms` (Unix milliseconds), and record the
/// binding in `store`; the binding goes into `*out`. Answer the client
/// `boolTrue`.
///
/// Errors: `MTP_RESULT_AUTH_INVALID_BINDING` (the message says which check
/// failed), `MTP_RESULT_AUTH_UNKNOWN_KEY` (the temporary key is not in the
/// store or has expired), `MTP_RESULT_TL_*` for a malformed query.
///
/// # Safety
/// `store` NULL or a live handle (not in use by another thread);
/// `(query, query_len)` readable; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_verify_bind_temp_auth_key(
    store: *mut mtp_auth_key_store,
    query: *const u8,
    query_len: usize,
    temp_auth_key_id: u64,
    temp_session_id: u64,
    msg_id: u64,
    now_ms: u64,
    out: *mut mtp_temp_key_binding,
) -> mtp_result {
    boundary(|| {
        check_out(out, "out")?;
        // SAFETY: the caller's guarantees are passed on.
        let store = unsafe { key_store::get(store) }?;
        // SAFETY: as above.
        let query = unsafe { input(query, query_len, "query") }?;
        let b = verify_bind_temp_auth_key(
            store,
            query,
            AuthKeyId(temp_auth_key_id),
            SessionId(temp_session_id),
            MsgId(msg_id),
            UnixMillis(now_ms),
        )?;
        let binding = mtp_temp_key_binding {
            perm_auth_key_id: b.perm_auth_key_id.0,
            temp_auth_key_id: b.temp_auth_key_id.0,
            temp_session_id: b.temp_session_id.0,
            nonce: b.nonce,
            expires_at: b.expires_at,
        };
        // SAFETY: as above.
        unsafe { write_record(out, binding, "out") }
    })
}

const _: () = assert!(MTP_BIND_PADDING_LEN == BIND_PADDING_LEN);
