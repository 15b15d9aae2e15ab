/// The parts of a Parquet file's footer (`FileMetaData`, parquet.thrift)
/// and page headers that clus reads; other fields are skipped.
struct ParquetMetadata {
    var schema: [SchemaElement] = []
    var rowCount = 0
    var rowGroups: [RowGroup] = []

    /// Physical types (parquet.thrift `Type`).
    enum PhysicalType: Int32 {
        case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLenByteArray = 7

        var name: String {
            switch self {
            case .boolean: "BOOLEAN"
            case .int32: "INT32"
            case .int64: "INT64"
            case .int96: "INT96"
            case .float: "FLOAT"
            case .double: "DOUBLE"
            case .byteArray: "BYTE_ARRAY"
            case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY"
            }
        }
    }

    enum Repetition: Int32 { case required = 0, optional = 1, repeated = 2 }

    struct SchemaElement {
        var type: PhysicalType?
        var typeLength = 0
        var repetition = Repetition.required
        var name = ""
        var childCount = 0
        var convertedType: Int32?
        /// The `LogicalType` union's member id (1 STRING, 3 LIST, 4 ENUM, 12 JSON, …).
        var logicalType: Int16?

        /// Annotated as text (STRING, ENUM, JSON; or the older UTF8/ENUM/JSON converted types).
        var isText: Bool {
            if let l = logicalType { return l == 1 || l == 4 || l == 12 }
            return convertedType == 0 || convertedType == 4 || convertedType == 19
        }

        /// Annotated as a LIST (logical or converted type).
        var isList: Bool { logicalType == 3 || convertedType == 3 }

        /// Annotated as a MAP.
        var isMap: Bool { logicalType == 2 || convertedType == 1 || convertedType == 2 }

        /// An unsigned 64-bit integer (values above Int64.max do not fit an Int).
        var isUnsigned64: Bool { convertedType == 14 }
    }

    struct RowGroup {
        var columns: [ColumnChunk] = []
        var rowCount = 0
    }

    struct ColumnChunk {
        var path: [String] = []
        var type: PhysicalType?
        var codec: Int32 = 0
        var valueCount = 0
        var compressedSize = 0
        var dataPageOffset = 0
        var dictionaryPageOffset: Int?
        /// Set when the chunk's data lies in another file, which clus does not read.
        var filePath: String?
    }

    /// Reads the footer's Thrift bytes.
    init(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        var r = ThriftReader(bytes)
        var schema: [SchemaElement] = [], rowGroups: [RowGroup] = [], rowCount: Int?
        try r.readStruct { r, id, type throws(ParquetError) in
            switch (id, type) {
            case (2, 9): schema = try r.structList(ParquetMetadata.schemaElement)
            case (3, 6): rowCount = try r.size("row count")
            case (4, 9): rowGroups = try r.structList(ParquetMetadata.rowGroup)
            default: return false
            }
            return true
        }
        guard let rowCount, !schema.isEmpty else { throw ParquetError("bad metadata: no schema or row count") }
        self.schema = schema
        self.rowCount = rowCount
        self.rowGroups = rowGroups
    }

    private static func schemaElement(_ r: inout ThriftReader) throws(ParquetError) -> SchemaElement {
        var e = SchemaElement()
        try r.readStruct { r, id, type throws(ParquetError) in
            switch (id, type) {
            case (1, 5): e.type = PhysicalType(rawValue: try r.i32())
            case (2, 5): e.typeLength = Int(try r.i32())
            case (3, 5):
                let v = try r.i32()
                guard let rep = Repetition(rawValue: v) else { throw ParquetError("bad metadata: repetition type \(v)") }
                e.repetition = rep
            case (4, 8): e.name = try r.string()
            case (5, 5): e.childCount = try r.size("number of children")
            case (6, 5): e.convertedType = try r.i32()
            case (10, 12):
                // a union: the one field set names the logical type
                try r.readStruct(depth: 1) { r, member, memberType throws(ParquetError) in
                    e.logicalType = member
                    return false
                }
            default: return false
            }
            return true
        }
        return e
    }

    private static func rowGroup(_ r: inout ThriftReader) throws(ParquetError) -> RowGroup {
        var g = RowGroup()
        try r.readStruct { r, id, type throws(ParquetError) in
            switch (id, type) {
            case (1, 9): g.columns = try r.structList(ParquetMetadata.columnChunk)
            case (3, 6): g.rowCount = try r.size("row count")
            default: return false
            }
            return true
        }
        return g
    }

