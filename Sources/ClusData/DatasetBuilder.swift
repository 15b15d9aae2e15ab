import ClusCore

/// Collects documents' values column by column while a file is read, then
/// decides which array fields are vectors and assembles the `Dataset`.
struct DatasetBuilder {
    /// Documents finished so far.
    private(set) var count = 0
    /// Numbers to make room for when a column gets its first array (a chunk
    /// of text's worth), so a column does not grow by copies.
    var numbersHint = 0
    private var columns: [ColumnBuilder] = []
    private var columnIndex: [String: Int] = [:]
    private var clusterings: [ClusteringBuilder] = []
    private var clusteringIndex: [ClusteringKey: Int] = [:]
    /// Byte offset of each document's first field (-1: it has none), to name
    /// the line of a document that lacks a vector.
    private var documentStarts: [Int] = []

    /// Index of the column called `name`, created on first sight.
    mutating func column(_ name: String) -> Int {
        if let i = columnIndex[name] { return i }
        columnIndex[name] = columns.count
        columns.append(ColumnBuilder(name: name))
        return columns.count - 1
    }

    /// Dimension of the first number array seen in column `c` (to reserve space).
    func expectedDimension(_ c: Int) -> Int { max(columns[c].dimension, 0) }

    /// Records a scalar (or an array's JSON text, `isArray`) of the current document.
    mutating func set(_ value: FieldValue, isArray: Bool = false, column c: Int, keyOffset: Int) throws(ScanError) {
        try claim(column: c, keyOffset: keyOffset)
        columns[c].set(value, isArray: isArray, doc: count, offset: keyOffset)
    }

    /// Records a number array of the current document; `range` is its JSON
    /// text; `longNumbers`: some number had more digits than Float32 keeps;
    /// `nonFinite`: some element was NaN, an infinity or beyond Float32's range;
    /// `written`: how the text at `range` gives the array, for what is kept
    /// of it when it is no usable vector.
    mutating func setNumbers(_ numbers: [Float], range: Range<Int>, column c: Int, keyOffset: Int,
                             longNumbers: Bool = false, nonFinite: Bool = false, written: ArrayText = .json) throws(ScanError) {
        try claim(column: c, keyOffset: keyOffset)
        if columns[c].numbers.capacity == 0 && numbersHint > 0 { columns[c].numbers.reserveCapacity(numbersHint) }
        columns[c].setNumbers(numbers, range: range, doc: count, nonFinite: nonFinite, written: written)
        if longNumbers { columns[c].longNumbers = true }
    }

    /// Records a `_cluster_` label of the current document.
    mutating func setLabel(_ label: String, vectorField: String, alias: String, keyOffset: Int) throws(ScanError) {
        let key = ClusteringKey(vectorField: vectorField, alias: alias)
        let i: Int
        if let existing = clusteringIndex[key] {
            i = existing
        } else {
            i = clusterings.count
            clusteringIndex[key] = i
            clusterings.append(ClusteringBuilder(key: key))
        }
        guard clusterings[i].labels.count <= count else {
            throw ScanError(offset: keyOffset, message: "duplicate alias '\(alias)' in _cluster_.\(vectorField)")
        }
        clusterings[i].set(label, doc: count)
    }

    /// Appends the documents of `later`, a builder that read the text after
    /// this one's (its byte offsets counted from `base` in the file): the
    /// result is the builder that would have read both in turn, columns and
    /// clusterings in first-seen order, so a file read in chunks on several
    /// threads and appended in order gives the same dataset on any count.
    mutating func append(_ later: DatasetBuilder, base: Int) {
        let docBase = count
        for column in later.columns {
            columns[self.column(column.name)].append(column, docBase: docBase, base: base)
        }
        for clustering in later.clusterings {
            let i: Int
            if let existing = clusteringIndex[clustering.key] {
                i = existing
            } else {
                i = clusterings.count
                clusteringIndex[clustering.key] = i
                clusterings.append(ClusteringBuilder(key: clustering.key))
            }
            clusterings[i].append(clustering, docBase: docBase)
        }
        documentStarts += later.documentStarts.map { $0 < 0 ? -1 : $0 + base }
        count += later.count
    }

