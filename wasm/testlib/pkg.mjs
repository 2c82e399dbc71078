// Shared by the Node tests (wasm/test/) and the benchmark (wasm/bench/).
// Lives outside wasm/test/ because `node --test wasm/test/` runs every .mjs
// file under a directory named `test` as a test file.
//
// Loads the built package through its package.json ("main"), as a user's
// `require("mtproto-wasm")` would. MTPROTO_WASM_PKG overrides the directory.
import assert from "node:assert/strict";
import { randomFillSync } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const wasmDir = path.resolve(here, "..");
export const rootDir = path.resolve(wasmDir, "..");
export const pkgDir = process.env.MTPROTO_WASM_PKG ?? path.join(wasmDir, "pkg");
export const vectorsDir = path.join(rootDir, "tests", "vectors");

const require = createRequire(import.meta.url);
/** The package, loaded as `require("mtproto-wasm")` loads it. */
export const mtp = require(pkgDir);

/** Bytes from a hex string (strict: even length, hex digits only). */
export function hex(s) {
  assert.equal(typeof s, "string", "hex field must be a string");
  assert.match(s, /^(?:[0-9a-fA-F]{2})*$/, `not a hex string: ${s.slice(0, 40)}`);
  return new Uint8Array(Buffer.from(s, "hex"));
}

/** Lowercase hex of a Uint8Array. */
export function toHex(bytes) {
  assert.ok(bytes instanceof Uint8Array, `expected a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** The Direction of a vector's "client" / "server" field. */
export function direction(name) {
  switch (name) {
    case "client":
      return mtp.Direction.ClientToServer;
    case "server":
      return mtp.Direction.ServerToClient;
    default:
      throw new Error(`unknown direction in vector: ${name}`);
  }
}

/** The vector files, sorted: tests/vectors/*.json. */
export function vectorFiles() {
  return readdirSync(vectorsDir).filter((f) => f.endsWith(".json")).sort();
}

/** One vector file, checked for the shared format. */
export function loadVectors(file) {
  const data = JSON.parse(readFileSync(path.join(vectorsDir, file), "utf8"));
  assert.equal(data.version, 1, `${file}: version`);
  assert.ok(Array.isArray(data.cases) && data.cases.length > 0, `${file}: no cases`);
  for (const c of data.cases) assert.equal(typeof c.name, "string", `${file}: a case without a name`);
  return data;
}

/** Cryptographically random bytes. */
export function randomBytes(n) {
  return randomFillSync(new Uint8Array(n));
}

/** A random u64 as a bigint. */
export function randomU64() {
  return new BigUint64Array(crypto.getRandomValues(new BigUint64Array(1)).buffer)[0];
}

/**
 * Asserts that `fn` throws an MtprotoError with `code` (and, if given, a
 * message matching `message`); returns the error.
 */
export function throwsCode(fn, code, message) {
  let caught;
  assert.throws(fn, (e) => {
    caught = e;
    return true;
  });
  assert.ok(caught instanceof Error, `threw a non-Error: ${String(caught)}`);
  assert.ok(caught instanceof mtp.MtprotoError, `threw ${caught.name}: ${caught.message}`);
  assert.equal(caught.name, "MtprotoError");
  assert.equal(caught.code, code, `code of "${caught.message}"`);
  if (message !== undefined) assert.match(caught.message, message);
  return caught;
}
