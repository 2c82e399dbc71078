//! The client's fake-TLS ClientHello, byte for byte as tdlib sends it on
//! non-Apple platforms (`td/mtproto/TlsInit.cpp`, `TlsHello::get_default`):
//! a Chrome-like TLS 1.3 hello with GREASE, the SNI, an X25519 key share and
//! shuffled extensions, padded to 517 bytes.
//!
//! ```text
//! 16 03 01 02 00                 record: handshake, TLS 1.0, 512 bytes
//! 01 00 01 fc 03 03              ClientHello, 508 bytes, legacy version TLS 1.2
//! random[32]                     HMAC digest ^ time (see `build_client_hello`)
//! 20 session_id[32]
//! 00 20 GREASE(0) 13 01 13 02 13 03 c0 2b c0 2f c0 2c c0 30 cc a9 cc a8
//!       c0 13 c0 14 00 9c 00 9d 00 2f 00 35          16 cipher suites
//! 01 00                          one compression method: null
//! 01 93                          403 bytes of extensions:
//!   GREASE(2) 00 00              empty GREASE extension
//!   the 15 extensions below in a random order
//!   GREASE(3) 00 01 00           GREASE extension with one zero byte
//!   00 15 len zeros              padding up to 517 bytes in all
//! ```
//!
//! The 15 shuffled extensions, in their unshuffled order (index used by
//! [`ClientHelloRandom::extension_order`]):
//!
//! | # | extension | body |
//! |---|---|---|
//! | 0 | server_name (0) | `len+5 len+3 00 len domain` |
//! | 1 | status_request (5) | `01 00 00 00 00` |
//! | 2 | supported_groups (10) | `00 08 GREASE(4) 00 1d 00 17 00 18` |
//! | 3 | ec_point_formats (11) | `01 00` |
//! | 4 | signature_algorithms (13) | `00 10 04 03 08 04 04 01 05 03 08 05 05 01 08 06 06 01` |
//! | 5 | ALPN (16) | `00 0c 02 "h2" 08 "http/1.1"` |
//! | 6 | signed_certificate_timestamp (18) | empty |
//! | 7 | extended_master_secret (23) | empty |
//! | 8 | compress_certificate (27) | `02 00 02` |
//! | 9 | session_ticket (35) | empty |
//! | 10 | supported_versions (43) | `06 GREASE(6) 03 04 03 03` |
//! | 11 | psk_key_exchange_modes (45) | `01 01` |
//! | 12 | key_share (51) | `00 29 GREASE(4) 00 01 00 00 1d 00 20 key[32]` |
//! | 13 | application_settings (17513) | `00 03 02 "h2"` |
//! | 14 | renegotiation_info (65281) | `00` |
//!
//! `GREASE(i)` is two equal bytes, the i-th of 7 values drawn as tdlib's
//! `Grease::init` does ([`grease_values`]).

use super::curve::random_key_share;
use super::{RANDOM_OFFSET, hmac_sha256};
use crate::error::{Error, TransportError};
use crate::rand::SecureRandom;
use crate::time::UnixMillis;
use crate::transport::obfuscated::{MAX_DOMAIN_LEN, ProxySecret};

/// Length of the ClientHello record real clients send (and this one).
pub const CLIENT_HELLO_LEN: usize = 517;

/// How many GREASE values a hello uses.
pub const GREASE_COUNT: usize = 7;

/// How many extensions are shuffled.
pub const EXTENSION_COUNT: usize = 15;

/// The random parts of a ClientHello, drawn by [`ClientHelloRandom::generate`]
/// or given explicitly (vectors).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientHelloRandom {
    /// The legacy session id (32 random bytes, as browsers send).
    pub session_id: [u8; 32],
    /// Raw random bytes the GREASE values are made from ([`grease_values`]).
    pub grease_seed: [u8; GREASE_COUNT],
    /// The X25519 key share (a curve point; see
    /// [`super::key_share_from_candidate`]).
    pub key_share: [u8; 32],
    /// The order the 15 extensions appear in: a permutation of `0..15`.
    pub extension_order: [u8; EXTENSION_COUNT],
}

impl ClientHelloRandom {
    /// Draw every random part from `rng`: the session id, the GREASE seed, a
    /// key share on the curve, and a uniform shuffle of the extensions.
    pub fn generate(rng: &mut dyn SecureRandom) -> Result<Self, Error> {
        let mut session_id = [0u8; 32];
        rng.fill(&mut session_id)?;
        let mut grease_seed = [0u8; GREASE_COUNT];
        rng.fill(&mut grease_seed)?;
        let key_share = random_key_share(rng)?;
        let mut extension_order: [u8; EXTENSION_COUNT] = core::array::from_fn(|i| i as u8);
        // Fisher-Yates with rejection sampling: uniform.
        for i in (1..EXTENSION_COUNT).rev() {
            let bound = i as u8 + 1;
            let limit = 256 - 256 % u16::from(bound);
            let j = loop {
                let mut b = [0u8; 1];
                rng.fill(&mut b)?;
                let [byte] = b;
                if u16::from(byte) < limit {
                    break byte % bound;
                }
            };
            extension_order.swap(i, usize::from(j));
        }
        Ok(ClientHelloRandom {
            session_id,
            grease_seed,
            key_share,
            extension_order,
        })
    }
}

