//! Server side of the fake-TLS handshake: reading and checking a client's
//! ClientHello, as MTProxy's `tcp_rpcs_compact_parse_execute` (fake TLS
//! branch) does, with a time window and a bounded replay cache.
//!
//! The checks, in order:
//! 1. the record: `16 03 01 len:u16be`, at most [`MAX_CLIENT_HELLO_LEN`]
//!    bytes in all ([`client_hello_len`]);
//! 2. the structure ([`parse_client_hello`]): a ClientHello handshake filling
//!    the record, legacy version `03 03`, a 32-byte session id, cipher
//!    suites, compression methods and extensions whose lengths add up, and
//!    exactly one SNI extension with one host name (no NUL, UTF-8);
//! 3. for each accepted `ee` secret `K`, `HMAC-SHA256(K, hello with random
//!    zeroed)` against the random's first 28 bytes, in constant time;
//! 4. the SNI equals the matching secret's domain (ASCII case-insensitively);
//! 5. the time, `digest[28..32] ^ random[28..32]` (little-endian `u32`
//!    seconds), lies within the configured window around `now`;
//! 6. the random was not accepted before (within the time window, which
//!    bounds how long a replay could pass step 5).

use std::collections::{HashSet, VecDeque};

use subtle::ConstantTimeEq;

use super::{RANDOM_OFFSET, hmac_sha256};
use crate::error::TransportError;
use crate::time::UnixMillis;
use crate::transport::obfuscated::ProxySecret;

/// The largest ClientHello accepted, record header included (MTProxy reads at
/// most 4096 bytes of hello; modern browser hellos with post-quantum key
/// shares are about 1.8 KB).
pub const MAX_CLIENT_HELLO_LEN: usize = 4096;

/// The smallest handshake body that can hold the fixed fields: version (2),
/// random (32), session id (1 + 32), cipher suites (2 + 2), compression
/// (1 + 1), extensions length (2).
const MIN_HANDSHAKE_BODY: usize = 2 + 32 + 33 + 4 + 2 + 2;

fn fail(msg: impl Into<String>) -> TransportError {
    TransportError::FakeTls(msg.into())
}

/// How many bytes the ClientHello at the start of `buf` takes, once its
/// 5-byte record header is there (`Ok(None)` before that). The header must
/// be `16 03 01` (handshake, TLS 1.0 record version, as every client sends)
/// and the total at most [`MAX_CLIENT_HELLO_LEN`].
pub fn client_hello_len(buf: &[u8]) -> Result<Option<usize>, TransportError> {
    let Some(&[t, v1, v2, l1, l2]) = buf.get(..5) else {
        let n = buf.len().min(3);
        if buf.get(..n) != [0x16, 0x03, 0x01].get(..n) {
            return Err(fail("expected a handshake record 16 03 01"));
        }
        return Ok(None);
    };
    if [t, v1, v2] != [0x16, 0x03, 0x01] {
        return Err(fail(format!(
            "expected a handshake record 16 03 01, found {t:02x} {v1:02x} {v2:02x}"
        )));
    }
    let total = 5 + usize::from(u16::from_be_bytes([l1, l2]));
    if total > MAX_CLIENT_HELLO_LEN {
        return Err(fail(format!(
            "ClientHello of {total} bytes exceeds the maximum of {MAX_CLIENT_HELLO_LEN}"
        )));
    }
    if total < 5 + 4 + MIN_HANDSHAKE_BODY {
        return Err(fail(format!("ClientHello of {total} bytes is too short")));
    }
    Ok(Some(total))
}

