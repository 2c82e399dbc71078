// Auth key creation: the classes (RsaPublicKey, RsaPrivateKey,
// ClientHandshake, ServerHandshake, AuthKeyStore), the binding functions,
// their TypeScript declarations, live exchanges between a client and a
// server with OS randomness, temporary key binding, and errors. The vector
// file (tests/vectors/handshake.json) is checked case by case in
// vectors.test.mjs (checker in wasm/testlib/auth.mjs); it runs here too.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";

import { checkBindCase, checkHandshakeCase, replayClient, replayServer, using } from "../testlib/auth.mjs";
import { hex, loadVectors, mtp, pkgDir, randomBytes, randomU64, throwsCode, toHex, vectorsDir } from "../testlib/pkg.mjs";

const E = mtp.ErrorCode;
const now = () => BigInt(Date.now());
const TEST_KEY_PEM = readFileSync(path.join(vectorsDir, "rsa_test_key.pem"), "utf8");
const TELEGRAM_PRODUCTION_FINGERPRINT = -3414540481677951611n;
const cases = loadVectors("handshake.json").cases;
const ofKind = (kind) => cases.filter((c) => c.kind === kind);

describe("exports and TypeScript declarations", () => {
  const dts = readFileSync(path.join(pkgDir, "mtproto_wasm.d.ts"), "utf8");
  const webDts = readFileSync(path.join(pkgDir, "web/mtproto_wasm.d.ts"), "utf8");
  const flat = (s) => s.replace(/\/\*\*[\s\S]*?\*\//g, "").replace(/\s+/g, " ");
  const B = "Uint8Array | number[]";

  test("classes and functions are exported", () => {
    for (const name of ["RsaPublicKey", "RsaPrivateKey", "ClientHandshake", "ServerHandshake", "AuthKeyStore"]) {
      assert.equal(typeof mtp[name], "function", name);
    }
    for (const name of ["bindTempAuthKeyQuery", "bindTempAuthKeyQueryWith", "verifyBindTempAuthKey"]) {
      assert.equal(typeof mtp[name], "function", name);
    }
  });

  const declarations = [
    `export interface CreatedAuthKey { authKey: Uint8Array; authKeyId: bigint; firstSalt: bigint; serverTime: number; timeOffsetMs: bigint; dcId: number; expiresAt: number; }`,
    `export interface TempKeyBinding { permAuthKeyId: bigint; tempAuthKeyId: bigint; tempSessionId: bigint; nonce: bigint; expiresAt: number; }`,
    `export interface BindTempAuthKeyQuery { query: Uint8Array; nonce: bigint; }`,
    `export function bindTempAuthKeyQuery(permAuthKey: ${B}, tempAuthKeyId: bigint, tempSessionId: bigint, msgId: bigint, expiresAt: number): BindTempAuthKeyQuery;`,
    `export function bindTempAuthKeyQueryWith(permAuthKey: ${B}, tempAuthKeyId: bigint, tempSessionId: bigint, msgId: bigint, nonce: bigint, expiresAt: number, random: ${B}, padding: ${B}): Uint8Array;`,
    `export function verifyBindTempAuthKey(store: AuthKeyStore, query: ${B}, tempAuthKeyId: bigint, tempSessionId: bigint, msgId: bigint, nowMs: bigint): TempKeyBinding;`,
    // RsaPublicKey, RsaPrivateKey: static factories, no public constructor.
    `export class RsaPublicKey { private constructor();`,
    `static fromPem(pem: string): RsaPublicKey;`,
    `static fromComponents(n: ${B}, e: ${B}): RsaPublicKey;`,
    `static telegramProduction(): RsaPublicKey;`,
    `static telegramTest(): RsaPublicKey;`,
    `fingerprint(): bigint;`,
    `modulus(): Uint8Array;`,
    `exponent(): Uint8Array;`,
    `toPem(): string;`,
    `export class RsaPrivateKey { private constructor();`,
    `static fromPem(pem: string): RsaPrivateKey;`,
    `static generate(): RsaPrivateKey;`,
    `publicKey(): RsaPublicKey;`,
    `decryptOldScheme(encrypted: ${B}, dataLen: number): Uint8Array;`,
    // ClientHandshake
    `constructor(rsaKeys: RsaPublicKey[], dcId: number, expiresIn: number);`,
    `start(): Uint8Array;`,
    `startWith(nonce: ${B}): Uint8Array;`,
    `handle(body: ${B}, nowMs: bigint): Uint8Array | undefined;`,
    `handleResPqWith(body: ${B}, newNonce: ${B}, rsaPadding: ${B}, rsaTempKey: ${B}): Uint8Array;`,
    `handleServerDhParamsWith(body: ${B}, nowMs: bigint, b: ${B}, padding: ${B}): Uint8Array;`,
    `handleDhGenWith(body: ${B}, retryB: ${B}, retryPadding: ${B}): Uint8Array | undefined;`,
    `isDone(): boolean;`,
    `stateName(): string;`,
    `createdKey(): CreatedAuthKey | undefined;`,
    // ServerHandshake
    `constructor(rsaKeys: RsaPrivateKey[], g: number, dhPrime: ${B}, dcId?: number | null, maxTempExpiresIn?: number | null);`,
    `handle(body: ${B}, nowMs: bigint, store: AuthKeyStore): Uint8Array;`,
    `handleReqPqWith(body: ${B}, serverNonce: ${B}, p: number, q: number): Uint8Array;`,
    `handleReqDhParamsWith(body: ${B}, nowMs: bigint, a: ${B}, answerPadding: ${B}): Uint8Array;`,
    `handleSetClientDhParams(body: ${B}, store: AuthKeyStore): Uint8Array;`,
    `errorCode(): ErrorCode | undefined;`,
    `errorMessage(): string | undefined;`,
    // AuthKeyStore
    `insertPermanent(authKey: ${B}, dcId: number): boolean;`,
    `insertTemporary(authKey: ${B}, dcId: number, expiresAt: number): boolean;`,
    `contains(authKeyId: bigint): boolean;`,
    `boundPermanent(tempAuthKeyId: bigint, nowMs: bigint): bigint | undefined;`,
    `remove(authKeyId: bigint): boolean;`,
    `removeExpired(nowMs: bigint): number;`,
    `len(): number;`,
    `isEmpty(): boolean;`,
  ];

  test("declarations are precise (Node and web builds)", () => {
    for (const text of [dts, webDts]) {
      const f = flat(text);
      for (const decl of declarations) assert.ok(f.includes(decl), `missing: ${decl}`);
      // Both handshakes declare errorCode() and errorMessage().
      for (const decl of ["errorCode(): ErrorCode | undefined;", "errorMessage(): string | undefined;"]) {
        assert.equal(f.split(decl).length - 1, 2, `twice: ${decl}`);
      }
      // The copy method the handshakes use is not part of the declared API.
      assert.doesNotMatch(f, /\b__mtpClone\b/);
    }
  });

  test("each class has exactly the methods of the API", () => {
    const methods = (cls) => Object.getOwnPropertyNames(cls.prototype).filter((m) => !m.startsWith("__") && m !== "constructor" && m !== "free").sort();
    const statics = (cls) => Object.getOwnPropertyNames(cls).filter((m) => typeof cls[m] === "function" && !m.startsWith("__")).sort();
    assert.deepEqual(methods(mtp.RsaPublicKey), ["exponent", "fingerprint", "modulus", "toPem"]);
    assert.deepEqual(statics(mtp.RsaPublicKey), ["fromComponents", "fromPem", "telegramProduction", "telegramTest"]);
    assert.deepEqual(methods(mtp.RsaPrivateKey), ["decryptOldScheme", "fingerprint", "publicKey", "toPem"]);
    assert.deepEqual(statics(mtp.RsaPrivateKey), ["fromPem", "generate"]);
    assert.deepEqual(methods(mtp.ClientHandshake), [
      "createdKey",
      "errorCode",
      "errorMessage",
      "handle",
      "handleDhGenWith",
      "handleResPqWith",
      "handleServerDhParamsWith",
      "isDone",
      "start",
      "startWith",
      "stateName",
    ]);
    assert.deepEqual(methods(mtp.ServerHandshake), [
      "createdKey",
      "errorCode",
      "errorMessage",
      "handle",
      "handleReqDhParamsWith",
      "handleReqPqWith",
      "handleSetClientDhParams",
      "isDone",
      "stateName",
    ]);
    assert.deepEqual(methods(mtp.AuthKeyStore), ["boundPermanent", "contains", "insertPermanent", "insertTemporary", "isEmpty", "len", "remove", "removeExpired"]);
    for (const cls of [mtp.RsaPublicKey, mtp.RsaPrivateKey, mtp.ClientHandshake, mtp.ServerHandshake, mtp.AuthKeyStore]) {
      assert.equal(typeof cls.prototype[Symbol.dispose], "function", cls.name);
    }
  });
});

test("the ES module view and the web build export the same API, and it works there", async () => {
  const names = ["RsaPublicKey", "RsaPrivateKey", "ClientHandshake", "ServerHandshake", "AuthKeyStore", "bindTempAuthKeyQuery", "bindTempAuthKeyQueryWith", "verifyBindTempAuthKey"];
  const esm = await import(pathToFileURL(path.join(pkgDir, "mtproto_wasm.js")).href);
  for (const name of names) assert.ok(name in esm, name);
  const web = await import(pathToFileURL(path.join(pkgDir, "web/mtproto_wasm.js")).href);
  web.initSync({ module: readFileSync(path.join(pkgDir, "web/mtproto_wasm_bg.wasm")) });
  for (const name of names) assert.equal(typeof web[name], "function", name);
  const key = web.RsaPublicKey.telegramProduction();
  assert.equal(key.fingerprint(), TELEGRAM_PRODUCTION_FINGERPRINT);
  // Key lists are copied in this build too; a key of the other build is refused.
  const client = new web.ClientHandshake([key], 2, 0);
  assert.equal(client.startWith(new Uint8Array(16)).length, 20);
  assert.equal(key.fingerprint(), TELEGRAM_PRODUCTION_FINGERPRINT);
  using([mtp.RsaPublicKey.telegramProduction()], (nodeKey) => {
    assert.throws(() => new web.ClientHandshake([nodeKey], 2, 0), (e) => e instanceof web.MtprotoError && e.code === web.ErrorCode.InvalidArgument);
  });
  assert.throws(() => client.start(), (e) => e instanceof web.MtprotoError && e.code === web.ErrorCode.AuthOutOfOrder);
  client.free();
  key.free();
});

describe("handshake vectors (also in vectors.test.mjs)", () => {
  for (const c of ofKind("exchange")) {
    test(`${c.name}: the client sends exactly the recorded bodies`, () => replayClient(c));
    test(`${c.name}: the server sends exactly the recorded bodies`, () => replayServer(c));
  }
  test("bind, rsa_old_scheme and fingerprint cases", () => {
    const rest = cases.filter((c) => c.kind !== "exchange");
    assert.ok(rest.some((c) => c.kind === "bind") && rest.some((c) => c.kind === "rsa_old_scheme") && rest.some((c) => c.kind === "fingerprint"));
    for (const c of rest) checkHandshakeCase(c);
  });
});

describe("RSA keys", () => {
  test("RsaPublicKey: PEM in and out, modulus, exponent, Telegram's keys", () => {
    const fromCase = ofKind("fingerprint");
    for (const c of fromCase) {
      using([mtp.RsaPublicKey.fromPem(c.pem)], (key) => {
        assert.equal(typeof key.fingerprint(), "bigint");
        assert.equal(key.fingerprint(), BigInt(c.fingerprint), c.name);
        assert.equal(key.modulus().length, 256);
        assert.ok(key.modulus()[0] >= 0x80, "a 2048-bit modulus");
        assert.equal(toHex(key.exponent()), "010001");
        // PKCS#1 out, whatever came in; it parses back to the same key.
        const pem = key.toPem();
        assert.match(pem, /^-----BEGIN RSA PUBLIC KEY-----\n/);
        using([mtp.RsaPublicKey.fromPem(pem)], (again) => {
          assert.equal(again.fingerprint(), key.fingerprint());
          assert.equal(toHex(again.modulus()), toHex(key.modulus()));
        });
        // Its modulus and exponent make the same key.
        using([mtp.RsaPublicKey.fromComponents(key.modulus(), key.exponent())], (built) => {
          assert.equal(built.fingerprint(), key.fingerprint());
          assert.equal(built.toPem(), pem);
        });
      });
    }
    using([mtp.RsaPublicKey.telegramProduction(), mtp.RsaPublicKey.telegramTest()], (prod, test) => {
      assert.equal(prod.fingerprint(), TELEGRAM_PRODUCTION_FINGERPRINT);
      const named = Object.fromEntries(fromCase.map((c) => [c.name, BigInt(c.fingerprint)]));
      assert.equal(prod.fingerprint(), named["fingerprint/telegram-production"]);
      assert.equal(test.fingerprint(), named["fingerprint/telegram-test"]);
    });
  });

  test("RsaPrivateKey: PEM in and out, public half, generate", () => {
    using([mtp.RsaPrivateKey.fromPem(TEST_KEY_PEM)], (key) => {
      assert.equal(key.toPem(), TEST_KEY_PEM);
      using([key.publicKey()], (pub) => {
        assert.equal(pub.fingerprint(), key.fingerprint());
        assert.equal(pub.fingerprint(), BigInt(ofKind("fingerprint")[0].fingerprint));
      });
    });
    using([mtp.RsaPrivateKey.generate()], (key) => {
      const pem = key.toPem();
      assert.match(pem, /^-----BEGIN RSA PRIVATE KEY-----\n/);
      assert.notEqual(pem, TEST_KEY_PEM);
      using([mtp.RsaPrivateKey.fromPem(pem), key.publicKey()], (again, pub) => {
        assert.equal(again.fingerprint(), key.fingerprint());
        assert.equal(pub.modulus().length, 256);
        assert.equal(toHex(pub.exponent()), "010001");
      });
    });
  });

  test("RsaPublicKey.fromComponents: leading zeros ignored; other moduli and exponents: AuthInvalidRsaKey (414)", () => {
    using([mtp.RsaPublicKey.telegramProduction()], (key) => {
      const [n, e] = [key.modulus(), key.exponent()];
      using([mtp.RsaPublicKey.fromComponents(Uint8Array.of(0, 0, ...n), Uint8Array.of(0, ...e))], (built) => {
        assert.equal(built.fingerprint(), TELEGRAM_PRODUCTION_FINGERPRINT);
        assert.equal(toHex(built.exponent()), "010001");
      });
      throwsCode(() => mtp.RsaPublicKey.fromComponents(n.subarray(0, 128), e), E.AuthInvalidRsaKey, /modulus is 1024 bits, expected 2048/);
      const even = n.slice();
      even[255] ^= 1;
      throwsCode(() => mtp.RsaPublicKey.fromComponents(even, e), E.AuthInvalidRsaKey, /even/);
      throwsCode(() => mtp.RsaPublicKey.fromComponents(n, Uint8Array.of(1)), E.AuthInvalidRsaKey, /exponent/);
      throwsCode(() => mtp.RsaPublicKey.fromComponents(n, n), E.AuthInvalidRsaKey, /exponent/);
      throwsCode(() => mtp.RsaPublicKey.fromComponents(new Uint8Array(0), e), E.AuthInvalidRsaKey);
    });
  });

  test("decryptOldScheme: the data when its hash matches, else AuthRsaDecryptFailed (415)", () => {
    const [c] = ofKind("rsa_old_scheme");
    const data = hex(c.data);
    using([mtp.RsaPrivateKey.fromPem(c.rsa_private_key)], (key) => {
      assert.equal(toHex(key.decryptOldScheme(hex(c.encrypted), data.length)), c.data);
      throwsCode(() => key.decryptOldScheme(hex(c.encrypted), data.length - 4), E.AuthRsaDecryptFailed);
      throwsCode(() => key.decryptOldScheme(hex(c.encrypted), 236), E.AuthRsaDecryptFailed);
      throwsCode(() => key.decryptOldScheme(randomBytes(256), data.length), E.AuthRsaDecryptFailed);
      throwsCode(() => key.decryptOldScheme(hex(c.encrypted), -1), E.InvalidArgument, /dataLen/);
    });
  });
});

describe("AuthKeyStore", () => {
  test("insert, contains, remove, removeExpired, len, isEmpty", () => {
    using([new mtp.AuthKeyStore()], (store) => {
      const perm = randomBytes(256);
      const temp = randomBytes(256);
      const [permId, tempId] = [perm, temp].map((k) => using([new mtp.AuthKey(k)], (a) => a.id()));
      assert.equal(store.len(), 0);
      assert.equal(store.isEmpty(), true);
      assert.equal(store.insertPermanent(perm, 2), true);
      assert.equal(store.isEmpty(), false);
      assert.equal(store.insertPermanent(perm, 2), false, "a key is not replaced");
      assert.equal(store.insertTemporary(temp, 2, 1_000), true);
      assert.equal(store.insertTemporary(temp, 2, 2_000), false);
      assert.equal(store.len(), 2);
      assert.equal(store.contains(permId), true);
      assert.equal(store.contains(tempId), true);
      assert.equal(store.contains(permId ^ 1n), false);
      assert.equal(store.boundPermanent(tempId, 0n), undefined);
      // The temporary key expires at 1000 s; expired keys stay until removed.
      assert.equal(store.removeExpired(999_999n), 0);
      assert.equal(store.removeExpired(1_000_000n), 1);
      assert.equal(store.contains(tempId), false);
      assert.equal(store.remove(permId), true);
      assert.equal(store.remove(permId), false);
      assert.equal(store.len(), 0);
      assert.equal(store.isEmpty(), true);
    });
  });

  test("arguments: key lengths (101), bigint ids and times, integer numbers (1)", () => {
    using([new mtp.AuthKeyStore()], (store) => {
      throwsCode(() => store.insertPermanent(new Uint8Array(255), 2), E.InvalidLength, /256-byte auth key/);
      throwsCode(() => store.insertTemporary(new Uint8Array(257), 2, 1), E.InvalidLength);
      throwsCode(() => store.insertPermanent(randomBytes(256), 2.5), E.InvalidArgument, /dcId/);
      throwsCode(() => store.insertTemporary(randomBytes(256), 2, 2 ** 31), E.InvalidArgument, /expiresAt/);
      throwsCode(() => store.contains(1), E.InvalidArgument, /authKeyId must be a bigint/);
      throwsCode(() => store.remove(-1n), E.InvalidArgument, /authKeyId/);
      throwsCode(() => store.boundPermanent(1n, 5), E.InvalidArgument, /nowMs/);
      throwsCode(() => store.removeExpired(-5n), E.InvalidArgument, /nowMs/);
      assert.equal(store.len(), 0);
    });
  });
});

/**
 * Runs a client and a server against each other with OS randomness until
 * the client has its key; returns both created keys (or throws the first
 * error, with the server's state at `failedServer`).
 */
function exchange({ privateKey, expiresIn = 0, store, clientDc = 2, serverDc, maxTempExpiresIn, prime = [0, new Uint8Array(0)] }) {
  const publicKey = privateKey.publicKey();
  const client = new mtp.ClientHandshake([publicKey], clientDc, expiresIn);
  const server = new mtp.ServerHandshake([privateKey], prime[0], prime[1], serverDc, maxTempExpiresIn);
  try {
    let toServer = client.start();
    assert.equal(client.stateName(), "awaiting resPQ");
    for (let round = 0; round < 10; round++) {
      const toClient = server.handle(toServer, now(), store);
      const next = client.handle(toClient, now());
      if (next === undefined) {
        assert.equal(client.isDone(), true);
        assert.equal(server.isDone(), true);
        assert.equal(server.errorCode(), undefined);
        return { client: client.createdKey(), server: server.createdKey() };
      }
      assert.equal(client.createdKey(), undefined);
      toServer = next;
    }
    assert.fail("the exchange never finished");
  } finally {
    client.free();
    server.free();
    publicKey.free();
  }
}

describe("live exchanges (OS randomness)", () => {
  let privateKey;
  let store;
  const made = {};
  before(() => {
    privateKey = mtp.RsaPrivateKey.generate();
    store = new mtp.AuthKeyStore();
  });
  after(() => {
    privateKey.free();
    store.free();
  });

  test("a permanent key: both sides end with the same key, the store holds it", () => {
    const { client, server } = exchange({ privateKey, store });
    assert.deepEqual({ ...client, timeOffsetMs: 0n }, server);
    assert.equal(client.authKey.length, 256);
    assert.equal(client.expiresAt, 0);
    assert.equal(client.dcId, 2);
    assert.ok(Math.abs(client.serverTime - Date.now() / 1000) < 60, "serverTime is the server's clock");
    assert.ok(client.timeOffsetMs > -60_000n && client.timeOffsetMs < 60_000n);
    assert.equal(typeof client.firstSalt, "bigint");
    assert.equal(client.authKeyId, using([new mtp.AuthKey(client.authKey)], (k) => k.id()));
    assert.equal(store.contains(client.authKeyId), true);
    made.permanent = client;
  });

  test("a temporary key (expiresIn 3600)", () => {
    const { client, server } = exchange({ privateKey, store, expiresIn: 3600 });
    assert.deepEqual({ ...client, timeOffsetMs: 0n }, server);
    assert.equal(client.expiresAt, client.serverTime + 3600);
    assert.notEqual(toHex(client.authKey), toHex(made.permanent.authKey));
    assert.equal(store.contains(client.authKeyId), true);
    assert.equal(store.len(), 2);
    made.temporary = client;
  });

  test("Telegram's group given explicitly, and a custom prime with g = 2", () => {
    const prime = readFileSync(path.join(vectorsDir, "dh_test_prime.hex"), "utf8").trim();
    const telegram = ofKind("exchange").find((c) => c.g === 3).dh_prime;
    for (const group of [[3, hex(telegram)], [2, hex(prime)]]) {
      const keys = new mtp.AuthKeyStore();
      const { client, server } = exchange({ privateKey, store: keys, prime: group });
      assert.equal(toHex(client.authKey), toHex(server.authKey));
      assert.equal(keys.len(), 1);
      keys.free();
    }
  });

  test("the temporary key is bound to the permanent one", () => {
    const { permanent, temporary } = made;
    assert.ok(permanent && temporary, "the exchanges above ran");
    const session = randomU64();
    const msgId = (BigInt(temporary.serverTime) << 32n) | 4n;
    const { query, nonce } = mtp.bindTempAuthKeyQuery(permanent.authKey, temporary.authKeyId, session, msgId, temporary.expiresAt);
    assert.ok(query instanceof Uint8Array);
    assert.equal(typeof nonce, "bigint");
    assert.notEqual(nonce, 0n);
    const at = BigInt(temporary.serverTime) * 1000n;
    assert.equal(store.boundPermanent(temporary.authKeyId, at), undefined);
    // Each mismatch is refused and binds nothing: the permanent key's id
    // where the temporary one belongs (417), another session or msg_id
    // (417), after the temporary key expired (418).
    throwsCode(() => mtp.verifyBindTempAuthKey(store, query, permanent.authKeyId, session, msgId, at), E.AuthInvalidBinding);
    throwsCode(() => mtp.verifyBindTempAuthKey(store, query, temporary.authKeyId, session ^ 1n, msgId, at), E.AuthInvalidBinding);
    throwsCode(() => mtp.verifyBindTempAuthKey(store, query, temporary.authKeyId, session, msgId + 4n, at), E.AuthInvalidBinding);
    const late = BigInt(temporary.expiresAt) * 1000n;
    throwsCode(() => mtp.verifyBindTempAuthKey(store, query, temporary.authKeyId, session, msgId, late), E.AuthUnknownKey);
    const tampered = query.slice();
    tampered[tampered.length - 10] ^= 1;
    throwsCode(() => mtp.verifyBindTempAuthKey(store, tampered, temporary.authKeyId, session, msgId, at), E.AuthInvalidBinding);
    assert.equal(store.boundPermanent(temporary.authKeyId, at), undefined);

    const binding = mtp.verifyBindTempAuthKey(store, query, temporary.authKeyId, session, msgId, at);
    assert.deepEqual(binding, {
      permAuthKeyId: permanent.authKeyId,
      tempAuthKeyId: temporary.authKeyId,
      tempSessionId: session,
      nonce,
      expiresAt: temporary.expiresAt,
    });
    assert.equal(store.boundPermanent(temporary.authKeyId, at), permanent.authKeyId);
    assert.equal(store.boundPermanent(temporary.authKeyId, late), undefined, "expired");
    // Removing the permanent key unbinds; expiry drops the temporary key.
    assert.equal(store.remove(permanent.authKeyId), true);
    assert.equal(store.boundPermanent(temporary.authKeyId, at), undefined);
    assert.equal(store.removeExpired(late), 1);
    assert.equal(store.len(), 0);
  });

  test("the keys given to the handshakes stay usable (they are copied)", () => {
    const pub = privateKey.publicKey();
    const list = [pub];
    for (let i = 0; i < 2; i++) {
      new mtp.ClientHandshake(list, 2, 0).free();
      new mtp.ServerHandshake([privateKey], 0, new Uint8Array(0)).free();
    }
    assert.equal(pub.fingerprint(), privateKey.fingerprint());
    assert.equal(list[0], pub);
    pub.free();
  });
});

describe("errors", () => {
  let privateKey;
  before(() => {
    privateKey = mtp.RsaPrivateKey.fromPem(TEST_KEY_PEM);
  });
  after(() => privateKey.free());
  const client = (dc = 2, expiresIn = 0) => using([privateKey.publicKey()], (pub) => new mtp.ClientHandshake([pub], dc, expiresIn));
  const server = (...options) => new mtp.ServerHandshake([privateKey], 0, new Uint8Array(0), ...options);

  test("a resPQ with a wrong nonce: AuthNonceMismatch (402), sticky", () => {
    using([client(), server(), new mtp.AuthKeyStore()], (c, s, store) => {
      const resPq = s.handle(c.start(), now(), store);
      const wrong = resPq.slice();
      wrong[4] ^= 1; // the first byte of the nonce, after the constructor id
      assert.equal(c.errorCode(), undefined);
      assert.equal(c.errorMessage(), undefined);
      throwsCode(() => c.handle(wrong, now()), E.AuthNonceMismatch, /nonce does not match/);
      assert.equal(c.stateName(), "failed");
      // The handshake keeps the error that ended it.
      assert.equal(c.errorCode(), E.AuthNonceMismatch);
      assert.equal(c.errorCode(), 402);
      assert.match(c.errorMessage(), /nonce does not match/);
      // Sticky: the right answer is refused with the same error.
      throwsCode(() => c.handle(resPq, now()), E.AuthNonceMismatch);
    });
  });

  test("a second start(): AuthOutOfOrder (401); a message out of order", () => {
    using([client(), server(), new mtp.AuthKeyStore()], (c, s, store) => {
      throwsCode(() => c.handle(new Uint8Array(8), now()), E.AuthOutOfOrder, /state new/);
      const first = c.start();
      throwsCode(() => c.start(), E.AuthOutOfOrder, /^start is not valid in state awaiting resPQ$/);
      throwsCode(() => c.startWith(new Uint8Array(16)), E.AuthOutOfOrder);
      // The exchange goes on: out-of-order calls leave the state alone.
      assert.equal(c.stateName(), "awaiting resPQ");
      assert.equal(c.errorCode(), undefined);
      throwsCode(() => s.handleSetClientDhParams(first, store), E.AuthOutOfOrder);
      assert.equal(s.stateName(), "awaiting req_pq_multi");
      assert.equal(s.errorCode(), undefined);
      const reqDh = c.handle(s.handle(first, now(), store), now());
      assert.ok(reqDh instanceof Uint8Array);
      // A message with another constructor: AuthUnexpectedMessage (400).
      throwsCode(() => c.handle(Uint8Array.of(1, 2, 3, 4), now()), E.AuthUnexpectedMessage);
    });
  });

  test("a server refusing another DC: the client fails with 411, the server reports 416", () => {
    using([client(2), server(4), new mtp.AuthKeyStore()], (c, s, store) => {
      const reqDh = c.handle(s.handle(c.start(), now(), store), now());
      // server_DH_params_fail is a reply to send, not a thrown error.
      const fail = s.handle(reqDh, now(), store);
      assert.ok(fail instanceof Uint8Array && fail.length > 0);
      assert.equal(s.isDone(), false);
      assert.equal(s.stateName(), "failed");
      assert.equal(s.errorCode(), E.AuthInvalidInnerData);
      assert.match(s.errorMessage(), /^invalid inner data: /);
      assert.equal(s.createdKey(), undefined);
      throwsCode(() => c.handle(fail, now()), E.AuthServerDhParamsFail, /server_DH_params_fail/);
      assert.equal(c.errorCode(), E.AuthServerDhParamsFail);
      // Both stay failed.
      throwsCode(() => s.handle(reqDh, now(), store), E.AuthInvalidInnerData);
      assert.equal(store.len(), 0);
    });
    // The same DC, and a temporary key longer than the server takes.
    using([privateKey.publicKey(), new mtp.AuthKeyStore()], (pub, store) => {
      const { client: key } = exchange({ privateKey, store, clientDc: 4, serverDc: 4 });
      assert.equal(key.dcId, 4);
      assert.throws(
        () => exchange({ privateKey, store, expiresIn: 61, maxTempExpiresIn: 60 }),
        (e) => e instanceof mtp.MtprotoError && e.code === E.AuthServerDhParamsFail,
      );
      assert.equal(exchange({ privateKey, store, expiresIn: 60, maxTempExpiresIn: 60 }).client.expiresAt > 0, true);
      assert.equal(pub.fingerprint(), privateKey.fingerprint());
    });
  });

  test("a client without the server's key: AuthUnknownFingerprint (404)", () => {
    const other = mtp.RsaPublicKey.telegramTest();
    using([new mtp.ClientHandshake([other], 2, 0), server(), new mtp.AuthKeyStore(), other], (c, s, store) => {
      throwsCode(() => c.handle(s.handle(c.start(), now(), store), now()), E.AuthUnknownFingerprint);
    });
  });

  test("wrong-length nonces, exponents and binding randomness: InvalidLength (101)", () => {
    using([client(), server()], (c, s) => {
      throwsCode(() => c.startWith(new Uint8Array(15)), E.InvalidLength, /16-byte nonce, got 15 bytes/);
      // Checked before the state: the exchange is not ended by them.
      throwsCode(() => c.handleResPqWith(new Uint8Array(8), new Uint8Array(31), new Uint8Array(0), new Uint8Array(32)), E.InvalidLength, /new_nonce/);
      throwsCode(() => c.handleResPqWith(new Uint8Array(8), new Uint8Array(32), new Uint8Array(0), new Uint8Array(31)), E.InvalidLength, /rsa_temp_key/);
      throwsCode(() => c.handleServerDhParamsWith(new Uint8Array(8), 0n, new Uint8Array(255), new Uint8Array(0)), E.InvalidLength, /DH exponent/);
      throwsCode(() => c.handleDhGenWith(new Uint8Array(8), new Uint8Array(257), new Uint8Array(0)), E.InvalidLength);
      throwsCode(() => s.handleReqPqWith(new Uint8Array(8), new Uint8Array(17), 3, 5), E.InvalidLength, /nonce/);
      throwsCode(() => s.handleReqDhParamsWith(new Uint8Array(8), 0n, new Uint8Array(0), new Uint8Array(0)), E.InvalidLength);
      assert.equal(c.stateName(), "new");
      assert.equal(s.stateName(), "awaiting req_pq_multi");
      assert.equal(c.startWith(new Uint8Array(16)).length, 20);
    });
    const key = randomBytes(256);
    throwsCode(() => mtp.bindTempAuthKeyQueryWith(key, 1n, 2n, 3n, 4n, 5, new Uint8Array(15), new Uint8Array(8)), E.InvalidLength, /random/);
    throwsCode(() => mtp.bindTempAuthKeyQueryWith(key, 1n, 2n, 3n, 4n, 5, new Uint8Array(16), new Uint8Array(7)), E.InvalidLength, /padding/);
    throwsCode(() => mtp.bindTempAuthKeyQuery(key.subarray(1), 1n, 2n, 3n, 5), E.InvalidLength, /auth key/);
  });

  test("garbage PEM: AuthInvalidRsaKey (414)", () => {
    for (const pem of ["garbage", "", "-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\n"]) {
      throwsCode(() => mtp.RsaPublicKey.fromPem(pem), E.AuthInvalidRsaKey, /^invalid RSA key: /);
      throwsCode(() => mtp.RsaPrivateKey.fromPem(pem), E.AuthInvalidRsaKey);
    }
    // A public key is not a private key, and the other way round.
    throwsCode(() => mtp.RsaPrivateKey.fromPem(ofKind("fingerprint")[0].pem), E.AuthInvalidRsaKey, /PEM label/);
    throwsCode(() => mtp.RsaPublicKey.fromPem(TEST_KEY_PEM), E.AuthInvalidRsaKey);
  });

  test("Telegram's production key has fingerprint -3414540481677951611", () => {
    using([mtp.RsaPublicKey.telegramProduction()], (key) => assert.equal(key.fingerprint(), TELEGRAM_PRODUCTION_FINGERPRINT));
  });

  test("DH groups: AuthInvalidDhPrime (407), AuthInvalidGenerator (408)", () => {
    const prime = hex(readFileSync(path.join(vectorsDir, "dh_test_prime.hex"), "utf8").trim());
    throwsCode(() => new mtp.ServerHandshake([privateKey], 2, new Uint8Array(0)), E.AuthInvalidGenerator, /g = 2/);
    // This prime is 3 mod 5: g = 5 fails its condition (g = 3 would pass).
    throwsCode(() => new mtp.ServerHandshake([privateKey], 5, prime), E.AuthInvalidGenerator, /g = 5/);
    throwsCode(() => new mtp.ServerHandshake([privateKey], 8, prime), E.AuthInvalidGenerator, /2\.\.=7/);
    const composite = prime.slice();
    composite[255] ^= 2;
    throwsCode(() => new mtp.ServerHandshake([privateKey], 2, composite), E.AuthInvalidDhPrime);
    throwsCode(() => new mtp.ServerHandshake([privateKey], 2, prime.subarray(1)), E.AuthInvalidDhPrime);
    new mtp.ServerHandshake([privateKey], 2, prime).free();
  });

  test("key lists and numbers: InvalidArgument (1); a freed key is refused", () => {
    const pub = privateKey.publicKey();
    for (const [list, message] of [
      [pub, /rsaKeys must be an array of RsaPublicKey, got a value of type object/],
      [undefined, /rsaKeys must be an array/],
      [[pub, 1], /rsaKeys\[1\] must be a live RsaPublicKey, got the number 1/],
      [[{}], /rsaKeys\[0\] must be a live RsaPublicKey/],
      [[privateKey], /rsaKeys\[0\] must be a live RsaPublicKey/],
    ]) {
      throwsCode(() => new mtp.ClientHandshake(list, 2, 0), E.InvalidArgument, message);
    }
    throwsCode(() => new mtp.ServerHandshake([pub], 0, new Uint8Array(0)), E.InvalidArgument, /rsaKeys\[0\] must be a live RsaPrivateKey/);
    throwsCode(() => new mtp.ClientHandshake([pub], 2.5, 0), E.InvalidArgument, /dcId/);
    throwsCode(() => new mtp.ClientHandshake([pub], 2, -1), E.InvalidArgument, /expiresIn/);
    throwsCode(() => new mtp.ServerHandshake([privateKey], 0, new Uint8Array(0), "2"), E.InvalidArgument, /dcId/);
    throwsCode(() => new mtp.ServerHandshake([privateKey], 0, new Uint8Array(0), null, 1n), E.InvalidArgument, /maxTempExpiresIn/);
    new mtp.ServerHandshake([privateKey], 0, new Uint8Array(0), null, null).free();
    using([new mtp.ClientHandshake([], 2, 0)], (c) => {
      throwsCode(() => c.handle(new Uint8Array(8), 1), E.InvalidArgument, /nowMs must be a bigint/);
    });
    using([server()], (s) => {
      throwsCode(() => s.handleReqPqWith(new Uint8Array(8), new Uint8Array(16), -3, 5), E.InvalidArgument, /^p must be/);
    });
    throwsCode(() => mtp.bindTempAuthKeyQueryWith(randomBytes(256), 1n, 2n, 3n, 4, 5, new Uint8Array(16), new Uint8Array(8)), E.InvalidArgument, /nonce must be a bigint in -2\^63\.\.2\^63/);
    throwsCode(() => mtp.bindTempAuthKeyQueryWith(randomBytes(256), 1n, 2n, 3n, 1n << 63n, 5, new Uint8Array(16), new Uint8Array(8)), E.InvalidArgument, /nonce/);
    pub.free();
    throwsCode(() => new mtp.ClientHandshake([pub], 2, 0), E.InvalidArgument, /live RsaPublicKey/);
  });

  test("verifyBindTempAuthKey: unknown keys (418), not a binding query (400)", () => {
    const [c] = ofKind("bind");
    checkBindCase(c);
    using([new mtp.AuthKeyStore()], (store) => {
      const query = hex(c.query);
      const args = [BigInt(c.temp_auth_key_id), BigInt(c.temp_session_id), BigInt(c.msg_id), BigInt(c.expires_at - 86_400) * 1000n];
      throwsCode(() => mtp.verifyBindTempAuthKey(store, query, ...args), E.AuthUnknownKey, /^unknown or expired auth key$/);
      throwsCode(() => mtp.verifyBindTempAuthKey(store, Uint8Array.of(1, 2, 3, 4), ...args), E.AuthUnexpectedMessage);
      throwsCode(() => mtp.verifyBindTempAuthKey(store, new Uint8Array(2), ...args), E.TlUnexpectedEof);
    });
  });
});
