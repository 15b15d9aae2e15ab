#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole file into memory.
enum FileBytes {
    /// The bytes of the regular file at `path`.
    static func read(_ path: String) throws(DataError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DataError.cannotRead(path, reason: systemError()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DataError.cannotRead(path, reason: systemError()) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw DataError.cannotRead(path, reason: (info.st_mode & S_IFMT) == S_IFDIR ? "is a directory" : "not a regular file")
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(fd, buffer.baseAddress! + done, buffer.count - done)
            }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw DataError.cannotRead(path, reason: systemError()) }
            if n == 0 { break }     // the file shrank while we read it
            done += n
        }
        bytes.removeLast(bytes.count - done)
        return bytes
    }

    private static func systemError() -> String {
        String(cString: strerror(errno))
    }
}
