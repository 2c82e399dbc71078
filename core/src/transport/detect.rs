//! Server side: which transport a new connection speaks, from its first
//! bytes (`/mtproto/mtproto-transports`: "The server recognizes these
//! different protocols (and distinguishes them from HTTP, too) by the
//! header").
//!
//! The rules, in the order [`detect`] applies them, each using the fewest
//! bytes that decide it:
//!
//! 1. first byte `0xef` → [`Detection::Abridged`] (1 byte);
//! 2. first 32-bit word (4 bytes):
//!    - `0xeeeeeeee` → [`Detection::Intermediate`];
//!    - `0xdddddddd` → [`Detection::PaddedIntermediate`];
//!    - `POST`, `GET `, `HEAD`, `OPTI` → [`Detection::Http`]
//!      (`/mtproto/transports`);
//!    - bytes `16 03 01 02` (the word `0x02010316`) → [`Detection::FakeTls`]:
//!      a TLS handshake record of version 3.1 whose length is in
//!      `0x0200..=0x02ff`, which is what a fake-TLS client's 517-byte
//!      ClientHello starts with;
//! 3. second word (8 bytes): zero → [`Detection::Full`] (the full framing's
//!    first packet carries sequence number 0 there, after its length),
//!    anything else → [`Detection::Obfuscated2`].
//!
//! Obfuscated2 is what remains because its client guarantees it never
//! matches the rules above: the 64-byte init is redrawn while its first byte
//! is `0xef`, its first word is one of `0x44414548` (`HEAD`), `0x54534f50`
//! (`POST`), `0x20544547` (`GET `), `0x4954504f` (`OPTI`), `0x02010316`,
//! `0xdddddddd`, `0xeeeeeeee`, or its second word is zero (SPEC.md,
//! "Transports"; the spec page, "Transport obfuscation"). Conversely, a full
//! connection is told from obfuscated2 only by that zero second word: its
//! first word is the length of the first packet, which the full decoder
//! checks afterwards.
//!
//! Every decision depends only on the bytes it needs, so feeding a longer
//! prefix never changes a decision already made.

use super::FramingKind;

/// What [`detect`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Detection {
    /// Not enough bytes yet: call again once `needed` bytes have arrived.
    NeedMore {
        /// The prefix length that decides (or narrows) the question.
        needed: usize,
    },
    /// Abridged framing; the `0xef` byte is the header.
    Abridged,
    /// Intermediate framing; the 4-byte `0xeeeeeeee` is the header.
    Intermediate,
    /// Padded intermediate framing; the 4-byte `0xdddddddd` is the header.
    PaddedIntermediate,
    /// HTTP (`/mtproto/transports`): the bytes are the start of a request.
    Http,
    /// Fake TLS (`ee` proxy secrets): the bytes are a TLS ClientHello.
    FakeTls,
    /// Full framing, without header: the bytes are the first packet.
    Full,
    /// Obfuscated2: the bytes are the 64-byte init.
    Obfuscated2,
}

impl Detection {
    /// The framing the connection uses directly, if it is one of the four
    /// (obfuscated2 names its framing inside the init; fake TLS inside the
    /// obfuscated stream).
    pub fn framing(self) -> Option<FramingKind> {
        match self {
            Detection::Abridged => Some(FramingKind::Abridged),
            Detection::Intermediate => Some(FramingKind::Intermediate),
            Detection::PaddedIntermediate => Some(FramingKind::PaddedIntermediate),
            Detection::Full => Some(FramingKind::Full),
            _ => None,
        }
    }

    /// How many of the first bytes are a one-time header to drop before
    /// feeding the rest to the framing codec (1 for abridged, 4 for the
    /// intermediates, 0 otherwise: full, HTTP, fake TLS and obfuscated2
    /// consume their first bytes themselves).
    pub fn header_len(self) -> usize {
        match self {
            Detection::Abridged => 1,
            Detection::Intermediate | Detection::PaddedIntermediate => 4,
            _ => 0,
        }
    }
}

/// The first words that name a transport (little-endian, as on the wire).
const INTERMEDIATE: [u8; 4] = [0xee; 4];
const PADDED_INTERMEDIATE: [u8; 4] = [0xdd; 4];
const FAKE_TLS: [u8; 4] = [0x16, 0x03, 0x01, 0x02];
const HTTP_METHODS: [&[u8; 4]; 4] = [b"POST", b"GET ", b"HEAD", b"OPTI"];

