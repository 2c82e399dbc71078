// Every failure is an MtprotoError (a real Error) with the core's stable code
// and message.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { mtp, randomBytes, throwsCode } from "../testlib/pkg.mjs";

const E = mtp.ErrorCode;
const { ClientToServer, ServerToClient } = mtp.Direction;
const header = { salt: 1n, sessionId: 2n, msgId: 3n, seqNo: 4 };

test("ErrorCode has the ABI numbers of the core (README, Binding API)", () => {
  const expected = {
    InvalidArgument: 1,
    Internal: 2,
    BufferTooSmall: 3,
    NullPointer: 4,
    IgeLength: 100,
    InvalidLength: 101,
    RandomUnavailable: 102,
    EnvelopeRejected: 200,
    EnvelopeMalformed: 201,
    InvalidPadding: 202,
    BodyNotAligned: 203,
    MessageTooLarge: 204,
    TlUnexpectedEof: 300,
    TlUnknownConstructor: 301,
    TlTrailingBytes: 302,
    TlInvalidLength: 303,
    TlNonZeroPadding: 304,
    TlInvalidUtf8: 305,
    TlVectorTooLong: 306,
    TlTooDeep: 307,
    TlSchema: 308,
    TlIdMismatch: 309,
    TlWrongType: 310,
    TlMissingField: 311,
    TlUnknownName: 312,
    GzipTooLarge: 313,
    GzipCorrupt: 314,
    GzipTrailingData: 315,
    GzipAllocationFailed: 316,
    AuthUnexpectedMessage: 400,
    AuthOutOfOrder: 401,
    AuthNonceMismatch: 402,
    AuthServerNonceMismatch: 403,
    AuthUnknownFingerprint: 404,
    AuthInvalidPq: 405,
    AuthAnswerHashMismatch: 406,
    AuthInvalidDhPrime: 407,
    AuthInvalidGenerator: 408,
    AuthDhValueOutOfRange: 409,
    AuthNewNonceHashMismatch: 410,
    AuthServerDhParamsFail: 411,
    AuthDhGenFail: 412,
    AuthTooManyRetries: 413,
    AuthInvalidRsaKey: 414,
    AuthRsaDecryptFailed: 415,
    AuthInvalidInnerData: 416,
    AuthInvalidBinding: 417,
    AuthUnknownKey: 418,
    TransportBufferFull: 600,
    TransportFrameTooLarge: 601,
    TransportInvalidFrame: 602,
    TransportBadSequence: 603,
    TransportBadCrc: 604,
    TransportUnknownProtocol: 605,
    TransportObfuscation: 606,
    TransportFakeTls: 607,
    TransportHttp: 608,
    TransportHttpStatus: 609,
    TransportInvalidSecret: 610,
    TransportInvalidState: 611,
  };
  for (const [name, code] of Object.entries(expected)) assert.equal(E[name], code, name);
  const names = Object.keys(E).filter((k) => Number.isNaN(Number(k)));
  assert.deepEqual(names.sort(), Object.keys(expected).sort());
});

test("MtprotoError is an exported Error subclass", () => {
  const e = throwsCode(() => mtp.igeEncrypt(new Uint8Array(32), new Uint8Array(32), new Uint8Array(17)), 100);
  assert.equal(typeof mtp.MtprotoError, "function");
  assert.ok(Object.getPrototypeOf(mtp.MtprotoError.prototype) === Error.prototype);
  assert.equal(e.message, "AES-IGE input must be a multiple of 16 bytes, got 17 bytes");
  assert.match(String(e), /^MtprotoError: AES-IGE input/);
  assert.equal(typeof e.stack, "string");
  assert.equal(typeof e.code, "number");
});

