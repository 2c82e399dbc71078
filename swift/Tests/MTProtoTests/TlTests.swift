import Foundation
import XCTest
import MTProto

/// tests/schema/api.tl, next to tests/vectors.
private func apiSchemaURL() -> URL {
    return vectorsDirectory()
        .deletingLastPathComponent()  // tests
        .appendingPathComponent("schema", isDirectory: true)
        .appendingPathComponent("api.tl")
}

/// One codec per schema, shared by every TL test (parsing api.tl takes a moment).
private let sharedApiCodec: Result<TlCodec, Error> = Result(catching: {
    try TlCodec(schemaText: try String(contentsOf: apiSchemaURL(), encoding: .utf8))
})
private let sharedMtprotoCodec: Result<TlCodec, Error> = Result(catching: { try TlCodec.mtproto() })

private func codec(named schema: String) throws -> TlCodec {
    switch schema {
    case "api": return try sharedApiCodec.get()
    case "mtproto": return try sharedMtprotoCodec.get()
    default: throw VectorError(description: "unknown schema '\(schema)'")
    }
}

/// A value parsed by JSONSerialization written back as JSON text.
private func tlJsonText(_ value: Any) throws -> String {
    let data = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])
    guard let text = String(data: data, encoding: .utf8) else {
        throw VectorError(description: "JSONSerialization wrote something that is not UTF-8")
    }
    return text
}

/// JSON text parsed with JSONSerialization (objects become NSDictionary, arrays NSArray).
private func tlParseJson(_ text: String) throws -> Any {
    return try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}

/// Whether two parsed JSON values are equal as values (key order does not matter).
private func tlJsonEqual(_ a: Any, _ b: Any) -> Bool {
    return NSArray(array: [a]).isEqual(to: [b])
}

/// Checks that the JSON text `actual` denotes the value `expected`.
private func tlAssertJson(_ expected: Any, _ actual: String, _ what: String,
                          file: StaticString = #filePath, line: UInt = #line) {
    do {
        let parsed = try tlParseJson(actual)
        if !tlJsonEqual(expected, parsed) {
            let want = (try? tlJsonText(expected)) ?? String(describing: expected)
            XCTFail("\(what): expected \(want), got \(actual)", file: file, line: line)
        }
    } catch {
        XCTFail("\(what): not JSON (\(error)): \(actual)", file: file, line: line)
    }
}

/// Runs `body`, checks it throws `MtprotoError.Failed` with `code`, and
/// returns the message ("" when it did not).
@discardableResult
private func tlAssertCode<T>(_ code: UInt32, _ what: String,
                             file: StaticString = #filePath, line: UInt = #line,
                             _ body: () throws -> T) -> String {
    do {
        _ = try body()
        XCTFail("\(what): expected an MtprotoError with code \(code), but nothing was thrown",
                file: file, line: line)
    } catch let MtprotoError.Failed(got, message) {
        XCTAssertEqual(got, code, "\(what): \(message)", file: file, line: line)
        XCTAssertFalse(message.isEmpty, "\(what): empty message", file: file, line: line)
        return message
    } catch {
        XCTFail("\(what): unexpected error \(error)", file: file, line: line)
    }
    return ""
}

/// The required call: invokeWithLayer(228, initConnection(..., help.getConfig)).
private let initConnectionJson = """
{
  "_": "invokeWithLayer",
  "layer": 228,
  "query": {
    "_": "initConnection",
    "api_id": 12345,
    "device_model": "Test device",
    "system_version": "1.0",
    "app_version": "0.1.0",
    "system_lang_code": "en",
    "lang_pack": "",
    "lang_code": "en",
    "query": {"_": "help.getConfig"}
  }
}
"""

