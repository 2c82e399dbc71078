import Foundation
import XCTest
import MTProto

/// Telegram's production key fingerprint (0xd09d1d85de64fd85 as a signed long).
private let telegramProductionFingerprint: Int64 = -3414540481677951611

/// The 2048-bit test RSA key handshake.json uses (tests/vectors/rsa_test_key.pem).
private func testKeyPem() throws -> String {
    let url = vectorsDirectory().appendingPathComponent("rsa_test_key.pem")
    return try String(contentsOf: url, encoding: .utf8)
}

/// Checks `body` throws `MtprotoError.Failed` with `code`.
private func expectAuthCode<T>(_ code: UInt32, _ what: String,
                               file: StaticString = #filePath, line: UInt = #line,
                               _ body: () throws -> T) {
    do {
        _ = try body()
        XCTFail("\(what): expected an MtprotoError with code \(code), but nothing was thrown",
                file: file, line: line)
    } catch let MtprotoError.Failed(got, message) {
        XCTAssertEqual(got, code, "\(what): \(message)", file: file, line: line)
        XCTAssertFalse(message.isEmpty, "\(what): empty message", file: file, line: line)
    } catch {
        XCTFail("\(what): unexpected error \(error)", file: file, line: line)
    }
}

/// A JSON number (NSNumber from JSONSerialization) as Int64.
private func jsonNumber(_ v: Any?, _ what: String) throws -> Int64 {
    if let n = v as? NSNumber { return n.int64Value }
    if let i = v as? Int { return Int64(i) }
    throw VectorError(description: "\(what) is not a number")
}

private func jsonObject(_ v: Any?, _ what: String) throws -> [String: Any] {
    guard let m = v as? [String: Any] else { throw VectorError(description: "\(what) is not a JSON object") }
    return m
}

private func jsonArray(_ v: Any?, _ what: String) throws -> [Any] {
    guard let a = v as? [Any] else { throw VectorError(description: "\(what) is not a JSON array") }
    return a
}

private func hexAt(_ m: [String: Any], _ key: String) throws -> Data {
    guard let s = m[key] as? String, let d = hexData(s) else {
        throw VectorError(description: "missing hex field '\(key)'")
    }
    return d
}

extension VectorCase {
    /// A number field.
    fileprivate func num(_ key: String) throws -> Int64 {
        return try jsonNumber(fields[key], "\(label) '\(key)'")
    }

    /// A signed 64-bit value written as a decimal string (fingerprints, salts, nonces).
    fileprivate func i64(_ key: String) throws -> Int64 {
        guard let v = Int64(try str(key)) else {
            throw VectorError(description: "\(label): field '\(key)' is not an i64")
        }
        return v
    }

    /// The TL bodies one side sent, in order.
    fileprivate func bodies(_ sender: String) throws -> [Data] {
        return try jsonArray(fields["messages"], "\(label) messages")
            .map { try jsonObject($0, "\(label) message") }
            .filter { ($0["sender"] as? String) == sender }
            .map { try hexAt($0, "body") }
    }
}

/// Checks a created key against the case's auth_key, auth_key_id, server_salt, dc and expires_at.
private func checkCreated(_ c: VectorCase, _ key: CreatedAuthKey, _ side: String,
                          file: StaticString = #filePath, line: UInt = #line) throws {
    let what = "\(c.label) \(side)"
    assertBytes(try c.bytes("auth_key"), key.authKey, "\(what) auth_key", file: file, line: line)
    XCTAssertEqual(key.authKeyId, try c.u64("auth_key_id"), "\(what) auth_key_id", file: file, line: line)
    XCTAssertEqual(key.firstSalt, try c.i64("server_salt"), "\(what) first salt", file: file, line: line)
    XCTAssertEqual(Int64(key.serverTime), try c.num("server_time"), "\(what) server time", file: file, line: line)
    XCTAssertEqual(Int64(key.dcId), try c.num("dc"), "\(what) dc", file: file, line: line)
    XCTAssertEqual(Int64(key.expiresAt), try c.num("expires_at"), "\(what) expires_at", file: file, line: line)
    XCTAssertEqual(key.timeOffsetMs, 0, "\(what) time offset", file: file, line: line)
}

