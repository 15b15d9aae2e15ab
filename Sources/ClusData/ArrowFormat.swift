import ClusCore
import CLZ4
import CZstd

// Arrow's IPC format (format/Schema.fbs, Message.fbs and File.fbs in the
// Apache Arrow repository): a stream of messages, each a FlatBuffers
// `Message` (a schema, a dictionary batch or a record batch) and a body of
// buffers; the file format (Feather 2) wraps the stream in `ARROW1` magic
// and a footer. clus reads the stream in order, so both forms read alike.

/// A column's type, as far as clus needs it: which it reads, and how many
/// buffers and child nodes each takes in a record batch (to walk past the ones it does not).
enum ArrowType: Equatable {
    case null
    case int(bits: Int, signed: Bool)
    case float(bits: Int)
    case bool
    case utf8, largeUtf8, utf8View
    case binary, largeBinary, binaryView, fixedSizeBinary
    /// Dates, times, timestamps and durations: integers in the file, read as such.
    case temporal(String)
    case decimal, interval
    case list, largeList, fixedSizeList(Int), listView, largeListView, map
    case structure
    case union(dense: Bool)
    case runEndEncoded

    /// The type union's member in Schema.fbs and its table.
    init(id: UInt8, _ table: FlatTable?) throws(ArrowError) {
        switch id {
        case 1: self = .null
        case 2:
            let bits = Int(try table?.scalar(0, default: Int32(0)) ?? 0)
            guard [8, 16, 32, 64].contains(bits) else { throw ArrowError("schema: an integer of \(bits) bits") }
            self = .int(bits: bits, signed: try table?.bool(1) ?? false)
        case 3:
            switch try table?.scalar(0, default: Int16(0)) ?? 0 {
            case 0: self = .float(bits: 16)
            case 1: self = .float(bits: 32)
            case 2: self = .float(bits: 64)
            case let p: throw ArrowError("schema: a floating-point precision \(p)")
            }
        case 4: self = .binary
        case 5: self = .utf8
        case 6: self = .bool
        case 7: self = .decimal
        case 8: self = .temporal((try table?.scalar(0, default: Int16(1)) ?? 1) == 0 ? "date32" : "date64")
        case 9: self = .temporal((try table?.scalar(1, default: Int32(32)) ?? 32) == 64 ? "time64" : "time32")
        case 10: self = .temporal("timestamp")
        case 11: self = .interval
        case 12: self = .list
        case 13: self = .structure
        case 14: self = .union(dense: (try table?.scalar(0, default: Int16(0)) ?? 0) == 1)
        case 15: self = .fixedSizeBinary
        case 16:
            let size = Int(try table?.scalar(0, default: Int32(0)) ?? 0)
            guard size >= 0 else { throw ArrowError("schema: a fixed-size list of \(size) elements") }
            self = .fixedSizeList(size)
        case 17: self = .map
        case 18: self = .temporal("duration")
        case 19: self = .largeBinary
        case 20: self = .largeUtf8
        case 21: self = .largeList
        case 22: self = .runEndEncoded
        case 23: self = .binaryView
        case 24: self = .utf8View
        case 25: self = .listView
        case 26: self = .largeListView
        default: throw ArrowError("schema: a column of type \(id), which clus does not know")
        }
    }

    /// Buffers a node of this type takes, variadic ones (of the view types) aside.
    var bufferCount: Int {
        switch self {
        case .null, .runEndEncoded: 0
        case .fixedSizeList, .structure: 1
        case .union(let dense): dense ? 2 : 1
        case .int, .float, .bool, .temporal, .decimal, .interval, .fixedSizeBinary, .list, .largeList, .map,
             .utf8View, .binaryView: 2
        case .utf8, .largeUtf8, .binary, .largeBinary, .listView, .largeListView: 3
        }
    }

    /// Bytes per value of a fixed-width integer-like type (0 for the others); 8 for a timestamp.
    var integerWidth: Int {
        switch self {
        case .int(let bits, _): bits / 8
        case .temporal(let kind): kind == "date32" || kind == "time32" ? 4 : 8
        default: 0
        }
    }

