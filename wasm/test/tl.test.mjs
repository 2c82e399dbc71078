// The TL codec (TlCodec): the shared vectors (tests/vectors/tl.json, with
// tests/schema/api.tl and the built-in MTProto schema), the required
// invokeWithLayer(initConnection(help.getConfig)) round trip, every method,
// values as plain JS objects, and errors with their codes and paths.
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { describe, test } from "node:test";

import { hex, loadVectors, mtp, throwsCode, toHex } from "../testlib/pkg.mjs";
import { apiCodec, apiSchemaText, checkTlCase, mtprotoCodec } from "../testlib/tl.mjs";

const E = mtp.ErrorCode;
const api = apiCodec();
const mtproto = mtprotoCodec();
const b64 = (bytes) => Buffer.from(bytes).toString("base64");

/** Asserts that `value` and everything in it are plain objects, arrays and primitives. */
function assertPlain(value, where = "value") {
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertPlain(v, `${where}[${i}]`));
  } else if (typeof value === "object" && value !== null) {
    assert.equal(Object.getPrototypeOf(value), Object.prototype, `${where} is a plain object`);
    for (const [k, v] of Object.entries(value)) assertPlain(v, `${where}.${k}`);
  } else {
    assert.ok(["string", "number", "boolean"].includes(typeof value) || value === null, `${where}: ${typeof value}`);
  }
}

describe("tests/vectors/tl.json", () => {
  const { cases } = loadVectors("tl.json");

  test("has cases for both schemas, typed values and a result type", () => {
    assert.deepEqual([...new Set(cases.map((c) => c.schema))].sort(), ["api", "mtproto"]);
    assert.ok(cases.some((c) => c.type !== undefined));
    assert.ok(cases.some((c) => c.result_type !== undefined));
  });

  for (const c of cases) {
    test(c.name, () => {
      checkTlCase(c);
      // Decoded values are plain objects that survive JSON text unchanged.
      const bytes = hex(c.hex);
      const codec = c.schema === "api" ? api : mtproto;
      const decoded = c.type === undefined ? codec.decode(bytes) : codec.decodeAs(c.type, bytes);
      assertPlain(decoded);
      assert.deepStrictEqual(JSON.parse(JSON.stringify(decoded)), decoded);
    });
  }
});

// The query every binding must encode byte for byte: invokeWithLayer(228,
// initConnection(..., help.getConfig)), written here by hand.
const initQuery = () => ({
  _: "invokeWithLayer",
  layer: 228,
  query: {
    _: "initConnection",
    api_id: 12345,
    device_model: "Test device",
    system_version: "1.0",
    app_version: "0.1.0",
    system_lang_code: "en",
    lang_pack: "",
    lang_code: "en",
    query: { _: "help.getConfig" },
  },
});
const initHex = loadVectors("tl.json").cases.find((c) => c.json._ === "invokeWithLayer").hex;

describe("invokeWithLayer(228, initConnection(..., help.getConfig))", () => {
  test("encodes byte for byte and decodes back", () => {
    const bytes = api.encode(initQuery());
    assert.ok(bytes instanceof Uint8Array);
    assert.equal(toHex(bytes), initHex);
    // Constructor ids, little-endian: invokeWithLayer, 228, initConnection, flags = 0, ...
    assert.equal(toHex(bytes.subarray(0, 16)), "0d0d9bdae4000000a95ecdc100000000");
    const decoded = api.decode(bytes);
    assert.deepStrictEqual(decoded, initQuery());
    assertPlain(decoded);
    // Fields come in schema order; the flags word is left out.
    assert.deepEqual(Object.keys(decoded.query), Object.keys(initQuery().query));
  });

  test("resultType and decodeResult see through the wrappers", () => {
    assert.equal(api.resultType(initQuery()), "Config");
    const nearest = initQuery();
    nearest.query.query = { _: "help.getNearestDc" };
    assert.equal(api.resultType(nearest), "NearestDc");
    const dc = { _: "nearestDc", country: "NL", this_dc: 2, nearest_dc: 4 };
    assert.deepStrictEqual(api.decodeResult(nearest, api.encode(dc)), dc);
  });
});

