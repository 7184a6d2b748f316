import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What `generate` does to each kind of output path: regular files are replaced atomically
/// and keep their mode, links are followed, devices and FIFOs are written straight through.
@Suite struct CLIOutputTargetTests {
    static let classicWAV = ["--preset", "classic", "--duration", "0.2s", "--format", "wav"]

    /// The bytes `generate` writes for `classicWAV` to a plain new file.
    static func referenceBytes(in folder: URL) throws -> Data {
        let result = try ScreamBinary.run(["generate", "reference.wav"] + classicWAV, in: folder)
        try #require(result.status == 0, "\(result.stderr)")
        defer { try? FileManager.default.removeItem(at: folder.appendingPathComponent("reference.wav")) }
        return try Data(contentsOf: folder.appendingPathComponent("reference.wav"))
    }

    static func fileType(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
    }

    /// Makes a character device node for `major:minor` in `folder`, or says why it cannot.
    static func characterDevice(_ name: String, major: UInt32, minor: UInt32, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent(name).path
        let made = mknod(path, S_IFCHR | 0o666, dev_t(major) << 8 | dev_t(minor))
        try #require(made == 0, "mknod needs root (CAP_MKNOD): \(String(cString: strerror(errno)))")
        return path
    }

    @Test func aCharacterDeviceStaysADeviceAndTakesTheAudio() throws {
        let folder = try scratchFolder()
        let null = try Self.characterDevice("null", major: 1, minor: 3, in: folder)
        let result = try ScreamBinary.run(["generate", "null"] + Self.classicWAV, in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.fileType(null) == S_IFCHR)
        #expect(try entries(of: folder) == ["null"])
    }

    @Test func aFullDeviceFailsWithASentenceAndStaysADevice() throws {
        let folder = try scratchFolder()
        let full = try Self.characterDevice("full", major: 1, minor: 7, in: folder)
        let result = try ScreamBinary.run(["generate", "full"] + Self.classicWAV, in: folder)
        #expect(result.status == 1)
        #expect(result.stderr == "error: Writing the output failed: the disk is full (no space left on device).\n")
        #expect(Self.fileType(full) == S_IFCHR)
        #expect(try entries(of: folder) == ["full"])
    }

