//! [`mtp_http_client`] and [`mtp_http_server`]: the HTTP transport (core
//! `transport::http`).

use std::ffi::c_char;

use mtproto_core::transport::http::{HttpClient, HttpServer};

use super::{
    borrow, borrow_mut, mtp_bytes, mtp_inbound, reset_bytes_out, write_bytes, write_inbound,
    write_value,
};
use crate::buffers::{check_out, input, text};
use crate::panic::{boundary, guard_value};
use crate::result::{Failure, mtp_result};

/// The client side of the HTTP transport: one POST to `/api` per payload
/// (`mtp_http_client_encode_request`), responses decoded in order
/// (`mtp_http_client_feed`, `mtp_http_client_poll`). Errors are fatal and
/// sticky.
///
/// Opaque: create with `mtp_http_client_new`, release with
/// `mtp_http_client_free`. Use from one thread at a time.
pub struct mtp_http_client {
    inner: HttpClient,
}

/// The server side of the HTTP transport: requests decoded
/// (`mtp_http_server_feed`, `mtp_http_server_poll`), answered in order with
/// `mtp_http_server_encode_response` (or `_encode_transport_error`,
/// `_encode_error`); answers it gives by itself (CORS preflight, 405, 100
/// Continue, a rejection) come from `mtp_http_server_poll_transmit`.
///
/// Opaque: create with `mtp_http_server_new`, release with
/// `mtp_http_server_free`. Use from one thread at a time.
pub struct mtp_http_server {
    inner: HttpServer,
}

/// Run one call on a handle and hand its bytes out.
///
/// # Safety
/// `h` NULL or a live handle used by one thread; `out` NULL or writable.
unsafe fn encode<T>(
    h: *mut T,
    out: *mut mtp_bytes,
    f: impl FnOnce(&mut T) -> Result<Vec<u8>, Failure>,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { reset_bytes_out(out, "out") }?;
        // SAFETY: as above.
        let bytes = f(unsafe { borrow_mut(h, "handle") }?)?;
        // SAFETY: as above.
        unsafe { write_bytes(out, bytes, "out") }
    })
}

/// Poll one event from a handle.
///
/// # Safety
/// As for [`encode`], with `out` an `mtp_inbound`.
unsafe fn poll<T>(
    h: *mut T,
    out: *mut mtp_inbound,
    f: impl FnOnce(&mut T) -> Option<mtproto_core::transport::Inbound>,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { write_inbound(out, None) }?;
        // SAFETY: as above.
        let event = f(unsafe { borrow_mut(h, "handle") }?);
        // SAFETY: as above.
        unsafe { write_inbound(out, event) }
    })
}

/// Feed bytes to a handle.
///
/// # Safety
/// `h` NULL or a live handle; `(bytes, bytes_len)` readable.
unsafe fn feed<T>(
    h: *mut T,
    bytes: *const u8,
    bytes_len: usize,
    f: impl FnOnce(&mut T, &[u8]) -> Result<(), mtproto_core::TransportError>,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        let h = unsafe { borrow_mut(h, "handle") }?;
        // SAFETY: as above.
        let bytes = unsafe { input(bytes, bytes_len, "bytes") }?;
        Ok(f(h, bytes)?)
    })
}

/// A client sending `Host: host` (UTF-8, `host_len` bytes; NULL with 0 for an
/// empty host) into a new handle in `*out` (NULL on failure). A host with
/// bytes outside the URI authority characters is
/// `MTP_RESULT_TRANSPORT_INVALID_STATE`.
///
/// # Safety
/// `(host, host_len)` readable; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_http_client_new(
    host: *const c_char,
    host_len: usize,
    out: *mut *mut mtp_http_client,
) -> mtp_result {
    boundary(|| {
        check_out(out, "out")?;
        // SAFETY: out is non-NULL and the caller guarantees it writable.
        unsafe { out.write(std::ptr::null_mut()) };
        // SAFETY: the caller's guarantees are passed on.
        let host = unsafe { text(host, host_len, "host") }?;
        let inner = HttpClient::new(host)?;
        // SAFETY: as above; ownership passes to the caller.
        unsafe { out.write(Box::into_raw(Box::new(mtp_http_client { inner }))) };
        Ok(())
    })
}