    /// Room for `scale` times the numbers read so far in each column (a
    /// streamed load's estimate for the whole file), so a column of
    /// gigabytes is not copied to twice its size as it grows.
    mutating func reserveNumbers(scale: Double) {
        for c in columns.indices where !columns[c].numbers.isEmpty {
            columns[c].numbers.reserveCapacity(Int(Double(columns[c].numbers.count) * scale) + 4096)
        }
    }

    /// Room for `documents` in all, in the columns created so far (a CSV
    /// file's row count is known before its documents are built).
    mutating func reserveDocuments(_ documents: Int) {
        documentStarts.reserveCapacity(documents)
        for c in columns.indices { columns[c].values.reserveCapacity(documents) }
    }

    /// Ends the current document.
    mutating func finishDocument() {
        if documentStarts.count == count { documentStarts.append(-1) }
        count += 1
    }

    /// One value per field and document: a repeated key (or `a.b` given both
    /// nested and dotted) is an error.
    private mutating func claim(column c: Int, keyOffset: Int) throws(ScanError) {
        guard columns[c].lastDoc < count else {
            throw ScanError(offset: keyOffset, message: "duplicate field '\(columns[c].name)'")
        }
        columns[c].lastDoc = count
        if documentStarts.count == count { documentStarts.append(keyOffset) }
    }

    /// The dataset, with `vectorField` (if given) as the default vector.
    /// Byte offsets kept for notes are located in `text`. With `strict`, a
    /// document without a usable vector in a vector field is an error.
    func dataset(name: String, path: String, vectorField: String?, text: UnsafeBufferPointer<UInt8>,
                 strict: Bool = false) throws(DataError) -> Dataset {
        try dataset(name: name, path: path, vectorField: vectorField, source: .memory(text), strict: strict)
    }

    /// As above, the text found again through `source` (a streamed file is re-read).
    func dataset(name: String, path: String, vectorField: String?, source text: SourceText,
                 strict: Bool = false) throws(DataError) -> Dataset {
        var fields: [FieldColumn] = []
        var vectors: [VectorColumn] = []
        var notes: [String] = []
        var rejected: [String: DataError] = [:]
        for column in columns {
            switch column.finish(count: count, text: text, documentStarts: documentStarts, named: column.name == vectorField) {
            case .field(let f):
                fields.append(f)
            case .stringArrays(let f, let dimension):
                fields.append(f)
                if let dimension {
                    notes.append("'\(f.name)' holds arrays of \(dimension) numbers written as JSON strings (\"[0.1, …]\"): give vector=\(f.name) to read them as vectors")
                }
            case .vector(let v, let firstMissing):
                vectors.append(v)
                let fromStrings = column.fromStrings
                if fromStrings > 0 {
                    notes.append("'\(v.name)' holds arrays written as JSON strings (\"[0.1, …]\") in \(fromStrings == 1 ? "1 document" : "\(fromStrings) documents"): read as vectors; export writes them as arrays")
                }
                guard let first = firstMissing.first else { break }
                if strict { throw DatasetBuilder.strictError(v, first, path: path, text: text) }
                notes.append(DatasetBuilder.missingNote(v, firstMissing, text: text))
            case .notVector(let f, let offset, let reason):
                fields.append(f)
                let error = DataError.at(path, offset: offset, in: text, "'\(f.name)' is not a vector field: \(reason)")
                rejected[f.name] = error
                notes.append("\(error.description); kept as JSON text")
            }
        }
        if let vectorField {
            guard let i = vectors.firstIndex(where: { $0.name == vectorField }) else {
                if let error = rejected[vectorField] { throw error }
                throw DataError.noVectorField(path, name: vectorField, available: vectors.map(\.name))
            }
            vectors.insert(vectors.remove(at: i), at: 0)
        }
        return Dataset(
            name: name, path: path, count: count, fields: fields, vectors: vectors,
            clusterings: clusterings.map { $0.finish(count: count) }, notes: notes
        )
    }

