//! Named 64- and 32-bit values of the message header, so that a salt is never
//! passed where a session id belongs (`/mtproto/description`).

/// A message identifier: roughly `unixtime · 2^32`, strictly increasing within
/// a session; ≡ 0 mod 4 from clients, 1 or 3 mod 4 from servers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MsgId(pub u64);

/// A session identifier, chosen at random by the client.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SessionId(pub u64);

/// A server salt: 64 bits the server sets and rotates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Salt(pub u64);

/// A message sequence number: twice the number of content-related messages
/// sent before, plus one if this one is content-related.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SeqNo(pub u32);
