//! The HTTP transport (`/mtproto/transports#http`): each MTProto payload is the
//! body of a `POST /api` on a keep-alive HTTP/1.1 connection, and each answer
//! is the body of the matching response. Both roles, sans-IO, written by hand:
//! the subset of HTTP/1.1 MTProto needs is small, and a strict parser with hard
//! bounds is easier to trust than a general one.
//!
//! - [`HttpClient`]: [`HttpClient::encode_request`] wraps a payload; bytes read
//!   from the socket go to [`HttpClient::feed`], then [`HttpClient::poll`]
//!   yields one [`Inbound`](super::Inbound) per response.
//! - [`HttpServer`]: [`HttpServer::feed`] / [`HttpServer::poll`] yield one
//!   packet per request (pipelined requests, or one request split over many
//!   reads, both work); [`HttpServer::encode_response`],
//!   [`HttpServer::encode_transport_error`] and [`HttpServer::encode_error`]
//!   answer them in order, and [`HttpServer::poll_transmit`] hands out the
//!   answers the codec writes by itself (`OPTIONS`, other methods and paths).
//!
//! Like the framing codecs, `feed` decodes everything it can at once
//! (errors come from `feed`) and `poll` drains what was decoded; less than
//! one message is ever buffered between calls.
//!
//! # Decisions
//!
//! **Wire format of a request.** `POST /api HTTP/1.1`, `Host`,
//! `Connection: keep-alive`, `Content-Type: application/octet-stream`,
//! `Content-Length`. This is what tdlib sends (`td/mtproto/HttpTransport.cpp`:
//! `init_post("/api")`, `Host`, `set_keep_alive()`, `set_content_size()`)
//! plus the `Content-Type` RFC 9110 §8.3 asks for when a message has content
//! (tdlib sends none and MadelineProto sends
//! `application/x-www-form-urlencoded`, so servers do not depend on it).
//!
//! **One request at a time, or pipelined.** Both codecs handle pipelining
//! (responses in request order, RFC 9112 §9.3.2), but tdlib keeps one
//! request per connection in flight (its HTTP transport alternates write and
//! read turns), and a server holding an `http_wait` long poll answers nothing
//! behind it; the session layer decides how many to send.
//!
//! **Body framing: `Content-Length` only.** Messages with `Transfer-Encoding`
//! (chunked or any other coding) are refused: a request gets `411 Length
//! Required` (RFC 9110 §15.5.12: the server refuses a request without a
//! defined Content-Length) and a response is a fatal [`TransportError::Http`].
//! Every MTProto HTTP implementation we know frames with `Content-Length`:
//! tdlib's writer always sets it, and MadelineProto's reader
//! (`HttpStream.php`) only understands it. Refusing chunked also removes the
//! request-smuggling ambiguity of `Transfer-Encoding` + `Content-Length`
//! (RFC 9112 §6.3). A request without either has an empty body (RFC 9112
//! §6.3 rule 6), except `POST /api`, which must say how long its payload is
//! (411).
//!
//! **Transport errors over HTTP.** `/mtproto/mtproto-transports#transport-errors`:
//! "When using the HTTP/HTTPS transports, transport errors are not
//! transmitted as specified above, instead they are simply returned as normal
//! HTTP status codes (and the HTTP payload must be ignored)". So the client
//! turns a response with status 403, 404, 429 or 444 (the codes that page
//! lists) into [`Inbound::TransportError`](super::Inbound::TransportError)
//! with code `-status`, skipping its body (MadelineProto does the same for
//! every non-200 status). Any other status except 1xx is a fatal
//! [`TransportError::HttpStatus`]. tdlib instead ignores the status and reads
//! a 4-byte body as the error code (`td/mtproto/Transport.cpp`,
//! `Transport::read`), so the client also accepts a 200 response whose body
//! is exactly 4 bytes holding a negative little-endian int32 as a transport
//! error (no MTProto message is 4 bytes long), and the server's
//! [`HttpServer::encode_transport_error`] sends both: status `-code` and the
//! 4-byte code as the body. Either kind of client reads it right.
//!
//! **Methods and paths (server).** `POST` to `/api` (origin form, or the
//! absolute form `http://host/api` that proxies and tdlib's proxy mode send,
//! RFC 9112 §3.2.2) carries a payload. `OPTIONS` to `/api` or `*` is
//! answered by the codec with a CORS preflight (`204`, `Allow: POST,
//! OPTIONS`, `Access-Control-Allow-*`), so browser clients can post from a
//! page on another origin; every response carries
//! `Access-Control-Allow-Origin: *` for the same reason (MTProto needs no
//! cookies or other credentials, so a wildcard opens nothing). `POST` or
//! `OPTIONS` to another path gets `404`; any other method (`GET`, `HEAD`,
//! ...) gets `405` with `Allow: POST, OPTIONS` (RFC 9110 §15.5.6). These
//! automatic answers keep the connection open and keep their place in the
//! response order. `Expect: 100-continue` is answered with `100 Continue` when
//! the payload is due (RFC 9110 §10.1.1); any other expectation gets `417`.
//!
//! **Strictness.** Lines end in CRLF (a bare CR or LF is an error); header
//! names are tokens with no space before the colon; obsolete line folding, bytes
//! outside printable ASCII (other than tab) anywhere in the header section,
//! a duplicate `Content-Length`, a `Content-Length` that is not a plain
//! decimal number, or more than one `Host` in an HTTP/1.1 request are errors
//! (RFC 9112 §2.2, §3.2, §5, §6.3). Versions other than HTTP/1.0 and
//! HTTP/1.1 are refused (`505` on the server). Empty lines before a request
//! line are skipped (RFC 9112 §2.2). HTTP/1.0 messages keep the connection
//! only with `Connection: keep-alive`; `Connection: close` is honoured in
//! both directions (RFC 9112 §9.3, §9.6).
//!
//! **Limits.** [`HttpLimits`]: the header section (start line and fields,
//! default 8 KiB, `431` on the server), the number of header fields (default
//! 64, `431`) and the body ([`super::DEFAULT_MAX_FRAME`], checked on the
//! declared length before any allocation: [`TransportError::FrameTooLarge`],
//! `413`).
//!
//! **Errors.** Every error from `feed`/`poll` is fatal and sticky: later calls
//! return the same error. On the server, requests read before the error may
//! still be answered, and [`HttpServer::rejection_status`] says which status
//! to send with [`HttpServer::encode_error`] before closing.