describe("encode / decode", () => {
  test("flags, true flags, optional fields and longs", () => {
    const value = {
      _: "messages.getDialogs",
      exclude_pinned: true,
      folder_id: 1,
      offset_date: 0,
      offset_id: 0,
      offset_peer: { _: "inputPeerEmpty" },
      limit: 20,
      hash: "-1",
    };
    const bytes = api.encode(value);
    assert.deepStrictEqual(api.decode(bytes), value);
    // Unset flags may be given as absent, null, undefined or false.
    const noFlags = { ...value, exclude_pinned: false, folder_id: null };
    const decoded = api.decode(api.encode(noFlags));
    assert.ok(!("exclude_pinned" in decoded) && !("folder_id" in decoded));
    assert.deepStrictEqual(api.decode(api.encode({ ...noFlags, folder_id: undefined })), decoded);
    // A long may be given as a decimal string, a safe integer number or a bigint.
    for (const hash of ["-1", -1, -1n]) assert.equal(toHex(api.encode({ ...value, hash })), toHex(bytes));
  });

  test("64-bit extremes, bytes as base64, int128/int256 as hex", () => {
    const min = "-9223372036854775808";
    const max = "9223372036854775807";
    for (const userId of [min, max, "0"]) {
      const v = { _: "peerUser", user_id: userId };
      assert.deepStrictEqual(api.decode(api.encode(v)), v);
    }
    assert.equal(api.decode(api.encode({ _: "peerUser", user_id: BigInt(max) })).user_id, max);
    const pong = { _: "resPQ", nonce: "00".repeat(15) + "ff", server_nonce: "ab".repeat(16), pq: b64([1, 2, 3]), server_public_key_fingerprints: [min] };
    assert.deepStrictEqual(mtproto.decode(mtproto.encode(pong)), pong);
  });

  test("a Map is accepted as an object", () => {
    const v = new Map([
      ["_", "peerUser"],
      ["user_id", "7"],
    ]);
    assert.deepStrictEqual(api.decode(api.encode(v)), { _: "peerUser", user_id: "7" });
  });

  test("a large object: messages.messages with 100 messages", () => {
    const messages = Array.from({ length: 100 }, (_, i) => ({
      _: "message",
      out: i % 2 === 0 ? true : undefined,
      id: i + 1,
      peer_id: { _: "peerUser", user_id: String(1000 + i) },
      date: 1_700_000_000 + i,
      message: `message ${i}: ${"héllo wörld ".repeat(i % 7)}`,
      entities: [{ _: "messageEntityBold", offset: 0, length: 7 }],
    }));
    const value = { _: "messages.messages", messages, topics: [], chats: [], users: [{ _: "userEmpty", id: "1000" }] };
    const bytes = api.encode(value);
    const decoded = api.decode(bytes);
    assert.equal(decoded.messages.length, 100);
    assert.deepStrictEqual(decoded.messages[1], JSON.parse(JSON.stringify(messages[1])));
    assert.equal(decoded.messages[0].out, true);
    assert.equal(toHex(api.encode(decoded)), toHex(bytes));
    assert.equal(toHex(api.encodeAs("messages.Messages", value)), toHex(bytes));
    assert.deepStrictEqual(api.decodeAs("messages.Messages", bytes), decoded);
  });
});

describe("encodeAs / decodeAs", () => {
  const cases = [
    ["int", -5, "fbffffff"],
    ["long", "-2", "feffffffffffffff"],
    ["double", 1.5, "000000000000f83f"],
    ["string", "hé", "0368c3a9"],
    ["bytes", b64([1, 2, 3]), "03010203"],
    ["Bool", true, "b5757299"],
    ["Bool", false, "379779bc"],
    ["Vector<int>", [1, 2], "15c4b51c020000000100000002000000"],
    ["vector<int>", [7], "0100000007000000"],
    ["Vector<long>", ["1", "-2"], "15c4b51c020000000100000000000000feffffffffffffff"],
    ["Peer", { _: "peerUser", user_id: "1" }, "2217515901000000" + "00000000"],
    ["peerUser", { _: "peerUser", user_id: "1" }, "0100000000000000"],
  ];
  for (const [type, value, wire] of cases) {
    test(`${type} ${JSON.stringify(value)}`, () => {
      assert.equal(toHex(api.encodeAs(type, value)), wire);
      assert.deepStrictEqual(api.decodeAs(type, hex(wire)), value);
    });
  }

  test("doubles JSON lacks are strings both ways; JS NaN and infinities are accepted", () => {
    for (const [js, str] of [
      [NaN, "NaN"],
      [Infinity, "Infinity"],
      [-Infinity, "-Infinity"],
    ]) {
      const bytes = api.encodeAs("double", js);
      assert.equal(toHex(api.encodeAs("double", str)), toHex(bytes));
      assert.equal(api.decodeAs("double", bytes), str);
    }
  });

  test("a bare constructor leaves out the id", () => {
    const msg = { _: "message", id: 1, peer_id: { _: "peerUser", user_id: "5" }, date: 2, message: "hi" };
    const boxed = api.encodeAs("Message", msg);
    const bare = api.encodeAs("message", msg);
    assert.equal(toHex(boxed), "d3b90076" + toHex(bare));
    assert.deepStrictEqual(api.decodeAs("message", bare), msg);
  });
});

