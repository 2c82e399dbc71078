//! The transports (core `transport`): [`mtp_client_transport`] and
//! [`mtp_server_transport`] (whole connection ends), [`mtp_framing_codec`]
//! (one framing), [`mtp_http_client`] and [`mtp_http_server`] (HTTP), and the
//! free functions of obfuscation and fake TLS.
//!
//! This file holds what they share: the kind and role values, library-owned
//! byte buffers ([`mtp_bytes`]) and the decoded [`mtp_inbound`] record.
//!
//! Handles are opaque, created by `*_new` and released with the matching
//! `*_free` (NULL accepted). They are mutable state: use each one from one
//! thread at a time (it may move between threads). Randomness (padding,
//! obfuscation inits, fake-TLS hellos) comes from the operating system's
//! CSPRNG; its failure is `MTP_RESULT_RANDOM_UNAVAILABLE`.
//!
//! Byte outputs whose size is not known in advance (encoded frames, bytes
//! to transmit, payloads) are library-owned [`mtp_bytes`] released with
//! [`mtp_bytes_free`]; small fixed-size ones use the caller-buffer protocol.

pub mod client;
pub mod framing;
pub mod http;
pub mod obfuscation;
pub mod server;

pub use client::{mtp_client_transport, mtp_client_transport_config};
pub use framing::mtp_framing_codec;
pub use http::{mtp_http_client, mtp_http_server};
pub use obfuscation::{mtp_client_hello, mtp_obfuscation_init_keys};
pub use server::{
    mtp_detected_transport, mtp_server_transport, mtp_server_transport_config, mtp_text,
};

use mtproto_core::transport::{FramingKind, Inbound, Role, TransportKind};

use crate::buffers::check_out;
use crate::panic::guard_value;
use crate::result::Failure;

/// A transport (framing) kind: one of the `MTP_TRANSPORT_*` constants; any
/// other value is rejected with `MTP_RESULT_INVALID_ARGUMENT`.
pub type mtp_transport_kind = u32;

/// Abridged framing (`0xef`, lengths in 4-byte words).
pub const MTP_TRANSPORT_ABRIDGED: mtp_transport_kind = 0;
/// Intermediate framing (`0xeeeeeeee`, 4-byte lengths).
pub const MTP_TRANSPORT_INTERMEDIATE: mtp_transport_kind = 1;
/// Padded intermediate framing (`0xdddddddd`, 0..15 random padding bytes).
pub const MTP_TRANSPORT_PADDED_INTERMEDIATE: mtp_transport_kind = 2;
/// Full framing (length, sequence number, payload, CRC32).
pub const MTP_TRANSPORT_FULL: mtp_transport_kind = 3;
/// HTTP/1.1 POSTs to `/api` (not a framing: refused where only framings are
/// accepted).
pub const MTP_TRANSPORT_HTTP: mtp_transport_kind = 4;

/// Which end of a connection a codec serves: `MTP_ROLE_CLIENT` or
/// `MTP_ROLE_SERVER`; any other value is `MTP_RESULT_INVALID_ARGUMENT`.
pub type mtp_role = u32;

/// The end that connects (sends the header or init, may ask for quick acks).
pub const MTP_ROLE_CLIENT: mtp_role = 0;
/// The end that accepts (answers quick acks, may send transport errors).
pub const MTP_ROLE_SERVER: mtp_role = 1;

/// The largest payload the transports accept by default (16 MiB), a good
/// `max_frame`.
pub const MTP_TRANSPORT_DEFAULT_MAX_FRAME: u64 = 1 << 24;

/// What an `mtp_inbound` holds: one of the `MTP_INBOUND_*` constants.
pub type mtp_inbound_kind = u32;

/// Nothing: no event was waiting (the `poll` functions' "none").
pub const MTP_INBOUND_NONE: mtp_inbound_kind = 0;
/// A packet: `payload` (and, server side, `quick_ack`).
pub const MTP_INBOUND_PACKET: mtp_inbound_kind = 1;
/// A quick acknowledgement: `token` (top bit set).
pub const MTP_INBOUND_QUICK_ACK: mtp_inbound_kind = 2;
/// A transport error: `code` (negative, e.g. -404).
pub const MTP_INBOUND_TRANSPORT_ERROR: mtp_inbound_kind = 3;

/// Library-owned bytes: `data` points to `len` bytes (`data` is NULL when
/// `len` is 0). Release with `mtp_bytes_free`; do not `free()` `data`.
///
/// Functions that fill an `mtp_bytes` first set it to `{NULL, 0}`, so it is
/// always safe to pass to `mtp_bytes_free` afterwards, even after a failure.
#[repr(C)]
#[derive(Debug)]
pub struct mtp_bytes {
    /// The bytes, or NULL when `len` is 0.
    pub data: *mut u8,
    /// The number of bytes.
    pub len: usize,
}

impl mtp_bytes {
    /// The empty value, `{NULL, 0}`.
    pub(crate) const EMPTY: mtp_bytes = mtp_bytes {
        data: std::ptr::null_mut(),
        len: 0,
    };

