// The npm package itself: package.json, the TypeScript declarations, the ES
// module view of the Node build, the web build, and what AuthKey and TlCodec
// expose.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { inspect } from "node:util";
import { describe, test } from "node:test";

import { hex, loadVectors, mtp, pkgDir, randomBytes, rootDir, toHex } from "../testlib/pkg.mjs";

// The binding API listed in the README (Binding API).
const API_FUNCTIONS = [
  "igeEncrypt",
  "igeDecrypt",
  "msgKeyV2",
  "deriveV2",
  "msgKeyV1",
  "deriveV1",
  "handshakeTmpKeyIv",
  "sealEncrypted",
  "sealEncryptedWithPadding",
  "openEncrypted",
  "sealPlain",
  "openPlain",
];

const pkgJson = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8"));

test("package.json: name, version, main, types, files", () => {
  assert.equal(pkgJson.name, "mtproto-wasm");
  const workspace = readFileSync(path.join(rootDir, "Cargo.toml"), "utf8");
  const version = /\[workspace\.package\][^[]*?\nversion = "([^"]+)"/.exec(workspace)?.[1];
  assert.equal(pkgJson.version, version);
  for (const f of [pkgJson.main, pkgJson.types, "mtproto_wasm_bg.wasm", "web/mtproto_wasm.js", "web/mtproto_wasm_bg.wasm"]) {
    assert.ok(existsSync(path.join(pkgDir, f)), `${f} missing`);
  }
  for (const target of Object.values(pkgJson.exports).flatMap((e) => (typeof e === "string" ? [e] : Object.values(e)))) {
    assert.ok(existsSync(path.join(pkgDir, target)), `export target ${target} missing`);
  }
});

// The classes; TlCodec's methods, static and not (README, Binding API).
const API_CLASSES = ["AuthKey", "MtprotoError", "TlCodec"];
const TL_METHODS = {
  encode: "encode(value: TlValue): Uint8Array;",
  decode: "decode(bytes: Uint8Array | number[]): TlValue;",
  encodeAs: "encodeAs(type: string, value: unknown): Uint8Array;",
  decodeAs: "decodeAs(type: string, bytes: Uint8Array | number[]): unknown;",
  resultType: "resultType(query: TlValue): string;",
  decodeResult: "decodeResult(query: TlValue, bytes: Uint8Array | number[]): unknown;",
};

test("every API function, AuthKey, TlCodec, Direction, ErrorCode and MtprotoError are exported", () => {
  for (const name of API_FUNCTIONS) assert.equal(typeof mtp[name], "function", name);
  for (const name of API_CLASSES) assert.equal(typeof mtp[name], "function", name);
  assert.deepEqual({ ...mtp.Direction }, { 0: "ClientToServer", 1: "ServerToClient", ClientToServer: 0, ServerToClient: 1 });
});

