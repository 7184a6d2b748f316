#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an audio file could not be read back.
public enum DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file cannot be opened or read.
    case unreadable(path: String, errno: Int32)
    /// The file is neither Ogg Opus nor WAV.
    case notAudio(path: String)
    /// The file is Ogg Opus or WAV, but damaged or of a kind `scream` does not read.
    case damaged(path: String, reason: String)

    /// One sentence saying what went wrong.
    public var description: String {
        switch self {
        case .unreadable(let path, let code):
            "cannot read \(path): \(code == ENOENT ? "no such file" : String(cString: strerror(code)).lowercased())."
        case .notAudio(let path):
            "cannot read \(path): it is neither an Ogg Opus nor a WAV file."
        case .damaged(let path, let reason):
            "cannot read \(path): \(reason)."
        }
    }
}

/// A file opened for reading, closed when the last copy goes.
final class InputFile {
    let path: String
    let descriptor: Int32

    /// Opens `path` for reading.
    init(path: String) throws {
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { throw DecodingError.unreadable(path: path, errno: EISDIR) }
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw DecodingError.unreadable(path: path, errno: errno) }
        self.path = path
    }

    deinit {
        close(descriptor)
    }

    /// Reads up to `buffer.count` bytes; fewer only at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var done = 0
        while done < buffer.count {
            #if canImport(Glibc)
            let got = Glibc.read(descriptor, buffer.baseAddress! + done, buffer.count - done)
            #else
            let got = Darwin.read(descriptor, buffer.baseAddress! + done, buffer.count - done)
            #endif
            if got < 0 {
                if errno == EINTR { continue }
                throw DecodingError.unreadable(path: path, errno: errno)
            }
            if got == 0 { break }
            done += got
        }
        return done
    }

    /// The first `count` bytes of the file (fewer if it is shorter), without moving the read position.
    func peek(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, 0) }
        guard got >= 0 else { throw DecodingError.unreadable(path: path, errno: errno) }
        return Array(bytes[..<got])
    }

    /// The whole rest of the file.
    func readAll() throws -> [UInt8] {
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = try chunk.withUnsafeMutableBytes { raw in try read(into: raw) }
            bytes += chunk[..<got]
            if got < chunk.count { return bytes }
        }
    }
}
