//! The client side of the HTTP transport: requests out, responses in.

use std::collections::VecDeque;

use super::parse::{HeadScanner, ResponseHead, parse_response};
use super::{API_PATH, HttpLimits};
use crate::error::TransportError;
use crate::transport::Inbound;
use crate::transport::buffer::StreamBuffer;

/// The statuses `/mtproto/mtproto-transports#transport-errors` names as
/// transport errors; over HTTP they arrive as the response status.
const TRANSPORT_ERROR_STATUSES: [u16; 4] = [403, 404, 429, 444];

/// The longest `Host` value [`HttpClient::new`] accepts.
const MAX_HOST_LEN: usize = 1024;

#[derive(Clone, Debug)]
enum State {
    /// Waiting for a status line and header fields.
    Head,
    /// Reading a 200 response's body.
    Body { len: usize, persistent: bool },
    /// Skipping a transport-error response's body (its content is ignored).
    Skip {
        remaining: usize,
        code: i32,
        persistent: bool,
    },
    /// The server closes the connection: no more responses; later bytes are
    /// ignored.
    Closed,
}

/// The client end of an HTTP transport connection (`/mtproto/transports#http`).
///
/// Call [`encode_request`](Self::encode_request) for every payload and write
/// the bytes; [`feed`](Self::feed) what the socket reads, then drain
/// [`poll`](Self::poll). Responses come back in
/// request order; each yields [`Inbound::Packet`] (`quick_ack: false`: HTTP
/// has no quick acks) or [`Inbound::TransportError`]. When
/// [`should_close`](Self::should_close) turns true the server is closing the
/// connection, and the [`pending`](Self::pending) requests will not be
/// answered on it.
#[derive(Clone, Debug)]
pub struct HttpClient {
    host: String,
    limits: HttpLimits,
    buf: StreamBuffer,
    scanner: HeadScanner,
    state: State,
    pending: usize,
    out: VecDeque<Inbound>,
    error: Option<TransportError>,
}

impl HttpClient {
    /// A client that sends `Host: host` (`host[:port]` as configured; empty is
    /// allowed, as tdlib sends it), with the default [`HttpLimits`].
    ///
    /// A host with bytes outside the URI authority characters is
    /// [`TransportError::InvalidState`].
    pub fn new(host: &str) -> Result<Self, TransportError> {
        Self::with_limits(host, HttpLimits::default())
    }

    /// [`new`](Self::new) with explicit limits.
    pub fn with_limits(host: &str, limits: HttpLimits) -> Result<Self, TransportError> {
        let valid = |b: u8| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:[]%".contains(&b);
        if host.len() > MAX_HOST_LEN || !host.bytes().all(valid) {
            return Err(TransportError::InvalidState(format!(
                "invalid Host value {host:?}: expected host[:port], at most {MAX_HOST_LEN} bytes"
            )));
        }
        Ok(HttpClient {
            host: host.to_owned(),
            limits,
            buf: StreamBuffer::new(limits.buffer_limit()),
            scanner: HeadScanner::default(),
            state: State::Head,
            pending: 0,
            out: VecDeque::new(),
            error: None,
        })
    }

