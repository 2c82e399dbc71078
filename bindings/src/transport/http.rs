//! [`HttpClient`] and [`HttpServer`] (core `transport::http`).

use std::sync::{Arc, Mutex};

use mtproto_core::transport::http as core_http;

use super::{Inbound, lock, to_u64};
use crate::error::MtprotoError;

/// The client end of an HTTP transport connection (`/mtproto/transports#http`).
///
/// Call [`encode_request`](Self::encode_request) for every payload and write
/// the bytes; [`feed`](Self::feed) what the socket reads, then drain
/// [`poll`](Self::poll): responses come back in request order as packets or
/// transport errors. Once the server closes the connection,
/// `encode_request` throws 611 and the [`pending`](Self::pending) requests
/// must be sent again on a new connection. Safe to share between threads.
#[derive(uniffi::Object)]
pub struct HttpClient {
    inner: Mutex<core_http::HttpClient>,
}

impl core::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("HttpClient { .. }")
    }
}

#[uniffi::export]
impl HttpClient {
    /// A client that sends `Host: host` (`host[:port]`; may be empty). Code
    /// 611 for a host with characters outside a URI authority.
    #[uniffi::constructor]
    pub fn new(host: String) -> Result<Arc<Self>, MtprotoError> {
        Ok(Arc::new(HttpClient {
            inner: Mutex::new(core_http::HttpClient::new(&host)?),
        }))
    }

    /// The bytes of a `POST /api` request carrying `payload`; the request
    /// then waits for its response.
    pub fn encode_request(&self, payload: Vec<u8>) -> Result<Vec<u8>, MtprotoError> {
        Ok(lock(&self.inner, "HttpClient")?.encode_request(&payload)?)
    }

    /// Decode bytes read from the socket (any amount, split anywhere), then
    /// drain `poll`. Errors are fatal and sticky: 608 (malformed response),
    /// 609 (a status other than 200 and the transport-error statuses), 601
    /// (a body over the limit).
    pub fn feed(&self, bytes: Vec<u8>) -> Result<(), MtprotoError> {
        Ok(lock(&self.inner, "HttpClient")?.feed(&bytes)?)
    }

    /// The next response: a packet or a transport error; `None` when there
    /// is none.
    pub fn poll(&self) -> Result<Option<Inbound>, MtprotoError> {
        Ok(lock(&self.inner, "HttpClient")?.poll().map(Inbound::from))
    }

    /// How many requests wait for their response.
    pub fn pending(&self) -> Result<u64, MtprotoError> {
        Ok(to_u64(lock(&self.inner, "HttpClient")?.pending()))
    }
}

/// The server end of an HTTP transport connection (`/mtproto/transports#http`).
///
/// [`feed`](Self::feed) what the socket reads, drain [`poll`](Self::poll)
/// (one packet per `POST /api`) and write what
/// [`poll_transmit`](Self::poll_transmit) returns (answers the codec writes
/// itself: `100 Continue`, `OPTIONS`, 404, 405). Answer each packet, in
/// order, with [`encode_response`](Self::encode_response),
/// [`encode_transport_error`](Self::encode_transport_error) or
/// [`encode_error`](Self::encode_error). After a fatal decode error, answer
/// with `encode_error(rejection_status())` and close. Safe to share between
/// threads.
#[derive(uniffi::Object)]
pub struct HttpServer {
    inner: Mutex<core_http::HttpServer>,
}

impl core::fmt::Debug for HttpServer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("HttpServer { .. }")
    }
}

#[uniffi::export]
impl HttpServer {
    /// A server connection with the default limits.
    #[uniffi::constructor]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Arc<Self> {
        Arc::new(HttpServer {
            inner: Mutex::new(core_http::HttpServer::new()),
        })
    }

    /// Decode bytes read from the socket (any amount, split anywhere), then
    /// drain `poll` and `poll_transmit`. Errors are fatal and sticky: 608
    /// (malformed request), 601 (a body over the limit).
    pub fn feed(&self, bytes: Vec<u8>) -> Result<(), MtprotoError> {
        Ok(lock(&self.inner, "HttpServer")?.feed(&bytes)?)
    }

    /// The next request's payload; `None` when there is none.
    pub fn poll(&self) -> Result<Option<Inbound>, MtprotoError> {
        Ok(lock(&self.inner, "HttpServer")?.poll().map(Inbound::from))
    }

    /// Answers the codec wrote itself that are due now, in order; `None` if
    /// there are none. Call after every `feed` and every `encode_*`.
    pub fn poll_transmit(&self) -> Result<Option<Vec<u8>>, MtprotoError> {
        Ok(lock(&self.inner, "HttpServer")?.poll_transmit())
    }

    /// A `200 OK` response carrying `payload`, answering the oldest request
    /// that waits (611 if none does).
    pub fn encode_response(&self, payload: Vec<u8>) -> Result<Vec<u8>, MtprotoError> {
        Ok(lock(&self.inner, "HttpServer")?.encode_response(&payload)?)
    }

    /// A transport error (status `-code`, -400..=-599) answering the oldest
    /// request that waits.
    pub fn encode_transport_error(&self, code: i32) -> Result<Vec<u8>, MtprotoError> {
        Ok(lock(&self.inner, "HttpServer")?.encode_transport_error(code)?)
    }

    /// An HTTP error response (`status` 400..=599, empty body, connection
    /// closed afterwards) answering the oldest request that waits, or the bad
    /// request after a fatal decode error.
    pub fn encode_error(&self, status: u16) -> Result<Vec<u8>, MtprotoError> {
        Ok(lock(&self.inner, "HttpServer")?.encode_error(status)?)
    }

    /// How many payloads handed out by `poll` wait for their response.
    pub fn pending(&self) -> Result<u64, MtprotoError> {
        Ok(to_u64(lock(&self.inner, "HttpServer")?.pending()))
    }

    /// After a fatal decode error: the status to answer the bad request with
    /// (400, 404, 411, 413, 417, 431, 505).
    pub fn rejection_status(&self) -> Result<Option<u16>, MtprotoError> {
        Ok(lock(&self.inner, "HttpServer")?.rejection_status())
    }
}
