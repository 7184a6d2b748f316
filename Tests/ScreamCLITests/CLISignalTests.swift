import Foundation
import Testing

/// Behaviour that depends on the process's surroundings: signals and terminals.
///
/// SIGHUP, SIGINT, SIGQUIT and SIGTERM stop a render cleanly (status 128 + signal, one
/// sentence, no file), an ffmpeg child included; a terminal on standard error gets a progress
/// bar, a terminal on standard output gets no audio.
@Suite struct CLISignalTests {
    static let signals = [
        (SIGHUP, "SIGHUP", "long.ogg"), (SIGINT, "SIGINT", "long.ogg"), (SIGQUIT, "SIGQUIT", "long.wav"),
        (SIGTERM, "SIGTERM", "long.wav"),
    ]

    @Test(arguments: signals)
    func signalMidRenderLeavesNothingAtTheOutputPath(signal: Int32, name: String, file: String) throws {
        try expectCleanInterruption(
            ["generate", file, "--preset", "classic", "--duration", "10m"], temporaryPrefix: ".\(file).", signal: signal,
            name: name)
    }

    @Test(arguments: signals)
    func signalMidDryRunLeavesNoPreviewFile(signal: Int32, name: String, file: String) throws {
        try expectCleanInterruption(
            ["play", "--guild", "1", "--dry-run", "--output", "preview.ogg", "--preset", "classic", "--duration", "10m"],
            temporaryPrefix: ".preview.ogg.", signal: signal, name: name)
    }

    /// Runs `arguments`, sends `signal` once the temporary file exists, and expects the
    /// interruption sentence, status 128 + signal and an empty folder.
    private func expectCleanInterruption(_ arguments: [String], temporaryPrefix: String, signal: Int32, name: String) throws {
        let folder = try scratchFolder()
        var sawTemporaryFile = false
        let result = try ScreamBinary.run(arguments, in: folder, timeout: 30) { process in
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline, !sawTemporaryFile {
                sawTemporaryFile = (try? entries(of: folder))?.contains { $0.hasPrefix(temporaryPrefix) } ?? false
                Thread.sleep(forTimeInterval: 0.05)
            }
            Thread.sleep(forTimeInterval: 0.3)
            kill(process.processIdentifier, signal)
        }
        #expect(sawTemporaryFile)
        #expect(result.status == 128 + signal)
        #expect(result.stderr == "error: interrupted by \(name); no output file was left behind.\n")
        #expect(try entries(of: folder).isEmpty)
    }

    @Test(arguments: [(SIGINT, "SIGINT"), (SIGHUP, "SIGHUP")])
    func signalWhileFFmpegHangsKillsItAndExitsWithTheSentence(signal: Int32, name: String) throws {
        let fake = try HangingFFmpeg()
        let folder = try scratchFolder()
        var signalled: ContinuousClock.Instant?
        let result = try ScreamBinary.run(
            ["generate", "out.ogg", "--backend", "ffmpeg", "--preset", "classic"], in: folder, environment: fake.environment, timeout: 30
        ) { process in
            guard fake.waitForStart() != nil else { return }
            signalled = .now
            kill(process.processIdentifier, signal)
        }
        let child = try #require(fake.processIdentifier)
        #expect(ContinuousClock.now - (signalled ?? .now) < .seconds(5))
        #expect(result.status == 128 + signal)
        #expect(result.stderr == "error: interrupted by \(name); no output file was left behind.\n")
        #expect(try entries(of: folder).isEmpty)
        #expect(processIsGone(child))
    }

    /// Needs no timeout of its own: the 10 s stall timeout ends the render.
    @Test func hungFFmpegIsStoppedAfterTheStallTimeoutAndLeavesNoFile() throws {
        let fake = try HangingFFmpeg()
        let folder = try scratchFolder()
        let result = try ScreamBinary.run(
            ["generate", "out.ogg", "--backend", "ffmpeg", "--preset", "classic"], in: folder, environment: fake.environment, timeout: 60)
        #expect(result.status == 1)
        #expect(result.stderr == "error: ffmpeg at \(fake.path) produced no output for 10 s, so it was stopped; check that it is a working ffmpeg.\n")
        #expect(try entries(of: folder).isEmpty)
        #expect(processIsGone(try #require(fake.processIdentifier)))
    }

