// The checker of tests/vectors/handshake.json, one call per case; used by
// wasm/test/vectors.test.mjs (every case of every file) and
// wasm/test/auth.test.mjs. Semantics as in the core's
// core/tests/handshake_vectors.rs: each side, replaying its recorded
// randomness, sends exactly the recorded bodies and accepts the other's.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";

import { hex, mtp, toHex } from "./pkg.mjs";

/** Calls `f(...objects)`, then frees the objects (wasm-bindgen classes). */
export function using(objects, f) {
  try {
    return f(...objects);
  } finally {
    for (const o of objects) o.free();
  }
}

/** The TL bodies one side of an exchange case sent, in order, as hex. */
function bodies(c, sender) {
  return c.messages.filter((m) => m.sender === sender).map((m) => m.body);
}

/** The expiresIn of an exchange case: 0 for a permanent key. */
function expiresIn(c) {
  assert.ok(c.key_type === "permanent" || c.key_type === "temporary", `key_type ${c.key_type}`);
  return c.key_type === "permanent" ? 0 : c.expires_in;
}

/** The CreatedAuthKey both sides of an exchange case end with. */
function checkCreatedKey(c, key, who) {
  assert.ok(key !== undefined, `${who}: no created key`);
  assert.equal(toHex(key.authKey), c.auth_key, `${who}: authKey`);
  assert.equal(key.authKeyId, BigInt(c.auth_key_id), `${who}: authKeyId`);
  assert.equal(key.firstSalt, BigInt(c.server_salt), `${who}: firstSalt`);
  assert.equal(key.serverTime, c.server_time, `${who}: serverTime`);
  assert.equal(key.timeOffsetMs, 0n, `${who}: timeOffsetMs`);
  assert.equal(key.dcId, c.dc, `${who}: dcId`);
  assert.equal(key.expiresAt, c.expires_at, `${who}: expiresAt`);
  // new_nonce_hash1 = low 128 bits of SHA1(new_nonce | 1 | aux_hash).
  using([new mtp.AuthKey(key.authKey)], (authKey) => {
    const hash = createHash("sha1")
      .update(Buffer.concat([hex(c.client.new_nonce), Uint8Array.of(1), authKey.auxHash()]))
      .digest();
    assert.equal(hash.subarray(4).toString("hex"), c.new_nonce_hash1, `${who}: new_nonce_hash1`);
  });
}

/** The client of an exchange case, replayed with the client's randomness. */
export function replayClient(c) {
  const cl = c.client;
  const sent = bodies(c, "client");
  const received = bodies(c, "server");
  const now = BigInt(c.server_time) * 1000n;
  const keys = [mtp.RsaPublicKey.fromPem(c.rsa_public_key)];
  const client = new mtp.ClientHandshake(keys, c.dc, expiresIn(c));
  using([client, ...keys], () => {
    assert.equal(client.stateName(), "new");
    assert.equal(toHex(client.startWith(hex(cl.nonce))), sent[0], "req_pq_multi");
    const reqDh = client.handleResPqWith(hex(received[0]), hex(cl.new_nonce), hex(cl.rsa_padding), hex(cl.rsa_temp_key));
    assert.equal(toHex(reqDh), sent[1], "req_DH_params");
    const [first, ...retries] = cl.attempts;
    const set = client.handleServerDhParamsWith(hex(received[1]), now, hex(first.b), hex(first.padding));
    assert.equal(toHex(set), sent[2], "set_client_DH_params");
    // Each later server answer: dh_gen_retry (answered with the next
    // attempt's b and padding), then dh_gen_ok.
    received.slice(2).forEach((answer, i) => {
      const next = retries[i] ?? first;
      const out = client.handleDhGenWith(hex(answer), hex(next.b), hex(next.padding));
      if (out === undefined) {
        assert.equal(i, received.length - 3, "done early");
      } else {
        assert.equal(toHex(out), sent[3 + i], `set_client_DH_params, attempt ${i + 2}`);
      }
    });
    assert.equal(client.isDone(), true);
    assert.equal(client.stateName(), "done");
    assert.equal(client.errorCode(), undefined);
    assert.equal(client.errorMessage(), undefined);
    checkCreatedKey(c, client.createdKey(), "client");
  });
}