    /// Hand `bytes` to the caller.
    pub(crate) fn from_vec(bytes: Vec<u8>) -> Self {
        if bytes.is_empty() {
            return mtp_bytes::EMPTY;
        }
        let boxed = bytes.into_boxed_slice();
        let len = boxed.len();
        mtp_bytes {
            data: Box::into_raw(boxed).cast::<u8>(),
            len,
        }
    }
}

/// Release the bytes of `bytes` and reset it to `{NULL, 0}`. NULL, and an
/// already empty value, are accepted and ignored (so freeing twice is
/// harmless).
///
/// # Safety
/// `bytes` must be NULL or point to an `mtp_bytes` filled by this library
/// (or `{NULL, 0}`), unmodified since.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_bytes_free(bytes: *mut mtp_bytes) {
    guard_value((), || {
        // SAFETY: the caller guarantees bytes is NULL or a valid mtp_bytes.
        if let Some(b) = unsafe { bytes.as_mut() } {
            // SAFETY: as guaranteed, `b` came from mtp_bytes::from_vec.
            unsafe { release(b) };
        }
    });
}

/// Free the memory of `b` (from [`mtp_bytes::from_vec`]) and reset it.
///
/// # Safety
/// `b.data` must be NULL or come from `mtp_bytes::from_vec` with `b.len`,
/// not freed yet.
unsafe fn release(b: &mut mtp_bytes) {
    if !b.data.is_null() {
        let slice = std::ptr::slice_from_raw_parts_mut(b.data, b.len);
        // SAFETY: data and len are those of a Box<[u8]> leaked by
        // mtp_bytes::from_vec, freed only here (and then reset).
        drop(unsafe { Box::from_raw(slice) });
    }
    *b = mtp_bytes::EMPTY;
}

/// One decoded event: a packet, a quick ack or a transport error, or nothing
/// (`kind == MTP_INBOUND_NONE`). Only the fields of its kind are set; the
/// others are zero.
///
/// The payload is library-owned: release it with `mtp_inbound_free` (or
/// `mtp_bytes_free(&inbound.payload)`).
#[repr(C)]
#[derive(Debug)]
pub struct mtp_inbound {
    /// Which event: `MTP_INBOUND_NONE`, `_PACKET`, `_QUICK_ACK` or
    /// `_TRANSPORT_ERROR`.
    pub kind: mtp_inbound_kind,
    /// Packet: the payload (padded intermediate keeps its padding; see
    /// `mtp_strip_padded_intermediate_padding`).
    pub payload: mtp_bytes,
    /// Packet, server side: the client asked for a quick ack.
    pub quick_ack: bool,
    /// Quick ack: the token (top bit set).
    pub token: u32,
    /// Transport error: the code (negative).
    pub code: i32,
}

impl mtp_inbound {
    const NONE: mtp_inbound = mtp_inbound {
        kind: MTP_INBOUND_NONE,
        payload: mtp_bytes::EMPTY,
        quick_ack: false,
        token: 0,
        code: 0,
    };

    fn from_core(event: Option<Inbound>) -> Self {
        match event {
            None => mtp_inbound::NONE,
            Some(Inbound::Packet { payload, quick_ack }) => mtp_inbound {
                kind: MTP_INBOUND_PACKET,
                payload: mtp_bytes::from_vec(payload),
                quick_ack,
                ..mtp_inbound::NONE
            },
            Some(Inbound::QuickAck { token }) => mtp_inbound {
                kind: MTP_INBOUND_QUICK_ACK,
                token,
                ..mtp_inbound::NONE
            },
            Some(Inbound::TransportError { code }) => mtp_inbound {
                kind: MTP_INBOUND_TRANSPORT_ERROR,
                code,
                ..mtp_inbound::NONE
            },
        }
    }
}

/// Release the payload of `inbound` and reset it to `MTP_INBOUND_NONE`.
/// NULL is accepted and ignored; freeing twice is harmless.
///
/// # Safety
/// `inbound` must be NULL or point to an `mtp_inbound` filled by a `poll`
/// function of this library (or zeroed), unmodified since.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_inbound_free(inbound: *mut mtp_inbound) {
    guard_value((), || {
        // SAFETY: the caller guarantees inbound is NULL or a valid record.
        if let Some(i) = unsafe { inbound.as_mut() } {
            // SAFETY: its payload came from mtp_bytes::from_vec (or is empty).
            unsafe { release(&mut i.payload) };
            *i = mtp_inbound::NONE;
        }
    });
}

/// Reset a bytes out-pointer to `{NULL, 0}` before any work is done.
///
/// # Safety
/// Unless NULL, `out` must point to writable memory for an `mtp_bytes`.
pub(crate) unsafe fn reset_bytes_out(out: *mut mtp_bytes, what: &str) -> Result<(), Failure> {
    check_out(out, what)?;
    // SAFETY: out is non-NULL and the caller guarantees it writable; `write`
    // does not read or drop the old value.
    unsafe { out.write(mtp_bytes::EMPTY) };
    Ok(())
}

