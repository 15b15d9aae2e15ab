import ClusCore

/// Reads Apache Arrow IPC files into a dataset: Feather 2 files
/// (`pyarrow.feather.write_feather`, pandas' `to_feather`, polars'
/// `write_ipc`; uncompressed, LZ4 or ZSTD) and IPC streams (the `.arrow`
/// files Hugging Face `datasets` keeps). Lists of float16/32/64 (variable or
/// fixed size) become vector fields; integers, floats, booleans, strings
/// (plain, large, views, dictionary-encoded as pandas' categoricals), dates
/// and times fields; struct members dotted names; `_cluster_.FIELD.ALIAS`
/// columns aliases. The record batches are decoded on all cores, the
/// vectors straight into their rows.
enum ArrowReader {
    /// What clus makes of a column.
    enum Role: Equatable {
        case field
        case vector
        /// Left out of the dataset (its buffers are not read), and why.
        case skipped(String)
    }

    /// A column of the dataset: a top-level field, or a struct's member.
    struct Column {
        /// The dotted path: `meta.lang`.
        var name: String
        var role: Role
        var field: ArrowField
    }

    /// One file, its messages read: the schema, the dictionaries of the kept
    /// columns, the record batches.
    struct File {
        let path: String
        let bytes: UnsafeRawBufferPointer
        let columns: [Column]
        let schema: [ArrowField]
        /// Each batch with the dictionaries as they stood when it was written.
        let batches: [(batch: ArrowBatch, dictionaries: [Int: [FieldValue?]])]
    }

    /// The dataset in the Arrow file at `path`, or in the files a pattern
    /// (`cache/*.arrow`) names, one after another in name order.
    static func load(path: String, options: LoadOptions, cancellation: Cancellation?,
                     progress: ((Int, Int) -> Void)?) throws -> Dataset {
        let files = try ColumnarFiles(path, cancellation: cancellation)
        let shown = path == StandardInput.path ? StandardInput.displayName : path
        return try withExtendedLifetime(files) {
            try read(files.files, name: options.name ?? files.name, shownPath: shown, options: options, limits: .standard,
                     cancellation: cancellation, progress: progress)
        }
    }

    /// About how many bytes loading takes at its peak: the files' pages and
    /// the decoded columns (vectors compress little: about the files' size
    /// again). Nil when no file matches.
    static func memoryEstimate(path: String) -> Int? { ParquetReader.memoryEstimate(path: path) }

