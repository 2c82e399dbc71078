//! Framing: the four TCP packet formats of `/mtproto/mtproto-transports`
//! (abridged, intermediate, padded intermediate, full), with quick acks and
//! transport errors, for both roles.
//!
//! A [`FramingCodec`] handles everything *after* the one-time header
//! ([`header_bytes`]: `0xef`, `0xeeeeeeee`, `0xdddddddd`, nothing for full).
//! The composing layer sends the header first on a plain connection; under
//! obfuscation the header is replaced by the protocol tag inside the 64-byte
//! init. On the server, [`super::detect`] consumes it.
//!
//! # Packet formats
//!
//! | framing | packet | quick-ack request (client) | quick-ack reply (server) |
//! |---|---|---|---|
//! | abridged | `len/4` as 1 byte (`0x01..=0x7e`), or `0x7f` + 3-byte LE `len/4`; payload | first byte `0x80 \| len/4`, or `0xff` + 3 bytes | the 4-byte token byte-swapped (big-endian), no length |
//! | intermediate | 4-byte LE length; payload | length `\| 0x8000_0000` | the 4-byte token (LE), no length |
//! | padded intermediate | 4-byte LE length of payload + padding; payload; 0..=15 random bytes | length `\| 0x8000_0000` | a packet `0xffffffff ‖ token ‖ 0..=7 random bytes` (also accepted: the bare token, as intermediate) |
//! | full | 4-byte LE length of the whole packet (payload + 12); 4-byte LE sequence number; payload; CRC32 of all before it | none | none |
//!
//! Sources for quick acks: the spec page's per-transport sections (the
//! current version on `blogfork.telegram.org/mtproto/mtproto-transports`,
//! which describes the `0xff` long form, the byte-swapped abridged reply and
//! the padded `0xffffffff` reply), tdlib's `TcpTransport.cpp` (an
//! intermediate or padded length with the top bit set *is* a quick ack) and
//! `Transport.cpp` (a short payload `-1 ‖ token` is a quick ack, `0` is a
//! no-op), and the official MTProxy (`mtproto-proxy.c`,
//! `push_rpc_confirmation`: on padded connections the reply is either the
//! bare token or a `-1 ‖ token` packet followed by a short zero-led filler
//! packet). The spec lists quick acks for abridged and both intermediates
//! only; full has none here ([`FramingCodec::supports_quick_ack`]).
//!
//! The padded reply keeps its payload below 16 bytes and transport errors
//! under padded intermediate carry at most 11 padding bytes, so tdlib's
//! reader, which treats payloads shorter than 16 bytes as control packets,
//! reads both correctly.
//!
//! # Control payloads (client side)
//!
//! A payload shorter than 72 bytes (the smallest encrypted message: 8-byte
//! `auth_key_id`, 16-byte `msg_key`, 48 encrypted bytes) whose first 32-bit
//! word is negative cannot be an MTProto message, so a client codec reads it
//! as a control packet: `-1 ‖ token` (8 bytes or more) is
//! [`Inbound::QuickAck`], any other negative word is
//! [`Inbound::TransportError`] (`/mtproto/mtproto-transports`, "Transport
//! errors": a 4-byte negative little-endian code, framed as a payload). A
//! payload shorter than 24 bytes (the smallest plain message: 20-byte header
//! and a constructor id) whose first word is 0 is MTProxy's filler and is
//! dropped silently. Payloads under 4 bytes are invalid on the client side.
//!
//! # Strictness
//!
//! Empty packets are refused; so are abridged long lengths below `0x7f`
//! words ("overlong encoding", refused by MTProxy as well) and, outside
//! padded intermediate, lengths that are not whole 4-byte words (MTProto
//! payloads always are; MTProxy refuses those too). Encoders take payloads
//! of whole words only.
//!
//! # Padding
//!
//! Received padded-intermediate padding stays in the payload: the transport
//! cannot know where the message ends. [`crate::envelope::open_plain`]
//! tolerates up to 15 trailing bytes, and
//! [`strip_padded_intermediate_padding`] cuts an encrypted message down to
//! its real length.
//!
//! # Errors
//!
//! Every decoding error is fatal and sticky: later [`FramingCodec::feed`] and
//! encode calls return the same error. Packets decoded before the error stay
//! available from [`FramingCodec::poll`]. Encoding errors caused by bad
//! arguments (a payload too large, a call for the other role) change nothing
//! and are not sticky.

