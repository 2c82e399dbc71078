// Every case of every shared vector file (tests/vectors/*.json), the
// cross-language contract also checked by the Rust, Kotlin, Swift and C tests;
// and Telegram's worked example of the key exchange (samples_auth_key.json),
// a document rather than a list of cases.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

import { checkHandshakeCase } from "../testlib/auth.mjs";
import { direction, hex, loadVectors, mtp, toHex, vectorFiles, vectorsDir } from "../testlib/pkg.mjs";
import { checkTlCase, mtprotoCodec } from "../testlib/tl.mjs";
import { checkFramingCase, checkHttpCase, checkObfuscationCase } from "../testlib/transport.mjs";

function withKey(hexKey, f) {
  const key = new mtp.AuthKey(hex(hexKey));
  try {
    return f(key);
  } finally {
    key.free();
  }
}

const checks = {
  // The transports: see wasm/testlib/transport.mjs.
  "transport_framing.json": checkFramingCase,
  "transport_obfuscation.json": checkObfuscationCase,
  "transport_http.json": checkHttpCase,

  "ige.json"(c) {
    const key = hex(c.key);
    const iv = hex(c.iv);
    const plaintext = hex(c.plaintext);
    const ciphertext = hex(c.ciphertext);
    assert.equal(toHex(mtp.igeEncrypt(key, iv, plaintext)), c.ciphertext, "encrypt");
    assert.equal(toHex(mtp.igeDecrypt(key, iv, ciphertext)), c.plaintext, "decrypt");
    // The inputs are left alone: the functions return new arrays.
    assert.equal(toHex(plaintext), c.plaintext);
    assert.equal(toHex(ciphertext), c.ciphertext);
  },

  "auth_key.json"(c) {
    withKey(c.auth_key, (key) => {
      assert.equal(typeof key.id(), "bigint");
      assert.equal(key.id(), BigInt(c.id), "id");
      assert.equal(toHex(key.idWire()), c.id_wire, "idWire");
      assert.equal(toHex(key.auxHash()), c.aux_hash, "auxHash");
    });
  },

  "kdf_v2.json"(c) {
    withKey(c.auth_key, (key) => {
      const dir = direction(c.direction);
      assert.equal(toHex(mtp.msgKeyV2(key, dir, hex(c.plaintext))), c.msg_key, "msgKeyV2");
      const aes = mtp.deriveV2(key, dir, hex(c.msg_key));
      assert.equal(toHex(aes.key), c.aes_key, "deriveV2 key");
      assert.equal(toHex(aes.iv), c.aes_iv, "deriveV2 iv");
    });
  },

  "kdf_v1.json"(c) {
    withKey(c.auth_key, (key) => {
      assert.equal(toHex(mtp.msgKeyV1(hex(c.plaintext))), c.msg_key, "msgKeyV1");
      const aes = mtp.deriveV1(key, direction(c.direction), hex(c.msg_key));
      assert.equal(toHex(aes.key), c.aes_key, "deriveV1 key");
      assert.equal(toHex(aes.iv), c.aes_iv, "deriveV1 iv");
    });
  },

  "handshake_tmp_key.json"(c) {
    const aes = mtp.handshakeTmpKeyIv(hex(c.new_nonce), hex(c.server_nonce));
    assert.equal(toHex(aes.key), c.tmp_aes_key, "tmp_aes_key");
    assert.equal(toHex(aes.iv), c.tmp_aes_iv, "tmp_aes_iv");
  },

  "envelope.json"(c) {
    withKey(c.auth_key, (key) => {
      const dir = direction(c.direction);
      const header = {
        salt: BigInt(c.salt),
        sessionId: BigInt(c.session_id),
        msgId: BigInt(c.msg_id),
        seqNo: c.seq_no,
      };
      const wire = mtp.sealEncryptedWithPadding(key, dir, header, hex(c.body), hex(c.padding));
      assert.equal(toHex(wire), c.wire, "sealEncryptedWithPadding");
      const opened = mtp.openEncrypted(key, dir, hex(c.wire));
      assert.deepEqual(opened.header, header, "openEncrypted header");
      assert.equal(toHex(opened.body), c.body, "openEncrypted body");
    });
  },

  "plain.json"(c) {
    const msgId = BigInt(c.msg_id);
    assert.equal(toHex(mtp.sealPlain(msgId, hex(c.body))), c.wire, "sealPlain");
    const opened = mtp.openPlain(hex(c.wire));
    assert.equal(opened.msgId, msgId, "openPlain msgId");
    assert.equal(toHex(opened.body), c.body, "openPlain body");
  },

  "tl.json": checkTlCase,

  // Auth key creation: see wasm/testlib/auth.mjs.
  "handshake.json": checkHandshakeCase,
};

