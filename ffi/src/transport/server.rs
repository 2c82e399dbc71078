//! [`mtp_server_transport`]: the server end of one connection (core
//! `ServerTransport`), with its configuration and [`mtp_detected_transport`].

use std::ffi::c_char;

use mtproto_core::transport::{ProxySecret, ServerTransport, ServerTransportConfig};
use mtproto_core::{OsRandom, UnixMillis};

use super::{
    borrow, borrow_mut, kind_to_c, max_frame, mtp_bytes, mtp_inbound, mtp_transport_kind,
    reset_bytes_out, write_bytes, write_inbound, write_value,
};
use crate::buffers::{check_out, text};
use crate::panic::{boundary, guard_value};
use crate::result::{Failure, mtp_result};

/// A borrowed UTF-8 text: `len` bytes at `ptr` (no NUL terminator needed;
/// NULL allowed with length 0).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct mtp_text {
    /// The bytes.
    pub ptr: *const c_char,
    /// Their number.
    pub len: usize,
}

/// What a server accepts (core `ServerTransportConfig`; the fake-TLS time
/// window and replay cache keep the core's defaults).
#[repr(C)]
#[derive(Debug)]
pub struct mtp_server_transport_config {
    /// `secrets_len` proxy secrets as text (hex or base64url), accepted for
    /// obfuscated2 (16-byte and `dd`) and fake TLS (`ee`); NULL with 0 for
    /// none. `mtp_detected_transport.secret_index` indexes this array.
    pub secrets: *const mtp_text,
    /// The number of `secrets`.
    pub secrets_len: usize,
    /// Accept unobfuscated abridged, intermediate, padded and full.
    pub allow_plain: bool,
    /// Accept obfuscated2 without a secret (as Telegram's servers do).
    pub allow_obfuscated_without_secret: bool,
    /// Accept HTTP.
    pub allow_http: bool,
    /// The largest payload accepted (`MTP_TRANSPORT_DEFAULT_MAX_FRAME`
    /// usually).
    pub max_frame: u64,
}

/// What a server found a connection to speak (`mtp_server_transport_detected`).
#[repr(C)]
#[derive(Debug, Default)]
pub struct mtp_detected_transport {
    /// Whether detection is done; every other field is zero while false.
    pub detected: bool,
    /// The transport: an `MTP_TRANSPORT_*` value.
    pub kind: mtp_transport_kind,
    /// Whether the stream is obfuscated.
    pub obfuscated: bool,
    /// Whether it came in fake TLS.
    pub fake_tls: bool,
    /// Whether a secret was used (`secret_index` is then valid).
    pub has_secret_index: bool,
    /// Index into the config's `secrets` of the secret used.
    pub secret_index: usize,
    /// Whether an obfuscated init named a DC (`dc_id` is then valid).
    pub has_dc_id: bool,
    /// The DC id the obfuscated init named.
    pub dc_id: i16,
}

/// The server end of one connection: feed what the socket read with
/// `mtp_server_transport_handle_input`, answer with `_send`,
/// `_send_quick_ack` and `_send_transport_error`, and drain `_poll_transmit`
/// and `_poll_inbound`. The first error is fatal and sticky.
///
/// Opaque: create with `mtp_server_transport_new`, release with
/// `mtp_server_transport_free`. Use from one thread at a time.
pub struct mtp_server_transport {
    inner: ServerTransport,
}

/// The core configuration for a C one.
///
/// # Safety
/// The pointers inside `c` must satisfy the documentation of
/// `mtp_server_transport_config`.
unsafe fn config(c: &mtp_server_transport_config) -> Result<ServerTransportConfig, Failure> {
    let list: &[mtp_text] = if c.secrets_len == 0 {
        &[]
    } else if c.secrets.is_null() {
        return Err(Failure::null("config.secrets"));
    } else {
        // SAFETY: non-NULL, and the caller guarantees `secrets_len` readable
        // mtp_text records that outlive the call.
        unsafe { std::slice::from_raw_parts(c.secrets, c.secrets_len) }
    };
    let mut secrets = Vec::with_capacity(list.len());
    for (i, t) in list.iter().enumerate() {
        // SAFETY: the caller guarantees each record's (ptr, len).
        let s = unsafe { text(t.ptr, t.len, "config.secrets[i]") }?;
        let secret = ProxySecret::parse(s).map_err(|e| {
            let mut f = Failure::from(e);
            f.message = format!("config.secrets[{i}]: {}", f.message);
            f
        })?;
        secrets.push(secret);
    }
    Ok(ServerTransportConfig {
        secrets,
        allow_plain: c.allow_plain,
        allow_obfuscated_without_secret: c.allow_obfuscated_without_secret,
        allow_http: c.allow_http,
        max_frame: max_frame(c.max_frame),
        ..ServerTransportConfig::default()
    })
}

/// A server end waiting for the client's first bytes, configured by
/// `*config`, into a new handle in `*out` (NULL on failure).
///
/// Errors: an invalid secret (`MTP_RESULT_TRANSPORT_INVALID_SECRET`, the
/// message names its index), NULL pointers.
///
/// # Safety
/// `config` must be NULL or point to a valid config whose pointers satisfy
/// its field documentation; `out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_server_transport_new(
    config: *const mtp_server_transport_config,
    out: *mut *mut mtp_server_transport,
) -> mtp_result {
    boundary(|| {
        check_out(out, "out")?;
        // SAFETY: out is non-NULL and the caller guarantees it writable.
        unsafe { out.write(std::ptr::null_mut()) };
        // SAFETY: the caller guarantees config is NULL or valid.
        let c = unsafe { config.as_ref() }.ok_or_else(|| Failure::null("config"))?;
        // SAFETY: the caller guarantees the pointers inside config.
        let config = unsafe { self::config(c) }?;
        let inner = ServerTransport::new(config, Box::new(OsRandom))?;
        let handle = Box::into_raw(Box::new(mtp_server_transport { inner }));
        // SAFETY: as above; ownership passes to the caller.
        unsafe { out.write(handle) };
        Ok(())
    })
}

