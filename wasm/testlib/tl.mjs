// TL helpers shared by the Node tests (wasm/test/tl.test.mjs,
// wasm/test/vectors.test.mjs) and the benchmark (wasm/bench/tl.mjs).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";

import { hex, mtp, rootDir, toHex } from "./pkg.mjs";

/** The text of tests/schema/api.tl (the Telegram API schema). */
export const apiSchemaText = readFileSync(path.join(rootDir, "tests", "schema", "api.tl"), "utf8");

let api;
let mtproto;

/** A TlCodec for tests/schema/api.tl, made once. */
export function apiCodec() {
  api ??= new mtp.TlCodec(apiSchemaText);
  return api;
}

/** A TlCodec for the built-in MTProto service schema, made once. */
export function mtprotoCodec() {
  mtproto ??= mtp.TlCodec.mtproto();
  return mtproto;
}

/** The codec a tl.json case names in its "schema" field. */
export function codecOf(c) {
  switch (c.schema) {
    case "api":
      return apiCodec();
    case "mtproto":
      return mtprotoCodec();
    default:
      throw new Error(`unknown schema in vector: ${c.schema}`);
  }
}

/**
 * Checks one case of tests/vectors/tl.json: encoding "json" (as "type" when
 * given) gives "hex", decoding "hex" gives "json" (compared as values), and
 * "result_type", when given, is the query's result type.
 */
export function checkTlCase(c) {
  const codec = codecOf(c);
  const bytes = hex(c.hex);
  if (c.type === undefined) {
    assert.equal(toHex(codec.encode(c.json)), c.hex, "encode");
    assert.deepStrictEqual(codec.decode(bytes), c.json, "decode");
  } else {
    assert.equal(toHex(codec.encodeAs(c.type, c.json)), c.hex, "encodeAs");
    assert.deepStrictEqual(codec.decodeAs(c.type, bytes), c.json, "decodeAs");
  }
  if (c.result_type !== undefined) {
    assert.equal(codec.resultType(c.json), c.result_type, "resultType");
  }
}