describe("resultType / decodeResult", () => {
  test("plain, vector and generic results", () => {
    assert.equal(api.resultType({ _: "help.getConfig" }), "Config");
    assert.equal(api.resultType({ _: "users.getUsers", id: [{ _: "inputUserSelf" }] }), "Vector<User>");
    const users = [{ _: "userEmpty", id: "1" }, { _: "userEmpty", id: "2" }];
    const query = { _: "invokeWithLayer", layer: 228, query: { _: "users.getUsers", id: [] } };
    assert.equal(api.resultType(query), "Vector<User>");
    assert.deepStrictEqual(api.decodeResult(query, api.encodeAs("Vector<User>", users)), users);
  });

  test("the MTProto schema: ping -> Pong", () => {
    const ping = { _: "ping", ping_id: "42" };
    assert.equal(mtproto.resultType(ping), "Pong");
    const pong = { _: "pong", msg_id: "5", ping_id: "42" };
    assert.deepStrictEqual(mtproto.decodeResult(ping, mtproto.encode(pong)), pong);
  });
});

describe("TlCodec.mtproto()", () => {
  test("msg_container and rpc_result with gzip_packed inflated in place", () => {
    const pong = { _: "pong", msg_id: "5", ping_id: "42" };
    const packed = { _: "gzip_packed", packed_data: b64(gzipSync(mtproto.encode(pong))) };
    const rpc = { _: "rpc_result", req_msg_id: "5", result: packed };
    const container = {
      _: "msg_container",
      messages: [
        { _: "message", msg_id: "5", seqno: 1, bytes: 16, body: { _: "ping", ping_id: "42" } },
      ],
    };
    assert.deepStrictEqual(mtproto.decode(mtproto.encode(rpc)), { ...rpc, result: pong });
    assert.deepStrictEqual(mtproto.decode(mtproto.encode(container)), container);
  });

  test("codecs are independent objects", () => {
    const a = mtp.TlCodec.mtproto();
    const b = new mtp.TlCodec(apiSchemaText);
    try {
      assert.ok(a instanceof mtp.TlCodec && b instanceof mtp.TlCodec);
      throwsCode(() => a.encode({ _: "help.getConfig" }), E.TlUnknownName, /help\.getConfig/);
      assert.equal(toHex(b.encode({ _: "help.getConfig" })), "6b18f9c4");
    } finally {
      a.free();
      b.free();
    }
  });
});

