//! MTProxy secrets: [`ProxySecret`] and its parsing.

use base64::Engine;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, GeneralPurpose as Gp};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::TransportError;

/// The longest fake-TLS domain accepted, in bytes. A longer domain would not
/// fit the fixed 517-byte ClientHello (tdlib `ProxySecret::MAX_DOMAIN_LENGTH`).
pub const MAX_DOMAIN_LEN: usize = 182;

/// The mode prefix of a secret that requires padded intermediate framing.
pub const PADDED_PREFIX: u8 = 0xdd;

/// The mode prefix of a fake-TLS secret.
pub const FAKE_TLS_PREFIX: u8 = 0xee;

/// The 16 key bytes of a proxy secret. Zeroized on drop; `Debug` does not
/// print them; equality is constant-time.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretKey([u8; 16]);

impl SecretKey {
    /// A key from its 16 bytes.
    pub fn new(bytes: [u8; 16]) -> Self {
        SecretKey(bytes)
    }

    /// The key bytes (for key derivation and HMAC keys).
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl PartialEq for SecretKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for SecretKey {}

impl core::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

/// A proxy secret (`/mtproto/mtproto-transports`, "Transport obfuscation";
/// the `dd` and `ee` prefixes as Telegram's clients read them, tdlib
/// `td/mtproto/ProxySecret.{h,cpp}`).
///
/// A secret is 16 key bytes, optionally behind a one-byte mode prefix:
///
/// | form | meaning |
/// |---|---|
/// | 16 bytes | [`ProxySecret::Simple`]: obfuscated2 keyed by the secret, any framing |
/// | `dd` ‖ 16 bytes | [`ProxySecret::PaddedRequired`]: the same keys, padded intermediate framing only |
/// | `ee` ‖ 16 bytes ‖ domain | [`ProxySecret::FakeTls`]: a fake TLS handshake for `domain` first, then padded intermediate |
///
/// Links (`tg://proxy?...&secret=...`) carry the secret as hex or as
/// base64url; both are accepted by [`ProxySecret::parse`].
#[derive(Clone, PartialEq, Eq)]
pub enum ProxySecret {
    /// 16 bytes: obfuscated2 keyed by the secret.
    Simple(SecretKey),
    /// `dd` ‖ 16 bytes: as `Simple`, and the client must use padded
    /// intermediate framing (`0xdddddddd`).
    PaddedRequired(SecretKey),
    /// `ee` ‖ 16 bytes ‖ domain: a fake TLS 1.3 handshake with the domain as
    /// SNI, then obfuscated2 with padded intermediate inside TLS records.
    FakeTls {
        /// The 16 key bytes.
        key: SecretKey,
        /// The domain the proxy imitates (a hostname, 1..=182 bytes).
        domain: String,
    },
}

impl core::fmt::Debug for ProxySecret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ProxySecret::Simple(_) => f.write_str("ProxySecret::Simple(..)"),
            ProxySecret::PaddedRequired(_) => f.write_str("ProxySecret::PaddedRequired(..)"),
            ProxySecret::FakeTls { domain, .. } => f
                .debug_struct("ProxySecret::FakeTls")
                .field("domain", domain)
                .finish_non_exhaustive(),
        }
    }
}

/// base64 as MTProxy links write it: URL-safe alphabet, padding optional.
const BASE64_URL: GeneralPurpose = Gp::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// base64 with the standard alphabet, padding optional (some links use it).
const BASE64_STD: GeneralPurpose = Gp::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() % 2 != 0 {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|pair| match pair {
            [hi, lo] => Some(nibble(*hi)? << 4 | nibble(*lo)?),
            _ => None,
        })
        .collect()
}

fn hex_encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        for n in [b >> 4, b & 15] {
            s.push(char::from(
                DIGITS.get(usize::from(n)).copied().unwrap_or(b'0'),
            ));
        }
    }
    s
}

/// Whether `domain` is acceptable as a fake-TLS SNI: 1..=182 bytes of UTF-8
/// with no control characters, spaces or NUL (MTProxy refuses a NUL in the
/// SNI, `get_sni_domain_info`).
pub(crate) fn check_domain(domain: &str) -> Result<(), String> {
    if domain.is_empty() {
        return Err("an empty domain".into());
    }
    if domain.len() > MAX_DOMAIN_LEN {
        return Err(format!(
            "a {}-byte domain (at most {MAX_DOMAIN_LEN})",
            domain.len()
        ));
    }
    if domain.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("a domain with control or space characters".into());
    }
    Ok(())
}

fn key_of(bytes: &[u8]) -> Option<SecretKey> {
    let arr: [u8; 16] = bytes.try_into().ok()?;
    Some(SecretKey(arr))
}

