import Testing
@testable import DAVE

@Suite struct DisplayableCodeTests {
    @Test func epochAuthenticatorCodeHasSixGroupsOfFiveDigits() throws {
        let code = try DAVE.displayableCode(for: Array(0..<32))
        // By hand, the first group: 0x0001020304 = 16909060, mod 100000 = 09060. The whole code
        // matches dave.py's generate_displayable_code(bytes(range(32)), 30, 5).
        #expect(code.hasPrefix("09060"))
        #expect(code == "090606058512110636351516066685")
    }

    @Test func allOnesBytesGiveTheSameGroupEachTime() throws {
        // 0xFFFFFFFFFF = 1099511627775, mod 100000 = 27775.
        let code = try DAVE.displayableCode(for: [UInt8](repeating: 0xFF, count: 32))
        #expect(code == String(repeating: "27775", count: 6))
    }

    @Test func badShapesAndShortInputAreNamed() {
        #expect(throws: DAVEError.invalidDisplayableCodeShape(length: 30, groupSize: 8)) {
            try DAVE.displayableCode(for: Array(0..<32), length: 30, groupSize: 8)
        }
        #expect(throws: DAVEError.invalidDisplayableCodeShape(length: 30, groupSize: 4)) {
            try DAVE.displayableCode(for: Array(0..<32), length: 30, groupSize: 4)
        }
        #expect(throws: DAVEError.displayableCodeInputTooShort(needed: 30, got: 16)) {
            try DAVE.displayableCode(for: Array(0..<16))
        }
        #expect(DAVEError.displayableCodeInputTooShort(needed: 30, got: 16).description.contains("30 digits"))
    }
}
