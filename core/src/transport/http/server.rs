//! The server side of the HTTP transport: requests in, responses out, in
//! order.

use std::collections::VecDeque;

use super::parse::{Fault, HeadScanner, RequestHead, parse_request};
use super::{API_PATH, HttpLimits};
use crate::error::TransportError;
use crate::transport::Inbound;
use crate::transport::buffer::StreamBuffer;

/// The interim answer to `Expect: 100-continue`.
const CONTINUE: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\n";

#[derive(Clone, Debug)]
enum State {
    /// Waiting for a request line and header fields.
    Head,
    /// Reading the payload of a `POST /api`.
    Body { len: usize, persistent: bool },
    /// Skipping the body of a request the codec answers itself.
    Discard {
        remaining: usize,
        answer: Vec<u8>,
        persistent: bool,
    },
}

/// A request that waits for its response, in arrival order.
#[derive(Clone, Debug)]
enum Slot {
    /// A payload handed out by `poll`; the application answers it.
    Packet { close: bool },
    /// An answer the codec wrote itself, sent once everything before it is.
    Ready { bytes: Vec<u8>, close: bool },
}

/// The server end of an HTTP transport connection (`/mtproto/transports#http`).
///
/// [`feed`](Self::feed) what the socket reads, drain [`poll`](Self::poll)
/// (one [`Inbound::Packet`] per `POST /api`), then write what
/// [`poll_transmit`](Self::poll_transmit) returns. Answer each
/// packet, in order, with [`encode_response`](Self::encode_response),
/// [`encode_transport_error`](Self::encode_transport_error) or
/// [`encode_error`](Self::encode_error); HTTP/1.1 sends responses in request
/// order, so the bytes returned may also carry answers the codec queued
/// behind it. When [`should_close`](Self::should_close) turns true, write the
/// last bytes and close the socket.
///
/// After a fatal decode error, the requests already handed out may still be
/// answered; then answer the bad request with
/// [`encode_error`](Self::encode_error)`(`[`rejection_status`](Self::rejection_status)`)`
/// and close.
#[derive(Clone, Debug)]
pub struct HttpServer {
    limits: HttpLimits,
    buf: StreamBuffer,
    scanner: HeadScanner,
    /// Empty lines skipped before the current request line.
    skipped: usize,
    state: State,
    slots: VecDeque<Slot>,
    /// How many `Slot::Packet`s `slots` holds.
    waiting: usize,
    /// Decoded payloads not yet taken by `poll`.
    out: VecDeque<Inbound>,
    error: Option<TransportError>,
    rejection: Option<u16>,
    /// False once a request asked to close: later input is not processed
    /// (RFC 9112 §9.6).
    reading: bool,
    /// The last response has been produced; nothing more is sent.
    closed: bool,
}

impl Default for HttpServer {
    fn default() -> Self {
        Self::new()
    }
}

impl HttpServer {
    /// A server connection with the default [`HttpLimits`].
    pub fn new() -> Self {
        Self::with_limits(HttpLimits::default())
    }

    /// A server connection with explicit limits.
    pub fn with_limits(limits: HttpLimits) -> Self {
        HttpServer {
            limits,
            buf: StreamBuffer::new(limits.buffer_limit()),
            scanner: HeadScanner::default(),
            skipped: 0,
            state: State::Head,
            slots: VecDeque::new(),
            waiting: 0,
            out: VecDeque::new(),
            error: None,
            rejection: None,
            reading: true,
            closed: false,
        }
    }

