// Seal/open round trips in both directions with random padding, tamper
// rejection, and the plain envelope.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";

import { mtp, randomBytes, randomU64, throwsCode, toHex } from "../testlib/pkg.mjs";

const { ClientToServer, ServerToClient } = mtp.Direction;
const REJECTED = mtp.ErrorCode.EnvelopeRejected;

const key = new mtp.AuthKey(randomBytes(256));
const otherKey = new mtp.AuthKey(randomBytes(256));
after(() => {
  key.free();
  otherKey.free();
});

function randomHeader() {
  return {
    salt: randomU64(),
    sessionId: randomU64(),
    msgId: randomU64(),
    seqNo: crypto.getRandomValues(new Uint32Array(1))[0],
  };
}

const bodySizes = [0, 4, 12, 16, 100, 1024, 4096, 65536];

for (const [name, dir] of [
  ["client to server", ClientToServer],
  ["server to client", ServerToClient],
]) {
  describe(`sealEncrypted / openEncrypted, ${name}`, () => {
    for (const size of bodySizes) {
      test(`${size}-byte body round trip`, () => {
        const header = randomHeader();
        const body = randomBytes(size);
        const wire = mtp.sealEncrypted(key, dir, header, body);
        assert.ok(wire instanceof Uint8Array);
        // auth_key_id | msg_key | whole blocks of salt..body|padding(12..75)
        assert.equal(toHex(wire.subarray(0, 8)), toHex(key.idWire()));
        assert.equal((wire.length - 24) % 16, 0);
        const padding = wire.length - 24 - 32 - size;
        assert.ok(padding >= 12 && padding <= 12 + 15 + 48, `padding ${padding}`);

        const opened = mtp.openEncrypted(key, dir, wire);
        assert.deepEqual(opened.header, header);
        assert.equal(toHex(opened.body), toHex(body));
      });
    }

    test("random padding: sealing twice gives different messages", () => {
      const header = randomHeader();
      const body = randomBytes(64);
      const a = mtp.sealEncrypted(key, dir, header, body);
      const b = mtp.sealEncrypted(key, dir, header, body);
      assert.notEqual(toHex(a), toHex(b));
      assert.equal(toHex(mtp.openEncrypted(key, dir, a).body), toHex(body));
      assert.equal(toHex(mtp.openEncrypted(key, dir, b).body), toHex(body));
    });

    test("opening in the other direction is rejected", () => {
      const other = dir === ClientToServer ? ServerToClient : ClientToServer;
      const wire = mtp.sealEncrypted(key, dir, randomHeader(), randomBytes(32));
      throwsCode(() => mtp.openEncrypted(key, other, wire), REJECTED);
    });

    test("opening with another key is rejected", () => {
      const wire = mtp.sealEncrypted(key, dir, randomHeader(), randomBytes(32));
      throwsCode(() => mtp.openEncrypted(otherKey, dir, wire), REJECTED);
    });

    test("a flipped bit anywhere is rejected", () => {
      const wire = mtp.sealEncrypted(key, dir, randomHeader(), randomBytes(40));
      for (let i = 0; i < wire.length; i++) {
        const tampered = wire.slice();
        tampered[i] ^= 1 << (i % 8);
        throwsCode(() => mtp.openEncrypted(key, dir, tampered), REJECTED, /^encrypted message rejected$/);
      }
      // The original still opens: nothing was changed in place.
      mtp.openEncrypted(key, dir, wire);
    });

    test("truncated or extended messages are rejected", () => {
      const wire = mtp.sealEncrypted(key, dir, randomHeader(), randomBytes(40));
      for (const len of [0, 7, 8, 23, 24, 40, 24 + 32, wire.length - 16, wire.length - 1]) {
        throwsCode(() => mtp.openEncrypted(key, dir, wire.subarray(0, len)), REJECTED);
      }
      const longer = new Uint8Array(wire.length + 16);
      longer.set(wire);
      throwsCode(() => mtp.openEncrypted(key, dir, longer), REJECTED);
    });
  });
}

test("extreme header values round trip", () => {
  const max = (1n << 64n) - 1n;
  for (const header of [
    { salt: 0n, sessionId: 0n, msgId: 0n, seqNo: 0 },
    { salt: max, sessionId: max, msgId: max, seqNo: 2 ** 32 - 1 },
  ]) {
    const wire = mtp.sealEncrypted(key, ClientToServer, header, randomBytes(8));
    assert.deepEqual(mtp.openEncrypted(key, ClientToServer, wire).header, header);
  }
});

test("a client and a server talk: each opens what the other sealed", () => {
  // Two AuthKey objects from the same bytes stand for the two ends.
  const bytes = randomBytes(256);
  const client = new mtp.AuthKey(bytes);
  const server = new mtp.AuthKey(bytes);
  try {
    assert.equal(client.id(), server.id());
    const request = randomBytes(48);
    const toServer = mtp.sealEncrypted(client, ClientToServer, randomHeader(), request);
    assert.equal(toHex(mtp.openEncrypted(server, ClientToServer, toServer).body), toHex(request));
    const response = randomBytes(96);
    const toClient = mtp.sealEncrypted(server, ServerToClient, randomHeader(), response);
    assert.equal(toHex(mtp.openEncrypted(client, ServerToClient, toClient).body), toHex(response));
  } finally {
    client.free();
    server.free();
  }
});

test("sealEncryptedWithPadding is deterministic and opens", () => {
  const header = randomHeader();
  const body = randomBytes(20);
  const padding = randomBytes(28); // 32 + 20 + 28 = 80
  const a = mtp.sealEncryptedWithPadding(key, ServerToClient, header, body, padding);
  const b = mtp.sealEncryptedWithPadding(key, ServerToClient, header, body, padding);
  assert.equal(toHex(a), toHex(b));
  assert.equal(a.length, 24 + 80);
  assert.equal(toHex(mtp.openEncrypted(key, ServerToClient, a).body), toHex(body));
});

describe("sealPlain / openPlain", () => {
  test("round trip", () => {
    for (const size of [0, 4, 20, 1000]) {
      const msgId = randomU64();
      const body = randomBytes(size);
      const wire = mtp.sealPlain(msgId, body);
      assert.equal(wire.length, 20 + size);
      assert.equal(toHex(wire.subarray(0, 8)), "0000000000000000");
      const opened = mtp.openPlain(wire);
      assert.equal(opened.msgId, msgId);
      assert.equal(toHex(opened.body), toHex(body));
    }
  });

  test("msgId extremes", () => {
    for (const msgId of [0n, (1n << 64n) - 1n]) {
      assert.equal(mtp.openPlain(mtp.sealPlain(msgId, new Uint8Array(4))).msgId, msgId);
    }
  });

  test("up to 15 trailing bytes (transport padding) are accepted", () => {
    const body = randomBytes(8);
    const wire = mtp.sealPlain(5n, body);
    const padded = new Uint8Array(wire.length + 15);
    padded.set(wire);
    assert.equal(toHex(mtp.openPlain(padded).body), toHex(body));
  });
});
