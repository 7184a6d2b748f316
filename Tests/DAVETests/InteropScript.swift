import Foundation

/// A running Python program from Tests/Interop speaking JSON lines, killed if it takes longer than its deadline.
final class InteropScript {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffered = Data()

    init(_ script: String, deadline: TimeInterval = 60) throws {
        process.executableURL = LibdaveInteropTests.python
        process.arguments = [Vectors.packageRoot.appendingPathComponent("Tests/Interop/\(script)").path]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let process = self.process
        DispatchQueue.global().asyncAfter(deadline: .now() + deadline) {
            if process.isRunning { process.terminate() }
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// The next line the program printed; fails once it has exited or was killed.
    func readLine() throws -> Data {
        while true {
            if let newline = buffered.firstIndex(of: 0x0A) {
                let line = buffered[buffered.startIndex..<newline]
                buffered = Data(buffered[(newline + 1)...])
                return Data(line)
            }
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw ScriptGone() }
            buffered.append(chunk)
        }
    }

    func write(_ data: Data) throws {
        try input.fileHandleForWriting.write(contentsOf: data)
    }

    struct ScriptGone: Error, CustomStringConvertible {
        var description: String { "The interop program exited before answering." }
    }
}
