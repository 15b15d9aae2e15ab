import CZlib
import ClusCore

/// The members of a ZIP archive, as NumPy's `np.savez` and
/// `np.savez_compressed` write them: stored or deflated, zip64 records for
/// large archives (NumPy asks for them on every member). Read from the
/// central directory at the end, which holds the sizes even when a local
/// header does not. Written here because the format's reading side is small
/// and zlib, already linked for gzip, does the inflating.
struct ZipArchive {
    struct Member {
        let name: String
        /// 0 stored, 8 deflated.
        let method: UInt16
        let crc: UInt32
        let compressedSize: Int
        let size: Int
        /// Where the member's (compressed) bytes start.
        let dataOffset: Int
    }

    let members: [Member]
    private let path: String

    /// The archive in `bytes` (the file at `path`): its directory, every
    /// member's place checked to lie within the file.
    init(_ bytes: UnsafeRawBufferPointer, path: String) throws(DataError) {
        self.path = path
        func fail(_ message: String) -> DataError { DataError(path: path, message: message) }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 }
        // Large values read as UInt64 and narrowed only when they fit.
        func offset(_ value: UInt64) throws(DataError) -> Int {
            guard value < UInt64(bytes.count) else { throw fail("truncated or not a ZIP archive: an offset past the end of the file") }
            return Int(value)
        }
        guard bytes.count >= 22 else {
            throw fail(bytes.isEmpty ? "empty file; not a .npz archive" : "not a .npz archive (too short for a ZIP archive's end record)")
        }
        // The end of central directory record: the last "PK\5\6" within the
        // largest comment's reach of the end.
        var end = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        while end >= lowest && !(bytes[end] == 0x50 && bytes[end + 1] == 0x4B && bytes[end + 2] == 5 && bytes[end + 3] == 6) {
            end -= 1
        }
        guard end >= lowest else {
            let zipStart = bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B
            throw fail(zipStart ? "truncated: the ZIP archive has no end record (the file was cut short?)"
                                : "not a .npz archive (no ZIP end record)")
        }
        var entries = UInt64(u16(end + 10)), directorySize = UInt64(u32(end + 12)), directoryStart = UInt64(u32(end + 16))
        if entries == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryStart == 0xFFFF_FFFF {
            // zip64: the locator just before the end record points at the zip64 end record
            let locator = end - 20
            guard locator >= 0, u32(locator) == 0x0706_4B50 else { throw fail("a zip64 archive without its zip64 end locator") }
            let record = try offset(u64(locator + 8))
            guard record + 56 <= bytes.count, u32(record) == 0x0606_4B50 else { throw fail("a zip64 archive without its zip64 end record") }
            entries = u64(record + 32)
            directorySize = u64(record + 40)
            directoryStart = u64(record + 48)
        }
        var at = try offset(directoryStart)
        guard directorySize <= UInt64(bytes.count - at) else { throw fail("truncated: the ZIP directory runs past the end of the file") }
        var members: [Member] = []
        var seen = Set<String>()
        for _ in 0 ..< entries {
            guard at + 46 <= bytes.count, u32(at) == 0x0201_4B50 else { throw fail("a damaged ZIP directory (entry \(members.count + 1))") }
            let flags = u16(at + 8), method = UInt16(u16(at + 10))
            let nameLength = u16(at + 28), extraLength = u16(at + 30), commentLength = u16(at + 32)
            guard at + 46 + nameLength + extraLength + commentLength <= bytes.count else {
                throw fail("a damaged ZIP directory (entry \(members.count + 1))")
            }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[at + 46 ..< at + 46 + nameLength]), as: UTF8.self)
            var compressed = UInt64(u32(at + 20)), size = UInt64(u32(at + 24)), local = UInt64(u32(at + 42))
            // zip64 extra field: the 8-byte values stand in for those written as all ones, in this order
            var extra = at + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = u16(extra), length = u16(extra + 2)
                if id == 1 {
                    var field = extra + 4
                    let fieldEnd = min(extraEnd, field + length)
                    func next() throws(DataError) -> UInt64 {
                        guard field + 8 <= fieldEnd else { throw fail("member '\(name)': a damaged zip64 field") }
                        defer { field += 8 }
                        return u64(field)
                    }
                    if size == 0xFFFF_FFFF { size = try next() }
                    if compressed == 0xFFFF_FFFF { compressed = try next() }
                    if local == 0xFFFF_FFFF { local = try next() }
                }
                extra += 4 + length
            }
            guard flags & 1 == 0 else { throw fail("member '\(name)' is encrypted") }
            let start = try offset(local)
            guard start + 30 <= bytes.count, u32(start) == 0x0403_4B50 else { throw fail("member '\(name)': no local header where the directory says") }
            let dataOffset = start + 30 + u16(start + 26) + u16(start + 28)
            guard dataOffset <= bytes.count, compressed <= UInt64(bytes.count - dataOffset) else {
                throw fail("truncated: member '\(name)' runs past the end of the file")
            }
            guard size <= UInt64(Int.max) else { throw fail("member '\(name)' is too large") }
            guard seen.insert(name).inserted else { throw fail("member '\(name)' appears twice") }
            members.append(Member(name: name, method: method, crc: UInt32(u32(at + 16)), compressedSize: Int(compressed),
                                  size: Int(size), dataOffset: dataOffset))
            at = extraEnd + commentLength
        }
        self.members = members
    }

    /// A member's bytes: where they lie in the archive (stored) or inflated
    /// (deflated), their CRC-32 checked either way.
    enum Contents {
        case inPlace(UnsafeRawBufferPointer)
        case inflated(InflatedBytes)

        var bytes: UnsafeRawBufferPointer {
            switch self {
            case .inPlace(let bytes): bytes
            case .inflated(let owner): owner.bytes
            }
        }
    }

    /// An inflated member's bytes, 64-byte aligned, freed with the last
    /// reference: a float32 array in them is used where it lies.
    final class InflatedBytes: @unchecked Sendable {
        let base: UnsafeMutableRawPointer
        let count: Int

        init(count: Int) {
            self.count = count
            base = .allocate(byteCount: max(1, count), alignment: 64)
        }

        var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

        deinit { base.deallocate() }
    }

    /// A member's bytes, its CRC-32 checked. Inflating checks `cancellation`
    /// and tells `progress` the compressed bytes read so far, every
    /// `inflatePiece` bytes of output (a large archive takes seconds to inflate).
    /// - Throws: `DataError` for a damaged member, `Cancelled` when asked to stop.
    func contents(of member: Member, in bytes: UnsafeRawBufferPointer, cancellation: Cancellation? = nil,
                  progress: ((_ compressedBytesRead: Int) -> Void)? = nil) throws -> Contents {
        func fail(_ message: String) -> DataError { DataError(path: path, message: "member '\(member.name)': \(message)") }
        let input = UnsafeRawBufferPointer(rebasing: bytes[member.dataOffset ..< member.dataOffset + member.compressedSize])
        let contents: Contents
        switch member.method {
        case 0:
            guard member.size == member.compressedSize else { throw fail("a stored member whose sizes differ") }
            contents = .inPlace(input)
        case 8:
            // Deflate expands at most 1032-fold: a larger size is damage (or a bomb), refused before it is allocated.
            guard member.size <= member.compressedSize * 1032 + 65_536 else {
                throw fail("its \(member.compressedSize) bytes of deflated data cannot inflate to the \(member.size) bytes the archive says: the file is damaged")
            }
            contents = .inflated(try Self.inflated(input, size: member.size, cancellation: cancellation, progress: progress,
                                                   fail: fail))
        default:
            throw fail("compression method \(member.method) (clus reads stored and deflated members, as NumPy writes them)")
        }
        let crc = Self.crc32(of: contents.bytes)
        guard crc == member.crc else {
            throw fail("its CRC-32 is \(hex(crc)) where the archive says \(hex(member.crc)): the file is damaged")
        }
        progress?(member.compressedSize)
        return contents
    }

    /// Output bytes per call to zlib: between two, a load can be
    /// interrupted and its progress shown (about 0.1 s of inflating).
    static let inflatePiece = 16 << 20

    /// Raw deflate data inflated to exactly `size` bytes, `inflatePiece` at a time.
    private static func inflated(_ input: UnsafeRawBufferPointer, size: Int, cancellation: Cancellation?,
                                 progress: ((Int) -> Void)?, fail: (String) -> DataError) throws -> InflatedBytes {
        var stream = z_stream()
        // -MAX_WBITS: raw deflate, no zlib or gzip wrapper
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw fail("zlib failed to start")
        }
        defer { inflateEnd(&stream) }
        let output = InflatedBytes(count: size)
        // zlib's counters are 32-bit: the input goes in pieces it can take
        let inputPiece = 1 << 30
        var status = Z_OK
        let spare = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)   // zlib wants somewhere to write even with no room
        defer { spare.deallocate() }
        var read = 0, written = 0
        stream.next_out = spare
        while status == Z_OK {
            if stream.avail_in == 0 && read < input.count {
                let take = min(inputPiece, input.count - read)
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: UInt8.self) + read)
                stream.avail_in = UInt32(take)
                read += take
            }
            if stream.avail_out == 0 && written < size {
                if written > 0 {
                    try cancellation?.check()
                    progress?(read - Int(stream.avail_in))
                }
                let take = min(inflatePiece, size - written)
                stream.next_out = output.base.assumingMemoryBound(to: UInt8.self) + written
                stream.avail_out = UInt32(take)
                written += take
            }
            // Z_OK: progress, go on; Z_BUF_ERROR: input or room ran out first (damaged)
            status = CZlib.inflate(&stream, Z_NO_FLUSH)
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == size else {
            throw fail(status == Z_STREAM_END || status == Z_BUF_ERROR
                ? "its deflated data does not inflate to the \(size) bytes the archive says: the file is damaged"
                : "its deflated data is damaged (zlib: \(stream.msg.map { String(cString: $0) } ?? "error \(status)"))")
        }
        return output
    }

    /// CRC-32 of `bytes`, in 64 MiB pieces on all cores, combined.
    static func crc32(of bytes: UnsafeRawBufferPointer, parallelism: Parallelism = .allCores) -> UInt32 {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), !bytes.isEmpty else { return 0 }
        let piece = 64 << 20, pieces = (bytes.count + piece - 1) / piece
        let parts = UnsafeMutableBufferPointer<UInt>.allocate(capacity: pieces)
        defer { parts.deallocate() }
        parallelism.forEach(chunks: pieces) { p in
            let start = p * piece, length = min(piece, bytes.count - start)
            parts[p] = CZlib.crc32(0, base + start, UInt32(length))
        }
        var crc = parts[0]
        for p in 1 ..< pieces {
            let length = min(piece, bytes.count - p * piece)
            crc = crc32_combine(crc, parts[p], off_t(length))
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}