mod abridged;
mod full;
mod intermediate;
mod quick_ack;
#[cfg(test)]
mod tests;

pub use quick_ack::{DEFAULT_QUICK_ACK_CAPACITY, QuickAckTracker, quick_ack_token};

use std::collections::VecDeque;

use super::buffer::StreamBuffer;
use super::{FramingKind, Inbound, Role};
use crate::error::TransportError;
use crate::rand::SecureRandom;

/// The most random padding a padded-intermediate packet carries
/// (`/mtproto/mtproto-transports`, "Padded intermediate": 0-15 bytes).
pub const MAX_PADDING: usize = 15;

/// The most padding a padded-intermediate quick-ack reply carries after the
/// token: 7 bytes keeps the payload (`0xffffffff ‖ token ‖ padding`) below 16
/// bytes (the spec allows up to 8; tdlib reads only payloads shorter than 16
/// bytes as control packets).
pub const MAX_QUICK_ACK_PADDING: usize = 7;

/// The most padding a padded-intermediate transport error carries after its
/// 4-byte code: 11 bytes keeps the payload below 16 bytes (see
/// [`MAX_QUICK_ACK_PADDING`]).
pub const MAX_TRANSPORT_ERROR_PADDING: usize = 11;

/// The smallest plain message: 20-byte header and a 4-byte constructor id
/// (`/mtproto/description`, "Unencrypted Message").
const MIN_PLAIN_MESSAGE: usize = 24;

/// The smallest encrypted message: `auth_key_id` (8), `msg_key` (16), and 48
/// encrypted bytes (a 32-byte header and at least 12 bytes of padding,
/// rounded to 16) (`/mtproto/description`, "Encrypted Message").
const MIN_ENCRYPTED_MESSAGE: usize = 72;

/// Bytes the receive buffer holds beyond `max_frame`: the largest packet
/// overhead (full: 12 bytes; padded intermediate: 4 + 15) with room to spare.
const BUFFER_SLACK: usize = 32;

/// The one-time header a client sends before its first packet
/// (`/mtproto/mtproto-transports`: `0xef` abridged, `0xeeeeeeee`
/// intermediate, `0xdddddddd` padded intermediate; full has none).
///
/// Under obfuscation it is not sent: the init carries
/// [`FramingKind::obfuscation_tag`] instead.
pub fn header_bytes(kind: FramingKind) -> &'static [u8] {
    match kind {
        FramingKind::Abridged => &[0xef],
        FramingKind::Intermediate => &[0xee; 4],
        FramingKind::PaddedIntermediate => &[0xdd; 4],
        FramingKind::Full => &[],
    }
}

/// The largest payload each framing can express, to which `max_frame` is
/// clamped: abridged counts 4-byte words in 3 bytes; the others use 31 bits
/// (the top bit of a length is the quick-ack flag).
fn framing_limit(kind: FramingKind) -> usize {
    let limit: u64 = match kind {
        FramingKind::Abridged => 0x00ff_ffff * 4,
        FramingKind::Intermediate => 0x7fff_fffc,
        FramingKind::PaddedIntermediate => 0x7fff_fffc - MAX_PADDING as u64,
        FramingKind::Full => 0x7fff_fffc - full::OVERHEAD as u64,
    };
    usize::try_from(limit).unwrap_or(usize::MAX)
}

/// Little-endian `u32` at `at`, if the input is long enough.
fn read_u32_le(data: &[u8], at: usize) -> Option<u32> {
    let bytes = data.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(bytes.try_into().ok()?))
}

/// What a per-framing parser found at the front of the input.
#[derive(Debug)]
enum Parsed {
    /// The next frame needs this many bytes in total (from the front).
    Need(usize),
    /// A whole frame of `len` bytes; `item` is `None` for frames that carry
    /// nothing (MTProxy filler).
    Frame { len: usize, item: Option<Inbound> },
}

