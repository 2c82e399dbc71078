//! One object per connection end that composes the layers of this module:
//! [`ClientTransport`] and [`ServerTransport`].
//!
//! Both follow the drive loop of the crate docs: feed what the socket read
//! with `handle_input`, queue payloads with `send`, then drain
//! `poll_transmit` (bytes to write, in order) and `poll_inbound` (payloads,
//! quick acks and transport errors that arrived). The first error is fatal
//! and sticky: every later call returns it again.

use std::collections::VecDeque;

use super::detect::{Detection, detect};
use super::fake_tls::{
    FakeTlsServer, FakeTlsServerConfig, TlsRecordReader, TlsRecordWriter, client_hello,
    client_hello_len, server_hello, server_response_len, verify_server_hello,
};
use super::framing::FramingCodec;
use super::http::{HttpClient, HttpServer};
use super::obfuscated::{
    AcceptedSecrets, INIT_LEN, Obfuscation, ProxySecret, SecretKey, client_init, server_accept,
};
use super::{DEFAULT_MAX_FRAME, FramingKind, Inbound, Role};
use crate::error::{Error, TransportError};
use crate::rand::SecureRandom;
use crate::time::UnixMillis;

/// The transport a connection speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TransportKind {
    /// One of the TCP framings.
    Framed(FramingKind),
    /// HTTP/1.1 POSTs to `/api`.
    Http,
}

/// How a client connects.
#[derive(Clone, Debug)]
pub struct ClientTransportConfig {
    /// The transport.
    pub kind: TransportKind,
    /// Obfuscate the stream (obfuscated2). Implied by a proxy secret; not
    /// possible with full framing or HTTP.
    pub obfuscate: bool,
    /// The DC id written into an obfuscated init (negative for media DCs,
    /// +10000 for test DCs).
    pub dc_id: i16,
    /// A proxy secret: 16 bytes; `dd` (padded intermediate required); `ee`
    /// (fake TLS, padded intermediate required).
    pub secret: Option<ProxySecret>,
    /// The `Host` header for HTTP.
    pub http_host: String,
    /// The largest payload accepted ([`DEFAULT_MAX_FRAME`] by default).
    pub max_frame: usize,
}

impl ClientTransportConfig {
    /// A plain connection of `kind`, no obfuscation, DC 2.
    pub fn new(kind: TransportKind) -> Self {
        ClientTransportConfig {
            kind,
            obfuscate: false,
            dc_id: 2,
            secret: None,
            http_host: String::new(),
            max_frame: DEFAULT_MAX_FRAME,
        }
    }
}

enum ClientFraming {
    Framed(FramingCodec),
    Http(HttpClient),
}

/// The fake-TLS client state: waiting for the server's answer, then records.
struct ClientTls {
    key: SecretKey,
    client_random: [u8; 32],
    hello_answer: Option<Vec<u8>>,
    reader: TlsRecordReader,
    writer: TlsRecordWriter,
}

/// The client end of one connection.
pub struct ClientTransport {
    framing: ClientFraming,
    obfuscation: Option<Obfuscation>,
    tls: Option<ClientTls>,
    rng: Box<dyn SecureRandom>,
    transmit: VecDeque<Vec<u8>>,
    error: Option<Error>,
}

