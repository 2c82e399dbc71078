import Foundation
import XCTest
import MTProto

/// The default `maxFrame` (16 MiB).
private let maxFrame: UInt64 = 16_777_216

/// A 16-byte secret, a dd secret (another key) and an ee (fake TLS) secret for example.com, as hex.
private let simpleSecret = "00112233445566778899aabbccddeeff"
private let ddSecret = "dd0123456789abcdef0123456789abcdef"
private let eeSecret = "ee" + simpleSecret + hexString(Data("example.com".utf8))

/// The code of the `MtprotoError.Failed` that `body` throws, or nil if it returns.
private func codeOf<T>(_ body: () throws -> T) -> UInt32? {
    do {
        _ = try body()
        return nil
    } catch let MtprotoError.Failed(code, _) {
        return code
    } catch {
        return UInt32.max
    }
}

/// The code and message of the `MtprotoError.Failed` that `body` throws, or nil.
private func failureOf<T>(_ body: () throws -> T) -> (UInt32, String)? {
    do {
        _ = try body()
        return nil
    } catch let MtprotoError.Failed(code, message) {
        return (code, message)
    } catch {
        return (UInt32.max, "\(error)")
    }
}

/// Checks `body` throws `MtprotoError.Failed` with `code`.
private func expectTransportCode<T>(_ code: UInt32, _ what: String,
                                    file: StaticString = #filePath, line: UInt = #line,
                                    _ body: () throws -> T) {
    guard let failure = failureOf(body) else {
        XCTFail("\(what): expected an MtprotoError with code \(code), but nothing was thrown", file: file, line: line)
        return
    }
    let (got, message) = failure
    XCTAssertEqual(got, code, "\(what): \(message)", file: file, line: line)
    XCTAssertFalse(message.isEmpty, "\(what): empty message", file: file, line: line)
}

private func framingOf(_ s: String) throws -> TransportKind {
    switch s {
    case "abridged": return .abridged
    case "intermediate": return .intermediate
    case "padded_intermediate": return .paddedIntermediate
    case "full": return .full
    default: throw VectorError(description: "unknown framing '\(s)'")
    }
}

private func roleOf(_ s: String) throws -> Role {
    switch s {
    case "client": return .client
    case "server": return .server
    default: throw VectorError(description: "unknown role '\(s)'")
    }
}

/// A JSON number (NSNumber from JSONSerialization) as Int64.
private func number(_ v: Any?, _ what: String) throws -> Int64 {
    if let n = v as? NSNumber { return n.int64Value }
    if let i = v as? Int { return Int64(i) }
    throw VectorError(description: "\(what) is not a number")
}

/// A JSON boolean (Bool or NSNumber, depending on the platform's JSONSerialization); false when absent.
private func flag(_ v: Any?) -> Bool {
    if let b = v as? Bool { return b }
    if let n = v as? NSNumber { return n.boolValue }
    return false
}

private func hexField(_ m: [String: Any], _ key: String) throws -> Data {
    guard let s = m[key] as? String, let d = hexData(s) else {
        throw VectorError(description: "missing hex field '\(key)'")
    }
    return d
}

/// Splits of `wire` a decoder must give the same result for: whole, byte by byte, at every point.
private func splits(_ wire: Data) -> [[Data]] {
    let bytes = [UInt8](wire)
    var out: [[Data]] = [[wire], bytes.map { Data([$0]) }]
    for i in 0...bytes.count {
        out.append([Data(bytes[0..<i]), Data(bytes[i..<bytes.count])])
    }
    return out
}

/// `n` pattern bytes whose first 32-bit word is positive (a short payload with
/// a negative first word would read as a quick ack or transport error).
private func payload(_ n: Int, _ seed: Int) -> Data {
    return Data((0..<n).map { UInt8(truncatingIfNeeded: ($0 &* 31 &+ seed) & 0x7f) })
}

/// Checks `got` is a packet carrying `sent` (padded intermediate may add up to 15 bytes).
private func checkPacket(_ sent: Data, _ got: Inbound?, quickAck: Bool, padded: Bool, _ what: String,
                         file: StaticString = #filePath, line: UInt = #line) {
    guard case let .packet(p, q)? = got else {
        XCTFail("\(what): expected a packet, got \(String(describing: got))", file: file, line: line)
        return
    }
    let extra = p.count - sent.count
    XCTAssertTrue(extra == 0 || (padded && (0...15).contains(extra)),
                  "\(what): \(p.count) bytes for \(sent.count)", file: file, line: line)
    assertBytes(sent, Data(p.prefix(sent.count)), what, file: file, line: line)
    XCTAssertEqual(q, quickAck, "\(what) quickAck", file: file, line: line)
}

// MARK: - The three transport vector files

