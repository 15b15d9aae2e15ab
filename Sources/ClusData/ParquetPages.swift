/// A leaf column of a Parquet schema, as the page decoder needs it.
struct ParquetLeaf {
    /// Names from the root's child to the leaf.
    var path: [String]
    var type: ParquetMetadata.PhysicalType
    var element: ParquetMetadata.SchemaElement
    var maxDefinition: Int
    var maxRepetition: Int
    /// For a list: the definition level at which the list is there (possibly
    /// empty); one more, an element is there (possibly null).
    var listDefinition = 0
}

/// Bounds on what a file may make the reader allocate; the fuzz target sets small ones.
struct ParquetLimits: Sendable {
    /// Largest decompressed page, in bytes.
    var pageBytes = 1 << 30
    /// Largest number of values (levels) one page may claim.
    var pageValues = 1 << 28
    /// Largest matrix of vectors, in Float32 cells.
    var vectorCells = Int.max

    static let standard = ParquetLimits()
}

/// One data page's levels and values section, decompressed.
struct ParquetPage {
    /// Level slots: one per value, null or not.
    var count: Int
    /// Repetition and definition levels; nil when the column's maximum is 0.
    var repetition: UnsafeBufferPointer<UInt8>?
    var definition: UnsafeBufferPointer<UInt8>?
    var encoding: Int32
    /// The encoded non-null values.
    var values: UnsafeRawBufferPointer
}

/// Walks one column chunk's pages: decompresses each, decodes its levels and
/// keeps the dictionary; the caller decodes the values (`ParquetValues`).
struct ParquetChunkReader {
    let file: UnsafeRawBufferPointer
    let leaf: ParquetLeaf
    let chunk: ParquetMetadata.ColumnChunk
    let limits: ParquetLimits
    /// The dictionary page's values, still PLAIN-encoded, and how many.
    private(set) var dictionary: [UInt8]?
    private(set) var dictionaryCount = 0
    private var pageBuffer: [UInt8] = []
    private var valuesBuffer: [UInt8] = []
    private var repetition: [UInt8] = []
    private var definition: [UInt8] = []

    init(file: UnsafeRawBufferPointer, leaf: ParquetLeaf, chunk: ParquetMetadata.ColumnChunk, limits: ParquetLimits) {
        self.file = file
        self.leaf = leaf
        self.chunk = chunk
        self.limits = limits
    }

