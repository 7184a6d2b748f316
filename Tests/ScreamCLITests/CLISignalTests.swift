import Foundation
import Testing

/// Behaviour that depends on the process's surroundings: signals and terminals.
///
/// SIGINT and SIGTERM stop a render cleanly (status 128 + signal, one sentence, no file); a
/// terminal on standard error gets a progress bar, a terminal on standard output gets no audio.
@Suite struct CLISignalTests {
    @Test(arguments: [(SIGINT, "SIGINT", "long.ogg"), (SIGTERM, "SIGTERM", "long.wav")])
    func signalMidRenderLeavesNothingAtTheOutputPath(signal: Int32, name: String, file: String) throws {
        let folder = try scratchFolder()
        var sawTemporaryFile = false
        let result = try ScreamBinary.run(["generate", file, "--preset", "classic", "--duration", "10m"], in: folder, timeout: 30) { process in
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline, !sawTemporaryFile {
                sawTemporaryFile = (try? entries(of: folder))?.contains { $0.hasPrefix(".\(file).") } ?? false
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