/// Every case of transport_framing.json, transport_obfuscation.json and transport_http.json.
final class TransportVectorTests: XCTestCase {
    func testFraming() throws {
        let cases = try loadVectors("transport_framing.json")
        XCTAssertEqual(cases.count, 8)
        for c in cases {
            let kind = try framingOf(try c.str("framing"))
            let sender = try roleOf(try c.str("sender"))
            let receiver: Role = sender == .client ? .server : .client
            guard let frames = c.fields["frames"] as? [[String: Any]] else {
                throw VectorError(description: "\(c.label): no frames")
            }
            // Encoding with the given padding gives the wire.
            let encoder = try FramingCodec(kind: kind, role: sender, maxFrame: maxFrame)
            var wire = Data()
            var want: [Inbound] = []
            for f in frames {
                let padding = try hexField(f, "padding")
                switch f["type"] as? String {
                case "packet":
                    let p = try hexField(f, "payload")
                    let q = flag(f["quick_ack"])
                    wire.append(try encoder.encodePacketWithPadding(payload: p, quickAck: q, padding: padding))
                    want.append(.packet(payload: p + padding, quickAck: receiver == .server && q))
                case "quick_ack":
                    let token = UInt32(truncatingIfNeeded: try number(f["token"], "token"))
                    XCTAssertEqual(try quickAckToken(msgKeyLarge: try hexField(f, "msg_key_large")), token,
                                   "\(c.label) quickAckToken")
                    wire.append(try encoder.encodeQuickAckWithPadding(token: token, padding: padding))
                    want.append(.quickAck(token: token))
                case "transport_error":
                    let code = Int32(truncatingIfNeeded: try number(f["code"], "code"))
                    wire.append(try encoder.encodeTransportErrorWithPadding(code: code, padding: padding))
                    want.append(.transportError(code: code))
                default:
                    throw VectorError(description: "\(c.label): unknown frame type")
                }
            }
            assertBytes(try c.bytes("wire"), wire, "\(c.label) encoded wire")
            // Decoding the wire, split anywhere, gives the frames back.
            for chunks in splits(wire) {
                let decoder = try FramingCodec(kind: kind, role: receiver, maxFrame: maxFrame)
                for chunk in chunks { try decoder.feed(bytes: chunk) }
                var got: [Inbound] = []
                while let i = try decoder.poll() { got.append(i) }
                XCTAssertEqual(got, want, "\(c.label) decoded (\(chunks.count) chunks)")
            }
            // Padded messages strip back to their payload.
            if kind == .paddedIntermediate {
                for f in frames where flag(f["message"]) {
                    let p = try hexField(f, "payload")
                    let received = p + (try hexField(f, "padding"))
                    assertBytes(p, stripPaddedIntermediatePadding(payload: received), "\(c.label) stripped")
                }
            }
        }
    }