    /// `3 documents have no usable 'vector' (1 absent, 2 wrong length): line 4
    /// lacks it, line 9 has 3 numbers (384 expected), …`.
    static func missingNote(_ v: VectorColumn, _ firstMissing: [(doc: Int, offset: Int, problem: VectorProblem)],
                            text: SourceText) -> String {
        let n = v.missingCount
        let reasons = v.missingByReason.map { "\($0.count) \($0.reason)" }.joined(separator: ", ")
        var lines = text.lines(of: firstMissing.map(\.offset))
        // documents on one line (a JSON array or pandas' layouts written on one line) go by their number
        if Set(lines.compactMap { $0 }).count < lines.count { lines = lines.map { _ in nil } }
        let named = zip(firstMissing, lines).map { missing, line in
            (line.map { "line \($0)" } ?? "document \(missing.doc + 1)") + " " + missing.problem.phrase(dimension: v.dimension)
        }
        return "\(n) document\(n == 1 ? "" : "s") \(n == 1 ? "has" : "have") no usable '\(v.name)' (\(reasons)): "
            + named.joined(separator: ", ") + (n > named.count ? ", …" : "")
            + "; left out of clustering and the internal indices"
    }

    /// `load … strict=on`: the first document without a usable vector, at its spot.
    static func strictError(_ v: VectorColumn, _ first: (doc: Int, offset: Int, problem: VectorProblem), path: String,
                            text: SourceText) -> DataError {
        let message = "'\(v.name)' \(first.problem.phrase(dimension: v.dimension)) here; strict=on wants a usable vector in every document (\(v.missingCount) \(v.missingCount == 1 ? "lacks" : "lack") one)"
        guard first.offset >= 0 else { return DataError(path: path, message: "document \(first.doc + 1): " + message) }
        let (line, column) = text.location(of: first.offset)
        // an absent field has no column of its own: the line is the spot
        return DataError(path: path, line: line, column: first.problem == .absent ? nil : column, message: message)
    }
}

/// What a column turned out to be.
private enum ColumnKind {
    case field(FieldColumn)
    /// A vector field, with the first few documents lacking a usable vector:
    /// their row, the byte offset that names their line (-1: none), and why.
    case vector(VectorColumn, firstMissing: [(doc: Int, offset: Int, problem: VectorProblem)])
    /// Strings that hold arrays of numbers (`"[0.1, 0.2]"`), kept as strings
    /// since `vector=` does not name the field; the dimension they would
    /// give as a vector field, if any.
    case stringArrays(FieldColumn, dimension: Int?)
    /// Held number arrays but is not a vector field; why, and where.
    case notVector(FieldColumn, offset: Int, reason: String)
}

/// How the text of a number array gives it, for what is kept of an array
/// that is no usable vector (export writes it back).
enum ArrayText: Sendable {
    /// A JSON array, kept as read.
    case json
    /// Text that is no JSON (NumPy's print of an array, a Python list with
    /// `nan`): kept as a JSON array written anew from the numbers.
    case notJSON
    /// A JSON string holding the array (`"[0.1, 0.2]"`, pgvector's text
    /// form); the range is the string's content, kept as that string.
    case jsonString
}

/// One dotted field name's values while reading.
private struct ColumnBuilder {
    let name: String
    /// Last document that set this field (duplicate check).
    var lastDoc = -1

    /// Scalars and non-number arrays, up to the last document that had one.
    var values: [FieldValue?] = []
    var firstScalarOffset: Int?
    var hasArrayText = false
    var arrayDocs: Set<Int> = []
    var hasPlainString = false
    /// Values other than null among `values`.
    var nonNullValues = 0
    /// The first few documents in `values` and their offsets, to name their lines.
    var valueOffsets: [(doc: Int, offset: Int)] = []

    /// Number arrays: the documents that have one, their text and their numbers.
    var dimension = -1
    var vectorDocs: [Int] = []
    var vectorRanges: [Range<Int>] = []
    /// Where each array's numbers start in `numbers` (one more at the end).
    var rowStarts: [Int] = [0]
    var numbers: [Float] = []
    /// Rows (indices into `vectorDocs`) holding NaN, an infinity or an overflow.
    var nonFiniteRows: Set<Int> = []
    /// Rows whose text is no JSON array (see `ArrayText`).
    var writtenRows: [Int: ArrayText] = [:]
    /// The first array whose length differs from the first one's.
    var ragged: (offset: Int, length: Int)?
    var longNumbers = false

