//! [`mtp_framing_codec`]: one framing, one role (core `FramingCodec`), and
//! the framing free functions.

use mtproto_core::OsRandom;
use mtproto_core::crypto::fixed;
use mtproto_core::transport::framing::{
    FramingCodec, header_bytes, quick_ack_token, strip_padded_intermediate_padding,
};

use super::{
    borrow_mut, framing_kind, max_frame, mtp_bytes, mtp_inbound, mtp_role, mtp_transport_kind,
    reset_bytes_out, role, write_bytes, write_inbound, write_value,
};
use crate::buffers::{check_out, input, output};
use crate::panic::{boundary, guard_value};
use crate::result::{Failure, mtp_result};

/// A streaming codec for one framing and one role: bytes in
/// (`mtp_framing_codec_feed`), events out (`mtp_framing_codec_poll`);
/// payloads in (`mtp_framing_codec_encode_*`), bytes to write out. The
/// one-time header (`mtp_framing_header`) is not part of its stream. Errors
/// are fatal and sticky.
///
/// Opaque: create with `mtp_framing_codec_new`, release with
/// `mtp_framing_codec_free`. Use from one thread at a time.
pub struct mtp_framing_codec {
    inner: FramingCodec,
}

/// A codec for framing `kind` (not `MTP_TRANSPORT_HTTP`) on the `role` end
/// (`MTP_ROLE_*`), refusing payloads over `max_frame` bytes, into a new
/// handle in `*out` (NULL on failure). An invalid kind or role is
/// `MTP_RESULT_INVALID_ARGUMENT`.
///
/// # Safety
/// `out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_framing_codec_new(
    kind: mtp_transport_kind,
    role: mtp_role,
    max_frame: u64,
    out: *mut *mut mtp_framing_codec,
) -> mtp_result {
    boundary(|| {
        check_out(out, "out")?;
        // SAFETY: out is non-NULL and the caller guarantees it writable.
        unsafe { out.write(std::ptr::null_mut()) };
        let inner = FramingCodec::new(
            framing_kind(kind)?,
            self::role(role)?,
            self::max_frame(max_frame),
        );
        let handle = Box::into_raw(Box::new(mtp_framing_codec { inner }));
        // SAFETY: as above; ownership passes to the caller.
        unsafe { out.write(handle) };
        Ok(())
    })
}

/// Release a framing codec. NULL is accepted and ignored.
///
/// # Safety
/// `codec` must be NULL or a handle from `mtp_framing_codec_new`, not freed
/// yet and not in use by another thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_framing_codec_free(codec: *mut mtp_framing_codec) {
    guard_value((), || {
        if !codec.is_null() {
            // SAFETY: the caller guarantees a live Box from _new, freed once.
            drop(unsafe { Box::from_raw(codec) });
        }
    });
}

/// The codec behind a handle.
///
/// # Safety
/// NULL or a live handle used by one thread.
unsafe fn get<'a>(c: *mut mtp_framing_codec) -> Result<&'a mut FramingCodec, Failure> {
    // SAFETY: passed on from the caller.
    unsafe { borrow_mut(c, "codec") }.map(|c| &mut c.inner)
}

/// Decode bytes received (any amount, split anywhere), then drain
/// `mtp_framing_codec_poll`.
///
/// # Safety
/// `codec` must be NULL or a live handle; `(bytes, bytes_len)` readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_framing_codec_feed(
    codec: *mut mtp_framing_codec,
    bytes: *const u8,
    bytes_len: usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        let c = unsafe { get(codec) }?;
        // SAFETY: as above.
        let bytes = unsafe { input(bytes, bytes_len, "bytes") }?;
        Ok(c.feed(bytes)?)
    })
}

/// The next decoded event into `*out` (`MTP_INBOUND_NONE` when none);
/// release a packet's payload with `mtp_inbound_free`.
///
/// # Safety
/// `codec` must be NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_framing_codec_poll(
    codec: *mut mtp_framing_codec,
    out: *mut mtp_inbound,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { write_inbound(out, None) }?;
        // SAFETY: as above.
        let event = unsafe { get(codec) }?.poll();
        // SAFETY: as above.
        unsafe { write_inbound(out, event) }
    })
}

/// Run one encoder on a codec and hand its bytes out.
///
/// # Safety
/// `codec` NULL or a live handle; `out` NULL or writable.
unsafe fn encode(
    codec: *mut mtp_framing_codec,
    out: *mut mtp_bytes,
    f: impl FnOnce(&mut FramingCodec) -> Result<Vec<u8>, Failure>,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { reset_bytes_out(out, "out") }?;
        // SAFETY: as above.
        let bytes = f(unsafe { get(codec) }?)?;
        // SAFETY: as above.
        unsafe { write_bytes(out, bytes, "out") }
    })
}

/// Frame one payload (a positive multiple of 4 bytes) into `*out`
/// (release with `mtp_bytes_free`), with random padding under padded
/// intermediate. `quick_ack`: client only, not under full.
///
/// # Safety
/// `codec` NULL or a live handle; `(payload, payload_len)` readable; `out`
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_framing_codec_encode_packet(
    codec: *mut mtp_framing_codec,
    payload: *const u8,
    payload_len: usize,
    quick_ack: bool,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller's guarantees are passed on.
    unsafe {
        encode(codec, out, |c| {
            let payload = input(payload, payload_len, "payload")?;
            Ok(c.encode_packet(payload, quick_ack, &mut OsRandom)?)
        })
    }
}