    func testObfuscation() throws {
        var kinds = Set<String>()
        for c in try loadVectors("transport_obfuscation.json") {
            let kind = try c.str("kind")
            kinds.insert(kind)
            switch kind {
            case "obfuscated2":
                let secretHex = try c.str("secret")
                let secret: String? = secretHex.isEmpty ? nil : secretHex
                let framing = try framingOf(try c.str("framing"))
                let dc = Int16(truncatingIfNeeded: try number(c.fields["dc_id"], "dc_id"))
                let random = try c.bytes("random")
                XCTAssertTrue(try isValidObfuscationInit(random: random), "\(c.label) valid random")
                let initial = try obfuscationInit(random: random, kind: framing, dcId: dc, secret: secret)
                assertBytes(try c.bytes("header"), initial.header, "\(c.label) header")
                assertBytes(try c.bytes("client_encrypt_key"), initial.clientEncryptKey, "\(c.label) client encrypt key")
                assertBytes(try c.bytes("client_encrypt_iv"), initial.clientEncryptIv, "\(c.label) client encrypt iv")
                assertBytes(try c.bytes("client_decrypt_key"), initial.clientDecryptKey, "\(c.label) client decrypt key")
                assertBytes(try c.bytes("client_decrypt_iv"), initial.clientDecryptIv, "\(c.label) client decrypt iv")
                // The server's keys are the client's, reversed.
                assertBytes(try c.bytes("server_encrypt_key"), initial.clientDecryptKey, "\(c.label) server encrypt key")
                assertBytes(try c.bytes("server_encrypt_iv"), initial.clientDecryptIv, "\(c.label) server encrypt iv")
                assertBytes(try c.bytes("server_decrypt_key"), initial.clientEncryptKey, "\(c.label) server decrypt key")
                assertBytes(try c.bytes("server_decrypt_iv"), initial.clientEncryptIv, "\(c.label) server decrypt iv")
                // Payloads: the client's stream has consumed the 64 init bytes, the server's none.
                let p = try c.bytes("payload")
                let skip = Data(count: 64)
                let cEnc = Data(try aesCtrApply(key: initial.clientEncryptKey, iv: initial.clientEncryptIv,
                                                data: skip + p).dropFirst(64))
                assertBytes(try c.bytes("client_payload_encrypted"), cEnc, "\(c.label) client payload encrypted")
                let sDec = Data(try aesCtrApply(key: try c.bytes("server_decrypt_key"), iv: try c.bytes("server_decrypt_iv"),
                                                data: skip + cEnc).dropFirst(64))
                assertBytes(p, sDec, "\(c.label) server decrypts the client payload")
                let sEnc = try aesCtrApply(key: try c.bytes("server_encrypt_key"), iv: try c.bytes("server_encrypt_iv"), data: p)
                assertBytes(try c.bytes("server_payload_encrypted"), sEnc, "\(c.label) server payload encrypted")
                assertBytes(p, try aesCtrApply(key: initial.clientDecryptKey, iv: initial.clientDecryptIv, data: sEnc),
                            "\(c.label) client decrypts the server payload")
                // A server accepting the header finds the framing, DC and secret
                // (ee secrets arrive inside fake TLS: checked by the round trips).
                if !secretHex.hasPrefix("ee") {
                    let config = ServerTransportConfig(secrets: secret.map { [$0] } ?? [], allowPlain: false,
                                                       allowObfuscatedWithoutSecret: secret == nil, allowHttp: false,
                                                       maxFrame: maxFrame)
                    let server = try ServerTransport(config: config)
                    try server.handleInput(bytes: initial.header, nowMs: 0)
                    let d = try server.detected()
                    XCTAssertEqual(d?.kind, framing, "\(c.label) detected kind")
                    XCTAssertEqual(d?.obfuscated, true, "\(c.label) detected obfuscated")
                    XCTAssertEqual(d?.fakeTls, false, "\(c.label) detected fake TLS")
                    XCTAssertEqual(d?.dcId, dc, "\(c.label) detected dc")
                    XCTAssertEqual(d?.secretIndex, secret == nil ? nil : UInt32(0), "\(c.label) detected secret")
                }
            case "obfuscated2_forbidden":
                let random = try c.bytes("random")
                XCTAssertFalse(try isValidObfuscationInit(random: random), "\(c.label) forbidden random accepted")
                expectTransportCode(606, "\(c.label) obfuscationInit") {
                    try obfuscationInit(random: random, kind: .abridged, dcId: 1, secret: nil)
                }
            case "key_share":
                let want = try c.bytes("key_share")
                let got = try fakeTlsKeyShare(candidate: try c.bytes("candidate"))
                if want.isEmpty {
                    XCTAssertNil(got, "\(c.label) candidate accepted")
                } else {
                    assertBytes(want, got ?? Data(), "\(c.label) key share")
                }
            case "client_hello":
                guard let orderNumbers = c.fields["extension_order"] as? [Any] else {
                    throw VectorError(description: "\(c.label): no extension_order")
                }
                let order = Data(try orderNumbers.map { UInt8(truncatingIfNeeded: try number($0, "extension_order")) })
                let now = try c.u64("now_ms")
                let h = try fakeTlsClientHello(secret: try c.str("secret"), nowMs: now, sessionId: try c.bytes("session_id"),
                                               greaseSeed: try c.bytes("grease_seed"), keyShare: try c.bytes("key_share"),
                                               extensionOrder: order)
                assertBytes(try c.bytes("hello"), h.hello, "\(c.label) hello")
                assertBytes(try c.bytes("random"), h.random, "\(c.label) random")
                assertBytes(try c.bytes("digest"), h.digest, "\(c.label) digest")
                // A server holding the secret accepts it at now_ms and answers.
                let server = try ServerTransport(config: ServerTransportConfig(
                    secrets: [try c.str("secret")], allowPlain: false, allowObfuscatedWithoutSecret: false, allowHttp: false))
                try server.handleInput(bytes: h.hello, nowMs: now)
                let answer = try server.pollTransmit()
                XCTAssertEqual(answer?.first, 0x16, "\(c.label) the answer is a TLS handshake record")
            case "server_hello":
                let response = try fakeTlsServerHello(secret: try c.str("secret"), clientRandom: try c.bytes("client_random"),
                                                      sessionId: try c.bytes("session_id"), keyShare: try c.bytes("key_share"),
                                                      appData: try c.bytes("app_data"))
                assertBytes(try c.bytes("response"), response, "\(c.label) response")
                assertBytes(try c.bytes("server_random"), Data([UInt8](response)[11..<43]), "\(c.label) server random")
            default:
                throw VectorError(description: "\(c.label): unknown kind \(kind)")
            }
        }
        XCTAssertEqual(kinds, ["obfuscated2", "obfuscated2_forbidden", "key_share", "client_hello", "server_hello"])
    }