/// The GREASE values (RFC 8701) from raw random bytes, as tdlib and MTProxy
/// make them: each byte becomes `(b & 0xf0) | 0x0a`, and of each pair
/// (0,1), (2,3), (4,5) the second flips bit 4 if it equals the first, so
/// the two GREASE extensions and the two GREASE groups differ.
pub fn grease_values(seed: &[u8; GREASE_COUNT]) -> [u8; GREASE_COUNT] {
    let mut g = seed.map(|b| (b & 0xf0) + 0x0a);
    for i in (1..GREASE_COUNT).step_by(2) {
        if let (Some(&prev), Some(cur)) = (g.get(i - 1), g.get(i)) {
            if *cur == prev {
                let flipped = *cur ^ 0x10;
                if let Some(c) = g.get_mut(i) {
                    *c = flipped;
                }
            }
        }
    }
    g
}

/// A ClientHello ready to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientHello {
    /// The 517 bytes to send.
    pub bytes: Vec<u8>,
    /// The `random` field as sent (the client keeps it to check the server's
    /// answer with [`super::verify_server_hello`]).
    pub random: [u8; 32],
    /// `HMAC-SHA256(key, hello with random zeroed)`, before the time is mixed
    /// in (for vectors).
    pub digest: [u8; 32],
}

fn put_u16(out: &mut Vec<u8>, v: usize) {
    out.extend_from_slice(&(v as u16).to_be_bytes());
}

fn put_grease(out: &mut Vec<u8>, g: &[u8; GREASE_COUNT], i: usize) {
    let v = g.get(i).copied().unwrap_or(0x0a);
    out.extend_from_slice(&[v, v]);
}

fn put_extension(
    out: &mut Vec<u8>,
    index: u8,
    g: &[u8; GREASE_COUNT],
    domain: &[u8],
    key: &[u8; 32],
) {
    match index {
        0 => {
            out.extend_from_slice(&[0x00, 0x00]);
            put_u16(out, domain.len() + 5);
            put_u16(out, domain.len() + 3);
            out.push(0x00);
            put_u16(out, domain.len());
            out.extend_from_slice(domain);
        }
        1 => out.extend_from_slice(&[0x00, 0x05, 0x00, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00]),
        2 => {
            out.extend_from_slice(&[0x00, 0x0a, 0x00, 0x0a, 0x00, 0x08]);
            put_grease(out, g, 4);
            out.extend_from_slice(&[0x00, 0x1d, 0x00, 0x17, 0x00, 0x18]);
        }
        3 => out.extend_from_slice(&[0x00, 0x0b, 0x00, 0x02, 0x01, 0x00]),
        4 => out.extend_from_slice(&[
            0x00, 0x0d, 0x00, 0x12, 0x00, 0x10, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05, 0x03,
            0x08, 0x05, 0x05, 0x01, 0x08, 0x06, 0x06, 0x01,
        ]),
        5 => out.extend_from_slice(&[
            0x00, 0x10, 0x00, 0x0e, 0x00, 0x0c, 0x02, b'h', b'2', 0x08, b'h', b't', b't', b'p',
            b'/', b'1', b'.', b'1',
        ]),
        6 => out.extend_from_slice(&[0x00, 0x12, 0x00, 0x00]),
        7 => out.extend_from_slice(&[0x00, 0x17, 0x00, 0x00]),
        8 => out.extend_from_slice(&[0x00, 0x1b, 0x00, 0x03, 0x02, 0x00, 0x02]),
        9 => out.extend_from_slice(&[0x00, 0x23, 0x00, 0x00]),
        10 => {
            out.extend_from_slice(&[0x00, 0x2b, 0x00, 0x07, 0x06]);
            put_grease(out, g, 6);
            out.extend_from_slice(&[0x03, 0x04, 0x03, 0x03]);
        }
        11 => out.extend_from_slice(&[0x00, 0x2d, 0x00, 0x02, 0x01, 0x01]),
        12 => {
            out.extend_from_slice(&[0x00, 0x33, 0x00, 0x2b, 0x00, 0x29]);
            put_grease(out, g, 4);
            out.extend_from_slice(&[0x00, 0x01, 0x00, 0x00, 0x1d, 0x00, 0x20]);
            out.extend_from_slice(key);
        }
        13 => out.extend_from_slice(&[0x44, 0x69, 0x00, 0x05, 0x00, 0x03, 0x02, b'h', b'2']),
        _ => out.extend_from_slice(&[0xff, 0x01, 0x00, 0x01, 0x00]),
    }
}

