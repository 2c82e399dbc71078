// Throughput of the transports in the wasm build: encoding frames (client
// side, payload in, bytes out) and decoding them (server side, bytes in,
// payload out), per framing, plain (FramingCodec; HttpClient/HttpServer for
// HTTP) and obfuscated (ClientTransport/ServerTransport with obfuscated2,
// AES-256-CTR over the stream), for 1 KiB and 64 KiB payloads.
//
// Usage: node wasm/bench/transport.mjs   (after wasm/build.sh)
// BENCH_MS sets the time per measurement (default 500). Prints numbers only:
// nothing here is asserted beyond sanity checks, and the test suite does not
// run it.
import assert from "node:assert/strict";

import { budgetMs, col, fmt } from "../testlib/bench.mjs";
import { mtp, randomBytes } from "../testlib/pkg.mjs";

const K = mtp.TransportKind;
const { Client, Server } = mtp.Role;
const MAX = 1 << 24;
const now = () => BigInt(Date.now());

const sizes = [
  ["1 KiB", 1 << 10],
  ["64 KiB", 64 << 10],
];

const framings = [
  ["abridged", K.Abridged],
  ["intermediate", K.Intermediate],
  ["padded", K.PaddedIntermediate],
  ["full", K.Full],
  ["http", K.Http],
];

/**
 * Encode and decode MB/s (payload bytes, 10^6) of one connection kind: best
 * of five rounds. Each round opens a fresh pair, encodes for budgetMs / 5
 * (keeping the frames, in order: streams such as full's sequence numbers and
 * obfuscation's keystream depend on it), then times decoding those frames.
 */
function measure(open, payload) {
  let bestEnc = 0;
  let bestDec = 0;
  for (let round = 0; round < 6; round++) {
    const { tx, rx, close } = open();
    const frames = [];
    const t0 = performance.now();
    let elapsed;
    do {
      frames.push(tx(payload));
      elapsed = performance.now() - t0;
    } while (elapsed < budgetMs / 5);
    const t1 = performance.now();
    let received = 0;
    for (const f of frames) received += rx(f);
    const decElapsed = performance.now() - t1;
    assert.equal(received, frames.length, "every frame decoded");
    close();
    if (round === 0) continue; // warm-up
    const bytes = payload.length * frames.length;
    bestEnc = Math.max(bestEnc, bytes / (elapsed / 1000) / 1e6);
    bestDec = Math.max(bestDec, bytes / (decElapsed / 1000) / 1e6);
  }
  return [bestEnc, bestDec];
}

/** Counts the packets a poll function yields. */
function count(poll) {
  let n = 0;
  for (let item = poll(); item !== undefined; item = poll()) {
    assert.equal(item.kind, "packet");
    n++;
  }
  return n;
}

/** The framing layer alone (plain): FramingCodec, or the HTTP codecs. */
function openPlain(kind) {
  if (kind === K.Http) {
    const client = new mtp.HttpClient("bench");
    const server = new mtp.HttpServer();
    return {
      tx: (p) => client.encodeRequest(p),
      rx: (bytes) => {
        server.feed(bytes);
        const n = count(() => server.poll());
        // Answer, so that requests do not pile up.
        server.encodeResponse(Uint8Array.of(0, 0, 0, 0));
        return n;
      },
      close: () => {
        client.free();
        server.free();
      },
    };
  }
  const client = new mtp.FramingCodec(kind, Client, MAX);
  const server = new mtp.FramingCodec(kind, Server, MAX);
  return {
    tx: (p) => client.encodePacket(p, false),
    rx: (bytes) => {
      server.feed(bytes);
      return count(() => server.poll());
    },
    close: () => {
      client.free();
      server.free();
    },
  };
}

/** Every layer composed, obfuscated2 without a secret. */
function openObfuscated(kind) {
  const client = new mtp.ClientTransport({ kind, obfuscate: true }, now());
  const server = new mtp.ServerTransport({});
  for (let b = client.pollTransmit(); b !== undefined; b = client.pollTransmit()) server.handleInput(b, now());
  const t = now();
  return {
    tx: (p) => {
      client.send(p, false);
      return client.pollTransmit();
    },
    rx: (bytes) => {
      server.handleInput(bytes, t);
      return count(() => server.pollInbound());
    },
    close: () => {
      client.free();
      server.free();
    },
  };
}

console.log(`mtproto-wasm transport benchmark: Node ${process.version}, best of 5 rounds of ${budgetMs / 5} ms, MB = 10^6 payload bytes`);
console.log("encode: client side, payload to wire bytes; decode: server side, wire bytes to payload");
console.log("plain: the framing codec alone (HTTP: HttpClient/HttpServer); obfuscated: ClientTransport/ServerTransport, obfuscated2\n");
console.log(
  `${col("framing", 13)}${col("size", 8)}  ${"plain enc".padStart(9)}  ${"plain dec".padStart(9)}  ${"obf enc".padStart(9)}  ${"obf dec".padStart(9)}   (MB/s)`,
);
for (const [name, kind] of framings) {
  for (const [label, n] of sizes) {
    const payload = randomBytes(n);
    const [pe, pd] = measure(() => openPlain(kind), payload);
    const obfuscatable = kind !== K.Full && kind !== K.Http;
    const [oe, od] = obfuscatable ? measure(() => openObfuscated(kind), payload) : [NaN, NaN];
    const show = (x) => (Number.isNaN(x) ? "-".padStart(9) : fmt(x));
    console.log(`${col(name, 13)}${col(label, 8)}  ${fmt(pe)}  ${fmt(pd)}  ${show(oe)}  ${show(od)}`);
  }
}
