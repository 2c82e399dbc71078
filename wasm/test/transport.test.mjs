// The transports: the classes (ClientTransport, ServerTransport,
// FramingCodec, HttpClient, HttpServer), the free functions, their
// TypeScript declarations, round trips between a client and a server end for
// every kind of connection, and errors. The vector files are checked case by
// case in vectors.test.mjs (checkers in wasm/testlib/transport.mjs); a few
// are run here too.
import assert from "node:assert/strict";
import { createCipheriv } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

import { hex, loadVectors, mtp, pkgDir, randomBytes, throwsCode, toHex } from "../testlib/pkg.mjs";
import { checkFramingCase, checkHttpCase, checkObfuscationCase, codeOf, drain } from "../testlib/transport.mjs";

const E = mtp.ErrorCode;
const K = mtp.TransportKind;
const { Client, Server } = mtp.Role;
const now = () => BigInt(Date.now());
const MAX = 1 << 24;

const SECRET16 = toHex(randomBytes(16));
const SECRET_DD = `dd${toHex(randomBytes(16))}`;
const SECRET_EE = `ee${toHex(randomBytes(16))}${Buffer.from("example.com").toString("hex")}`;

/**
 * A payload shaped like an encrypted message: 24 + 16k bytes (at least 72,
 * the smallest encrypted message, so that a client never reads it as a
 * control payload), a non-zero key id; padded intermediate strips back to it.
 */
function message(blocks) {
  const m = randomBytes(24 + 16 * (blocks + 2));
  m[0] = 1;
  return m;
}