    func testHttp() throws {
        var kinds = Set<String>()
        for c in try loadVectors("transport_http.json") {
            let kind = try c.str("kind")
            kinds.insert(kind)
            let wire = try c.bytes("wire")
            switch kind {
            case "request":
                let p = try c.bytes("payload")
                let client = try HttpClient(host: try c.str("host"))
                assertBytes(wire, try client.encodeRequest(payload: p), "\(c.label) request")
                XCTAssertEqual(try client.pending(), 1, "\(c.label) pending")
                try checkSplits(c, wire, HttpOutcome(events: [.packet(payload: p, quickAck: false)], errorCode: nil,
                                                     extra: "rejection=nil transmit=nil"), mention: nil, decodeServer)
            case "response", "transport_error", "error":
                let server = HttpServer()
                try server.feed(bytes: try HttpClient(host: "example.org").encodeRequest(payload: Data("q".utf8)))
                XCTAssertNotNil(try server.poll(), "\(c.label) request decoded")
                XCTAssertEqual(try server.pending(), 1, "\(c.label) pending")
                let encoded: Data
                let want: HttpOutcome
                var mention: String? = nil
                if kind == "response" {
                    let p = try c.bytes("payload")
                    encoded = try server.encodeResponse(payload: p)
                    want = HttpOutcome(events: [.packet(payload: p, quickAck: false)], errorCode: nil, extra: "close=false")
                } else if kind == "transport_error" {
                    let code = Int32(truncatingIfNeeded: try number(c.fields["code"], "code"))
                    encoded = try server.encodeTransportError(code: code)
                    want = HttpOutcome(events: [.transportError(code: code)], errorCode: nil, extra: "close=false")
                } else {
                    let status = try number(c.fields["status"], "status")
                    encoded = try server.encodeError(status: UInt16(truncatingIfNeeded: status))
                    want = HttpOutcome(events: [], errorCode: 609, extra: "close=false")
                    mention = "\(status)"
                }
                assertBytes(wire, encoded, "\(c.label) \(kind)")
                XCTAssertEqual(try server.pending(), 0, "\(c.label) pending after the answer")
                try checkSplits(c, wire, want, mention: mention) { try decodeClient(1, $0) }
            case "decode":
                guard let eventList = c.fields["events"] as? [[String: Any]] else {
                    throw VectorError(description: "\(c.label): no events")
                }
                let events: [Inbound] = try eventList.map { (e: [String: Any]) throws -> Inbound in
                    if e["packet"] != nil {
                        let packet = try hexField(e, "packet")
                        return Inbound.packet(payload: packet, quickAck: false)
                    }
                    let code = try number(e["transport_error"], "transport_error")
                    return Inbound.transportError(code: Int32(truncatingIfNeeded: code))
                }
                let error = c.fields["error"] as? [String: Any]
                var code: UInt32? = nil
                var mention: String? = nil
                if let error = error {
                    switch error["kind"] as? String {
                    case "http": code = 608
                    case "http_status": code = 609
                    case "frame_too_large": code = 601
                    default: throw VectorError(description: "\(c.label): unknown error kind")
                    }
                    if let status = error["status"] {
                        let n = try number(status, "status")
                        mention = "\(n)"
                    }
                }
                switch try c.str("role") {
                case "server":
                    var rejection = "nil"
                    if let r = error?["rejection"] {
                        let n = try number(r, "rejection")
                        rejection = "\(n)"
                    }
                    let transmit = (c.fields["transmit"] as? String) ?? "nil"
                    try checkSplits(c, wire, HttpOutcome(events: events, errorCode: code,
                                                         extra: "rejection=\(rejection) transmit=\(transmit)"),
                                    mention: mention, decodeServer)
                case "client":
                    let waiting = Int(try number(c.fields["waiting"], "waiting"))
                    let close = flag(c.fields["close"])
                    try checkSplits(c, wire, HttpOutcome(events: events, errorCode: code, extra: "close=\(close)"),
                                    mention: mention) { try decodeClient(waiting, $0) }
                default:
                    throw VectorError(description: "\(c.label): unknown role")
                }
            default:
                throw VectorError(description: "\(c.label): unknown kind \(kind)")
            }
        }
        XCTAssertEqual(kinds, ["decode", "error", "request", "response", "transport_error"])
    }
}

/// What an HTTP decoder did with its input.
private struct HttpOutcome: Equatable {
    var events: [Inbound]
    var errorCode: UInt32?
    /// Server: the rejection status and what `pollTransmit` returned; client: whether it must reconnect.
    var extra: String
}

/// Feeds `chunks`, polling after each; stops at the first error, checking it is sticky.
private func runDecoder(_ chunks: [Data], feed: (Data) throws -> Void,
                        poll: () throws -> Inbound?) throws -> ([Inbound], (UInt32, String)?) {
    var events: [Inbound] = []
    for chunk in chunks {
        let failure = failureOf { try feed(chunk) }
        while let i = try poll() { events.append(i) }
        if let failure = failure {
            let again = codeOf { try feed(Data("\r\n".utf8)) }
            XCTAssertEqual(again, failure.0, "sticky error")
            return (events, failure)
        }
    }
    return (events, nil)
}

private func decodeServer(_ chunks: [Data]) throws -> (HttpOutcome, String?) {
    let s = HttpServer()
    let (events, failure) = try runDecoder(chunks, feed: { try s.feed(bytes: $0) }, poll: { try s.poll() })
    let rejection = try s.rejectionStatus().map { "\($0)" } ?? "nil"
    let transmit = try s.pollTransmit().map { hexString($0) } ?? "nil"
    return (HttpOutcome(events: events, errorCode: failure?.0, extra: "rejection=\(rejection) transmit=\(transmit)"),
            failure?.1)
}

private func decodeClient(_ waiting: Int, _ chunks: [Data]) throws -> (HttpOutcome, String?) {
    let c = try HttpClient(host: "example.org")
    for _ in 0..<waiting { _ = try c.encodeRequest(payload: Data("q".utf8)) }
    let (events, failure) = try runDecoder(chunks, feed: { try c.feed(bytes: $0) }, poll: { try c.poll() })
    // A client whose server closes the connection refuses new requests (611).
    let close = failure == nil && codeOf { try c.encodeRequest(payload: Data("q".utf8)) } == 611
    return (HttpOutcome(events: events, errorCode: failure?.0, extra: "close=\(close)"), failure?.1)
}

