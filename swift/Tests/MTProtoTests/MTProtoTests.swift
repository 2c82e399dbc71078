import Foundation
import XCTest
import MTProto

/// 256 distinct-looking key bytes (not symmetric, so both directions differ).
private func sampleKeyBytes() -> Data {
    return Data((0..<256).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
}

private func direction(_ s: String) throws -> Direction {
    switch s {
    case "client": return .clientToServer
    case "server": return .serverToClient
    default: throw VectorError(description: "unknown direction '\(s)'")
    }
}

private func opposite(_ d: Direction) -> Direction {
    return d == .clientToServer ? .serverToClient : .clientToServer
}

/// Runs `body` and checks it throws `MtprotoError.Failed` with `code`.
private func assertCode<T>(_ code: UInt32, _ what: String,
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

/// Every case of the seven shared vector files (tests/vectors/*.json).
final class VectorTests: XCTestCase {
    func testIge() throws {
        for c in try loadVectors("ige.json") {
            let key = try c.bytes("key"), iv = try c.bytes("iv")
            assertBytes(try c.bytes("ciphertext"), try igeEncrypt(key: key, iv: iv, data: try c.bytes("plaintext")),
                        "\(c.label) igeEncrypt")
            assertBytes(try c.bytes("plaintext"), try igeDecrypt(key: key, iv: iv, data: try c.bytes("ciphertext")),
                        "\(c.label) igeDecrypt")
        }
    }

    func testAuthKey() throws {
        for c in try loadVectors("auth_key.json") {
            let k = try AuthKey(bytes: try c.bytes("auth_key"))
            XCTAssertEqual(k.id(), try c.u64("id"), "\(c.label) id")
            assertBytes(try c.bytes("id_wire"), k.idWire(), "\(c.label) idWire")
            assertBytes(try c.bytes("aux_hash"), k.auxHash(), "\(c.label) auxHash")
        }
    }

    func testKdfV2() throws {
        for c in try loadVectors("kdf_v2.json") {
            let k = try AuthKey(bytes: try c.bytes("auth_key"))
            let dir = try direction(try c.str("direction"))
            assertBytes(try c.bytes("msg_key"), msgKeyV2(authKey: k, direction: dir, plaintext: try c.bytes("plaintext")),
                        "\(c.label) msgKeyV2")
            let d = try deriveV2(authKey: k, direction: dir, msgKey: try c.bytes("msg_key"))
            assertBytes(try c.bytes("aes_key"), d.key, "\(c.label) deriveV2 key")
            assertBytes(try c.bytes("aes_iv"), d.iv, "\(c.label) deriveV2 iv")
        }
    }

    func testKdfV1() throws {
        for c in try loadVectors("kdf_v1.json") {
            let k = try AuthKey(bytes: try c.bytes("auth_key"))
            let dir = try direction(try c.str("direction"))
            assertBytes(try c.bytes("msg_key"), msgKeyV1(plaintext: try c.bytes("plaintext")),
                        "\(c.label) msgKeyV1")
            let d = try deriveV1(authKey: k, direction: dir, msgKey: try c.bytes("msg_key"))
            assertBytes(try c.bytes("aes_key"), d.key, "\(c.label) deriveV1 key")
            assertBytes(try c.bytes("aes_iv"), d.iv, "\(c.label) deriveV1 iv")
        }
    }

    func testHandshakeTmpKey() throws {
        for c in try loadVectors("handshake_tmp_key.json") {
            let d = try handshakeTmpKeyIv(newNonce: try c.bytes("new_nonce"), serverNonce: try c.bytes("server_nonce"))
            assertBytes(try c.bytes("tmp_aes_key"), d.key, "\(c.label) tmp key")
            assertBytes(try c.bytes("tmp_aes_iv"), d.iv, "\(c.label) tmp iv")
        }
    }

    func testEnvelope() throws {
        for c in try loadVectors("envelope.json") {
            let k = try AuthKey(bytes: try c.bytes("auth_key"))
            let dir = try direction(try c.str("direction"))
            let header = MessageHeader(salt: try c.u64("salt"), sessionId: try c.u64("session_id"),
                                       msgId: try c.u64("msg_id"), seqNo: try c.u32("seq_no"))
            let body = try c.bytes("body")
            let wire = try sealEncryptedWithPadding(authKey: k, direction: dir, header: header, body: body,
                                                    padding: try c.bytes("padding"))
            assertBytes(try c.bytes("wire"), wire, "\(c.label) sealEncryptedWithPadding")
            let m = try openEncrypted(authKey: k, direction: dir, wire: try c.bytes("wire"))
            XCTAssertEqual(m.header, header, "\(c.label) header")
            assertBytes(body, m.body, "\(c.label) body")
            // What one direction sealed, the other direction's keys cannot open.
            assertCode(200, "\(c.label) open in the wrong direction") {
                try openEncrypted(authKey: k, direction: opposite(dir), wire: wire)
            }
        }
    }

    func testPlain() throws {
        for c in try loadVectors("plain.json") {
            assertBytes(try c.bytes("wire"), try sealPlain(msgId: try c.u64("msg_id"), body: try c.bytes("body")),
                        "\(c.label) sealPlain")
            let m = try openPlain(wire: try c.bytes("wire"))
            XCTAssertEqual(m.msgId, try c.u64("msg_id"), "\(c.label) msgId")
            assertBytes(try c.bytes("body"), m.body, "\(c.label) body")
        }
    }
}

/// Behaviour beyond the vectors: random padding, tampering, error codes.
final class ApiTests: XCTestCase {
    func testSealEncryptedRoundTripBothDirections() throws {
        let k = try AuthKey(bytes: sampleKeyBytes())
        // u64 values above Int64.max must survive the crossing.
        let header = MessageHeader(salt: UInt64.max, sessionId: 0x8000_0000_0000_0001,
                                   msgId: 0x51e5_7ac4_2e00_0004, seqNo: 7)
        let body = Data((0..<40).map { UInt8($0) })
        for dir in [Direction.clientToServer, Direction.serverToClient] {
            let a = try sealEncrypted(authKey: k, direction: dir, header: header, body: body)
            let b = try sealEncrypted(authKey: k, direction: dir, header: header, body: body)
            XCTAssertNotEqual(a, b, "\(dir): two seals with random padding are identical")
            for wire in [a, b] {
                XCTAssertEqual((wire.count - 24) % 16, 0, "\(dir): ciphertext not whole blocks")
                let pad = wire.count - 24 - 32 - body.count
                XCTAssertTrue((12...1024).contains(pad), "\(dir): padding \(pad) out of range")
                assertBytes(k.idWire(), Data(wire.prefix(8)), "\(dir) auth_key_id")
                let m = try openEncrypted(authKey: k, direction: dir, wire: wire)
                XCTAssertEqual(m.header, header, "\(dir) header")
                assertBytes(body, m.body, "\(dir) body")
            }
        }
    }

    func testTamperedMessageIsRejected() throws {
        let k = try AuthKey(bytes: sampleKeyBytes())
        let header = MessageHeader(salt: 1, sessionId: 2, msgId: 4, seqNo: 1)
        let wire = try sealEncrypted(authKey: k, direction: .serverToClient, header: header,
                                     body: Data(repeating: 1, count: 16))
        let bytes = [UInt8](wire)
        // Flip one bit in the auth_key_id, the msg_key, the first and the last ciphertext block.
        for at in [0, 8, 23, 24, 40, bytes.count - 1] {
            var bad = bytes
            bad[at] ^= 1
            assertCode(200, "flip byte \(at)") {
                try openEncrypted(authKey: k, direction: .serverToClient, wire: Data(bad))
            }
        }
        assertCode(200, "truncated") {
            try openEncrypted(authKey: k, direction: .serverToClient, wire: Data(bytes.dropLast(16)))
        }
        assertCode(200, "empty") {
            try openEncrypted(authKey: k, direction: .serverToClient, wire: Data())
        }
        let other = try AuthKey(bytes: Data(repeating: 9, count: 256))
        assertCode(200, "another key") {
            try openEncrypted(authKey: other, direction: .serverToClient, wire: wire)
        }
    }

    func testErrorsCarryStableCodes() throws {
        let k32 = Data(count: 32), iv32 = Data(count: 32)
        assertCode(100, "igeEncrypt 17 bytes") { try igeEncrypt(key: k32, iv: iv32, data: Data(count: 17)) }
        assertCode(100, "igeDecrypt 15 bytes") { try igeDecrypt(key: k32, iv: iv32, data: Data(count: 15)) }
        assertCode(101, "igeEncrypt 31-byte key") { try igeEncrypt(key: Data(count: 31), iv: iv32, data: Data(count: 16)) }
        assertCode(101, "igeDecrypt 16-byte iv") { try igeDecrypt(key: k32, iv: Data(count: 16), data: Data(count: 16)) }
        assertCode(101, "AuthKey from 255 bytes") { try AuthKey(bytes: Data(count: 255)) }
        assertCode(101, "AuthKey from 257 bytes") { try AuthKey(bytes: Data(count: 257)) }
        assertCode(101, "handshakeTmpKeyIv 31-byte new_nonce") {
            try handshakeTmpKeyIv(newNonce: Data(count: 31), serverNonce: Data(count: 16))
        }
        assertCode(101, "handshakeTmpKeyIv 17-byte server_nonce") {
            try handshakeTmpKeyIv(newNonce: Data(count: 32), serverNonce: Data(count: 17))
        }
        assertCode(201, "openPlain on 3 bytes") { try openPlain(wire: Data([1, 2, 3])) }
        assertCode(203, "sealPlain unaligned body") { try sealPlain(msgId: 4, body: Data(count: 3)) }

        let k = try AuthKey(bytes: sampleKeyBytes())
        let h = MessageHeader(salt: 1, sessionId: 2, msgId: 4, seqNo: 1)
        assertCode(101, "deriveV2 15-byte msg_key") {
            try deriveV2(authKey: k, direction: .clientToServer, msgKey: Data(count: 15))
        }
        assertCode(101, "deriveV1 17-byte msg_key") {
            try deriveV1(authKey: k, direction: .clientToServer, msgKey: Data(count: 17))
        }
        assertCode(202, "padding too short") {
            try sealEncryptedWithPadding(authKey: k, direction: .clientToServer, header: h,
                                         body: Data(count: 8), padding: Data(count: 8))
        }
        assertCode(202, "padding misaligned") {
            try sealEncryptedWithPadding(authKey: k, direction: .clientToServer, header: h,
                                         body: Data(count: 4), padding: Data(count: 13))
        }
        assertCode(203, "sealEncrypted unaligned body") {
            try sealEncrypted(authKey: k, direction: .clientToServer, header: h, body: Data(count: 5))
        }
    }

    func testErrorMessageIsReadable() {
        do {
            _ = try AuthKey(bytes: Data(count: 255))
            XCTFail("no error thrown")
        } catch let MtprotoError.Failed(code, message) {
            XCTAssertEqual(code, 101)
            XCTAssertTrue(message.contains("256") && message.contains("255"), message)
        } catch {
            XCTFail("unexpected error \(error)")
        }
    }

    func testAuthKeyNeverPrintsItsBytesAndDirectionsDiffer() throws {
        let k = try AuthKey(bytes: Data(repeating: 0xab, count: 256))
        let shown = String(describing: k) + String(reflecting: k)
        XCTAssertFalse(shown.lowercased().contains("abab"), "description shows key bytes: \(shown)")
        XCTAssertEqual(k.idWire().count, 8)
        XCTAssertEqual(k.auxHash().count, 8)

        let s = try AuthKey(bytes: sampleKeyBytes())
        let mk = msgKeyV2(authKey: s, direction: .clientToServer, plaintext: Data(count: 64))
        XCTAssertEqual(mk.count, 16)
        XCTAssertNotEqual(mk, msgKeyV2(authKey: s, direction: .serverToClient, plaintext: Data(count: 64)))
        let a = try deriveV2(authKey: s, direction: .clientToServer, msgKey: mk)
        let b = try deriveV2(authKey: s, direction: .serverToClient, msgKey: mk)
        XCTAssertEqual(a.key.count, 32)
        XCTAssertNotEqual(a.key, b.key)
    }

    func testAuthKeySharedBetweenThreads() throws {
        let k = try AuthKey(bytes: sampleKeyBytes())
        let header = MessageHeader(salt: 5, sessionId: 6, msgId: 8, seqNo: 3)
        let failures = Counter()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let body = Data(repeating: UInt8(i), count: 4 * i)
            for _ in 0..<25 {
                do {
                    let w = try sealEncrypted(authKey: k, direction: .clientToServer, header: header, body: body)
                    if try openEncrypted(authKey: k, direction: .clientToServer, wire: w).body != body {
                        failures.add()
                    }
                } catch {
                    failures.add()
                }
            }
        }
        XCTAssertEqual(failures.value, 0, "a thread saw a bad round trip")
    }
}

/// A thread-safe counter for the concurrency test.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func add() {
        lock.lock()
        count += 1
        lock.unlock()
    }

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}
