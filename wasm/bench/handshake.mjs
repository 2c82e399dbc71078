// CPU time of a whole auth key exchange through the wasm build: a
// ClientHandshake against a ServerHandshake (the committed test RSA key,
// Telegram's DH group), each call timed on its own side. The reference,
// measured in the same run, is Node's native OpenSSL doing the same
// 2048-bit Diffie-Hellman work on Telegram's prime: two exponentiations per
// side (g^x and y^x), which dominate both roles' time.
//
// Usage: node wasm/bench/handshake.mjs   (after wasm/build.sh)
// BENCH_RUNS sets the number of exchanges (default 20). Prints numbers only:
// nothing here is asserted, and the test suite does not run it.
import { createDiffieHellman, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

import { col } from "../testlib/bench.mjs";
import { mtp, vectorsDir } from "../testlib/pkg.mjs";

const runs = Number(process.env.BENCH_RUNS ?? 20);
const pem = readFileSync(path.join(vectorsDir, "rsa_test_key.pem"), "utf8");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function exchange(privateKey, publicKey) {
  const client = new mtp.ClientHandshake([publicKey], 2, 0);
  const server = new mtp.ServerHandshake([privateKey], 3, new Uint8Array(0));
  const store = new mtp.AuthKeyStore();
  const now = BigInt(Date.now());
  let inClient = 0;
  let inServer = 0;
  try {
    let t = performance.now();
    let toServer = client.start();
    inClient += performance.now() - t;
    for (;;) {
      t = performance.now();
      const toClient = server.handle(toServer, now, store);
      inServer += performance.now() - t;
      t = performance.now();
      const next = client.handle(toClient, now);
      inClient += performance.now() - t;
      if (next === undefined) break;
      toServer = next;
    }
    if (!client.isDone() || !server.isDone()) throw new Error("exchange did not finish");
  } finally {
    client.free();
    server.free();
    store.free();
  }
  return [inClient, inServer];
}

/** Two native 2048-bit exponentiations on Telegram's prime (one side's DH work). */
function nativeDh(prime) {
  const peer = createDiffieHellman(prime, Buffer.from([3]));
  peer.generateKeys();
  // Constructing checks the prime (slow, and not part of an exchange).
  const own = createDiffieHellman(prime, Buffer.from([3]));
  const t = performance.now();
  own.setPrivateKey(randomBytes(256));
  own.generateKeys();
  own.computeSecret(peer.getPublicKey());
  return performance.now() - t;
}

const privateKey = mtp.RsaPrivateKey.fromPem(pem);
const publicKey = privateKey.publicKey();
exchange(privateKey, publicKey); // warm up
const client = [];
const server = [];
for (let i = 0; i < runs; i++) {
  const [c, s] = exchange(privateKey, publicKey);
  client.push(c);
  server.push(s);
}
// Telegram's prime, from the worked example the vectors start from.
const sample = JSON.parse(readFileSync(path.join(vectorsDir, "samples_auth_key.json"), "utf8"));
const answer = Buffer.from(sample.server_dh.answer_with_hash, "hex");
const prime = answer.subarray(20 + 4 + 32 + 4 + 4, 20 + 4 + 32 + 4 + 4 + 256);
const native = Array.from({ length: runs }, () => nativeDh(prime));
const ref = median(native);

console.log(`auth key exchange through wasm, median of ${runs} (ms):`);
console.log(`  ${col("role", 8)} ${col("wasm", 10)} native OpenSSL DH (2 modexps)   ratio`);
for (const [name, xs] of [["client", client], ["server", server]]) {
  const m = median(xs);
  console.log(`  ${col(name, 8)} ${m.toFixed(2).padStart(8)}   ${ref.toFixed(2).padStart(10)}                     ${(m / ref).toFixed(1)}x`);
}
privateKey.free();
publicKey.free();