/// A cursor over a byte slice whose reads fail instead of panicking.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], TransportError> {
        let s = self
            .pos
            .checked_add(n)
            .and_then(|end| self.data.get(self.pos..end))
            .ok_or_else(|| fail(format!("ClientHello ends inside the {what}")))?;
        self.pos += n;
        Ok(s)
    }

    fn u8(&mut self, what: &str) -> Result<u8, TransportError> {
        Ok(self.take(1, what)?.first().copied().unwrap_or(0))
    }

    fn u16(&mut self, what: &str) -> Result<usize, TransportError> {
        let b = self.take(2, what)?;
        Ok(usize::from(b.first().copied().unwrap_or(0)) << 8
            | usize::from(b.get(1).copied().unwrap_or(0)))
    }

    fn left(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }
}

/// The fields of a ClientHello the server needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedClientHello<'a> {
    /// The 32-byte `random` (digest ^ time).
    pub random: [u8; 32],
    /// The 32-byte legacy session id (echoed in the answer).
    pub session_id: [u8; 32],
    /// The SNI host name.
    pub domain: &'a str,
}

fn parse_sni(body: &[u8]) -> Result<&str, TransportError> {
    let mut r = Reader { data: body, pos: 0 };
    let list_len = r.u16("server name list")?;
    if list_len != body.len().saturating_sub(2) {
        return Err(fail(
            "expected one server name list filling the SNI extension",
        ));
    }
    if r.u8("server name type")? != 0 {
        return Err(fail("expected an SNI of type host_name (0)"));
    }
    let name_len = r.u16("server name")?;
    if name_len != body.len().saturating_sub(5) || name_len == 0 {
        return Err(fail("expected exactly one non-empty host name in the SNI"));
    }
    let name = r.take(name_len, "server name")?;
    if name.contains(&0) {
        return Err(fail("SNI host name contains a NUL byte"));
    }
    core::str::from_utf8(name).map_err(|_| fail("SNI host name is not UTF-8"))
}

/// Parse a whole ClientHello record (exactly the bytes
/// [`client_hello_len`] counted) and extract the random, the session id and
/// the SNI. Checks the structure only; [`FakeTlsServer::accept_client_hello`]
/// checks the digest, time, replay and domain.
pub fn parse_client_hello(hello: &[u8]) -> Result<ParsedClientHello<'_>, TransportError> {
    match client_hello_len(hello)? {
        Some(n) if n == hello.len() => {}
        Some(n) => {
            return Err(fail(format!(
                "expected a ClientHello of {n} bytes as its record header says, found {}",
                hello.len()
            )));
        }
        None => return Err(fail("ClientHello shorter than its record header")),
    }
    let mut r = Reader {
        data: hello,
        pos: 5,
    };
    if r.u8("handshake type")? != 0x01 {
        return Err(fail("expected a ClientHello handshake (type 1)"));
    }
    let hs = r.take(3, "handshake length")?;
    let hs_len = hs.iter().fold(0usize, |a, b| a << 8 | usize::from(*b));
    if hs_len != r.left() {
        return Err(fail("expected the ClientHello to fill its record exactly"));
    }
    if r.take(2, "version")? != [0x03, 0x03] {
        return Err(fail("expected legacy version 03 03"));
    }
    let mut random = [0u8; 32];
    random.copy_from_slice(r.take(32, "random")?);
    if r.u8("session id length")? != 32 {
        return Err(fail("expected a 32-byte session id"));
    }
    let mut session_id = [0u8; 32];
    session_id.copy_from_slice(r.take(32, "session id")?);
    let suites = r.u16("cipher suites length")?;
    if suites < 2 || suites % 2 != 0 {
        return Err(fail("expected a non-empty list of 2-byte cipher suites"));
    }
    r.take(suites, "cipher suites")?;
    let methods = usize::from(r.u8("compression methods length")?);
    if methods == 0 {
        return Err(fail("expected at least one compression method"));
    }
    r.take(methods, "compression methods")?;
    let ext_len = r.u16("extensions length")?;
    if ext_len != r.left() {
        return Err(fail(
            "expected the extensions to fill the rest of the ClientHello",
        ));
    }
    let mut domain = None;
    while r.left() > 0 {
        let kind = r.u16("extension type")?;
        let len = r.u16("extension length")?;
        let body = r.take(len, "extension body")?;
        if kind == 0 {
            if domain.is_some() {
                return Err(fail("expected one SNI extension, found two"));
            }
            domain = Some(parse_sni(body)?);
        }
    }
    let domain = domain.ok_or_else(|| fail("expected an SNI extension"))?;
    Ok(ParsedClientHello {
        random,
        session_id,
        domain,
    })
}