mod client;
mod parse;
mod server;

#[cfg(test)]
mod tests;

pub use client::HttpClient;
pub use server::HttpServer;

#[cfg(doc)]
use crate::error::TransportError;

/// The default bound on a message's header section (start line, header
/// fields and the blank line): 8 KiB.
pub const DEFAULT_MAX_HEADER_BYTES: usize = 8 * 1024;

/// The default bound on the number of header fields in one message.
pub const DEFAULT_MAX_HEADERS: usize = 64;

/// The request path of the HTTP transport.
pub const API_PATH: &str = "/api";

/// Size limits of an HTTP codec. Anything over a limit is a fatal error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct HttpLimits {
    /// The longest header section, in bytes, counting the start line, every
    /// field line, their CRLFs and the blank line that ends the section.
    pub max_header_bytes: usize,
    /// The most header fields one message may have.
    pub max_headers: usize,
    /// The largest body (payload), in bytes; larger declared lengths are
    /// [`TransportError::FrameTooLarge`] before any allocation.
    pub max_body: usize,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            max_header_bytes: DEFAULT_MAX_HEADER_BYTES,
            max_headers: DEFAULT_MAX_HEADERS,
            max_body: super::DEFAULT_MAX_FRAME,
        }
    }
}

impl HttpLimits {
    /// The receive buffer's bound: two whole messages (after decoding, less
    /// than one is left, so `feed` always has room to top it up).
    fn buffer_limit(&self) -> usize {
        self.max_header_bytes
            .saturating_add(self.max_body)
            .saturating_mul(2)
    }
}
