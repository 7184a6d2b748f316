import Foundation

/// A child process started with `posix_spawn`, with the part of `Process`'s API the tests use.
///
/// Foundation's `Process.run()` on Linux reads `/proc/self/fd` with a 256-byte copy of each
/// directory entry, which can read past glibc's buffer into an unmapped page and crash the
/// test process when many descriptors are open (swift-corelibs-foundation pull request 5472,
/// after Swift 6.3.1). This type spawns directly and closes every descriptor above 2 in the child.
final class ChildProcess: @unchecked Sendable {
    /// The program to run.
    var executableURL: URL?
    /// Its arguments, without the program name.
    var arguments: [String] = []
    /// The folder it starts in; the test process's when nil.
    var currentDirectoryURL: URL?
    /// Its whole environment; the test process's when nil.
    var environment: [String: String]?
    /// Where its standard output goes; /dev/null when nil.
    var standardOutput: FileHandle?
    /// Where its standard error goes; /dev/null when nil.
    var standardError: FileHandle?
    /// Where its standard input comes from; /dev/null when nil.
    var standardInput: FileHandle?

    private let lock = NSLock()
    private var pid: pid_t = 0
    private var exitStatus: Int32?

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static let closeFrom: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }
    private static let changeDirectory: AddChdir? = dlsym(nil, "posix_spawn_file_actions_addchdir_np")
        .map { unsafeBitCast($0, to: AddChdir.self) }

    /// The child's process id, once it runs.
    var processIdentifier: Int32 { lock.withLock { pid } }

    /// Starts the child.
    func run() throws {
        guard let executable = executableURL?.path else { throw POSIXError(.ENOENT) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (handle, target, flags) in [(standardInput, STDIN_FILENO, O_RDONLY), (standardOutput, STDOUT_FILENO, O_WRONLY),
            (standardError, STDERR_FILENO, O_WRONLY)]
        {
            if let handle {
                posix_spawn_file_actions_adddup2(&actions, handle.fileDescriptor, target)
            } else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", flags, 0)
            }
        }
        if let directory = currentDirectoryURL?.path {
            guard let changeDirectory = Self.changeDirectory else { throw POSIXError(.ENOSYS) }
            _ = directory.withCString { changeDirectory(&actions, $0) }
        }
        _ = Self.closeFrom?(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaulted = sigset_t()
        sigemptyset(&defaulted)
        for signal in [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE] { sigaddset(&defaulted, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaulted)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let environment = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
        lock.withLock { pid = child }
    }

    /// Whether the child has not exited yet (reaps it once it has).
    var isRunning: Bool { reap(blocking: false) == nil }

    /// Sends SIGTERM.
    func terminate() {
        let pid = processIdentifier
        if pid > 0 { kill(pid, SIGTERM) }
    }

    /// Waits for the child to exit.
    func waitUntilExit() {
        _ = reap(blocking: true)
    }

    /// The exit status, or the signal that ended the child, as `Process` reports them.
    var terminationStatus: Int32 { reap(blocking: false) ?? 0 }

    private func reap(blocking: Bool) -> Int32? {
        lock.withLock {
            if let exitStatus { return exitStatus }
            guard pid > 0 else { return nil }
            var status: Int32 = 0
            while true {
                let reaped = waitpid(pid, &status, blocking ? 0 : WNOHANG)
                if reaped == -1, errno == EINTR { continue }
                guard reaped == pid else { return nil }
                break
            }
            let signal = status & 0x7f
            exitStatus = signal == 0 ? (status >> 8) & 0xff : signal
            return exitStatus
        }
    }
}