/// Receive-side state, kept apart from the buffer so a parser can borrow
/// both.
#[derive(Clone, Debug)]
struct RecvState {
    kind: FramingKind,
    role: Role,
    max_frame: usize,
    /// Full: the sequence number the next received packet must carry.
    next_seq: u32,
}

impl RecvState {
    fn parse(&mut self, data: &[u8]) -> Result<Parsed, TransportError> {
        match self.kind {
            FramingKind::Abridged => abridged::parse(self.role, self.max_frame, data),
            FramingKind::Intermediate => {
                intermediate::parse(self.role, self.max_frame, false, data)
            }
            FramingKind::PaddedIntermediate => {
                intermediate::parse(self.role, self.max_frame, true, data)
            }
            FramingKind::Full => full::parse(self.role, self.max_frame, &mut self.next_seq, data),
        }
    }
}

/// What a decoded payload means, by role (see the module docs, "Control
/// payloads"). The server side delivers every payload as a packet.
fn classify(
    role: Role,
    payload: &[u8],
    quick_ack: bool,
) -> Result<Option<Inbound>, TransportError> {
    if role == Role::Server {
        return Ok(Some(Inbound::Packet {
            payload: payload.to_vec(),
            quick_ack,
        }));
    }
    let Some(word) = read_u32_le(payload, 0) else {
        return Err(TransportError::InvalidFrame(format!(
            "a {}-byte payload: expected at least 4 bytes",
            payload.len()
        )));
    };
    // Reinterpreting the bits: transport errors are negative int32s.
    let word = word as i32;
    if payload.len() < MIN_ENCRYPTED_MESSAGE {
        if word == -1 {
            if let Some(token) = read_u32_le(payload, 4) {
                return Ok(Some(Inbound::QuickAck { token }));
            }
        }
        if word < 0 {
            return Ok(Some(Inbound::TransportError { code: word }));
        }
        if word == 0 && payload.len() < MIN_PLAIN_MESSAGE {
            return Ok(None);
        }
    }
    Ok(Some(Inbound::Packet {
        payload: payload.to_vec(),
        quick_ack: false,
    }))
}

/// Cut padded-intermediate padding off a received payload, using the
/// envelope's own length information (`/mtproto/description`):
///
/// - `auth_key_id` 0 (plain message): 20 header bytes plus its
///   `message_data_length`;
/// - otherwise (encrypted): 24 header bytes plus the rest rounded down to a
///   multiple of 16 (the encrypted part is whole AES blocks and padding is
///   at most 15 bytes).
///
/// Input too short or inconsistent for that is returned unchanged, for the
/// envelope layer to reject.
pub fn strip_padded_intermediate_padding(payload: &[u8]) -> &[u8] {
    let Some(auth_key_id) = payload.get(..8) else {
        return payload;
    };
    let end = if auth_key_id.iter().all(|&b| b == 0) {
        match read_u32_le(payload, 16) {
            Some(len) => 20usize.saturating_add(len as usize),
            None => return payload,
        }
    } else {
        match payload.len().checked_sub(24) {
            Some(rest) => 24 + rest / 16 * 16,
            None => return payload,
        }
    };
    payload.get(..end).unwrap_or(payload)
}

/// A streaming codec for one framing and one role: bytes in, [`Inbound`]s
/// out; payloads in, bytes to write out.
///
/// Decoding: call [`feed`](Self::feed) with whatever the socket (or the
/// deobfuscation layer) delivered, split anywhere, then drain
/// [`poll`](Self::poll). Encoding: [`encode_packet`](Self::encode_packet)
/// (either role), [`encode_quick_ack`](Self::encode_quick_ack) and
/// [`encode_transport_error`](Self::encode_transport_error) (server). Write
/// the returned bytes in call order: the full framing numbers its packets.
#[derive(Clone, Debug)]
pub struct FramingCodec {
    recv: RecvState,
    buf: StreamBuffer,
    out: VecDeque<Inbound>,
    /// Full: the sequence number of the next packet sent.
    send_seq: u32,
    error: Option<TransportError>,
}