impl core::fmt::Debug for ClientTransport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ClientTransport")
            .field("obfuscated", &self.obfuscation.is_some())
            .field("fake_tls", &self.tls.is_some())
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl ClientTransport {
    /// Open a connection: what must be sent first (the framing header, the
    /// obfuscated init, or the fake-TLS ClientHello and the init) is queued
    /// for [`poll_transmit`](Self::poll_transmit). `now` dates the fake-TLS
    /// hello.
    pub fn new(
        config: ClientTransportConfig,
        mut rng: Box<dyn SecureRandom>,
        now: UnixMillis,
    ) -> Result<Self, Error> {
        let obfuscate = config.obfuscate || config.secret.is_some();
        let mut transmit = VecDeque::new();
        let framing_kind = match config.kind {
            TransportKind::Http => {
                if obfuscate {
                    return Err(TransportError::InvalidState(
                        "HTTP cannot be obfuscated or used with a proxy secret".into(),
                    )
                    .into());
                }
                let http = HttpClient::new(&config.http_host)?;
                return Ok(ClientTransport {
                    framing: ClientFraming::Http(http),
                    obfuscation: None,
                    tls: None,
                    rng,
                    transmit,
                    error: None,
                });
            }
            TransportKind::Framed(kind) => kind,
        };
        let codec = FramingCodec::new(framing_kind, Role::Client, config.max_frame);
        let mut obfuscation = None;
        let mut tls = None;
        if obfuscate {
            let init = client_init(
                rng.as_mut(),
                framing_kind,
                config.dc_id,
                config.secret.as_ref(),
            )?;
            let mut first = init.header.to_vec();
            match &config.secret {
                Some(secret) if secret.is_fake_tls() => {
                    let hello = client_hello(secret, now, rng.as_mut())?;
                    transmit.push_back(hello.bytes.clone());
                    let mut writer = TlsRecordWriter::new(Role::Client);
                    let mut wrapped = Vec::new();
                    writer.write(&first, &mut wrapped)?;
                    first = wrapped;
                    tls = Some(ClientTls {
                        key: secret.key().clone(),
                        client_random: hello.random,
                        hello_answer: Some(Vec::new()),
                        reader: TlsRecordReader::new(Role::Client),
                        writer,
                    });
                }
                _ => {}
            }
            transmit.push_back(first);
            obfuscation = Some(init.obfuscation);
        } else if !codec.header().is_empty() {
            transmit.push_back(codec.header().to_vec());
        }
        Ok(ClientTransport {
            framing: ClientFraming::Framed(codec),
            obfuscation,
            tls,
            rng,
            transmit,
            error: None,
        })
    }

    fn check(&self) -> Result<(), Error> {
        match &self.error {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    fn fail<T>(&mut self, e: Error) -> Result<T, Error> {
        self.error = Some(e.clone());
        Err(e)
    }

    /// Queue one payload (an MTProto message). With `quick_ack` the server
    /// is asked to acknowledge it on receipt (not on full or HTTP).
    pub fn send(&mut self, payload: &[u8], quick_ack: bool) -> Result<(), Error> {
        self.check()?;
        let bytes = match &mut self.framing {
            ClientFraming::Framed(codec) => {
                codec.encode_packet(payload, quick_ack, self.rng.as_mut())
            }
            ClientFraming::Http(http) if !quick_ack => http.encode_request(payload),
            ClientFraming::Http(_) => Err(TransportError::InvalidState(
                "HTTP has no quick acks".into(),
            )),
        };
        // A bad argument (size, alignment) is not fatal; a broken codec is.
        let mut bytes = bytes?;
        if let Some(o) = &mut self.obfuscation {
            o.encrypt(&mut bytes);
        }
        if let Some(tls) = &mut self.tls {
            let mut wrapped = Vec::with_capacity(bytes.len() + 16);
            if let Err(e) = tls.writer.write(&bytes, &mut wrapped) {
                return self.fail(e.into());
            }
            bytes = wrapped;
        }
        self.transmit.push_back(bytes);
        Ok(())
    }

    /// Feed bytes the socket read; what they complete appears in
    /// [`poll_inbound`](Self::poll_inbound).
    pub fn handle_input(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.check()?;
        match self.input(bytes) {
            Ok(()) => Ok(()),
            Err(e) => self.fail(e),
        }
    }

    fn input(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let mut data = bytes.to_vec();
        if let Some(tls) = &mut self.tls {
            let rest = match &mut tls.hello_answer {
                Some(answer) => {
                    answer.extend_from_slice(&data);
                    match server_response_len(answer)? {
                        Some(n) if answer.len() >= n => {
                            let tail = answer.split_off(n);
                            verify_server_hello(&tls.key, &tls.client_random, answer)?;
                            tls.hello_answer = None;
                            tail
                        }
                        _ => return Ok(()),
                    }
                }
                None => data,
            };
            data = Vec::with_capacity(rest.len());
            tls.reader.read(&rest, &mut data)?;
        }
        if let Some(o) = &mut self.obfuscation {
            o.decrypt(&mut data);
        }
        match &mut self.framing {
            ClientFraming::Framed(codec) => codec.feed(&data)?,
            ClientFraming::Http(http) => http.feed(&data)?,
        }
        Ok(())
    }

    /// The next bytes to write to the socket.
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.transmit.pop_front()
    }

    /// The next payload, quick ack or transport error that arrived.
    pub fn poll_inbound(&mut self) -> Option<Inbound> {
        match &mut self.framing {
            ClientFraming::Framed(codec) => codec.poll(),
            ClientFraming::Http(http) => http.poll(),
        }
    }

    /// The fatal error, if one happened.
    pub fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }
}