    /// Documents named in a note (the rest are counted).
    static let namedDocuments = 5

    init(name: String) { self.name = name }

    mutating func set(_ value: FieldValue, isArray: Bool, doc: Int, offset: Int) {
        if values.count < doc { values.append(contentsOf: repeatElement(nil, count: doc - values.count)) }
        values.append(value)
        if value != .null {
            nonNullValues += 1
            if firstScalarOffset == nil { firstScalarOffset = offset }
        }
        if valueOffsets.count < ColumnBuilder.namedDocuments { valueOffsets.append((doc, offset)) }
        if isArray { hasArrayText = true; arrayDocs.insert(doc) } else if case .string = value { hasPlainString = true }
    }

    /// Appends `later`'s documents (numbered from `docBase`, offsets from `base`).
    mutating func append(_ later: ColumnBuilder, docBase: Int, base: Int) {
        if !later.values.isEmpty {
            if values.count < docBase { values.append(contentsOf: repeatElement(nil, count: docBase - values.count)) }
            values += later.values
        }
        if firstScalarOffset == nil, let offset = later.firstScalarOffset { firstScalarOffset = offset + base }
        hasArrayText = hasArrayText || later.hasArrayText
        for doc in later.arrayDocs { arrayDocs.insert(doc + docBase) }
        hasPlainString = hasPlainString || later.hasPlainString
        nonNullValues += later.nonNullValues
        for (doc, offset) in later.valueOffsets where valueOffsets.count < ColumnBuilder.namedDocuments {
            valueOffsets.append((doc + docBase, offset + base))
        }
        if later.lastDoc >= 0 { lastDoc = later.lastDoc + docBase }
        guard !later.vectorDocs.isEmpty else { return }
        if dimension < 0 { dimension = later.dimension }
        if ragged == nil, let row = later.vectorDocs.indices.first(where: { later.rowStarts[$0 + 1] - later.rowStarts[$0] != dimension }) {
            ragged = (later.vectorRanges[row].lowerBound + base, later.rowStarts[row + 1] - later.rowStarts[row])
        }
        for row in later.nonFiniteRows { nonFiniteRows.insert(row + vectorDocs.count) }
        for (row, written) in later.writtenRows { writtenRows[row + vectorDocs.count] = written }
        vectorDocs += later.vectorDocs.lazy.map { $0 + docBase }
        vectorRanges += later.vectorRanges.lazy.map { $0.lowerBound + base ..< $0.upperBound + base }
        let numberBase = numbers.count
        rowStarts += later.rowStarts.dropFirst().lazy.map { $0 + numberBase }
        numbers += later.numbers
        longNumbers = longNumbers || later.longNumbers
    }

    mutating func setNumbers(_ row: [Float], range: Range<Int>, doc: Int, nonFinite: Bool, written: ArrayText = .json) {
        if dimension < 0 { dimension = row.count }
        if row.count != dimension && ragged == nil { ragged = (range.lowerBound, row.count) }
        if nonFinite { nonFiniteRows.insert(vectorDocs.count) }
        if written != .json { writtenRows[vectorDocs.count] = written }
        vectorDocs.append(doc)
        vectorRanges.append(range)
        numbers.append(contentsOf: row)
        rowStarts.append(numbers.count)
    }