    /// The type as messages name it: `int64`, `list<float>`.
    var name: String {
        switch self {
        case .null: "null"
        case .int(let bits, let signed): "\(signed ? "" : "u")int\(bits)"
        case .float(let bits): bits == 16 ? "halffloat" : bits == 32 ? "float" : "double"
        case .bool: "bool"
        case .utf8: "string"
        case .largeUtf8: "large_string"
        case .utf8View: "string_view"
        case .binary: "binary"
        case .largeBinary: "large_binary"
        case .binaryView: "binary_view"
        case .fixedSizeBinary: "fixed_size_binary"
        case .temporal(let kind): kind
        case .decimal: "decimal"
        case .interval: "interval"
        case .list: "list"
        case .largeList: "large_list"
        case .fixedSizeList(let n): "fixed_size_list[\(n)]"
        case .listView: "list_view"
        case .largeListView: "large_list_view"
        case .map: "map"
        case .structure: "struct"
        case .union: "union"
        case .runEndEncoded: "run_end_encoded"
        }
    }
}

/// One column of a schema, with its children (a struct's fields, a list's element).
struct ArrowField {
    var name: String
    var type: ArrowType
    /// Dictionary-encoded: the dictionary's id and the indices' type.
    var dictionary: (id: Int, index: ArrowType)?
    var children: [ArrowField]

    init(_ table: FlatTable, depth: Int) throws(ArrowError) {
        guard depth < 64 else { throw ArrowError("schema nested too deeply") }
        name = try table.string(0) ?? ""
        type = try ArrowType(id: try table.scalar(2, default: UInt8(0)), try table.table(3))
        if let encoding = try table.table(4) {
            let id = Int(try encoding.scalar(0, default: Int64(0)))
            let index = try encoding.table(1).map { t throws(ArrowError) in try ArrowType(id: 2, t) } ?? .int(bits: 32, signed: true)
            dictionary = (id, index)
        }
        children = []
        for child in try table.tables(5) { children.append(try ArrowField(child, depth: depth + 1)) }
    }
}

/// Where a buffer lies in its message's body.
struct ArrowBufferSpan {
    var offset: Int
    var length: Int
}

/// A record batch's metadata: its rows, one node (length, null count) per
/// column and nested column, its buffers, where its body is.
struct ArrowBatch {
    var length: Int
    var nodes: [(length: Int, nullCount: Int)]
    var buffers: [ArrowBufferSpan]
    /// The view columns' data buffer counts, in column order.
    var variadicCounts: [Int]
    /// 0 LZ4 frame, 1 ZSTD; nil uncompressed.
    var codec: Int?
    var body: Range<Int>

    init(_ table: FlatTable, body: Range<Int>) throws(ArrowError) {
        length = Int(try table.scalar(0, default: Int64(0)))
        guard length >= 0 else { throw ArrowError("a record batch of \(length) rows") }
        nodes = []
        if let v = try table.vector(1, elementSize: 16) {
            for i in 0 ..< v.count {
                let length = Int(try table.structField(v, i, size: 16, offset: 0, as: Int64.self))
                let nulls = Int(try table.structField(v, i, size: 16, offset: 8, as: Int64.self))
                guard length >= 0, nulls >= 0, nulls <= length else { throw ArrowError("a record batch's node of \(length) values, \(nulls) null") }
                nodes.append((length, nulls))
            }
        }
        buffers = []
        if let v = try table.vector(2, elementSize: 16) {
            for i in 0 ..< v.count {
                let offset = Int(try table.structField(v, i, size: 16, offset: 0, as: Int64.self))
                let length = Int(try table.structField(v, i, size: 16, offset: 8, as: Int64.self))
                guard offset >= 0, length >= 0, offset <= body.count, length <= body.count - offset else {
                    throw ArrowError("a record batch's buffer lies outside its body")
                }
                buffers.append(ArrowBufferSpan(offset: offset, length: length))
            }
        }
        if let compression = try table.table(3) {
            let codec = Int(try compression.scalar(0, default: Int8(0)))
            guard codec == 0 || codec == 1 else { throw ArrowError("a record batch compressed with codec \(codec) (clus reads LZ4_FRAME and ZSTD)") }
            guard try compression.scalar(1, default: Int8(0)) == 0 else { throw ArrowError("a body compressed other than buffer by buffer") }
            self.codec = codec
        }
        variadicCounts = []
        if let v = try table.vector(4, elementSize: 8) {
            for i in 0 ..< v.count {
                let count = Int(try table.structField(v, i, size: 8, offset: 0, as: Int64.self))
                guard count >= 0, count <= buffers.count else { throw ArrowError("a record batch's variadic buffer count \(count)") }
                variadicCounts.append(count)
            }
        }
        self.body = body
    }
}

/// A message of the stream.
enum ArrowMessage {
    case schema([ArrowField])
    case dictionary(id: Int, batch: ArrowBatch, isDelta: Bool)
    case recordBatch(ArrowBatch)
}

