import Foundation
@testable import ScreamCore

/// Temporary files and external tools for the encoder tests.
enum EncodingHarness {
    /// A fresh path in the temporary directory with the given extension.
    static func temporaryPath(_ ext: String) -> String {
        NSTemporaryDirectory() + "scream-test-\(UUID().uuidString).\(ext)"
    }

    /// Runs `body` with a sink on a new file at a temporary path, then returns the path.
    static func writeFile(_ ext: String, _ body: (ByteSink) throws -> Void) throws -> String {
        let path = temporaryPath(ext)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0, "cannot create \(path)")
        defer { close(fd) }
        do {
            try body(ByteSink(fileDescriptor: fd))
        } catch {
            unlink(path)
            throw error
        }
        return path
    }

    /// Runs `body` with a sink on a pipe that `cat` copies into a file at a temporary path,
    /// as when streaming to standard output; returns the path once `cat` has finished.
    static func writePipe(_ ext: String, _ body: (ByteSink) throws -> Void) throws -> String {
        let path = temporaryPath(ext)
        let cat = Process()
        cat.executableURL = URL(fileURLWithPath: "/bin/sh")
        cat.arguments = ["-c", "cat > '\(path)'"]
        let pipe = Pipe()
        cat.standardInput = pipe
        try cat.run()
        try body(ByteSink(fileDescriptor: pipe.fileHandleForWriting.fileDescriptor))
        try pipe.fileHandleForWriting.close()
        cat.waitUntilExit()
        return path
    }

    /// Whether an executable named `tool` is on the PATH.
    static func installed(_ tool: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
        }
    }

    /// Runs `tool` with `arguments`; returns its exit status and combined output. Times out after 60 s.
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The `data` chunk of a RIFF/WAVE file, found by walking its chunks.
    static func wavData(_ bytes: [UInt8]) -> ArraySlice<UInt8>? {
        var offset = 12
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self)
            let size = Int(littleEndian(bytes, offset + 4, as: UInt32.self))
            if id == "data" { return bytes[(offset + 8)..<min(bytes.count, offset + 8 + size)] }
            offset += 8 + size + (size & 1)
        }
        return nil
    }

    /// A little-endian integer read from `bytes` at `offset`.
    static func littleEndian<T: FixedWidthInteger>(_ bytes: [UInt8], _ offset: Int, as: T.Type) -> T {
        (0..<MemoryLayout<T>.size).reduce(T(0)) { $0 | T(bytes[offset + $1]) << (8 * $1) }
    }

    /// Every sample of `params`, rendered in blocks of `blockFrames`.
    static func render(_ params: ScreamParams, blockFrames: Int = 960) -> [Int16] {
        var generator = ScreamGenerator(params: params)
        var all = [Int16]()
        var block = [Int16](repeating: 0, count: blockFrames * params.channels)
        while true {
            let frames = block.withUnsafeMutableBufferPointer { generator.render(into: $0) }
            if frames == 0 { return all }
            all += block[..<(frames * params.channels)]
        }
    }
}