describe("TypeScript declarations are precise", () => {
  const dts = readFileSync(path.join(pkgDir, pkgJson.types), "utf8");
  const webDts = readFileSync(path.join(pkgDir, "web/mtproto_wasm.d.ts"), "utf8");
  const signatures = {
    igeEncrypt: "(key: Uint8Array | number[], iv: Uint8Array | number[], data: Uint8Array | number[]): Uint8Array",
    igeDecrypt: "(key: Uint8Array | number[], iv: Uint8Array | number[], data: Uint8Array | number[]): Uint8Array",
    msgKeyV2: "(authKey: AuthKey, direction: Direction, plaintext: Uint8Array | number[]): Uint8Array",
    deriveV2: "(authKey: AuthKey, direction: Direction, msgKey: Uint8Array | number[]): AesKeyIv",
    msgKeyV1: "(plaintext: Uint8Array | number[]): Uint8Array",
    deriveV1: "(authKey: AuthKey, direction: Direction, msgKey: Uint8Array | number[]): AesKeyIv",
    handshakeTmpKeyIv: "(newNonce: Uint8Array | number[], serverNonce: Uint8Array | number[]): AesKeyIv",
    sealEncrypted:
      "(authKey: AuthKey, direction: Direction, header: MessageHeader, body: Uint8Array | number[]): Uint8Array",
    sealEncryptedWithPadding:
      "(authKey: AuthKey, direction: Direction, header: MessageHeader, body: Uint8Array | number[], padding: Uint8Array | number[]): Uint8Array",
    openEncrypted: "(authKey: AuthKey, direction: Direction, wire: Uint8Array | number[]): DecryptedMessage",
    sealPlain: "(msgId: bigint, body: Uint8Array | number[]): Uint8Array",
    openPlain: "(wire: Uint8Array | number[]): PlainMessage",
  };

  test("function signatures", () => {
    assert.deepEqual(Object.keys(signatures).sort(), [...API_FUNCTIONS].sort());
    for (const [name, sig] of Object.entries(signatures)) {
      assert.ok(dts.includes(`export function ${name}${sig};`), `${name}: expected ${sig}`);
      assert.ok(webDts.includes(`export function ${name}${sig};`), `web ${name}`);
    }
  });

  test("records, classes and enums", () => {
    const flat = dts.replace(/\/\*\*[\s\S]*?\*\//g, "").replace(/\s+/g, " ");
    for (const decl of [
      "export interface MessageHeader { salt: bigint; sessionId: bigint; msgId: bigint; seqNo: number; }",
      "export interface DecryptedMessage { header: MessageHeader; body: Uint8Array; }",
      "export interface PlainMessage { msgId: bigint; body: Uint8Array; }",
      "export interface AesKeyIv { key: Uint8Array; iv: Uint8Array; }",
      'export class MtprotoError extends Error { private constructor(); readonly name: "MtprotoError"; readonly code: ErrorCode; }',
      "export enum Direction { ClientToServer = 0, ServerToClient = 1, }",
      "id(): bigint;",
      "idWire(): Uint8Array;",
      "auxHash(): Uint8Array;",
      "constructor(bytes: Uint8Array | number[]);",
      "export type TlValue = { _: string; [field: string]: unknown };",
      "constructor(schemaText: string);",
      "static mtproto(): TlCodec;",
      ...Object.values(TL_METHODS),
    ]) {
      assert.ok(flat.includes(decl), `missing: ${decl}`);
      assert.ok(webDts.replace(/\/\*\*[\s\S]*?\*\//g, "").replace(/\s+/g, " ").includes(decl), `web: missing ${decl}`);
    }
    // No `any` anywhere; `unknown` only where a TL value of any type goes:
    // TlValue's fields, encodeAs's value, decodeAs's and decodeResult's result.
    let rest = flat.replace("[field: string]: unknown", "");
    for (const m of ["encodeAs", "decodeAs", "decodeResult"]) rest = rest.replace(TL_METHODS[m], "");
    assert.doesNotMatch(rest, /\bany\b|\bunknown\b/, "no any/unknown elsewhere in the declarations");
    assert.doesNotMatch(flat, /[a-z]_[a-z]+\??:/, "names are camelCase");
  });
});

test("the Node build imports as an ES module with named exports", async () => {
  const esm = await import(pathToFileURL(path.join(pkgDir, pkgJson.main)).href);
  for (const name of [...API_FUNCTIONS, ...API_CLASSES, "Direction", "ErrorCode"]) {
    assert.ok(name in esm, name);
  }
});

test("the web build initialises from bytes and passes vectors", async () => {
  const web = await import(pathToFileURL(path.join(pkgDir, "web/mtproto_wasm.js")).href);
  web.initSync({ module: readFileSync(path.join(pkgDir, "web/mtproto_wasm_bg.wasm")) });
  for (const c of loadVectors("ige.json").cases) {
    assert.equal(toHex(web.igeEncrypt(hex(c.key), hex(c.iv), hex(c.plaintext))), c.ciphertext, c.name);
  }
  const c = loadVectors("envelope.json").cases[0];
  const key = new web.AuthKey(hex(c.auth_key));
  const dir = c.direction === "client" ? web.Direction.ClientToServer : web.Direction.ServerToClient;
  assert.equal(toHex(web.openEncrypted(key, dir, hex(c.wire)).body), c.body);
  // Random padding comes from crypto.getRandomValues in this build too.
  const header = { salt: 1n, sessionId: 2n, msgId: 3n, seqNo: 4 };
  const wire = web.sealEncrypted(key, dir, header, new Uint8Array(8));
  assert.deepEqual(web.openEncrypted(key, dir, wire).header, header);
  let caught;
  try {
    web.openPlain(new Uint8Array(3));
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof web.MtprotoError && caught instanceof Error);
  assert.equal(caught.code, web.ErrorCode.EnvelopeMalformed);
  key.free();
  // The TL codec, plain objects and TL errors in this build too.
  const tl = web.TlCodec.mtproto();
  const ping = { _: "ping", ping_id: "-1" };
  assert.equal(toHex(tl.encode(ping)), "ec77be7affffffffffffffff");
  assert.deepStrictEqual(tl.decode(tl.encode(ping)), ping);
  assert.throws(() => tl.decode(new Uint8Array(2)), (e) => e instanceof web.MtprotoError && e.code === web.ErrorCode.TlUnexpectedEof);
  tl.free();
});

test("AuthKey never shows its bytes", () => {
  const bytes = randomBytes(256);
  const key = new mtp.AuthKey(bytes);
  try {
    const keyHex = toHex(bytes);
    for (const shown of [inspect(key, { showHidden: true, depth: 5 }), String(key), JSON.stringify(key)]) {
      assert.ok(!shown.includes(keyHex.slice(0, 16)), shown);
    }
    const methods = Object.getOwnPropertyNames(mtp.AuthKey.prototype).filter((m) => !m.startsWith("__"));
    assert.deepEqual(methods.sort(), ["auxHash", "constructor", "free", "id", "idWire"]);
  } finally {
    key.free();
  }
});

test("TlCodec has the TL methods and the static mtproto()", () => {
  const methods = Object.getOwnPropertyNames(mtp.TlCodec.prototype).filter((m) => !m.startsWith("__"));
  assert.deepEqual(methods.sort(), ["constructor", "free", ...Object.keys(TL_METHODS)].sort());
  assert.equal(typeof mtp.TlCodec.mtproto, "function");
  assert.equal(typeof mtp.TlCodec.prototype[Symbol.dispose], "function");
});