    /// The dataset in `files` (each its path and bytes): the fuzz target calls this with tight `limits`.
    static func read(_ files: [(String, UnsafeRawBufferPointer)], name: String, shownPath: String, options: LoadOptions,
                     limits: ArrowLimits, cancellation: Cancellation? = nil,
                     progress: ((Int, Int) -> Void)? = nil) throws -> Dataset {
        var opened: [File] = []
        for (path, bytes) in files {
            let file = try open(path, bytes, limits: limits)
            if let first = opened.first {
                try ColumnarFiles.checkSameColumns(file.columns.map { "\($0.name) (\(describe($0)))" },
                                                   as: first.columns.map { "\($0.name) (\(describe($0)))" },
                                                   path: path, firstPath: first.path)
            }
            opened.append(file)
        }
        guard let first = opened.first else { throw DataError.noDocuments(shownPath) }
        if let wanted = options.vectorField, let column = first.columns.first(where: { $0.name == wanted }), column.role != .vector {
            let why = if case .skipped(let why) = column.role { why } else { "it holds \(describe(column)) values; a vector is a list of halffloat, float or double" }
            throw DataError(path: first.path, message: "'\(wanted)' is not a vector field: \(why)")
        }
        // every record batch of every file, where its rows start in the dataset
        var tasks: [(file: Int, batch: Int, firstRow: Int)] = []
        var count = 0
        for (f, file) in opened.enumerated() {
            for (b, entry) in file.batches.enumerated() {
                tasks.append((f, b, count))
                let (sum, overflow) = count.addingReportingOverflow(entry.batch.length)
                guard !overflow else { throw DataError(path: file.path, message: "too many rows") }
                count = sum
            }
        }
        guard count > 0 else { throw DataError.noDocuments(first.path) }
        let columns = first.columns
        let vectorColumns = columns.indices.filter { columns[$0].role == .vector }
        let scalarColumns = Set(columns.indices.filter { columns[$0].role == .field })
        let variable = vectorColumns.filter {
            if case .fixedSizeList = columns[$0].field.type { return false }
            return true
        }
        var passes = Passes(files: opened, tasks: tasks, limits: limits, cancellation: cancellation, progress: progress)
        passes.total = tasks.reduce(0) { $0 + opened[$1.file].batches[$1.batch].batch.body.count }
            * ((variable.isEmpty ? 0 : 1) + (scalarColumns.isEmpty ? 0 : 1) + vectorColumns.count)

        // the lists' lengths first (offsets and validity only), for the dimension of a column of variable lists
        var dimensions: [Int: Result<Int, ParquetError>] = [:]
        for c in vectorColumns {
            if case .fixedSizeList(let n) = columns[c].field.type { dimensions[c] = .success(n) }
        }
        if !variable.isEmpty {
            let parts = try passes.run(Set(variable), lengthsOnly: true)
            for c in variable { dimensions[c] = ParquetReader.dimension(parts.map { $0.lists[c] ?? ParquetReader.ListRows() }) }
        }
        let scalars = scalarColumns.isEmpty ? [] : try passes.run(scalarColumns, lengthsOnly: false)

        var contents: [(name: String, content: ColumnContent)] = []
        for (c, column) in columns.enumerated() {
            switch column.role {
            case .field:
                var values: [FieldValue?] = []
                values.reserveCapacity(count)
                for part in scalars { values += part.scalars[c] ?? [] }
                contents.append((column.name, .field(values)))
            case .vector:
                let d: Int
                switch dimensions[c] ?? .success(0) {
                case .failure(let why):
                    contents.append((column.name, .notVector(why.message)))
                    continue
                case .success(let n): d = n
                }
                let (cells, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow, cells <= limits.vectorCells else {
                    throw DataError(path: shownPath, message: "'\(column.name)': \(count) × \(d) values are too many")
                }
                // not zeroed first, on huge pages: the batches write every row, touching each page once, on all cores
                let matrix = ExternalFloats.uninitialized(count: cells)
                let parts = try passes.run([c], lengthsOnly: false, dimension: d, matrix: UncheckedBox(matrix.mutableBase))
                    .map { $0.lists[c] ?? ParquetReader.ListRows() }
                switch ParquetReader.dimension(parts) {
                case .failure(let why):
                    contents.append((column.name, .notVector(why.message)))
                case .success:
                    // a fixed size's lists are all of it; a variable one's tally was taken from these same lengths
                    let (vector, note) = try ParquetReader.vectorColumn(column.name, parts, matrix: VectorValues(external: matrix),
                                                                        count: count, dimension: d,
                                                                        path: shownPath, strict: options.strict)
                    contents.append((column.name, .vector(vector, note: note)))
                }
            case .skipped(let why):
                contents.append((column.name, .leftOut(why)))
            }
        }
        return try Dataset(columns: contents, name: name, path: shownPath, notePath: first.path, count: count,
                           vectorField: options.vectorField)
    }

    /// A column's kind, as messages and the files' comparison name it: `list<float>`, `string`.
    private static func describe(_ c: Column) -> String {
        switch c.role {
        case .vector: "\(c.field.type.name)<\(c.field.children.first?.type.name ?? "?")>"
        case .field: c.field.dictionary != nil ? "dictionary<\(c.field.type.name)>" : c.field.type.name
        case .skipped: "left out"
        }
    }

    /// Reads the file's messages: its schema, the kept columns' dictionaries, its record batches' metadata.
    static func open(_ path: String, _ bytes: UnsafeRawBufferPointer, limits: ArrowLimits) throws(DataError) -> File {
        do throws(ArrowError) {
            var messages = try ArrowMessages(bytes)
            var schema: [ArrowField]?
            var columns: [Column] = []
            var wanted: [Int: ArrowField] = [:]   // the dictionaries of the kept scalar columns, by id
            var dictionaries: [Int: [FieldValue?]] = [:]
            var batches: [(batch: ArrowBatch, dictionaries: [Int: [FieldValue?]])] = []
            while let (message, offset) = try messages.next() {
                switch message {
                case .schema(let fields):
                    guard schema == nil else { throw ArrowError("a second schema, at offset \(offset)") }
                    schema = fields
                    columns = leaves(fields)
                    for column in columns where column.role == .field {
                        if let encoding = column.field.dictionary { wanted[encoding.id] = column.field }
                    }
                case .dictionary(let id, let batch, let isDelta):
                    guard schema != nil else { throw ArrowError("a dictionary batch before the schema, at offset \(offset)") }
                    guard var field = wanted[id] else { continue }
                    field.dictionary = nil
                    let buffers = ArrowBatchBuffers(batch, file: bytes, limits: limits)
                    var walk = BatchWalk(buffers: buffers)
                    let values: [FieldValue?]
                    do throws(ArrowError) {
                        try buffers.checkRows()
                        values = try walk.scalars(field, rows: batch.length, parent: nil, dictionaries: [:])
                    } catch {
                        throw ArrowError("dictionary \(id) (at offset \(offset)): \(error.message)")
                    }
                    dictionaries[id] = isDelta ? (dictionaries[id] ?? []) + values : values
                case .recordBatch(let batch):
                    guard schema != nil else { throw ArrowError("a record batch before the schema, at offset \(offset)") }
                    do throws(ArrowError) {
                        try ArrowBatchBuffers(batch, file: bytes, limits: limits).checkRows()
                    } catch {
                        throw ArrowError("record batch \(batches.count + 1) (at offset \(offset)): \(error.message)")
                    }
                    batches.append((batch, dictionaries))
                }
            }
            guard let schema else { throw ArrowError("no schema: the stream ends before its first message") }
            return File(path: path, bytes: bytes, columns: columns, schema: schema, batches: batches)
        } catch {
            throw DataError(path: path, message: error.message)
        }
    }

    /// The schema's columns: each top-level field, a struct's members in its
    /// place (dotted names), and what clus makes of each.
    static func leaves(_ fields: [ArrowField]) -> [Column] {
        var out: [Column] = []
        func visit(_ field: ArrowField, prefix: String) {
            if field.dictionary == nil && field.type == .structure {
                for child in field.children { visit(child, prefix: prefix + field.name + ".") }
            } else {
                out.append(Column(name: prefix + field.name, role: role(field), field: field))
            }
        }
        for field in fields { visit(field, prefix: "") }
        return out
    }

    private static func role(_ field: ArrowField) -> Role {
        let scalar: Bool = switch field.type {
        case .null, .int, .float, .bool, .utf8, .largeUtf8, .utf8View, .temporal: true
        default: false
        }
        if field.dictionary != nil {
            return scalar && field.type != .null ? .field : .skipped("dictionary-encoded \(field.type.name) values are not read")
        }
        if scalar { return .field }
        switch field.type {
        case .binary, .largeBinary, .binaryView, .fixedSizeBinary: return .skipped("binary values are not read")
        case .decimal: return .skipped("decimals are not read")
        case .interval: return .skipped("intervals are not read")
        case .map: return .skipped("maps are not read")
        case .union: return .skipped("unions are not read")
        case .runEndEncoded: return .skipped("run-end encoded columns are not read")
        case .listView, .largeListView: return .skipped("list views are not read")
        case .list, .largeList, .fixedSizeList:
            guard field.children.count == 1, let element = field.children.first else { return .skipped("a list without its element type") }
            switch element.type {
            case _ where element.dictionary != nil: return .skipped("a list of dictionary-encoded values is not a vector")
            case .float: return .vector
            case .list, .largeList, .fixedSizeList, .listView, .largeListView: return .skipped("lists of lists are not read")
            case .structure: return .skipped("lists of structs are not read")
            default: return .skipped("a list of \(element.type.name) is not a vector (lists of halffloat, float or double are)")
            }
        default: return .skipped("\(field.type.name) values are not read")
        }
    }

}

extension ArrowReader {
    /// One record batch's decoded columns, by column index.
    struct BatchColumns {
        var scalars: [Int: [FieldValue?]] = [:]
        var lists: [Int: ParquetReader.ListRows] = [:]
    }