    /// The bytes of a `POST /api` request carrying `payload`; the request
    /// then waits for its response ([`pending`](Self::pending) grows by one).
    ///
    /// Errors: the sticky error if the codec failed;
    /// [`TransportError::InvalidState`] once the server closes the
    /// connection; [`TransportError::FrameTooLarge`] for a payload above the
    /// body limit (not fatal: nothing is sent).
    pub fn encode_request(&mut self, payload: &[u8]) -> Result<Vec<u8>, TransportError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if matches!(self.state, State::Closed) {
            return Err(TransportError::InvalidState(
                "the server closed this HTTP connection; open a new one".into(),
            ));
        }
        if payload.len() > self.limits.max_body {
            return Err(TransportError::FrameTooLarge {
                len: payload.len(),
                max: self.limits.max_body,
            });
        }
        let head = format!(
            "POST {API_PATH} HTTP/1.1\r\nHost: {}\r\nConnection: keep-alive\r\n\
             Content-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
            self.host,
            payload.len()
        );
        let mut out = Vec::with_capacity(head.len() + payload.len());
        out.extend_from_slice(head.as_bytes());
        out.extend_from_slice(payload);
        self.pending += 1;
        Ok(out)
    }

    /// Decode bytes read from the socket (any amount, split anywhere), then
    /// drain [`poll`](Self::poll). Bytes after a response that closes the
    /// connection are ignored.
    ///
    /// Errors (all fatal and sticky; responses decoded before the error stay
    /// available to `poll`): [`TransportError::Http`] for a malformed or
    /// unsupported response (chunked, no `Content-Length`, a response with no
    /// request waiting, ...); [`TransportError::HttpStatus`] for a status
    /// other than 200, 1xx and the transport-error statuses;
    /// [`TransportError::FrameTooLarge`] for a body above the limit.
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
            // Less than one message stays buffered after decoding, so there
            // is always room for at least another message's worth.
            let room = self.limits.buffer_limit().saturating_sub(self.buf.len());
            let (now, rest) = input.split_at_checked(room.max(1)).unwrap_or((input, &[]));
            self.buf.push(now).map_err(|e| self.fail(e))?;
            input = rest;
        }
    }

    /// The next decoded response, in request order.
    pub fn poll(&mut self) -> Option<Inbound> {
        self.out.pop_front()
    }

    /// The fatal error the codec stopped on, if any.
    pub fn error(&self) -> Option<&TransportError> {
        self.error.as_ref()
    }

    /// Bytes received but not yet decoded (part of a response).
    pub fn buffered_len(&self) -> usize {
        self.buf.len()
    }

    /// Decode the next response from the buffer, `Ok(None)` when more bytes
    /// are needed.
    fn decode_next(&mut self) -> Result<Option<Inbound>, TransportError> {
        loop {
            match self.state {
                State::Closed => {
                    self.buf.consume(self.buf.len());
                    return Ok(None);
                }
                State::Head => {
                    let Some(len) = self.scan()? else {
                        return Ok(None);
                    };
                    let head = self.head(len)?;
                    self.buf.consume(len);
                    if let Some(event) = self.on_head(head)? {
                        return Ok(Some(event));
                    }
                }
                State::Body { len, persistent } => {
                    let Some(payload) = self.buf.take(len) else {
                        return Ok(None);
                    };
                    return Ok(Some(self.answered(persistent, body_event(payload))));
                }
                State::Skip {
                    remaining,
                    code,
                    persistent,
                } => {
                    let n = remaining.min(self.buf.len());
                    self.buf.consume(n);
                    if n < remaining {
                        self.state = State::Skip {
                            remaining: remaining - n,
                            code,
                            persistent,
                        };
                        return Ok(None);
                    }
                    return Ok(Some(
                        self.answered(persistent, Inbound::TransportError { code }),
                    ));
                }
            }
        }
    }

    /// How many requests wait for their response.
    pub fn pending(&self) -> usize {
        self.pending
    }

    /// Whether the server said it closes the connection (`Connection:
    /// close`, an HTTP/1.0 response without keep-alive, or a transport error
    /// whose body has no length). Close the socket and open a new one for the
    /// [`pending`](Self::pending) requests.
    pub fn should_close(&self) -> bool {
        matches!(self.state, State::Closed)
    }

    fn scan(&mut self) -> Result<Option<usize>, TransportError> {
        let limit = self.limits.max_header_bytes;
        self.scanner
            .scan(self.buf.as_slice(), limit)
            .map_err(|f| self.fail(f.error))
    }

    fn head(&mut self, len: usize) -> Result<ResponseHead, TransportError> {
        let bytes = self.buf.as_slice().get(..len).unwrap_or_default();
        parse_response(bytes, &self.limits).map_err(|f| self.fail(f.error))
    }

    fn on_head(&mut self, head: ResponseHead) -> Result<Option<Inbound>, TransportError> {
        if self.pending == 0 {
            return Err(self.fail_http("a response arrived with no request waiting"));
        }
        let persistent = head.fields.persistent(head.minor);
        let f = &head.fields;
        match head.status {
            // Interim responses carry no body and precede the real one
            // (RFC 9110 §15.2); 101 would switch protocols.
            100 | 102..=199 => Ok(None),
            200 => {
                if f.transfer_encoding {
                    return Err(self.fail_http(
                        "Transfer-Encoding in a response is not supported (Content-Length required)",
                    ));
                }
                let Some(len) = f.content_length else {
                    return Err(self.fail_http("200 response without Content-Length"));
                };
                self.state = State::Body { len, persistent };
                Ok(None)
            }
            s if TRANSPORT_ERROR_STATUSES.contains(&s) => {
                let code = -i32::from(s);
                match (f.transfer_encoding, f.content_length) {
                    (false, Some(remaining)) => {
                        self.state = State::Skip {
                            remaining,
                            code,
                            persistent,
                        };
                        Ok(None)
                    }
                    // The body cannot be delimited: it runs to the close.
                    _ => Ok(Some(self.answered(false, Inbound::TransportError { code }))),
                }
            }
            status => Err(self.fail(TransportError::HttpStatus { status })),
        }
    }

    /// A response completed: one request fewer waits.
    fn answered(&mut self, persistent: bool, event: Inbound) -> Inbound {
        self.pending = self.pending.saturating_sub(1);
        self.state = if persistent {
            State::Head
        } else {
            State::Closed
        };
        event
    }

    fn fail_http(&mut self, message: &str) -> TransportError {
        self.fail(TransportError::Http(message.into()))
    }

    fn fail(&mut self, e: TransportError) -> TransportError {
        self.error = Some(e.clone());
        e
    }
}

/// A 200 body: a payload, or a transport error framed the TCP way (exactly 4
/// bytes, a negative little-endian int32, as tdlib reads any body).
fn body_event(payload: Vec<u8>) -> Inbound {
    if let Ok(word) = <[u8; 4]>::try_from(payload.as_slice()) {
        let code = i32::from_le_bytes(word);
        if code < 0 {
            return Inbound::TransportError { code };
        }
    }
    Inbound::Packet {
        payload,
        quick_ack: false,
    }
}
