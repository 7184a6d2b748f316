import Foundation
import Testing
@testable import ScreamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private let ffmpegInstalled = (try? FFmpegGenerator.locateExecutable(environment: ProcessInfo.processInfo.environment)) != nil

@Suite(.enabled(if: ffmpegInstalled, "ffmpeg is not installed (run `make setup`)"))
struct FFmpegRenderTests {
    @Test func classicRenderHasExactlyTheScreamsFramesRateAndChannels() throws {
        var generator = try FFmpegGenerator(params: Preset.classic.params)
        #expect(generator.sampleRate == 48_000 && generator.channels == 2)
        let samples = try renderAll(&generator)
        #expect(samples.count == 144_000 * 2)
        #expect(generator.framesRemaining == 0)
        #expect(stride(from: 0, to: samples.count, by: 2).allSatisfy { samples[$0] == samples[$0 + 1] })
        #expect(rms(samples) > 1000)
        // The limiter holds 0.95; ffmpeg converts to s16 with a scale of 32768: 0.95 × 32768 ≈ 31130.
        #expect(samples.map { abs(Int($0)) }.max()! <= 31_130)
    }

    @Test func monoRenderAtSixteenKilohertzHasTheRightFrameCount() throws {
        var params = Preset.whisper.params
        params.channels = 1
        params.sampleRate = 16_000
        params.duration = 0.75
        var generator = try FFmpegGenerator(params: params)
        #expect(try renderAll(&generator).count == 12_000)
    }

    @Test func twoRendersAreByteIdentical() throws {
        var first = try FFmpegGenerator(params: Preset.glitch.params)
        var second = try FFmpegGenerator(params: Preset.glitch.params)
        let a = try renderAll(&first, blockFrames: 960)
        let b = try renderAll(&second, blockFrames: 4096)
        #expect(a.count == 144_000 * 2)
        #expect(a == b)
    }

    @Test func differentGlobalSeedsGiveDifferentScreams() throws {
        var params = Preset.robot.params
        params.duration = 0.5
        var unseeded = try FFmpegGenerator(params: params)
        params.seed = 77
        var seeded = try FFmpegGenerator(params: params)
        #expect(try renderAll(&unseeded) != renderAll(&seeded))
    }

    @Test func zeroUserVolumeIsSilence() throws {
        var generator = try FFmpegGenerator(params: Preset.deathMetal.params.applyingVolume(0))
        let samples = try renderAll(&generator)
        #expect(samples.count == 192_000 * 2)
        #expect(samples.allSatisfy { $0 == 0 })
    }

    /// The bound the backend promises is 6 dB; the chain matches the native one closely enough
    /// that a 1 dB bound also holds, and it catches a misread filter option (an inverted
    /// crusher mix once cost 4.9 dB on whisper).
    @Test(arguments: Preset.allCases)
    func renderIsWithinSixDecibelsOfTheNativeRender(preset: Preset) throws {
        var ffmpeg = try FFmpegGenerator(params: preset.params)
        var native = ScreamGenerator(params: preset.params)
        let difference = 20 * log10(rms(try renderAll(&ffmpeg)) / rms(try renderAll(&native)))
        #expect(abs(difference) <= 6, "ffmpeg render is \(difference) dB from the native one")
        #expect(abs(difference) <= 1, "ffmpeg render is \(difference) dB from the native one")
    }

