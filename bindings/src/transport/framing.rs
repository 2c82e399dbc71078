//! [`FramingCodec`] and the framing helpers (core `transport::framing`).

use std::sync::{Arc, Mutex, MutexGuard};

use mtproto_core::OsRandom;
use mtproto_core::transport::framing as core_framing;

use super::{Inbound, Role, TransportKind, framing_kind, lock, to_usize};
use crate::error::MtprotoError;

/// A streaming codec for one framing and one role, without the one-time
/// header ([`framing_header`]): bytes in, [`Inbound`]s out; payloads in,
/// bytes to write out.
///
/// Decoding: [`feed`](Self::feed) what arrived, split anywhere, then drain
/// [`poll`](Self::poll). Encoding: packets (either role), quick-ack replies
/// and transport errors (server). Write the returned bytes in call order.
/// Decoding errors are fatal and sticky; encoding errors caused by bad
/// arguments change nothing. Safe to share between threads (calls are
/// serialized).
#[derive(uniffi::Object)]
pub struct FramingCodec {
    pub(super) inner: Mutex<core_framing::FramingCodec>,
}

impl core::fmt::Debug for FramingCodec {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("FramingCodec { .. }")
    }
}

impl FramingCodec {
    fn codec(&self) -> Result<MutexGuard<'_, core_framing::FramingCodec>, MtprotoError> {
        lock(&self.inner, "FramingCodec")
    }
}

#[uniffi::export]
impl FramingCodec {
    /// A codec for the framed `kind` (code 1 for `Http`) on the `role` end,
    /// refusing payloads over `max_frame` bytes (usually 16 MiB; clamped to
    /// what the framing can express).
    #[uniffi::constructor]
    pub fn new(kind: TransportKind, role: Role, max_frame: u64) -> Result<Arc<Self>, MtprotoError> {
        let codec =
            core_framing::FramingCodec::new(framing_kind(kind)?, role.into(), to_usize(max_frame));
        Ok(Arc::new(FramingCodec {
            inner: Mutex::new(codec),
        }))
    }

    /// Decode bytes (any amount, split anywhere), then drain `poll`.
    pub fn feed(&self, bytes: Vec<u8>) -> Result<(), MtprotoError> {
        Ok(self.codec()?.feed(&bytes)?)
    }

    /// The next decoded packet, quick ack or transport error; `None` when
    /// there is none.
    pub fn poll(&self) -> Result<Option<Inbound>, MtprotoError> {
        Ok(self.codec()?.poll().map(Inbound::from))
    }

    /// One packet carrying `payload` (whole 4-byte words), with random
    /// padding under padded intermediate. `quick_ack` (client only, not
    /// under full) asks for a quick ack.
    pub fn encode_packet(
        &self,
        payload: Vec<u8>,
        quick_ack: bool,
    ) -> Result<Vec<u8>, MtprotoError> {
        Ok(self
            .codec()?
            .encode_packet(&payload, quick_ack, &mut OsRandom)?)
    }

    /// [`encode_packet`](Self::encode_packet) with the padding given (padded
    /// intermediate: 0..=15 bytes; other framings: empty), for tests and
    /// vectors.
    pub fn encode_packet_with_padding(
        &self,
        payload: Vec<u8>,
        quick_ack: bool,
        padding: Vec<u8>,
    ) -> Result<Vec<u8>, MtprotoError> {
        Ok(self
            .codec()?
            .encode_packet_with_padding(&payload, quick_ack, &padding)?)
    }

    /// Server: the quick-ack reply for `token` (top bit set), with random
    /// padding under padded intermediate.
    pub fn encode_quick_ack(&self, token: u32) -> Result<Vec<u8>, MtprotoError> {
        Ok(self.codec()?.encode_quick_ack(token, &mut OsRandom)?)
    }

    /// [`encode_quick_ack`](Self::encode_quick_ack) with the padding given
    /// (padded intermediate: 0..=7 bytes; other framings: empty).
    pub fn encode_quick_ack_with_padding(
        &self,
        token: u32,
        padding: Vec<u8>,
    ) -> Result<Vec<u8>, MtprotoError> {
        Ok(self
            .codec()?
            .encode_quick_ack_with_padding(token, &padding)?)
    }

    /// Server: a transport error packet carrying the negative `code` (not
    /// -1), with random padding under padded intermediate.
    pub fn encode_transport_error(&self, code: i32) -> Result<Vec<u8>, MtprotoError> {
        Ok(self.codec()?.encode_transport_error(code, &mut OsRandom)?)
    }

    /// [`encode_transport_error`](Self::encode_transport_error) with the
    /// padding given (padded intermediate: 0..=11 bytes; other framings:
    /// empty).
    pub fn encode_transport_error_with_padding(
        &self,
        code: i32,
        padding: Vec<u8>,
    ) -> Result<Vec<u8>, MtprotoError> {
        Ok(self
            .codec()?
            .encode_transport_error_with_padding(code, &padding)?)
    }
}

/// The one-time header a plain client sends before its first packet: `ef`
/// (abridged), `eeeeeeee` (intermediate), `dddddddd` (padded intermediate),
/// nothing (full). Code 1 for `Http`.
#[uniffi::export]
pub fn framing_header(kind: TransportKind) -> Result<Vec<u8>, MtprotoError> {
    Ok(core_framing::header_bytes(framing_kind(kind)?).to_vec())
}

/// Cut the random padding off a message received over padded intermediate
/// (plain: from its declared length; encrypted: to whole AES blocks). Input
/// too short to tell is returned unchanged.
#[uniffi::export]
pub fn strip_padded_intermediate_padding(payload: Vec<u8>) -> Vec<u8> {
    core_framing::strip_padded_intermediate_padding(&payload).to_vec()
}

/// The quick-ack token of an encrypted packet from its 32-byte
/// `msg_key_large`: its first 4 bytes little-endian with the top bit set.
/// Code 101 for another length.
#[uniffi::export]
pub fn quick_ack_token(msg_key_large: Vec<u8>) -> Result<u32, MtprotoError> {
    let large: [u8; 32] = mtproto_core::crypto::fixed("msg_key_large", &msg_key_large)?;
    Ok(core_framing::quick_ack_token(&large))
}
