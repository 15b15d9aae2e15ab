import CSnappy
import CZlib
import CZstd

/// Decompresses Parquet pages: SNAPPY and ZSTD through Debian's libsnappy and
/// libzstd, GZIP through zlib; each page's size after decompression is in its
/// header, so the output is allocated once and must be filled exactly.
enum ParquetCodec {
    static let uncompressed: Int32 = 0, snappy: Int32 = 1, gzip: Int32 = 2, zstd: Int32 = 6

    /// Whether clus reads pages compressed with `codec`.
    static func isSupported(_ codec: Int32) -> Bool {
        codec == uncompressed || codec == snappy || codec == gzip || codec == zstd
    }

    /// `input` decompressed into `output`, which must come out exactly full.
    static func decompress(_ codec: Int32, _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(ParquetError) {
        let name = ParquetNames.codec(codec)
        guard output.count > 0 else { return }
        guard let outBase = output.baseAddress else { return }
        let inBase = input.baseAddress ?? UnsafeRawPointer(outBase)   // an empty input: any valid pointer
        switch codec {
        case snappy:
            var length = 0
            guard snappy_uncompressed_length(inBase.assumingMemoryBound(to: CChar.self), input.count, &length) == SNAPPY_OK,
                  length == output.count else { throw ParquetError("corrupt \(name) page") }
            guard snappy_uncompress(inBase.assumingMemoryBound(to: CChar.self), input.count,
                                    outBase.assumingMemoryBound(to: CChar.self), &length) == SNAPPY_OK,
                  length == output.count else { throw ParquetError("corrupt \(name) page") }
        case zstd:
            let n = ZSTD_decompress(outBase, output.count, inBase, input.count)
            guard ZSTD_isError(n) == 0, n == output.count else { throw ParquetError("corrupt \(name) page") }
        case gzip:
            var stream = z_stream()
            // 16 + MAX_WBITS: a gzip header and trailer around the deflate data
            guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                throw ParquetError("zlib failed to start")
            }
            defer { inflateEnd(&stream) }
            guard input.count <= Int(UInt32.max), output.count <= Int(UInt32.max) else { throw ParquetError("a \(name) page too large") }
            stream.next_in = UnsafeMutablePointer(mutating: inBase.assumingMemoryBound(to: UInt8.self))
            stream.avail_in = UInt32(input.count)
            stream.next_out = outBase.assumingMemoryBound(to: UInt8.self)
            stream.avail_out = UInt32(output.count)
            let status = inflate(&stream, Z_FINISH)
            guard status == Z_STREAM_END, stream.avail_out == 0 else { throw ParquetError("corrupt \(name) page") }
        default:
            throw ParquetError("unsupported codec \(name) (clus reads UNCOMPRESSED, SNAPPY, GZIP and ZSTD)")
        }
    }
}
