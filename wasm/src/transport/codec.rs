//! The single-layer codecs: `FramingCodec` (core
//! [`mtproto_core::transport::framing`]), `HttpClient` and `HttpServer`
//! (core [`mtproto_core::transport::http`]), and the framing helpers.

use mtproto_core::OsRandom;
use mtproto_core::crypto::fixed;
use mtproto_core::transport::{framing, http};
use wasm_bindgen::prelude::*;

use super::{framing_from_js, inbound_to_js, max_frame_from_js, role_from_js};
use crate::convert::int_from_js;
use crate::error::to_js;

/// A quick-ack token from a JS `number` in 0..2^32.
fn token_from_js(token: &JsValue) -> Result<u32, JsValue> {
    int_from_js("token", "0..2^32", token)
}

/// A transport error code from a JS `number` in -2^31..2^31.
fn code_from_js(code: &JsValue) -> Result<i32, JsValue> {
    int_from_js("code", "-2^31..2^31", code)
}

/// A streaming codec for one framing (not HTTP) and one role: bytes in,
/// `Inbound`s out; payloads in, bytes to write out.
///
/// Decoding: `feed` whatever arrived, split anywhere, then drain `poll`.
/// Encoding: write the returned bytes in call order (full framing numbers
/// its packets). The one-time header (`framingHeader`) is not part of the
/// codec's stream. Errors while decoding are sticky.
#[wasm_bindgen]
pub struct FramingCodec {
    inner: framing::FramingCodec,
}

#[wasm_bindgen]
impl FramingCodec {
    /// A codec for `kind` (not `Http`: `InvalidArgument`, 1) on the `role`
    /// end, refusing payloads over `maxFrame` bytes (clamped to what the
    /// framing can express).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "TransportKind")] kind: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Role")] role: JsValue,
        #[wasm_bindgen(js_name = maxFrame, unchecked_param_type = "number")] max_frame: JsValue,
    ) -> Result<FramingCodec, JsValue> {
        let kind = framing_from_js("kind", &kind)?;
        let role = role_from_js(&role)?;
        let max_frame = max_frame_from_js("maxFrame", &max_frame)?;
        Ok(FramingCodec {
            inner: framing::FramingCodec::new(kind, role, max_frame),
        })
    }

    /// Feed received bytes, split anywhere.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), JsValue> {
        self.inner.feed(bytes).map_err(to_js)
    }

    /// The next decoded item, or `undefined`.
    #[wasm_bindgen(unchecked_return_type = "Inbound | undefined")]
    pub fn poll(&mut self) -> Result<JsValue, JsValue> {
        inbound_to_js(self.inner.poll())
    }

    /// The bytes of one packet (padded intermediate: with 0..15 random
    /// padding bytes); `quickAck` asks for a quick ack (client only).
    #[wasm_bindgen(js_name = encodePacket)]
    pub fn encode_packet(
        &mut self,
        payload: &[u8],
        #[wasm_bindgen(js_name = quickAck)] quick_ack: bool,
    ) -> Result<Vec<u8>, JsValue> {
        self.inner
            .encode_packet(payload, quick_ack, &mut OsRandom)
            .map_err(to_js)
    }

    /// `encodePacket` with the given padding (padded intermediate: 0..=15
    /// bytes; other framings: none): deterministic, for tests and vectors.
    #[wasm_bindgen(js_name = encodePacketWithPadding)]
    pub fn encode_packet_with_padding(
        &mut self,
        payload: &[u8],
        #[wasm_bindgen(js_name = quickAck)] quick_ack: bool,
        padding: &[u8],
    ) -> Result<Vec<u8>, JsValue> {
        self.inner
            .encode_packet_with_padding(payload, quick_ack, padding)
            .map_err(to_js)
    }

    /// The bytes of a quick-ack reply carrying `token` (server only; top bit
    /// set).
    #[wasm_bindgen(js_name = encodeQuickAck)]
    pub fn encode_quick_ack(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] token: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let token = token_from_js(&token)?;
        self.inner
            .encode_quick_ack(token, &mut OsRandom)
            .map_err(to_js)
    }

    /// `encodeQuickAck` with the given padding (padded intermediate only).
    #[wasm_bindgen(js_name = encodeQuickAckWithPadding)]
    pub fn encode_quick_ack_with_padding(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] token: JsValue,
        padding: &[u8],
    ) -> Result<Vec<u8>, JsValue> {
        let token = token_from_js(&token)?;
        self.inner
            .encode_quick_ack_with_padding(token, padding)
            .map_err(to_js)
    }

    /// The bytes of a transport error (server only; `code` negative, not
    /// -1).
    #[wasm_bindgen(js_name = encodeTransportError)]
    pub fn encode_transport_error(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] code: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let code = code_from_js(&code)?;
        self.inner
            .encode_transport_error(code, &mut OsRandom)
            .map_err(to_js)
    }

    /// `encodeTransportError` with the given padding (padded intermediate
    /// only).
    #[wasm_bindgen(js_name = encodeTransportErrorWithPadding)]
    pub fn encode_transport_error_with_padding(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] code: JsValue,
        padding: &[u8],
    ) -> Result<Vec<u8>, JsValue> {
        let code = code_from_js(&code)?;
        self.inner
            .encode_transport_error_with_padding(code, padding)
            .map_err(to_js)
    }
}