    /// The passes of a load over every record batch, each on all cores.
    struct Passes {
        let files: [File]
        let tasks: [(file: Int, batch: Int, firstRow: Int)]
        let limits: ArrowLimits
        let cancellation: Cancellation?
        let progress: ((Int, Int) -> Void)?
        var total = 0
        var done = 0

        init(files: [File], tasks: [(file: Int, batch: Int, firstRow: Int)], limits: ArrowLimits,
             cancellation: Cancellation?, progress: ((Int, Int) -> Void)?) {
            self.files = files
            self.tasks = tasks
            self.limits = limits
            self.cancellation = cancellation
            self.progress = progress
        }

        /// `columns` of every batch, in batch order: their lists' lengths only,
        /// or their values (a vector column's rows into `matrix`, `dimension` wide).
        mutating func run(_ columns: Set<Int>, lengthsOnly: Bool, dimension: Int = 0,
                          matrix: UncheckedBox<UnsafeMutablePointer<Float>?> = UncheckedBox(nil)) throws -> [BatchColumns] {
            let files = self.files, tasks = self.tasks, limits = self.limits
            var out = [BatchColumns](repeating: BatchColumns(), count: tasks.count)
            progress?(done, total)
            try out.withUnsafeMutableBufferPointer { parts in
                let parts = UncheckedBox(parts)
                try runLoadTasks(tasks.count, cancellation: cancellation, finished: { wave in
                    done += wave.reduce(0) { $0 + files[tasks[$1].file].batches[tasks[$1].batch].batch.body.count }
                    progress?(done, total)
                }) { k in
                    let task = tasks[k], file = files[task.file], entry = file.batches[task.batch]
                    let buffers = ArrowBatchBuffers(entry.batch, file: file.bytes, limits: limits)
                    var walk = BatchWalk(buffers: buffers)
                    let rows = entry.batch.length
                    var leaf = 0
                    var decoded = BatchColumns()
                    func visit(_ field: ArrowField, parent: [Bool]?) throws(ArrowError) {
                        if field.dictionary == nil && field.type == .structure {
                            let within = try walk.structure(rows: rows, parent: parent)
                            for child in field.children { try visit(child, parent: within) }
                            return
                        }
                        let c = leaf
                        leaf += 1
                        let column = file.columns[c]
                        guard columns.contains(c) else { return try walk.skip(field) }
                        do throws(ArrowError) {
                            if column.role == .vector {
                                decoded.lists[c] = try walk.list(field, rows: rows, parent: parent, dimension: dimension,
                                                                 into: matrix.value.map { $0 + task.firstRow * dimension },
                                                                 lengthsOnly: lengthsOnly)
                            } else {
                                decoded.scalars[c] = try walk.scalars(field, rows: rows, parent: parent, dictionaries: entry.dictionaries)
                            }
                        } catch {
                            throw ArrowError("column '\(column.name)': \(error.message)")
                        }
                    }
                    do throws(ArrowError) {
                        for field in file.schema { try visit(field, parent: nil) }
                    } catch {
                        throw DataError(path: file.path, message: "record batch \(task.batch + 1): \(error.message)")
                    }
                    parts.value[k] = decoded
                }
            }
            return out
        }
    }
}