    /// `named`: `vector=` names this field.
    func finish(count: Int, text: SourceText, documentStarts: [Int], named: Bool = false) -> ColumnKind {
        // shared with the builder, not copied, when every document set the field
        var values = self.values
        if values.count < count { values.append(contentsOf: repeatElement(nil, count: count - values.count)) }
        if vectorDocs.isEmpty {
            return .field(FieldColumn(name: name, values: values, typeDescription: typeDescription(values), arrayDocuments: arrayDocs))
        }
        // Arrays written only as strings stay strings unless vector= names
        // the field: a string "[1, 2]" may be anything, and export keeps it so.
        if fromStrings == vectorDocs.count && !named {
            for (row, doc) in vectorDocs.enumerated() { values[doc] = .string(text.string(vectorRanges[row])) }
            var plain = self
            plain.hasPlainString = true
            let column = FieldColumn(name: name, values: values, typeDescription: plain.typeDescription(values), arrayDocuments: arrayDocs)
            return .stringArrays(column, dimension: vectorDimension())
        }
        if let d = vectorDimension() {
            return vectorColumn(dimension: d, values: values, count: count, text: text, documentStarts: documentStarts)
        }
        let problem: (Int, String)
        if let ragged {
            problem = (ragged.offset, "\(ragged.length) numbers here, \(dimension) in the first document that has it")
        } else if let firstScalarOffset {
            problem = (firstScalarOffset, "here it is not an array of numbers")
        } else {
            problem = (vectorRanges[0].lowerBound, "its arrays are empty")
        }
        var arrays = arrayDocs
        for (row, doc) in vectorDocs.enumerated() {
            let (value, isArray) = arrayValue(row, text: text)
            values[doc] = value
            if isArray { arrays.insert(doc) }
        }
        let column = FieldColumn(name: name, values: values, typeDescription: typeDescription(values, numberArrays: fromStrings < vectorDocs.count), arrayDocuments: arrays)
        return .notVector(column, offset: problem.0, reason: problem.1)
    }

    /// Row `row`'s value when it is no usable vector, kept for export: its
    /// JSON text as read (an array), or written anew from its numbers when
    /// the text is no JSON, or the string it was read from.
    private func arrayValue(_ row: Int, text: SourceText) -> (FieldValue, isArray: Bool) {
        switch writtenRows[row] ?? .json {
        case .json: return (.string(text.string(vectorRanges[row])), true)
        case .notJSON:
            var json = ""
            DatasetWriter.appendVector(numbers[rowStarts[row] ..< rowStarts[row + 1]], to: &json)
            return (.string(json), true)
        case .jsonString: return (.string(text.string(vectorRanges[row])), false)
        }
    }

    /// Documents whose array was read from a JSON string.
    var fromStrings: Int { writtenRows.values.count { $0 == .jsonString } }

    /// The field's dimension when it is a vector field: the most common
    /// non-zero length (the first seen of a tie), held by at least three
    /// quarters of the documents that give the field a value other than null
    /// or an empty array. A few broken documents leave the field a vector
    /// field; a field of mostly other values, or of varied lengths (a list of
    /// ids), is not one.
    private func vectorDimension() -> Int? {
        var tally: [Int: Int] = [:]
        var order: [Int] = []
        var empty = 0
        for row in vectorDocs.indices {
            let length = rowStarts[row + 1] - rowStarts[row]
            if length == 0 { empty += 1; continue }
            if tally[length] == nil { order.append(length) }
            tally[length, default: 0] += 1
        }
        var best: (length: Int, documents: Int)? = nil
        for length in order where tally[length]! > best?.documents ?? 0 { best = (length, tally[length]!) }
        guard let best else { return nil }
        let given = vectorDocs.count - empty + nonNullValues
        return best.documents * 4 >= given * 3 ? best.length : nil
    }

    private func typeDescription(_ values: [FieldValue?], numberArrays: Bool = false) -> String {
        FieldColumn.describe(values: values, arrays: hasArrayText || numberArrays, allArrays: !hasPlainString)
    }