describe("crypto errors", () => {
  const k32 = new Uint8Array(32);
  test("IGE data not whole blocks: IgeLength (100)", () => {
    for (const len of [1, 15, 17, 33]) {
      throwsCode(() => mtp.igeEncrypt(k32, k32, new Uint8Array(len)), E.IgeLength, new RegExp(`got ${len} bytes`));
      throwsCode(() => mtp.igeDecrypt(k32, k32, new Uint8Array(len)), E.IgeLength);
    }
  });

  test("wrong key or IV length: InvalidLength (101)", () => {
    throwsCode(() => mtp.igeEncrypt(new Uint8Array(31), k32, new Uint8Array(16)), E.InvalidLength,
      /^expected a 32-byte AES key, got 31 bytes$/);
    throwsCode(() => mtp.igeDecrypt(k32, new Uint8Array(16), new Uint8Array(16)), E.InvalidLength,
      /32-byte IGE IV, got 16 bytes/);
  });

  test("AuthKey from 255 or 257 bytes: InvalidLength (101)", () => {
    throwsCode(() => new mtp.AuthKey(new Uint8Array(255)), E.InvalidLength, /^expected a 256-byte auth key, got 255 bytes$/);
    throwsCode(() => new mtp.AuthKey(new Uint8Array(257)), E.InvalidLength);
    throwsCode(() => new mtp.AuthKey(new Uint8Array(0)), E.InvalidLength);
  });

  test("msg_key and nonces of the wrong length: InvalidLength (101)", () => {
    const key = new mtp.AuthKey(randomBytes(256));
    try {
      throwsCode(() => mtp.deriveV2(key, ClientToServer, new Uint8Array(15)), E.InvalidLength, /16-byte msg_key/);
      throwsCode(() => mtp.deriveV1(key, ServerToClient, new Uint8Array(17)), E.InvalidLength, /16-byte msg_key/);
    } finally {
      key.free();
    }
    throwsCode(() => mtp.handshakeTmpKeyIv(new Uint8Array(31), new Uint8Array(16)), E.InvalidLength, /new_nonce/);
    throwsCode(() => mtp.handshakeTmpKeyIv(new Uint8Array(32), new Uint8Array(32)), E.InvalidLength, /server_nonce/);
  });
});

describe("envelope errors", () => {
  const key = new mtp.AuthKey(randomBytes(256));

  test("openPlain on 3 bytes: EnvelopeMalformed (201)", () => {
    throwsCode(() => mtp.openPlain(new Uint8Array(3)), E.EnvelopeMalformed, /20-byte header/);
  });

  test("openPlain with a non-zero auth_key_id or bad length: EnvelopeMalformed (201)", () => {
    const wire = mtp.sealPlain(7n, new Uint8Array(8));
    const keyed = wire.slice();
    keyed[0] = 1;
    throwsCode(() => mtp.openPlain(keyed), E.EnvelopeMalformed, /auth_key_id/);
    throwsCode(() => mtp.openPlain(wire.subarray(0, wire.length - 4)), E.EnvelopeMalformed, /exceeds/);
    const odd = wire.slice();
    odd[16] = 6;
    throwsCode(() => mtp.openPlain(odd), E.EnvelopeMalformed, /multiple of 4/);
  });

  test("garbage to openEncrypted: EnvelopeRejected (200)", () => {
    throwsCode(() => mtp.openEncrypted(key, ClientToServer, new Uint8Array(3)), E.EnvelopeRejected);
    throwsCode(() => mtp.openEncrypted(key, ClientToServer, randomBytes(24 + 64)), E.EnvelopeRejected);
  });

  test("body not whole words: BodyNotAligned (203)", () => {
    throwsCode(() => mtp.sealPlain(1n, new Uint8Array(3)), E.BodyNotAligned, /got 3 bytes/);
    throwsCode(() => mtp.sealEncrypted(key, ClientToServer, header, new Uint8Array(5)), E.BodyNotAligned);
    throwsCode(() => mtp.sealEncryptedWithPadding(key, ClientToServer, header, new Uint8Array(6), new Uint8Array(26)),
      E.BodyNotAligned);
  });

  test("bad explicit padding: InvalidPadding (202)", () => {
    const body = new Uint8Array(4);
    // 32 + 4 + 12 = 48 is aligned; 11 is too short, 13 misaligned, 1036 too long.
    throwsCode(() => mtp.sealEncryptedWithPadding(key, ClientToServer, header, body, new Uint8Array(11)), E.InvalidPadding);
    throwsCode(() => mtp.sealEncryptedWithPadding(key, ClientToServer, header, body, new Uint8Array(13)), E.InvalidPadding);
    throwsCode(() => mtp.sealEncryptedWithPadding(key, ClientToServer, header, body, new Uint8Array(1036)),
      E.InvalidPadding, /got 1036 bytes for a 4-byte body/);
    mtp.sealEncryptedWithPadding(key, ClientToServer, header, body, new Uint8Array(12));
  });

  test("body above the frame limit: MessageTooLarge (204)", () => {
    const tooLarge = new Uint8Array((1 << 24) - 24 - 32 - 1024 + 4);
    throwsCode(() => mtp.sealPlain(1n, tooLarge), E.MessageTooLarge, /exceeds the maximum/);
    throwsCode(() => mtp.sealEncrypted(key, ClientToServer, header, tooLarge), E.MessageTooLarge);
  });
});