/// Release a server transport. NULL is accepted and ignored.
///
/// # Safety
/// `transport` must be NULL or a handle from `mtp_server_transport_new`, not
/// freed yet and not in use by another thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_server_transport_free(transport: *mut mtp_server_transport) {
    guard_value((), || {
        if !transport.is_null() {
            // SAFETY: the caller guarantees a live Box from _new, freed once.
            drop(unsafe { Box::from_raw(transport) });
        }
    });
}

/// The transport behind a handle.
///
/// # Safety
/// NULL or a live handle used by one thread.
unsafe fn get<'a>(t: *mut mtp_server_transport) -> Result<&'a mut ServerTransport, Failure> {
    // SAFETY: passed on from the caller.
    unsafe { borrow_mut(t, "transport") }.map(|t| &mut t.inner)
}

/// Feed bytes the socket read (any amount, split anywhere); `now_ms` (Unix
/// milliseconds) checks fake-TLS timestamps. A connection this server does
/// not accept fails with `MTP_RESULT_TRANSPORT_UNKNOWN_PROTOCOL`,
/// `_OBFUSCATION` or `_FAKE_TLS`.
///
/// # Safety
/// `transport` must be NULL or a live handle; `(bytes, bytes_len)` readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_server_transport_handle_input(
    transport: *mut mtp_server_transport,
    bytes: *const u8,
    bytes_len: usize,
    now_ms: u64,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        let t = unsafe { get(transport) }?;
        // SAFETY: as above.
        let bytes = unsafe { crate::buffers::input(bytes, bytes_len, "bytes") }?;
        Ok(t.handle_input(bytes, UnixMillis(now_ms))?)
    })
}

/// Queue one payload for the client.
///
/// # Safety
/// As for `mtp_server_transport_handle_input`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_server_transport_send(
    transport: *mut mtp_server_transport,
    payload: *const u8,
    payload_len: usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        let t = unsafe { get(transport) }?;
        // SAFETY: as above.
        let payload = unsafe { crate::buffers::input(payload, payload_len, "payload") }?;
        Ok(t.send(payload)?)
    })
}

/// Queue the quick-ack reply for `token` (top bit set).
///
/// # Safety
/// `transport` must be NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_server_transport_send_quick_ack(
    transport: *mut mtp_server_transport,
    token: u32,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        Ok(unsafe { get(transport) }?.send_quick_ack(token)?)
    })
}

/// Queue a transport error (`code` negative, not -1: -404, -429, ...).
///
/// # Safety
/// `transport` must be NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_server_transport_send_transport_error(
    transport: *mut mtp_server_transport,
    code: i32,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        Ok(unsafe { get(transport) }?.send_transport_error(code)?)
    })
}

/// The next bytes to write to the socket into `*out` (library-owned, release
/// with `mtp_bytes_free`); `out->len == 0` when nothing is waiting.
///
/// # Safety
/// `transport` must be NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_server_transport_poll_transmit(
    transport: *mut mtp_server_transport,
    out: *mut mtp_bytes,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { reset_bytes_out(out, "out") }?;
        // SAFETY: as above.
        let bytes = unsafe { get(transport) }?
            .poll_transmit()
            .unwrap_or_default();
        // SAFETY: as above.
        unsafe { write_bytes(out, bytes, "out") }
    })
}

/// The next event that arrived into `*out` (`MTP_INBOUND_NONE` when none);
/// release a packet's payload with `mtp_inbound_free`.
///
/// # Safety
/// `transport` must be NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_server_transport_poll_inbound(
    transport: *mut mtp_server_transport,
    out: *mut mtp_inbound,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { write_inbound(out, None) }?;
        // SAFETY: as above.
        let event = unsafe { get(transport) }?.poll_inbound();
        // SAFETY: as above.
        unsafe { write_inbound(out, event) }
    })
}

/// What the connection speaks into `*out` (`out->detected` false until
/// known).
///
/// # Safety
/// `transport` must be NULL or a live handle not used by another thread;
/// `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_server_transport_detected(
    transport: *const mtp_server_transport,
    out: *mut mtp_detected_transport,
) -> mtp_result {
    boundary(|| {
        check_out(out, "out")?;
        // SAFETY: the caller's guarantees are passed on.
        let t = unsafe { borrow(transport, "transport") }?;
        let value = match t.inner.detected() {
            None => mtp_detected_transport::default(),
            Some(d) => mtp_detected_transport {
                detected: true,
                kind: kind_to_c(d.kind),
                obfuscated: d.obfuscated,
                fake_tls: d.fake_tls,
                has_secret_index: d.secret_index.is_some(),
                secret_index: d.secret_index.unwrap_or(0),
                has_dc_id: d.dc_id.is_some(),
                dc_id: d.dc_id.unwrap_or(0),
            },
        };
        // SAFETY: as above.
        unsafe { write_value(out, value, "out") }
    })
}
