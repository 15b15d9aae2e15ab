#if canImport(Glibc)
import Glibc
#endif
import ClusCore

/// Reads Apache Parquet files into a dataset, in Swift (see `ThriftReader`
/// for why it is hand-written): lists of FLOAT or DOUBLE become vector
/// fields, strings, integers, floats and booleans fields, nested structs
/// dotted names, `_cluster_.FIELD.ALIAS` columns aliases. Only the columns
/// the dataset keeps are read (a file's other column chunks are never
/// touched, and a mapped file's pages are read from disk only when touched);
/// each kept chunk is decoded once, straight into its column (a vector
/// column a second time only when its first row group misleads the guess
/// of its dimension), the column chunks of all row groups on all cores.
enum ParquetReader {
    /// What clus makes of a leaf column.
    enum Role: Equatable {
        case field
        case vector
        /// Left out of the dataset (its pages are not read), and why.
        case skipped(String)
    }

    struct Column {
        var leaf: ParquetLeaf
        /// The dataset's name for it: the dotted path, without a list's inner nodes.
        var name: String
        var role: Role
        /// Its index among the schema's leaves (and a row group's column chunks).
        var index: Int
    }

    /// One file, opened: its bytes and footer.
    struct File {
        let path: String
        let bytes: UnsafeRawBufferPointer
        let metadata: ParquetMetadata
        let columns: [Column]
    }

    /// The dataset in the Parquet file at `path`, or in the files a pattern
    /// (`dir/*.parquet`) names, one after another in name order.
    static func load(path: String, options: LoadOptions, cancellation: Cancellation?,
                     progress: ((Int, Int) -> Void)?) throws -> Dataset {
        let files = try ColumnarFiles(path, cancellation: cancellation)
        return try withExtendedLifetime(files) {
            try read(files.files, name: options.name ?? files.name, shownPath: path, options: options,
                     limits: .standard, cancellation: cancellation, progress: progress)
        }
    }

    /// About how many bytes loading takes at its peak: the file's pages and
    /// the decoded columns (vectors compress little, so about the files'
    /// size again). Nil when no file matches.
    static func memoryEstimate(path: String) -> Int? {
        guard let paths = try? ColumnarFiles.expand(path) else { return nil }
        var total = 0
        for p in paths {
            guard let sizes = FileBytes.sizes(p) else { return nil }
            total = saturatingSum(total, sizes.file)
        }
        return saturatingProduct(total, 2)
    }


    /// The dataset in `files` (each its path and bytes): the fuzz target calls this with tight `limits`.
    static func read(_ files: [(String, UnsafeRawBufferPointer)], name: String, shownPath: String, options: LoadOptions,
                     limits: ParquetLimits, cancellation: Cancellation? = nil,
                     progress: ((Int, Int) -> Void)? = nil) throws -> Dataset {
        var opened: [File] = []
        for (path, bytes) in files {
            let file = try open(path, bytes)
            if let first = opened.first {
                try ColumnarFiles.checkSameColumns(file.columns.map { "\($0.name) (\(describe($0)))" },
                                                   as: first.columns.map { "\($0.name) (\(describe($0)))" },
                                                   path: path, firstPath: first.path)
            }
            opened.append(file)
        }
        guard let first = opened.first else { throw DataError.noDocuments(shownPath) }
        if let wanted = options.vectorField, let column = first.columns.first(where: { $0.name == wanted }), column.role != .vector {
            throw DataError(path: first.path, message: "'\(wanted)' is not a vector field: \(notVector(column))")
        }
        let kept = first.columns.filter {
            if case .skipped = $0.role { return false }
            return true
        }
        let count = opened.reduce(0) { $0 + $1.metadata.rowGroups.reduce(0) { $0 + $1.rowCount } }
        guard count > 0 else { throw DataError.noDocuments(first.path) }
        var work = Work(files: opened, limits: limits, cancellation: cancellation, progress: progress)
        work.total = opened.reduce(0) { total, file in
            file.metadata.rowGroups.reduce(total) { t, g in kept.reduce(t) { $0 + g.columns[$1.index].compressedSize } }
        }
        let scalars = try work.scalars(kept.filter { $0.role == .field })
        var contents: [(name: String, content: ColumnContent)] = []
        for column in first.columns {
            switch column.role {
            case .field:
                contents.append((column.name, .field(scalars[column.index] ?? [])))
            case .vector:
                switch try work.vectors(column, count: count, path: shownPath, strict: options.strict) {
                case .success(let (vector, note)): contents.append((column.name, .vector(vector, note: note)))
                case .failure(let why): contents.append((column.name, .notVector(why.message)))
                }
            case .skipped(let why):
                contents.append((column.name, .leftOut(why)))
            }
        }
        return try Dataset(columns: contents, name: name, path: shownPath, notePath: first.path, count: count,
                           vectorField: options.vectorField)
    }

    /// A column's kind, as messages and the files' comparison name it: `list<FLOAT>`, `BYTE_ARRAY (string)`.
    private static func describe(_ c: Column) -> String {
        let type = c.leaf.type.name
        switch c.role {
        case .vector: return "list<\(type)>"
        case .field: return c.leaf.type == .byteArray ? "string" : type
        case .skipped: return "left out"
        }
    }

    /// Why `column` (no vector) cannot be `vector=`.
    private static func notVector(_ column: Column) -> String {
        switch column.role {
        case .skipped(let why): return why
        default: return "it holds \(describe(column)) values; a vector is a list of FLOAT or DOUBLE"
        }
    }

