//! Transport obfuscation, "obfuscated2" (`/mtproto/mtproto-transports`,
//! "Transport obfuscation"), for both roles, with optional MTProxy secrets
//! ([`ProxySecret`]).
//!
//! The client starts the connection with a 64-byte init:
//!
//! ```text
//!  0      8                          40               56    60   62   64
//!  | rand | encrypt key (32)          | encrypt iv (16) | tag | dc | rand |
//! ```
//!
//! - random bytes, re-drawn until the first byte is not `0xef`, the first
//!   word is none of `HEAD`, `POST`, `GET `, `OPTI`, `0x02010316` (the bytes
//!   `16 03 01 02`, a fake-TLS ClientHello), `0xdddddddd`, `0xeeeeeeee`, and
//!   the second word is not zero (so a server can tell it from every plain
//!   transport; tdlib `ObfuscatedTransport::init`);
//! - the protocol tag of the framing inside ([`FramingKind::obfuscation_tag`])
//!   at 56..60 and the DC id (`i16` little-endian) at 60..62;
//! - client → server: key `init[8..40]`, iv `init[40..56]`; server → client:
//!   the same bytes taken from `init[8..56]` reversed. With a proxy secret,
//!   each key becomes `SHA256(key ‖ secret)`;
//! - one AES-256-CTR keystream per direction for the whole connection. The
//!   client encrypts the init with its stream and sends `init[0..56]` in
//!   clear followed by the encrypted `init[56..64]`, so its stream has used 64
//!   bytes before the first payload; the server decrypts the whole received
//!   init with its receiving stream, with the same effect.
//!
//! The server side ([`server_accept`]) tries each accepted secret (and, if
//! allowed, no secret) until the decrypted tag names a framing, as MTProxy's
//! `tcp_rpcs_compact_parse_execute` does.

mod secret;

pub use secret::{FAKE_TLS_PREFIX, MAX_DOMAIN_LEN, PADDED_PREFIX, ProxySecret, SecretKey};

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::crypto::aes_ctr::AesCtr256;
use crate::crypto::hash::sha256;
use crate::error::{Error, TransportError};
use crate::rand::SecureRandom;
use crate::transport::FramingKind;

/// Length of the obfuscated2 init.
pub const INIT_LEN: usize = 64;

/// First words (little-endian) a client init may not start with: the HTTP
/// verbs, the fake-TLS record start `16 03 01 02`, and the plain
/// padded-intermediate and intermediate tags.
pub const FORBIDDEN_FIRST_WORDS: [u32; 7] = [
    0x4441_4548, // "HEAD"
    0x5453_4f50, // "POST"
    0x2054_4547, // "GET "
    0x4954_504f, // "OPTI"
    0x0201_0316, // 16 03 01 02: a fake-TLS ClientHello
    0xdddd_dddd, // padded intermediate
    0xeeee_eeee, // intermediate
];

/// How often [`client_init`] re-draws a forbidden init before giving up (a
/// working CSPRNG needs more than one draw with probability about 1/256).
const MAX_DRAWS: usize = 64;

/// Whether `random` may start an obfuscated2 init: its first byte is not
/// `0xef` (abridged), its first word is not in [`FORBIDDEN_FIRST_WORDS`] and
/// its second word is not zero (full transport). Bytes 56..64 do not matter:
/// the tag and DC id replace them.
pub fn is_valid_init_random(random: &[u8; INIT_LEN]) -> bool {
    let word = |i: usize| {
        let mut w = [0u8; 4];
        if let Some(b) = random.get(i..i + 4) {
            w.copy_from_slice(b);
        }
        u32::from_le_bytes(w)
    };
    random.first() != Some(&0xef) && !FORBIDDEN_FIRST_WORDS.contains(&word(0)) && word(4) != 0
}

/// The AES-256-CTR keys and IVs of one side of an obfuscated2 connection.
/// Zeroized on drop; `Debug` does not print them.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct ObfuscationKeys {
    /// Key of the stream this side sends with.
    pub encrypt_key: [u8; 32],
    /// Initial counter block of the stream this side sends with.
    pub encrypt_iv: [u8; 16],
    /// Key of the stream this side receives with.
    pub decrypt_key: [u8; 32],
    /// Initial counter block of the stream this side receives with.
    pub decrypt_iv: [u8; 16],
}

impl core::fmt::Debug for ObfuscationKeys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ObfuscationKeys { .. }")
    }
}

/// Split `bytes` (48 of them: key then iv) into a key and iv, hashing the key
/// with the secret when there is one.
fn key_iv(bytes: &[u8], secret: Option<&SecretKey>) -> ([u8; 32], [u8; 16]) {
    let mut key = [0u8; 32];
    let mut iv = [0u8; 16];
    if let (Some(k), Some(v)) = (bytes.get(..32), bytes.get(32..48)) {
        key.copy_from_slice(k);
        iv.copy_from_slice(v);
    }
    if let Some(s) = secret {
        let hashed = sha256(&[&key, s.as_bytes()]);
        key.zeroize();
        key = hashed;
    }
    (key, iv)
}

