// The checkers of the three transport vector files (tests/vectors/
// transport_framing.json, transport_obfuscation.json, transport_http.json),
// one call per case; used by wasm/test/vectors.test.mjs (every case of every
// file) and wasm/test/transport.test.mjs. Semantics as in the core's
// core/tests/transport_framing.rs, transport_obfuscation_vectors.rs and
// transport_http.rs.
import assert from "node:assert/strict";

import { hex, mtp, toHex } from "./pkg.mjs";

const E = mtp.ErrorCode;
const DEFAULT_MAX_FRAME = 1 << 24;

/** The TransportKind of a vector's framing name. */
export function framingKind(name) {
  const kind = {
    abridged: mtp.TransportKind.Abridged,
    intermediate: mtp.TransportKind.Intermediate,
    padded_intermediate: mtp.TransportKind.PaddedIntermediate,
    full: mtp.TransportKind.Full,
  }[name];
  assert.notEqual(kind, undefined, `unknown framing ${name}`);
  return kind;
}

function role(name) {
  assert.ok(name === "client" || name === "server", `unknown role ${name}`);
  return name === "client" ? mtp.Role.Client : mtp.Role.Server;
}

/** Every Inbound a decoder holds, drained. */
export function drain(poll) {
  const out = [];
  for (let item = poll(); item !== undefined; item = poll()) out.push(item);
  return out;
}

/** The error code `fn` throws as an MtprotoError, or null. */
export function codeOf(fn) {
  try {
    fn();
    return null;
  } catch (e) {
    assert.ok(e instanceof mtp.MtprotoError, `threw ${e?.name}: ${e?.message}`);
    return e.code;
  }
}

/** `wire` whole, at every split point, and byte by byte. */
export function* splits(wire) {
  yield [wire];
  for (let i = 0; i <= wire.length; i++) yield [wire.subarray(0, i), wire.subarray(i)];
  yield Array.from({ length: wire.length }, (_, i) => wire.subarray(i, i + 1));
}