impl FramingCodec {
    /// A codec for `kind` on the `role` end of a connection, refusing
    /// payloads over `max_frame` bytes in both directions (usually
    /// [`super::DEFAULT_MAX_FRAME`]; clamped to what the framing can
    /// express). Padded-intermediate packets may exceed it by their padding.
    ///
    /// The one-time header ([`header_bytes`]) is not part of the codec's
    /// stream: send or consume it separately.
    pub fn new(kind: FramingKind, role: Role, max_frame: usize) -> Self {
        let max_frame = max_frame.min(framing_limit(kind));
        FramingCodec {
            recv: RecvState {
                kind,
                role,
                max_frame,
                next_seq: 0,
            },
            buf: StreamBuffer::new(max_frame.saturating_add(BUFFER_SLACK)),
            out: VecDeque::new(),
            send_seq: 0,
            error: None,
        }
    }

    /// The framing.
    pub fn kind(&self) -> FramingKind {
        self.recv.kind
    }

    /// The end of the connection this codec serves.
    pub fn role(&self) -> Role {
        self.recv.role
    }

    /// The largest payload accepted (after clamping).
    pub fn max_frame(&self) -> usize {
        self.recv.max_frame
    }

    /// The one-time header of this codec's framing ([`header_bytes`]).
    pub fn header(&self) -> &'static [u8] {
        header_bytes(self.recv.kind)
    }

    /// Whether the framing has quick acks (all but full; see the module
    /// docs).
    pub fn supports_quick_ack(&self) -> bool {
        self.recv.kind != FramingKind::Full
    }

    /// The fatal error the codec stopped on, if any.
    pub fn error(&self) -> Option<&TransportError> {
        self.error.as_ref()
    }

    /// Bytes received but not yet decoded (part of a frame).
    pub fn buffered_len(&self) -> usize {
        self.buf.len()
    }

    /// Feed received bytes (any amount, split anywhere), then drain
    /// [`poll`](Self::poll).
    ///
    /// Errors (all fatal and sticky): [`TransportError::FrameTooLarge`] for a
    /// declared length above the maximum (found from the length alone,
    /// before buffering the frame), [`TransportError::InvalidFrame`],
    /// [`TransportError::BadCrc`] and [`TransportError::BadSequence`] (full).
    pub fn feed(&mut self, input: &[u8]) -> Result<(), TransportError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let result = self.feed_inner(input);
        if let Err(e) = &result {
            self.error = Some(e.clone());
        }
        result
    }

    fn feed_inner(&mut self, mut input: &[u8]) -> Result<(), TransportError> {
        loop {
            if self.buf.is_empty() {
                // Whole frames straight from the input; only an incomplete
                // tail is copied into the buffer. The parser has checked the
                // tail's declared length, so it fits.
                while let Parsed::Frame { len, item } = self.recv.parse(input)? {
                    self.out.extend(item);
                    input = input.get(len..).unwrap_or_default();
                }
                return self.buf.push(input);
            }
            match self.recv.parse(self.buf.as_slice())? {
                Parsed::Frame { len, item } => {
                    self.out.extend(item);
                    self.buf.consume(len);
                }
                Parsed::Need(total) => {
                    if input.is_empty() {
                        return Ok(());
                    }
                    // Top the buffer up to exactly what the frame (or its
                    // length field) needs, then parse again.
                    let want = total.saturating_sub(self.buf.len()).max(1);
                    let (head, rest) = input
                        .split_at_checked(want.min(input.len()))
                        .unwrap_or((input, &[]));
                    self.buf.push(head)?;
                    input = rest;
                }
            }
        }
    }

    /// The next decoded item, in arrival order.
    pub fn poll(&mut self) -> Option<Inbound> {
        self.out.pop_front()
    }

    fn check_open(&self) -> Result<(), TransportError> {
        match &self.error {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    fn require_role(&self, role: Role, what: &str) -> Result<(), TransportError> {
        if self.recv.role == role {
            Ok(())
        } else {
            Err(TransportError::InvalidState(format!(
                "{what} is for the {role:?} side; this codec is {:?}",
                self.recv.role
            )))
        }
    }

    fn require_quick_ack(&self) -> Result<(), TransportError> {
        if self.supports_quick_ack() {
            Ok(())
        } else {
            Err(TransportError::InvalidState(
                "the full transport has no quick acks".into(),
            ))
        }
    }

    /// Random padding of `0..=max` bytes (the length drawn from one random
    /// byte) for padded intermediate; none for the other framings.
    fn random_padding(
        &self,
        max: usize,
        rng: &mut dyn SecureRandom,
    ) -> Result<Vec<u8>, TransportError> {
        if self.recv.kind != FramingKind::PaddedIntermediate {
            return Ok(Vec::new());
        }
        let random_failed = |e| TransportError::InvalidState(format!("cannot draw padding: {e}"));
        let mut n = [0u8; 1];
        rng.fill(&mut n).map_err(random_failed)?;
        let [n] = n;
        let mut padding = vec![0u8; usize::from(n) % (max + 1)];
        rng.fill(&mut padding).map_err(random_failed)?;
        Ok(padding)
    }

    fn check_padding(&self, padding: &[u8], max: usize) -> Result<(), TransportError> {
        if self.recv.kind == FramingKind::PaddedIntermediate {
            if padding.len() > max {
                return Err(TransportError::InvalidFrame(format!(
                    "{} padding bytes: at most {max} allowed here",
                    padding.len()
                )));
            }
        } else if !padding.is_empty() {
            return Err(TransportError::InvalidState(format!(
                "{:?} framing carries no padding",
                self.recv.kind
            )));
        }
        Ok(())
    }

    /// Frame one MTProto payload for sending, with random padding under
    /// padded intermediate.
    ///
    /// `quick_ack` (client only, not under full) asks the server to
    /// acknowledge receipt ([`quick_ack_token`] gives the token to expect).
    ///
    /// Errors: an empty payload, or one that is not whole 4-byte words
    /// ([`TransportError::InvalidFrame`]); one above the maximum
    /// ([`TransportError::FrameTooLarge`]); `quick_ack` on the server or under
    /// full, or a failing random source ([`TransportError::InvalidState`]).
    pub fn encode_packet(
        &mut self,
        payload: &[u8],
        quick_ack: bool,
        rng: &mut dyn SecureRandom,
    ) -> Result<Vec<u8>, TransportError> {
        self.check_open()?;
        self.check_payload(payload, quick_ack)?;
        let padding = self.random_padding(MAX_PADDING, rng)?;
        Ok(self.frame(&[payload, &padding], quick_ack))
    }

    /// [`encode_packet`](Self::encode_packet) with the padding given (padded
    /// intermediate: 0..=15 bytes; other framings: empty), for tests and
    /// vectors.
    pub fn encode_packet_with_padding(
        &mut self,
        payload: &[u8],
        quick_ack: bool,
        padding: &[u8],
    ) -> Result<Vec<u8>, TransportError> {
        self.check_open()?;
        self.check_payload(payload, quick_ack)?;
        self.check_padding(padding, MAX_PADDING)?;
        Ok(self.frame(&[payload, padding], quick_ack))
    }

    fn check_payload(&self, payload: &[u8], quick_ack: bool) -> Result<(), TransportError> {
        if quick_ack {
            self.require_role(Role::Client, "asking for a quick ack")?;
            self.require_quick_ack()?;
        }
        if payload.is_empty() || payload.len() % 4 != 0 {
            return Err(TransportError::InvalidFrame(format!(
                "a {}-byte payload: expected a positive multiple of 4 bytes",
                payload.len()
            )));
        }
        if payload.len() > self.recv.max_frame {
            return Err(TransportError::FrameTooLarge {
                len: payload.len(),
                max: self.recv.max_frame,
            });
        }
        Ok(())
    }

    /// Server: the quick-ack reply for `token` (top bit set, as
    /// [`quick_ack_token`] makes it), with random padding under padded
    /// intermediate. Send it once the packet that asked for it was accepted.
    ///
    /// Errors ([`TransportError::InvalidState`]): a client codec, the full
    /// framing, a failing random source; a token without its top bit
    /// ([`TransportError::InvalidFrame`]).
    pub fn encode_quick_ack(
        &mut self,
        token: u32,
        rng: &mut dyn SecureRandom,
    ) -> Result<Vec<u8>, TransportError> {
        self.check_quick_ack(token)?;
        let padding = self.random_padding(MAX_QUICK_ACK_PADDING, rng)?;
        Ok(self.quick_ack_bytes(token, &padding))
    }

    /// [`encode_quick_ack`](Self::encode_quick_ack) with the padding given
    /// (padded intermediate: 0..=7 bytes; other framings: empty).
    pub fn encode_quick_ack_with_padding(
        &mut self,
        token: u32,
        padding: &[u8],
    ) -> Result<Vec<u8>, TransportError> {
        self.check_quick_ack(token)?;
        self.check_padding(padding, MAX_QUICK_ACK_PADDING)?;
        Ok(self.quick_ack_bytes(token, padding))
    }

    fn check_quick_ack(&self, token: u32) -> Result<(), TransportError> {
        self.check_open()?;
        self.require_role(Role::Server, "a quick-ack reply")?;
        self.require_quick_ack()?;
        if token & 0x8000_0000 == 0 {
            return Err(TransportError::InvalidFrame(format!(
                "quick-ack token {token:#010x} lacks its top bit"
            )));
        }
        Ok(())
    }

    fn quick_ack_bytes(&mut self, token: u32, padding: &[u8]) -> Vec<u8> {
        match self.recv.kind {
            // A bare 4-byte value no length can be mistaken for: big-endian
            // puts the top bit in the first byte, where abridged lengths are
            // below 0x80.
            FramingKind::Abridged => token.to_be_bytes().to_vec(),
            FramingKind::Intermediate | FramingKind::Full => token.to_le_bytes().to_vec(),
            FramingKind::PaddedIntermediate => self.frame(
                &[&u32::MAX.to_le_bytes(), &token.to_le_bytes(), padding],
                false,
            ),
        }
    }

    /// Server: a transport error packet (`/mtproto/mtproto-transports`,
    /// "Transport errors"): the negative `code` (-404, -429, -444, ...) as a
    /// 4-byte payload, with random padding under padded intermediate.
    ///
    /// Errors: a client codec, a failing random source
    /// ([`TransportError::InvalidState`]); a code that is not negative, or
    /// -1, which reads as a quick ack ([`TransportError::InvalidFrame`]).
    pub fn encode_transport_error(
        &mut self,
        code: i32,
        rng: &mut dyn SecureRandom,
    ) -> Result<Vec<u8>, TransportError> {
        self.check_transport_error(code)?;
        let padding = self.random_padding(MAX_TRANSPORT_ERROR_PADDING, rng)?;
        Ok(self.frame(&[&code.to_le_bytes(), &padding], false))
    }

    /// [`encode_transport_error`](Self::encode_transport_error) with the
    /// padding given (padded intermediate: 0..=11 bytes; other framings:
    /// empty).
    pub fn encode_transport_error_with_padding(
        &mut self,
        code: i32,
        padding: &[u8],
    ) -> Result<Vec<u8>, TransportError> {
        self.check_transport_error(code)?;
        self.check_padding(padding, MAX_TRANSPORT_ERROR_PADDING)?;
        Ok(self.frame(&[&code.to_le_bytes(), padding], false))
    }

    fn check_transport_error(&self, code: i32) -> Result<(), TransportError> {
        self.check_open()?;
        self.require_role(Role::Server, "a transport error")?;
        if code >= 0 || code == -1 {
            return Err(TransportError::InvalidFrame(format!(
                "transport error code {code}: expected a negative code other than -1"
            )));
        }
        Ok(())
    }

    /// One packet whose body is `parts` concatenated (already checked:
    /// whole words unless padded, within the maximum).
    fn frame(&mut self, parts: &[&[u8]], quick_ack: bool) -> Vec<u8> {
        let body_len: usize = parts.iter().map(|p| p.len()).sum();
        let mut out = Vec::with_capacity(body_len + full::OVERHEAD);
        match self.recv.kind {
            FramingKind::Abridged => abridged::write_header(&mut out, body_len, quick_ack),
            FramingKind::Intermediate | FramingKind::PaddedIntermediate => {
                intermediate::write_header(&mut out, body_len, quick_ack)
            }
            FramingKind::Full => {
                let seq = self.send_seq;
                self.send_seq = seq.wrapping_add(1);
                return full::write_packet(out, seq, parts);
            }
        }
        for part in parts {
            out.extend_from_slice(part);
        }
        out
    }
}