    /// Calls `body` with each data page in order, until it returns false; a
    /// dictionary page is kept for the pages after it.
    mutating func forEachPage(_ body: (ParquetPage, ParquetChunkReader) throws(ParquetError) -> Bool) throws(ParquetError) {
        guard chunk.filePath == nil else { throw ParquetError("its data is in another file (\(chunk.filePath ?? "")); clus reads single-file Parquet") }
        guard ParquetCodec.isSupported(chunk.codec) else {
            throw ParquetError("unsupported codec \(ParquetNames.codec(chunk.codec)) (clus reads UNCOMPRESSED, SNAPPY, GZIP and ZSTD)")
        }
        var start = chunk.dataPageOffset
        if let d = chunk.dictionaryPageOffset, d > 0, d < start { start = d }
        let (end, overflow) = start.addingReportingOverflow(chunk.compressedSize)
        guard start >= 4, !overflow, end <= file.count - 8 else { throw ParquetError("truncated: its pages lie outside the file") }
        let bytes = UnsafeRawBufferPointer(rebasing: file[..<end])
        var position = start
        var seen = 0
        while seen < chunk.valueCount {
            guard position < end else { throw ParquetError("truncated: \(seen) of its \(chunk.valueCount) values found") }
            var r = ThriftReader(bytes, at: position)
            let header = try PageHeader(&r)
            position = r.position
            guard header.compressedSize <= end - position else { throw ParquetError("truncated page") }
            let payload = UnsafeRawBufferPointer(rebasing: bytes[position ..< position + header.compressedSize])
            position += header.compressedSize
            guard header.uncompressedSize <= limits.pageBytes, header.valueCount <= limits.pageValues else {
                throw ParquetError("a page of \(header.uncompressedSize) bytes, \(header.valueCount) values: too large")
            }
            switch header.kind {
            case .dictionary?:
                guard header.encoding == 0 || header.encoding == 2 else {
                    throw ParquetError("unsupported dictionary encoding \(ParquetNames.encoding(header.encoding))")
                }
                var bytes: [UInt8] = []
                let size = try decompress(payload, size: header.uncompressedSize, compressed: true, into: &bytes)
                dictionary = Array(bytes[..<size])
                dictionaryCount = header.valueCount
            case .data?:
                let size = try decompress(payload, size: header.uncompressedSize, compressed: true, into: &pageBuffer)
                let more = try pageBuffer.withUnsafeBufferPointer { (pageBytes: UnsafeBufferPointer<UInt8>) throws(ParquetError) in
                    let page = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(pageBytes)[..<size])
                    var offset = 0
                    let count = header.valueCount
                    if leaf.maxRepetition > 0 {
                        try levelsV1(page, &offset, encoding: header.repetitionLevelEncoding, max: leaf.maxRepetition, count: count, into: &repetition)
                    }
                    if leaf.maxDefinition > 0 {
                        try levelsV1(page, &offset, encoding: header.definitionLevelEncoding, max: leaf.maxDefinition, count: count, into: &definition)
                    }
                    return try emit(count: count, encoding: header.encoding, values: UnsafeRawBufferPointer(rebasing: page[offset...]), body)
                }
                if !more { return }
            case .dataV2?:
                let levelBytes = header.repetitionLevelsLength + header.definitionLevelsLength
                guard levelBytes <= payload.count, levelBytes <= header.uncompressedSize else { throw ParquetError("bad page: levels longer than the page") }
                let count = header.valueCount
                if leaf.maxRepetition > 0 {
                    try levels(UnsafeRawBufferPointer(rebasing: payload[0 ..< header.repetitionLevelsLength]),
                               max: leaf.maxRepetition, count: count, into: &repetition)
                }
                if leaf.maxDefinition > 0 {
                    try levels(UnsafeRawBufferPointer(rebasing: payload[header.repetitionLevelsLength ..< levelBytes]),
                               max: leaf.maxDefinition, count: count, into: &definition)
                }
                let size = try decompress(UnsafeRawBufferPointer(rebasing: payload[levelBytes...]), size: header.uncompressedSize - levelBytes,
                                          compressed: header.isCompressed, into: &valuesBuffer)
                let more = try valuesBuffer.withUnsafeBufferPointer { (values: UnsafeBufferPointer<UInt8>) throws(ParquetError) in
                    try emit(count: count, encoding: header.encoding, values: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(values)[..<size]), body)
                }
                if !more { return }
            case .index?:
                break
            case nil:
                throw ParquetError("bad page header: page type \(header.rawKind)")
            }
            if header.kind == .data || header.kind == .dataV2 { seen += header.valueCount }
        }
    }

    private func emit(count: Int, encoding: Int32, values: UnsafeRawBufferPointer,
                      _ body: (ParquetPage, ParquetChunkReader) throws(ParquetError) -> Bool) throws(ParquetError) -> Bool {
        try repetition.withUnsafeBufferPointer { (rep: UnsafeBufferPointer<UInt8>) throws(ParquetError) in
            try definition.withUnsafeBufferPointer { (def: UnsafeBufferPointer<UInt8>) throws(ParquetError) in
                let page = ParquetPage(
                    count: count,
                    repetition: leaf.maxRepetition > 0 ? UnsafeBufferPointer(rebasing: rep[..<count]) : nil,
                    definition: leaf.maxDefinition > 0 ? UnsafeBufferPointer(rebasing: def[..<count]) : nil,
                    encoding: encoding, values: values)
                return try body(page, self)
            }
        }
    }

    /// Data page v1 levels: RLE with a 4-byte length before them.
    private func levelsV1(_ page: UnsafeRawBufferPointer, _ offset: inout Int, encoding: Int32, max: Int, count: Int,
                          into out: inout [UInt8]) throws(ParquetError) {
        guard encoding == 3 else { throw ParquetError("unsupported level encoding \(ParquetNames.encoding(encoding)) (clus reads RLE)") }
        guard page.count - offset >= 4 else { throw ParquetError("truncated page: no levels") }
        let length = Int(UInt32(littleEndian: page.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        offset += 4
        guard length <= page.count - offset else { throw ParquetError("truncated page: levels longer than the page") }
        try levels(UnsafeRawBufferPointer(rebasing: page[offset ..< offset + length]), max: max, count: count, into: &out)
        offset += length
    }

    /// `count` levels (RLE/bit-packed hybrid), each checked against `max`.
    private func levels(_ data: UnsafeRawBufferPointer, max: Int, count: Int, into out: inout [UInt8]) throws(ParquetError) {
        if out.count < count { out = [UInt8](repeating: 0, count: count) }
        let bitWidth = ParquetValues.bitWidth(max)
        try out.withUnsafeMutableBufferPointer { (levels: inout UnsafeMutableBufferPointer<UInt8>) throws(ParquetError) in
            var hybrid = HybridDecoder(data, bitWidth: bitWidth)
            try hybrid.decode(count, into: levels.baseAddress!)
            // one pass that vectorises, then the offending level found for the message
            var highest: UInt8 = 0
            for i in 0 ..< count { highest = Swift.max(highest, levels[i]) }
            if Int(highest) > max { throw ParquetError("bad page: level \(highest) above the column's maximum \(max)") }
        }
    }

    /// `body` decompressed (copied when not compressed) into the first `size`
    /// bytes of `out`, a buffer reused from page to page: it only grows, so a
    /// chunk's pages allocate (and the kernel zeroes) its memory once.
    private func decompress(_ body: UnsafeRawBufferPointer, size: Int, compressed: Bool, into out: inout [UInt8]) throws(ParquetError) -> Int {
        if out.count < size { out = [UInt8](unsafeUninitializedCapacity: size) { _, n in n = size } }
        let plain = chunk.codec == ParquetCodec.uncompressed || !compressed
        if plain { guard body.count == size else { throw ParquetError("bad page: \(body.count) bytes where the header says \(size)") } }
        try out.withUnsafeMutableBufferPointer { (o: inout UnsafeMutableBufferPointer<UInt8>) throws(ParquetError) in
            let target = UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(o)[..<size])
            if plain {
                if size > 0 { target.copyMemory(from: body) }
            } else {
                try ParquetCodec.decompress(chunk.codec, body, into: target)
            }
        }
        return size
    }
}