    /// The vector field of dimension `d`: documents with another value keep it
    /// (for export) with the reason it is not usable.
    private func vectorColumn(dimension d: Int, values: [FieldValue?], count: Int, text: SourceText,
                              documentStarts: [Int]) -> ColumnKind {
        let allUsable = vectorDocs.count == count && numbers.count == count * d && nonFiniteRows.isEmpty
        var all = allUsable ? numbers : [Float](repeating: 0, count: count * d)
        var present = [Bool](repeating: allUsable, count: count)
        var unusable: [Int: UnusableVector] = [:]
        var offsets: [Int: Int] = [:]   // of the documents that may be named in the note
        if !allUsable {
            for (row, doc) in vectorDocs.enumerated() {
                let length = rowStarts[row + 1] - rowStarts[row]
                if length == d && !nonFiniteRows.contains(row) {
                    present[doc] = true
                    all[doc * d ..< (doc + 1) * d] = numbers[rowStarts[row] ..< rowStarts[row + 1]]
                    continue
                }
                let (value, isArray) = arrayValue(row, text: text)
                let problem: VectorProblem = nonFiniteRows.contains(row) ? .nonFinite : length == 0 ? .empty : .wrongLength(length)
                unusable[doc] = UnusableVector(problem: problem, value: value, isArray: isArray)
                if offsets.count < ColumnBuilder.namedDocuments { offsets[doc] = vectorRanges[row].lowerBound }
            }
            for (doc, value) in values.enumerated() {
                guard let value else { continue }
                unusable[doc] = UnusableVector(problem: ColumnBuilder.problem(value, isArray: arrayDocs.contains(doc)),
                                               value: value, isArray: arrayDocs.contains(doc))
            }
            for (doc, offset) in valueOffsets { offsets[doc] = offset }
        }
        var firstMissing: [(doc: Int, offset: Int, problem: VectorProblem)] = []
        for doc in 0 ..< count where !present[doc] {
            if firstMissing.count == ColumnBuilder.namedDocuments { break }
            let offset = offsets[doc] ?? (doc < documentStarts.count ? documentStarts[doc] : -1)
            firstMissing.append((doc, offset, unusable[doc]?.problem ?? .absent))
        }
        var column = VectorColumn(name: name, embeddings: Embeddings(count: count, dimension: d, values: all),
                                  present: present, unusable: unusable)
        column.roundedToFloat32 = longNumbers
        return .vector(column, firstMissing: firstMissing)
    }

    /// Why a value that is not an array of numbers is no vector.
    private static func problem(_ value: FieldValue, isArray: Bool) -> VectorProblem {
        if isArray { return .notNumbers }
        switch value {
        case .null: return .null
        case .bool: return .notArray("a boolean")
        case .int, .double: return .notArray("a number")
        case .string: return .notArray("a string")
        }
    }
}

private struct ClusteringKey: Hashable {
    let vectorField: String
    let alias: String
}

/// One `_cluster_.{vectorField}.{alias}` while reading.
private struct ClusteringBuilder {
    let key: ClusteringKey
    /// Label codes in first-seen order, up to the last labelled document.
    var labels: [Int] = []
    /// Labels as text: `42`, `42.0` and `"42"` are one cluster, as in truth fields.
    var interner = LabelInterner()
    /// The labels by code (to append another builder's codes).
    var seen: [LabelValue] = []

    init(key: ClusteringKey) { self.key = key }

    mutating func set(_ label: String, doc: Int) {
        if labels.count < doc { labels.append(contentsOf: repeatElement(-1, count: doc - labels.count)) }
        labels.append(code(of: LabelValue(text: label)))
    }

    private mutating func code(of label: LabelValue) -> Int {
        let code = interner.code(of: label)
        if code == seen.count { seen.append(label) }
        return code
    }

    /// Appends `later`'s labels (its documents numbered from `docBase`), its codes in this interner.
    mutating func append(_ later: ClusteringBuilder, docBase: Int) {
        guard !later.labels.isEmpty else { return }
        let codes = later.seen.map { code(of: $0) }
        if labels.count < docBase { labels.append(contentsOf: repeatElement(-1, count: docBase - labels.count)) }
        labels += later.labels.lazy.map { $0 < 0 ? -1 : codes[$0] }
    }

    /// Cluster names in `LabelValue` order (`2` before `10`, `cluster_2` before `cluster_10`).
    func finish(count: Int) -> Clustering {
        let (rank, names) = interner.sorted()
        var codes = labels.map { $0 < 0 ? -1 : rank[$0] }
        codes.append(contentsOf: repeatElement(-1, count: count - codes.count))
        return Clustering(vectorField: key.vectorField, alias: key.alias, labels: codes, clusterNames: names, details: nil)
    }
}