fn is_permutation(order: &[u8; EXTENSION_COUNT]) -> bool {
    let mut seen = [false; EXTENSION_COUNT];
    for &i in order {
        match seen.get_mut(usize::from(i)) {
            Some(s) if !*s => *s = true,
            _ => return false,
        }
    }
    true
}

/// Build the ClientHello for an `ee` secret at time `now` from the given
/// random parts (deterministic: for vectors and tests).
///
/// `random = digest` with `random[28..32] ^= (now in seconds as u32).to_le_bytes()`,
/// where `digest = HMAC-SHA256(key, the 517 bytes with random zeroed)`
/// (tdlib `TlsHelloStore::finish`). Use the server's time as well as it is
/// known: servers refuse hellos outside a window of a few minutes.
///
/// Errors: the secret is not a fake-TLS one, or `extension_order` is not a
/// permutation of `0..15` ([`TransportError::InvalidSecret`] /
/// [`TransportError::FakeTls`]).
pub fn build_client_hello(
    secret: &ProxySecret,
    now: UnixMillis,
    random: &ClientHelloRandom,
) -> Result<ClientHello, TransportError> {
    let ProxySecret::FakeTls { key, domain } = secret else {
        return Err(TransportError::InvalidSecret(
            "expected an ee (fake TLS) secret for a ClientHello".into(),
        ));
    };
    if domain.len() > MAX_DOMAIN_LEN {
        return Err(TransportError::InvalidSecret(format!(
            "expected a domain of at most {MAX_DOMAIN_LEN} bytes, found {}",
            domain.len()
        )));
    }
    if !is_permutation(&random.extension_order) {
        return Err(TransportError::FakeTls(
            "expected an extension order that is a permutation of 0..15".into(),
        ));
    }
    let g = grease_values(&random.grease_seed);
    let mut out = Vec::with_capacity(CLIENT_HELLO_LEN);
    out.extend_from_slice(&[
        0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03,
    ]);
    out.extend_from_slice(&[0; 32]);
    out.push(0x20);
    out.extend_from_slice(&random.session_id);
    out.extend_from_slice(&[0x00, 0x20]);
    put_grease(&mut out, &g, 0);
    out.extend_from_slice(&[
        0x13, 0x01, 0x13, 0x02, 0x13, 0x03, 0xc0, 0x2b, 0xc0, 0x2f, 0xc0, 0x2c, 0xc0, 0x30, 0xcc,
        0xa9, 0xcc, 0xa8, 0xc0, 0x13, 0xc0, 0x14, 0x00, 0x9c, 0x00, 0x9d, 0x00, 0x2f, 0x00, 0x35,
        0x01, 0x00, 0x01, 0x93,
    ]);
    put_grease(&mut out, &g, 2);
    out.extend_from_slice(&[0x00, 0x00]);
    for &index in &random.extension_order {
        put_extension(&mut out, index, &g, domain.as_bytes(), &random.key_share);
    }
    put_grease(&mut out, &g, 3);
    out.extend_from_slice(&[0x00, 0x01, 0x00, 0x00, 0x15]);
    // Padding: its 2-byte length, then zeros up to 517 bytes. The fixed part
    // is 300 bytes plus the domain, so with at most 182 bytes of domain
    // there is always room (tdlib refuses more than 514 before padding).
    let pad = (CLIENT_HELLO_LEN - 2)
        .checked_sub(out.len())
        .ok_or_else(|| {
            TransportError::FakeTls("the domain leaves no room for the padding extension".into())
        })?;
    put_u16(&mut out, pad);
    out.resize(CLIENT_HELLO_LEN, 0);

    let digest = hmac_sha256(key, &[&out]);
    let mut field = digest;
    let time = (now.as_secs() as u32).to_le_bytes();
    for (d, t) in field.iter_mut().skip(28).zip(time) {
        *d ^= t;
    }
    if let Some(r) = out.get_mut(RANDOM_OFFSET..RANDOM_OFFSET + 32) {
        r.copy_from_slice(&field);
    }
    Ok(ClientHello {
        bytes: out,
        random: field,
        digest,
    })
}

/// Build the ClientHello for an `ee` secret at time `now` with randomness from
/// `rng` (see [`build_client_hello`]).
pub fn client_hello(
    secret: &ProxySecret,
    now: UnixMillis,
    rng: &mut dyn SecureRandom,
) -> Result<ClientHello, Error> {
    let random = ClientHelloRandom::generate(rng)?;
    Ok(build_client_hello(secret, now, &random)?)
}
