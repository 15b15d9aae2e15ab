#if canImport(Glibc)
import Glibc
#endif
import ClusCore

extension ParquetReader {
    /// Decodes the kept columns of a load's files: the scalar columns' chunks
    /// of every row group on all cores, then each vector column, its row
    /// groups on all cores, each writing its rows straight into the column's
    /// matrix (no buffer of elements, no copy afterwards).
    struct Work {
        let files: [File]
        let limits: ParquetLimits
        let cancellation: Cancellation?
        let progress: ((Int, Int) -> Void)?
        /// Compressed bytes of the kept chunks, and those decoded so far (for the progress bar).
        var total = 0
        var done = 0

        init(files: [File], limits: ParquetLimits, cancellation: Cancellation?, progress: ((Int, Int) -> Void)?) {
            self.files = files
            self.limits = limits
            self.cancellation = cancellation
            self.progress = progress
        }

        /// A row group of a file: where its rows start in the dataset.
        struct Group {
            var file: Int
            var group: Int
            var firstRow: Int
        }

        var groups: [Group] {
            var out: [Group] = []
            var row = 0
            for (f, file) in files.enumerated() {
                for (g, group) in file.metadata.rowGroups.enumerated() {
                    out.append(Group(file: f, group: g, firstRow: row))
                    row += group.rowCount
                }
            }
            return out
        }

        /// Runs `body` for each of `count` tasks on all cores (`runLoadTasks`),
        /// the progress bar told of each wave's compressed bytes.
        mutating func run(_ count: Int, bytes: (Int) -> Int, _ body: @escaping (Int) throws -> Void) throws {
            progress?(done, total)
            try runLoadTasks(count, cancellation: cancellation, finished: { wave in
                done += wave.reduce(0) { $0 + bytes($1) }
                progress?(done, total)
            }, body)
        }

        /// The values of each scalar column, by leaf index.
        mutating func scalars(_ columns: [Column]) throws -> [Int: [FieldValue?]] {
            guard !columns.isEmpty else { return [:] }
            let groups = self.groups, files = self.files, limits = self.limits
            let tasks = groups.count * columns.count
            var parts = [[FieldValue?]](repeating: [], count: tasks)
            try parts.withUnsafeMutableBufferPointer { out in
                let out = UncheckedBox(out)
                try run(tasks, bytes: { k in
                    let g = groups[k / columns.count]
                    return files[g.file].metadata.rowGroups[g.group].columns[columns[k % columns.count].index].compressedSize
                }) { k in
                    let g = groups[k / columns.count], column = columns[k % columns.count]
                    let file = files[g.file], group = file.metadata.rowGroups[g.group]
                    do throws(ParquetError) {
                        out.value[k] = try ParquetReader.scalars(file.bytes, column, group.columns[column.index], rows: group.rowCount, limits: limits)
                    } catch {
                        throw DataError(path: file.path, message: "column '\(column.name)', row group \(g.group + 1): \(error.message)")
                    }
                }
            }
            var byColumn: [Int: [FieldValue?]] = [:]
            for (c, column) in columns.enumerated() {
                var values: [FieldValue?] = []
                values.reserveCapacity(groups.reduce(0) { $0 + files[$1.file].metadata.rowGroups[$1.group].rowCount })
                for g in groups.indices { values += parts[g * columns.count + c] }
                byColumn[column.index] = values
            }
            return byColumn
        }