const sha1 = (...parts) => new Uint8Array(createHash("sha1").update(Buffer.concat(parts)).digest());

/** Base64 of the big-endian bytes of a bigint > 0 (how TL carries pq, p, q). */
function bigEndianBase64(n) {
  const digits = n.toString(16);
  return Buffer.from(digits.length % 2 ? `0${digits}` : digits, "hex").toString("base64");
}

/**
 * The same message decoded and re-encoded by the MTProto codec: its
 * constructor is `name` and it gives back exactly `bytes`.
 */
function decodesAs(bytes, name) {
  const codec = mtprotoCodec();
  const value = codec.decode(bytes);
  assert.equal(value._, name);
  assert.equal(toHex(codec.encode(value)), toHex(bytes), `${name} re-encodes`);
  return value;
}

// Files that are one document each (not `{"version": 1, "cases": [...]}`),
// with one test each.
const documents = {
  // Telegram's worked example of auth key creation: the plain messages decode
  // with the built-in schema, the temporary key decrypts the server's answer
  // and encrypts the client's, and the auth key's aux hash gives
  // new_nonce_hash1.
  "samples_auth_key.json"(doc) {
    const { nonce, server_nonce: serverNonce, new_nonce: newNonce } = doc;
    // Plain messages: auth_key_id (0) | msg_id | length | body. The server
    // messages' length fields are noise (see the file's notes): take the
    // bodies at offset 20, and check the client messages with openPlain.
    const expected = {
      req_pq_multi: ["req_pq_multi", true],
      resPQ: ["resPQ", false],
      req_DH_params: ["req_DH_params", true],
      server_DH_params_ok: ["server_DH_params_ok", false],
      set_client_DH_params: ["set_client_DH_params", true],
      dh_gen_ok: ["dh_gen_ok", false],
    };
    assert.deepEqual(Object.keys(doc.messages).sort(), Object.keys(expected).sort());
    const bodies = {};
    for (const [key, [name, fromClient]] of Object.entries(expected)) {
      const wire = hex(doc.messages[key]);
      const body = wire.subarray(20);
      if (fromClient) assert.equal(toHex(mtp.openPlain(wire).body), toHex(body), `${key} openPlain`);
      bodies[key] = decodesAs(body, name);
      assert.equal(bodies[key].nonce, nonce, `${key}.nonce`);
    }
    assert.equal(bodies.resPQ.server_nonce, serverNonce);
    // pq is above 2^53: JSON.parse rounds it, so take it as p * q.
    const pq = BigInt(doc.p) * BigInt(doc.q);
    assert.equal(Number(pq), doc.pq);
    assert.equal(bodies.resPQ.pq, bigEndianBase64(pq));
    const fingerprint = Buffer.from(hex(doc.rsa.public_key_fingerprint_wire)).readBigInt64LE().toString();
    assert.ok(bodies.resPQ.server_public_key_fingerprints.includes(fingerprint));
    assert.equal(bodies.req_DH_params.public_key_fingerprint, fingerprint);
    assert.equal(bodies.req_DH_params.encrypted_data, Buffer.from(hex(doc.rsa.encrypted_data)).toString("base64"));

    const inner = decodesAs(hex(doc.rsa.p_q_inner_data_dc), "p_q_inner_data_dc");
    assert.deepEqual([inner.nonce, inner.server_nonce, inner.new_nonce, inner.dc], [nonce, serverNonce, newNonce, doc.dc]);
    assert.deepEqual([inner.pq, inner.p, inner.q], [bigEndianBase64(pq), bigEndianBase64(BigInt(doc.p)), bigEndianBase64(BigInt(doc.q))]);

    // server_DH_params_ok: encrypted_answer = IGE(SHA1(answer) | answer | padding).
    const tmp = mtp.handshakeTmpKeyIv(hex(newNonce), hex(serverNonce));
    assert.equal(toHex(tmp.key), doc.server_dh.tmp_aes_key, "tmp_aes_key");
    assert.equal(toHex(tmp.iv), doc.server_dh.tmp_aes_iv, "tmp_aes_iv");
    const encryptedAnswer = hex(doc.server_dh.encrypted_answer);
    assert.equal(bodies.server_DH_params_ok.encrypted_answer, Buffer.from(encryptedAnswer).toString("base64"));
    const withHash = mtp.igeDecrypt(tmp.key, tmp.iv, encryptedAnswer);
    assert.equal(toHex(withHash), doc.server_dh.answer_with_hash);
    const hash = toHex(withHash.subarray(0, 20));
    const answerLen = [...Array(16).keys()]
      .map((pad) => withHash.length - 20 - pad)
      .find((len) => toHex(sha1(withHash.subarray(20, 20 + len))) === hash);
    assert.ok(answerLen !== undefined, "SHA1 of the answer");
    const dh = decodesAs(withHash.subarray(20, 20 + answerLen), "server_DH_inner_data");
    assert.deepEqual([dh.nonce, dh.server_nonce, dh.g, dh.server_time], [nonce, serverNonce, 3, 0x65abc0fd]);

    // set_client_DH_params: encrypted_data = IGE(SHA1(data) | data | padding).
    const clientInner = hex(doc.client_dh.client_DH_inner_data);
    const client = decodesAs(clientInner, "client_DH_inner_data");
    assert.equal(client.g_b, Buffer.from(hex(doc.client_dh.g_b)).toString("base64"));
    const plain = Buffer.concat([sha1(clientInner), clientInner, hex(doc.client_dh.padding)]);
    const encrypted = mtp.igeEncrypt(tmp.key, tmp.iv, plain);
    assert.equal(toHex(encrypted), doc.client_dh.encrypted_data);
    assert.equal(bodies.set_client_DH_params.encrypted_data, Buffer.from(encrypted).toString("base64"));

    // dh_gen_ok: new_nonce_hash1 = low 128 bits of SHA1(new_nonce | 1 | aux_hash).
    const key = new mtp.AuthKey(hex(doc.auth_key));
    try {
      const hash1 = sha1(hex(newNonce), Uint8Array.of(1), key.auxHash()).subarray(4);
      assert.equal(toHex(hash1), doc.new_nonce_hash1);
    } finally {
      key.free();
    }
    assert.equal(bodies.dh_gen_ok.new_nonce_hash1, doc.new_nonce_hash1);
  },
};