private func checkSplits(_ c: VectorCase, _ wire: Data, _ want: HttpOutcome, mention: String?,
                         _ decode: ([Data]) throws -> (HttpOutcome, String?)) throws {
    for chunks in splits(wire) {
        let (got, message) = try decode(chunks)
        XCTAssertEqual(got, want, "\(c.label) decoded (\(chunks.count) chunks)")
        if let mention = mention {
            XCTAssertTrue(message?.contains(mention) == true, "\(c.label): error '\(message ?? "")' lacks \(mention)")
        }
    }
}

// MARK: - Round trips and API behaviour

private struct Setup {
    let name: String
    let client: ClientTransportConfig
    let server: ServerTransportConfig
    let obfuscated: Bool
    let fakeTls: Bool
    let secretIndex: UInt32?
}

private func setups() -> [Setup] {
    var out: [Setup] = []
    let plainServer = ServerTransportConfig()
    for k in [TransportKind.abridged, .intermediate, .paddedIntermediate, .full] {
        out.append(Setup(name: "plain \(k)", client: ClientTransportConfig(kind: k), server: plainServer,
                         obfuscated: false, fakeTls: false, secretIndex: nil))
    }
    for k in [TransportKind.abridged, .intermediate, .paddedIntermediate] {
        out.append(Setup(name: "obfuscated \(k)", client: ClientTransportConfig(kind: k, obfuscate: true, dcId: -4),
                         server: plainServer, obfuscated: true, fakeTls: false, secretIndex: nil))
    }
    let proxy = ServerTransportConfig(secrets: [simpleSecret, ddSecret, eeSecret], allowPlain: false,
                                      allowObfuscatedWithoutSecret: false, allowHttp: false)
    out.append(Setup(name: "16-byte secret", client: ClientTransportConfig(kind: .intermediate, dcId: 2, secret: simpleSecret),
                     server: proxy, obfuscated: true, fakeTls: false, secretIndex: 0))
    out.append(Setup(name: "dd secret", client: ClientTransportConfig(kind: .paddedIntermediate, dcId: 10002, secret: ddSecret),
                     server: proxy, obfuscated: true, fakeTls: false, secretIndex: 1))
    out.append(Setup(name: "ee secret (fake TLS)", client: ClientTransportConfig(kind: .paddedIntermediate, dcId: 2, secret: eeSecret),
                     server: proxy, obfuscated: true, fakeTls: true, secretIndex: 2))
    out.append(Setup(name: "HTTP", client: ClientTransportConfig(kind: .http, httpHost: "example.org:80"), server: plainServer,
                     obfuscated: false, fakeTls: false, secretIndex: nil))
    return out
}

/// Moves everything `from` has to transmit to `to`, in chunks of `chunk` bytes.
private func pump(_ from: () throws -> Data?, _ to: (Data) throws -> Void, _ chunk: Int) throws {
    while let data = try from() {
        let bytes = [UInt8](data)
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + chunk)
            try to(Data(bytes[i..<end]))
            i = end
        }
    }
}

private func drain(_ poll: () throws -> Inbound?) throws -> [Inbound] {
    var out: [Inbound] = []
    while let i = try poll() { out.append(i) }
    return out
}

private func roundTrip(_ s: Setup, chunk: Int) throws {
    let now = UInt64(Date().timeIntervalSince1970 * 1000)
    let client = try ClientTransport(config: s.client, nowMs: now)
    let server = try ServerTransport(config: s.server)
    let up = { try pump({ try client.pollTransmit() }, { try server.handleInput(bytes: $0, nowMs: now) }, chunk) }
    let down = { try pump({ try server.pollTransmit() }, { try client.handleInput(bytes: $0) }, chunk) }
    let kind = s.client.kind
    let http = kind == .http
    let padded = kind == .paddedIntermediate
    let quickAcks = kind != .full && !http
    let dc: Int16? = s.obfuscated ? s.client.dcId : nil
    // Client to server, then the answer.
    // (Byte by byte, the 16 KiB payload would only cost time.)
    let sizes = chunk == 1 ? [72, 4, 1024] : [72, 4, 1024, 16 * 1024 + 4]
    for (i, size) in sizes.enumerated() {
        let sent = payload(size, i)
        try client.send(payload: sent, quickAck: false)
        try up()
        let got = try drain { try server.pollInbound() }
        XCTAssertEqual(got.count, 1, "\(s.name): packets at the server")
        checkPacket(sent, got.first, quickAck: false, padded: padded, "\(s.name) up \(size)")
        let d = try server.detected()
        XCTAssertEqual(d?.kind, kind, "\(s.name) detected kind")
        XCTAssertEqual(d?.obfuscated, s.obfuscated, "\(s.name) detected obfuscated")
        XCTAssertEqual(d?.fakeTls, s.fakeTls, "\(s.name) detected fake TLS")
        XCTAssertEqual(d?.secretIndex, s.secretIndex, "\(s.name) detected secret")
        XCTAssertEqual(d?.dcId, dc, "\(s.name) detected dc")
        let answer = payload(size + 8, i + 100)
        try server.send(payload: answer)
        try down()
        let back = try drain { try client.pollInbound() }
        XCTAssertEqual(back.count, 1, "\(s.name): packets at the client")
        checkPacket(answer, back.first, quickAck: false, padded: padded, "\(s.name) down \(size)")
    }
    // A quick ack where the framing has them.
    let token = try quickAckToken(msgKeyLarge: Data((0..<32).map { UInt8(truncatingIfNeeded: $0 &* 5) }))
    if quickAcks {
        let sent = payload(96, 7)
        try client.send(payload: sent, quickAck: true)
        try up()
        checkPacket(sent, try drain { try server.pollInbound() }.first, quickAck: true, padded: padded,
                    "\(s.name) quick-ack request")
        try server.sendQuickAck(token: token)
        try down()
        XCTAssertEqual(try drain { try client.pollInbound() }, [.quickAck(token: token)], "\(s.name) quick ack")
    } else {
        expectTransportCode(611, "\(s.name): quick-ack request") { try client.send(payload: payload(8, 1), quickAck: true) }
    }
    // A transport error (over HTTP it answers a waiting request).
    if http {
        try client.send(payload: payload(8, 2), quickAck: false)
        try up()
        XCTAssertEqual(try drain { try server.pollInbound() }.count, 1, "\(s.name): request lost")
    }
    try server.sendTransportError(code: -404)
    try down()
    XCTAssertEqual(try drain { try client.pollInbound() }, [.transportError(code: -404)], "\(s.name) transport error")
}