impl ProxySecret {
    /// Parse the binary form: 16 bytes, `dd` + 16 bytes, or `ee` + 16 bytes +
    /// domain. Anything else is [`TransportError::InvalidSecret`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, TransportError> {
        let invalid = |found: String| {
            TransportError::InvalidSecret(format!(
                "expected 16 bytes, 0xdd + 16 bytes, or 0xee + 16 bytes + domain; found {found}"
            ))
        };
        if let Some(key) = key_of(bytes) {
            return Ok(ProxySecret::Simple(key));
        }
        match bytes.split_first() {
            Some((&PADDED_PREFIX, rest)) => match key_of(rest) {
                Some(key) => Ok(ProxySecret::PaddedRequired(key)),
                None => Err(invalid(format!("0xdd + {} bytes", rest.len()))),
            },
            Some((&FAKE_TLS_PREFIX, rest)) if rest.len() > 16 => {
                let (k, d) = rest.split_at(16);
                let domain = core::str::from_utf8(d)
                    .map_err(|_| invalid("0xee + 16 bytes + a domain that is not UTF-8".into()))?;
                check_domain(domain).map_err(|e| invalid(format!("0xee + 16 bytes + {e}")))?;
                let key = key_of(k).ok_or_else(|| invalid("a truncated key".into()))?;
                Ok(ProxySecret::FakeTls {
                    key,
                    domain: domain.to_owned(),
                })
            }
            Some((&FAKE_TLS_PREFIX, rest)) => Err(invalid(format!(
                "0xee + {} bytes (no domain after the 16 key bytes)",
                rest.len()
            ))),
            Some((first, rest)) => Err(invalid(format!(
                "{} bytes starting with {first:#04x}",
                rest.len() + 1
            ))),
            None => Err(invalid("0 bytes".into())),
        }
    }

    /// Parse the text form a proxy link carries: hex (any case) or base64url
    /// (padding optional; the standard alphabet is accepted too), as tdlib's
    /// `ProxySecret::from_link` does. Surrounding whitespace is ignored.
    pub fn parse(text: &str) -> Result<Self, TransportError> {
        let text = text.trim();
        let decoded = hex_decode(text)
            .or_else(|| BASE64_URL.decode(text).ok())
            .or_else(|| BASE64_STD.decode(text).ok())
            .ok_or_else(|| {
                TransportError::InvalidSecret(format!(
                    "expected a hex or base64url secret, found {} characters that are neither",
                    text.len()
                ))
            })?;
        let mut decoded = decoded;
        let parsed = Self::from_bytes(&decoded);
        decoded.zeroize();
        parsed
    }

    /// A fake-TLS secret from its key and domain (checked as
    /// [`ProxySecret::from_bytes`] does).
    pub fn fake_tls(key: [u8; 16], domain: &str) -> Result<Self, TransportError> {
        check_domain(domain).map_err(|e| {
            TransportError::InvalidSecret(format!("expected a hostname, found {e}"))
        })?;
        Ok(ProxySecret::FakeTls {
            key: SecretKey(key),
            domain: domain.to_owned(),
        })
    }

    /// The 16 key bytes every form carries.
    pub fn key(&self) -> &SecretKey {
        match self {
            ProxySecret::Simple(k) | ProxySecret::PaddedRequired(k) => k,
            ProxySecret::FakeTls { key, .. } => key,
        }
    }

    /// The fake-TLS domain, if this is an `ee` secret.
    pub fn domain(&self) -> Option<&str> {
        match self {
            ProxySecret::FakeTls { domain, .. } => Some(domain),
            _ => None,
        }
    }

    /// Whether the client must use padded intermediate framing (`dd` and
    /// `ee` secrets; tdlib `ProxySecret::use_random_padding`).
    pub fn requires_padding(&self) -> bool {
        !matches!(self, ProxySecret::Simple(_))
    }

    /// Whether this is an `ee` (fake TLS) secret.
    pub fn is_fake_tls(&self) -> bool {
        matches!(self, ProxySecret::FakeTls { .. })
    }

    /// The binary form (prefix, key, domain). Contains the key: the caller
    /// should zeroize it when done.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(17 + MAX_DOMAIN_LEN);
        match self {
            ProxySecret::Simple(k) => out.extend_from_slice(k.as_bytes()),
            ProxySecret::PaddedRequired(k) => {
                out.push(PADDED_PREFIX);
                out.extend_from_slice(k.as_bytes());
            }
            ProxySecret::FakeTls { key, domain } => {
                out.push(FAKE_TLS_PREFIX);
                out.extend_from_slice(key.as_bytes());
                out.extend_from_slice(domain.as_bytes());
            }
        }
        out
    }

    /// The text form links use: base64url without padding for `ee` secrets,
    /// lowercase hex otherwise (tdlib `ProxySecret::get_encoded_secret`).
    pub fn to_link_form(&self) -> String {
        let mut raw = self.to_bytes();
        let text = if self.is_fake_tls() {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&raw)
        } else {
            hex_encode(&raw)
        };
        raw.zeroize();
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 16] = [
        0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee,
        0xff,
    ];

    #[test]
    fn three_forms_from_bytes() {
        let s = ProxySecret::from_bytes(&KEY).unwrap();
        assert_eq!(s, ProxySecret::Simple(SecretKey::new(KEY)));
        assert!(!s.requires_padding() && !s.is_fake_tls() && s.domain().is_none());

        let mut dd = vec![0xdd];
        dd.extend_from_slice(&KEY);
        let s = ProxySecret::from_bytes(&dd).unwrap();
        assert_eq!(s, ProxySecret::PaddedRequired(SecretKey::new(KEY)));
        assert!(s.requires_padding() && !s.is_fake_tls());
        assert_eq!(s.to_bytes(), dd);

        let mut ee = vec![0xee];
        ee.extend_from_slice(&KEY);
        ee.extend_from_slice(b"example.com");
        let s = ProxySecret::from_bytes(&ee).unwrap();
        assert_eq!(s.domain(), Some("example.com"));
        assert_eq!(s.key().as_bytes(), &KEY);
        assert!(s.requires_padding() && s.is_fake_tls());
        assert_eq!(s.to_bytes(), ee);
    }

    #[test]
    fn text_forms() {
        let hex = "dd00112233445566778899aabbccddeeff";
        let s = ProxySecret::parse(hex).unwrap();
        assert_eq!(s, ProxySecret::PaddedRequired(SecretKey::new(KEY)));
        assert_eq!(s.to_link_form(), hex);
        assert_eq!(ProxySecret::parse(&hex.to_uppercase()).unwrap(), s);

        let ee = ProxySecret::fake_tls(KEY, "www.google.com").unwrap();
        let link = ee.to_link_form();
        assert!(!link.contains('=') && !link.contains('+') && !link.contains('/'));
        assert_eq!(ProxySecret::parse(&link).unwrap(), ee);
        // The same secret in hex parses too, and so does padded base64.
        assert_eq!(ProxySecret::parse(&hex_encode(&ee.to_bytes())).unwrap(), ee);
        let padded = base64::engine::general_purpose::URL_SAFE.encode(ee.to_bytes());
        assert_eq!(ProxySecret::parse(&padded).unwrap(), ee);
        let standard = base64::engine::general_purpose::STANDARD.encode(ee.to_bytes());
        assert_eq!(ProxySecret::parse(&standard).unwrap(), ee);
    }

    #[test]
    fn invalid_forms_say_what_was_expected() {
        let cases: Vec<Vec<u8>> = vec![
            vec![],
            vec![1; 15],
            vec![1; 18],
            [&[0xdd][..], &[1; 14]].concat(),
            [&[0xdd][..], &[1; 17]].concat(),
            [&[0xee][..], &[1; 16]].concat(),
            [&[0xee][..], &[1; 16], &[0xff, 0xfe]].concat(),
            [&[0xee][..], &[1; 16], b"bad domain"].concat(),
            [&[0xee][..], &[1; 16], &[b'a'; MAX_DOMAIN_LEN + 1]].concat(),
        ];
        for c in cases {
            match ProxySecret::from_bytes(&c) {
                Err(TransportError::InvalidSecret(m)) => assert!(m.contains("expected"), "{m}"),
                other => panic!("{c:?}: {other:?}"),
            }
        }
        let long_ok = [&[0xee][..], &[1; 16], &[b'a'; MAX_DOMAIN_LEN]].concat();
        assert!(ProxySecret::from_bytes(&long_ok).is_ok());
        for text in ["", "xyz!", "0011"] {
            assert!(matches!(
                ProxySecret::parse(text),
                Err(TransportError::InvalidSecret(_))
            ));
        }
    }

    #[test]
    fn debug_hides_the_key() {
        let s = ProxySecret::fake_tls(KEY, "example.com").unwrap();
        let text = format!(
            "{s:?} {:?} {:?}",
            s.key(),
            ProxySecret::Simple(SecretKey::new(KEY))
        );
        assert!(text.contains("example.com"));
        assert!(!text.contains("17") && !text.contains("0x11") && !text.contains("aabb"));
        assert!(!text.contains(&format!("{:?}", KEY)));
    }
}