/** The server of an exchange case, replayed with the server's randomness. */
export function replayServer(c) {
  const s = c.server;
  const sent = bodies(c, "server");
  const received = bodies(c, "client");
  const now = BigInt(c.server_time) * 1000n;
  const keys = [mtp.RsaPrivateKey.fromPem(c.rsa_private_key)];
  assert.equal(keys[0].fingerprint(), BigInt(c.fingerprint), "fingerprint");
  const server = new mtp.ServerHandshake(keys, c.g, hex(c.dh_prime));
  const store = new mtp.AuthKeyStore();
  using([server, store, ...keys], () => {
    for (const k of s.known_keys) assert.equal(store.insertPermanent(hex(k), 0), true, "known key");
    for (const id of s.known_key_ids) assert.equal(store.contains(BigInt(id)), true, `known id ${id}`);
    assert.equal(server.stateName(), "awaiting req_pq_multi");
    assert.equal(toHex(server.handleReqPqWith(hex(received[0]), hex(s.server_nonce), s.p, s.q)), sent[0], "resPQ");
    const dh = server.handleReqDhParamsWith(hex(received[1]), now, hex(s.a), hex(s.answer_padding));
    assert.equal(toHex(dh), sent[1], "server_DH_params_ok");
    received.slice(2).forEach((body, i) => {
      assert.equal(toHex(server.handleSetClientDhParams(hex(body), store)), sent[2 + i], `dh_gen answer ${i + 1}`);
    });
    assert.equal(server.isDone(), true);
    assert.equal(server.stateName(), "done");
    assert.equal(server.errorCode(), undefined);
    assert.equal(server.errorMessage(), undefined);
    const key = server.createdKey();
    checkCreatedKey(c, key, "server");
    // The new key is registered, beside the known ones.
    assert.equal(store.contains(key.authKeyId), true, "registered");
    assert.equal(store.len(), s.known_keys.length + 1);
  });
}

/** A bind case: the query is reproduced and a server verifies it. */
export function checkBindCase(c) {
  const perm = hex(c.perm_auth_key);
  const temp = hex(c.temp_auth_key);
  const permId = BigInt(c.perm_auth_key_id);
  const tempId = BigInt(c.temp_auth_key_id);
  using([new mtp.AuthKey(perm), new mtp.AuthKey(temp)], (p, t) => {
    assert.equal(p.id(), permId);
    assert.equal(t.id(), tempId);
  });
  const session = BigInt(c.temp_session_id);
  const msgId = BigInt(c.msg_id);
  const nonce = BigInt(c.nonce);
  const query = mtp.bindTempAuthKeyQueryWith(perm, tempId, session, msgId, nonce, c.expires_at, hex(c.random), hex(c.padding));
  assert.equal(toHex(query), c.query, "query");
  using([new mtp.AuthKeyStore()], (store) => {
    assert.equal(store.insertPermanent(perm, 2), true);
    assert.equal(store.insertTemporary(temp, 2, c.expires_at), true);
    const now = BigInt(c.expires_at - 86_400) * 1000n;
    assert.equal(store.boundPermanent(tempId, now), undefined, "not bound yet");
    const binding = mtp.verifyBindTempAuthKey(store, query, tempId, session, msgId, now);
    assert.deepEqual(binding, { permAuthKeyId: permId, tempAuthKeyId: tempId, tempSessionId: session, nonce, expiresAt: c.expires_at });
    assert.equal(store.boundPermanent(tempId, now), permId, "boundPermanent");
  });
}

/** Checks one case of tests/vectors/handshake.json, whatever its kind. */
export function checkHandshakeCase(c) {
  switch (c.kind) {
    case "exchange":
      replayClient(c);
      replayServer(c);
      break;
    case "bind":
      checkBindCase(c);
      break;
    case "rsa_old_scheme": {
      const data = hex(c.data);
      using([mtp.RsaPrivateKey.fromPem(c.rsa_private_key)], (key) => {
        assert.equal(toHex(key.decryptOldScheme(hex(c.encrypted), data.length)), c.data);
      });
      break;
    }
    case "fingerprint":
      using([mtp.RsaPublicKey.fromPem(c.pem)], (key) => assert.equal(key.fingerprint(), BigInt(c.fingerprint)));
      break;
    default:
      assert.fail(`unknown handshake vector kind ${c.kind}`);
  }
}