describe("exports and TypeScript declarations", () => {
  const dts = readFileSync(path.join(pkgDir, "mtproto_wasm.d.ts"), "utf8");
  const webDts = readFileSync(path.join(pkgDir, "web/mtproto_wasm.d.ts"), "utf8");
  const flat = (s) => s.replace(/\/\*\*[\s\S]*?\*\//g, "").replace(/\s+/g, " ");
  const B = "Uint8Array | number[]";

  test("classes, enums and functions are exported", () => {
    for (const name of ["ClientTransport", "ServerTransport", "FramingCodec", "HttpClient", "HttpServer"]) {
      assert.equal(typeof mtp[name], "function", name);
    }
    assert.deepEqual(
      Object.fromEntries(Object.entries(K).filter(([k]) => Number.isNaN(Number(k)))),
      { Abridged: 0, Intermediate: 1, PaddedIntermediate: 2, Full: 3, Http: 4 },
    );
    assert.deepEqual({ ...mtp.Role }, { 0: "Client", 1: "Server", Client: 0, Server: 1 });
  });

  const declarations = [
    `export function framingHeader(kind: TransportKind): Uint8Array;`,
    `export function stripPaddedIntermediatePadding(payload: ${B}): Uint8Array;`,
    `export function quickAckToken(msgKeyLarge: ${B}): number;`,
    `export function parseProxySecret(text: string): Uint8Array;`,
    `export function isValidObfuscationInit(random: ${B}): boolean;`,
    `export function obfuscationInit(random: ${B}, kind: TransportKind, dcId: number, secret?: string | null): ObfuscationInit;`,
    `export function aesCtrApply(key: ${B}, iv: ${B}, data: ${B}): Uint8Array;`,
    `export function fakeTlsKeyShare(candidate: ${B}): Uint8Array | undefined;`,
    `export function fakeTlsClientHello(secret: string, nowMs: bigint, sessionId: ${B}, greaseSeed: ${B}, keyShare: ${B}, extensionOrder: ${B}): FakeTlsClientHello;`,
    `export function fakeTlsServerHello(secret: string, clientRandom: ${B}, sessionId: ${B}, keyShare: ${B}, appData: ${B}): Uint8Array;`,
    `export type Inbound = | { kind: "packet"; payload: Uint8Array; quickAck: boolean } | { kind: "quickAck"; token: number } | { kind: "transportError"; code: number };`,
    `export interface ClientTransportConfig { kind: TransportKind; obfuscate?: boolean; dcId?: number; secret?: string | null; httpHost?: string; maxFrame?: number; }`,
    `export interface ServerTransportConfig { secrets?: string[]; allowPlain?: boolean; allowObfuscatedWithoutSecret?: boolean; allowHttp?: boolean; maxFrame?: number; }`,
    `export interface DetectedTransport { kind: TransportKind; obfuscated: boolean; fakeTls: boolean; secretIndex?: number; dcId?: number; }`,
    `export interface ObfuscationInit { header: Uint8Array; clientEncryptKey: Uint8Array; clientEncryptIv: Uint8Array; clientDecryptKey: Uint8Array; clientDecryptIv: Uint8Array; }`,
    `export interface FakeTlsClientHello { hello: Uint8Array; random: Uint8Array; digest: Uint8Array; }`,
    `export enum TransportKind { Abridged = 0, Intermediate = 1, PaddedIntermediate = 2, Full = 3, Http = 4, }`,
    `export enum Role { Client = 0, Server = 1, }`,
    `constructor(config: ClientTransportConfig, nowMs: bigint);`,
    `send(payload: ${B}, quickAck: boolean): void;`,
    `constructor(config: ServerTransportConfig);`,
    `handleInput(bytes: ${B}, nowMs: bigint): void;`,
    `handleInput(bytes: ${B}): void;`,
    `pollTransmit(): Uint8Array | undefined;`,
    `pollInbound(): Inbound | undefined;`,
    `sendQuickAck(token: number): void;`,
    `sendTransportError(code: number): void;`,
    `detected(): DetectedTransport | undefined;`,
    `constructor(kind: TransportKind, role: Role, maxFrame: number);`,
    `encodePacket(payload: ${B}, quickAck: boolean): Uint8Array;`,
    `encodePacketWithPadding(payload: ${B}, quickAck: boolean, padding: ${B}): Uint8Array;`,
    `encodeQuickAck(token: number): Uint8Array;`,
    `encodeQuickAckWithPadding(token: number, padding: ${B}): Uint8Array;`,
    `encodeTransportError(code: number): Uint8Array;`,
    `encodeTransportErrorWithPadding(code: number, padding: ${B}): Uint8Array;`,
    `poll(): Inbound | undefined;`,
    `feed(bytes: ${B}): void;`,
    `constructor(host: string);`,
    `encodeRequest(payload: ${B}): Uint8Array;`,
    `pending(): number;`,
    `encodeResponse(payload: ${B}): Uint8Array;`,
    `encodeError(status: number): Uint8Array;`,
    `rejectionStatus(): number | undefined;`,
  ];

  test("declarations are precise (Node and web builds)", () => {
    for (const text of [dts, webDts]) {
      const f = flat(text);
      for (const decl of declarations) assert.ok(f.includes(decl), `missing: ${decl}`);
    }
  });

  test("each class has exactly the methods of the API", () => {
    const methods = (cls) => Object.getOwnPropertyNames(cls.prototype).filter((m) => !m.startsWith("__") && m !== "constructor" && m !== "free").sort();
    assert.deepEqual(methods(mtp.ClientTransport), ["handleInput", "pollInbound", "pollTransmit", "send"]);
    assert.deepEqual(methods(mtp.ServerTransport), ["detected", "handleInput", "pollInbound", "pollTransmit", "send", "sendQuickAck", "sendTransportError"]);
    assert.deepEqual(methods(mtp.FramingCodec), [
      "encodePacket",
      "encodePacketWithPadding",
      "encodeQuickAck",
      "encodeQuickAckWithPadding",
      "encodeTransportError",
      "encodeTransportErrorWithPadding",
      "feed",
      "poll",
    ]);
    assert.deepEqual(methods(mtp.HttpClient), ["encodeRequest", "feed", "pending", "poll"]);
    assert.deepEqual(methods(mtp.HttpServer), ["encodeError", "encodeResponse", "encodeTransportError", "feed", "pending", "poll", "pollTransmit", "rejectionStatus"]);
  });
});

/** Moves everything queued on `from` to `to`, in chunks of `chunk` bytes. */
function pump(from, feed, chunk) {
  let moved = 0;
  for (let bytes = from.pollTransmit(); bytes !== undefined; bytes = from.pollTransmit()) {
    for (let i = 0; i < bytes.length; i += chunk) feed(bytes.subarray(i, i + chunk));
    moved += bytes.length;
  }
  return moved;
}

/** Pumps both ways until nothing moves. */
function settle(client, server, chunk) {
  for (let round = 0; round < 10; round++) {
    const a = pump(client, (b) => server.handleInput(b, now()), chunk);
    const b = pump(server, (b) => client.handleInput(b), chunk);
    if (a === 0 && b === 0) return;
  }
  assert.fail("the connection never settled");
}

const connections = [
  { name: "abridged", client: { kind: K.Abridged }, detected: { kind: K.Abridged, obfuscated: false, fakeTls: false } },
  { name: "intermediate", client: { kind: K.Intermediate }, detected: { kind: K.Intermediate, obfuscated: false, fakeTls: false } },
  { name: "padded intermediate", client: { kind: K.PaddedIntermediate }, detected: { kind: K.PaddedIntermediate, obfuscated: false, fakeTls: false } },
  { name: "full", client: { kind: K.Full }, detected: { kind: K.Full, obfuscated: false, fakeTls: false } },
  ...[
    ["abridged", K.Abridged],
    ["intermediate", K.Intermediate],
    ["padded intermediate", K.PaddedIntermediate],
  ].map(([name, kind]) => ({
    name: `obfuscated ${name}, no secret`,
    client: { kind, obfuscate: true, dcId: -3 },
    detected: { kind, obfuscated: true, fakeTls: false, dcId: -3 },
  })),
  {
    name: "obfuscated intermediate, 16-byte secret",
    client: { kind: K.Intermediate, secret: SECRET16, dcId: 4 },
    server: { secrets: [SECRET_DD, SECRET16], allowObfuscatedWithoutSecret: false },
    detected: { kind: K.Intermediate, obfuscated: true, fakeTls: false, secretIndex: 1, dcId: 4 },
  },
  {
    name: "obfuscated padded intermediate, dd secret (base64url)",
    client: { kind: K.PaddedIntermediate, secret: Buffer.from(SECRET_DD, "hex").toString("base64url"), dcId: 10002 },
    server: { secrets: [SECRET_DD], allowObfuscatedWithoutSecret: false, allowPlain: false },
    detected: { kind: K.PaddedIntermediate, obfuscated: true, fakeTls: false, secretIndex: 0, dcId: 10002 },
  },
  {
    name: "fake TLS, ee secret",
    client: { kind: K.PaddedIntermediate, secret: SECRET_EE, dcId: 2 },
    server: { secrets: [SECRET16, SECRET_EE] },
    detected: { kind: K.PaddedIntermediate, obfuscated: true, fakeTls: true, secretIndex: 1, dcId: 2 },
  },
  { name: "HTTP", client: { kind: K.Http, httpHost: "149.154.167.50:80" }, detected: { kind: K.Http, obfuscated: false, fakeTls: false } },
];

describe("ClientTransport <-> ServerTransport round trips", () => {
  for (const conn of connections) {
    test(conn.name, () => {
      const client = new mtp.ClientTransport(conn.client, now());
      const server = new mtp.ServerTransport(conn.server ?? {});
      const padded = conn.client.kind === K.PaddedIntermediate;
      const http = conn.client.kind === K.Http;
      const unpad = (p) => (padded ? mtp.stripPaddedIntermediatePadding(p) : p);
      try {
        assert.equal(server.detected(), undefined);
        for (const [i, chunk] of [1, 3, 7, 1000].entries()) {
          // Client to server, with a quick-ack request where the framing has them.
          const quick = !http && conn.client.kind !== K.Full && i % 2 === 0;
          const up = message(i + 1);
          client.send(up, quick);
          settle(client, server, chunk);
          assert.deepEqual(server.detected(), conn.detected);
          const got = drain(() => server.pollInbound());
          assert.equal(got.length, 1);
          assert.equal(got[0].kind, "packet");
          assert.equal(toHex(unpad(got[0].payload)), toHex(up));
          assert.equal(got[0].quickAck, quick);
          if (quick) {
            const token = (0x80000000 | (i + 7)) >>> 0;
            server.sendQuickAck(token);
            settle(client, server, chunk);
            assert.deepEqual(drain(() => client.pollInbound()), [{ kind: "quickAck", token }]);
          }
          // Server to client (over HTTP: the response to that request).
          const down = message(i + 2);
          server.send(down);
          settle(client, server, chunk);
          const back = drain(() => client.pollInbound());
          assert.equal(back.length, 1);
          assert.equal(back[0].kind, "packet");
          assert.equal(toHex(unpad(back[0].payload)), toHex(down));
        }
        if (http) {
          assert.equal(codeOf(() => server.sendQuickAck(0x80000001)), E.TransportInvalidState);
          assert.equal(codeOf(() => client.send(message(1), true)), E.TransportInvalidState);
          client.send(message(1), false);
          settle(client, server, 5);
          drain(() => server.pollInbound());
        }
        if (conn.client.kind === K.Full) {
          assert.equal(codeOf(() => client.send(message(1), true)), E.TransportInvalidState);
        }
        // A transport error, server to client.
        server.sendTransportError(-404);
        settle(client, server, 2);
        assert.deepEqual(drain(() => client.pollInbound()), [{ kind: "transportError", code: -404 }]);
      } finally {
        client.free();
        server.free();
      }
    });
  }

  test("a wrong secret is refused, and the error is sticky", () => {
    for (const [clientSecret, serverSecret] of [
      [SECRET16, toHex(randomBytes(16))],
      [SECRET_DD, `dd${toHex(randomBytes(16))}`],
    ]) {
      const kind = clientSecret.startsWith("dd") ? K.PaddedIntermediate : K.Abridged;
      const client = new mtp.ClientTransport({ kind, secret: clientSecret }, now());
      const server = new mtp.ServerTransport({ secrets: [serverSecret], allowObfuscatedWithoutSecret: false });
      const code = codeOf(() => pump(client, (b) => server.handleInput(b, now()), 64));
      assert.ok(code === E.TransportObfuscation || code === E.TransportUnknownProtocol, `code ${code}`);
      // Sticky: every later call throws the same code.
      assert.equal(codeOf(() => server.handleInput(new Uint8Array(4), now())), code);
      assert.equal(codeOf(() => server.send(message(1))), code);
      assert.equal(server.pollInbound(), undefined);
      client.free();
      server.free();
    }
    // A wrong ee secret: refused as fake TLS.
    const client = new mtp.ClientTransport({ kind: K.PaddedIntermediate, secret: SECRET_EE }, now());
    const server = new mtp.ServerTransport({ secrets: [`ee${toHex(randomBytes(16))}${Buffer.from("example.com").toString("hex")}`], allowPlain: false });
    const code = codeOf(() => pump(client, (b) => server.handleInput(b, now()), 100));
    assert.ok([E.TransportFakeTls, E.TransportObfuscation, E.TransportUnknownProtocol].includes(code), `code ${code}`);
    client.free();
    server.free();
  });

  test("a plain connection a server does not allow is refused (605)", () => {
    const client = new mtp.ClientTransport({ kind: K.Intermediate }, now());
    const server = new mtp.ServerTransport({ allowPlain: false, allowHttp: false, allowObfuscatedWithoutSecret: false });
    client.send(message(1), false);
    assert.equal(codeOf(() => pump(client, (b) => server.handleInput(b, now()), 1000)), E.TransportUnknownProtocol);
    client.free();
    server.free();
  });

  test("client errors are sticky; a bad argument is not fatal", () => {
    const client = new mtp.ClientTransport({ kind: K.Intermediate }, now());
    throwsCode(() => client.send(new Uint8Array(3), false), E.TransportInvalidFrame);
    client.send(message(1), false); // still usable
    throwsCode(() => client.handleInput(Uint8Array.of(0xf0, 0xff, 0xff, 0x7f)), E.TransportFrameTooLarge);
    throwsCode(() => client.handleInput(new Uint8Array(8)), E.TransportFrameTooLarge);
    throwsCode(() => client.send(message(1), false), E.TransportFrameTooLarge);
    assert.equal(client.pollInbound(), undefined);
    client.free();
  });

  test("a server does not send before it knows the transport", () => {
    const server = new mtp.ServerTransport({});
    throwsCode(() => server.send(message(1)), E.TransportInvalidState);
    throwsCode(() => server.sendTransportError(-404), E.TransportInvalidState);
    assert.equal(server.pollTransmit(), undefined);
    server.free();
  });

  test("HTTP cannot be obfuscated; configs are checked", () => {
    throwsCode(() => new mtp.ClientTransport({ kind: K.Http, obfuscate: true }, now()), E.TransportInvalidState);
    throwsCode(() => new mtp.ClientTransport({ kind: K.Full, obfuscate: true }, now()), E.TransportObfuscation);
    throwsCode(() => new mtp.ClientTransport({ kind: K.Abridged, secret: SECRET_DD }, now()), E.TransportInvalidSecret);
    throwsCode(() => new mtp.ClientTransport({ kind: K.Abridged, secret: "zz" }, now()), E.TransportInvalidSecret);
    throwsCode(() => new mtp.ClientTransport({ kind: 9 }, now()), E.InvalidArgument, /TransportKind/);
    throwsCode(() => new mtp.ClientTransport({ kind: K.Abridged }, 5), E.InvalidArgument, /nowMs/);
    throwsCode(() => new mtp.ClientTransport({ kind: K.Abridged, dcId: 40000 }, now()), E.InvalidArgument, /dcId/);
    throwsCode(() => new mtp.ClientTransport({ kind: K.Abridged, obfuscate: "yes" }, now()), E.InvalidArgument, /obfuscate/);
    throwsCode(() => new mtp.ClientTransport(null, now()), E.InvalidArgument);
    throwsCode(() => new mtp.ServerTransport({ secrets: "abc" }), E.InvalidArgument, /secrets/);
    throwsCode(() => new mtp.ServerTransport({ secrets: ["nothex!"] }), E.TransportInvalidSecret);
    throwsCode(() => new mtp.ServerTransport({ maxFrame: -1 }), E.InvalidArgument, /maxFrame/);
    // Defaults: a plain abridged client sends its header first.
    const client = new mtp.ClientTransport({ kind: K.Abridged }, now());
    assert.equal(toHex(client.pollTransmit()), "ef");
    client.free();
  });

  test("maxFrame limits what a client sends and receives", () => {
    const client = new mtp.ClientTransport({ kind: K.Intermediate, maxFrame: 64 }, now());
    throwsCode(() => client.send(new Uint8Array(68), false), E.TransportFrameTooLarge);
    client.send(new Uint8Array(64), false);
    throwsCode(() => client.handleInput(Uint8Array.of(68, 0, 0, 0)), E.TransportFrameTooLarge);
    client.free();
  });
});

describe("FramingCodec", () => {
  const kinds = [K.Abridged, K.Intermediate, K.PaddedIntermediate, K.Full];

  test("framingHeader", () => {
    assert.deepEqual(kinds.map((k) => toHex(mtp.framingHeader(k))), ["ef", "eeeeeeee", "dddddddd", ""]);
    throwsCode(() => mtp.framingHeader(K.Http), E.InvalidArgument, /Http/);
  });

  test("random padding, quick acks and transport errors round trip", () => {
    for (const kind of kinds) {
      const client = new mtp.FramingCodec(kind, Client, MAX);
      const server = new mtp.FramingCodec(kind, Server, MAX);
      const payload = message(2);
      const quick = kind !== K.Full;
      server.feed(client.encodePacket(payload, quick));
      const [got] = drain(() => server.poll());
      assert.equal(got.kind, "packet");
      assert.equal(got.quickAck, quick);
      assert.equal(toHex(mtp.stripPaddedIntermediatePadding(got.payload)), toHex(payload));
      if (quick) {
        client.feed(server.encodeQuickAck(0x80001234));
      } else {
        throwsCode(() => server.encodeQuickAck(0x80001234), E.TransportInvalidState);
      }
      client.feed(server.encodePacket(payload, false));
      client.feed(server.encodeTransportError(-429));
      const items = drain(() => client.poll());
      assert.deepEqual(
        items.map((i) => i.kind),
        [...(quick ? ["quickAck"] : []), "packet", "transportError"],
      );
      if (quick) assert.equal(items[0].token, 0x80001234);
      assert.equal(items.at(-1).code, -429);
      client.free();
      server.free();
    }
  });

  test("role, argument and stream errors", () => {
    const client = new mtp.FramingCodec(K.Intermediate, Client, MAX);
    throwsCode(() => client.encodeQuickAck(0x80000001), E.TransportInvalidState, /Server/);
    throwsCode(() => client.encodeTransportError(-404), E.TransportInvalidState, /Server/);
    const server = new mtp.FramingCodec(K.Intermediate, Server, MAX);
    throwsCode(() => server.encodePacket(message(1), true), E.TransportInvalidState, /Client/);
    throwsCode(() => server.encodeQuickAck(1), E.TransportInvalidFrame, /top bit/);
    throwsCode(() => server.encodeTransportError(-1), E.TransportInvalidFrame);
    throwsCode(() => server.encodeQuickAckWithPadding(0x80000001, new Uint8Array(3)), E.TransportInvalidState, /padding/);
    throwsCode(() => server.encodeQuickAck(2 ** 32), E.InvalidArgument, /token/);
    throwsCode(() => server.encodeTransportError(-404.5), E.InvalidArgument, /code/);
    throwsCode(() => new mtp.FramingCodec(K.Http, Client, MAX), E.InvalidArgument);
    throwsCode(() => new mtp.FramingCodec(K.Abridged, 2, MAX), E.InvalidArgument, /role/);
    throwsCode(() => new mtp.FramingCodec(K.Abridged, Client, 1.5), E.InvalidArgument, /maxFrame/);
    const small = new mtp.FramingCodec(K.Abridged, Server, 64);
    throwsCode(() => small.encodePacket(new Uint8Array(68), false), E.TransportFrameTooLarge);
    throwsCode(() => small.feed(Uint8Array.of(17)), E.TransportFrameTooLarge);
    throwsCode(() => small.feed(Uint8Array.of(1)), E.TransportFrameTooLarge); // sticky
    for (const c of [client, server, small]) c.free();
  });

  test("full framing: sequence numbers and CRC", () => {
    const client = new mtp.FramingCodec(K.Full, Client, MAX);
    const first = client.encodePacket(message(1), false);
    const second = client.encodePacket(message(1), false);
    const server = new mtp.FramingCodec(K.Full, Server, MAX);
    throwsCode(() => server.feed(second), E.TransportBadSequence);
    const other = new mtp.FramingCodec(K.Full, Server, MAX);
    const bad = first.slice();
    bad[bad.length - 1] ^= 1;
    throwsCode(() => other.feed(bad), E.TransportBadCrc);
    throwsCode(() => other.feed(first), E.TransportBadCrc);
    for (const c of [client, server, other]) c.free();
  });

  test("quickAckToken", () => {
    const large = new Uint8Array(32);
    large.set([0x78, 0x56, 0x34, 0x12]);
    assert.equal(mtp.quickAckToken(large), 0x92345678);
    throwsCode(() => mtp.quickAckToken(new Uint8Array(16)), E.InvalidLength);
  });

  test("framing vectors (also in vectors.test.mjs)", () => {
    for (const c of loadVectors("transport_framing.json").cases) checkFramingCase(c);
  });
});

describe("HttpClient and HttpServer", () => {
  test("requests, responses, pending, errors", () => {
    const client = new mtp.HttpClient("example.org:80");
    const server = new mtp.HttpServer();
    assert.equal(client.pending(), 0);
    server.feed(client.encodeRequest(message(1)));
    server.feed(client.encodeRequest(message(2)));
    assert.equal(client.pending(), 2);
    assert.equal(drain(() => server.poll()).length, 2);
    assert.equal(server.pending(), 2);
    client.feed(server.encodeResponse(message(3)));
    client.feed(server.encodeTransportError(-429));
    assert.equal(server.pending(), 0);
    assert.deepEqual(drain(() => client.poll()).map((i) => i.kind), ["packet", "transportError"]);
    assert.equal(client.pending(), 0);
    throwsCode(() => server.encodeResponse(message(1)), E.TransportInvalidState);
    throwsCode(() => server.encodeError(200), E.TransportInvalidState);
    throwsCode(() => server.encodeError(70000), E.InvalidArgument, /status/);
    throwsCode(() => new mtp.HttpClient("bad host\r\n"), E.TransportInvalidState);
    client.free();
    server.free();
  });

  test("a bad request: rejectionStatus and encodeError", () => {
    const server = new mtp.HttpServer();
    assert.equal(server.rejectionStatus(), undefined);
    throwsCode(() => server.feed(new TextEncoder().encode("POST /api HTTP/1.1\r\nHost: a\r\n\r\n")), E.TransportHttp);
    assert.equal(server.rejectionStatus(), 411);
    const answer = new TextDecoder().decode(server.encodeError(411));
    assert.match(answer, /^HTTP\/1\.1 411 /);
    server.free();
  });

  test("a GET is answered by the server itself", () => {
    const server = new mtp.HttpServer();
    server.feed(new TextEncoder().encode("GET /api HTTP/1.1\r\nHost: a\r\n\r\n"));
    assert.match(new TextDecoder().decode(server.pollTransmit()), /^HTTP\/1\.1 405 /);
    assert.equal(server.pollTransmit(), undefined);
    server.free();
  });

  test("HTTP vectors (also in vectors.test.mjs)", () => {
    for (const c of loadVectors("transport_http.json").cases.slice(0, 10)) checkHttpCase(c);
  });
});

describe("obfuscation, AES-CTR and fake TLS functions", () => {
  test("parseProxySecret normalizes hex and base64url, refuses the rest (610)", () => {
    const raw = hex(SECRET_EE);
    for (const text of [SECRET_EE, SECRET_EE.toUpperCase(), Buffer.from(raw).toString("base64url"), ` ${SECRET_EE}\n`]) {
      assert.equal(toHex(mtp.parseProxySecret(text)), SECRET_EE);
    }
    assert.equal(toHex(mtp.parseProxySecret(SECRET16)), SECRET16);
    assert.equal(toHex(mtp.parseProxySecret(SECRET_DD)), SECRET_DD);
    for (const bad of ["", "00", `ff${SECRET16}`, "not a secret", `ee${SECRET16}`]) {
      throwsCode(() => mtp.parseProxySecret(bad), E.TransportInvalidSecret);
    }
  });

  test("obfuscationInit: keys are reversed, errors", () => {
    let random;
    do random = randomBytes(64);
    while (!mtp.isValidObfuscationInit(random));
    const init = mtp.obfuscationInit(random, K.PaddedIntermediate, -2, SECRET_DD);
    assert.equal(toHex(init.header.subarray(0, 56)), toHex(random.subarray(0, 56)));
    assert.equal(init.clientEncryptKey.length, 32);
    assert.equal(init.clientEncryptIv.length, 16);
    // Without a secret the keys are the init bytes themselves.
    const plain = mtp.obfuscationInit(random, K.Abridged, 2);
    assert.equal(toHex(plain.clientEncryptKey), toHex(random.subarray(8, 40)));
    assert.equal(toHex(plain.clientEncryptIv), toHex(random.subarray(40, 56)));
    assert.equal(toHex(plain.clientDecryptKey), toHex(random.subarray(24, 56).reverse()));
    throwsCode(() => mtp.obfuscationInit(random, K.Full, 2), E.TransportObfuscation);
    throwsCode(() => mtp.obfuscationInit(random, K.Abridged, 2, SECRET_DD), E.TransportInvalidSecret);
    throwsCode(() => mtp.obfuscationInit(random, K.Http, 2), E.InvalidArgument);
    throwsCode(() => mtp.obfuscationInit(random.subarray(1), K.Abridged, 2), E.InvalidLength);
    throwsCode(() => mtp.isValidObfuscationInit(new Uint8Array(63)), E.InvalidLength);
    assert.equal(mtp.isValidObfuscationInit(Uint8Array.from({ length: 64 }, (_, i) => (i === 0 ? 0xef : 1))), false);
  });

  test("aesCtrApply is AES-256-CTR (Node crypto agrees)", () => {
    const key = randomBytes(32);
    const iv = randomBytes(16);
    iv.fill(0xff, 8); // the counter carries over 64 bits
    const data = randomBytes(1000);
    const want = createCipheriv("aes-256-ctr", key, iv).update(data);
    assert.equal(toHex(mtp.aesCtrApply(key, iv, data)), want.toString("hex"));
    assert.equal(toHex(mtp.aesCtrApply(key, iv, mtp.aesCtrApply(key, iv, data))), toHex(data));
    throwsCode(() => mtp.aesCtrApply(key.subarray(1), iv, data), E.InvalidLength);
    throwsCode(() => mtp.aesCtrApply(key, iv.subarray(1), data), E.InvalidLength);
  });

  test("fake TLS: a hello accepted by a server, key shares, errors", () => {
    let share;
    do share = mtp.fakeTlsKeyShare(randomBytes(32));
    while (share === undefined);
    const order = Uint8Array.from({ length: 15 }, (_, i) => 14 - i);
    const t = now();
    const hello = mtp.fakeTlsClientHello(SECRET_EE, t, randomBytes(32), randomBytes(7), share, order);
    assert.equal(hello.hello.length, 517);
    const server = new mtp.ServerTransport({ secrets: [SECRET_EE] });
    server.handleInput(hello.hello, t);
    assert.ok(server.pollTransmit().length > 127);
    server.free();
    const response = mtp.fakeTlsServerHello(SECRET_EE, hello.random, randomBytes(32), share, randomBytes(100));
    assert.equal(toHex(response.subarray(0, 3)), "160303");
    throwsCode(() => mtp.fakeTlsClientHello(SECRET_DD, t, randomBytes(32), randomBytes(7), share, order), E.TransportInvalidSecret);
    throwsCode(() => mtp.fakeTlsClientHello(SECRET_EE, t, randomBytes(32), randomBytes(7), share, new Uint8Array(15)), E.TransportFakeTls);
    throwsCode(() => mtp.fakeTlsClientHello(SECRET_EE, t, randomBytes(31), randomBytes(7), share, order), E.InvalidLength);
    throwsCode(() => mtp.fakeTlsClientHello(SECRET_EE, 1, randomBytes(32), randomBytes(7), share, order), E.InvalidArgument, /nowMs/);
    throwsCode(() => mtp.fakeTlsServerHello(SECRET_EE, hello.random, randomBytes(32), share, new Uint8Array(0)), E.TransportFakeTls);
    throwsCode(() => mtp.fakeTlsKeyShare(new Uint8Array(31)), E.InvalidLength);
  });

  test("obfuscation vectors (also in vectors.test.mjs)", () => {
    for (const c of loadVectors("transport_obfuscation.json").cases) checkObfuscationCase(c);
  });
});