private func cases(_ kind: String) throws -> [VectorCase] {
    let all = try loadVectors("handshake.json").filter { ($0.fields["kind"] as? String) == kind }
    guard !all.isEmpty else { throw VectorError(description: "handshake.json: no \(kind) cases") }
    return all
}

// MARK: - handshake.json

/// Every case of handshake.json: exchanges replayed on each side, binding, the old RSA scheme, fingerprints.
final class AuthVectorTests: XCTestCase {
    /// The client replays its recorded randomness and must send exactly the recorded bodies.
    func testExchangesClientSide() throws {
        for c in try cases("exchange") {
            let client = try jsonObject(c.fields["client"], "\(c.label) client")
            let sent = try c.bodies("client")
            let received = try c.bodies("server")
            let attempts = try jsonArray(client["attempts"], "\(c.label) attempts").map { try jsonObject($0, "attempt") }
            let now = UInt64(try c.num("server_time")) * 1000
            let h = try ClientHandshake(rsaKeys: [try RsaPublicKey.fromPem(pem: try c.str("rsa_public_key"))],
                                        dcId: Int32(try c.num("dc")), expiresIn: Int32(try c.num("expires_in")))
            XCTAssertEqual(try h.stateName(), "new", "\(c.label) initial state")
            assertBytes(sent[0], try h.startWith(nonce: try hexAt(client, "nonce")), "\(c.label) req_pq_multi")
            assertBytes(sent[1], try h.handleResPqWith(body: received[0], newNonce: try hexAt(client, "new_nonce"),
                                                       rsaPadding: try hexAt(client, "rsa_padding"),
                                                       rsaTempKey: try hexAt(client, "rsa_temp_key")),
                        "\(c.label) req_DH_params")
            assertBytes(sent[2], try h.handleServerDhParamsWith(body: received[1], nowMs: now,
                                                                b: try hexAt(attempts[0], "b"),
                                                                padding: try hexAt(attempts[0], "padding")),
                        "\(c.label) set_client_DH_params")
            for (i, answer) in received.dropFirst(2).enumerated() {
                let next = i + 1 < attempts.count ? attempts[i + 1] : attempts[0]
                let out = try h.handleDhGenWith(body: answer, retryB: try hexAt(next, "b"),
                                                retryPadding: try hexAt(next, "padding"))
                if let out = out {
                    assertBytes(sent[3 + i], out, "\(c.label) set_client_DH_params after retry \(i)")
                } else {
                    XCTAssertEqual(i + 1, received.count - 2, "\(c.label): done early")
                }
            }
            XCTAssertTrue(try h.isDone(), "\(c.label): client not done")
            XCTAssertEqual(try h.stateName(), "done", "\(c.label) final state")
            XCTAssertNil(try h.errorCode(), "\(c.label) error code")
            XCTAssertNil(try h.errorMessage(), "\(c.label) error message")
            guard let key = try h.createdKey() else {
                XCTFail("\(c.label): no created key")
                continue
            }
            try checkCreated(c, key, "client")
        }
    }

