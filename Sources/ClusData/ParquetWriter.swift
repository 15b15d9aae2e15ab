import ClusCore

/// Writes Thrift's compact protocol (see `ThriftReader`).
struct ThriftWriter {
    var bytes: [UInt8] = []
    private var lastIDs: [Int16] = [0]

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func zigzag(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    /// A field's header: the id as a delta from the last when it fits in four bits.
    mutating func field(_ id: Int16, _ type: ThriftReader.FieldType) {
        let delta = id - lastIDs[lastIDs.count - 1]
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            zigzag(Int64(id))
        }
        lastIDs[lastIDs.count - 1] = id
    }

    mutating func i32(_ id: Int16, _ v: Int) { field(id, .i32); zigzag(Int64(v)) }
    mutating func i64(_ id: Int16, _ v: Int) { field(id, .i64); zigzag(Int64(v)) }

    mutating func string(_ id: Int16, _ s: String) {
        field(id, .binary)
        varint(UInt64(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }

    mutating func beginStruct(_ id: Int16) {
        field(id, .structure)
        lastIDs.append(0)
    }

    mutating func endStruct() {
        bytes.append(0)
        lastIDs.removeLast()
    }

    /// A list field's header; its elements follow (structs with `beginElement`).
    mutating func list(_ id: Int16, of type: ThriftReader.FieldType, count: Int) {
        field(id, .list)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | type.rawValue)
        } else {
            bytes.append(0xF0 | type.rawValue)
            varint(UInt64(count))
        }
    }

    mutating func beginElement() { lastIDs.append(0) }

