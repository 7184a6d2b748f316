import Foundation
import ScreamFuzzing
import Testing

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
}