/// Hand `bytes` to the caller through `out` (checked by [`reset_bytes_out`]).
///
/// # Safety
/// As for [`reset_bytes_out`].
pub(crate) unsafe fn write_bytes(
    out: *mut mtp_bytes,
    bytes: Vec<u8>,
    what: &str,
) -> Result<(), Failure> {
    check_out(out, what)?;
    // SAFETY: as for reset_bytes_out.
    unsafe { out.write(mtp_bytes::from_vec(bytes)) };
    Ok(())
}

/// Write a polled event through `out` (`MTP_INBOUND_NONE` for `None`, which
/// the `poll` functions write first so that `out` is valid on failure too).
///
/// # Safety
/// Unless NULL, `out` must point to writable memory for an `mtp_inbound`.
pub(crate) unsafe fn write_inbound(
    out: *mut mtp_inbound,
    event: Option<Inbound>,
) -> Result<(), Failure> {
    check_out(out, "out")?;
    // SAFETY: out is non-NULL and the caller guarantees it writable.
    unsafe { out.write(mtp_inbound::from_core(event)) };
    Ok(())
}

/// The core's transport kind for a C value.
pub(crate) fn transport_kind(kind: mtp_transport_kind) -> Result<TransportKind, Failure> {
    match kind {
        MTP_TRANSPORT_HTTP => Ok(TransportKind::Http),
        other => framing_kind(other).map(TransportKind::Framed),
    }
}

/// The core's framing for a C value (HTTP refused).
pub(crate) fn framing_kind(kind: mtp_transport_kind) -> Result<FramingKind, Failure> {
    match kind {
        MTP_TRANSPORT_ABRIDGED => Ok(FramingKind::Abridged),
        MTP_TRANSPORT_INTERMEDIATE => Ok(FramingKind::Intermediate),
        MTP_TRANSPORT_PADDED_INTERMEDIATE => Ok(FramingKind::PaddedIntermediate),
        MTP_TRANSPORT_FULL => Ok(FramingKind::Full),
        MTP_TRANSPORT_HTTP => Err(Failure::invalid(
            "expected a framing (MTP_TRANSPORT_ABRIDGED, _INTERMEDIATE, _PADDED_INTERMEDIATE or _FULL), got MTP_TRANSPORT_HTTP".into(),
        )),
        other => Err(Failure::invalid(format!(
            "transport kind must be one of MTP_TRANSPORT_ABRIDGED (0) .. MTP_TRANSPORT_HTTP (4), got {other}"
        ))),
    }
}

/// The C value of a core transport kind.
pub(crate) fn kind_to_c(kind: TransportKind) -> mtp_transport_kind {
    match kind {
        TransportKind::Http => MTP_TRANSPORT_HTTP,
        TransportKind::Framed(FramingKind::Abridged) => MTP_TRANSPORT_ABRIDGED,
        TransportKind::Framed(FramingKind::Intermediate) => MTP_TRANSPORT_INTERMEDIATE,
        TransportKind::Framed(FramingKind::PaddedIntermediate) => MTP_TRANSPORT_PADDED_INTERMEDIATE,
        TransportKind::Framed(FramingKind::Full) => MTP_TRANSPORT_FULL,
    }
}

/// The core's role for a C value.
pub(crate) fn role(role: mtp_role) -> Result<Role, Failure> {
    match role {
        MTP_ROLE_CLIENT => Ok(Role::Client),
        MTP_ROLE_SERVER => Ok(Role::Server),
        other => Err(Failure::invalid(format!(
            "role must be MTP_ROLE_CLIENT (0) or MTP_ROLE_SERVER (1), got {other}"
        ))),
    }
}

/// A `max_frame` as the core's `usize` (saturating on 32-bit targets).
pub(crate) fn max_frame(value: u64) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}

/// A required mutable handle, or `NullPointer`.
///
/// # Safety
/// Unless NULL, `handle` must point to a live `T` not otherwise borrowed
/// during the call.
pub(crate) unsafe fn borrow_mut<'a, T>(handle: *mut T, what: &str) -> Result<&'a mut T, Failure> {
    // SAFETY: the caller guarantees handle is NULL or a live, unaliased T.
    unsafe { handle.as_mut() }.ok_or_else(|| Failure::null(what))
}

/// A required shared handle, or `NullPointer`.
///
/// # Safety
/// Unless NULL, `handle` must point to a live `T` not mutated during the
/// call.
pub(crate) unsafe fn borrow<'a, T>(handle: *const T, what: &str) -> Result<&'a T, Failure> {
    // SAFETY: the caller guarantees handle is NULL or a live T.
    unsafe { handle.as_ref() }.ok_or_else(|| Failure::null(what))
}

/// Write a small value through a required out-pointer.
///
/// # Safety
/// Unless NULL, `out` must point to writable memory for a `T`.
pub(crate) unsafe fn write_value<T>(out: *mut T, value: T, what: &str) -> Result<(), Failure> {
    // SAFETY: the caller's guarantee is write_record's.
    unsafe { crate::buffers::write_record(out, value, what) }
}
