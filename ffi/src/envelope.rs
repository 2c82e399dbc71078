//! Sealing and opening plain and encrypted messages.

use mtproto_core::OsRandom;
use mtproto_core::envelope::{
    MAX_PADDING, MessageHeader, MsgId, Salt, SeqNo, SessionId, open_encrypted, open_plain,
    seal_encrypted, seal_encrypted_with_padding, seal_plain,
};

use crate::auth_key::{self, mtp_auth_key};
use crate::buffers::{check_out, input, output, write_record};
use crate::direction::{self, mtp_direction};
use crate::panic::boundary;
use crate::result::{Failure, mtp_result};

/// The most bytes `mtp_seal_encrypted` and `mtp_seal_encrypted_with_padding`
/// add to a body: the 24-byte outer header (auth_key_id, msg_key), the
/// 32-byte inner header and the largest padding MTProto allows (1024). An
/// output buffer of `body_len + MTP_SEAL_MAX_OVERHEAD` bytes always suffices.
pub const MTP_SEAL_MAX_OVERHEAD: usize = 1080;

const _: () = assert!(MTP_SEAL_MAX_OVERHEAD == 24 + 32 + MAX_PADDING);

/// The header fields of an encrypted message.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct mtp_message_header {
    /// The server salt.
    pub salt: u64,
    /// The session id, chosen at random by the client.
    pub session_id: u64,
    /// The message id.
    pub msg_id: u64,
    /// The sequence number.
    pub seq_no: u32,
}

impl From<&mtp_message_header> for MessageHeader {
    fn from(h: &mtp_message_header) -> Self {
        MessageHeader {
            salt: Salt(h.salt),
            session_id: SessionId(h.session_id),
            msg_id: MsgId(h.msg_id),
            seq_no: SeqNo(h.seq_no),
        }
    }
}

impl From<&MessageHeader> for mtp_message_header {
    fn from(h: &MessageHeader) -> Self {
        mtp_message_header {
            salt: h.salt.0,
            session_id: h.session_id.0,
            msg_id: h.msg_id.0,
            seq_no: h.seq_no.0,
        }
    }
}

/// Borrow the header argument.
///
/// # Safety
/// `header` must be NULL or point to a readable `mtp_message_header`.
unsafe fn header_arg(header: *const mtp_message_header) -> Result<MessageHeader, Failure> {
    // SAFETY: the caller guarantees header is NULL or a readable, aligned
    // mtp_message_header; every bit pattern of it is valid.
    let header = unsafe { header.as_ref() }.ok_or_else(|| Failure::null("header"))?;
    Ok(header.into())
}

/// Seal `body` (a multiple of 4 bytes) as an MTProto 2.0 encrypted message
/// sent in `direction`, with random padding from the system CSPRNG, into
/// `(out, *out_len)`.
///
/// The padding length is random, so the output size varies from call to
/// call: on `MTP_RESULT_BUFFER_TOO_SMALL` the size reported is this call's,
/// and a retry may need up to 48 bytes more. A buffer of
/// `body_len + MTP_SEAL_MAX_OVERHEAD` bytes always suffices.
///
/// Errors: `MTP_RESULT_BODY_NOT_ALIGNED`, `MTP_RESULT_MESSAGE_TOO_LARGE`,
/// `MTP_RESULT_RANDOM_UNAVAILABLE`, and those of the argument checks.
///
/// # Safety
/// `auth_key` must be a live handle; `header` must point to a readable
/// `mtp_message_header`; `body` must point to `body_len` readable bytes (or
/// be NULL with length 0); `out_len` must point to a writable `size_t`
/// holding the capacity of `out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_seal_encrypted(
    auth_key: *const mtp_auth_key,
    direction: mtp_direction,
    header: *const mtp_message_header,
    body: *const u8,
    body_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees every pointer per the contract above.
        let key = unsafe { auth_key::borrow(auth_key) }?;
        let dir = direction::from_c(direction)?;
        // SAFETY: as above.
        let header = unsafe { header_arg(header) }?;
        // SAFETY: as above.
        let body = unsafe { input(body, body_len, "body") }?;
        let wire = seal_encrypted(key, dir, &header, body, &mut OsRandom)?;
        // SAFETY: as above.
        unsafe { output(&wire, out, out_len, "out") }
    })
}