    /// The server replays its recorded randomness and must send exactly the recorded bodies.
    func testExchangesServerSide() throws {
        for c in try cases("exchange") {
            let server = try jsonObject(c.fields["server"], "\(c.label) server")
            let sent = try c.bodies("server")
            let received = try c.bodies("client")
            let now = UInt64(try c.num("server_time")) * 1000
            let privateKey = try RsaPrivateKey.fromPem(pem: try c.str("rsa_private_key"))
            XCTAssertEqual(privateKey.fingerprint(), try c.i64("fingerprint"), "\(c.label) fingerprint")
            let store = AuthKeyStore()
            for k in try jsonArray(server["known_keys"], "known_keys") {
                guard let s = k as? String, let bytes = hexData(s) else {
                    throw VectorError(description: "\(c.label): a known key is not hex")
                }
                XCTAssertTrue(try store.insertPermanent(authKey: bytes, dcId: 0), "\(c.label): known key not inserted")
            }
            for id in try jsonArray(server["known_key_ids"], "known_key_ids") {
                guard let s = id as? String, let v = UInt64(s) else {
                    throw VectorError(description: "\(c.label): a known key id is not a u64")
                }
                XCTAssertTrue(try store.contains(authKeyId: v), "\(c.label): known key id \(s) not in the store")
            }
            let h = try ServerHandshake(rsaKeys: [privateKey], g: Int32(try c.num("g")), dhPrime: try c.bytes("dh_prime"),
                                        dcId: nil, maxTempExpiresIn: nil)
            assertBytes(sent[0], try h.handleReqPqWith(body: received[0], serverNonce: try hexAt(server, "server_nonce"),
                                                        p: UInt32(try jsonNumber(server["p"], "p")),
                                                        q: UInt32(try jsonNumber(server["q"], "q"))),
                        "\(c.label) resPQ")
            assertBytes(sent[1], try h.handleReqDhParamsWith(body: received[1], nowMs: now, a: try hexAt(server, "a"),
                                                             answerPadding: try hexAt(server, "answer_padding")),
                        "\(c.label) server_DH_params_ok")
            for (i, body) in received.dropFirst(2).enumerated() {
                assertBytes(sent[2 + i], try h.handleSetClientDhParams(body: body, store: store),
                            "\(c.label) dh_gen answer \(i)")
            }
            XCTAssertTrue(try h.isDone(), "\(c.label): server not done")
            XCTAssertNil(try h.errorCode(), "\(c.label) error code")
            XCTAssertNil(try h.errorMessage(), "\(c.label) error message")
            guard let key = try h.createdKey() else {
                XCTFail("\(c.label): no created key")
                continue
            }
            try checkCreated(c, key, "server")
            XCTAssertTrue(try store.contains(authKeyId: key.authKeyId), "\(c.label): the created key is not in the store")
        }
    }

    /// The query is reproduced from its randomness, and a server holding both keys accepts it.
    func testBind() throws {
        for c in try cases("bind") {
            let expiresAt = Int32(try c.num("expires_at"))
            let tempId = try c.u64("temp_auth_key_id")
            let permId = try c.u64("perm_auth_key_id")
            let session = try c.u64("temp_session_id")
            let msgId = try c.u64("msg_id")
            let query = try bindTempAuthKeyQueryWith(permAuthKey: try c.bytes("perm_auth_key"), tempAuthKeyId: tempId,
                                                     tempSessionId: session, msgId: msgId, nonce: try c.i64("nonce"),
                                                     expiresAt: expiresAt, random: try c.bytes("random"),
                                                     padding: try c.bytes("padding"))
            assertBytes(try c.bytes("query"), query, "\(c.label) query")
            let store = AuthKeyStore()
            XCTAssertTrue(try store.insertPermanent(authKey: try c.bytes("perm_auth_key"), dcId: 2))
            XCTAssertTrue(try store.insertTemporary(authKey: try c.bytes("temp_auth_key"), dcId: 2, expiresAt: expiresAt))
            XCTAssertTrue(try store.contains(authKeyId: permId), "\(c.label): perm_auth_key_id is not the perm key's id")
            XCTAssertTrue(try store.contains(authKeyId: tempId), "\(c.label): temp_auth_key_id is not the temp key's id")
            let now = UInt64(Int64(expiresAt) - 86400) * 1000
            XCTAssertNil(try store.boundPermanent(tempAuthKeyId: tempId, nowMs: now), "\(c.label) bound before the query")
            let b = try verifyBindTempAuthKey(store: store, query: query, tempAuthKeyId: tempId,
                                              tempSessionId: session, msgId: msgId, nowMs: now)
            XCTAssertEqual(b, TempKeyBinding(permAuthKeyId: permId, tempAuthKeyId: tempId, tempSessionId: session,
                                             nonce: try c.i64("nonce"), expiresAt: expiresAt), "\(c.label) binding")
            XCTAssertEqual(try store.boundPermanent(tempAuthKeyId: tempId, nowMs: now), permId, "\(c.label) bound key")
        }
    }

    func testRsaOldScheme() throws {
        for c in try cases("rsa_old_scheme") {
            let key = try RsaPrivateKey.fromPem(pem: try c.str("rsa_private_key"))
            let data = try c.bytes("data")
            assertBytes(data, try key.decryptOldScheme(encrypted: try c.bytes("encrypted"), dataLen: UInt32(data.count)),
                        "\(c.label) decrypted data")
        }
    }

    func testFingerprints() throws {
        for c in try cases("fingerprint") {
            XCTAssertEqual(try RsaPublicKey.fromPem(pem: try c.str("pem")).fingerprint(), try c.i64("fingerprint"),
                           c.label)
        }
    }
}