    /// Decode bytes read from the socket (any amount, split anywhere; several
    /// pipelined requests or one request over many reads), then drain
    /// [`poll`](Self::poll) and [`poll_transmit`](Self::poll_transmit). Bytes
    /// after a request that asked to close are ignored (RFC 9112 §9.6).
    ///
    /// Errors (fatal and sticky; payloads decoded before the error stay
    /// available to `poll`, and [`rejection_status`](Self::rejection_status)
    /// says what to answer): [`TransportError::Http`] for a malformed or
    /// unsupported request, [`TransportError::FrameTooLarge`] for a body
    /// above the limit.
    pub fn feed(&mut self, mut input: &[u8]) -> Result<(), TransportError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        loop {
            while let Some(event) = self.decode_next()? {
                self.out.push_back(event);
            }
            if input.is_empty() {
                return Ok(());
            }
            // Less than one request stays buffered after decoding, so there
            // is always room for at least another request's worth.
            let room = self.limits.buffer_limit().saturating_sub(self.buf.len());
            let (now, rest) = input.split_at_checked(room.max(1)).unwrap_or((input, &[]));
            if let Err(e) = self.buf.push(now) {
                return Err(self.fail(Fault {
                    status: 413,
                    error: e,
                }));
            }
            input = rest;
        }
    }

    /// The next request's payload, in arrival order. Requests the codec
    /// answers itself (`OPTIONS`, other methods or paths) yield nothing here;
    /// their answers come from [`poll_transmit`](Self::poll_transmit).
    pub fn poll(&mut self) -> Option<Inbound> {
        self.out.pop_front()
    }

    /// The fatal error the codec stopped on, if any.
    pub fn error(&self) -> Option<&TransportError> {
        self.error.as_ref()
    }

    /// Bytes received but not yet decoded (part of a request).
    pub fn buffered_len(&self) -> usize {
        self.buf.len()
    }

    /// Decode the next request from the buffer, `Ok(None)` when more bytes
    /// are needed.
    fn decode_next(&mut self) -> Result<Option<Inbound>, TransportError> {
        loop {
            if !self.reading {
                self.buf.consume(self.buf.len());
                return Ok(None);
            }
            match std::mem::replace(&mut self.state, State::Head) {
                State::Head => {
                    if !self.skip_empty_lines()? {
                        return Ok(None);
                    }
                    let limit = self.limits.max_header_bytes.saturating_sub(self.skipped);
                    let scanned = self.scanner.scan(self.buf.as_slice(), limit);
                    let Some(len) = scanned.map_err(|f| self.fail(f))? else {
                        return Ok(None);
                    };
                    let bytes = self.buf.as_slice().get(..len).unwrap_or_default();
                    let head = parse_request(bytes, &self.limits).map_err(|f| self.fail(f))?;
                    self.buf.consume(len);
                    self.skipped = 0;
                    self.state = self.on_head(head).map_err(|f| self.fail(f))?;
                }
                State::Body { len, persistent } => {
                    let Some(payload) = self.buf.take(len) else {
                        self.state = State::Body { len, persistent };
                        return Ok(None);
                    };
                    self.slots.push_back(Slot::Packet { close: !persistent });
                    self.waiting += 1;
                    self.reading = persistent;
                    return Ok(Some(Inbound::Packet {
                        payload,
                        quick_ack: false,
                    }));
                }
                State::Discard {
                    remaining,
                    answer,
                    persistent,
                } => {
                    let n = remaining.min(self.buf.len());
                    self.buf.consume(n);
                    if n < remaining {
                        self.state = State::Discard {
                            remaining: remaining - n,
                            answer,
                            persistent,
                        };
                        return Ok(None);
                    }
                    self.slots.push_back(Slot::Ready {
                        bytes: answer,
                        close: !persistent,
                    });
                    self.reading = persistent;
                }
            }
        }
    }

    /// Answers the codec wrote itself (`100 Continue`, the `OPTIONS`
    /// preflight, `404`, `405`) that are due now, in order; `None` if there
    /// are none. Call after every `feed` and every `encode_*`.
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        let out = self.drain_ready();
        (!out.is_empty()).then_some(out)
    }

    /// A `200 OK` response carrying `payload`, answering the oldest request
    /// that waits (plus any codec answers due right after it).
    ///
    /// Errors: [`TransportError::InvalidState`] when no request waits or the
    /// connection is closed; [`TransportError::FrameTooLarge`] for a payload
    /// above the body limit (nothing is answered).
    pub fn encode_response(&mut self, payload: &[u8]) -> Result<Vec<u8>, TransportError> {
        if payload.len() > self.limits.max_body {
            return Err(TransportError::FrameTooLarge {
                len: payload.len(),
                max: self.limits.max_body,
            });
        }
        self.answer(|close| response(200, close, Some(payload)))
    }

    /// A transport error answering the oldest request that waits: status
    /// `-code` (`/mtproto/mtproto-transports#transport-errors`: over HTTP,
    /// transport errors are status codes) with the 4-byte code as the body
    /// (for clients that read it, like tdlib). The connection stays open
    /// unless that request asked to close it.
    ///
    /// Errors: [`TransportError::InvalidState`] when `-code` is not a 4xx or
    /// 5xx status, no request waits, or the connection is closed.
    pub fn encode_transport_error(&mut self, code: i32) -> Result<Vec<u8>, TransportError> {
        let Some(status) = code
            .checked_neg()
            .and_then(|s| u16::try_from(s).ok())
            .filter(|s| (400..=599).contains(s))
        else {
            return Err(TransportError::InvalidState(format!(
                "transport error {code} has no HTTP status (expected -400..=-599)"
            )));
        };
        self.answer(|close| response(status, close, Some(&code.to_le_bytes())))
    }

    /// An HTTP error response (4xx or 5xx, empty body, `Connection: close`)
    /// answering the oldest request that waits, or, when none waits after a
    /// fatal decode error, the request that caused it. The connection is
    /// closed afterwards ([`should_close`](Self::should_close)).
    ///
    /// Errors: [`TransportError::InvalidState`] for a status outside
    /// 400..=599, when nothing is left to answer, or when the connection is
    /// closed.
    pub fn encode_error(&mut self, status: u16) -> Result<Vec<u8>, TransportError> {
        if !(400..=599).contains(&status) {
            return Err(TransportError::InvalidState(format!(
                "error status {status} is not 4xx or 5xx"
            )));
        }
        self.check_open()?;
        if self.waiting == 0 && self.error.is_none() {
            return Err(no_request());
        }
        let mut out = self.drain_ready();
        if self.waiting > 0 {
            let _ = self.slots.pop_front();
        }
        out.extend_from_slice(&response(status, true, None));
        self.finish();
        Ok(out)
    }

    /// How many payloads handed out by `poll` wait for their response.
    pub fn pending(&self) -> usize {
        self.waiting
    }

    /// After a fatal decode error: the status to answer the bad request with
    /// (400, 404, 411, 413, 417, 431, 505).
    pub fn rejection_status(&self) -> Option<u16> {
        self.rejection
    }

    /// Whether the last response has been produced (the client asked to
    /// close, or an error response was sent): write it, then close the
    /// socket.
    pub fn should_close(&self) -> bool {
        self.closed
    }

    /// Skip CRLFs before a request line; false if more bytes are needed.
    fn skip_empty_lines(&mut self) -> Result<bool, TransportError> {
        loop {
            let s = self.buf.as_slice();
            if s.starts_with(b"\r\n") {
                self.buf.consume(2);
                self.scanner.reset();
                self.skipped += 2;
                if self.skipped > self.limits.max_header_bytes {
                    let limit = self.limits.max_header_bytes;
                    return Err(self.fail(Fault::new(
                        431,
                        format!("header section longer than {limit} bytes"),
                    )));
                }
            } else {
                return Ok(s != b"\r");
            }
        }
    }

    fn on_head(&mut self, head: RequestHead) -> Result<State, Fault> {
        let f = &head.fields;
        if f.transfer_encoding {
            return Err(Fault::new(
                411,
                "Transfer-Encoding is not supported (Content-Length required)",
            ));
        }
        if head.minor == 1 && f.hosts != 1 {
            return Err(Fault::new(
                400,
                format!(
                    "an HTTP/1.1 request needs exactly one Host field, found {}",
                    f.hosts
                ),
            ));
        }
        let persistent = f.persistent(head.minor);
        let close = !persistent;
        let Some(target) = path_of(&head.target) else {
            return Err(Fault::new(
                400,
                "request target is not in origin, absolute or asterisk form",
            ));
        };
        let api = target == API_PATH.as_bytes();
        let method = head.method.as_slice();
        if method == b"POST" && api {
            let Some(len) = f.content_length else {
                return Err(Fault::new(411, "POST /api without Content-Length"));
            };
            if f.expect_continue && head.minor == 1 && len > 0 {
                self.slots.push_back(Slot::Ready {
                    bytes: CONTINUE.to_vec(),
                    close: false,
                });
            }
            return Ok(State::Body { len, persistent });
        }
        let answer = match method {
            b"OPTIONS" if api || target == b"*" => preflight(close),
            b"POST" | b"OPTIONS" => response(404, close, None),
            _ => response(405, close, None),
        };
        Ok(State::Discard {
            remaining: f.content_length.unwrap_or(0),
            answer,
            persistent,
        })
    }

    /// Answer the oldest waiting packet with `build(close)`.
    fn answer(&mut self, build: impl FnOnce(bool) -> Vec<u8>) -> Result<Vec<u8>, TransportError> {
        self.check_open()?;
        if self.waiting == 0 {
            return Err(no_request());
        }
        let mut out = self.drain_ready();
        // Reading stops after a request that asks to close, so no closing
        // answer can precede a waiting packet.
        let Some(Slot::Packet { close }) = self.slots.pop_front() else {
            return Err(TransportError::InvalidState(
                "response queue out of order".into(),
            ));
        };
        self.waiting -= 1;
        out.extend_from_slice(&build(close));
        if close {
            self.finish();
        } else {
            out.extend_from_slice(&self.drain_ready());
        }
        Ok(out)
    }

    /// Pop the codec's own answers at the front of the queue.
    fn drain_ready(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        while let Some(Slot::Ready { .. }) = self.slots.front() {
            if let Some(Slot::Ready { bytes, close }) = self.slots.pop_front() {
                out.extend_from_slice(&bytes);
                if close {
                    self.finish();
                    break;
                }
            }
        }
        out
    }

    fn check_open(&self) -> Result<(), TransportError> {
        if self.closed {
            return Err(TransportError::InvalidState(
                "the HTTP connection is closing: its last response was sent".into(),
            ));
        }
        Ok(())
    }

    /// The last response was produced.
    fn finish(&mut self) {
        self.closed = true;
        self.reading = false;
        self.slots.clear();
        self.waiting = 0;
    }

    fn fail(&mut self, fault: Fault) -> TransportError {
        self.error = Some(fault.error.clone());
        self.rejection = Some(fault.status);
        fault.error
    }
}