/// The messages of an Arrow IPC stream or file: a stream's in order; a
/// file's as its footer lists them (the schema, every dictionary batch, then
/// the record batches), since a file may put a dictionary after the batch that
/// uses it (polars does) and its own copy of the schema need not be a message.
struct ArrowMessages {
    let bytes: UnsafeRawBufferPointer
    /// Whether the bytes are the file format (`ARROW1` magic and a footer), else the stream format.
    let isFile: Bool
    /// The stream's next message.
    private var at: Int
    /// Where the messages end: the file's footer, or the stream's end.
    private let end: Int
    /// The file's schema, until it is handed out.
    private var footerSchema: [ArrowField]?
    /// Where the file's messages start: its dictionary batches, then its record batches.
    private var blocks: [Int] = []
    private var nextBlock = 0

    static let magic: [UInt8] = Array("ARROW1".utf8)

    init(_ bytes: UnsafeRawBufferPointer) throws(ArrowError) {
        self.bytes = bytes
        guard !bytes.isEmpty else { throw ArrowError("empty file; not an Arrow file") }
        if bytes.count >= 6 && Array(bytes[0 ..< 6]) == ArrowMessages.magic {
            guard bytes.count >= 18, Array(bytes[bytes.count - 6 ..< bytes.count]) == ArrowMessages.magic else {
                throw ArrowError("truncated Arrow file (no ARROW1 at its end)")
            }
            let length = Int(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: bytes.count - 10, as: Int32.self)))
            guard length > 0, length <= bytes.count - 18 else { throw ArrowError("truncated or corrupt Arrow file (footer of \(length) bytes)") }
            isFile = true
            at = 8
            end = bytes.count - 10 - length
            let footer = try FlatTable(root: UnsafeRawBufferPointer(rebasing: bytes[end ..< bytes.count - 10]))
            guard let schema = try footer.table(1) else { throw ArrowError("corrupt Arrow file: its footer has no schema") }
            footerSchema = try ArrowMessages.fields(schema)
            for slot in [2, 3] {
                guard let list = try footer.vector(slot, elementSize: 24) else { continue }
                for i in 0 ..< list.count {
                    let offset = Int(try footer.structField(list, i, size: 24, offset: 0, as: Int64.self))
                    guard offset >= 8, offset < end else { throw ArrowError("corrupt Arrow file: its footer lists a message at offset \(offset)") }
                    blocks.append(offset)
                }
            }
        } else if bytes.count >= 4 && Array(bytes[0 ..< 4]) == Array("FEA1".utf8) {
            throw ArrowError("a Feather version 1 file (pyarrow before 0.17, or feather-format); clus reads version 2: write it again with pyarrow.feather.write_feather")
        } else if bytes.count >= 4 && (bytes.loadUnaligned(as: UInt32.self) == 0xFFFF_FFFF
                                       || (bytes.count >= 8 && ArrowMessages.looksLikeLegacyStream(bytes))) {
            isFile = false
            at = 0
            end = bytes.count
        } else {
            throw ArrowError("not an Arrow file (no ARROW1 magic, and no stream message at its start)")
        }
    }

    /// A stream written before Arrow 0.15 starts with the metadata's length, not 0xFFFFFFFF.
    private static func looksLikeLegacyStream(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let length = Int(Int32(littleEndian: bytes.loadUnaligned(as: Int32.self)))
        return length > 8 && length <= bytes.count - 4
    }

    /// The next message and where it starts; nil after the last.
    mutating func next() throws(ArrowError) -> (ArrowMessage, offset: Int)? {
        if isFile {
            if let schema = footerSchema {
                footerSchema = nil
                return (.schema(schema), end)
            }
            guard nextBlock < blocks.count else { return nil }
            let offset = blocks[nextBlock]
            nextBlock += 1
            guard let (message, _) = try message(at: offset) else { throw ArrowError("truncated: no message at offset \(offset), where the footer lists one") }
            if case .schema = message { throw ArrowError("corrupt Arrow file: the footer lists a schema at offset \(offset) as a batch") }
            return (message, offset)
        }
        let start = at
        guard end - at >= 4 else {
            guard at == end else { throw ArrowError("truncated: \(end - at) stray bytes at offset \(at)") }
            return nil
        }
        guard let (message, after) = try message(at: at) else { return nil }
        at = after
        return (message, start)
    }

    /// The message at `start` and where the next one starts; nil for the end-of-stream marker.
    private func message(at start: Int) throws(ArrowError) -> (ArrowMessage, next: Int)? {
        var at = start
        guard end - at >= 4 else { throw ArrowError("truncated: a message cut short at offset \(start)") }
        var length = Int(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int32.self)))
        at += 4
        if length == -1 {
            guard end - at >= 4 else { throw ArrowError("truncated: a message cut short at offset \(start)") }
            length = Int(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int32.self)))
            at += 4
        }
        if length == 0 { return nil }   // end of stream
        guard length > 0, length <= end - at else { throw ArrowError("truncated: a message of \(length) bytes at offset \(start) runs past the end") }
        let metadata = UnsafeRawBufferPointer(rebasing: bytes[at ..< at + length])
        at += length
        let message = try FlatTable(root: metadata)
        let version = try message.scalar(0, default: Int16(0))
        guard version >= 3 else { throw ArrowError("an Arrow format version \(version + 1) message (before Arrow 0.8); clus reads version 4 and later") }
        let bodyLength = Int(try message.scalar(3, default: Int64(0)))
        guard bodyLength >= 0, bodyLength <= end - at else {
            throw ArrowError("truncated: a message body of \(bodyLength) bytes at offset \(at) runs past the end")
        }
        let body = at ..< at + bodyLength
        let header = try message.table(2)
        switch try message.scalar(1, default: UInt8(0)) {
        case 1:
            guard let header else { throw ArrowError("a schema message without its schema") }
            return (.schema(try ArrowMessages.fields(header)), body.upperBound)
        case 2:
            guard let header, let data = try header.table(1) else { throw ArrowError("a dictionary batch without its data") }
            return (.dictionary(id: Int(try header.scalar(0, default: Int64(0))), batch: try ArrowBatch(data, body: body),
                                isDelta: try header.bool(2)), body.upperBound)
        case 3:
            guard let header else { throw ArrowError("a record batch message without its batch") }
            return (.recordBatch(try ArrowBatch(header, body: body)), body.upperBound)
        case let kind:
            throw ArrowError("a message of kind \(kind) (a tensor?); clus reads schemas, dictionaries and record batches")
        }
    }

    /// A `Schema` table's columns.
    private static func fields(_ schema: FlatTable) throws(ArrowError) -> [ArrowField] {
        guard try schema.scalar(0, default: Int16(0)) == 0 else { throw ArrowError("a big-endian Arrow file; clus reads little-endian ones") }
        var fields: [ArrowField] = []
        for f in try schema.tables(1) { fields.append(try ArrowField(f, depth: 0)) }
        return fields
    }
}

