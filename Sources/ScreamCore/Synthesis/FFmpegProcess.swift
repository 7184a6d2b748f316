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
/// The child is started with `posix_spawn` in a process group of its own, with stdin from
/// /dev/null, an empty signal mask and default dispositions for the signals `scream` traps
/// (the parent blocks or ignores them), so SIGKILL, Ctrl-C in its own group and the like work
/// on it as on any program.
///
/// One owner reads and finishes it; `kill()` may come from any thread (it unblocks a pending
/// read with end of stream). The lifecycle state is guarded by a lock, hence `@unchecked Sendable`.
final class FFmpegProcess: @unchecked Sendable {
    private enum State {
        case running
        case exited
        case killed
    }

    /// The signals whose disposition the child gets reset to the default.
    private static let defaultedSignals = [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE]

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift does not
    /// import: it keeps descriptors that other code opened without `O_CLOEXEC` (an output file
    /// being written, say) out of the child.
    private static let closeFrom: AddCloseFrom? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    /// The child's process id.
    let processIdentifier: pid_t
    private let executable: String
    private let stallTimeout: Duration
    private let stdout: Int32
    private let stderr: StderrTail
    private let lock = NSLock()
    private var state = State.running
    /// The raw `waitpid` status once the child was reaped.
    private var reapedStatus: Int32?

    /// Starts `executable` with `arguments`, stdin from /dev/null.
    ///
    /// - Parameter stallTimeout: how long a read waits for any output before the child is
    ///   killed and the read throws ``FFmpegError/stalled(path:timeout:)``.
    init(executable: String, arguments: [String], stallTimeout: Duration) throws(FFmpegError) {
        let out = try Self.makePipe(executable: executable)
        let err: (read: Int32, write: Int32)
        do {
            err = try Self.makePipe(executable: executable)
        } catch {
            close(out.read)
            close(out.write)
            throw error
        }
        var pid: pid_t = 0
        let code = Self.spawn(executable, arguments, stdout: out.write, stderr: err.write, pid: &pid)
        close(out.write)
        close(err.write)
        guard code == 0 else {
            close(out.read)
            close(err.read)
            throw .launchFailed(path: executable, reason: String(cString: strerror(code)))
        }
        processIdentifier = pid
        self.executable = executable
        self.stallTimeout = stallTimeout
        stdout = out.read
        stderr = StderrTail(reading: err.read)
    }

    deinit {
        kill()
        close(stdout)
    }

    /// Whether `kill()` stopped the child before it finished.
    var wasKilled: Bool {
        lock.withLock { state == .killed }
    }

    /// Reads up to `count` bytes of stdout into `destination`, retrying short reads; fewer
    /// bytes than asked only at end of stream.
    ///
    /// - Throws: ``FFmpegError/stalled(path:timeout:)`` (after killing the child) when no
    ///   output came for the stall timeout, ``FFmpegError/readFailed(errno:)`` when reading fails.
    func read(into destination: UnsafeMutableRawPointer, count: Int) throws(FFmpegError) -> Int {
        var filled = 0
        while filled < count {
            try waitForOutput()
            let got = systemRead(stdout, destination + filled, count - filled)
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
        case .killed: return _ = reap()
        case .exited: return
        }
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 1)
        defer { scratch.deallocate() }
        while try read(into: scratch, count: 4096) > 0 {}
        let status = reap()
        let killed = lock.withLock {
            if state == .running { state = .exited }
            return state == .killed
        }
        if killed { return }
        stderr.waitForEnd()
        let signal = status & 0x7f
        let exitStatus = (status >> 8) & 0xff
        if signal != 0 {
            throw .killed(signal: signal, stderr: stderr.lastLines)
        }
        if exitStatus != 0 {
            throw .failed(status: exitStatus, stderr: stderr.lastLines)
        }
    }

    /// Kills the child's process group with SIGKILL if the child still runs and reaps it;
    /// safe to call repeatedly and from any thread.
    func kill() {
        let running = lock.withLock {
            guard state == .running else { return false }
            state = .killed
            if reapedStatus == nil {
                _ = systemKill(-processIdentifier, SIGKILL)
            }
            return true
        }
        guard running else { return }
        _ = reap()
    }

    /// Waits up to the stall timeout for stdout to become readable (data or end of stream);
    /// kills the child and throws when nothing came.
    private func waitForOutput() throws(FFmpegError) {
        let milliseconds = stallTimeout.wholeMilliseconds
        var descriptor = pollfd(fd: stdout, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&descriptor, 1, Int32(clamping: milliseconds))
            if ready > 0 { return }
            if ready == 0 {
                kill()
                throw .stalled(path: executable, timeout: stallTimeout)
            }
            if errno != EINTR { throw .readFailed(errno: errno) }
        }
    }

    /// Waits for the child to exit and reaps it once; returns the raw `waitpid` status.
    ///
    /// The wait itself does not reap (`WNOWAIT`), so `kill()` never signals a process id that
    /// was already handed back to the system; reaping then happens under the lock.
    private func reap() -> Int32 {
        var info = siginfo_t()
        while waitid(P_PID, id_t(processIdentifier), &info, WEXITED | WNOWAIT) == -1, errno == EINTR {}
        return lock.withLock {
            if let reapedStatus { return reapedStatus }
            var status: Int32 = 0
            while waitpid(processIdentifier, &status, 0) == -1, errno == EINTR {}
            reapedStatus = status
            return status
        }
    }

    /// A pipe whose both ends close on exec; the child gets its end through `dup2`.
    private static func makePipe(executable: String) throws(FFmpegError) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw .launchFailed(path: executable, reason: String(cString: strerror(errno)))
        }
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        return (ends[0], ends[1])
    }

    /// Spawns the child into `pid`; returns 0 or the error number posix_spawn reported.
    private static func spawn(
        _ executable: String, _ arguments: [String], stdout: Int32, stderr: Int32, pid: inout pid_t
    ) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, stderr, STDERR_FILENO)
        _ = closeFrom?(&actions, STDERR_FILENO + 1)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaulted = sigset_t()
        sigemptyset(&defaulted)
        for signal in defaultedSignals {
            sigaddset(&defaulted, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaulted)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        return posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
    }
}

/// The last few kilobytes of a child's stderr, collected on a dedicated thread so a chatty
/// child never blocks on a full pipe; the thread closes the pipe at its end.
private final class StderrTail: @unchecked Sendable {
    private static let keptBytes = 4096
    private static let keptLines = 5
    private let lock = NSLock()
    private var tail: [UInt8] = []
    private let ended = DispatchSemaphore(value: 0)

    init(reading descriptor: Int32) {
        Thread.detachNewThread { [self] in
            var chunk = [UInt8](repeating: 0, count: 1024)
            while true {
                let got = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress!, $0.count) }
                if got > 0 {
                    append(chunk[0..<got])
                } else if got == 0 || errno != EINTR {
                    break
                }
            }
            close(descriptor)
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