/// Decodes the RLE/bit-packed hybrid encoding (levels, dictionary indices, RLE booleans).
struct HybridDecoder {
    let data: UnsafeRawBufferPointer
    let bitWidth: Int
    var position = 0

    init(_ data: UnsafeRawBufferPointer, bitWidth: Int) {
        self.data = data
        self.bitWidth = bitWidth
    }

    private mutating func varint() throws(ParquetError) -> UInt64 {
        var result: UInt64 = 0, shift: UInt64 = 0
        while true {
            guard position < data.count else { throw ParquetError("truncated RLE data") }
            let b = data[position]
            position += 1
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw ParquetError("bad RLE data") }
        }
    }

    /// `count` values into `out` (levels as bytes, indices as UInt32: the caller's bit width fits).
    mutating func decode<T: FixedWidthInteger & UnsignedInteger>(_ count: Int, into out: UnsafeMutablePointer<T>) throws(ParquetError) {
        if bitWidth == 0 { out.update(repeating: 0, count: count); return }
        let mask: UInt64 = bitWidth == 64 ? ~0 : (1 << UInt64(bitWidth)) - 1
        let valueBytes = (bitWidth + 7) / 8
        var done = 0
        while done < count {
            let header = try varint()
            if header & 1 == 0 {
                let run = Int(clamping: header >> 1)
                guard valueBytes <= data.count - position else { throw ParquetError("truncated RLE data") }
                var v: UInt32 = 0
                for b in 0 ..< valueBytes { v |= UInt32(data[position + b]) << UInt32(8 * b) }
                position += valueBytes
                guard run > 0 else { throw ParquetError("bad RLE data: an empty run") }
                let n = min(run, count - done)
                (out + done).update(repeating: T(truncatingIfNeeded: v), count: n)
                done += n
            } else {
                let groups = Int(clamping: header >> 1)
                guard groups > 0 else { throw ParquetError("bad RLE data: an empty run") }
                let (values, o) = groups.multipliedReportingOverflow(by: 8)
                let n = o ? count - done : min(values, count - done)
                // bytes the needed values occupy (the rest of the run may be cut off at the end)
                let needed = (n * bitWidth + 7) / 8
                guard needed <= data.count - position else { throw ParquetError("truncated RLE data") }
                let base = position
                for i in 0 ..< n {
                    let bit = i * bitWidth
                    let byte = base + bit >> 3
                    var word: UInt64 = 0
                    if byte + 8 <= data.count {
                        word = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
                    } else {
                        for b in 0 ..< min(8, data.count - byte) { word |= UInt64(data[byte + b]) << UInt64(8 * b) }
                    }
                    out[done + i] = T(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
                }
                let runBytes = o ? Int.max : groups * bitWidth   // whole groups of 8 values: bitWidth bytes each
                position = runBytes > data.count - base ? data.count : base + runBytes
                done += n
            }
        }
    }
}

