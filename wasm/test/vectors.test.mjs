// Every case of every shared vector file (tests/vectors/*.json), the
// cross-language contract also checked by the Rust, Kotlin, Swift and C tests.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { direction, hex, loadVectors, mtp, toHex, vectorFiles } from "../testlib/pkg.mjs";

function withKey(hexKey, f) {
  const key = new mtp.AuthKey(hex(hexKey));
  try {
    return f(key);
  } finally {
    key.free();
  }
}

const checks = {
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
};

test("every vector file has a checker (and all seven are present)", () => {
  assert.deepEqual(vectorFiles(), Object.keys(checks).sort());
});

for (const file of vectorFiles()) {
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