/// Release an HTTP client. NULL is accepted and ignored.
///
/// # Safety
/// `client` must be NULL or a handle from `mtp_http_client_new`, not freed
/// yet and not in use by another thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_http_client_free(client: *mut mtp_http_client) {
    guard_value((), || {
        if !client.is_null() {
            // SAFETY: the caller guarantees a live Box from _new, freed once.
            drop(unsafe { Box::from_raw(client) });
        }
    });
}

/// The request carrying `payload` into `*out` (release with
/// `mtp_bytes_free`); one more response is then awaited.
///
/// # Safety
/// `client` NULL or a live handle; `(payload, payload_len)` readable; `out`
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_http_client_encode_request(
    client: *mut mtp_http_client,
    payload: *const u8,
    payload_len: usize,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller's guarantees are passed on.
    unsafe {
        encode(client, out, |c: &mut mtp_http_client| {
            let payload = input(payload, payload_len, "payload")?;
            Ok(c.inner.encode_request(payload)?)
        })
    }
}

/// Decode response bytes (any amount, split anywhere), then drain
/// `mtp_http_client_poll`. A status other than 200 and the transport-error
/// ones is `MTP_RESULT_TRANSPORT_HTTP_STATUS`; a malformed response
/// `MTP_RESULT_TRANSPORT_HTTP`.
///
/// # Safety
/// `client` NULL or a live handle; `(bytes, bytes_len)` readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_http_client_feed(
    client: *mut mtp_http_client,
    bytes: *const u8,
    bytes_len: usize,
) -> mtp_result {
    // SAFETY: the caller's guarantees are passed on.
    unsafe {
        feed(client, bytes, bytes_len, |c: &mut mtp_http_client, b| {
            c.inner.feed(b)
        })
    }
}

/// The next decoded response into `*out` (`MTP_INBOUND_NONE` when none):
/// a packet or a transport error.
///
/// # Safety
/// `client` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_http_client_poll(
    client: *mut mtp_http_client,
    out: *mut mtp_inbound,
) -> mtp_result {
    // SAFETY: the caller's guarantees are passed on.
    unsafe { poll(client, out, |c: &mut mtp_http_client| c.inner.poll()) }
}

/// How many requests wait for their response, into `*out`.
///
/// # Safety
/// `client` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_http_client_pending(
    client: *const mtp_http_client,
    out: *mut usize,
) -> mtp_result {
    boundary(|| {
        check_out(out, "out")?;
        // SAFETY: the caller's guarantees are passed on.
        let c = unsafe { borrow(client, "client") }?;
        // SAFETY: as above.
        unsafe { write_value(out, c.inner.pending(), "out") }
    })
}

/// Whether the server said it closes the connection, into `*out`: close
/// the socket and send the pending requests on a new one.
///
/// # Safety
/// `client` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_http_client_should_close(
    client: *const mtp_http_client,
    out: *mut bool,
) -> mtp_result {
    boundary(|| {
        check_out(out, "out")?;
        // SAFETY: the caller's guarantees are passed on.
        let c = unsafe { borrow(client, "client") }?;
        // SAFETY: as above.
        unsafe { write_value(out, c.inner.should_close(), "out") }
    })
}

/// A new HTTP server end into `*out` (NULL on failure).
///
/// # Safety
/// `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_http_server_new(out: *mut *mut mtp_http_server) -> mtp_result {
    boundary(|| {
        check_out(out, "out")?;
        let inner = HttpServer::new();
        // SAFETY: out is non-NULL and the caller guarantees it writable;
        // ownership passes to the caller.
        unsafe { out.write(Box::into_raw(Box::new(mtp_http_server { inner }))) };
        Ok(())
    })
}

/// Release an HTTP server. NULL is accepted and ignored.
///
/// # Safety
/// `server` must be NULL or a handle from `mtp_http_server_new`, not freed
/// yet and not in use by another thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_http_server_free(server: *mut mtp_http_server) {
    guard_value((), || {
        if !server.is_null() {
            // SAFETY: the caller guarantees a live Box from _new, freed once.
            drop(unsafe { Box::from_raw(server) });
        }
    });
}

