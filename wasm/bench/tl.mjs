// Throughput of the TL codec through the wasm build (TlCodec with
// tests/schema/api.tl): encoding a large JS object to TL bytes and decoding
// the bytes back to plain objects, each call crossing the JS/wasm boundary
// with the whole value. The reference, measured in the same run, is Node's
// own JSON.stringify / JSON.parse of the same value (to and from UTF-8 bytes),
// the cheapest way JS has to turn such an object into bytes and back.
//
// Usage: node wasm/bench/tl.mjs   (after wasm/build.sh)
// BENCH_MS sets the time per measurement (default 500). Prints numbers only:
// nothing here is asserted, and the test suite does not run it.
import assert from "node:assert/strict";

import { budgetMs, col, fmt, ratio, throughput } from "../testlib/bench.mjs";
import { apiCodec } from "../testlib/tl.mjs";

/** A messages.messages with `n` messages: text, entities, a peer, a sender, flags. */
function messages(n) {
  const words = ["hello", "world", "привет", "MTProto", "wasm", "🚀", "codec", "Telegram"];
  const list = Array.from({ length: n }, (_, i) => {
    const text = Array.from({ length: 12 + (i % 20) }, (_, j) => words[(i + j) % words.length]).join(" ");
    return {
      _: "message",
      out: i % 3 === 0 ? true : undefined,
      id: 100_000 + i,
      from_id: { _: "peerUser", user_id: String(777_000 + (i % 5)) },
      peer_id: { _: "peerChannel", channel_id: "1234567890123" },
      date: 1_700_000_000 + i * 7,
      message: text,
      entities: [
        { _: "messageEntityBold", offset: 0, length: 5 },
        { _: "messageEntityTextUrl", offset: 6, length: 5, url: `https://example.org/${i}` },
        { _: "messageEntityMentionName", offset: 12, length: 4, user_id: String(777_000 + i) },
      ],
      views: 1000 + i,
      forwards: i,
      edit_date: i % 4 === 0 ? 1_700_000_500 + i : undefined,
    };
  });
  return {
    _: "messages.messages",
    messages: list,
    topics: [],
    chats: [],
    users: Array.from({ length: 5 }, (_, i) => ({ _: "userEmpty", id: String(777_000 + i) })),
  };
}

const codec = apiCodec();
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

console.log(`mtproto-wasm TL benchmark: Node ${process.version}, best of 5 rounds in ${budgetMs} ms per figure, MB = 10^6 bytes`);
console.log("MB/s counts TL bytes (encode: bytes out, decode: bytes in); reference: JSON.stringify + UTF-8 encode,");
console.log("UTF-8 decode + JSON.parse of the same value; x JSON = how long JSON takes / how long TL takes\n");
console.log(
  `${col("messages.messages", 22)}  ${"TL bytes".padStart(9)}  ${"JSON bytes".padStart(10)}  ${"enc MB/s".padStart(9)}  ${"dec MB/s".padStart(9)}  ${"enc x JSON".padStart(10)}  ${"dec x JSON".padStart(10)}`,
);
for (const n of [1, 10, 100]) {
  const value = messages(n);
  const bytes = codec.encode(value);
  const decoded = codec.decode(bytes);
  assert.deepStrictEqual(decoded, JSON.parse(JSON.stringify(value)), "TL round trip");
  const json = utf8.encode(JSON.stringify(value));

  const enc = throughput(bytes.length, () => codec.encode(value));
  const dec = throughput(bytes.length, () => codec.decode(bytes));
  // The same figures for JSON, counted in JSON bytes, turned into calls per second.
  const jsonEnc = throughput(json.length, () => utf8.encode(JSON.stringify(value))) / json.length;
  const jsonDec = throughput(json.length, () => JSON.parse(fromUtf8.decode(json))) / json.length;
  const label = `${n} message${n === 1 ? "" : "s"}`;
  console.log(
    `${col(label, 22)}  ${String(bytes.length).padStart(9)}  ${String(json.length).padStart(10)}  ${fmt(enc)}  ${fmt(dec)}  ${ratio(enc / bytes.length / jsonEnc).padStart(10)}  ${ratio(dec / bytes.length / jsonDec).padStart(10)}`,
  );
}
