import Testing
import Foundation

@Suite struct CLISmokeTests {
    @Test func binaryRuns() throws {
        #expect(FileManager.default.fileExists(atPath: #filePath))
    }
}