/// Which transport a connection whose first bytes are `first_bytes` speaks
/// (see the module docs for the rules). Returns
/// [`Detection::NeedMore`] until it can decide: at most 8 bytes are needed.
pub fn detect(first_bytes: &[u8]) -> Detection {
    let Some(&first) = first_bytes.first() else {
        return Detection::NeedMore { needed: 1 };
    };
    if first == 0xef {
        return Detection::Abridged;
    }
    let Some(word) = first_bytes.first_chunk::<4>() else {
        return Detection::NeedMore { needed: 4 };
    };
    match *word {
        INTERMEDIATE => return Detection::Intermediate,
        PADDED_INTERMEDIATE => return Detection::PaddedIntermediate,
        FAKE_TLS => return Detection::FakeTls,
        _ if HTTP_METHODS.contains(&word) => return Detection::Http,
        _ => {}
    }
    match first_bytes.get(4..8) {
        None => Detection::NeedMore { needed: 8 },
        Some([0, 0, 0, 0]) => Detection::Full,
        Some(_) => Detection::Obfuscated2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_with_the_fewest_bytes() {
        let cases: &[(&[u8], Detection)] = &[
            (&[], Detection::NeedMore { needed: 1 }),
            (&[0xef], Detection::Abridged),
            (&[0xef, 0x01, 0, 0, 0], Detection::Abridged),
            (&[0xee], Detection::NeedMore { needed: 4 }),
            (&[0xee, 0xee, 0xee], Detection::NeedMore { needed: 4 }),
            (&[0xee; 4], Detection::Intermediate),
            (&[0xdd; 4], Detection::PaddedIntermediate),
            (b"POST /api HTTP/1.1", Detection::Http),
            (b"GET ", Detection::Http),
            (b"HEAD", Detection::Http),
            (b"OPTIONS", Detection::Http),
            (&[0x16, 0x03, 0x01, 0x02, 0x00], Detection::FakeTls),
            (&[0x16, 0x03, 0x01], Detection::NeedMore { needed: 4 }),
            // A full packet: length 16, sequence number 0.
            (&[16, 0, 0, 0], Detection::NeedMore { needed: 8 }),
            (&[16, 0, 0, 0, 0, 0, 0], Detection::NeedMore { needed: 8 }),
            (&[16, 0, 0, 0, 0, 0, 0, 0], Detection::Full),
            (&[16, 0, 0, 0, 0, 0, 0, 1], Detection::Obfuscated2),
            // Near misses of the reserved words are obfuscated2 inits.
            (
                &[0xee, 0xee, 0xee, 0xef, 1, 2, 3, 4],
                Detection::Obfuscated2,
            ),
            (b"POSTMAN!", Detection::Http),
            (b"PUT /api", Detection::Obfuscated2),
            (
                &[0x16, 0x03, 0x01, 0x03, 1, 1, 1, 1],
                Detection::Obfuscated2,
            ),
        ];
        for (bytes, want) in cases {
            assert_eq!(detect(bytes), *want, "{bytes:02x?}");
        }
    }

    #[test]
    fn decisions_never_change_with_more_bytes() {
        let streams: [&[u8]; 5] = [
            b"POST /api HTTP/1.1\r\n",
            &[0xef, 0x7f, 1, 2, 3, 4, 5, 6, 7],
            &[20, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4],
            &[0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc],
            &[0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x11],
        ];
        for s in streams {
            let last = detect(s);
            assert!(!matches!(last, Detection::NeedMore { .. }));
            for n in 0..s.len() {
                match detect(&s[..n]) {
                    Detection::NeedMore { needed } => assert!(needed > n),
                    d => assert_eq!(d, last, "{n}-byte prefix of {s:02x?}"),
                }
            }
        }
    }

    #[test]
    fn framing_and_header_len() {
        assert_eq!(Detection::Abridged.framing(), Some(FramingKind::Abridged));
        assert_eq!(Detection::Full.framing(), Some(FramingKind::Full));
        assert_eq!(Detection::Obfuscated2.framing(), None);
        assert_eq!(Detection::Abridged.header_len(), 1);
        assert_eq!(Detection::PaddedIntermediate.header_len(), 4);
        assert_eq!(Detection::Full.header_len(), 0);
        assert_eq!(Detection::Http.header_len(), 0);
    }
}