        /// A list column as a vector field, with the note on documents
        /// without a usable vector; a failure says why it is no vector field.
        ///
        /// The rows are written into the matrix at the dimension the first row
        /// group's value count implies (or, when its lists are not all of one
        /// length, its first page's lists); should the column's dimension (the
        /// most common length) turn out another, it is decoded once more at that one.
        mutating func vectors(_ column: Column, count n: Int, path: String, strict: Bool) throws -> Result<(VectorColumn, String?), ParquetError> {
            let groups = self.groups, files = self.files, limits = self.limits
            var d = 1
            if let g = groups.first(where: { files[$0.file].metadata.rowGroups[$0.group].rowCount > 0 }) {
                let file = files[g.file], group = file.metadata.rowGroups[g.group]
                let slots = group.columns[column.index].valueCount
                // lists all of one length, the common case, fill their chunk's level slots evenly: no page is read to tell
                if slots > 0 && slots % group.rowCount == 0 {
                    d = slots / group.rowCount
                } else {
                    do throws(ParquetError) {
                        d = try ParquetReader.probeDimension(file.bytes, column, group.columns[column.index], limits: limits) ?? 1
                    } catch {
                        throw DataError(path: file.path, message: "column '\(column.name)', row group \(g.group + 1): \(error.message)")
                    }
                }
            }
            for attempt in 0 ..< 2 {
                let (cells, overflow) = n.multipliedReportingOverflow(by: d)
                guard !overflow, cells <= limits.vectorCells else {
                    throw DataError(path: path, message: "'\(column.name)': \(n) × \(d) values are too many")
                }
                var matrix = [Float](repeating: 0, count: cells)
                var parts = [ListRows](repeating: ListRows(), count: groups.count)
                try matrix.withUnsafeMutableBufferPointer { m in
                    let m = UncheckedBox(m)
                    try parts.withUnsafeMutableBufferPointer { out in
                        let out = UncheckedBox(out)
                        let dimension = d
                        try run(groups.count, bytes: { k in
                            files[groups[k].file].metadata.rowGroups[groups[k].group].columns[column.index].compressedSize
                        }) { k in
                            let g = groups[k], file = files[g.file], group = file.metadata.rowGroups[g.group]
                            do throws(ParquetError) {
                                out.value[k] = try ParquetReader.list(file.bytes, column, group.columns[column.index], dimension: dimension,
                                                                      into: m.value.baseAddress! + g.firstRow * dimension, rows: group.rowCount,
                                                                      limits: limits)
                            } catch {
                                throw DataError(path: file.path, message: "column '\(column.name)', row group \(g.group + 1): \(error.message)")
                            }
                        }
                    }
                }
                switch ParquetReader.dimension(parts) {
                case .failure(let why): return .failure(why)
                case .success(let best) where best != d && attempt == 0: d = best
                case .success(let best):
                    guard best == d else { return .failure(ParquetError("its lists' most common length changed while it was read")) }
                    return .success(try ParquetReader.vectorColumn(column.name, parts, matrix: VectorValues(matrix), count: n, dimension: d,
                                                                   path: path, strict: strict))
                }
            }
            return .failure(ParquetError("its lists' most common length changed while it was read"))
        }
    }

    /// One scalar column chunk decoded; its row count checked against the row group's.
    static func scalars(_ file: UnsafeRawBufferPointer, _ column: Column, _ chunk: ParquetMetadata.ColumnChunk, rows: Int,
                        limits: ParquetLimits) throws(ParquetError) -> [FieldValue?] {
        guard chunk.type == column.leaf.type else {
            throw ParquetError("its chunk is \(chunk.type?.name ?? "of no known type"), the schema says \(column.leaf.type.name)")
        }
        var reader = ParquetChunkReader(file: file, leaf: column.leaf, chunk: chunk, limits: limits)
        var values: [FieldValue?] = []
        values.reserveCapacity(min(rows, limits.pageValues))
        var table: [FieldValue]?
        let maxDefinition = UInt8(column.leaf.maxDefinition)
        try reader.forEachPage { (page, reader) throws(ParquetError) in
            let present = page.definition.map { d in d.reduce(0) { $0 + ($1 == maxDefinition ? 1 : 0) } } ?? page.count
            let decoded = try ParquetValues.scalars(page, count: present, reader: reader, table: &table)
            guard let definition = page.definition else {
                values += decoded.lazy.map { $0 }
                return true
            }
            var next = 0
            for d in definition {
                if d == maxDefinition { values.append(decoded[next]); next += 1 } else { values.append(nil) }
            }
            return true
        }
        guard values.count == rows else { throw ParquetError("\(values.count) rows where the row group has \(rows)") }
        return values
    }

    /// One row group's rows of a list column, as written into the matrix.
    struct ListRows {
        /// Elements per row; -1 for a null list.
        var lengths: [Int32] = []
        /// Rows (in the row group) that are no usable vector of the dimension
        /// and hold elements: those elements, NaN for a null one.
        var odd: [Int: [Float]] = [:]
        /// Rows whose list holds a null element.
        var nullElementRows: Set<Int> = []
        var rounded = false
    }

    /// The length most of the first page's lists have: the guess the matrix is laid out by.
    static func probeDimension(_ file: UnsafeRawBufferPointer, _ column: Column, _ chunk: ParquetMetadata.ColumnChunk,
                               limits: ParquetLimits) throws(ParquetError) -> Int? {
        var reader = ParquetChunkReader(file: file, leaf: column.leaf, chunk: chunk, limits: limits)
        var tally: [Int: Int] = [:]
        let listDefinition = UInt8(column.leaf.listDefinition)
        try reader.forEachPage { (page, _) throws(ParquetError) in
            guard let repetition = page.repetition, let definition = page.definition else { throw ParquetError("a list without levels") }
            var current = -1
            for i in 0 ..< page.count {
                if repetition[i] == 0 {
                    if current > 0 { tally[current, default: 0] += 1 }
                    current = 0
                }
                if definition[i] > listDefinition && current >= 0 { current += 1 }
            }
            if tally.isEmpty && current > 0 { tally[current] = 1 }   // a page of one list
            return tally.isEmpty
        }
        return tally.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
    }