/// What a server accepts.
#[derive(Clone, Debug)]
pub struct ServerTransportConfig {
    /// Proxy secrets accepted for obfuscated2 (16-byte and `dd`) and fake TLS
    /// (`ee`).
    pub secrets: Vec<ProxySecret>,
    /// Accept unobfuscated abridged, intermediate, padded and full.
    pub allow_plain: bool,
    /// Accept obfuscated2 without a secret (as Telegram's servers do).
    pub allow_obfuscated_without_secret: bool,
    /// Accept HTTP.
    pub allow_http: bool,
    /// The largest payload accepted.
    pub max_frame: usize,
    /// Timestamp window and replay cache of fake-TLS hellos.
    pub fake_tls: FakeTlsServerConfig,
}

impl Default for ServerTransportConfig {
    /// Everything Telegram's own servers accept: plain, obfuscated without a
    /// secret, HTTP; no proxy secrets.
    fn default() -> Self {
        ServerTransportConfig {
            secrets: Vec::new(),
            allow_plain: true,
            allow_obfuscated_without_secret: true,
            allow_http: true,
            max_frame: DEFAULT_MAX_FRAME,
            fake_tls: FakeTlsServerConfig::default(),
        }
    }
}

/// What a server found a connection to speak.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DetectedTransport {
    /// The transport.
    pub kind: TransportKind,
    /// Whether the stream is obfuscated.
    pub obfuscated: bool,
    /// Whether it came in fake TLS.
    pub fake_tls: bool,
    /// Index into [`ServerTransportConfig::secrets`] of the secret used.
    pub secret_index: Option<usize>,
    /// The DC id an obfuscated init named.
    pub dc_id: Option<i16>,
}

enum ServerState {
    /// Collecting the first bytes.
    Detecting(Vec<u8>),
    /// Fake TLS: collecting the ClientHello.
    TlsHello(Vec<u8>),
    /// Obfuscated2: collecting the 64-byte init (inside TLS records if
    /// `tls` is set).
    ObfuscatedInit {
        init: Vec<u8>,
        tls_secret: Option<usize>,
    },
    Framed(FramingCodec),
    Http(HttpServer),
}

/// The server end of one connection.
pub struct ServerTransport {
    config: ServerTransportConfig,
    state: ServerState,
    detected: Option<DetectedTransport>,
    obfuscation: Option<Obfuscation>,
    tls_reader: Option<TlsRecordReader>,
    tls_writer: Option<TlsRecordWriter>,
    fake_tls: Option<FakeTlsServer>,
    rng: Box<dyn SecureRandom>,
    transmit: VecDeque<Vec<u8>>,
    error: Option<Error>,
}