/// Decode request bytes (any amount, split anywhere), then drain
/// `mtp_http_server_poll` and `mtp_http_server_poll_transmit`. A request it
/// refuses fails (`MTP_RESULT_TRANSPORT_HTTP`, `_FRAME_TOO_LARGE`) with the
/// status to answer in `mtp_http_server_rejection_status` (send
/// `mtp_http_server_encode_error` of it, then close).
///
/// # Safety
/// `server` NULL or a live handle; `(bytes, bytes_len)` readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_http_server_feed(
    server: *mut mtp_http_server,
    bytes: *const u8,
    bytes_len: usize,
) -> mtp_result {
    // SAFETY: the caller's guarantees are passed on.
    unsafe {
        feed(server, bytes, bytes_len, |s: &mut mtp_http_server, b| {
            s.inner.feed(b)
        })
    }
}

/// The next decoded request payload into `*out` (`MTP_INBOUND_NONE` when
/// none).
///
/// # Safety
/// `server` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_http_server_poll(
    server: *mut mtp_http_server,
    out: *mut mtp_inbound,
) -> mtp_result {
    // SAFETY: the caller's guarantees are passed on.
    unsafe { poll(server, out, |s: &mut mtp_http_server| s.inner.poll()) }
}

/// The next answer the server gives by itself into `*out` (release with
/// `mtp_bytes_free`; `out->len == 0` when none).
///
/// # Safety
/// `server` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_http_server_poll_transmit(
    server: *mut mtp_http_server,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller's guarantees are passed on.
    unsafe {
        encode(server, out, |s: &mut mtp_http_server| {
            Ok(s.inner.poll_transmit().unwrap_or_default())
        })
    }
}

/// The 200 response carrying `payload` to the oldest waiting request, into
/// `*out` (release with `mtp_bytes_free`).
///
/// # Safety
/// `server` NULL or a live handle; `(payload, payload_len)` readable; `out`
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_http_server_encode_response(
    server: *mut mtp_http_server,
    payload: *const u8,
    payload_len: usize,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller's guarantees are passed on.
    unsafe {
        encode(server, out, |s: &mut mtp_http_server| {
            let payload = input(payload, payload_len, "payload")?;
            Ok(s.inner.encode_response(payload)?)
        })
    }
}

/// A transport error (`code` negative, e.g. -404) as the answer to the
/// oldest waiting request, into `*out`.
///
/// # Safety
/// `server` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_http_server_encode_transport_error(
    server: *mut mtp_http_server,
    code: i32,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller's guarantees are passed on.
    unsafe {
        encode(server, out, |s: &mut mtp_http_server| {
            Ok(s.inner.encode_transport_error(code)?)
        })
    }
}

/// An HTTP error answer with `status` to the oldest waiting request, into
/// `*out`.
///
/// # Safety
/// `server` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_http_server_encode_error(
    server: *mut mtp_http_server,
    status: u16,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller's guarantees are passed on.
    unsafe {
        encode(server, out, |s: &mut mtp_http_server| {
            Ok(s.inner.encode_error(status)?)
        })
    }
}

/// How many requests wait for their answer, into `*out`.
///
/// # Safety
/// `server` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_http_server_pending(
    server: *const mtp_http_server,
    out: *mut usize,
) -> mtp_result {
    boundary(|| {
        check_out(out, "out")?;
        // SAFETY: the caller's guarantees are passed on.
        let s = unsafe { borrow(server, "server") }?;
        // SAFETY: as above.
        unsafe { write_value(out, s.inner.pending(), "out") }
    })
}

/// The HTTP status a refused request must be answered with, into `*out`;
/// 0 when no request was refused.
///
/// # Safety
/// `server` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_http_server_rejection_status(
    server: *const mtp_http_server,
    out: *mut u16,
) -> mtp_result {
    boundary(|| {
        check_out(out, "out")?;
        // SAFETY: the caller's guarantees are passed on.
        let s = unsafe { borrow(server, "server") }?;
        let status = s.inner.rejection_status().unwrap_or(0);
        // SAFETY: as above.
        unsafe { write_value(out, status, "out") }
    })
}

/// Whether the connection must close once the bytes returned so far are
/// written (the client asked to, or a request was refused), into `*out`.
///
/// # Safety
/// `server` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_http_server_should_close(
    server: *const mtp_http_server,
    out: *mut bool,
) -> mtp_result {
    boundary(|| {
        check_out(out, "out")?;
        // SAFETY: the caller's guarantees are passed on.
        let s = unsafe { borrow(server, "server") }?;
        // SAFETY: as above.
        unsafe { write_value(out, s.inner.should_close(), "out") }
    })
}