/// Seal `body` like `mtp_seal_encrypted` but with the given `padding` bytes
/// (12..=1024 bytes making `32 + body_len + padding_len` a multiple of 16,
/// otherwise `MTP_RESULT_INVALID_PADDING`). Deterministic: for tests and
/// recorded vectors; real traffic uses `mtp_seal_encrypted`. The output is
/// `24 + 32 + body_len + padding_len` bytes.
///
/// # Safety
/// As for `mtp_seal_encrypted`, and `padding` must point to `padding_len`
/// readable bytes.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn mtp_seal_encrypted_with_padding(
    auth_key: *const mtp_auth_key,
    direction: mtp_direction,
    header: *const mtp_message_header,
    body: *const u8,
    body_len: usize,
    padding: *const u8,
    padding_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees every pointer per the contract above.
        let key = unsafe { auth_key::borrow(auth_key) }?;
        let dir = direction::from_c(direction)?;
        // SAFETY: as above.
        let header = unsafe { header_arg(header) }?;
        // SAFETY: as above.
        let body = unsafe { input(body, body_len, "body") }?;
        // SAFETY: as above.
        let padding = unsafe { input(padding, padding_len, "padding") }?;
        let wire = seal_encrypted_with_padding(key, dir, &header, body, padding)?;
        // SAFETY: as above.
        unsafe { output(&wire, out, out_len, "out") }
    })
}

/// Open an encrypted message received in `direction` (a client opens with
/// `MTP_DIRECTION_SERVER_TO_CLIENT`): on success the header goes to `*header`
/// and the body into `(body, *body_len)`.
///
/// Any failed check (auth_key_id, size, msg_key, length, padding) is
/// `MTP_RESULT_ENVELOPE_REJECTED`, whatever the reason. The body is at most
/// `wire_len - 68` bytes; on `MTP_RESULT_BUFFER_TOO_SMALL` `*body_len` holds
/// its exact size and `*header` is not written. Checking session_id, msg_id
/// and seq_no against the session is the caller's job.
///
/// # Safety
/// `auth_key` must be a live handle; `wire` must point to `wire_len` readable
/// bytes (or be NULL with length 0); `header` must point to a writable
/// `mtp_message_header`; `body_len` must point to a writable `size_t`
/// holding the capacity of `body`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_open_encrypted(
    auth_key: *const mtp_auth_key,
    direction: mtp_direction,
    wire: *const u8,
    wire_len: usize,
    header: *mut mtp_message_header,
    body: *mut u8,
    body_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees every pointer per the contract above.
        let key = unsafe { auth_key::borrow(auth_key) }?;
        let dir = direction::from_c(direction)?;
        // SAFETY: as above.
        let wire = unsafe { input(wire, wire_len, "wire") }?;
        check_out(header, "header")?;
        if body_len.is_null() {
            return Err(Failure::null("body_len"));
        }
        let message = open_encrypted(key, dir, wire)?;
        // SAFETY: as above.
        unsafe { output(&message.body, body, body_len, "body") }?;
        // SAFETY: as above.
        unsafe { write_record(header, (&message.header).into(), "header") }
    })
}

/// Frame `body` (a multiple of 4 bytes) as a plain (unencrypted) message with
/// `msg_id`, into `(out, *out_len)`; the output is `20 + body_len` bytes.
/// Plain messages are used only during key creation.
///
/// # Safety
/// `body` must point to `body_len` readable bytes (or be NULL with length 0);
/// `out_len` must point to a writable `size_t` holding the capacity of `out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_seal_plain(
    msg_id: u64,
    body: *const u8,
    body_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees every pointer per the contract above.
        let body = unsafe { input(body, body_len, "body") }?;
        let wire = seal_plain(MsgId(msg_id), body)?;
        // SAFETY: as above.
        unsafe { output(&wire, out, out_len, "out") }
    })
}

/// Parse a plain message: its msg_id goes to `*msg_id`, its body into
/// `(body, *body_len)` (at most `wire_len - 20` bytes). A malformed message
/// is `MTP_RESULT_ENVELOPE_MALFORMED`.
///
/// # Safety
/// `wire` must point to `wire_len` readable bytes (or be NULL with length 0);
/// `msg_id` must point to a writable `uint64_t`; `body_len` must point to a
/// writable `size_t` holding the capacity of `body`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_open_plain(
    wire: *const u8,
    wire_len: usize,
    msg_id: *mut u64,
    body: *mut u8,
    body_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees every pointer per the contract above.
        let wire = unsafe { input(wire, wire_len, "wire") }?;
        check_out(msg_id, "msg_id")?;
        if body_len.is_null() {
            return Err(Failure::null("body_len"));
        }
        let message = open_plain(wire)?;
        // SAFETY: as above.
        unsafe { output(message.body, body, body_len, "body") }?;
        // SAFETY: as above.
        unsafe { write_record(msg_id, message.msg_id.0, "msg_id") }
    })
}
