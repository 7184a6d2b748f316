import Testing
@testable import DAVE

@Suite struct DAVEModuleTests {
    @Test func moduleLoads() {
        #expect(String(describing: DAVE.self) == "DAVE")
    }
}
