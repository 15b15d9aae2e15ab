#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib
import ClusCore
import Synchronization

/// Standard input as a data source: `load "-"` reads it, once per process.
public enum StandardInput {
    /// The path that names standard input.
    public static let path = "-"
    /// What errors and `schema` call it.
    public static let displayName = "<stdin>"

    /// Why standard input cannot be read (the script came from it, an earlier
    /// load read it); nil while it is free.
    private static let taken = Mutex<String?>(nil)

    /// Says the script itself is read from standard input: `load "-"` then
    /// says so instead of finding it empty.
    public static func reserveForScript() {
        taken.withLock { $0 = "the script itself is read from standard input; give the script as a file or with -c" }
    }

    /// Takes standard input for one load, or says why it cannot be read.
    static func claim() throws(DataError) {
        if isatty(STDIN_FILENO) == 1 {
            throw DataError(path: path, message: "standard input is a terminal; pipe the documents in (… | clus -c 'load \"-\" format=jsonl')")
        }
        let reason = taken.withLock { reason in
            defer { reason = reason ?? "standard input was read by an earlier load \"-\"" }
            return reason
        }
        if let reason { throw DataError(path: path, message: "cannot read: \(reason)") }
    }
}

/// Reads a whole file into memory.
enum FileBytes {
    /// The bytes of the file at `path` (`-`: standard input), decompressed
    /// when the name ends in `.gz` or, for a pipe, when they are gzip data.
    /// A regular file is read at its size; a pipe, FIFO or device in chunks
    /// until its end (Ctrl-C stops a pipe that stalls).
    static func read(_ path: String, cancellation: Cancellation? = nil) throws -> [UInt8] {
        let (bytes, streamed) = try readRaw(path, cancellation: cancellation)
        let gzip = path.lowercased().hasSuffix(".gz") || (streamed && bytes.starts(with: [0x1F, 0x8B]))
        return gzip ? try gunzip(bytes, path: path) : bytes
    }

    /// Inflates gzip data (several members allowed, as `gzip -d` does).
    static func gunzip(_ input: [UInt8], path: String) throws(DataError) -> [UInt8] {
        guard input.count >= 2, input[0] == 0x1F, input[1] == 0x8B else {
            throw DataError(path: path, message: "not a gzip file (the name ends in .gz); give the real extension or format=")
        }
        var output = [UInt8](repeating: 0, count: max(input.count * 4, 1 << 16))
        var produced = 0
        var consumed = 0
        while consumed < input.count {
            var stream = z_stream()
            // 16 + MAX_WBITS: a gzip header and trailer around the deflate data.
            guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                throw DataError(path: path, message: "cannot read: zlib failed to start")
            }
            defer { inflateEnd(&stream) }
            var status = Z_OK
            input.withUnsafeBufferPointer { inBuffer in
                stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress! + consumed)
                stream.avail_in = UInt32(min(inBuffer.count - consumed, Int(UInt32.max)))
                while status == Z_OK {
                    if produced == output.count { output.append(contentsOf: repeatElement(0, count: output.count)) }
                    output.withUnsafeMutableBufferPointer { outBuffer in
                        stream.next_out = outBuffer.baseAddress! + produced
                        stream.avail_out = UInt32(min(outBuffer.count - produced, Int(UInt32.max)))
                        let before = stream.avail_out
                        status = inflate(&stream, Z_NO_FLUSH)
                        produced += Int(before - stream.avail_out)
                    }
                    if status == Z_BUF_ERROR && stream.avail_in == 0 { break }
                    if status == Z_BUF_ERROR { status = Z_OK }
                }
            }
            consumed = input.count - Int(stream.avail_in)
            guard status == Z_STREAM_END else {
                let reason = status == Z_DATA_ERROR ? "corrupt data" : status == Z_BUF_ERROR ? "the file is truncated" : "zlib error \(status)"
                throw DataError(path: path, message: "cannot decompress: \(reason)")
            }
            // Trailing zero padding after the last member is allowed.
            if input[consumed...].allSatisfy({ $0 == 0 }) { break }
        }
        output.removeLast(output.count - produced)
        return output
    }

    /// The size of the file at `path` and, for a `.gz` name, the size its
    /// gzip trailer gives for the decompressed text (ISIZE: the last member's
    /// length modulo 2³², raised by 4 GiB steps to at least the compressed
    /// size, as deflate seldom expands); nil when the file cannot be examined.
    static func sizes(_ path: String) -> (file: Int, text: Int)? {
        // stat first: opening a FIFO would wait for its writer, and closing it
        // again could cost the writer its data
        var info = stat()
        guard path != StandardInput.path, stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(info.st_size)
        guard path.lowercased().hasSuffix(".gz") else { return (size, size) }
        guard size >= 18 else { return (size, size) }
        var trailer = [UInt8](repeating: 0, count: 4)
        let n = trailer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 4, off_t(size - 4)) }
        guard n == 4 else { return (size, size) }
        var text = Int(trailer[0]) | Int(trailer[1]) << 8 | Int(trailer[2]) << 16 | Int(trailer[3]) << 24
        while text < size { text += 1 << 32 }
        return (size, text)
    }

    /// Throws what `read` would for a path that cannot be opened or is a folder.
    static func checkReadable(_ path: String) throws(DataError) -> Bool {
        guard path != StandardInput.path else { return true }
        var info = stat()
        guard stat(path, &info) == 0 else { throw DataError.cannotRead(path, reason: systemError()) }
        guard (info.st_mode & S_IFMT) != S_IFDIR else { throw DataError.cannotRead(path, reason: "is a directory") }
        return true
    }

    /// The file's bytes as stored, and whether they were streamed (not a regular file).
    private static func readRaw(_ path: String, cancellation: Cancellation?) throws -> ([UInt8], streamed: Bool) {
        if path == StandardInput.path {
            try StandardInput.claim()
            return (try readStream(STDIN_FILENO, path: path, cancellation: cancellation), true)
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DataError.cannotRead(path, reason: systemError()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DataError.cannotRead(path, reason: systemError()) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return (try readRegular(fd, size: Int(info.st_size), path: path), false)
        case S_IFDIR: throw DataError.cannotRead(path, reason: "is a directory")
        default: return (try readStream(fd, path: path, cancellation: cancellation), true)
        }
    }

    private static func readRegular(_ fd: Int32, size: Int, path: String) throws(DataError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: size)
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

    /// A pipe's bytes up to its end, in 1 MiB reads: its size is not known
    /// beforehand. A read interrupted by Ctrl-C stops the load.
    private static func readStream(_ fd: Int32, path: String, cancellation: Cancellation?) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR {
                try cancellation?.check()
                continue
            }
            guard n >= 0 else { throw DataError.cannotRead(path, reason: systemError()) }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<n])
        }
    }

    private static func systemError() -> String {
        String(cString: strerror(errno))
    }
}
