import Foundation
import XCTest

/// A problem with a vector file itself (not with the code under test).
struct VectorError: Error, CustomStringConvertible {
    let description: String
}

/// One case of a shared vector file (tests/vectors/*.json), with typed accessors.
struct VectorCase {
    let file: String
    let fields: [String: Any]

    var name: String { fields["name"] as? String ?? "?" }

    /// Where a failure message says the case came from.
    var label: String { "\(file) \(name)" }

    func str(_ key: String) throws -> String {
        guard let s = fields[key] as? String else {
            throw VectorError(description: "\(label): missing string field '\(key)'")
        }
        return s
    }

    /// A hex field as bytes.
    func bytes(_ key: String) throws -> Data {
        let s = try str(key)
        guard let d = hexData(s) else {
            throw VectorError(description: "\(label): field '\(key)' is not hex")
        }
        return d
    }

    /// A u64 written as a decimal string (JSON numbers cannot hold all of them).
    func u64(_ key: String) throws -> UInt64 {
        guard let v = UInt64(try str(key)) else {
            throw VectorError(description: "\(label): field '\(key)' is not a u64")
        }
        return v
    }

    func u32(_ key: String) throws -> UInt32 {
        let v = fields[key]
        if let n = v as? NSNumber { return n.uint32Value }
        if let i = v as? Int, let u = UInt32(exactly: i) { return u }
        if let s = v as? String, let u = UInt32(s) { return u }
        throw VectorError(description: "\(label): field '\(key)' is not a u32")
    }
}

/// The directory of the shared vectors: $MTPROTO_VECTORS, or tests/vectors of
/// the repository this file lives in (swift/Tests/MTProtoTests/ -> ../../../).
func vectorsDirectory() -> URL {
    if let env = ProcessInfo.processInfo.environment["MTPROTO_VECTORS"], !env.isEmpty {
        return URL(fileURLWithPath: env, isDirectory: true)
    }
    return URL(fileURLWithPath: "\(#filePath)")
        .deletingLastPathComponent()  // MTProtoTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // swift
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("tests", isDirectory: true)
        .appendingPathComponent("vectors", isDirectory: true)
}

/// All cases of one vector file; throws if the file is missing, malformed or empty.
func loadVectors(_ file: String) throws -> [VectorCase] {
    let url = vectorsDirectory().appendingPathComponent(file)
    let data = try Data(contentsOf: url)
    guard let root = try JSONSerialization.jsonObject(with: data, options: []) as? [String: Any] else {
        throw VectorError(description: "\(file): not a JSON object")
    }
    let version = (root["version"] as? NSNumber)?.intValue ?? (root["version"] as? Int)
    guard version == 1 else {
        throw VectorError(description: "\(file): unsupported version \(String(describing: root["version"]))")
    }
    guard let cases = root["cases"] as? [Any], !cases.isEmpty else {
        throw VectorError(description: "\(file): no cases")
    }
    return try cases.map { (c: Any) throws -> VectorCase in
        guard let fields = c as? [String: Any] else {
            throw VectorError(description: "\(file): a case is not an object")
        }
        return VectorCase(file: file, fields: fields)
    }
}

/// Decode lowercase or uppercase hex; nil if the string is not hex.
func hexData(_ s: String) -> Data? {
    let chars = Array(s.utf8)
    guard chars.count % 2 == 0 else { return nil }
    func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
    var out = [UInt8]()
    out.reserveCapacity(chars.count / 2)
    var i = 0
    while i < chars.count {
        guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
        out.append(hi << 4 | lo)
        i += 2
    }
    return Data(out)
}

/// Lowercase hex of some bytes, for failure messages.
func hexString(_ d: Data) -> String {
    return d.map { String(format: "%02x", $0) }.joined()
}

/// Checks two byte strings are equal, printing both in hex when they are not.
func assertBytes(_ expected: Data, _ actual: Data, _ what: String,
                 file: StaticString = #filePath, line: UInt = #line) {
    if expected != actual {
        XCTFail("\(what): expected \(hexString(expected)), got \(hexString(actual))", file: file, line: line)
    }
}