    /// One list column chunk decoded into `matrix` (its `rows` rows of
    /// `dimension` floats, zeroed): a page whose lists all have the
    /// dimension is decoded straight into place; a page with a null, a list
    /// of another length or a null element goes element by element, the odd
    /// rows kept aside (and zeroed in the matrix).
    static func list(_ file: UnsafeRawBufferPointer, _ column: Column, _ chunk: ParquetMetadata.ColumnChunk, dimension d: Int,
                     into matrix: UnsafeMutablePointer<Float>, rows: Int, limits: ParquetLimits) throws(ParquetError) -> ListRows {
        guard chunk.type == column.leaf.type else {
            throw ParquetError("its chunk is \(chunk.type?.name ?? "of no known type"), the schema says \(column.leaf.type.name)")
        }
        var reader = ParquetChunkReader(file: file, leaf: column.leaf, chunk: chunk, limits: limits)
        var out = ListRows()
        out.lengths.reserveCapacity(rows)
        let maxDefinition = UInt8(column.leaf.maxDefinition), listDefinition = UInt8(column.leaf.listDefinition)
        var open = -2              // elements in the open row; -1 a null list; -2 no row open yet
        var openElements: [Float]?  // the open row's elements once it is odd
        var scratch: [Float] = []
        var table: [Float]?

        /// Closes the open row: an odd one keeps its elements aside, and its matrix row is zeroed.
        func close() {
            let row = out.lengths.count
            out.lengths.append(Int32(clamping: open))
            guard open != d || openElements != nil else { return }
            if open > 0 { out.odd[row] = openElements ?? Array(UnsafeBufferPointer(start: matrix + row * d, count: min(open, d))) }
            (matrix + row * d).update(repeating: 0, count: d)
        }
        /// Opens the next row, refusing one beyond the row group's count (the matrix has no room for it).
        func start() throws(ParquetError) {
            if open != -2 { close() }
            guard out.lengths.count < rows else { throw ParquetError("more rows than the row group's \(rows)") }
            open = 0
            openElements = nil
        }

        try reader.forEachPage { (page, reader) throws(ParquetError) in
            guard let repetition = page.repetition, let definition = page.definition else { throw ParquetError("a list page without levels") }
            guard page.count > 0 else { return true }
            guard repetition[0] == 0 || open != -2 else { throw ParquetError("the first page starts inside a list") }
            // every level at its maximum: each a present element, rows split where repetition is 0
            var lowest = maxDefinition
            for l in definition { lowest = min(lowest, l) }
            if lowest == maxDefinition && (open == -2 || (open >= 0 && open <= d && openElements == nil)) {
                let before = out.lengths.count, base = repetition.baseAddress!
                var closed = 0, current = open, previous = 0, search = 0
                var regular = true
                while true {
                    // slots previous..<zero are elements of the current row; a row starts at each zero
                    let zero = memchr(base + search, 0, page.count - search).map {
                        UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base
                    } ?? page.count
                    if current >= 0 { current += zero - previous }
                    if current > d { regular = false; break }
                    if zero == page.count { break }
                    if current >= 0 {
                        if current != d { regular = false; break }
                        closed += 1
                    }
                    if before + closed >= rows { regular = false; break }
                    current = 0
                    previous = zero
                    search = zero + 1
                }
                if regular {
                    try ParquetValues.floats(page, count: page.count, reader: reader, into: matrix + before * d + max(open, 0),
                                             table: &table, rounded: &out.rounded)
                    out.lengths.append(contentsOf: repeatElement(Int32(d), count: closed))
                    open = current
                    return true
                }
            }
            // element by element: the present values decoded aside, then placed
            let present = definition.reduce(0) { $0 + ($1 == maxDefinition ? 1 : 0) }
            if scratch.count < present { scratch = [Float](repeating: 0, count: present) }
            try scratch.withUnsafeMutableBufferPointer { (s: inout UnsafeMutableBufferPointer<Float>) throws(ParquetError) in
                try ParquetValues.floats(page, count: present, reader: reader, into: s.baseAddress!, table: &table, rounded: &out.rounded)
            }
            var next = 0
            for i in 0 ..< page.count {
                if repetition[i] == 0 { try start() }
                let level = definition[i]
                if level < listDefinition { open = -1; continue }
                guard level > listDefinition, open >= 0 else { continue }
                let element: Float
                if level == maxDefinition {
                    element = scratch[next]
                    next += 1
                } else {
                    element = .nan
                    out.nullElementRows.insert(out.lengths.count)
                    if openElements == nil { openElements = Array(UnsafeBufferPointer(start: matrix + out.lengths.count * d, count: min(open, d))) }
                }
                if openElements == nil && open < d {
                    matrix[out.lengths.count * d + open] = element
                } else {
                    if openElements == nil { openElements = Array(UnsafeBufferPointer(start: matrix + out.lengths.count * d, count: d)) }
                    openElements!.append(element)
                }
                open += 1
            }
            return true
        }
        if open != -2 { close() }
        guard out.lengths.count == rows else { throw ParquetError("\(out.lengths.count) rows where the row group has \(rows)") }
        return out
    }

