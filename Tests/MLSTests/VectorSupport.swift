import Foundation
import Testing
@testable import MLS

/// Loads the MLS working group's interop vectors from `Tests/Vectors/MLS/` (see its SOURCE.md).
enum Vectors {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tests/Vectors/MLS")

    /// The top-level array of a vector file.
    static func load(_ name: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        guard let array = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw VectorError.malformed(name)
        }
        return array
    }

    /// Entries for cipher suite 2, and a tally of the others, which are skipped.
    static func suite2(_ name: String, tally: inout Tally) throws -> [[String: Any]] {
        try suite2Indexed(name, tally: &tally).map(\.entry)
    }

    /// Entries for cipher suite 2 with their indices in the file; the others are tallied as skipped.
    static func suite2Indexed(_ name: String, tally: inout Tally) throws -> [(index: Int, entry: [String: Any])] {
        var kept: [(index: Int, entry: [String: Any])] = []
        for (index, entry) in try load(name).enumerated() {
            if entry["cipher_suite"] as? Int == 2 { kept.append((index, entry)) } else {
                tally.skip("cipher suite \(entry["cipher_suite"] ?? "none") is not supported")
            }
        }
        return kept
    }
}

enum VectorError: Error { case malformed(String) }

/// Per-file pass/skip counts printed at the end of a vector run.
struct Tally {
    let file: String
    var passed = 0
    var skipped: [String: Int] = [:]
    /// Indices (in the vector file) of skipped entries, by reason, where the reason is a missing feature.
    var skippedCases: [String: [Int]] = [:]

    init(_ file: String) { self.file = file }

    mutating func pass() { passed += 1 }

    mutating func skip(_ reason: String, entry: Int? = nil) {
        skipped[reason, default: 0] += 1
        if let entry { skippedCases[reason, default: []].append(entry) }
    }

    func report() {
        let skips = skipped.values.reduce(0, +)
        print("[vectors] \(file): \(passed) passed, \(skips) skipped")
        for (reason, count) in skipped.sorted(by: { $0.key < $1.key }) {
            let cases = skippedCases[reason].map { " (entries \($0.map(String.init).joined(separator: ", ")))" } ?? ""
            print("[vectors]   skip \(count): \(reason)\(cases)")
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    /// The hex string at `key` as bytes; a missing or malformed value records an issue.
    func hex(_ key: String) -> [UInt8] {
        guard let s = self[key] as? String, let bytes = [UInt8](hex: s) else {
            Issue.record("vector field \(key) is not hex")
            return []
        }
        return bytes
    }

    func int(_ key: String) -> Int { self[key] as? Int ?? -1 }

    func dict(_ key: String) -> [String: Any] { self[key] as? [String: Any] ?? [:] }
}

extension Array where Element == UInt8 {
    init?(hex: String) {
        guard hex.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            out.append(byte)
            index = next
        }
        self = out
    }

    var hexString: String { map { String(format: "%02x", $0) }.joined() }
}