/// A record batch's buffers, decompressed when the batch is (each on first
/// use; the decompressed bytes live as long as this).
final class ArrowBatchBuffers {
    let batch: ArrowBatch
    private let body: UnsafeRawBufferPointer
    private let limits: ArrowLimits
    private var owned: [UnsafeMutableRawBufferPointer] = []
    private var cache: [Int: UnsafeRawBufferPointer] = [:]

    init(_ batch: ArrowBatch, file: UnsafeRawBufferPointer, limits: ArrowLimits) {
        self.batch = batch
        body = UnsafeRawBufferPointer(rebasing: file[batch.body])
        self.limits = limits
    }

    deinit { for b in owned { b.deallocate() } }

    /// The bytes the batch's buffers hold once decompressed (as their
    /// prefixes claim, within what the codec can give): a column of nulls,
    /// which has no buffer, may have at most 8 rows a byte of these.
    var backingBytes: Int {
        guard let codec = batch.codec else { return body.count }
        return batch.buffers.reduce(0) { total, span in
            guard span.length >= 8 else { return total + span.length }
            let claimed = Int(Int64(littleEndian: body.loadUnaligned(fromByteOffset: span.offset, as: Int64.self)))
            let most = saturatingSum(saturatingProduct(span.length, codec == 0 ? 256 : 32_768), 1 << 16)
            return saturatingSum(total, claimed < 0 ? span.length : min(claimed, most))
        }
    }

    /// Refuses a row count the batch's bytes cannot back: every row of a
    /// column takes a bit at least, except in a column of nulls, so a
    /// damaged length is an error before anything of its size is allocated.
    func checkRows() throws(ArrowError) {
        guard batch.length <= limits.batchRows, batch.length / 8 <= backingBytes + 4096 else {
            throw ArrowError("\(batch.length) rows in a body of \(body.count) bytes: the file is damaged")
        }
    }

