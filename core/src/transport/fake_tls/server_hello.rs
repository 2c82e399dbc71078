//! The server's answer to an accepted ClientHello, as MTProxy builds it
//! (`net/net-tcp-rpc-ext-server.c`, the fake-TLS branch of
//! `tcp_rpcs_compact_parse_execute`), and the client's check of it (tdlib
//! `TlsInit::wait_hello_response`).
//!
//! ```text
//! 16 03 03 00 7a                        record: handshake, 122 bytes
//! 02 00 00 76 03 03                     ServerHello, 118 bytes, legacy version
//! random[32]                            HMAC (below)
//! 20 session_id[32]                     the client's session id, echoed
//! 13 01 00                              TLS_AES_128_GCM_SHA256, no compression
//! 00 2e                                 46 bytes of extensions:
//!   00 33 00 24 00 1d 00 20 key[32]     key_share: X25519
//!   00 2b 00 02 03 04                   supported_versions: TLS 1.3
//! 14 03 03 00 01 01                     ChangeCipherSpec
//! 17 03 03 len:u16be data[len]          "encrypted" data: random bytes
//! ```
//!
//! `random = HMAC-SHA256(K, client_random ‖ the whole answer with random
//! zeroed)`. MTProxy writes the client's *random* where the session id goes
//! (clients do not look); this follows mtprotoproxy and real TLS 1.3 servers
//! (RFC 8446 §4.1.3, `legacy_session_id_echo`) and echoes the session id.
//! MTProxy sizes the data record like the imitated site's certificate
//! messages, 2500..3620 bytes when it cannot measure them; so does
//! [`ServerHelloRandom::generate`].

use subtle::ConstantTimeEq;

use super::curve::random_key_share;
use super::record::{APPLICATION_DATA, CHANGE_CIPHER_SPEC, MAX_RECORD_PAYLOAD};
use super::{RANDOM_OFFSET, hmac_sha256};
use crate::error::{Error, TransportError};
use crate::rand::SecureRandom;
use crate::transport::obfuscated::SecretKey;

/// Length of the ServerHello record.
const SERVER_HELLO_RECORD_LEN: usize = 127;

/// The random parts of the answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerHelloRandom {
    /// The X25519 key share (a curve point).
    pub key_share: [u8; 32],
    /// The body of the application-data record: 1..=16640 random bytes.
    pub app_data: Vec<u8>,
}

impl ServerHelloRandom {
    /// Draw a key share on the curve and 2500..3620 random bytes of data
    /// (MTProxy's size when it has not measured the imitated site).
    pub fn generate(rng: &mut dyn SecureRandom) -> Result<Self, Error> {
        let key_share = random_key_share(rng)?;
        let mut n = [0u8; 2];
        rng.fill(&mut n)?;
        let len = 2500 + usize::from(u16::from_le_bytes(n)) % 1120;
        let mut app_data = vec![0u8; len];
        rng.fill(&mut app_data)?;
        Ok(ServerHelloRandom {
            key_share,
            app_data,
        })
    }
}

/// Build the answer to an accepted ClientHello (deterministic: for vectors
/// and tests): `key` is the matched secret's key, `client_random` and
/// `session_id` come from [`super::AcceptedHello`].
pub fn build_server_hello(
    key: &SecretKey,
    client_random: &[u8; 32],
    session_id: &[u8; 32],
    random: &ServerHelloRandom,
) -> Result<Vec<u8>, TransportError> {
    let data_len = random.app_data.len();
    if data_len == 0 || data_len > MAX_RECORD_PAYLOAD {
        return Err(TransportError::FakeTls(format!(
            "expected 1..={MAX_RECORD_PAYLOAD} bytes of application data, found {data_len}"
        )));
    }
    let mut out = Vec::with_capacity(SERVER_HELLO_RECORD_LEN + 11 + data_len);
    out.extend_from_slice(&[
        0x16, 0x03, 0x03, 0x00, 0x7a, 0x02, 0x00, 0x00, 0x76, 0x03, 0x03,
    ]);
    out.extend_from_slice(&[0; 32]);
    out.push(0x20);
    out.extend_from_slice(session_id);
    out.extend_from_slice(&[0x13, 0x01, 0x00, 0x00, 0x2e]);
    out.extend_from_slice(&[0x00, 0x33, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20]);
    out.extend_from_slice(&random.key_share);
    out.extend_from_slice(&[0x00, 0x2b, 0x00, 0x02, 0x03, 0x04]);
    out.extend_from_slice(&CHANGE_CIPHER_SPEC);
    out.extend_from_slice(&APPLICATION_DATA);
    out.extend_from_slice(&(data_len as u16).to_be_bytes());
    out.extend_from_slice(&random.app_data);
    let digest = hmac_sha256(key, &[client_random, &out]);
    if let Some(r) = out.get_mut(RANDOM_OFFSET..RANDOM_OFFSET + 32) {
        r.copy_from_slice(&digest);
    }
    Ok(out)
}

