import Foundation
import Testing

@testable import ScreamFuzzing

/// Replays the committed fuzz inputs through the fuzz entry points: the seed corpus in
/// `Tests/Fuzz/Corpus/<target>/` and every input that once crashed, hung or leaked in
/// `Tests/Fuzz/Crashes/<target>/`. A regression traps and fails the run.
@Suite struct FuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz")

    /// The files of one folder of the regression corpus, sorted by name; none when the folder is absent.
    static func inputs(_ folder: String, _ target: FuzzTarget) throws -> [URL] {
        let directory = root.appendingPathComponent(folder).appendingPathComponent(target.rawValue)
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedsAndOnceCrashingInputsRunThroughTheTarget(_ target: FuzzTarget) throws {
        let seeds = try Self.inputs("Corpus", target)
        #expect(seeds.count >= 3, "every target has a handful of seeds")
        for input in try seeds + Self.inputs("Crashes", target) { target.run(Array(try Data(contentsOf: input))) }
    }

    @Test func everyRegressionFolderNamesATarget() throws {
        for folder in ["Corpus", "Crashes"] {
            let directory = Self.root.appendingPathComponent(folder)
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix(".") }
            #expect(names.allSatisfy { FuzzTarget(rawValue: $0) != nil }, "\(folder) holds \(names)")
        }
    }

    /// The dave seeds get past the framing: a Welcome, the session's own commit and another
    /// member's commit each end in an executed transition with end-to-end encrypted audio.
    @Test(arguments: ["welcomed-then-executed", "adds-member-commits-and-executes", "adds-two-then-member-commits"])
    func daveSeedReachesEncryptedMedia(_ seed: String) throws {
        let url = Self.root.appendingPathComponent("Corpus/dave").appendingPathComponent(seed)
        let script = DAVEFuzzing.run(Array(try Data(contentsOf: url)))
        guard case .encrypt = script.media else {
            Issue.record("the \(seed) script ends with media \(script.media)")
            return
        }
    }
}
