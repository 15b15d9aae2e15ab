#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written all at once or not at all: bytes go to a temporary file in
/// the target's folder, which is synced and then renamed over the target.
/// Until `commit` succeeds an existing file at the path is untouched.
public struct AtomicFile: ~Copyable {
    /// The path the file will have.
    public let path: String
    private let temporaryPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    /// Writes bytes to a descriptor; replaced in tests to simulate a full disk.
    private let writeBytes: (Int32, UnsafeRawBufferPointer) -> Int

    private static let flushSize = 1 << 20

    /// Creates the temporary file beside `path`.
    /// - Throws: `DataError` when the folder is missing or not writable.
    public init(path: String) throws(DataError) {
        try self.init(path: path, writeBytes: { fd, bytes in Glibc.write(fd, bytes.baseAddress, bytes.count) })
    }

    init(path: String, writeBytes: @escaping (Int32, UnsafeRawBufferPointer) -> Int) throws(DataError) {
        self.path = path
        self.writeBytes = writeBytes
        if path.hasSuffix("/") { throw DataError(path: path, message: "cannot write: is a directory") }
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw DataError(path: path, message: "cannot write: is a directory")
        }
        let folder = AtomicFile.folder(of: path)
        var name = ""
        var fd: Int32 = -1
        for attempt in 0 ..< 100 {
            name = folder + "/." + AtomicFile.fileName(path) + ".tmp-\(getpid())-\(attempt)"
            fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else {
            throw DataError(path: path, message: "cannot write: \(AtomicFile.systemError())" + (errno == ENOENT ? " (the folder does not exist)" : ""))
        }
        self.temporaryPath = name
        self.fd = fd
    }

    deinit {
        // Not committed: the target keeps what it had.
        if fd >= 0 {
            close(fd)
            unlink(temporaryPath)
        }
    }

    /// Appends bytes (buffered).
    public mutating func write<C: Collection>(_ bytes: C) throws(DataError) where C.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        if buffer.count >= AtomicFile.flushSize { try flush() }
    }

    /// Appends a string's UTF-8.
    public mutating func write(_ text: String) throws(DataError) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= AtomicFile.flushSize { try flush() }
    }

    /// Appends bytes; a large run goes to the file as it lies, not through
    /// the buffer (an array's hundreds of MB: no copy, no pages to fault in).
    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws(DataError) {
        guard bytes.count >= AtomicFile.flushSize else {
            buffer.append(contentsOf: bytes)
            if buffer.count >= AtomicFile.flushSize { try flush() }
            return
        }
        try flush()
        try writeAll(bytes)
    }

    private mutating func flush() throws(DataError) {
        defer { buffer.removeAll(keepingCapacity: true) }
        var failure: DataError?
        buffer.withUnsafeBytes { all in
            do throws(DataError) { try writeAll(all) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private func writeAll(_ all: UnsafeRawBufferPointer) throws(DataError) {
        var done = 0
        while done < all.count {
            let n = writeBytes(fd, UnsafeRawBufferPointer(rebasing: all[done...]))
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                let failure = n == 0 ? ENOSPC : errno
                throw DataError(path: path, message: "cannot write: \(String(cString: strerror(failure))); the file was left as it was")
            }
            done += n
        }
    }

    /// Writes what is buffered, syncs, and renames the temporary file over `path`.
    public consuming func commit() throws(DataError) {
        try flush()
        guard fsync(fd) == 0 else {
            throw DataError(path: path, message: "cannot write: \(AtomicFile.systemError()); the file was left as it was")
        }
        close(fd)
        fd = -1
        guard rename(temporaryPath, path) == 0 else {
            let reason = AtomicFile.systemError()
            unlink(temporaryPath)
            throw DataError(path: path, message: "cannot write: \(reason); the file was left as it was")
        }
        // The rename itself survives a crash once the folder is synced.
        let dir = open(AtomicFile.folder(of: path), O_RDONLY | O_CLOEXEC)
        if dir >= 0 {
            _ = fsync(dir)
            close(dir)
        }
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    private static func systemError() -> String { String(cString: strerror(errno)) }
}
