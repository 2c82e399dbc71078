//! [`mtp_client_transport`]: the client end of one connection (core
//! `ClientTransport`).

use std::ffi::c_char;

use mtproto_core::transport::{ClientTransport, ClientTransportConfig, ProxySecret};
use mtproto_core::{OsRandom, UnixMillis};

use super::{
    borrow_mut, max_frame, mtp_bytes, mtp_inbound, mtp_transport_kind, reset_bytes_out,
    transport_kind, write_bytes, write_inbound,
};
use crate::buffers::{check_out, input, text};
use crate::panic::{boundary, guard_value};
use crate::result::{Failure, mtp_result};

/// How a client connects (core `ClientTransportConfig`).
#[repr(C)]
#[derive(Debug)]
pub struct mtp_client_transport_config {
    /// The transport: an `MTP_TRANSPORT_*` value.
    pub kind: mtp_transport_kind,
    /// Obfuscate the stream (obfuscated2). Implied by a secret; not possible
    /// with full framing or HTTP.
    pub obfuscate: bool,
    /// The DC id written into an obfuscated init (negative for media DCs,
    /// +10000 for test DCs).
    pub dc_id: i16,
    /// A proxy secret as text (hex, or base64url as in MTProxy links), UTF-8,
    /// `secret_len` bytes; NULL for none. 16 bytes; `dd` + 16 bytes (padded
    /// intermediate required); `ee` + 16 bytes + domain (fake TLS, padded
    /// intermediate required). An invalid one is
    /// `MTP_RESULT_TRANSPORT_INVALID_SECRET`.
    pub secret: *const c_char,
    /// The length of `secret` in bytes.
    pub secret_len: usize,
    /// The `Host` header for HTTP (UTF-8, `http_host_len` bytes; NULL with
    /// length 0 for none).
    pub http_host: *const c_char,
    /// The length of `http_host` in bytes.
    pub http_host_len: usize,
    /// The largest payload accepted (`MTP_TRANSPORT_DEFAULT_MAX_FRAME`
    /// usually).
    pub max_frame: u64,
}

/// The client end of one connection: feed what the socket read with
/// `mtp_client_transport_handle_input`, queue payloads with
/// `mtp_client_transport_send`, then drain `mtp_client_transport_poll_transmit`
/// (bytes to write, in order) and `mtp_client_transport_poll_inbound`. The
/// first error is fatal and sticky: every later call returns it again.
///
/// Opaque: create with `mtp_client_transport_new`, release with
/// `mtp_client_transport_free`. Use from one thread at a time.
pub struct mtp_client_transport {
    inner: ClientTransport,
}

/// A proxy secret given as text, or none for NULL.
///
/// # Safety
/// As for [`text`].
pub(crate) unsafe fn secret_arg(
    ptr: *const c_char,
    len: usize,
    what: &str,
) -> Result<Option<ProxySecret>, Failure> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: the caller's guarantee is text's.
    let t = unsafe { text(ptr, len, what) }?;
    Ok(Some(ProxySecret::parse(t)?))
}

/// The core configuration for a C one.
///
/// # Safety
/// The pointers inside `c` must satisfy the documentation of
/// `mtp_client_transport_config`.
unsafe fn config(c: &mtp_client_transport_config) -> Result<ClientTransportConfig, Failure> {
    let mut config = ClientTransportConfig::new(transport_kind(c.kind)?);
    config.obfuscate = c.obfuscate;
    config.dc_id = c.dc_id;
    // SAFETY: the caller guarantees the (pointer, length) pairs of `c`.
    config.secret = unsafe { secret_arg(c.secret, c.secret_len, "config.secret") }?;
    // SAFETY: as above.
    config.http_host = unsafe { text(c.http_host, c.http_host_len, "config.http_host") }?.into();
    config.max_frame = max_frame(c.max_frame);
    Ok(config)
}