    /// Buffer `i`'s bytes.
    func buffer(_ i: Int) throws(ArrowError) -> UnsafeRawBufferPointer {
        if let done = cache[i] { return done }
        let (raw, claimed) = try compressed(i)
        guard let claimed else { cache[i] = raw; return raw }
        let out = UnsafeMutableRawBufferPointer.allocate(byteCount: max(claimed, 1), alignment: 64)
        owned.append(out)
        try decompress(raw, claimed: claimed, into: out.baseAddress!)
        let result = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(out)[0 ..< claimed])
        cache[i] = result
        return result
    }

    /// Decompresses buffer `i` straight into `destination` when it is
    /// compressed and holds exactly `bytes` bytes (a batch's vectors, into
    /// their rows: no buffer between, no second copy); false, touching
    /// nothing, when it is not so.
    func decompress(_ i: Int, into destination: UnsafeMutableRawPointer, bytes: Int) throws(ArrowError) -> Bool {
        guard cache[i] == nil else { return false }
        let (raw, claimed) = try compressed(i)
        guard claimed == bytes else { return false }
        try decompress(raw, claimed: bytes, into: destination)
        return true
    }

    /// Buffer `i`'s bytes as stored, and, when compressed, the size they
    /// claim decompressed (checked against what the codec can give).
    private func compressed(_ i: Int) throws(ArrowError) -> (UnsafeRawBufferPointer, claimed: Int?) {
        guard i < batch.buffers.count else { throw ArrowError("a record batch with fewer buffers than its columns need") }
        let span = batch.buffers[i]
        let raw = UnsafeRawBufferPointer(rebasing: body[span.offset ..< span.offset + span.length])
        guard let codec = batch.codec, span.length > 0 else { return (raw, nil) }
        guard span.length >= 8 else { throw ArrowError("a compressed buffer of \(span.length) bytes, without its length") }
        let claimed = Int(Int64(littleEndian: raw.loadUnaligned(as: Int64.self)))
        let data = UnsafeRawBufferPointer(rebasing: raw[8...])
        if claimed == -1 { return (data, nil) }   // left uncompressed by the writer
        // LZ4 frames give at most about 255 bytes a byte, ZSTD about 32,768 (a run of one byte
        // in a 3-byte block): a larger claim is damage, refused before anything is allocated.
        let most = saturatingSum(saturatingProduct(data.count, codec == 0 ? 256 : 32_768), 1 << 16)
        guard claimed >= 0, claimed <= most, claimed <= limits.bufferBytes else {
            throw ArrowError("a compressed buffer of \(data.count) bytes claims \(claimed) bytes decompressed: the file is damaged")
        }
        return (data, claimed)
    }

    private func decompress(_ data: UnsafeRawBufferPointer, claimed: Int, into out: UnsafeMutableRawPointer) throws(ArrowError) {
        let codec = batch.codec ?? 0
        let got: Int
        if codec == 1 {
            let r = ZSTD_decompress(out, claimed, data.baseAddress!, data.count)
            got = ZSTD_isError(r) != 0 ? -1 : Int(r)
        } else {
            got = ArrowBatchBuffers.lz4Frame(data, into: out, capacity: claimed)
        }
        guard got == claimed else {
            throw ArrowError("a \(codec == 0 ? "LZ4" : "ZSTD") buffer that does not decompress to the \(claimed) bytes it claims: the file is damaged")
        }
    }

    /// An LZ4 frame decompressed into `out`: the bytes written, -1 on bad data.
    private static func lz4Frame(_ data: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer, capacity: Int) -> Int {
        var context: OpaquePointer?
        guard LZ4F_isError(LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))) == 0, let context else { return -1 }
        defer { LZ4F_freeDecompressionContext(context) }
        var read = 0, written = 0
        while read < data.count {
            var source = data.count - read, destination = capacity - written
            let hint = LZ4F_decompress(context, out + written, &destination, data.baseAddress! + read, &source, nil)
            if LZ4F_isError(hint) != 0 { return -1 }
            read += source
            written += destination
            if hint == 0 { return read == data.count ? written : -1 }   // the frame ended
            if source == 0 && destination == 0 { return -1 }          // no progress: output full or input cut
        }
        return -1   // the input ended inside the frame
    }
}

/// Sizes an Arrow load refuses beyond (the fuzz target's are small).
struct ArrowLimits: Sendable {
    /// Bytes of one decompressed buffer.
    var bufferBytes: Int
    /// Rows of one record batch.
    var batchRows: Int
    /// Values of one vector column (rows × dimension).
    var vectorCells: Int

    static let standard = ArrowLimits(bufferBytes: 1 << 40, batchRows: 1 << 40, vectorCells: 1 << 40)
}
