// Throughput of the wasm build: AES-256-IGE encrypt/decrypt and the
// encrypted envelope (seal/open), with Node's built-in AES-256-CBC encryption
// of the same lengths measured in the same run as the reference (IGE and CBC
// are both one serial chain of AES blocks; Node's runs on OpenSSL, with AES-NI
// where the CPU has it, while wasm has no AES instructions).
//
// Usage: node wasm/bench/ige.mjs   (after wasm/build.sh)
// BENCH_MS sets the time per measurement (default 500). Prints numbers only:
// nothing here is asserted, and the test suite does not run it.
import assert from "node:assert/strict";
import { createCipheriv, getCipherInfo } from "node:crypto";

import { budgetMs, col, fmt, ratio, throughput } from "../testlib/bench.mjs";
import { mtp, randomBytes } from "../testlib/pkg.mjs";

const sizes = [
  ["1 KiB", 1 << 10],
  ["16 KiB", 16 << 10],
  ["1 MiB", 1 << 20],
];

assert.ok(getCipherInfo("aes-256-cbc"), "Node's crypto lacks aes-256-cbc");
console.log(`mtproto-wasm benchmark: Node ${process.version}, best of 5 rounds in ${budgetMs} ms per figure, MB = 10^6 bytes`);
console.log("reference: Node crypto AES-256-CBC encryption (OpenSSL), one cipher object per call like the wasm calls\n");

console.log(`${col("AES-256-IGE", 8)}  ${"enc MB/s".padStart(9)}  ${"dec MB/s".padStart(9)}  ${"CBC MB/s".padStart(9)}  ${"enc/CBC".padStart(8)}  ${"dec/CBC".padStart(8)}`);
const key = randomBytes(32);
const iv = randomBytes(32);
for (const [label, n] of sizes) {
  const plain = randomBytes(n);
  const cipher = mtp.igeEncrypt(key, iv, plain);
  assert.deepEqual(mtp.igeDecrypt(key, iv, cipher), plain, "IGE round trip");

  const enc = throughput(n, () => mtp.igeEncrypt(key, iv, plain));
  const dec = throughput(n, () => mtp.igeDecrypt(key, iv, cipher));
  const cbcKey = Buffer.from(key);
  const cbcIv = Buffer.from(iv.subarray(0, 16));
  const cbc = throughput(n, () => {
    const c = createCipheriv("aes-256-cbc", cbcKey, cbcIv);
    c.setAutoPadding(false);
    c.update(plain);
    c.final();
  });
  console.log(`${col(label, 8)}  ${fmt(enc)}  ${fmt(dec)}  ${fmt(cbc)}  ${ratio(enc / cbc)}  ${ratio(dec / cbc)}`);
}

console.log(`\n${col("envelope", 8)}  ${"seal MB/s".padStart(9)}  ${"open MB/s".padStart(9)}   (body bytes; seal with random padding, ClientToServer)`);
const authKey = new mtp.AuthKey(randomBytes(256));
const header = { salt: 1n, sessionId: 2n, msgId: 3n, seqNo: 1 };
const dir = mtp.Direction.ClientToServer;
for (const [label, n] of sizes) {
  const body = randomBytes(n);
  const wire = mtp.sealEncrypted(authKey, dir, header, body);
  assert.deepEqual(mtp.openEncrypted(authKey, dir, wire).body, body, "envelope round trip");

  const seal = throughput(n, () => mtp.sealEncrypted(authKey, dir, header, body));
  const open = throughput(n, () => mtp.openEncrypted(authKey, dir, wire));
  console.log(`${col(label, 8)}  ${fmt(seal)}  ${fmt(open)}`);
}
authKey.free();
