import CFuzzer
import Foundation
import ScreamFuzzing

// The libFuzzer binary: `SCREAM_FUZZ_TARGET=<target> scream-fuzz [libFuzzer flags] [corpus…]`.
// SwiftPM gives every executable its own `main`; it hands control to libFuzzer's driver.

/// The target this process fuzzes, named by `SCREAM_FUZZ_TARGET`.
enum Chosen {
    static let target: FuzzTarget = {
        if let target = FuzzTarget(rawValue: ProcessInfo.processInfo.environment["SCREAM_FUZZ_TARGET"] ?? "") { return target }
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("SCREAM_FUZZ_TARGET must be one of: \(names).\n".utf8))
        exit(2)
    }()
}

/// libFuzzer's per-input hook: runs the chosen target on the bytes.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    Chosen.target.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

_ = Chosen.target
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in testOneInput(data, size) })
