import Foundation
import Testing

/// What a child process produced.
struct ProcessResult {
    var status: Int32
    var stdout: Data
    var stderr: String
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs `executable` with its output captured in files (so neither pipe can fill up) and
/// waits at most `timeout` seconds; a child that overruns is terminated and recorded as an issue.
func runProcess(
    _ executable: String, _ arguments: [String], in directory: URL, environment: [String: String]? = nil,
    timeout: Double = 60, standardOutput: FileHandle? = nil, whileRunning: ((ChildProcess) -> Void)? = nil
) throws -> ProcessResult {
    let process = ChildProcess()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = directory
    if let environment { process.environment = environment }
    let outURL = directory.appendingPathComponent(".stdout-\(UUID().uuidString)")
    let errURL = directory.appendingPathComponent(".stderr-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
    }
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)
    process.standardOutput = standardOutput ?? out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    whileRunning?(process)
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning, Date() < deadline {
        Thread.sleep(forTimeInterval: 0.01)
    }
    if process.isRunning {
        process.terminate()
        Issue.record("\(executable) \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
    }
    process.waitUntilExit()
    try out.close()
    try err.close()
    return ProcessResult(
        status: process.terminationStatus,
        stdout: try Data(contentsOf: outURL),
        stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
}

/// Runs the built `scream` binary as a child process, the way a user would.
enum ScreamBinary {
    /// The package root, two folders above this file's folder.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The debug build of `scream`.
    ///
    /// `swift build --build-tests` builds it beside the tests. When it is missing it is built
    /// into a scratch folder of its own, because the running `swift test` holds the lock on
    /// `.build`.
    static let path: String = {
        let binary = packageRoot.appendingPathComponent(".build/debug/scream").path
        if FileManager.default.isExecutableFile(atPath: binary) { return binary }
        let scratch = packageRoot.appendingPathComponent(".build/cli-tests")
        _ = try? runProcess(
            "/usr/bin/env", ["swift", "build", "--product", "scream", "--scratch-path", scratch.path], in: packageRoot,
            timeout: 1200)
        return scratch.appendingPathComponent("debug/scream").path
    }()

    /// Runs `scream arguments` in `directory` with only `environment` plus PATH, COLUMNS=80
    /// and a HOME that holds no config file.
    static func run(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:], timeout: Double = 60,
        standardOutput: FileHandle? = nil, whileRunning: ((ChildProcess) -> Void)? = nil
    ) throws -> ProcessResult {
        let base = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "COLUMNS": "80",
            "HOME": directory.appendingPathComponent(".home").path,
        ]
        return try runProcess(
            path, arguments, in: directory, environment: base.merging(environment) { _, new in new },
            timeout: timeout, standardOutput: standardOutput, whileRunning: whileRunning)
    }
}

/// A fresh, empty folder for one test, with an empty HOME inside.
func scratchFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("scream-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url.appendingPathComponent(".home"), withIntermediateDirectories: true)
    return url
}

/// Every entry in `folder` except HOME, hidden temporary files included.
func entries(of folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0 != ".home" }.sorted()
}

/// Whether `tool` is on PATH.
func toolExists(_ tool: String) -> Bool {
    (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
        FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
    }
}

/// Runs an installed `tool` in `directory`.
func runTool(_ tool: String, _ arguments: [String], in directory: URL) throws -> ProcessResult {
    try runProcess("/usr/bin/env", [tool] + arguments, in: directory, timeout: 30)
}

extension Data {
    /// The little-endian integer of `width` bytes at `offset`.
    func littleEndian(at offset: Int, width: Int) -> Int {
        (0..<width).reduce(0) { $0 | Int(self[startIndex + offset + $1]) << (8 * $1) }
    }
}