    /// The column's dimension: the most common non-zero length, held by three
    /// quarters of the lists that hold something (the rule of the other formats).
    static func dimension(_ parts: [ListRows]) -> Result<Int, ParquetError> {
        var tally: [Int32: Int] = [:]
        var order: [Int32] = []
        var given = 0
        for part in parts {
            for (row, length) in part.lengths.enumerated() where length > 0 {
                given += 1
                guard !part.nullElementRows.contains(row) else { continue }
                if tally[length] == nil { order.append(length) }
                tally[length, default: 0] += 1
            }
        }
        var best: (length: Int32, rows: Int)?
        for length in order where tally[length]! > best?.rows ?? 0 { best = (length, tally[length]!) }
        guard let best else {
            return .failure(ParquetError(given == 0 ? "its lists are all null or empty" : "its lists hold null elements"))
        }
        guard best.rows * 4 >= given * 3 else {
            return .failure(ParquetError("its lists have different lengths (\(best.rows) of \(given) have \(best.length))"))
        }
        return .success(Int(best.length))
    }

    /// The vector column of a decoded matrix: the odd rows and NaN rows marked
    /// as no usable vector (kept as read for export), with the load's note.
    static func vectorColumn(_ name: String, _ parts: [ListRows], matrix: VectorValues, count n: Int, dimension d: Int,
                             path: String, strict: Bool) throws -> (VectorColumn, String?) {
        var values = matrix
        var present = [Bool](repeating: true, count: n)
        var unusable: [Int: UnusableVector] = [:]
        var base = 0
        for part in parts {
            for (row, length) in part.lengths.enumerated() where length != d || part.odd[row] != nil {
                let doc = base + row
                present[doc] = false
                if length < 0 {
                    unusable[doc] = UnusableVector(problem: .null, value: .null, isArray: false)
                } else {
                    let elements = part.odd[row] ?? []
                    let problem: VectorProblem = part.nullElementRows.contains(row) ? .notNumbers
                        : length == 0 ? .empty : .wrongLength(Int(length))
                    unusable[doc] = UnusableVector(problem: problem, value: .string(arrayText(elements[...])), isArray: true)
                }
            }
            base += part.lengths.count
        }
        // NaN and infinities: no usable vector, as in the other formats; the row kept as read
        let nonFinite = Embeddings(count: n, dimension: d, values: values).nonFiniteRows()
        for doc in nonFinite where present[doc] {
            present[doc] = false
            unusable[doc] = UnusableVector(problem: .nonFinite, value: .string(arrayText(values.arraySlice(from: doc * d, count: d), nanAs: "NaN")), isArray: true)
            for j in doc * d ..< doc * d + d { values[j] = 0 }
        }
        var column = VectorColumn(name: name, embeddings: Embeddings(count: n, dimension: d, values: values),
                                  present: present, unusable: unusable)
        column.roundedToFloat32 = parts.contains { $0.rounded }
        guard column.missingCount > 0 else { return (column, nil) }
        let missing = (0 ..< n).lazy.filter { !present[$0] }.prefix(5).map { doc in
            "row \(doc + 1) \((unusable[doc]?.problem ?? .absent).phrase(dimension: d))"
        }
        if strict, let first = missing.first {
            throw DataError(path: path, message: "'\(name)': \(first); strict=on wants a usable vector in every row (\(column.missingCount) \(column.missingCount == 1 ? "lacks" : "lack") one)")
        }
        let m = column.missingCount
        let reasons = column.missingByReason.map { "\($0.count) \($0.reason)" }.joined(separator: ", ")
        let note = "\(m) document\(m == 1 ? "" : "s") \(m == 1 ? "has" : "have") no usable '\(name)' (\(reasons)): "
            + missing.joined(separator: ", ") + (m > 5 ? ", …" : "") + "; left out of clustering and the internal indices"
        return (column, note)
    }

    /// A list's elements as JSON text; NaN (here a null element) as `nanAs`.
    static func arrayText(_ elements: ArraySlice<Float>, nanAs: String = "null") -> String {
        "[" + elements.map { $0.isNaN ? nanAs : $0.isInfinite ? ($0 < 0 ? "-Infinity" : "Infinity") : $0.description }.joined(separator: ", ") + "]"
    }
}