    mutating func element(_ s: String) {
        varint(UInt64(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }
}

/// Writes a dataset's `_id` (or the fields `fields=` names) and one column
/// per alias (the cluster names, null where a document has no label) as an
/// uncompressed Parquet file, PLAIN values, data pages v1 of up to 65,536
/// rows, one row group: what pyarrow, pandas, DuckDB and Spark read.
enum ParquetWriter {
    /// Rows per page: pages stay a few MB.
    static let pageRows = 65_536

    /// A column to write: its name and physical type, and each document's value.
    private struct Column {
        var name: String
        var type: ParquetMetadata.PhysicalType
        var value: (Int) -> FieldValue?
    }

    static func write(_ d: Dataset, fields: [Int], clusterings: [Int], explicitFields: Bool,
                      into file: inout AtomicFile, cancellation: Cancellation?) throws {
        var columns: [Column] = []
        let chosen = explicitFields ? fields : fields.filter { d.fields[$0].name == "_id" }
        for f in chosen {
            let field = d.fields[f]
            let type = physicalType(field.values)
            columns.append(Column(name: field.name, type: type) { doc in
                guard let v = field.values[doc], v != .null else { return nil }
                switch (type, v) {
                case (.byteArray, .string): return v
                case (.byteArray, _): return .string(v.description)
                case (.double, .int(let i)): return .double(Double(i))
                default: return v
                }
            })
        }
        // a column per alias; the vector field joins the name only when two clusterings share an alias
        let aliases = clusterings.map { d.clusterings[$0].alias }
        for c in clusterings {
            let clustering = d.clusterings[c]
            let shared = aliases.filter { $0 == clustering.alias }.count > 1 || chosen.contains { d.fields[$0].name == clustering.alias }
            let name = shared ? "\(clustering.vectorField).\(clustering.alias)" : clustering.alias
            columns.append(Column(name: name, type: .byteArray) { doc in
                let label = clustering.labels[doc]
                return label >= 0 ? .string(clustering.clusterNames[label]) : nil
            })
        }
        guard !columns.isEmpty else {
            throw DataError(path: file.path, message: "nothing to write: the dataset has no _id and no alias; give fields= or cluster first")
        }
        var offset = 4
        try file.write(Array("PAR1".utf8))
        var chunks: [(offset: Int, size: Int)] = []
        for column in columns {
            let start = offset
            var page = 0
            while page * pageRows < d.count || (d.count == 0 && page == 0) {
                try cancellation?.check()
                let rows = page * pageRows ..< min(d.count, (page + 1) * pageRows)
                let bytes = dataPage(column, rows: rows)
                try file.write(bytes)
                offset += bytes.count
                page += 1
            }
            chunks.append((start, offset - start))
        }
        let footer = metadata(columns, rows: d.count, chunks: chunks)
        try file.write(footer)
        let length = UInt32(footer.count)
        try file.write([UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)])
        try file.write(Array("PAR1".utf8))
    }

    /// The narrowest type that holds every value: BOOLEAN, INT64, DOUBLE, else strings (numbers as their text).
    private static func physicalType(_ values: [FieldValue?]) -> ParquetMetadata.PhysicalType {
        var bool = false, int = false, double = false, other = false
        for case let v? in values {
            switch v {
            case .null: continue
            case .bool: bool = true
            case .int: int = true
            case .double: double = true
            case .string: other = true
            }
        }
        if other || (bool && (int || double)) { return .byteArray }
        if bool { return .boolean }
        if double { return .double }
        return int ? .int64 : .byteArray
    }

    /// A data page (header and body) of `rows`: definition levels (RLE runs), then the PLAIN values.
    private static func dataPage(_ column: Column, rows: Range<Int>) -> [UInt8] {
        var levels: [UInt8] = []
        var values: [UInt8] = []
        var present = 0
        var run: (defined: Bool, length: Int)?
        func flush() {
            guard let r = run else { return }
            var w = ThriftWriter()
            w.varint(UInt64(r.length) << 1)   // an RLE run: the count, then the value in one byte
            levels += w.bytes
            levels.append(r.defined ? 1 : 0)
        }
        var bits: UInt8 = 0
        for doc in rows {
            let value = column.value(doc)
            let defined = value != nil
            if run?.defined == defined { run!.length += 1 } else { flush(); run = (defined, 1) }
            guard let value else { continue }
            switch value {
            case .bool(let b):
                if b { bits |= 1 << UInt8(present & 7) }
                if present & 7 == 7 { values.append(bits); bits = 0 }
            case .int(let i):
                withUnsafeBytes(of: Int64(i).littleEndian) { values += $0 }
            case .double(let x):
                withUnsafeBytes(of: x.bitPattern.littleEndian) { values += $0 }
            case .string(let s):
                withUnsafeBytes(of: UInt32(s.utf8.count).littleEndian) { values += $0 }
                values += s.utf8
            case .null:
                break
            }
            present += 1
        }
        flush()
        if column.type == .boolean && present & 7 != 0 { values.append(bits) }
        var body: [UInt8] = []
        withUnsafeBytes(of: UInt32(levels.count).littleEndian) { body += $0 }
        body += levels
        body += values
        var h = ThriftWriter()
        h.i32(1, 0)                 // DATA_PAGE
        h.i32(2, body.count)
        h.i32(3, body.count)
        h.beginStruct(5)
        h.i32(1, rows.count)
        h.i32(2, 0)                 // PLAIN
        h.i32(3, 3)                 // RLE definition levels
        h.i32(4, 3)                 // RLE repetition levels (none: the columns are flat)
        h.endStruct()
        h.bytes.append(0)
        return h.bytes + body
    }

    /// The footer: schema, one row group, each column chunk's place.
    private static func metadata(_ columns: [Column], rows: Int, chunks: [(offset: Int, size: Int)]) -> [UInt8] {
        var w = ThriftWriter()
        w.i32(1, 1)   // version
        w.list(2, of: .structure, count: columns.count + 1)
        w.beginElement()
        w.string(4, "schema")
        w.i32(5, columns.count)
        w.endStruct()
        for column in columns {
            w.beginElement()
            w.i32(1, Int(column.type.rawValue))
            w.i32(3, 1)   // OPTIONAL
            w.string(4, column.name)
            if column.type == .byteArray {
                w.i32(6, 0)   // UTF8
                w.beginStruct(10)
                w.beginStruct(1)   // LogicalType STRING
                w.endStruct()
                w.endStruct()
            }
            w.endStruct()
        }
        w.i64(3, rows)
        w.list(4, of: .structure, count: 1)
        w.beginElement()
        w.list(1, of: .structure, count: columns.count)
        for (column, chunk) in zip(columns, chunks) {
            w.beginElement()
            w.i64(2, chunk.offset)
            w.beginStruct(3)
            w.i32(1, Int(column.type.rawValue))
            w.list(2, of: .i32, count: 2)
            w.zigzag(0)   // PLAIN
            w.zigzag(3)   // RLE
            w.list(3, of: .binary, count: 1)
            w.element(column.name)
            w.i32(4, 0)   // UNCOMPRESSED
            w.i64(5, rows)
            w.i64(6, chunk.size)
            w.i64(7, chunk.size)
            w.i64(9, chunk.offset)
            w.endStruct()
            w.endStruct()
        }
        w.i64(2, chunks.reduce(0) { $0 + $1.size })
        w.i64(3, rows)
        w.endStruct()
        w.string(6, "clus")
        w.bytes.append(0)
        return w.bytes
    }
}