impl ObfuscationKeys {
    /// The keys of the side that sent `init` (the client), optionally keyed
    /// by a proxy secret.
    pub fn for_client(init: &[u8; INIT_LEN], secret: Option<&SecretKey>) -> Self {
        let (encrypt_key, encrypt_iv) = key_iv(init.get(8..56).unwrap_or_default(), secret);
        let mut reversed = [0u8; 48];
        if let Some(src) = init.get(8..56) {
            reversed.copy_from_slice(src);
        }
        reversed.reverse();
        let (decrypt_key, decrypt_iv) = key_iv(&reversed, secret);
        reversed.zeroize();
        ObfuscationKeys {
            encrypt_key,
            encrypt_iv,
            decrypt_key,
            decrypt_iv,
        }
    }

    /// The keys of the side that received `init` (the server): the client's
    /// with the directions swapped.
    pub fn for_server(init: &[u8; INIT_LEN], secret: Option<&SecretKey>) -> Self {
        let c = Self::for_client(init, secret);
        ObfuscationKeys {
            encrypt_key: c.decrypt_key,
            encrypt_iv: c.decrypt_iv,
            decrypt_key: c.encrypt_key,
            decrypt_iv: c.encrypt_iv,
        }
    }
}

/// The two running AES-256-CTR streams of an obfuscated2 connection: every
/// byte sent goes through [`Obfuscation::encrypt`] and every byte received
/// through [`Obfuscation::decrypt`], in order, for the connection's whole
/// life.
#[derive(Debug)]
pub struct Obfuscation {
    encryptor: AesCtr256,
    decryptor: AesCtr256,
}

impl Obfuscation {
    /// Fresh streams (counters at the IVs) from `keys`.
    pub fn new(keys: &ObfuscationKeys) -> Self {
        Obfuscation {
            encryptor: AesCtr256::new(&keys.encrypt_key, &keys.encrypt_iv),
            decryptor: AesCtr256::new(&keys.decrypt_key, &keys.decrypt_iv),
        }
    }

    /// Encrypt outgoing bytes in place, continuing the sending stream.
    pub fn encrypt(&mut self, data: &mut [u8]) {
        self.encryptor.apply(data);
    }

    /// Decrypt incoming bytes in place, continuing the receiving stream.
    pub fn decrypt(&mut self, data: &mut [u8]) {
        self.decryptor.apply(data);
    }
}

/// A client's obfuscated2 start: the 64 bytes to send before anything else,
/// and the streams for everything after them. `Debug` prints neither (the
/// header holds the key material in clear).
pub struct ClientInit {
    /// The bytes to send first: `init[0..56]` in clear, then the encrypted
    /// `init[56..64]`.
    pub header: [u8; INIT_LEN],
    /// The streams; the sending one has already consumed 64 bytes.
    pub obfuscation: Obfuscation,
    /// The keys (for vectors and diagnostics).
    pub keys: ObfuscationKeys,
}

impl core::fmt::Debug for ClientInit {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ClientInit { .. }")
    }
}

/// Check that `framing` can run under obfuscation with `secret`.
fn check_framing(
    framing: FramingKind,
    secret: Option<&ProxySecret>,
) -> Result<[u8; 4], TransportError> {
    let tag = framing.obfuscation_tag().ok_or_else(|| {
        TransportError::Obfuscation(
            "expected abridged, intermediate or padded intermediate framing; full cannot be obfuscated"
                .into(),
        )
    })?;
    if secret.is_some_and(ProxySecret::requires_padding)
        && framing != FramingKind::PaddedIntermediate
    {
        return Err(TransportError::InvalidSecret(format!(
            "a dd or ee secret requires padded intermediate framing, found {framing:?}"
        )));
    }
    Ok(tag)
}

/// Build a client init from the 64 given random bytes (deterministic: for
/// vectors and tests). `random` must satisfy [`is_valid_init_random`]; bytes
/// 56..64 are replaced by the tag of `framing` and `dc_id`.
///
/// `dc_id` is written as is: negative for media DCs, +10000 for test DCs.
/// A `dd` or `ee` secret requires [`FramingKind::PaddedIntermediate`]; only
/// its 16 key bytes enter the key derivation.
pub fn client_init_with_random(
    random: &[u8; INIT_LEN],
    framing: FramingKind,
    dc_id: i16,
    secret: Option<&ProxySecret>,
) -> Result<ClientInit, TransportError> {
    let tag = check_framing(framing, secret)?;
    if !is_valid_init_random(random) {
        return Err(TransportError::Obfuscation(
            "expected init random bytes that no plain transport could start with (first byte not 0xef, \
             first word not HEAD/POST/GET /OPTI/16030102/dddddddd/eeeeeeee, second word not 0)"
                .into(),
        ));
    }
    let mut init = *random;
    if let Some(t) = init.get_mut(56..60) {
        t.copy_from_slice(&tag);
    }
    if let Some(d) = init.get_mut(60..62) {
        d.copy_from_slice(&dc_id.to_le_bytes());
    }
    let keys = ObfuscationKeys::for_client(&init, secret.map(ProxySecret::key));
    let mut obfuscation = Obfuscation::new(&keys);
    let mut encrypted = init;
    obfuscation.encrypt(&mut encrypted);
    let mut header = init;
    if let (Some(h), Some(e)) = (header.get_mut(56..), encrypted.get(56..)) {
        h.copy_from_slice(e);
    }
    init.zeroize();
    encrypted.zeroize();
    Ok(ClientInit {
        header,
        obfuscation,
        keys,
    })
}

