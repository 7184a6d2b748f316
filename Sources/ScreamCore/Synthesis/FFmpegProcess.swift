import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One running ffmpeg child: its stdout is read by the owner, its stderr tail is kept by a
/// background thread, and it is always killed and reaped, at the latest when this object dies.
///
/// One owner reads and finishes it; `kill()` may come from any thread (it unblocks a pending
/// read with end of stream). The lifecycle state is guarded by a lock, hence `@unchecked Sendable`.
final class FFmpegProcess: @unchecked Sendable {
    private enum State {
        case running
        case exited
        case killed
    }

    private let process: Process
    private let stdout: FileHandle
    private let stderr: StderrTail
    private let lock = NSLock()
    private var state = State.running

    /// Starts `executable` with `arguments`, stdin from /dev/null.
    init(executable: String, arguments: [String]) throws(FFmpegError) {
        let process = Process()
        let out = Pipe()
        let err = Pipe()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            throw .launchFailed(path: executable, reason: error.localizedDescription)
        }
        self.process = process
        stdout = out.fileHandleForReading
        stderr = StderrTail(reading: err.fileHandleForReading)
    }

    deinit {
        kill()
    }

    /// Whether `kill()` stopped the child before it finished.
    var wasKilled: Bool {
        lock.withLock { state == .killed }
    }

    /// The child's process id.
    var processIdentifier: Int32 { process.processIdentifier }

    /// Reads up to `count` bytes of stdout into `destination`, retrying short reads; fewer
    /// bytes than asked only at end of stream.
    func read(into destination: UnsafeMutableRawPointer, count: Int) throws(FFmpegError) -> Int {
        var filled = 0
        while filled < count {
            let got = systemRead(stdout.fileDescriptor, destination + filled, count - filled)
            if got > 0 {
                filled += got
            } else if got == 0 {
                break
            } else if errno != EINTR {
                throw .readFailed(errno: errno)
            }
        }
        return filled
    }

    /// Drains stdout to its end, reaps the child and throws unless it exited with status 0.
    ///
    /// Only waits for the child to be reaped once `kill()` stopped it, and does nothing after
    /// an earlier `finish()`.
    func finish() throws(FFmpegError) {
        switch lock.withLock({ state }) {
        case .running: break
        case .killed: return process.waitUntilExit()
        case .exited: return
        }
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 1)
        defer { scratch.deallocate() }
        while try read(into: scratch, count: 4096) > 0 {}
        process.waitUntilExit()
        let killed = lock.withLock {
            if state == .running { state = .exited }
            return state == .killed
        }
        if killed { return }
        stderr.waitForEnd()
        let status = process.terminationStatus
        switch process.terminationReason {
        case .exit where status == 0:
            return
        case .exit:
            throw .failed(status: status, stderr: stderr.lastLines)
        case .uncaughtSignal:
            throw .killed(signal: status, stderr: stderr.lastLines)
        @unknown default:
            throw .failed(status: status, stderr: stderr.lastLines)
        }
    }

    /// Kills the child with SIGKILL if it still runs and reaps it; safe to call repeatedly.
    func kill() {
        let running = lock.withLock {
            guard state == .running else { return false }
            state = .killed
            return true
        }
        guard running else { return }
        if process.isRunning {
            _ = systemKill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }
}

/// The last few kilobytes of a child's stderr, collected on a dedicated thread so a chatty
/// child never blocks on a full pipe.
private final class StderrTail: @unchecked Sendable {
    private static let keptBytes = 4096
    private static let keptLines = 5
    private let lock = NSLock()
    private var tail: [UInt8] = []
    private let ended = DispatchSemaphore(value: 0)

    init(reading handle: FileHandle) {
        Thread.detachNewThread { [self] in
            var chunk = [UInt8](repeating: 0, count: 1024)
            while true {
                let got = chunk.withUnsafeMutableBytes { systemRead(handle.fileDescriptor, $0.baseAddress!, $0.count) }
                if got > 0 {
                    append(chunk[0..<got])
                } else if got == 0 || errno != EINTR {
                    break
                }
            }
            ended.signal()
        }
    }

    /// Blocks until the child closed its stderr.
    func waitForEnd() {
        ended.wait()
        ended.signal()
    }

    /// The last non-empty lines, joined by newlines.
    var lastLines: String {
        let text = lock.withLock { String(decoding: tail, as: UTF8.self) }
        let lines = text.split(whereSeparator: \.isNewline).suffix(Self.keptLines)
        return lines.joined(separator: "\n")
    }

    private func append(_ bytes: ArraySlice<UInt8>) {
        lock.withLock {
            tail.append(contentsOf: bytes)
            if tail.count > Self.keptBytes {
                tail.removeFirst(tail.count - Self.keptBytes)
            }
        }
    }
}

private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
    Darwin.read(fd, buffer, count)
    #elseif canImport(Musl)
    Musl.read(fd, buffer, count)
    #else
    Glibc.read(fd, buffer, count)
    #endif
}

private func systemKill(_ pid: Int32, _ signal: Int32) -> Int32 {
    #if canImport(Darwin)
    Darwin.kill(pid, signal)
    #elseif canImport(Musl)
    Musl.kill(pid, signal)
    #else
    Glibc.kill(pid, signal)
    #endif
}