test("every vector file has a checker", () => {
  assert.deepEqual(vectorFiles(), [...Object.keys(checks), ...Object.keys(documents)].sort());
});

// The files of tests/vectors that are not vector files (*.json): its README,
// the generator, and the two inputs it made handshake.json from.
const nonVectorFiles = ["README.md", "dh_test_prime.hex", "generate.py", "rsa_test_key.pem"];

test("every other file is documentation, the generator or an input of handshake.json", () => {
  const others = readdirSync(vectorsDir).filter((f) => !f.endsWith(".json")).sort();
  assert.deepEqual(others, nonVectorFiles, "a new file in tests/vectors: a vector file must be .json");
  // The inputs are what handshake.json says: the test RSA key of every
  // exchange, and the prime of the g = 2 exchange.
  const exchanges = loadVectors("handshake.json").cases.filter((c) => c.kind === "exchange");
  assert.ok(exchanges.length > 0);
  const pem = readFileSync(path.join(vectorsDir, "rsa_test_key.pem"), "utf8");
  for (const c of exchanges) assert.equal(c.rsa_private_key, pem, `${c.name}: rsa_private_key`);
  const key = mtp.RsaPrivateKey.fromPem(pem);
  try {
    for (const c of exchanges) assert.equal(key.fingerprint(), BigInt(c.fingerprint), `${c.name}: fingerprint`);
  } finally {
    key.free();
  }
  const prime = readFileSync(path.join(vectorsDir, "dh_test_prime.hex"), "utf8").trim();
  assert.equal(hex(prime).length, 256);
  assert.ok(exchanges.some((c) => c.g === 2 && c.dh_prime === prime), "an exchange with dh_test_prime.hex, g = 2");
});

for (const [file, check] of Object.entries(documents)) {
  test(file, () => check(JSON.parse(readFileSync(path.join(vectorsDir, file), "utf8"))));
}

for (const file of vectorFiles().filter((f) => !(f in documents))) {
  describe(file, () => {
    const { cases } = loadVectors(file);
    const check = checks[file];
    for (const c of cases) {
      test(c.name, () => {
        assert.ok(check, `no checker for ${file}`);
        check(c);
      });
    }
  });
}