impl core::fmt::Debug for ServerTransport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ServerTransport")
            .field("detected", &self.detected)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl ServerTransport {
    /// A server end waiting for the client's first bytes.
    ///
    /// The fake-TLS replay cache lives in this object, so it guards one
    /// connection; a server that wants it shared across connections uses
    /// [`FakeTlsServer`] directly.
    pub fn new(config: ServerTransportConfig, rng: Box<dyn SecureRandom>) -> Result<Self, Error> {
        let ee: Vec<ProxySecret> = config
            .secrets
            .iter()
            .filter(|s| s.is_fake_tls())
            .cloned()
            .collect();
        let fake_tls = if ee.is_empty() {
            None
        } else {
            Some(FakeTlsServer::new(ee, config.fake_tls)?)
        };
        Ok(ServerTransport {
            config,
            state: ServerState::Detecting(Vec::new()),
            detected: None,
            obfuscation: None,
            tls_reader: None,
            tls_writer: None,
            fake_tls,
            rng,
            transmit: VecDeque::new(),
            error: None,
        })
    }

    /// What the connection speaks, once known.
    pub fn detected(&self) -> Option<&DetectedTransport> {
        self.detected.as_ref()
    }

    /// The fatal error, if one happened.
    pub fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    fn check(&self) -> Result<(), Error> {
        match &self.error {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    /// Feed bytes the socket read. `now` checks fake-TLS timestamps.
    pub fn handle_input(&mut self, bytes: &[u8], now: UnixMillis) -> Result<(), Error> {
        self.check()?;
        let result = self.input(bytes, now);
        if let Err(e) = &result {
            self.error = Some(e.clone());
        }
        result
    }

    fn input(&mut self, bytes: &[u8], now: UnixMillis) -> Result<(), Error> {
        match &mut self.state {
            ServerState::Detecting(buf) => {
                buf.extend_from_slice(bytes);
                let buf = core::mem::take(buf);
                self.detect_from(buf, now)
            }
            ServerState::TlsHello(buf) => {
                buf.extend_from_slice(bytes);
                let buf = core::mem::take(buf);
                self.tls_hello(buf, now)
            }
            ServerState::ObfuscatedInit { .. } | ServerState::Framed(_) => {
                let data = self.unwrap_tls(bytes)?;
                self.stream(data)
            }
            ServerState::Http(http) => Ok(http.feed(bytes)?),
        }
    }

    fn unwrap_tls(&mut self, bytes: &[u8]) -> Result<Vec<u8>, Error> {
        match &mut self.tls_reader {
            Some(reader) => {
                let mut out = Vec::with_capacity(bytes.len());
                reader.read(bytes, &mut out)?;
                Ok(out)
            }
            None => Ok(bytes.to_vec()),
        }
    }

    fn refuse(what: &str) -> Error {
        TransportError::UnknownProtocol(format!("{what} is not accepted by this server")).into()
    }

    fn detect_from(&mut self, buf: Vec<u8>, now: UnixMillis) -> Result<(), Error> {
        let detection = detect(&buf);
        let plain = |kind: FramingKind| DetectedTransport {
            kind: TransportKind::Framed(kind),
            obfuscated: false,
            fake_tls: false,
            secret_index: None,
            dc_id: None,
        };
        match detection {
            Detection::NeedMore { .. } => {
                self.state = ServerState::Detecting(buf);
                Ok(())
            }
            Detection::Http => {
                if !self.config.allow_http {
                    return Err(Self::refuse("HTTP"));
                }
                self.detected = Some(DetectedTransport {
                    kind: TransportKind::Http,
                    ..plain(FramingKind::Full)
                });
                let mut http = HttpServer::new();
                http.feed(&buf)?;
                self.state = ServerState::Http(http);
                Ok(())
            }
            Detection::FakeTls => {
                if self.fake_tls.is_none() {
                    return Err(Self::refuse("fake TLS"));
                }
                self.tls_hello(buf, now)
            }
            Detection::Obfuscated2 => {
                self.state = ServerState::ObfuscatedInit {
                    init: Vec::new(),
                    tls_secret: None,
                };
                self.stream(buf)
            }
            other => {
                let Some(kind) = other.framing() else {
                    return Err(
                        TransportError::UnknownProtocol("no framing detected".into()).into(),
                    );
                };
                if !self.config.allow_plain {
                    return Err(Self::refuse("an unobfuscated transport"));
                }
                self.detected = Some(plain(kind));
                let mut codec = FramingCodec::new(kind, Role::Server, self.config.max_frame);
                codec.feed(buf.get(other.header_len()..).unwrap_or_default())?;
                self.state = ServerState::Framed(codec);
                Ok(())
            }
        }
    }

    fn tls_hello(&mut self, buf: Vec<u8>, now: UnixMillis) -> Result<(), Error> {
        // The length is known from the record header; wait for all of it.
        let n = match client_hello_len(&buf)? {
            Some(n) if buf.len() >= n => n,
            _ => {
                self.state = ServerState::TlsHello(buf);
                return Ok(());
            }
        };
        let (hello, rest) = buf.split_at(n.min(buf.len()));
        let server = self
            .fake_tls
            .as_mut()
            .ok_or_else(|| Self::refuse("fake TLS"))?;
        let accepted = server.accept_client_hello(hello, now)?;
        let secret_index = self
            .config
            .secrets
            .iter()
            .enumerate()
            .filter(|(_, s)| s.is_fake_tls())
            .nth(accepted.secret_index)
            .map(|(i, _)| i);
        let key = secret_index
            .and_then(|i| self.config.secrets.get(i))
            .map(|s| s.key().clone())
            .ok_or_else(|| TransportError::InvalidState("accepted secret out of range".into()))?;
        let answer = server_hello(
            &key,
            &accepted.client_random,
            &accepted.session_id,
            self.rng.as_mut(),
        )?;
        self.transmit.push_back(answer);
        self.tls_reader = Some(TlsRecordReader::new(Role::Server));
        self.tls_writer = Some(TlsRecordWriter::new(Role::Server));
        self.state = ServerState::ObfuscatedInit {
            init: Vec::new(),
            tls_secret: secret_index,
        };
        let data = self.unwrap_tls(rest)?;
        self.stream(data)
    }

    /// Bytes after detection and TLS: the obfuscated init, then frames.
    fn stream(&mut self, mut data: Vec<u8>) -> Result<(), Error> {
        if let ServerState::ObfuscatedInit { init, tls_secret } = &mut self.state {
            let need = INIT_LEN - init.len();
            let take = need.min(data.len());
            init.extend(data.drain(..take));
            if init.len() < INIT_LEN {
                return Ok(());
            }
            let mut header = [0u8; INIT_LEN];
            header.copy_from_slice(init);
            let tls_secret = *tls_secret;
            let only_tls: Vec<ProxySecret>;
            let accepted = match tls_secret {
                Some(i) => {
                    only_tls = self.config.secrets.get(i).cloned().into_iter().collect();
                    AcceptedSecrets {
                        secrets: &only_tls,
                        allow_no_secret: false,
                    }
                }
                None => {
                    if self.config.secrets.is_empty()
                        && !self.config.allow_obfuscated_without_secret
                    {
                        return Err(Self::refuse("obfuscated2"));
                    }
                    AcceptedSecrets {
                        secrets: &self.config.secrets,
                        allow_no_secret: self.config.allow_obfuscated_without_secret,
                    }
                }
            };
            let accepted_init = server_accept(&header, accepted)?;
            let secret_index = match tls_secret {
                Some(i) => Some(i),
                None => accepted_init.secret_index,
            };
            if tls_secret.is_none()
                && secret_index
                    .and_then(|i| self.config.secrets.get(i))
                    .is_some_and(ProxySecret::is_fake_tls)
            {
                return Err(TransportError::Obfuscation(
                    "an ee secret is only accepted inside fake TLS".into(),
                )
                .into());
            }
            self.detected = Some(DetectedTransport {
                kind: TransportKind::Framed(accepted_init.framing),
                obfuscated: true,
                fake_tls: tls_secret.is_some(),
                secret_index,
                dc_id: Some(accepted_init.dc_id),
            });
            self.obfuscation = Some(accepted_init.obfuscation);
            self.state = ServerState::Framed(FramingCodec::new(
                accepted_init.framing,
                Role::Server,
                self.config.max_frame,
            ));
        }
        if let Some(o) = &mut self.obfuscation {
            o.decrypt(&mut data);
        }
        match &mut self.state {
            ServerState::Framed(codec) => Ok(codec.feed(&data)?),
            _ => Ok(()),
        }
    }

    fn emit(&mut self, mut bytes: Vec<u8>) -> Result<(), Error> {
        if let Some(o) = &mut self.obfuscation {
            o.encrypt(&mut bytes);
        }
        if let Some(w) = &mut self.tls_writer {
            let mut wrapped = Vec::with_capacity(bytes.len() + 16);
            w.write(&bytes, &mut wrapped)?;
            bytes = wrapped;
        }
        self.transmit.push_back(bytes);
        Ok(())
    }

    fn not_ready() -> Error {
        TransportError::InvalidState("the client's transport is not known yet".into()).into()
    }

    /// Queue one payload for the client.
    pub fn send(&mut self, payload: &[u8]) -> Result<(), Error> {
        self.check()?;
        let bytes = match &mut self.state {
            ServerState::Framed(codec) => codec.encode_packet(payload, false, self.rng.as_mut())?,
            ServerState::Http(http) => http.encode_response(payload)?,
            _ => return Err(Self::not_ready()),
        };
        self.emit(bytes)
    }

    /// Queue a quick-ack reply carrying `token` (see
    /// [`super::framing::quick_ack_token`]).
    pub fn send_quick_ack(&mut self, token: u32) -> Result<(), Error> {
        self.check()?;
        let bytes = match &mut self.state {
            ServerState::Framed(codec) => codec.encode_quick_ack(token, self.rng.as_mut())?,
            ServerState::Http(_) => {
                return Err(TransportError::InvalidState("HTTP has no quick acks".into()).into());
            }
            _ => return Err(Self::not_ready()),
        };
        self.emit(bytes)
    }

    /// Queue a transport error (`code` negative: -404, -429, -444, ...).
    pub fn send_transport_error(&mut self, code: i32) -> Result<(), Error> {
        self.check()?;
        let bytes = match &mut self.state {
            ServerState::Framed(codec) => codec.encode_transport_error(code, self.rng.as_mut())?,
            ServerState::Http(http) => http.encode_transport_error(code)?,
            _ => return Err(Self::not_ready()),
        };
        self.emit(bytes)
    }

    /// The next bytes to write to the socket.
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        if let Some(b) = self.transmit.pop_front() {
            return Some(b);
        }
        match &mut self.state {
            // Answers the HTTP codec gives by itself (CORS preflight, 405...).
            ServerState::Http(http) => http.poll_transmit(),
            _ => None,
        }
    }

    /// The next payload that arrived (with its quick-ack request).
    pub fn poll_inbound(&mut self) -> Option<Inbound> {
        match &mut self.state {
            ServerState::Framed(codec) => codec.poll(),
            ServerState::Http(http) => http.poll(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