fn no_request() -> TransportError {
    TransportError::InvalidState("no HTTP request is waiting for a response".into())
}

/// The path of a request target: origin form as is, the path of an absolute
/// `http(s)://authority/path` (RFC 9112 §3.2.2), or `*`.
fn path_of(target: &[u8]) -> Option<&[u8]> {
    if target.starts_with(b"/") || target == b"*" {
        return Some(target);
    }
    let scheme_len = [b"http://".as_slice(), b"https://"]
        .into_iter()
        .find(|s| {
            target
                .get(..s.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(s))
        })?
        .len();
    let rest = target.get(scheme_len..)?;
    let slash = rest.iter().position(|&b| b == b'/').unwrap_or(rest.len());
    if slash == 0 {
        return None;
    }
    match rest.get(slash..) {
        Some([]) | None => Some(b"/"),
        path => path,
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        417 => "Expectation Failed",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    }
}

fn connection(close: bool) -> &'static str {
    if close { "close" } else { "keep-alive" }
}

/// A response with a body (`Some`, binary) or an empty one (`None`).
fn response(status: u16, close: bool, body: Option<&[u8]>) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nConnection: {}\r\n",
        reason(status),
        connection(close)
    );
    if status == 405 {
        head.push_str("Allow: POST, OPTIONS\r\n");
    }
    head.push_str("Access-Control-Allow-Origin: *\r\n");
    let body = body.unwrap_or_default();
    if !body.is_empty() {
        head.push_str("Content-Type: application/octet-stream\r\n");
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut out = head.into_bytes();
    out.extend_from_slice(body);
    out
}

/// The answer to a CORS preflight (`OPTIONS /api`): 204 has no
/// Content-Length (RFC 9110 §8.6).
fn preflight(close: bool) -> Vec<u8> {
    format!(
        "HTTP/1.1 204 No Content\r\nConnection: {}\r\nAllow: POST, OPTIONS\r\n\
         Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: POST, OPTIONS\r\n\
         Access-Control-Allow-Headers: Content-Type\r\nAccess-Control-Max-Age: 86400\r\n\r\n",
        connection(close)
    )
    .into_bytes()
}