    /// `scream` blocks and ignores the signals it traps; ffmpeg must start with none blocked
    /// and none of them ignored, or it could not be stopped.
    ///
    /// The fake reads its own status with shell builtins only: while the shell forks a
    /// command it blocks every signal for a moment, which a forked `grep` would see.
    @Test func ffmpegStartsWithNoSignalBlockedOrIgnored() throws {
        let fake = try FakeProgram(body: #"""
            while IFS= read -r line; do case $line in Sig*) echo "$line";; esac; done < /proc/$$/status > "${0%/*}/signals"
            exit 1
            """#)
        let folder = try scratchFolder()
        let result = try ScreamBinary.run(
            ["generate", "out.ogg", "--backend", "ffmpeg", "--preset", "classic"], in: folder, environment: ["SCREAM_FFMPEG": fake.path])
        #expect(result.status == 1)
        let lines = try String(contentsOfFile: fake.folder.appendingPathComponent("signals").path, encoding: .utf8)
            .split(separator: "\n")
        func mask(_ name: String) throws -> UInt64 {
            let line = try #require(lines.first { $0.hasPrefix(name + ":") })
            return try #require(UInt64(line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces), radix: 16))
        }
        #expect(try mask("SigBlk") == 0)
        let trapped = [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE].reduce(UInt64(0)) { $0 | 1 << UInt64($1 - 1) }
        #expect(try mask("SigIgn") & trapped == 0)
    }

    /// A render blocked writing to a pipe nobody reads cannot notice a signal, so the trap ends
    /// the process once its grace has passed, and says so.
    @Test func aRenderBlockedOnAFullPipeExitsAfterTheGraceWithASentence() throws {
        let folder = try scratchFolder()
        let unread = Pipe()
        var signalled: ContinuousClock.Instant?
        let result = try ScreamBinary.run(
            ["generate", "-", "--format", "wav", "--preset", "classic", "--duration", "10m"], in: folder, timeout: 30,
            standardOutput: unread.fileHandleForWriting
        ) { process in
            // 10 minutes of WAV fill the pipe's 64 KiB within the first block.
            Thread.sleep(forTimeInterval: 1)
            signalled = .now
            kill(process.processIdentifier, SIGINT)
        }
        let waited = ContinuousClock.now - (try #require(signalled))
        #expect(result.status == 128 + SIGINT)
        #expect(result.stderr == "error: interrupted by SIGINT; scream did not stop in time and exited before finishing.\n")
        #expect(waited >= .milliseconds(1500))
        #expect(waited < .seconds(20))
        withExtendedLifetime(unread) {}
    }

    @Test func signalMidRenderRemovesTheImageToo() throws {
        let folder = try scratchFolder()
        var sawTemporaryImage = false
        let arguments = ["generate", "long.ogg", "--preset", "classic", "--duration", "10m", "--image", "long.png"]
        let result = try ScreamBinary.run(arguments, in: folder, timeout: 30) { process in
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline, !sawTemporaryImage {
                sawTemporaryImage = (try? entries(of: folder))?.contains { $0.hasPrefix(".long.png.") } ?? false
                Thread.sleep(forTimeInterval: 0.05)
            }
            Thread.sleep(forTimeInterval: 0.3)
            kill(process.processIdentifier, SIGINT)
        }
        #expect(sawTemporaryImage)
        #expect(result.status == 128 + SIGINT)
        #expect(result.stderr == "error: interrupted by SIGINT; no output file was left behind.\n")
        #expect(try entries(of: folder).isEmpty)
    }

    /// Runs `scream arguments` with a pseudo-terminal as its standard output and error.
    private func runOnTerminal(_ arguments: String, in folder: URL) throws -> ProcessResult {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "util-linux script provides the terminal for this test")
        let environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "TERM": "xterm",
            "HOME": folder.appendingPathComponent(".home").path,
        ]
        return try runProcess(
            "/usr/bin/script", ["-qfec", "\(ScreamBinary.path) \(arguments)", "/dev/null"], in: folder,
            environment: environment, timeout: 120)
    }

    @Test func audioIsNeverWrittenToATerminal() throws {
        let folder = try scratchFolder()
        let result = try runOnTerminal("generate - --preset classic", in: folder)
        #expect(result.status == 2)
        #expect(result.stdoutText == "error: refusing to write audio to a terminal; redirect standard output or give a file name.\r\n")
    }

    @Test func progressBarAppearsOnATerminalForALongRender() throws {
        let folder = try scratchFolder()
        let result = try runOnTerminal("generate out.ogg --preset classic --duration 40s", in: folder)
        #expect(result.status == 0)
        #expect(result.stdoutText.contains("rendering [") && result.stdoutText.contains("%"))
        #expect(try entries(of: folder) == ["out.ogg"])
    }
}

/// A shell script named `ffmpeg` in a folder of its own, outside the test's output folder.
///
/// A child shell writes it, so no descriptor open for writing it is ever inherited by a
/// process another test starts meanwhile (running it would then fail with "Text file busy").
private struct FakeProgram {
    let folder: URL
    let path: String

    init(body: String) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("scream-fake-ffmpeg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("ffmpeg").path
        let written = try runProcess(
            "/bin/sh", ["-c", #"printf '%s\n' "$1" > "$2" && chmod 755 "$2""#, "sh", "#!/bin/sh\n\(body)", path],
            in: folder, timeout: 10)
        try #require(written.status == 0, "could not write \(path): \(written.stderr)")
    }
}

/// A fake ffmpeg that records its process id and then hangs without writing anything.
private struct HangingFFmpeg {
    private let program: FakeProgram

    init() throws {
        program = try FakeProgram(body: "echo $$ > \"${0%/*}/pid\"\nexec sleep 600")
    }

    var path: String { program.path }
    var environment: [String: String] { ["SCREAM_FFMPEG": program.path] }

    /// The recorded process id, once the fake has started.
    var processIdentifier: Int32? {
        let text = try? String(contentsOfFile: program.folder.appendingPathComponent("pid").path, encoding: .utf8)
        return text.flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Waits up to 10 s for the fake to start; its process id, or `nil`.
    func waitForStart() -> Int32? {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let pid = processIdentifier { return pid }
            Thread.sleep(forTimeInterval: 0.02)
        }
        Issue.record("the fake ffmpeg did not start within 10 s")
        return nil
    }
}

/// Whether no process (not even a zombie) has id `pid`, waiting up to 5 s for it to go.
private func processIsGone(_ pid: Int32) -> Bool {
    let deadline = Date().addingTimeInterval(5)
    repeat {
        if kill(pid, 0) == -1, errno == ESRCH { return true }
        Thread.sleep(forTimeInterval: 0.02)
    } while Date() < deadline
    return false
}