final class TransportApiTests: XCTestCase {
    func testRoundTripsEveryKindAndChunking() throws {
        for s in setups() {
            for chunk in [1, 7, 1 << 20] {
                try roundTrip(s, chunk: chunk)
            }
        }
    }

    func testRefusedConnectionsAndStickyErrors() throws {
        let config = ServerTransportConfig(secrets: [ddSecret], allowPlain: false,
                                           allowObfuscatedWithoutSecret: false, allowHttp: false)
        let clients = [
            ClientTransportConfig(kind: .paddedIntermediate, secret: "dd" + String(repeating: "ff", count: 16)),
            ClientTransportConfig(kind: .intermediate, obfuscate: true),
            ClientTransportConfig(kind: .intermediate),
        ]
        for clientConfig in clients {
            let c = try ClientTransport(config: clientConfig, nowMs: 0)
            try c.send(payload: payload(72, 1), quickAck: false)
            let s = try ServerTransport(config: config)
            var code: UInt32? = nil
            while code == nil, let bytes = try c.pollTransmit() {
                code = codeOf { try s.handleInput(bytes: bytes, nowMs: 0) }
            }
            XCTAssertTrue(code == 605 || code == 606, "\(clientConfig.kind): refused with \(String(describing: code))")
            XCTAssertEqual(codeOf { try s.handleInput(bytes: Data(count: 4), nowMs: 0) }, code, "sticky handleInput")
            XCTAssertEqual(codeOf { try s.send(payload: Data(count: 4)) }, code, "sticky send")
            XCTAssertNil(try s.detected(), "nothing detected")
        }
        // A client's decoding error is sticky too: an empty abridged packet.
        let c = try ClientTransport(config: ClientTransportConfig(kind: .abridged), nowMs: 0)
        assertBytes(Data([0xef]), try c.pollTransmit() ?? Data(), "abridged header")
        expectTransportCode(602, "empty abridged packet") { try c.handleInput(bytes: Data([0])) }
        expectTransportCode(602, "sticky send") { try c.send(payload: Data(count: 8), quickAck: false) }
        expectTransportCode(602, "sticky handleInput") { try c.handleInput(bytes: Data([1, 0, 0, 0, 0])) }
    }

    func testConfigurationErrorsAndDefaults() throws {
        expectTransportCode(610, "bad secret text") {
            try ClientTransport(config: ClientTransportConfig(kind: .intermediate, secret: "zz"), nowMs: 0)
        }
        expectTransportCode(610, "dd secret with intermediate") {
            try ClientTransport(config: ClientTransportConfig(kind: .intermediate, secret: ddSecret), nowMs: 0)
        }
        expectTransportCode(611, "obfuscated HTTP") {
            try ClientTransport(config: ClientTransportConfig(kind: .http, obfuscate: true), nowMs: 0)
        }
        expectTransportCode(606, "obfuscated full") {
            try ClientTransport(config: ClientTransportConfig(kind: .full, obfuscate: true), nowMs: 0)
        }
        expectTransportCode(610, "server with a bad secret") {
            try ServerTransport(config: ServerTransportConfig(secrets: ["00"]))
        }
        expectTransportCode(611, "HTTP host with a space") { try HttpClient(host: "a b") }
        // Defaults: DC 2, 16 MiB, everything a Telegram server accepts.
        let d = ClientTransportConfig(kind: .abridged)
        XCTAssertEqual(d.obfuscate, false)
        XCTAssertEqual(d.dcId, 2)
        XCTAssertNil(d.secret)
        XCTAssertEqual(d.httpHost, "")
        XCTAssertEqual(d.maxFrame, maxFrame)
        let sd = ServerTransportConfig()
        XCTAssertTrue(sd.secrets.isEmpty && sd.allowPlain && sd.allowObfuscatedWithoutSecret && sd.allowHttp)
        XCTAssertEqual(sd.maxFrame, maxFrame)
    }