    @Test func aFIFOReaderGetsTheSameBytesAsAFile() throws {
        let folder = try scratchFolder()
        let expected = try Self.referenceBytes(in: folder)
        let fifo = folder.appendingPathComponent("pipe").path
        try #require(mkfifo(fifo, 0o644) == 0)
        let received = Mutex<Data?>(nil)
        let reader = Thread {
            let handle = FileHandle(forReadingAtPath: fifo)
            let data = handle?.readDataToEndOfFile()
            received.withLock { $0 = data }
        }
        reader.start()
        let result = try ScreamBinary.run(["generate", "pipe"] + Self.classicWAV, in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let deadline = Date().addingTimeInterval(20)
        while received.withLock({ $0 }) == nil, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(received.withLock { $0 } == expected)
        #expect(Self.fileType(fifo) == S_IFIFO)
        #expect(try entries(of: folder) == ["pipe"])
    }

    @Test func aLinkToStandardOutputReachesThePipe() throws {
        let folder = try scratchFolder()
        let expected = try Self.referenceBytes(in: folder)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("stdout").path,
                                                   withDestinationPath: "/proc/self/fd/1")
        let command = "\"$0\" generate stdout " + Self.classicWAV.joined(separator: " ") + " | cat > piped.wav"
        let result = try runProcess("/bin/sh", ["-c", command, ScreamBinary.path], in: folder,
                                    environment: ["PATH": "/usr/bin:/bin", "HOME": folder.appendingPathComponent(".home").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Data(contentsOf: folder.appendingPathComponent("piped.wav")) == expected)
        #expect(Self.fileType(folder.appendingPathComponent("stdout").path) == S_IFLNK)
    }

    @Test func aSymbolicLinkIsFollowedAndKept() throws {
        let folder = try scratchFolder()
        let expected = try Self.referenceBytes(in: folder)
        let target = folder.appendingPathComponent("target.wav")
        try Data("old".utf8).write(to: target)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("link.wav").path,
                                                   withDestinationPath: "target.wav")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("dangling.wav").path,
                                                   withDestinationPath: "new.wav")
        for link in ["link.wav", "dangling.wav"] {
            let result = try ScreamBinary.run(["generate", link] + Self.classicWAV, in: folder)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(Self.fileType(folder.appendingPathComponent(link).path) == S_IFLNK)
        }
        #expect(try Data(contentsOf: target) == expected)
        #expect(try Data(contentsOf: folder.appendingPathComponent("new.wav")) == expected)
        #expect(try entries(of: folder) == ["dangling.wav", "link.wav", "new.wav", "target.wav"])
    }

    @Test func aReplacedFileKeepsItsModeAndOwner() throws {
        let folder = try scratchFolder()
        let path = folder.appendingPathComponent("kept.wav").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        try #require(chmod(path, 0o640) == 0)
        let owner: (uid_t, gid_t)? = geteuid() == 0 && chown(path, 4321, 4322) == 0 ? (4321, 4322) : nil
        let result = try ScreamBinary.run(["generate", "kept.wav"] + Self.classicWAV, in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        var info = stat()
        try #require(stat(path, &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o640)
        if let owner {
            #expect(info.st_uid == owner.0 && info.st_gid == owner.1)
        }
        #expect(info.st_size > 3)
    }

    @Test func aHardLinkedFileIsReplacedAndTheOtherNameKeepsTheOldBytes() throws {
        let folder = try scratchFolder()
        let path = folder.appendingPathComponent("a.wav").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        try #require(link(path, folder.appendingPathComponent("b.wav").path) == 0)
        let result = try ScreamBinary.run(["generate", "a.wav"] + Self.classicWAV, in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Data(contentsOf: folder.appendingPathComponent("b.wav")) == Data("old".utf8))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count > 3)
    }

    @Test func aUnixSocketIsWrittenThrough() throws {
        let folder = try scratchFolder()
        let expected = try Self.referenceBytes(in: folder)
        let script = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX); s.bind('sock'); s.listen(1); s.settimeout(30)
            open('ready', 'w').close()
            c, _ = s.accept(); data = b''
            while chunk := c.recv(65536): data += chunk
            open('received.wav', 'wb').write(data)
            """
        let server = ChildProcess()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", "-c", script]
        server.currentDirectoryURL = folder
        try server.run()
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("ready").path), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        let result = try ScreamBinary.run(["generate", "sock"] + Self.classicWAV, in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        while server.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if server.isRunning { server.terminate() }
        #expect(try Data(contentsOf: folder.appendingPathComponent("received.wav")) == expected)
        #expect(Self.fileType(folder.appendingPathComponent("sock").path) == S_IFSOCK)
    }

    @Test func aNameOf255BytesGetsAShorterTemporaryName() throws {
        let folder = try scratchFolder()
        let name = String(repeating: "s", count: 251) + ".ogg"
        let result = try ScreamBinary.run(["generate", name, "--preset", "classic", "--duration", "0.2s"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try entries(of: folder) == [name])
    }

    @Test func staleTemporaryFilesOfKilledRunsAreRemoved() throws {
        let folder = try scratchFolder()
        let stale = folder.appendingPathComponent(".out.ogg.scream-Ab12Cd")
        let fresh = folder.appendingPathComponent(".out.ogg.scream-Ef34Gh")
        let foreign = folder.appendingPathComponent(".out.ogg.Ij56Kl")
        for url in [stale, fresh, foreign] { try Data("partial".utf8).write(to: url) }
        let old = Date().addingTimeInterval(-120)
        for url in [stale, foreign] {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: url.path)
        }
        let result = try ScreamBinary.run(["generate", "out.ogg", "--preset", "classic", "--duration", "0.2s"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try entries(of: folder) == [".out.ogg.Ij56Kl", ".out.ogg.scream-Ef34Gh", "out.ogg"])
    }

    @Test func theSameScreamGivesTheSameOggBytesEveryWay() throws {
        let folder = try scratchFolder()
        let seed = ["--seed", "1", "--duration", "0.5s"]
        for run in [["generate", "a.ogg"] + seed, ["generate", "b.ogg"] + seed,
                    ["play", "--dry-run", "--output", "c.ogg"] + seed] {
            let result = try ScreamBinary.run(run, in: folder)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let printed = try ScreamBinary.run(["generate", "--print-params"] + seed, in: folder)
        try printed.stdout.write(to: folder.appendingPathComponent("p.yaml"))
        let replay = try ScreamBinary.run(["generate", "d.ogg", "--params", "p.yaml"], in: folder)
        #expect(replay.status == 0, "\(replay.stderr)")
        let piped = try ScreamBinary.run(["generate", "-"] + seed, in: folder)
        let a = try Data(contentsOf: folder.appendingPathComponent("a.ogg"))
        #expect(a.count > 1000)
        for name in ["b.ogg", "c.ogg", "d.ogg"] {
            #expect(try Data(contentsOf: folder.appendingPathComponent(name)) == a, "\(name)")
        }
        #expect(piped.stdout == a)
    }
}