/// Recently accepted client randoms, so a recorded hello cannot be replayed
/// (an active prober's first move). Bounded: at most `capacity` entries,
/// each kept only as long as a replay of it could still pass the time check;
/// when full, the oldest entry goes first.
#[derive(Clone)]
pub struct ReplayCache {
    seen: HashSet<[u8; 32]>,
    order: VecDeque<([u8; 32], u64)>,
    capacity: usize,
    keep_ms: u64,
}

impl core::fmt::Debug for ReplayCache {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ReplayCache")
            .field("len", &self.order.len())
            .field("capacity", &self.capacity)
            .field("keep_ms", &self.keep_ms)
            .finish()
    }
}

impl ReplayCache {
    /// A cache of at most `capacity` randoms, each kept `keep_ms` after it
    /// was accepted.
    pub fn new(capacity: usize, keep_ms: u64) -> Self {
        ReplayCache {
            seen: HashSet::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
            keep_ms,
        }
    }

    fn pop_oldest(&mut self) {
        if let Some((random, _)) = self.order.pop_front() {
            self.seen.remove(&random);
        }
    }

    fn expire(&mut self, now: UnixMillis) {
        while let Some((_, at)) = self.order.front() {
            if at.saturating_add(self.keep_ms) >= now.0 {
                break;
            }
            self.pop_oldest();
        }
    }

    /// Whether `random` was recorded and is still kept.
    pub fn contains(&self, random: &[u8; 32]) -> bool {
        self.seen.contains(random)
    }

    /// Record `random` as accepted at `now`; returns `false` (and records
    /// nothing) if it was already there.
    pub fn insert(&mut self, random: [u8; 32], now: UnixMillis) -> bool {
        self.expire(now);
        if self.seen.contains(&random) {
            return false;
        }
        while self.order.len() >= self.capacity {
            self.pop_oldest();
        }
        self.seen.insert(random);
        self.order.push_back((random, now.0));
        true
    }

    /// How many randoms are kept.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether no random is kept.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

/// Settings of a fake-TLS server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FakeTlsServerConfig {
    /// How far in the past a hello's time may be, in ms (MTProxy allows 10
    /// minutes; mtprotoproxy 20).
    pub max_past_ms: u64,
    /// How far in the future a hello's time may be, in ms (MTProxy allows 3
    /// seconds; mtprotoproxy 10 minutes).
    pub max_future_ms: u64,
    /// At most this many client randoms are remembered against replays.
    pub replay_capacity: usize,
}

impl Default for FakeTlsServerConfig {
    /// ±120 s around the server's clock (clients send the time corrected by
    /// the server time they learned), 100 000 remembered randoms.
    fn default() -> Self {
        FakeTlsServerConfig {
            max_past_ms: 120_000,
            max_future_ms: 120_000,
            replay_capacity: 100_000,
        }
    }
}

/// What the server learned from an accepted ClientHello.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcceptedHello {
    /// Index into [`FakeTlsServer::secrets`] of the secret that matched.
    pub secret_index: usize,
    /// The client's random (enters the answer's digest).
    pub client_random: [u8; 32],
    /// The client's session id (echoed in the answer).
    pub session_id: [u8; 32],
    /// The client's time, unix seconds.
    pub timestamp: u32,
    /// The SNI.
    pub domain: String,
}

/// The server's half of fake TLS for all connections: the accepted `ee`
/// secrets, the time window and the replay cache shared by every
/// connection.
#[derive(Debug)]
pub struct FakeTlsServer {
    secrets: Vec<ProxySecret>,
    config: FakeTlsServerConfig,
    replay: ReplayCache,
}