    @Test func cancelKillsAndReapsFFmpeg() throws {
        var generator = try FFmpegGenerator(params: Preset.banshee.params)
        var block = [Int16](repeating: 0, count: 1920)
        #expect(try block.withUnsafeMutableBufferPointer { try generator.read(into: $0) } == 960)
        let pid = generator.processIdentifier
        generator.cancel()
        #expect(isGone(pid))
        #expect(throws: CancellationError.self) {
            try block.withUnsafeMutableBufferPointer { try generator.read(into: $0) }
        }
    }

    @Test func droppingTheGeneratorKillsAndReapsFFmpeg() throws {
        let pid = try {
            var generator = try FFmpegGenerator(params: Preset.banshee.params)
            var block = [Int16](repeating: 0, count: 1920)
            _ = try block.withUnsafeMutableBufferPointer { try generator.read(into: $0) }
            return generator.processIdentifier
        }()
        #expect(isGone(pid))
    }

    @Test func taskCancellationKillsFFmpegAndThrows() async throws {
        let task = Task {
            var generator = try FFmpegGenerator(params: Preset.banshee.params)
            withUnsafeCurrentTask { $0?.cancel() }
            var block = [Int16](repeating: 0, count: 1920)
            let outcome = Result { try block.withUnsafeMutableBufferPointer { try generator.read(into: $0) } }
            return (generator.processIdentifier, outcome)
        }
        let (pid, outcome) = try await task.value
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(isGone(pid))
    }
}

@Suite struct FFmpegFailureTests {
    @Test func missingExecutableAtScreamFFmpegSaysHowToFixIt() {
        let environment = ["SCREAM_FFMPEG": "/nonexistent/bin/ffmpeg", "PATH": "/usr/bin:/bin"]
        #expect(throws: FFmpegError.notExecutable(path: "/nonexistent/bin/ffmpeg")) {
            try FFmpegGenerator(params: Preset.classic.params, environment: environment)
        }
    }

    @Test func ffmpegMissingFromPathSaysHowToInstallIt() {
        #expect(throws: FFmpegError.notFound) {
            try FFmpegGenerator(params: Preset.classic.params, environment: ["PATH": "/nonexistent/bin"])
        }
        let message = FFmpegError.notFound.description
        #expect(message.contains("apt-get install ffmpeg") && message.contains("make setup"))
        #expect(!message.contains("\n"))
    }

    @Test func nonZeroExitCarriesFFmpegsLastStderrLines() throws {
        let script = try FakeFFmpeg(body: """
            i=1
            while [ $i -le 8 ]; do echo "noise line $i" >&2; i=$((i + 1)); done
            echo "[Parsed_aevalsrc_0] Invalid chars at the end of expression" >&2
            exit 1
            """)
        var generator = try FFmpegGenerator(params: Preset.classic.params, environment: script.environment)
        let lastLines = "noise line 5\nnoise line 6\nnoise line 7\nnoise line 8\n[Parsed_aevalsrc_0] Invalid chars at the end of expression"
        #expect(throws: FFmpegError.failed(status: 1, stderr: lastLines)) { try renderAll(&generator) }
        #expect(FFmpegError.failed(status: 1, stderr: "a\nb").description == "ffmpeg exited with status 1: a / b.")
    }

    @Test func deathBySignalIsReportedWithTheSignalAndStderr() throws {
        let script = try FakeFFmpeg(body: "echo 'about to die' >&2\nkill -9 $$")
        var generator = try FFmpegGenerator(params: Preset.classic.params, environment: script.environment)
        #expect(throws: FFmpegError.killed(signal: 9, stderr: "about to die")) { try renderAll(&generator) }
    }

    @Test func cleanExitBeforeTheLastFrameIsAShortOutputError() throws {
        let script = try FakeFFmpeg(body: "head -c 4000 /dev/zero")
        var generator = try FFmpegGenerator(params: Preset.classic.params, environment: script.environment)
        #expect(throws: FFmpegError.shortOutput(expected: 144_000, produced: 1000)) { try renderAll(&generator) }
    }

    /// The fake ffmpeg writes nothing for 30 s, so the read blocks until `cancel()` kills it.
    @Test func cancelFromAnotherThreadUnblocksAPendingRead() throws {
        let script = try FakeFFmpeg(body: "exec sleep 30")
        var generator = try FFmpegGenerator(params: Preset.classic.params, environment: script.environment)
        let canceller = generator
        let started = ContinuousClock.now
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(200)) { canceller.cancel() }
        #expect(throws: CancellationError.self) { try renderAll(&generator) }
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(isGone(generator.processIdentifier))
    }

    @Test func ffmpegThatWritesNothingIsKilledAfterTheStallTimeout() throws {
        let script = try FakeFFmpeg(body: "exec sleep 600")
        var generator = try FFmpegGenerator(
            params: Preset.classic.params, environment: script.environment, stallTimeout: .seconds(1))
        let started = ContinuousClock.now
        #expect(throws: FFmpegError.stalled(path: script.path, timeout: .seconds(1))) { try renderAll(&generator) }
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(isGone(generator.processIdentifier))
    }

    @Test func ffmpegThatStopsWritingMidwayIsKilledAfterTheStallTimeout() throws {
        let script = try FakeFFmpeg(body: "head -c 4000 /dev/zero\nexec sleep 600")
        var generator = try FFmpegGenerator(
            params: Preset.classic.params, environment: script.environment, stallTimeout: .milliseconds(500))
        var block = [Int16](repeating: 0, count: 1000 * 2)
        #expect(try block.withUnsafeMutableBufferPointer { try generator.read(into: $0) } == 1000)
        #expect(throws: FFmpegError.stalled(path: script.path, timeout: .milliseconds(500))) { try renderAll(&generator) }
        #expect(isGone(generator.processIdentifier))
    }

    @Test func stallMessageNamesThePathAndTheTimeout() {
        #expect(
            FFmpegError.stalled(path: "/opt/ffmpeg", timeout: .seconds(10)).description
                == "ffmpeg at /opt/ffmpeg produced no output for 10 s, so it was stopped; check that it is a working ffmpeg.")
        #expect(FFmpegError.stalled(path: "f", timeout: .milliseconds(1500)).description.contains("for 1.5 s,"))
    }

    @Test func launchFailureIsATypedError() throws {
        let script = try FakeFFmpeg(body: "exit 0", interpreter: "/nonexistent/sh")
        #expect {
            try FFmpegGenerator(params: Preset.classic.params, environment: script.environment)
        } throws: { error in
            guard case let .launchFailed(path, _) = error as? FFmpegError else { return false }
            return path == script.path
        }
    }
}