/** Inbounds with hex payloads, for readable comparisons. */
export function readable(items) {
  return items.map((i) => (i.kind === "packet" ? { ...i, payload: toHex(i.payload) } : { ...i }));
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function checkFramingCase(c) {
  const kind = framingKind(c.framing);
  const sender = role(c.sender);
  const receiver = sender === mtp.Role.Client ? mtp.Role.Server : mtp.Role.Client;

  // Encoding with the given padding gives the wire.
  const enc = new mtp.FramingCodec(kind, sender, DEFAULT_MAX_FRAME);
  const parts = [];
  for (const f of c.frames) {
    const padding = hex(f.padding);
    if (f.type === "packet") {
      parts.push(enc.encodePacketWithPadding(hex(f.payload), f.quick_ack, padding));
    } else if (f.type === "quick_ack") {
      assert.equal(mtp.quickAckToken(hex(f.msg_key_large)), f.token, "quickAckToken");
      parts.push(enc.encodeQuickAckWithPadding(f.token, padding));
    } else {
      assert.equal(f.type, "transport_error");
      parts.push(enc.encodeTransportErrorWithPadding(f.code, padding));
    }
  }
  enc.free();
  assert.equal(toHex(concat(...parts)), c.wire, "encoded wire");

  // Decoding the wire, split anywhere, gives the frames.
  const want = c.frames.map((f) => {
    if (f.type === "packet") {
      return {
        kind: "packet",
        payload: f.payload + f.padding,
        quickAck: receiver === mtp.Role.Server && f.quick_ack,
      };
    }
    if (f.type === "quick_ack") return { kind: "quickAck", token: f.token };
    return { kind: "transportError", code: f.code };
  });
  for (const chunks of splits(hex(c.wire))) {
    const dec = new mtp.FramingCodec(kind, receiver, DEFAULT_MAX_FRAME);
    for (const chunk of chunks) dec.feed(chunk);
    assert.deepEqual(readable(drain(() => dec.poll())), want, `decoded in ${chunks.length} chunk(s)`);
    dec.free();
  }

  // Padded messages strip back to their payload.
  if (kind === mtp.TransportKind.PaddedIntermediate) {
    for (const f of c.frames.filter((f) => f.message === true)) {
      const received = hex(f.payload + f.padding);
      assert.equal(toHex(mtp.stripPaddedIntermediatePadding(received)), f.payload, "stripped");
    }
  }
}

export function checkObfuscationCase(c) {
  switch (c.kind) {
    case "obfuscated2": {
      const secret = c.secret === "" ? null : c.secret;
      const kind = framingKind(c.framing);
      const init = mtp.obfuscationInit(hex(c.random), kind, c.dc_id, secret);
      assert.equal(toHex(init.header), c.header, "header");
      assert.equal(toHex(init.clientEncryptKey), c.client_encrypt_key);
      assert.equal(toHex(init.clientEncryptIv), c.client_encrypt_iv);
      assert.equal(toHex(init.clientDecryptKey), c.client_decrypt_key);
      assert.equal(toHex(init.clientDecryptIv), c.client_decrypt_iv);
      // The server's keys are the client's, directions swapped.
      assert.equal(c.server_encrypt_key, c.client_decrypt_key);
      assert.equal(c.server_encrypt_iv, c.client_decrypt_iv);
      assert.equal(c.server_decrypt_key, c.client_encrypt_key);
      assert.equal(c.server_decrypt_iv, c.client_encrypt_iv);
      // The client's stream has run over the 64 init bytes; the server's
      // sending stream starts fresh.
      const payload = hex(c.payload);
      const skip = new Uint8Array(64);
      const clientOut = mtp.aesCtrApply(init.clientEncryptKey, init.clientEncryptIv, concat(skip, payload)).subarray(64);
      assert.equal(toHex(clientOut), c.client_payload_encrypted, "client payload");
      const serverIn = mtp.aesCtrApply(hex(c.server_decrypt_key), hex(c.server_decrypt_iv), concat(skip, clientOut)).subarray(64);
      assert.equal(toHex(serverIn), c.payload, "server decrypts");
      const serverOut = mtp.aesCtrApply(hex(c.server_encrypt_key), hex(c.server_encrypt_iv), payload);
      assert.equal(toHex(serverOut), c.server_payload_encrypted, "server payload");
      assert.equal(toHex(mtp.aesCtrApply(init.clientDecryptKey, init.clientDecryptIv, serverOut)), c.payload, "client decrypts");
      // A server holding the secret (or none) accepts the header.
      const secrets = secret === null ? [] : [secret];
      const server = new mtp.ServerTransport({
        secrets,
        allowPlain: false,
        allowHttp: false,
        allowObfuscatedWithoutSecret: secret === null,
      });
      if (secret !== null && secret.startsWith("ee")) {
        // An ee secret is accepted inside fake TLS only.
        assert.equal(codeOf(() => server.handleInput(hex(c.header), BigInt(Date.now()))), E.TransportObfuscation);
        server.free();
        break;
      }
      server.handleInput(hex(c.header), BigInt(Date.now()));
      const detected = { kind, obfuscated: true, fakeTls: false, dcId: c.dc_id };
      if (secret !== null) detected.secretIndex = 0;
      assert.deepEqual(server.detected(), detected, "detected");
      server.free();
      break;
    }
    case "obfuscated2_forbidden": {
      const random = hex(c.random);
      assert.equal(mtp.isValidObfuscationInit(random), false);
      assert.equal(codeOf(() => mtp.obfuscationInit(random, mtp.TransportKind.Abridged, 1)), E.TransportObfuscation);
      break;
    }
    case "key_share": {
      const got = mtp.fakeTlsKeyShare(hex(c.candidate));
      assert.equal(got === undefined ? "" : toHex(got), c.key_share);
      break;
    }
    case "client_hello": {
      const now = BigInt(c.now_ms);
      const hello = mtp.fakeTlsClientHello(
        c.secret,
        now,
        hex(c.session_id),
        hex(c.grease_seed),
        hex(c.key_share),
        Uint8Array.from(c.extension_order),
      );
      assert.equal(toHex(hello.hello), c.hello, "hello");
      assert.equal(toHex(hello.random), c.random, "random");
      assert.equal(toHex(hello.digest), c.digest, "digest");
      // A server holding the secret accepts it at now_ms and answers.
      const server = new mtp.ServerTransport({ secrets: [c.secret], allowPlain: false, allowHttp: false, allowObfuscatedWithoutSecret: false });
      server.handleInput(hello.hello, now);
      const answer = server.pollTransmit();
      assert.ok(answer !== undefined && toHex(answer).startsWith("160303"), "a ServerHello");
      // Not at another time (a day later).
      const late = new mtp.ServerTransport({ secrets: [c.secret] });
      assert.equal(codeOf(() => late.handleInput(hello.hello, now + 86_400_000n)), E.TransportFakeTls);
      server.free();
      late.free();
      break;
    }
    case "server_hello": {
      const response = mtp.fakeTlsServerHello(c.secret, hex(c.client_random), hex(c.session_id), hex(c.key_share), hex(c.app_data));
      assert.equal(toHex(response), c.response, "response");
      assert.equal(toHex(response.subarray(11, 43)), c.server_random, "server random");
      break;
    }
    default:
      assert.fail(`unknown obfuscation vector kind ${c.kind}`);
  }
}

const HTTP_ERRORS = { http: E.TransportHttp, http_status: E.TransportHttpStatus, frame_too_large: E.TransportFrameTooLarge };

function httpEvents(list) {
  return list.map((e) =>
    "packet" in e ? { kind: "packet", payload: e.packet, quickAck: false } : { kind: "transportError", code: e.transport_error },
  );
}

/** Feeds chunks to an HTTP decoder until an error; the events and the error (sticky). */
function runHttp(codec, chunks) {
  const events = [];
  for (const chunk of chunks) {
    const code = codeOf(() => codec.feed(chunk));
    events.push(...drain(() => codec.poll()));
    if (code !== null) {
      assert.equal(codeOf(() => codec.feed(new TextEncoder().encode("\r\n"))), code, "sticky");
      return { events: readable(events), error: code };
    }
  }
  return { events: readable(events), error: null };
}

function httpClient(waiting) {
  const client = new mtp.HttpClient("example.org");
  for (let i = 0; i < waiting; i++) client.encodeRequest(new TextEncoder().encode("q"));
  return client;
}

function decodeServer(chunks) {
  const server = new mtp.HttpServer();
  const out = runHttp(server, chunks);
  out.rejection = server.rejectionStatus() ?? null;
  const transmit = server.pollTransmit();
  out.transmit = transmit === undefined ? null : toHex(transmit);
  server.free();
  return out;
}

function decodeClient(waiting, chunks) {
  const client = httpClient(waiting);
  const out = runHttp(client, chunks);
  client.free();
  return out;
}

function checkHttpSplits(wire, want, decode) {
  for (const chunks of splits(wire)) assert.deepEqual(decode(chunks), want, `decoded in ${chunks.length} chunk(s)`);
}

export function checkHttpCase(c) {
  const wire = hex(c.wire);
  switch (c.kind) {
    case "request": {
      const client = new mtp.HttpClient(c.host);
      assert.equal(toHex(client.encodeRequest(hex(c.payload))), c.wire, "request");
      assert.equal(client.pending(), 1);
      client.free();
      const want = { events: [{ kind: "packet", payload: c.payload, quickAck: false }], error: null, rejection: null, transmit: null };
      checkHttpSplits(wire, want, decodeServer);
      break;
    }
    case "response":
    case "transport_error":
    case "error": {
      const server = new mtp.HttpServer();
      server.feed(httpClient(0).encodeRequest(new TextEncoder().encode("q")));
      assert.equal(server.poll()?.kind, "packet");
      assert.equal(server.pending(), 1);
      let encoded;
      let want;
      if (c.kind === "response") {
        encoded = server.encodeResponse(hex(c.payload));
        want = { events: [{ kind: "packet", payload: c.payload, quickAck: false }], error: null };
      } else if (c.kind === "transport_error") {
        encoded = server.encodeTransportError(c.code);
        want = { events: [{ kind: "transportError", code: c.code }], error: null };
      } else {
        encoded = server.encodeError(c.status);
        want = { events: [], error: E.TransportHttpStatus };
      }
      server.free();
      assert.equal(toHex(encoded), c.wire, c.kind);
      checkHttpSplits(wire, want, (chunks) => decodeClient(1, chunks));
      break;
    }
    case "decode": {
      const error = c.error === null ? null : HTTP_ERRORS[c.error.kind];
      assert.notEqual(error, undefined, `error kind ${c.error?.kind}`);
      if (c.role === "server") {
        const want = {
          events: httpEvents(c.events),
          error,
          rejection: c.error?.rejection ?? null,
          transmit: c.transmit ?? null,
        };
        checkHttpSplits(wire, want, decodeServer);
      } else {
        assert.equal(c.role, "client");
        const want = { events: httpEvents(c.events), error };
        checkHttpSplits(wire, want, (chunks) => decodeClient(c.waiting, chunks));
        if (error === E.TransportHttpStatus) {
          // The message names the status.
          const client = httpClient(c.waiting);
          let message = "";
          try {
            client.feed(wire);
          } catch (e) {
            message = e.message;
          }
          assert.match(message, new RegExp(String(c.error.status)));
          client.free();
        }
      }
      break;
    }
    default:
      assert.fail(`unknown HTTP vector kind ${c.kind}`);
  }
}