impl FakeTlsServer {
    /// A server accepting `secrets`, which must all be `ee` secrets
    /// ([`TransportError::InvalidSecret`] otherwise).
    pub fn new(
        secrets: Vec<ProxySecret>,
        config: FakeTlsServerConfig,
    ) -> Result<Self, TransportError> {
        if let Some(i) = secrets.iter().position(|s| !s.is_fake_tls()) {
            return Err(TransportError::InvalidSecret(format!(
                "expected only ee (fake TLS) secrets; secret {i} is not one"
            )));
        }
        let keep_ms = config
            .max_past_ms
            .saturating_add(config.max_future_ms)
            .saturating_add(1000);
        Ok(FakeTlsServer {
            secrets,
            config,
            replay: ReplayCache::new(config.replay_capacity, keep_ms),
        })
    }

    /// The accepted secrets, in the order given.
    pub fn secrets(&self) -> &[ProxySecret] {
        &self.secrets
    }

    /// The replay cache (for inspection).
    pub fn replay_cache(&self) -> &ReplayCache {
        &self.replay
    }

    /// Check a whole ClientHello record received at `now` (see the module
    /// docs for the checks). On success the random is remembered, and the
    /// answer is [`super::server_hello`] with the matched secret's key.
    /// Every failure is [`TransportError::FakeTls`]; the caller then treats
    /// the connection as not ours (MTProxy forwards it to the real domain).
    pub fn accept_client_hello(
        &mut self,
        hello: &[u8],
        now: UnixMillis,
    ) -> Result<AcceptedHello, TransportError> {
        let parsed = parse_client_hello(hello)?;
        let mut zeroed = hello.to_vec();
        if let Some(r) = zeroed.get_mut(RANDOM_OFFSET..RANDOM_OFFSET + 32) {
            r.fill(0);
        }
        let mut matched = None;
        for (i, secret) in self.secrets.iter().enumerate() {
            let expected = hmac_sha256(secret.key(), &[&zeroed]);
            let (Some(e), Some(r)) = (expected.get(..28), parsed.random.get(..28)) else {
                continue;
            };
            if bool::from(e.ct_eq(r)) && matched.is_none() {
                matched = Some((i, expected));
            }
        }
        let (secret_index, expected) =
            matched.ok_or_else(|| fail("no accepted secret matches the ClientHello digest"))?;
        let secret_domain = self
            .secrets
            .get(secret_index)
            .and_then(ProxySecret::domain)
            .unwrap_or_default();
        if !secret_domain.eq_ignore_ascii_case(parsed.domain) {
            return Err(fail(format!(
                "expected SNI {secret_domain:?} for this secret, found {:?}",
                parsed.domain
            )));
        }
        let mut time = [0u8; 4];
        for (t, (e, r)) in time
            .iter_mut()
            .zip(expected.iter().skip(28).zip(parsed.random.iter().skip(28)))
        {
            *t = e ^ r;
        }
        let timestamp = u32::from_le_bytes(time);
        let ts_ms = u64::from(timestamp) * 1000;
        // The hello's time has second precision: allow the fraction too.
        if ts_ms.saturating_add(999) < now.0.saturating_sub(self.config.max_past_ms)
            || ts_ms > now.0.saturating_add(self.config.max_future_ms)
        {
            return Err(fail(format!(
                "ClientHello time {timestamp} is outside the window around {} (-{} ms, +{} ms)",
                now.as_secs(),
                self.config.max_past_ms,
                self.config.max_future_ms
            )));
        }
        if !self.replay.insert(parsed.random, now) {
            return Err(fail("ClientHello random was seen before (a replay)"));
        }
        Ok(AcceptedHello {
            secret_index,
            client_random: parsed.random,
            session_id: parsed.session_id,
            timestamp,
            domain: parsed.domain.to_owned(),
        })
    }
}