/// The one-time header a client sends before its first packet (`ef`,
/// `eeeeeeee`, `dddddddd`; empty for full). `Http` throws `InvalidArgument`
/// (1).
#[wasm_bindgen(js_name = framingHeader)]
pub fn framing_header(
    #[wasm_bindgen(unchecked_param_type = "TransportKind")] kind: JsValue,
) -> Result<Vec<u8>, JsValue> {
    Ok(framing::header_bytes(framing_from_js("kind", &kind)?).to_vec())
}

/// A padded-intermediate payload without its random padding (the payload
/// unchanged when it is too short or inconsistent to tell).
#[wasm_bindgen(js_name = stripPaddedIntermediatePadding)]
pub fn strip_padded_intermediate_padding(payload: &[u8]) -> Vec<u8> {
    framing::strip_padded_intermediate_padding(payload).to_vec()
}

/// The quick-ack token of a packet from its 32-byte `msgKeyLarge`
/// (otherwise `InvalidLength`, 101): its first 4 bytes little-endian, top
/// bit set.
#[wasm_bindgen(js_name = quickAckToken)]
pub fn quick_ack_token(
    #[wasm_bindgen(js_name = msgKeyLarge)] msg_key_large: &[u8],
) -> Result<u32, JsValue> {
    let large = fixed::<32>("msg_key_large", msg_key_large).map_err(to_js)?;
    Ok(framing::quick_ack_token(&large))
}

/// The client side of the HTTP transport: `POST /api` requests out,
/// responses in (a response status of 4xx/5xx with a 4-byte body is a
/// transport error). Decoding errors are sticky.
#[wasm_bindgen]
pub struct HttpClient {
    inner: http::HttpClient,
}

#[wasm_bindgen]
impl HttpClient {
    /// A client that sends `Host: host` (empty is allowed); a host with
    /// characters outside a URI authority throws `TransportInvalidState`
    /// (611).
    #[wasm_bindgen(constructor)]
    pub fn new(host: &str) -> Result<HttpClient, JsValue> {
        Ok(HttpClient {
            inner: http::HttpClient::new(host).map_err(to_js)?,
        })
    }

    /// The bytes of a request carrying `payload`; it then waits for its
    /// response (`pending` grows by one).
    #[wasm_bindgen(js_name = encodeRequest)]
    pub fn encode_request(&mut self, payload: &[u8]) -> Result<Vec<u8>, JsValue> {
        self.inner.encode_request(payload).map_err(to_js)
    }

    /// Feed received bytes, split anywhere.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), JsValue> {
        self.inner.feed(bytes).map_err(to_js)
    }

    /// The next response payload or transport error, or `undefined`.
    #[wasm_bindgen(unchecked_return_type = "Inbound | undefined")]
    pub fn poll(&mut self) -> Result<JsValue, JsValue> {
        inbound_to_js(self.inner.poll())
    }

    /// How many requests wait for their response.
    pub fn pending(&self) -> usize {
        self.inner.pending()
    }
}

/// The server side of the HTTP transport: requests in, responses out. It
/// answers CORS preflights and bad requests by itself (`pollTransmit`).
/// Decoding errors are sticky.
#[wasm_bindgen]
pub struct HttpServer {
    inner: http::HttpServer,
}

impl Default for HttpServer {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl HttpServer {
    /// A server end with the default limits.
    #[wasm_bindgen(constructor)]
    pub fn new() -> HttpServer {
        HttpServer {
            inner: http::HttpServer::new(),
        }
    }

    /// Feed received bytes, split anywhere.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), JsValue> {
        self.inner.feed(bytes).map_err(to_js)
    }

    /// The next request payload, or `undefined`.
    #[wasm_bindgen(unchecked_return_type = "Inbound | undefined")]
    pub fn poll(&mut self) -> Result<JsValue, JsValue> {
        inbound_to_js(self.inner.poll())
    }

    /// Answers the codec gives by itself (CORS preflight, 405, ...), or
    /// `undefined`. Call after every `feed` and every `encode*`.
    #[wasm_bindgen(js_name = pollTransmit)]
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.inner.poll_transmit()
    }

    /// A `200 OK` response carrying `payload`, answering the oldest waiting
    /// request.
    #[wasm_bindgen(js_name = encodeResponse)]
    pub fn encode_response(&mut self, payload: &[u8]) -> Result<Vec<u8>, JsValue> {
        self.inner.encode_response(payload).map_err(to_js)
    }

    /// A transport error (status `-code`, the code as the body) answering
    /// the oldest waiting request.
    #[wasm_bindgen(js_name = encodeTransportError)]
    pub fn encode_transport_error(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] code: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let code = code_from_js(&code)?;
        self.inner.encode_transport_error(code).map_err(to_js)
    }

    /// An HTTP error response (`status` 400..=599, empty body, connection
    /// closed afterwards).
    #[wasm_bindgen(js_name = encodeError)]
    pub fn encode_error(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] status: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let status: u16 = int_from_js("status", "0..65536", &status)?;
        self.inner.encode_error(status).map_err(to_js)
    }

    /// How many requests handed out by `poll` wait for their response.
    pub fn pending(&self) -> usize {
        self.inner.pending()
    }

    /// After a fatal decode error: the status to answer the bad request
    /// with (`encodeError`), or `undefined`.
    #[wasm_bindgen(js_name = rejectionStatus)]
    pub fn rejection_status(&self) -> Option<u16> {
        self.inner.rejection_status()
    }
}