    func testFramingCodec() throws {
        assertBytes(Data([0xef]), try framingHeader(kind: .abridged), "abridged header")
        assertBytes(Data([0xee, 0xee, 0xee, 0xee]), try framingHeader(kind: .intermediate), "intermediate header")
        assertBytes(Data([0xdd, 0xdd, 0xdd, 0xdd]), try framingHeader(kind: .paddedIntermediate), "padded header")
        assertBytes(Data(), try framingHeader(kind: .full), "full header")
        expectTransportCode(1, "HTTP header") { try framingHeader(kind: .http) }
        expectTransportCode(1, "HTTP codec") { try FramingCodec(kind: .http, role: .client, maxFrame: maxFrame) }
        XCTAssertEqual(try quickAckToken(msgKeyLarge: Data([1, 2, 3, 4]) + Data(count: 28)), 0x8403_0201)
        expectTransportCode(101, "quickAckToken of 31 bytes") { try quickAckToken(msgKeyLarge: Data(count: 31)) }
        assertBytes(Data([1, 2, 3]), stripPaddedIntermediatePadding(payload: Data([1, 2, 3])), "short input unchanged")

        let server = try FramingCodec(kind: .paddedIntermediate, role: .server, maxFrame: maxFrame)
        let client = try FramingCodec(kind: .paddedIntermediate, role: .client, maxFrame: maxFrame)
        let p = payload(80, 3)
        var sizes = Set<Int>()
        for _ in 0..<64 { sizes.insert(try client.encodePacket(payload: p, quickAck: false).count) }
        XCTAssertTrue(sizes.count > 1 && sizes.allSatisfy { (84...99).contains($0) }, "random padding sizes \(sizes)")
        try server.feed(bytes: try client.encodePacket(payload: p, quickAck: true))
        checkPacket(p, try server.poll(), quickAck: true, padded: true, "padded packet")
        try client.feed(bytes: try server.encodeQuickAck(token: 0x8000_0001))
        try client.feed(bytes: try server.encodeTransportError(code: -429))
        try client.feed(bytes: try server.encodePacket(payload: p, quickAck: false))
        let got = try drain { try client.poll() }
        XCTAssertEqual(Array(got.prefix(2)), [.quickAck(token: 0x8000_0001), .transportError(code: -429)], "control packets")
        checkPacket(p, got.count > 2 ? got[2] : nil, quickAck: false, padded: true, "server packet")
        expectTransportCode(611, "quick-ack request from the server") { try server.encodePacket(payload: p, quickAck: true) }
        expectTransportCode(611, "quick-ack reply from the client") { try client.encodeQuickAck(token: 0x8000_0001) }
        expectTransportCode(602, "token without its top bit") { try server.encodeQuickAck(token: 1) }
        expectTransportCode(602, "transport error -1") { try server.encodeTransportError(code: -1) }
        expectTransportCode(602, "unaligned payload") { try client.encodePacket(payload: Data(count: 5), quickAck: false) }
        expectTransportCode(602, "padding too long") {
            try client.encodePacketWithPadding(payload: Data(count: 8), quickAck: false, padding: Data(count: 16))
        }
        // Argument errors are not sticky.
        try server.feed(bytes: try client.encodePacket(payload: p, quickAck: false))
        checkPacket(p, try server.poll(), quickAck: false, padded: true, "after argument errors")

        let small = try FramingCodec(kind: .abridged, role: .server, maxFrame: 64)
        expectTransportCode(601, "frame over maxFrame") { try small.feed(bytes: Data([17])) }
        expectTransportCode(601, "sticky") { try small.feed(bytes: Data([1])) }

        let fullServer = try FramingCodec(kind: .full, role: .server, maxFrame: maxFrame)
        let fullClient = try FramingCodec(kind: .full, role: .client, maxFrame: maxFrame)
        let first = try fullClient.encodePacket(payload: payload(8, 1), quickAck: false)
        _ = try fullClient.encodePacket(payload: payload(8, 2), quickAck: false)
        let third = try fullClient.encodePacket(payload: payload(8, 3), quickAck: false)
        try fullServer.feed(bytes: first)
        checkPacket(payload(8, 1), try fullServer.poll(), quickAck: false, padded: false, "full first")
        expectTransportCode(603, "full sequence gap") { try fullServer.feed(bytes: third) }
        var bad = [UInt8](first)
        bad[bad.count - 1] ^= 1
        let crcServer = try FramingCodec(kind: .full, role: .server, maxFrame: maxFrame)
        expectTransportCode(604, "full CRC") { try crcServer.feed(bytes: Data(bad)) }
    }