    private static func columnChunk(_ r: inout ThriftReader) throws(ParquetError) -> ColumnChunk {
        var c = ColumnChunk()
        try r.readStruct { r, id, type throws(ParquetError) in
            switch (id, type) {
            case (1, 8): c.filePath = try r.string()
            case (3, 12):
                try r.readStruct(depth: 1) { r, id, type throws(ParquetError) in
                    switch (id, type) {
                    case (1, 5): c.type = PhysicalType(rawValue: try r.i32())
                    case (3, 9): c.path = try r.stringList()
                    case (4, 5): c.codec = try r.i32()
                    case (5, 6): c.valueCount = try r.size("value count")
                    case (7, 6): c.compressedSize = try r.size("compressed size")
                    case (9, 6): c.dataPageOffset = try r.size("data page offset")
                    case (11, 6): c.dictionaryPageOffset = try r.size("dictionary page offset")
                    default: return false
                    }
                    return true
                }
            default: return false
            }
            return true
        }
        return c
    }
}

/// A page's header (parquet.thrift `PageHeader` and the headers of the page kinds clus reads).
struct PageHeader {
    enum Kind: Int32 { case data = 0, index = 1, dictionary = 2, dataV2 = 3 }

    var kind: Kind?
    var rawKind: Int32 = -1
    var uncompressedSize = 0
    var compressedSize = 0
    var valueCount = 0
    var encoding: Int32 = 0
    var definitionLevelEncoding: Int32 = 3
    var repetitionLevelEncoding: Int32 = 3
    /// Data page v2: the level bytes' lengths (stored uncompressed before the values), and whether the values are compressed.
    var definitionLevelsLength = 0
    var repetitionLevelsLength = 0
    var isCompressed = true
    /// Data page v2: rows in the page.
    var rowCount = 0

    /// Reads the header at `r`'s position, leaving `r` after it.
    init(_ r: inout ThriftReader) throws(ParquetError) {
        var header = PageHeader(empty: ())
        try r.readStruct { r, id, type throws(ParquetError) in
            switch (id, type) {
            case (1, 5):
                header.rawKind = try r.i32()
                header.kind = Kind(rawValue: header.rawKind)
            case (2, 5): header.uncompressedSize = try r.size("page size")
            case (3, 5): header.compressedSize = try r.size("page size")
            case (5, 12), (7, 12), (8, 12):
                try r.readStruct(depth: 1) { r, member, t throws(ParquetError) in
                    switch (id, member, t) {
                    case (_, 1, 5): header.valueCount = try r.size("value count")
                    case (5, 2, 5), (7, 2, 5), (8, 4, 5): header.encoding = try r.i32()
                    case (5, 3, 5): header.definitionLevelEncoding = try r.i32()
                    case (5, 4, 5): header.repetitionLevelEncoding = try r.i32()
                    case (8, 3, 5): header.rowCount = try r.size("row count")
                    case (8, 5, 5): header.definitionLevelsLength = try r.size("level length")
                    case (8, 6, 5): header.repetitionLevelsLength = try r.size("level length")
                    case (8, 7, 1), (8, 7, 2): header.isCompressed = ThriftReader.bool(t)
                    default: return false
                    }
                    return true
                }
            default: return false
            }
            return true
        }
        self = header
    }

    private init(empty: ()) {}
}

/// Names of Parquet's encodings and codecs, for messages.
enum ParquetNames {
    static func encoding(_ e: Int32) -> String {
        switch e {
        case 0: "PLAIN"
        case 2: "PLAIN_DICTIONARY"
        case 3: "RLE"
        case 4: "BIT_PACKED"
        case 5: "DELTA_BINARY_PACKED"
        case 6: "DELTA_LENGTH_BYTE_ARRAY"
        case 7: "DELTA_BYTE_ARRAY"
        case 8: "RLE_DICTIONARY"
        case 9: "BYTE_STREAM_SPLIT"
        default: "encoding \(e)"
        }
    }

    static func codec(_ c: Int32) -> String {
        switch c {
        case 0: "UNCOMPRESSED"
        case 1: "SNAPPY"
        case 2: "GZIP"
        case 3: "LZO"
        case 4: "BROTLI"
        case 5: "LZ4"
        case 6: "ZSTD"
        case 7: "LZ4_RAW"
        default: "codec \(c)"
        }
    }
}