/// `mtp_framing_codec_encode_packet` with the padding given (padded
/// intermediate: 0..=15 bytes; other framings: none), for tests and vectors.
///
/// # Safety
/// As for `mtp_framing_codec_encode_packet`; `(padding, padding_len)`
/// readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_framing_codec_encode_packet_with_padding(
    codec: *mut mtp_framing_codec,
    payload: *const u8,
    payload_len: usize,
    quick_ack: bool,
    padding: *const u8,
    padding_len: usize,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller's guarantees are passed on.
    unsafe {
        encode(codec, out, |c| {
            let payload = input(payload, payload_len, "payload")?;
            let padding = input(padding, padding_len, "padding")?;
            Ok(c.encode_packet_with_padding(payload, quick_ack, padding)?)
        })
    }
}

/// Server: the quick-ack reply for `token` (top bit set) into `*out`, with
/// random padding under padded intermediate.
///
/// # Safety
/// `codec` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_framing_codec_encode_quick_ack(
    codec: *mut mtp_framing_codec,
    token: u32,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller's guarantees are passed on.
    unsafe {
        encode(
            codec,
            out,
            |c| Ok(c.encode_quick_ack(token, &mut OsRandom)?),
        )
    }
}

/// `mtp_framing_codec_encode_quick_ack` with the padding given (padded
/// intermediate: 0..=7 bytes; other framings: none).
///
/// # Safety
/// As for `mtp_framing_codec_encode_quick_ack`; `(padding, padding_len)`
/// readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_framing_codec_encode_quick_ack_with_padding(
    codec: *mut mtp_framing_codec,
    token: u32,
    padding: *const u8,
    padding_len: usize,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller's guarantees are passed on.
    unsafe {
        encode(codec, out, |c| {
            let padding = input(padding, padding_len, "padding")?;
            Ok(c.encode_quick_ack_with_padding(token, padding)?)
        })
    }
}

/// Server: a transport error packet for `code` (negative, not -1) into
/// `*out`, with random padding under padded intermediate.
///
/// # Safety
/// `codec` NULL or a live handle; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_framing_codec_encode_transport_error(
    codec: *mut mtp_framing_codec,
    code: i32,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller's guarantees are passed on.
    unsafe {
        encode(codec, out, |c| {
            Ok(c.encode_transport_error(code, &mut OsRandom)?)
        })
    }
}

/// `mtp_framing_codec_encode_transport_error` with the padding given (padded
/// intermediate: 0..=11 bytes; other framings: none).
///
/// # Safety
/// As for `mtp_framing_codec_encode_transport_error`; `(padding,
/// padding_len)` readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_framing_codec_encode_transport_error_with_padding(
    codec: *mut mtp_framing_codec,
    code: i32,
    padding: *const u8,
    padding_len: usize,
    out: *mut mtp_bytes,
) -> mtp_result {
    // SAFETY: the caller's guarantees are passed on.
    unsafe {
        encode(codec, out, |c| {
            let padding = input(padding, padding_len, "padding")?;
            Ok(c.encode_transport_error_with_padding(code, padding)?)
        })
    }
}

/// The one-time header a client sends before its first packet under framing
/// `kind` (`ef`, `eeeeeeee`, `dddddddd`; none for full) into `(out,
/// *out_len)` (at most 4 bytes).
///
/// # Safety
/// `out_len` must be NULL or a writable `size_t` holding the capacity of
/// `out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_framing_header(
    kind: mtp_transport_kind,
    out: *mut u8,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        let header = header_bytes(framing_kind(kind)?);
        // SAFETY: the caller's guarantees are passed on.
        unsafe { output(header, out, out_len, "out") }
    })
}

/// A padded-intermediate payload without its random padding (the message's
/// own length decides) into `(out, *out_len)` (at most `payload_len` bytes;
/// input it cannot measure is returned unchanged). `out` may be `payload`.
///
/// # Safety
/// `(payload, payload_len)` readable; `out_len` NULL or a writable `size_t`
/// holding the capacity of `out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_strip_padded_intermediate_padding(
    payload: *const u8,
    payload_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // The copy ends the borrow of `payload` before `out` is written.
        // SAFETY: the caller's guarantees are passed on.
        let payload = unsafe { input(payload, payload_len, "payload") }?.to_vec();
        let stripped = strip_padded_intermediate_padding(&payload);
        // SAFETY: as above.
        unsafe { output(stripped, out, out_len, "out") }
    })
}

/// The quick-ack token of a packet into `*out`: the first 4 bytes of its
/// 32-byte `msg_key_large` (`mtp_msg_key_v2`'s SHA-256), little-endian, with
/// the top bit set.
///
/// # Safety
/// `(msg_key_large, msg_key_large_len)` readable; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_quick_ack_token(
    msg_key_large: *const u8,
    msg_key_large_len: usize,
    out: *mut u32,
) -> mtp_result {
    boundary(|| {
        check_out(out, "out")?;
        // SAFETY: the caller's guarantees are passed on.
        let large = unsafe { input(msg_key_large, msg_key_large_len, "msg_key_large") }?;
        let large = fixed::<32>("msg_key_large", large)?;
        // SAFETY: as above.
        unsafe { write_value(out, quick_ack_token(&large), "out") }
    })
}