/// Open a connection described by `*config` into a new handle in `*out`:
/// what must be sent first (framing header, obfuscated init, fake-TLS
/// ClientHello) is queued for `mtp_client_transport_poll_transmit`. `now_ms`
/// (Unix time in milliseconds) dates a fake-TLS hello.
///
/// Errors: an invalid kind (`MTP_RESULT_INVALID_ARGUMENT`), secret
/// (`MTP_RESULT_TRANSPORT_INVALID_SECRET`) or combination (e.g. HTTP with
/// obfuscation: `MTP_RESULT_TRANSPORT_INVALID_STATE`; full with obfuscation:
/// `MTP_RESULT_TRANSPORT_OBFUSCATION`); a failing random source. `*out` is
/// NULL on failure.
///
/// # Safety
/// `config` must be NULL or point to a valid config whose pointers satisfy
/// its field documentation; `out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_client_transport_new(
    config: *const mtp_client_transport_config,
    now_ms: u64,
    out: *mut *mut mtp_client_transport,
) -> mtp_result {
    boundary(|| {
        check_out(out, "out")?;
        // SAFETY: out is non-NULL and the caller guarantees it writable.
        unsafe { out.write(std::ptr::null_mut()) };
        // SAFETY: the caller guarantees config is NULL or valid.
        let c = unsafe { config.as_ref() }.ok_or_else(|| Failure::null("config"))?;
        // SAFETY: the caller guarantees the pointers inside config.
        let config = unsafe { self::config(c) }?;
        let inner = ClientTransport::new(config, Box::new(OsRandom), UnixMillis(now_ms))?;
        let handle = Box::into_raw(Box::new(mtp_client_transport { inner }));
        // SAFETY: as above; ownership passes to the caller.
        unsafe { out.write(handle) };
        Ok(())
    })
}

/// Release a client transport. NULL is accepted and ignored.
///
/// # Safety
/// `transport` must be NULL or a handle from `mtp_client_transport_new`, not
/// freed yet and not in use by another thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_client_transport_free(transport: *mut mtp_client_transport) {
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
/// As documented on every export: NULL or a live handle used by one thread.
unsafe fn get<'a>(t: *mut mtp_client_transport) -> Result<&'a mut ClientTransport, Failure> {
    // SAFETY: passed on from the caller.
    unsafe { borrow_mut(t, "transport") }.map(|t| &mut t.inner)
}

/// Queue one payload (an MTProto message, a positive multiple of 4 bytes);
/// `quick_ack` asks the server to acknowledge it (not under full or HTTP).
///
/// # Safety
/// `transport` must be NULL or a live handle; `(payload, payload_len)` must
/// be readable (NULL with length 0 allowed).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_client_transport_send(
    transport: *mut mtp_client_transport,
    payload: *const u8,
    payload_len: usize,
    quick_ack: bool,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        let t = unsafe { get(transport) }?;
        // SAFETY: as above.
        let payload = unsafe { input(payload, payload_len, "payload") }?;
        Ok(t.send(payload, quick_ack)?)
    })
}

/// Feed bytes the socket read (any amount, split anywhere).
///
/// # Safety
/// As for `mtp_client_transport_send`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_client_transport_handle_input(
    transport: *mut mtp_client_transport,
    bytes: *const u8,
    bytes_len: usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        let t = unsafe { get(transport) }?;
        // SAFETY: as above.
        let bytes = unsafe { input(bytes, bytes_len, "bytes") }?;
        Ok(t.handle_input(bytes)?)
    })
}

/// The next bytes to write to the socket into `*out` (library-owned, release
/// with `mtp_bytes_free`); `out->len == 0` when nothing is waiting.
///
/// # Safety
/// `transport` must be NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_client_transport_poll_transmit(
    transport: *mut mtp_client_transport,
    out: *mut mtp_bytes,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { reset_bytes_out(out, "out") }?;
        // SAFETY: as above.
        let t = unsafe { get(transport) }?;
        let bytes = t.poll_transmit().unwrap_or_default();
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
pub unsafe extern "C" fn mtp_client_transport_poll_inbound(
    transport: *mut mtp_client_transport,
    out: *mut mtp_inbound,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { write_inbound(out, None) }?;
        // SAFETY: as above.
        let t = unsafe { get(transport) }?;
        // SAFETY: as above.
        unsafe { write_inbound(out, t.poll_inbound()) }
    })
}