// MARK: - Live exchanges, binding and errors

private func nowMs() -> UInt64 {
    return UInt64(Date().timeIntervalSince1970 * 1000)
}

/// Drives a client and a server against each other until the client has its key.
private func exchange(_ client: ClientHandshake, _ server: ServerHandshake,
                      _ store: AuthKeyStore) throws -> (CreatedAuthKey, CreatedAuthKey) {
    var toServer = try client.start()
    for _ in 0..<10 {
        let toClient = try server.handle(body: toServer, nowMs: nowMs(), store: store)
        guard let next = try client.handle(body: toClient, nowMs: nowMs()) else {
            XCTAssertTrue(try client.isDone(), "client done")
            XCTAssertTrue(try server.isDone(), "server done")
            guard let c = try client.createdKey(), let s = try server.createdKey() else {
                throw VectorError(description: "the exchange ended without a key")
            }
            return (c, s)
        }
        toServer = next
    }
    throw VectorError(description: "the exchange did not finish in 10 rounds")
}

/// Both sides created the same key.
private func checkSameKey(_ c: CreatedAuthKey, _ s: CreatedAuthKey, _ what: String,
                          file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(c.authKey.count, 256, "\(what) key size", file: file, line: line)
    assertBytes(c.authKey, s.authKey, "\(what) key", file: file, line: line)
    XCTAssertEqual(c.authKeyId, s.authKeyId, "\(what) key id", file: file, line: line)
    XCTAssertEqual(c.firstSalt, s.firstSalt, "\(what) salt", file: file, line: line)
    XCTAssertEqual(c.serverTime, s.serverTime, "\(what) server time", file: file, line: line)
    XCTAssertEqual(c.dcId, s.dcId, "\(what) dc", file: file, line: line)
    XCTAssertEqual(c.expiresAt, s.expiresAt, "\(what) expires_at", file: file, line: line)
    XCTAssertEqual(s.timeOffsetMs, 0, "\(what) server time offset", file: file, line: line)
}

/// Behaviour beyond the vectors: live exchanges with OS randomness, binding, the store, errors.
final class AuthApiTests: XCTestCase {
    func testRsaKeysConvertBothWays() throws {
        let k = try RsaPublicKey.telegramProduction()
        XCTAssertEqual(k.fingerprint(), telegramProductionFingerprint, "production fingerprint")
        XCTAssertEqual(k.modulus().count, 256, "modulus size")
        assertBytes(Data([1, 0, 1]), k.exponent(), "exponent")
        XCTAssertTrue(k.toPem().hasPrefix("-----BEGIN RSA PUBLIC KEY-----"), "PEM: \(k.toPem())")
        XCTAssertEqual(try RsaPublicKey.fromPem(pem: k.toPem()).fingerprint(), k.fingerprint(), "PEM round trip")
        let built = try RsaPublicKey.fromComponents(n: k.modulus(), e: k.exponent())
        XCTAssertEqual(built.fingerprint(), k.fingerprint(), "fromComponents fingerprint")
        XCTAssertEqual(built.toPem(), k.toPem(), "fromComponents PEM")
        expectAuthCode(414, "a 1024-bit modulus") {
            try RsaPublicKey.fromComponents(n: Data(k.modulus().prefix(128)), e: k.exponent())
        }
        expectAuthCode(414, "exponent 1") { try RsaPublicKey.fromComponents(n: k.modulus(), e: Data([1])) }
        XCTAssertNotEqual(try RsaPublicKey.telegramTest().fingerprint(), k.fingerprint(), "test key = production key")
        let generated = try RsaPrivateKey.generate()
        let publicKey = generated.publicKey()
        XCTAssertEqual(publicKey.fingerprint(), generated.fingerprint(), "public key fingerprint")
        XCTAssertEqual(publicKey.modulus().count, 256, "generated modulus size")
        XCTAssertEqual(try RsaPrivateKey.fromPem(pem: generated.toPem()).fingerprint(), generated.fingerprint(),
                       "private PEM round trip")
        XCTAssertTrue(generated.toPem().hasPrefix("-----BEGIN RSA PRIVATE KEY-----"), "private PEM label")
    }