/// A shell script standing in for ffmpeg, in its own temporary directory.
///
/// A child shell writes it, so no descriptor open for writing it is ever inherited by a
/// process another test starts meanwhile (running it would then fail with "Text file busy").
private struct FakeFFmpeg {
    let path: String

    init(body: String, interpreter: String = "/bin/sh") throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fake-ffmpeg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("ffmpeg").path
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", #"printf '%s\n' "$1" > "$2" && chmod 755 "$2""#, "sh", "#!\(interpreter)\n\(body)", path]
        try writer.run()
        writer.waitUntilExit()
        try #require(writer.terminationStatus == 0, "could not write \(path)")
    }

    var environment: [String: String] { ["SCREAM_FFMPEG": path] }
}

/// Reads `source` to its end in blocks of `blockFrames` frames.
private func renderAll<Source: PCMSource>(_ source: inout Source, blockFrames: Int = 960) throws -> [Int16] {
    var samples: [Int16] = []
    var block = [Int16](repeating: 0, count: blockFrames * source.channels)
    while true {
        let frames = try block.withUnsafeMutableBufferPointer { try source.read(into: $0) }
        if frames == 0 { return samples }
        samples.append(contentsOf: block[0..<(frames * source.channels)])
    }
}

private func rms(_ samples: [Int16]) -> Double {
    (samples.reduce(0) { $0 + Double($1) * Double($1) } / Double(samples.count)).squareRoot()
}

/// Whether no process (not even a zombie) has id `pid` any more.
private func isGone(_ pid: Int32) -> Bool {
    kill(pid, 0) == -1 && errno == ESRCH
}