/// Decodes a page's values (PLAIN, dictionary indices, RLE booleans).
enum ParquetValues {
    /// Bits to hold levels up to `max`.
    static func bitWidth(_ max: Int) -> Int {
        max == 0 ? 0 : Int.bitWidth - max.leadingZeroBitCount
    }

    /// Writes `count` values of a FLOAT or DOUBLE column to `out` as Float32;
    /// `rounded` is set when a DOUBLE lost digits. `table` keeps the chunk's
    /// dictionary, decoded at its first use.
    static func floats(_ page: ParquetPage, count: Int, reader: ParquetChunkReader, into out: UnsafeMutablePointer<Float>,
                       table: inout [Float]?, rounded: inout Bool) throws(ParquetError) {
        let double = reader.leaf.type == .double
        let size = double ? 8 : 4
        switch page.encoding {
        case 0:
            let (bytes, o) = count.multipliedReportingOverflow(by: size)
            guard !o, bytes <= page.values.count else { throw ParquetError("truncated page: \(count) values need \(count * size) bytes") }
            convert(page.values, count: count, double: double, into: out, rounded: &rounded)
        case 2, 8:
            if table == nil {
                guard let dictionary = reader.dictionary else { throw ParquetError("dictionary-encoded values without a dictionary page") }
                let entries = reader.dictionaryCount
                guard entries.multipliedReportingOverflow(by: size).partialValue <= dictionary.count, entries >= 0 else {
                    throw ParquetError("truncated dictionary page")
                }
                var decoded = [Float](repeating: 0, count: entries)
                decoded.withUnsafeMutableBufferPointer { t in
                    dictionary.withUnsafeBytes { convert($0, count: entries, double: double, into: t.baseAddress!, rounded: &rounded) }
                }
                table = decoded
            }
            let values = table ?? []
            let indices = try dictionaryIndices(page, count: count, entries: values.count)
            for (i, index) in indices.enumerated() { out[i] = values[Int(index)] }
        default:
            throw ParquetError("unsupported encoding \(ParquetNames.encoding(page.encoding)) (clus reads PLAIN and RLE_DICTIONARY)")
        }
    }

