//! `ClientTransport` and `ServerTransport` (core
//! [`mtproto_core::transport::connection`]).

use mtproto_core::transport::connection as core;
use mtproto_core::{OsRandom, UnixMillis};
use wasm_bindgen::prelude::*;

use super::{client_config_from_js, detected_to_js, inbound_to_js, server_config_from_js};
use crate::convert::{int_from_js, u64_from_js};
use crate::error::to_js;

/// The client end of one connection: every layer (fake TLS, obfuscation,
/// framing or HTTP) composed.
///
/// Feed what the socket read with `handleInput`, queue payloads with
/// `send`, then drain `pollTransmit` (bytes to write, in order) and
/// `pollInbound`. The first error is fatal and sticky: every later call
/// throws it again. Randomness comes from `crypto.getRandomValues`.
#[wasm_bindgen]
pub struct ClientTransport {
    inner: core::ClientTransport,
}

#[wasm_bindgen]
impl ClientTransport {
    /// Open a connection; what must be sent first (header, obfuscated init,
    /// fake-TLS hello) is queued for `pollTransmit`. `nowMs` (a `bigint`,
    /// Unix milliseconds) dates the fake-TLS hello.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientTransportConfig")] config: JsValue,
        #[wasm_bindgen(js_name = nowMs, unchecked_param_type = "bigint")] now_ms: JsValue,
    ) -> Result<ClientTransport, JsValue> {
        let config = client_config_from_js(&config)?;
        let now = UnixMillis(u64_from_js("nowMs", now_ms)?);
        let inner = core::ClientTransport::new(config, Box::new(OsRandom), now).map_err(to_js)?;
        Ok(ClientTransport { inner })
    }

    /// Queue one payload (a positive multiple of 4 bytes), asking for a
    /// quick ack if `quickAck` (framings other than HTTP).
    pub fn send(
        &mut self,
        payload: &[u8],
        #[wasm_bindgen(js_name = quickAck)] quick_ack: bool,
    ) -> Result<(), JsValue> {
        self.inner.send(payload, quick_ack).map_err(to_js)
    }

    /// Feed bytes the socket read, split anywhere.
    #[wasm_bindgen(js_name = handleInput)]
    pub fn handle_input(&mut self, bytes: &[u8]) -> Result<(), JsValue> {
        self.inner.handle_input(bytes).map_err(to_js)
    }

    /// The next bytes to write to the socket, or `undefined`.
    #[wasm_bindgen(js_name = pollTransmit)]
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.inner.poll_transmit()
    }

    /// The next payload, quick ack or transport error that arrived, or
    /// `undefined`.
    #[wasm_bindgen(js_name = pollInbound, unchecked_return_type = "Inbound | undefined")]
    pub fn poll_inbound(&mut self) -> Result<JsValue, JsValue> {
        inbound_to_js(self.inner.poll_inbound())
    }
}

/// The server end of one connection: detects what the client speaks
/// (plain framings, obfuscated2 with or without a secret, fake TLS, HTTP)
/// from its first bytes, then decodes and encodes it.
///
/// The same drive loop and sticky errors as `ClientTransport`; a refused
/// connection throws `TransportUnknownProtocol` (605) or
/// `TransportObfuscation` (606) / `TransportFakeTls` (607).
#[wasm_bindgen]
pub struct ServerTransport {
    inner: core::ServerTransport,
}

#[wasm_bindgen]
impl ServerTransport {
    /// A server end waiting for the client's first bytes.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ServerTransportConfig")] config: JsValue,
    ) -> Result<ServerTransport, JsValue> {
        let config = server_config_from_js(&config)?;
        let inner = core::ServerTransport::new(config, Box::new(OsRandom)).map_err(to_js)?;
        Ok(ServerTransport { inner })
    }

    /// Feed bytes the socket read; `nowMs` (a `bigint`, Unix milliseconds)
    /// checks fake-TLS timestamps.
    #[wasm_bindgen(js_name = handleInput)]
    pub fn handle_input(
        &mut self,
        bytes: &[u8],
        #[wasm_bindgen(js_name = nowMs, unchecked_param_type = "bigint")] now_ms: JsValue,
    ) -> Result<(), JsValue> {
        let now = UnixMillis(u64_from_js("nowMs", now_ms)?);
        self.inner.handle_input(bytes, now).map_err(to_js)
    }

    /// Queue one payload for the client (once the transport is known).
    pub fn send(&mut self, payload: &[u8]) -> Result<(), JsValue> {
        self.inner.send(payload).map_err(to_js)
    }

    /// Queue a quick-ack reply carrying `token` (top bit set; see
    /// `quickAckToken`). HTTP has none (`TransportInvalidState`, 611).
    #[wasm_bindgen(js_name = sendQuickAck)]
    pub fn send_quick_ack(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] token: JsValue,
    ) -> Result<(), JsValue> {
        let token: u32 = int_from_js("token", "0..2^32", &token)?;
        self.inner.send_quick_ack(token).map_err(to_js)
    }

    /// Queue a transport error (`code` negative: -404, -429, -444, ...).
    #[wasm_bindgen(js_name = sendTransportError)]
    pub fn send_transport_error(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] code: JsValue,
    ) -> Result<(), JsValue> {
        let code: i32 = int_from_js("code", "-2^31..2^31", &code)?;
        self.inner.send_transport_error(code).map_err(to_js)
    }

    /// The next bytes to write to the socket, or `undefined`.
    #[wasm_bindgen(js_name = pollTransmit)]
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.inner.poll_transmit()
    }

    /// The next payload (with its quick-ack request) that arrived, or
    /// `undefined`.
    #[wasm_bindgen(js_name = pollInbound, unchecked_return_type = "Inbound | undefined")]
    pub fn poll_inbound(&mut self) -> Result<JsValue, JsValue> {
        inbound_to_js(self.inner.poll_inbound())
    }

    /// What the connection speaks, once known; `undefined` before.
    #[wasm_bindgen(unchecked_return_type = "DetectedTransport | undefined")]
    pub fn detected(&self) -> Result<JsValue, JsValue> {
        detected_to_js(self.inner.detected())
    }
}