    func testLiveExchangesThenBinding() throws {
        let key = try RsaPrivateKey.generate()
        let store = AuthKeyStore()
        XCTAssertEqual(try store.len(), 0, "empty store")
        XCTAssertTrue(try store.isEmpty(), "a new store is not empty")
        let (perm, permServer) = try exchange(
            try ClientHandshake(rsaKeys: [key.publicKey()], dcId: 2, expiresIn: 0),
            try ServerHandshake(rsaKeys: [key], g: 0, dhPrime: Data(), dcId: 2, maxTempExpiresIn: nil), store)
        checkSameKey(perm, permServer, "permanent")
        XCTAssertEqual(perm.dcId, 2, "dc")
        XCTAssertEqual(perm.expiresAt, 0, "permanent expires_at")
        XCTAssertTrue(try store.contains(authKeyId: perm.authKeyId), "permanent key not in the store")
        // The test key, offered next to Telegram's: the same exchange for a temporary key.
        let testKey = try RsaPrivateKey.fromPem(pem: try testKeyPem())
        let (temp, tempServer) = try exchange(
            try ClientHandshake(rsaKeys: [try RsaPublicKey.telegramProduction(), testKey.publicKey()], dcId: 2,
                                expiresIn: 3600),
            try ServerHandshake(rsaKeys: [testKey], g: 3, dhPrime: Data(), dcId: nil, maxTempExpiresIn: 7200), store)
        checkSameKey(temp, tempServer, "temporary")
        XCTAssertEqual(temp.expiresAt, temp.serverTime + 3600, "temporary expires_at")
        XCTAssertTrue(try store.contains(authKeyId: temp.authKeyId), "temporary key not in the store")
        XCTAssertEqual(try store.len(), 2, "two keys")
        XCTAssertFalse(try store.isEmpty(), "a store with two keys is empty")
        XCTAssertNotEqual(perm.authKey, temp.authKey, "two exchanges made the same key")

        let session: UInt64 = 0x1234_5678_9abc_def0
        let msgId = (nowMs() / 1000) << 32
        let now = nowMs()
        let q = try bindTempAuthKeyQuery(permAuthKey: perm.authKey, tempAuthKeyId: temp.authKeyId,
                                         tempSessionId: session, msgId: msgId, expiresAt: temp.expiresAt)
        XCTAssertNil(try store.boundPermanent(tempAuthKeyId: temp.authKeyId, nowMs: now), "bound before the query")
        // A query checked against another session binds nothing.
        expectAuthCode(417, "another session") {
            try verifyBindTempAuthKey(store: store, query: q.query, tempAuthKeyId: temp.authKeyId,
                                      tempSessionId: session + 1, msgId: msgId, nowMs: now)
        }
        let b = try verifyBindTempAuthKey(store: store, query: q.query, tempAuthKeyId: temp.authKeyId,
                                          tempSessionId: session, msgId: msgId, nowMs: now)
        XCTAssertEqual(b, TempKeyBinding(permAuthKeyId: perm.authKeyId, tempAuthKeyId: temp.authKeyId,
                                         tempSessionId: session, nonce: q.nonce, expiresAt: temp.expiresAt), "binding")
        XCTAssertEqual(try store.boundPermanent(tempAuthKeyId: temp.authKeyId, nowMs: now), perm.authKeyId,
                       "bound permanent key")
        // Removing the permanent key unbinds; expiry drops the temporary key.
        XCTAssertTrue(try store.remove(authKeyId: perm.authKeyId), "remove")
        XCTAssertNil(try store.boundPermanent(tempAuthKeyId: temp.authKeyId, nowMs: now),
                     "bound after removing the permanent key")
        XCTAssertEqual(try store.removeExpired(nowMs: UInt64(temp.expiresAt) * 1000), 1, "expired keys dropped")
        XCTAssertEqual(try store.len(), 0, "empty again")
        XCTAssertTrue(try store.isEmpty(), "isEmpty after removing every key")
    }