    func testHttpCodecs() throws {
        let c = try HttpClient(host: "example.org")
        let s = HttpServer()
        XCTAssertNil(try s.rejectionStatus())
        expectTransportCode(611, "a response with nothing waiting") { try s.encodeResponse(payload: Data(count: 4)) }
        let first = try c.encodeRequest(payload: payload(8, 1))
        let second = try c.encodeRequest(payload: payload(8, 2))
        try s.feed(bytes: first + second)
        XCTAssertEqual(try c.pending(), 2)
        checkPacket(payload(8, 1), try s.poll(), quickAck: false, padded: false, "first request")
        checkPacket(payload(8, 2), try s.poll(), quickAck: false, padded: false, "second request")
        XCTAssertEqual(try s.pending(), 2)
        expectTransportCode(611, "transport error without a status") { try s.encodeTransportError(code: -1) }
        try c.feed(bytes: try s.encodeResponse(payload: payload(12, 3)))
        try c.feed(bytes: try s.encodeTransportError(code: -429))
        checkPacket(payload(12, 3), try c.poll(), quickAck: false, padded: false, "response")
        XCTAssertEqual(try c.poll(), Inbound.transportError(code: -429))
        XCTAssertEqual(try c.pending(), 0)
        XCTAssertNil(try s.pollTransmit())
        expectTransportCode(611, "error status 200") { try s.encodeError(status: 200) }

        let bad = HttpServer()
        expectTransportCode(608, "not HTTP") { try bad.feed(bytes: Data([0xef, 0x0a]) + Data(count: 40)) }
        guard let status = try bad.rejectionStatus() else {
            XCTFail("no rejection status")
            return
        }
        let answer = String(decoding: try bad.encodeError(status: status), as: UTF8.self)
        XCTAssertTrue(answer.hasPrefix("HTTP/1.1 \(status)"), "answer: \(answer)")
    }

    func testObfuscationHelpers() throws {
        let raw = hexData(eeSecret) ?? Data()
        assertBytes(raw, try parseProxySecret(text: eeSecret.uppercased()), "hex secret")
        let b64 = raw.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        assertBytes(raw, try parseProxySecret(text: b64), "base64url secret")
        assertBytes(hexData(ddSecret) ?? Data(), try parseProxySecret(text: " \(ddSecret) "), "dd secret")
        expectTransportCode(610, "15-byte secret") { try parseProxySecret(text: String(repeating: "00", count: 15)) }
        expectTransportCode(610, "not a secret") { try parseProxySecret(text: "not a secret!") }
        expectTransportCode(101, "63-byte init") { try isValidObfuscationInit(random: Data(count: 63)) }
        let random = Data((0..<64).map { UInt8($0 + 1) })
        XCTAssertTrue(try isValidObfuscationInit(random: random))
        expectTransportCode(606, "full cannot be obfuscated") {
            try obfuscationInit(random: random, kind: .full, dcId: 2, secret: nil)
        }
        expectTransportCode(1, "HTTP cannot be obfuscated") {
            try obfuscationInit(random: random, kind: .http, dcId: 2, secret: nil)
        }
        expectTransportCode(610, "dd secret needs padded") {
            try obfuscationInit(random: random, kind: .abridged, dcId: 2, secret: ddSecret)
        }
        let initial = try obfuscationInit(random: random, kind: .abridged, dcId: 2, secret: nil)
        assertBytes(Data(random.prefix(56)), Data(initial.header.prefix(56)), "header starts with the random")
        // AES-256-CTR.
        let key = Data(repeating: 1, count: 32), iv = Data(repeating: 2, count: 16)
        let data = payload(48, 5)
        let ct = try aesCtrApply(key: key, iv: iv, data: data)
        assertBytes(data, try aesCtrApply(key: key, iv: iv, data: ct), "CTR is its own inverse")
        expectTransportCode(101, "CTR key of 16 bytes") { try aesCtrApply(key: Data(count: 16), iv: iv, data: data) }
        expectTransportCode(101, "CTR iv of 32 bytes") { try aesCtrApply(key: key, iv: Data(count: 32), data: data) }
        // NIST SP 800-38A F.5.5, first block.
        assertBytes(hexData("601ec313775789a5b7a7f504bbf3d228") ?? Data(),
                    try aesCtrApply(key: hexData("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4") ?? Data(),
                                    iv: hexData("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff") ?? Data(),
                                    data: hexData("6bc1bee22e409f96e93d7e117393172a") ?? Data()), "NIST CTR")
        expectTransportCode(101, "key share candidate of 31 bytes") { try fakeTlsKeyShare(candidate: Data(count: 31)) }
        let order = Data((0..<15).map { UInt8($0) })
        expectTransportCode(610, "client hello for a dd secret") {
            try fakeTlsClientHello(secret: ddSecret, nowMs: 0, sessionId: Data(count: 32), greaseSeed: Data(count: 7),
                                   keyShare: Data(count: 32), extensionOrder: order)
        }
        expectTransportCode(607, "extension order not a permutation") {
            try fakeTlsClientHello(secret: eeSecret, nowMs: 0, sessionId: Data(count: 32), greaseSeed: Data(count: 7),
                                   keyShare: Data(count: 32), extensionOrder: Data(count: 15))
        }
        expectTransportCode(101, "extension order of 14") {
            try fakeTlsClientHello(secret: eeSecret, nowMs: 0, sessionId: Data(count: 32), greaseSeed: Data(count: 7),
                                   keyShare: Data(count: 32), extensionOrder: Data(count: 14))
        }
        expectTransportCode(607, "server hello without app data") {
            try fakeTlsServerHello(secret: eeSecret, clientRandom: Data(count: 32), sessionId: Data(count: 32),
                                   keyShare: Data(count: 32), appData: Data())
        }
        expectTransportCode(101, "server hello with a short client random") {
            try fakeTlsServerHello(secret: eeSecret, clientRandom: Data(count: 31), sessionId: Data(count: 32),
                                   keyShare: Data(count: 32), appData: Data(count: 1))
        }
    }
}
