import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An output path opened for writing, in the way its kind asks for.
///
/// - A regular file, or a path that does not exist yet, is written under a hidden temporary
///   name in its folder and renamed over the target by ``commit()``, so the path only ever
///   holds a complete file. An existing file keeps its permission bits (and its owner when
///   running as root); the rename gives it a new inode, so other hard links keep the old
///   contents.
/// - A symbolic link is followed and its target is written that way; the link stays.
/// - A character device, a FIFO or a Unix socket is written straight through, with no
///   temporary file: `/dev/null` stays a device and a FIFO's reader gets the audio.
///
/// Temporary files are named `.NAME.scream-XXXXXX`; opening a folder removes such files of
/// this user that have not been written for a minute, left by a run that was killed.
final class OutputFile {
    /// The path the user named.
    let path: String
    /// The hidden temporary file, for outputs that are renamed into place.
    let temporaryPath: String?
    /// Where the bytes go.
    let sink: ByteSink
    private let target: String
    private var isOpen = true

    /// How long a temporary file may go unwritten before it counts as left behind.
    static let staleAfter: TimeInterval = 60

    /// Opens `path` for writing; see the type's summary for what each kind of path gets.
    init(path: String) throws {
        if path.hasSuffix("/") { throw ServiceError.outputIsDirectory(path: path) }
        self.path = path
        var info = stat()
        if stat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                throw ServiceError.outputIsDirectory(path: path)
            case S_IFREG:
                target = try Self.resolvedTarget(of: path)
                if access(target, W_OK) != 0 { throw ServiceError.outputNotWritable(path: path, errno: errno) }
                (temporaryPath, sink) = try Self.createTemporary(for: target, userPath: path, like: info)
            case S_IFCHR, S_IFIFO:
                target = path
                temporaryPath = nil
                sink = ByteSink(fileDescriptor: try Self.openDirect(path))
            case S_IFSOCK:
                target = path
                temporaryPath = nil
                sink = ByteSink(fileDescriptor: try Self.connectSocket(path))
            default:
                throw ServiceError.outputUnsupportedKind(path: path, kind: "a block device")
            }
        } else if errno == ENOENT {
            target = Self.danglingTarget(of: path) ?? path
            (temporaryPath, sink) = try Self.createTemporary(for: target, userPath: path, like: nil)
        } else {
            throw ServiceError.outputNotWritable(path: path, errno: errno)
        }
    }

    deinit {
        discard()
    }

    /// Finishes the output: closes it and, for a temporary file, renames it over the target.
    func commit() throws {
        guard isOpen else { return }
        isOpen = false
        guard close(sink.fileDescriptor) == 0 else {
            let code = errno
            if let temporaryPath { unlink(temporaryPath) }
            throw EncodingError.writeFailed(errno: code)
        }
        guard let temporaryPath else { return }
        guard rename(temporaryPath, target) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw ServiceError.outputNotWritable(path: path, errno: code)
        }
    }

    /// Closes the output and removes a temporary file; does nothing after ``commit()``.
    func discard() {
        guard isOpen else { return }
        isOpen = false
        close(sink.fileDescriptor)
        if let temporaryPath { unlink(temporaryPath) }
    }

    // MARK: - Regular files

    /// Creates the temporary file beside `target`, with `existing`'s mode and owner or the
    /// default mode for a new file, after sweeping the folder of stale temporary files.
    private static func createTemporary(
        for target: String, userPath: String, like existing: stat?
    ) throws -> (String, ByteSink) {
        let (folder, name) = split(target)
        var info = stat()
        guard stat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw ServiceError.outputFolderMissing(path: userPath, folder: folder)
        }
        removeStaleTemporaries(in: folder)
        var template = Array("\(folder)/\(temporaryName(for: name))XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw ServiceError.outputNotWritable(path: userPath, errno: errno) }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        if let existing {
            if geteuid() == 0 { fchown(descriptor, existing.st_uid, existing.st_gid) }
            fchmod(descriptor, existing.st_mode & 0o7777)
        } else {
            let mask = umask(0)
            umask(mask)
            fchmod(descriptor, 0o666 & ~mask)
        }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return (temporary, ByteSink(fileDescriptor: descriptor))
    }

    /// The marker between a temporary file's name and its random part.
    static let temporaryMarker = ".scream-"

    /// `.NAME.scream-` with NAME cut (at a character boundary) so that the whole name,
    /// with mkstemp's six random characters, fits the 255 bytes a file name may have.
    static func temporaryName(for name: String) -> String {
        let room = 255 - 1 - temporaryMarker.utf8.count - 6
        var kept = ""
        var bytes = 0
        for character in name {
            let size = character.utf8.count
            guard bytes + size <= room else { break }
            kept.append(character)
            bytes += size
        }
        return "." + kept + temporaryMarker
    }

    /// Whether `name` has the form of this type's temporary files.
    static func isTemporaryName(_ name: String) -> Bool {
        guard name.hasPrefix("."), let marker = name.range(of: temporaryMarker, options: .backwards) else { return false }
        let random = name[marker.upperBound...]
        return random.count == 6 && random.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// Removes this user's temporary files in `folder` that have not been written for
    /// ``staleAfter`` seconds: what a killed run (SIGKILL, power loss) left behind.
    static func removeStaleTemporaries(in folder: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        let cutoff = time(nil) - Int(staleAfter)
        for name in names where isTemporaryName(name) {
            let path = "\(folder)/\(name)"
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_uid == geteuid(),
                info.st_mtim.tv_sec < cutoff
            else { continue }
            unlink(path)
        }
    }

    /// The file a path to an existing regular file names, with every symbolic link resolved.
    private static func resolvedTarget(of path: String) throws -> String {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return path }
        guard let resolved = realpath(path, nil) else { throw ServiceError.outputNotWritable(path: path, errno: errno) }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Where a dangling symbolic link points (following a chain of them), or `nil` when
    /// `path` is no symbolic link.
    private static func danglingTarget(of path: String) -> String? {
        var current = path
        for _ in 0..<40 {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(current, &buffer, buffer.count - 1)
            guard length >= 0 else { return current == path ? nil : current }
            let link = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : split(current).folder + "/" + link
        }
        return current
    }

    // MARK: - Devices, FIFOs and sockets

    private static func openDirect(_ path: String) throws -> Int32 {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else { throw ServiceError.outputNotWritable(path: path, errno: errno) }
        if isatty(descriptor) != 0 {
            close(descriptor)
            throw ServiceError.outputIsTerminal
        }
        return descriptor
    }

    private static func connectSocket(_ path: String) throws -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw ServiceError.outputNotWritable(path: path, errno: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in raw.copyBytes(from: bytes) }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw ServiceError.outputNotWritable(path: path, errno: errno) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            close(descriptor)
            throw ServiceError.outputNotWritable(path: path, errno: code)
        }
        return descriptor
    }

    /// The folder (`.` for a bare name) and the file name of `path`.
    private static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }
}