    /// Checks the file's magic numbers and reads its footer and schema.
    static func open(_ path: String, _ bytes: UnsafeRawBufferPointer) throws(DataError) -> File {
        func fail(_ message: String) -> DataError { DataError(path: path, message: message) }
        let magic: [UInt8] = Array("PAR1".utf8)
        guard bytes.count >= 4, Array(bytes[0 ..< 4]) == magic else {
            throw fail(bytes.isEmpty ? "empty file; not a Parquet file" : "not a Parquet file (no PAR1 at its start)")
        }
        guard bytes.count >= 12 else { throw fail("truncated Parquet file (\(bytes.count) bytes)") }
        let tail = Array(bytes[bytes.count - 4 ..< bytes.count])
        guard tail == magic else {
            throw fail(tail == Array("PARE".utf8) ? "encrypted Parquet is not supported"
                                                  : "truncated or corrupt Parquet file (no PAR1 at its end)")
        }
        let footerLength = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt32.self)))
        guard footerLength <= bytes.count - 12 else { throw fail("truncated or corrupt Parquet file (footer of \(footerLength) bytes)") }
        let footer = UnsafeRawBufferPointer(rebasing: bytes[bytes.count - 8 - footerLength ..< bytes.count - 8])
        let metadata: ParquetMetadata
        let columns: [Column]
        do throws(ParquetError) {
            metadata = try ParquetMetadata(footer)
            columns = try leaves(metadata.schema)
            for (g, group) in metadata.rowGroups.enumerated() {
                guard group.columns.count == columns.count else {
                    throw ParquetError("row group \(g + 1) has \(group.columns.count) column chunks for \(columns.count) columns")
                }
                for column in columns where group.columns[column.index].path != column.leaf.path {
                    throw ParquetError("row group \(g + 1): column chunk \(column.index + 1) is \(group.columns[column.index].path.joined(separator: ".")), the schema says \(column.leaf.path.joined(separator: "."))")
                }
            }
        } catch {
            throw fail("corrupt Parquet file: \(error.message)")
        }
        return File(path: path, bytes: bytes, metadata: metadata, columns: columns)
    }

    /// The schema's leaf columns with their levels and what clus makes of them.
    static func leaves(_ schema: [ParquetMetadata.SchemaElement]) throws(ParquetError) -> [Column] {
        var out: [Column] = []
        var next = 1
        /// The path's nodes: element, definition level, path of names.
        var stack: [(element: ParquetMetadata.SchemaElement, definition: Int, path: [String])] = []
        func walk(depth: Int) throws(ParquetError) {
            guard depth < 64 else { throw ParquetError("schema nested too deeply") }
            guard next < schema.count else { throw ParquetError("schema shorter than its groups say") }
            let e = schema[next]
            next += 1
            let parent = stack.last
            let definition = (parent?.definition ?? 0) + (e.repetition == .required ? 0 : 1)
            stack.append((e, definition, (parent?.path ?? []) + [e.name]))
            defer { stack.removeLast() }
            if e.childCount > 0 {
                for _ in 0 ..< e.childCount { try walk(depth: depth + 1) }
                return
            }
            guard let type = e.type else { throw ParquetError("column \(e.name) has no type") }
            out.append(classify(stack, type: type, index: out.count))
        }
        guard let root = schema.first else { throw ParquetError("empty schema") }
        for _ in 0 ..< root.childCount { try walk(depth: 1) }
        guard next == schema.count else { throw ParquetError("schema longer than its groups say") }
        return out
    }

    private static func classify(_ stack: [(element: ParquetMetadata.SchemaElement, definition: Int, path: [String])],
                                 type: ParquetMetadata.PhysicalType, index: Int) -> Column {
        let leafNode = stack[stack.count - 1]
        let repeated = stack.indices.filter { stack[$0].element.repetition == .repeated }
        var leaf = ParquetLeaf(path: leafNode.path, type: type, element: leafNode.element,
                               maxDefinition: leafNode.definition, maxRepetition: repeated.count)
        guard let r = repeated.first else {
            let name = leafNode.path.joined(separator: ".")
            let e = leafNode.element
            let role: Role
            switch type {
            case _ where e.logicalType == 5 || e.convertedType == 5: role = .skipped("decimals are not read")
            case .boolean, .int32, .int64, .float, .double: role = .field
            case .byteArray: role = e.isText || (e.logicalType == nil && e.convertedType == nil) ? .field : .skipped("binary values are not read")
            case .int96: role = .skipped("INT96 timestamps are not read")
            case .fixedLenByteArray: role = .skipped("FIXED_LEN_BYTE_ARRAY values are not read")
            }
            return Column(leaf: leaf, name: name, role: role, index: index)
        }
        // a list's name: its LIST- (or MAP-) annotated group, else the repeated node itself (the legacy two-level list)
        let named = r > 0 && (stack[r - 1].element.isList || stack[r - 1].element.isMap) ? r - 1 : r
        let name = stack[named].path.joined(separator: ".")
        leaf.listDefinition = stack[r].definition - 1
        let role: Role
        if repeated.count > 1 {
            role = .skipped("lists of lists are not read")
        } else if stack[r].element.isMap || (r > 0 && stack[r - 1].element.isMap) {
            role = .skipped("maps are not read")
        } else if r < stack.count - 2 || (r == stack.count - 2 && stack[r].element.childCount != 1) {
            role = .skipped("lists of structs are not read")
        } else if type == .float || type == .double {
            role = .vector
        } else {
            role = .skipped("a list of \(type.name) is not a vector (lists of FLOAT or DOUBLE are)")
        }
        return Column(leaf: leaf, name: name, role: role, index: index)
    }
}
