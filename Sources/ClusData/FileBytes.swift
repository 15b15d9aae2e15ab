#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// Reads a whole file into memory.
enum FileBytes {
    /// The bytes of the regular file at `path`, decompressed when it ends in `.gz`.
    static func read(_ path: String) throws(DataError) -> [UInt8] {
        let compressed = try readRaw(path)
        guard path.lowercased().hasSuffix(".gz") else { return compressed }
        return try gunzip(compressed, path: path)
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
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
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

    /// Throws what `read` would for a path that cannot be opened or is not a file.
    static func checkReadable(_ path: String) throws(DataError) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { throw DataError.cannotRead(path, reason: systemError()) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw DataError.cannotRead(path, reason: (info.st_mode & S_IFMT) == S_IFDIR ? "is a directory" : "not a regular file")
        }
        return true
    }

    private static func readRaw(_ path: String) throws(DataError) -> [UInt8] {
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
