import Testing
@testable import MLS

@Suite struct MLSModuleTests {
    @Test func moduleLoads() {
        #expect(String(describing: MLS.self) == "MLS")
    }
}