describe("errors carry their code and where they happened", () => {
  test("api_id: \"twelve\" -> TlWrongType (310) at invokeWithLayer.query.api_id", () => {
    const q = initQuery();
    q.query.api_id = "twelve";
    const e = throwsCode(() => api.encode(q), E.TlWrongType, /invokeWithLayer\.query\.api_id/);
    assert.match(e.message, /expected an int/);
    assert.match(e.message, /"twelve"/);
  });

  test("truncated bytes -> TlUnexpectedEof (300), at every length", () => {
    const bytes = hex(initHex);
    for (let n = 0; n < bytes.length; n++) {
      throwsCode(() => api.decode(bytes.subarray(0, n)), E.TlUnexpectedEof, /unexpected end of input/);
    }
    throwsCode(() => api.decode(bytes.subarray(0, bytes.length - 2)), E.TlUnexpectedEof, /^at invokeWithLayer\.query\.query: /);
    throwsCode(() => api.decodeResult({ _: "help.getNearestDc" }, new Uint8Array(2)), E.TlUnexpectedEof);
  });

  test("other decoding errors", () => {
    const bytes = hex(initHex);
    const long = new Uint8Array(bytes.length + 4);
    long.set(bytes);
    throwsCode(() => api.decode(long), E.TlTrailingBytes, /^4 trailing bytes/);
    const unknown = bytes.slice();
    unknown.set([0x78, 0x56, 0x34, 0x12], bytes.length - 4);
    throwsCode(() => api.decode(unknown), E.TlUnknownConstructor, /0x12345678/);
    throwsCode(() => api.decodeAs("Vector<long>", hex("15c4b51cffffff7f")), E.TlVectorTooLong);
    throwsCode(() => api.decodeAs("Bool", hex("00000000")), E.TlUnknownConstructor);
    throwsCode(() => api.decodeAs("bytes", hex("02010201")), E.TlNonZeroPadding, /byte 3/);
    throwsCode(() => api.decodeAs("string", hex("01ff0000")), E.TlInvalidUtf8);
    throwsCode(() => api.decodeAs("bytes", hex("fe010000" + "00".repeat(4))), E.TlInvalidLength);
    const corrupt = { _: "rpc_result", req_msg_id: "1", result: { _: "gzip_packed", packed_data: b64([1, 2, 3]) } };
    throwsCode(() => mtproto.decode(mtproto.encode(corrupt)), E.GzipCorrupt, /result/);
  });

  test("other encoding errors", () => {
    throwsCode(() => api.encode({ _: "peerUser" }), E.TlMissingField, /^at peerUser\.user_id: missing field user_id$/);
    throwsCode(() => api.encode({ _: "noSuchThing" }), E.TlUnknownName, /noSuchThing/);
    throwsCode(() => api.encode({ _: "peerUser", user_id: 1.5 }), E.TlWrongType, /peerUser\.user_id: expected a long/);
    throwsCode(() => api.encode({ _: "peerUser", user_id: 2 ** 60 }), E.TlWrongType);
    throwsCode(() => api.encode(null), E.TlWrongType);
    throwsCode(() => api.encode([1, 2]), E.TlWrongType);
    throwsCode(() => api.encodeAs("InputPeer", { _: "peerUser", user_id: "1" }), E.TlWrongType, /a constructor of InputPeer, found peerUser/);
    throwsCode(() => api.decodeAs("Vector<", new Uint8Array(4)), E.TlSchema);
    throwsCode(() => api.resultType({ _: "peerUser", user_id: "1" }), E.TlUnknownName, /peerUser/);
    let deep = { _: "textPlain", text: "x" };
    for (let i = 0; i < 70; i++) deep = { _: "textBold", text: deep };
    throwsCode(() => api.encode(deep), E.TlTooDeep, /^at textBold\.text\.text/);
  });

  test("a schema that does not parse -> TlSchema (308)", () => {
    throwsCode(() => new mtp.TlCodec("foo bar = ;"), E.TlSchema, /^schema line 1: /);
    throwsCode(() => new mtp.TlCodec("ok#00000001 = Ok;\n---functions---\nbad#zz = X;"), E.TlSchema, /^schema line 3/);
  });

  test("values JSON cannot hold -> InvalidArgument (1), naming where", () => {
    const q = initQuery();
    q.query.device_model = new Uint8Array(3);
    throwsCode(() => api.encode(q), E.InvalidArgument, /^not a TL value in the JSON form at value\.query\.device_model: .*byte array/);
    throwsCode(() => api.encodeAs("Vector<int>", [1, Symbol("s")]), E.InvalidArgument, /at value\[1\]/);
    throwsCode(() => api.encode({ _: "peerUser", user_id: () => 1 }), E.InvalidArgument, /value\.user_id/);
    throwsCode(() => api.encode({ _: "peerUser", user_id: 1n << 64n }), E.InvalidArgument, /BigInt/);
    throwsCode(() => api.resultType({ _: "help.getConfig", x: new Set() }), E.InvalidArgument, /value\.x/);
    // Nesting beyond 128 levels is refused before the core sees it (and
    // never overflows the wasm stack).
    let deep = {};
    for (let i = 0; i < 100_000; i++) deep = { _: "textBold", text: deep };
    throwsCode(() => api.encode(deep), E.InvalidArgument, /nested deeper than 128 levels/);
    const nested = [];
    let cur = nested;
    for (let i = 0; i < 200; i++) cur = cur[0] = [];
    throwsCode(() => api.encodeAs("Vector<int>", nested), E.InvalidArgument, /^not a TL value in the JSON form at value(\[0\]){128}: /);
    // The codec still works after all this.
    assert.equal(toHex(api.encode(initQuery())), initHex);
  });

  test("a freed TlCodec throws an Error", () => {
    const c = mtp.TlCodec.mtproto();
    c.free();
    assert.throws(() => c.encode({ _: "ping", ping_id: "1" }), Error);
  });
});
