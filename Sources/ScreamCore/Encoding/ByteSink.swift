#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where encoded bytes go: an open file descriptor (a file, a pipe, standard output).
///
/// The sink does not own the descriptor; whoever opened it closes it.
public struct ByteSink: Sendable {
    /// The descriptor every write goes to.
    public let fileDescriptor: Int32

    /// A sink writing to `fileDescriptor`.
    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    /// A sink writing to standard output.
    public static var standardOutput: ByteSink { ByteSink(fileDescriptor: STDOUT_FILENO) }

    /// Writes all of `bytes`, retrying short writes and interruptions.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(EncodingError) {
        guard var next = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            #if canImport(Glibc)
            let written = Glibc.write(fileDescriptor, next, remaining)
            #else
            let written = Darwin.write(fileDescriptor, next, remaining)
            #endif
            if written < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(errno: errno)
            }
            remaining -= written
            next += written
        }
    }

    /// Writes all of `bytes`.
    public func write(_ bytes: [UInt8]) throws(EncodingError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(EncodingError) in try write(raw) } }.get()
    }
}
