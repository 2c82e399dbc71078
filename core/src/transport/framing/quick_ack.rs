//! Quick-ack tokens and the client's table of tokens it waits for
//! (`/mtproto/mtproto-transports`, "Quick ack").

use std::collections::VecDeque;

/// How many quick-ack requests a [`QuickAckTracker`] remembers by default.
pub const DEFAULT_QUICK_ACK_CAPACITY: usize = 1024;

/// The quick-ack token of an encrypted packet: the first 32 bits of its
/// `msg_key_large` (SHA-256 of the auth key part and the plaintext with
/// padding, [`crate::crypto::kdf::msg_key_large_v2`] with the sender's
/// direction) read little-endian, with the top bit set
/// (`ack_token = msg_key_large[0..4] | 1 << 31`).
///
/// The client computes it when sending with a quick-ack request; the server
/// computes the same value when it accepts the packet and sends it back.
pub fn quick_ack_token(msg_key_large: &[u8; 32]) -> u32 {
    let [a, b, c, d, ..] = *msg_key_large;
    u32::from_le_bytes([a, b, c, d]) | 0x8000_0000
}

/// Client side: which sent packet each expected quick-ack token belongs to.
///
/// Record `(token, tag)` when sending a packet with a quick-ack request
/// (the tag is the caller's, for instance a request id), and resolve each
/// [`crate::transport::Inbound::QuickAck`] to its tag. At most `capacity`
/// entries are kept; beyond that the oldest is forgotten (a server that
/// never acknowledges costs bounded memory).
#[derive(Clone, Debug)]
pub struct QuickAckTracker<T = u64> {
    pending: VecDeque<(u32, T)>,
    capacity: usize,
}

impl<T> Default for QuickAckTracker<T> {
    fn default() -> Self {
        Self::new(DEFAULT_QUICK_ACK_CAPACITY)
    }
}

impl<T> QuickAckTracker<T> {
    /// A tracker remembering at most `capacity` tokens (at least 1).
    pub fn new(capacity: usize) -> Self {
        QuickAckTracker {
            pending: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    /// Remember that `token` acknowledges the packet tagged `tag`. Returns
    /// the tag of the entry forgotten to make room, if any.
    pub fn insert(&mut self, token: u32, tag: T) -> Option<T> {
        let evicted = if self.pending.len() >= self.capacity {
            self.pending.pop_front().map(|(_, t)| t)
        } else {
            None
        };
        self.pending.push_back((token, tag));
        evicted
    }

    /// The tag of the packet `token` acknowledges, removing it; `None` for a
    /// token never recorded, already resolved or forgotten. If two pending
    /// packets share a token (a 2^-31 chance), the older one is resolved
    /// first.
    pub fn resolve(&mut self, token: u32) -> Option<T> {
        let at = self.pending.iter().position(|(t, _)| *t == token)?;
        self.pending.remove(at).map(|(_, tag)| tag)
    }

    /// How many tokens are pending.
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    /// Whether no token is pending.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// The most tokens kept.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Forget every pending token (for instance when the connection closes:
    /// acks never cross connections).
    pub fn clear(&mut self) {
        self.pending.clear();
    }
}