/// Its bytes, field by field.
private let initConnectionHex = [
    "0d0d9bda",  // invokeWithLayer#da9b0d0d
    "e4000000",  // layer 228
    "a95ecdc1",  // initConnection#c1cd5ea9
    "00000000",  // flags: no proxy, no params
    "39300000",  // api_id 12345
    "0b5465737420646576696365",  // "Test device"
    "03312e30",  // "1.0"
    "05302e312e300000",  // "0.1.0"
    "02656e00",  // "en"
    "00000000",  // ""
    "02656e00",  // "en"
    "6b18f9c4",  // help.getConfig#c4f9186b
].joined()

private func hexBytes(_ s: String) throws -> Data {
    guard let d = hexData(s) else { throw VectorError(description: "bad hex literal \(s)") }
    return d
}

/// Every case of tests/vectors/tl.json.
final class TlVectorTests: XCTestCase {
    func testTlVectors() throws {
        for c in try loadVectors("tl.json") {
            let tl = try codec(named: try c.str("schema"))
            guard let json = c.fields["json"] else {
                throw VectorError(description: "\(c.label): missing field 'json'")
            }
            let text = try tlJsonText(json)
            let bytes = try c.bytes("hex")
            if let type = c.fields["type"] as? String {
                assertBytes(bytes, try tl.encodeAs(type: type, value: text), "\(c.label) encodeAs(\(type))")
                tlAssertJson(json, try tl.decodeAs(type: type, bytes: bytes), "\(c.label) decodeAs(\(type))")
            } else {
                assertBytes(bytes, try tl.encode(value: text), "\(c.label) encode")
                tlAssertJson(json, try tl.decode(bytes: bytes), "\(c.label) decode")
            }
            if let resultType = c.fields["result_type"] as? String {
                XCTAssertEqual(try tl.resultType(query: text), resultType, "\(c.label) resultType")
            }
        }
    }
}

/// The TL codec beyond the vectors: results, typed values, errors, threads.
final class TlApiTests: XCTestCase {
    func testInitConnectionByteForByteAndBack() throws {
        let api = try sharedApiCodec.get()
        let bytes = try api.encode(value: initConnectionJson)
        assertBytes(try hexBytes(initConnectionHex), bytes, "encode")
        let back = try api.decode(bytes: bytes)
        tlAssertJson(try tlParseJson(initConnectionJson), back, "decode")
        // Decoding emits the canonical form, which encodes to the same bytes.
        assertBytes(bytes, try api.encode(value: back), "re-encode")
        XCTAssertEqual(try api.resultType(query: initConnectionJson), "Config")
    }

    func testDecodeResultSeesThroughWrappers() throws {
        let api = try sharedApiCodec.get()
        let query = initConnectionJson.replacingOccurrences(of: "help.getConfig", with: "help.getNearestDc")
        XCTAssertEqual(try api.resultType(query: query), "NearestDc")
        let dc = #"{"_": "nearestDc", "country": "NL", "this_dc": 2, "nearest_dc": 4}"#
        let bytes = try api.encode(value: dc)
        tlAssertJson(try tlParseJson(dc), try api.decodeResult(query: query, bytes: bytes), "decodeResult")

        // The MTProto service schema: ping is answered by a pong.
        let mt = try TlCodec.mtproto()
        let ping = #"{"_": "ping", "ping_id": "-5"}"#
        XCTAssertEqual(try mt.resultType(query: ping), "Pong")
        let pong = #"{"_": "pong", "msg_id": "9223372036854775807", "ping_id": "-5"}"#
        tlAssertJson(try tlParseJson(pong), try mt.decodeResult(query: ping, bytes: try mt.encode(value: pong)),
                     "decodeResult(ping)")
        let ack = #"{"_": "msgs_ack", "msg_ids": ["4"]}"#
        tlAssertJson(try tlParseJson(ack), try mt.decode(bytes: try mt.encode(value: ack)), "msgs_ack")
    }