    /// PLAIN little-endian FLOAT or DOUBLE values as Float32.
    private static func convert(_ bytes: UnsafeRawBufferPointer, count: Int, double: Bool, into out: UnsafeMutablePointer<Float>,
                                rounded: inout Bool) {
        guard count > 0 else { return }
        if !double {
            // Parquet stores little-endian IEEE floats: this machine's Float bytes on x86 and ARM
            UnsafeMutableRawPointer(out).copyMemory(from: bytes.baseAddress!, byteCount: count * 4)
            if UInt32(1).littleEndian != 1 {
                for i in 0 ..< count { out[i] = Float(bitPattern: UInt32(littleEndian: out[i].bitPattern)) }
            }
            return
        }
        var lost = false
        for i in 0 ..< count {
            let x = Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))
            let f = Float(x)
            if Double(f) != x && !x.isNaN { lost = true }
            out[i] = f
        }
        if lost { rounded = true }
    }

    /// A page's dictionary indices: a bit-width byte, then the hybrid encoding; each checked against the dictionary's size.
    private static func dictionaryIndices(_ page: ParquetPage, count: Int, entries: Int) throws(ParquetError) -> [UInt32] {
        guard count > 0 else { return [] }
        guard let width = page.values.first else { throw ParquetError("truncated page: no dictionary indices") }
        guard width <= 32 else { throw ParquetError("bad page: dictionary index width \(width)") }
        var indices = [UInt32](repeating: 0, count: count)
        try indices.withUnsafeMutableBufferPointer { (out: inout UnsafeMutableBufferPointer<UInt32>) throws(ParquetError) in
            var hybrid = HybridDecoder(UnsafeRawBufferPointer(rebasing: page.values[1...]), bitWidth: Int(width))
            try hybrid.decode(count, into: out.baseAddress!)
        }
        for i in indices where Int(i) >= entries { throw ParquetError("bad page: dictionary index \(i) of a dictionary of \(entries)") }
        return indices
    }

    /// The `count` values of a scalar column's page; `table` keeps the chunk's dictionary, decoded at its first use.
    static func scalars(_ page: ParquetPage, count: Int, reader: ParquetChunkReader, table: inout [FieldValue]?) throws(ParquetError) -> [FieldValue] {
        let leaf = reader.leaf
        switch page.encoding {
        case 0:
            return try plain(page.values, count: count, leaf: leaf)
        case 2, 8:
            if table == nil {
                guard let dictionary = reader.dictionary else { throw ParquetError("dictionary-encoded values without a dictionary page") }
                table = try dictionary.withUnsafeBufferPointer { (d: UnsafeBufferPointer<UInt8>) throws(ParquetError) in
                    try plain(UnsafeRawBufferPointer(d), count: reader.dictionaryCount, leaf: leaf)
                }
            }
            let values = table ?? []
            return try dictionaryIndices(page, count: count, entries: values.count).map { values[Int($0)] }
        case 3 where leaf.type == .boolean:
            // RLE booleans (data page v2): a 4-byte length, then the hybrid encoding with 1-bit values
            guard page.values.count >= 4 else { throw ParquetError("truncated page") }
            let length = Int(UInt32(littleEndian: page.values.loadUnaligned(as: UInt32.self)))
            guard length <= page.values.count - 4 else { throw ParquetError("truncated page") }
            var bits = [UInt32](repeating: 0, count: count)
            try bits.withUnsafeMutableBufferPointer { (out: inout UnsafeMutableBufferPointer<UInt32>) throws(ParquetError) in
                var hybrid = HybridDecoder(UnsafeRawBufferPointer(rebasing: page.values[4 ..< 4 + length]), bitWidth: 1)
                try hybrid.decode(count, into: out.baseAddress!)
            }
            return bits.map { .bool($0 != 0) }
        default:
            throw ParquetError("unsupported encoding \(ParquetNames.encoding(page.encoding)) (clus reads PLAIN and RLE_DICTIONARY)")
        }
    }

    /// `count` PLAIN values of the leaf's type.
    private static func plain(_ bytes: UnsafeRawBufferPointer, count: Int, leaf: ParquetLeaf) throws(ParquetError) -> [FieldValue] {
        func need(_ size: Int) throws(ParquetError) {
            let (total, o) = count.multipliedReportingOverflow(by: size)
            guard !o, total <= bytes.count else { throw ParquetError("truncated page: \(count) values need more than its \(bytes.count) bytes") }
        }
        var out: [FieldValue] = []
        out.reserveCapacity(min(count, bytes.count * 8))
        switch leaf.type {
        case .boolean:
            try need(0)
            guard (count + 7) / 8 <= bytes.count else { throw ParquetError("truncated page") }
            for i in 0 ..< count { out.append(.bool(bytes[i >> 3] >> UInt8(i & 7) & 1 == 1)) }
        case .int32:
            try need(4)
            for i in 0 ..< count {
                let v = Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))
                // UINT_32 (converted type 13): the bits as unsigned
                out.append(.int(leaf.element.convertedType == 13 ? Int(UInt32(bitPattern: v)) : Int(v)))
            }
        case .int64:
            try need(8)
            for i in 0 ..< count {
                let v = Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 8, as: Int64.self))
                if leaf.element.isUnsigned64 && v < 0 {
                    out.append(.double(Double(UInt64(bitPattern: v))))   // beyond Int: as JSON would, a float
                } else {
                    out.append(.int(Int(v)))
                }
            }
        case .float:
            try need(4)
            for i in 0 ..< count {
                out.append(.double(Double(Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))))))
            }
        case .double:
            try need(8)
            for i in 0 ..< count {
                out.append(.double(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))))
            }
        case .byteArray:
            var p = 0
            for _ in 0 ..< count {
                guard bytes.count - p >= 4 else { throw ParquetError("truncated page: \(count) strings need more than its \(bytes.count) bytes") }
                let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: p, as: UInt32.self)))
                p += 4
                guard length <= bytes.count - p else { throw ParquetError("truncated page: a string runs past its end") }
                out.append(.string(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[p ..< p + length]), as: UTF8.self)))
                p += length
            }
        case .int96, .fixedLenByteArray:
            throw ParquetError("\(leaf.type.name) values are not read")
        }
        return out
    }
}