    func testKeyStore() throws {
        let store = AuthKeyStore()
        let a = Data((0..<256).map { UInt8(truncatingIfNeeded: $0 &* 3 &+ 1) })
        let b = Data((0..<256).map { UInt8(truncatingIfNeeded: $0 &* 5 &+ 2) })
        XCTAssertTrue(try store.isEmpty(), "a new store is not empty")
        XCTAssertTrue(try store.insertPermanent(authKey: a, dcId: 2), "insert a")
        XCTAssertFalse(try store.isEmpty(), "empty after an insert")
        XCTAssertFalse(try store.insertPermanent(authKey: a, dcId: 2), "a inserted twice")
        XCTAssertFalse(try store.insertTemporary(authKey: a, dcId: 2, expiresAt: 100), "a inserted again as temporary")
        XCTAssertTrue(try store.insertTemporary(authKey: b, dcId: 2, expiresAt: 100), "insert b")
        XCTAssertEqual(try store.len(), 2, "len")
        XCTAssertEqual(try store.removeExpired(nowMs: 99_999), 0, "nothing expired at 99.999 s")
        XCTAssertEqual(try store.removeExpired(nowMs: 100_000), 1, "b expired at 100 s")
        XCTAssertEqual(try store.len(), 1, "len after expiry")
        expectAuthCode(101, "255-byte key") { try store.insertPermanent(authKey: Data(count: 255), dcId: 2) }
        expectAuthCode(101, "257-byte key") { try store.insertTemporary(authKey: Data(count: 257), dcId: 2, expiresAt: 100) }
        XCTAssertFalse(try store.remove(authKeyId: 1), "removed an unknown key")
        XCTAssertFalse(try store.contains(authKeyId: 1), "contains an unknown key")
    }