/// Build a client init with randomness from `rng`, re-drawing until the
/// bytes satisfy [`is_valid_init_random`]. See [`client_init_with_random`].
///
/// Errors: the framing/secret combination is invalid
/// ([`TransportError`]), or the random source fails
/// ([`crate::CryptoError::RandomUnavailable`]).
pub fn client_init(
    rng: &mut dyn SecureRandom,
    framing: FramingKind,
    dc_id: i16,
    secret: Option<&ProxySecret>,
) -> Result<ClientInit, Error> {
    check_framing(framing, secret)?;
    let mut random = [0u8; INIT_LEN];
    for _ in 0..MAX_DRAWS {
        rng.fill(&mut random)?;
        if is_valid_init_random(&random) {
            let init = client_init_with_random(&random, framing, dc_id, secret);
            random.zeroize();
            return Ok(init?);
        }
    }
    random.zeroize();
    Err(TransportError::Obfuscation(format!(
        "the random source produced {MAX_DRAWS} forbidden inits in a row"
    ))
    .into())
}

/// Which secrets a server accepts on obfuscated2 connections.
#[derive(Clone, Copy, Debug)]
pub struct AcceptedSecrets<'a> {
    /// The secrets, tried in order.
    pub secrets: &'a [ProxySecret],
    /// Whether an init with no secret (plain obfuscated2, as Telegram's own
    /// servers take) is accepted too; it is tried after the secrets.
    pub allow_no_secret: bool,
}

/// What a server learned from a client's init.
#[derive(Debug)]
pub struct ServerInit {
    /// The framing the tag names.
    pub framing: FramingKind,
    /// The DC id the client asked for (negative: media; +10000: test).
    pub dc_id: i16,
    /// Index into [`AcceptedSecrets::secrets`] of the secret that matched, or
    /// `None` for a connection without a secret.
    pub secret_index: Option<usize>,
    /// The streams; the receiving one has already consumed the 64 init bytes.
    pub obfuscation: Obfuscation,
    /// The keys (for vectors and diagnostics).
    pub keys: ObfuscationKeys,
}

/// Server side: parse the 64-byte init a client sent, trying each accepted
/// secret (then no secret, if allowed) until the decrypted bytes 56..60 name
/// a framing. A `dd` or `ee` secret only matches an init whose tag is padded
/// intermediate.
///
/// None matching is [`TransportError::Obfuscation`] (a wrong secret, or not
/// obfuscated2 at all). Telling plain transports and HTTP apart comes before
/// this (see [`crate::transport::detect`]).
pub fn server_accept(
    init: &[u8; INIT_LEN],
    accepted: AcceptedSecrets<'_>,
) -> Result<ServerInit, TransportError> {
    let candidates = accepted
        .secrets
        .iter()
        .enumerate()
        .map(|(i, s)| (Some(i), Some(s)))
        .chain(accepted.allow_no_secret.then_some((None, None)));
    let mut padding_refused = false;
    for (index, secret) in candidates {
        let keys = ObfuscationKeys::for_server(init, secret.map(ProxySecret::key));
        let mut obfuscation = Obfuscation::new(&keys);
        let mut plain = *init;
        obfuscation.decrypt(&mut plain);
        let mut tag = [0u8; 4];
        let mut dc = [0u8; 2];
        if let (Some(t), Some(d)) = (plain.get(56..60), plain.get(60..62)) {
            tag.copy_from_slice(t);
            dc.copy_from_slice(d);
        }
        plain.zeroize();
        let Some(framing) = FramingKind::from_obfuscation_tag(tag) else {
            continue;
        };
        if secret.is_some_and(ProxySecret::requires_padding)
            && framing != FramingKind::PaddedIntermediate
        {
            padding_refused = true;
            continue;
        }
        return Ok(ServerInit {
            framing,
            dc_id: i16::from_le_bytes(dc),
            secret_index: index,
            obfuscation,
            keys,
        });
    }
    let tried = accepted.secrets.len() + usize::from(accepted.allow_no_secret);
    Err(TransportError::Obfuscation(if padding_refused {
        format!(
            "expected padded intermediate framing under a dd/ee secret; the init names another framing \
             (tried {tried} key(s))"
        )
    } else {
        format!(
            "expected an init whose protocol tag (bytes 56..60) names a framing under one of the \
             accepted keys; none does (tried {tried} key(s))"
        )
    }))
}

#[cfg(test)]
mod tests;