    func testEncodeAsDecodeAs() throws {
        let api = try sharedApiCodec.get()
        let longs = #"["-9223372036854775808", "0", "18"]"#
        let v = try api.encodeAs(type: "Vector<long>", value: longs)
        XCTAssertEqual(v.count, 8 + 3 * 8, "Vector<long> size")
        tlAssertJson(try tlParseJson(longs), try api.decodeAs(type: "Vector<long>", bytes: v), "decodeAs Vector<long>")
        assertBytes(try hexBytes("b5757299"), try api.encodeAs(type: "Bool", value: "true"), "Bool true")
        tlAssertJson(false, try api.decodeAs(type: "Bool", bytes: try hexBytes("379779bc")), "Bool false")
        assertBytes(try hexBytes("feffffff"), try api.encodeAs(type: "int", value: "-2"), "int")
        // A long may be given as a JSON number; it always decodes to a string.
        tlAssertJson("7", try api.decodeAs(type: "long", bytes: try api.encodeAs(type: "long", value: "7")),
                     "long from a number")
        let empty = #"{"_": "inputPeerEmpty"}"#
        let peer = try api.encodeAs(type: "InputPeer", value: empty)
        tlAssertJson(try tlParseJson(empty), try api.decodeAs(type: "InputPeer", bytes: peer), "InputPeer")
    }

    func testErrorsCarryCodeAndPath() throws {
        let api = try sharedApiCodec.get()
        let bad = initConnectionJson.replacingOccurrences(of: "12345", with: "\"twelve\"")
        let message = tlAssertCode(310, "api_id \"twelve\"") { try api.encode(value: bad) }
        XCTAssertTrue(message.contains("invokeWithLayer.query.api_id"), "message has no path: \(message)")

        let bytes = try hexBytes(initConnectionHex)
        tlAssertCode(300, "truncated") { try api.decode(bytes: Data(bytes.prefix(bytes.count - 4))) }
        tlAssertCode(300, "one byte") { try api.decode(bytes: Data([1])) }
        tlAssertCode(300, "truncated decodeAs") { try api.decodeAs(type: "long", bytes: try hexBytes("01000000")) }
        tlAssertCode(306, "vector longer than the input") {
            try api.decodeAs(type: "Vector<long>", bytes: try hexBytes("15c4b51c02000000"))
        }
        tlAssertCode(301, "unknown constructor id") { try api.decode(bytes: try hexBytes("01020304")) }
        tlAssertCode(302, "trailing bytes") { try api.decode(bytes: bytes + Data(count: 4)) }
        tlAssertCode(311, "missing field") {
            try api.encode(value: #"{"_": "nearestDc", "country": "NL", "this_dc": 2}"#)
        }
        tlAssertCode(312, "unknown name") { try api.encode(value: #"{"_": "no.suchThing"}"#) }
        tlAssertCode(308, "schema that does not parse") { try TlCodec(schemaText: "this is not = a schema line") }
    }

    func testInvalidJsonIsInvalidArgument() throws {
        let api = try sharedApiCodec.get()
        for text in ["", "{", #"{"_": }"#, "nope", "[1,]"] {
            tlAssertCode(1, "encode '\(text)'") { try api.encode(value: text) }
            tlAssertCode(1, "encodeAs '\(text)'") { try api.encodeAs(type: "Bool", value: text) }
            tlAssertCode(1, "resultType '\(text)'") { try api.resultType(query: text) }
            tlAssertCode(1, "decodeResult '\(text)'") { try api.decodeResult(query: text, bytes: Data()) }
        }
        // Valid JSON of the wrong kind is a TL error instead.
        tlAssertCode(310, "a number where an object is expected") { try api.encode(value: "42") }
    }

    func testCodecSharedBetweenThreads() throws {
        let api = try sharedApiCodec.get()
        let failures = TlFailureCounter()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let json = initConnectionJson.replacingOccurrences(of: "228", with: "\(200 + i)")
            for _ in 0..<25 {
                do {
                    let back = try api.decode(bytes: try api.encode(value: json))
                    let same = tlJsonEqual(try tlParseJson(json), try tlParseJson(back))
                    if !same {
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
private final class TlFailureCounter: @unchecked Sendable {
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
