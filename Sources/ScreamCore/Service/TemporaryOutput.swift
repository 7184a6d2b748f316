#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file being written under a temporary name in its target folder, renamed over the
/// target by ``commit()`` and removed by ``discard()``, so the target path only ever holds a
/// complete file.
final class TemporaryOutput {
    /// The path the finished file will have.
    let path: String
    /// The hidden temporary file beside it.
    let temporaryPath: String
    /// The open temporary file.
    let sink: ByteSink
    private var open = true

    /// Checks `path` and creates the temporary file beside it.
    init(replacing path: String) throws {
        var info = stat()
        if path.hasSuffix("/") || (stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR) {
            throw ServiceError.outputIsDirectory(path: path)
        }
        let (folder, name) = Self.split(path)
        guard stat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw ServiceError.outputFolderMissing(path: path, folder: folder)
        }
        if access(path, F_OK) == 0, access(path, W_OK) != 0 {
            throw ServiceError.outputNotWritable(path: path, errno: errno)
        }
        var template = Array("\(folder)/.\(name).XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw ServiceError.outputNotWritable(path: path, errno: errno)
        }
        let mask = umask(0)
        umask(mask)
        fchmod(descriptor, 0o666 & ~mask)
        self.path = path
        temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        sink = ByteSink(fileDescriptor: descriptor)
    }

    deinit {
        discard()
    }

    /// Closes the temporary file and renames it over the target.
    func commit() throws {
        open = false
        guard close(sink.fileDescriptor) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw EncodingError.writeFailed(errno: code)
        }
        guard rename(temporaryPath, path) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw ServiceError.outputNotWritable(path: path, errno: code)
        }
    }

    /// Closes and removes the temporary file; does nothing after ``commit()``.
    func discard() {
        guard open else { return }
        open = false
        close(sink.fileDescriptor)
        unlink(temporaryPath)
    }

    /// The folder (`.` for a bare name) and the file name of `path`.
    private static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }
}