/// Build the answer with randomness from `rng` (see [`build_server_hello`]).
pub fn server_hello(
    key: &SecretKey,
    client_random: &[u8; 32],
    session_id: &[u8; 32],
    rng: &mut dyn SecureRandom,
) -> Result<Vec<u8>, Error> {
    let random = ServerHelloRandom::generate(rng)?;
    Ok(build_server_hello(key, client_random, session_id, &random)?)
}

fn fail(msg: impl Into<String>) -> TransportError {
    TransportError::FakeTls(msg.into())
}

fn record_len(hi: u8, lo: u8) -> Result<usize, TransportError> {
    let len = usize::from(u16::from_be_bytes([hi, lo]));
    if len > MAX_RECORD_PAYLOAD {
        return Err(TransportError::FrameTooLarge {
            len,
            max: MAX_RECORD_PAYLOAD,
        });
    }
    Ok(len)
}

/// Client side: how many bytes the server's answer at the start of `buf`
/// takes (`Ok(None)`: not all of its headers are there yet). As tdlib does,
/// only the record headers are checked: `16 03 03 len` (at least the
/// version and random), then `14 03 03 00 01 01 17 03 03 len` (at least one
/// byte); each record at most [`MAX_RECORD_PAYLOAD`].
pub fn server_response_len(buf: &[u8]) -> Result<Option<usize>, TransportError> {
    let prefix = [0x16u8, 0x03, 0x03];
    let n = buf.len().min(3);
    if buf.get(..n) != prefix.get(..n) {
        return Err(fail(
            "expected the answer to start with a handshake record 16 03 03",
        ));
    }
    let Some(&[_, _, _, h1, h2]) = buf.get(..5) else {
        return Ok(None);
    };
    let first = record_len(h1, h2)?;
    if first < 2 + 32 + 4 {
        return Err(fail(format!(
            "ServerHello record of {first} bytes is too short"
        )));
    }
    let second = 5 + first;
    let expect: [u8; 9] = [0x14, 0x03, 0x03, 0x00, 0x01, 0x01, 0x17, 0x03, 0x03];
    let have = buf.get(second..).unwrap_or_default();
    let n = have.len().min(9);
    if have.get(..n) != expect.get(..n) {
        return Err(fail(
            "expected ChangeCipherSpec 14 03 03 00 01 01 then application data 17 03 03 after the ServerHello",
        ));
    }
    let Some(&[d1, d2]) = buf.get(second + 9..second + 11) else {
        return Ok(None);
    };
    let data = record_len(d1, d2)?;
    if data == 0 {
        return Err(fail(
            "expected a non-empty application-data record in the answer",
        ));
    }
    Ok(Some(second + 11 + data))
}

/// Client side: check the server's whole answer (exactly the bytes
/// [`server_response_len`] counted): its random must be `HMAC-SHA256(key,
/// client_random ‖ answer with random zeroed)`, compared in constant time.
/// A mismatch means the server does not know the secret.
pub fn verify_server_hello(
    key: &SecretKey,
    client_random: &[u8; 32],
    response: &[u8],
) -> Result<(), TransportError> {
    match server_response_len(response)? {
        Some(n) if n == response.len() => {}
        _ => {
            return Err(fail(
                "expected exactly one ServerHello, ChangeCipherSpec and application-data record",
            ));
        }
    }
    let mut zeroed = response.to_vec();
    let received = zeroed
        .get_mut(RANDOM_OFFSET..RANDOM_OFFSET + 32)
        .map(|r| {
            let mut got = [0u8; 32];
            got.copy_from_slice(r);
            r.fill(0);
            got
        })
        .ok_or_else(|| fail("answer too short for its random"))?;
    let expected = hmac_sha256(key, &[client_random, &zeroed]);
    if bool::from(expected.ct_eq(&received)) {
        Ok(())
    } else {
        Err(fail(
            "the ServerHello digest does not match: the server does not know the secret",
        ))
    }
}