    func testErrorsCarryTheCoreCodes() throws {
        let key = try RsaPrivateKey.fromPem(pem: try testKeyPem())
        let store = AuthKeyStore()
        // A resPQ echoing another nonce.
        do {
            let server = try ServerHandshake(rsaKeys: [key], g: 0, dhPrime: Data(), dcId: nil, maxTempExpiresIn: nil)
            let client = try ClientHandshake(rsaKeys: [key.publicKey()], dcId: 2, expiresIn: 0)
            var resPq = try server.handle(body: try client.start(), nowMs: nowMs(), store: store)
            resPq[resPq.startIndex + 4] ^= 1
            XCTAssertNil(try client.errorCode(), "client error code before the error")
            XCTAssertNil(try client.errorMessage(), "client error message before the error")
            expectAuthCode(402, "resPQ with a wrong nonce") { try client.handle(body: resPq, nowMs: nowMs()) }
            XCTAssertEqual(try client.stateName(), "failed", "state after the error")
            XCTAssertEqual(try client.errorCode(), 402, "client error code")
            XCTAssertFalse((try client.errorMessage() ?? "").isEmpty, "no client error message")
            expectAuthCode(402, "the error is sticky") { try client.handle(body: Data(count: 4), nowMs: nowMs()) }
            XCTAssertNil(try client.createdKey(), "no key")
        }
        // A second start.
        do {
            let client = try ClientHandshake(rsaKeys: [key.publicKey()], dcId: 2, expiresIn: 0)
            expectAuthCode(401, "handle before start") { try client.handle(body: Data(count: 8), nowMs: nowMs()) }
            _ = try client.start()
            expectAuthCode(401, "second start") { try client.start() }
            expectAuthCode(401, "startWith after start") { try client.startWith(nonce: Data(count: 16)) }
            XCTAssertNil(try client.errorCode(), "a call out of order does not end the exchange")
        }
        // A server for DC 4 refuses a client of DC 2 with server_DH_params_fail.
        do {
            let server = try ServerHandshake(rsaKeys: [key], g: 3, dhPrime: Data(), dcId: 4, maxTempExpiresIn: nil)
            let client = try ClientHandshake(rsaKeys: [key.publicKey()], dcId: 2, expiresIn: 0)
            let resPq = try server.handle(body: try client.start(), nowMs: nowMs(), store: store)
            guard let reqDh = try client.handle(body: resPq, nowMs: nowMs()) else {
                XCTFail("no req_DH_params")
                return
            }
            let refusal = try server.handle(body: reqDh, nowMs: nowMs(), store: store)
            XCTAssertEqual(try server.errorCode(), 416, "server error code")
            XCTAssertFalse((try server.errorMessage() ?? "").isEmpty, "no server error message")
            XCTAssertEqual(try server.stateName(), "failed", "server state")
            XCTAssertFalse(try server.isDone(), "server done")
            expectAuthCode(411, "client given server_DH_params_fail") { try client.handle(body: refusal, nowMs: nowMs()) }
            XCTAssertEqual(try client.errorCode(), 411, "client error code after the refusal")
            expectAuthCode(416, "the server's error is sticky") { try server.handle(body: reqDh, nowMs: nowMs(), store: store) }
        }
        XCTAssertEqual(try store.len(), 0, "no key was created")
        // Wrong lengths.
        do {
            let client = try ClientHandshake(rsaKeys: [key.publicKey()], dcId: 2, expiresIn: 0)
            expectAuthCode(101, "15-byte nonce") { try client.startWith(nonce: Data(count: 15)) }
            XCTAssertEqual(try client.stateName(), "new", "a length error changes nothing")
            XCTAssertEqual(try client.startWith(nonce: Data(count: 16)).count, 20, "req_pq_multi size")
            expectAuthCode(101, "31-byte new_nonce") {
                try client.handleResPqWith(body: Data(count: 4), newNonce: Data(count: 31), rsaPadding: Data(),
                                           rsaTempKey: Data(count: 32))
            }
            let server = try ServerHandshake(rsaKeys: [key], g: 0, dhPrime: Data(), dcId: nil, maxTempExpiresIn: nil)
            expectAuthCode(101, "15-byte server_nonce") {
                try server.handleReqPqWith(body: Data(count: 20), serverNonce: Data(count: 15), p: 2, q: 3)
            }
        }
        expectAuthCode(101, "7-byte binding padding") {
            try bindTempAuthKeyQueryWith(permAuthKey: Data(count: 256), tempAuthKeyId: 1, tempSessionId: 2, msgId: 3,
                                         nonce: 4, expiresAt: 5, random: Data(count: 16), padding: Data(count: 7))
        }
        expectAuthCode(101, "15-byte binding random") {
            try bindTempAuthKeyQueryWith(permAuthKey: Data(count: 256), tempAuthKeyId: 1, tempSessionId: 2, msgId: 3,
                                         nonce: 4, expiresAt: 5, random: Data(count: 15), padding: Data(count: 8))
        }
        expectAuthCode(101, "255-byte permanent key") {
            try bindTempAuthKeyQuery(permAuthKey: Data(count: 255), tempAuthKeyId: 1, tempSessionId: 2, msgId: 3,
                                     expiresAt: 5)
        }
        expectAuthCode(1, "negative expires_in") {
            try ClientHandshake(rsaKeys: [key.publicKey()], dcId: 2, expiresIn: -1)
        }
        // Keys and groups.
        expectAuthCode(414, "garbage public PEM") { try RsaPublicKey.fromPem(pem: "garbage") }
        expectAuthCode(414, "garbage private PEM") { try RsaPrivateKey.fromPem(pem: "garbage") }
        expectAuthCode(414, "a public key as a private key") { try RsaPrivateKey.fromPem(pem: key.publicKey().toPem()) }
        expectAuthCode(408, "g = 2 with Telegram's prime") {
            try ServerHandshake(rsaKeys: [key], g: 2, dhPrime: Data(), dcId: nil, maxTempExpiresIn: nil)
        }
        expectAuthCode(407, "a prime that is not prime") {
            try ServerHandshake(rsaKeys: [key], g: 2, dhPrime: Data(repeating: 0xff, count: 256), dcId: nil,
                                maxTempExpiresIn: nil)
        }
        expectAuthCode(415, "old scheme with a wrong hash") {
            try key.decryptOldScheme(encrypted: Data(repeating: 1, count: 256), dataLen: 10)
        }
        XCTAssertEqual(try RsaPublicKey.telegramProduction().fingerprint(), telegramProductionFingerprint,
                       "production fingerprint")
        // Binding to keys the store does not hold.
        let empty = AuthKeyStore()
        let q = try bindTempAuthKeyQuery(permAuthKey: Data(repeating: 7, count: 256), tempAuthKeyId: 1,
                                         tempSessionId: 2, msgId: 3, expiresAt: Int32.max)
        expectAuthCode(418, "unknown temporary key") {
            try verifyBindTempAuthKey(store: empty, query: q.query, tempAuthKeyId: 1, tempSessionId: 2, msgId: 3,
                                      nowMs: nowMs())
        }
        expectAuthCode(300, "a truncated query") {
            try verifyBindTempAuthKey(store: empty, query: Data(q.query.prefix(10)), tempAuthKeyId: 1,
                                      tempSessionId: 2, msgId: 3, nowMs: nowMs())
        }
    }
}