describe("argument errors: InvalidArgument (1)", () => {
  const key = new mtp.AuthKey(randomBytes(256));
  const body = new Uint8Array(4);

  test("header fields of the wrong type or range", () => {
    const bad = [
      [null, /header must be an object/],
      [undefined, /header must be an object/],
      [42, /header must be an object/],
      [{ ...header, salt: 1 }, /header\.salt must be a bigint in 0\.\.2\^64, got the number 1/],
      [{ ...header, sessionId: -1n }, /header\.sessionId must be a bigint.*got the bigint -1/],
      [{ ...header, msgId: 1n << 64n }, /header\.msgId must be a bigint.*18446744073709551616/],
      [{ ...header, msgId: "3" }, /header\.msgId.*type string/],
      [{ salt: 1n, sessionId: 2n, msgId: 3n }, /header\.seqNo must be an integer number in 0\.\.2\^32, got a value of type undefined/],
      [{ ...header, seqNo: 1.5 }, /header\.seqNo/],
      [{ ...header, seqNo: -1 }, /header\.seqNo/],
      [{ ...header, seqNo: 2 ** 32 }, /header\.seqNo/],
      [{ ...header, seqNo: 4n }, /header\.seqNo/],
    ];
    for (const [h, message] of bad) {
      throwsCode(() => mtp.sealEncrypted(key, ClientToServer, h, body), E.InvalidArgument, message);
      throwsCode(() => mtp.sealEncryptedWithPadding(key, ClientToServer, h, body, new Uint8Array(12)), E.InvalidArgument);
    }
  });

  test("msgId of sealPlain must be a u64 bigint", () => {
    throwsCode(() => mtp.sealPlain(5, body), E.InvalidArgument, /msgId must be a bigint/);
    throwsCode(() => mtp.sealPlain(-5n, body), E.InvalidArgument);
    throwsCode(() => mtp.sealPlain(1n << 64n, body), E.InvalidArgument);
  });

  test("direction must be a Direction", () => {
    for (const d of [2, -1, 0.5, "client", null, undefined, 0n]) {
      throwsCode(() => mtp.msgKeyV2(key, d, body), E.InvalidArgument, /direction must be Direction\.ClientToServer/);
      throwsCode(() => mtp.deriveV2(key, d, new Uint8Array(16)), E.InvalidArgument);
      throwsCode(() => mtp.deriveV1(key, d, new Uint8Array(16)), E.InvalidArgument);
      throwsCode(() => mtp.sealEncrypted(key, d, header, body), E.InvalidArgument);
      throwsCode(() => mtp.sealEncryptedWithPadding(key, d, header, body, new Uint8Array(12)), E.InvalidArgument);
      throwsCode(() => mtp.openEncrypted(key, d, new Uint8Array(80)), E.InvalidArgument);
    }
  });

  test("a freed AuthKey throws an Error, never a string", () => {
    const k = new mtp.AuthKey(randomBytes(256));
    k.free();
    assert.throws(() => k.id(), Error);
    assert.throws(() => mtp.msgKeyV2(k, ClientToServer, body), Error);
  });
});
