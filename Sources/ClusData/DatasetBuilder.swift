import ClusCore

/// Collects documents' values column by column while a file is read, then
/// decides which array fields are vectors and assembles the `Dataset`.
struct DatasetBuilder {
    /// Documents finished so far.
    private(set) var count = 0
    private var columns: [ColumnBuilder] = []
    private var columnIndex: [String: Int] = [:]
    private var clusterings: [ClusteringBuilder] = []
    private var clusteringIndex: [ClusteringKey: Int] = [:]

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
    /// text; `longNumbers`: some number had more digits than Float32 keeps.
    mutating func setNumbers(_ numbers: [Float], range: Range<Int>, column c: Int, keyOffset: Int, longNumbers: Bool = false) throws(ScanError) {
        try claim(column: c, keyOffset: keyOffset)
        columns[c].setNumbers(numbers, range: range, doc: count)
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

    /// Ends the current document.
    mutating func finishDocument() { count += 1 }

    /// One value per field and document: a repeated key (or `a.b` given both
    /// nested and dotted) is an error.
    private mutating func claim(column c: Int, keyOffset: Int) throws(ScanError) {
        guard columns[c].lastDoc < count else {
            throw ScanError(offset: keyOffset, message: "duplicate field '\(columns[c].name)'")
        }
        columns[c].lastDoc = count
    }

    /// The dataset, with `vectorField` (if given) as the default vector.
    /// Byte offsets kept for notes are located in `text`.
    func dataset(name: String, path: String, vectorField: String?, text: UnsafeBufferPointer<UInt8>) throws(DataError) -> Dataset {
        var fields: [FieldColumn] = []
        var vectors: [VectorColumn] = []
        var notes: [String] = []
        var rejected: [String: DataError] = [:]
        for column in columns {
            switch column.finish(count: count, text: text) {
            case .field(let f):
                fields.append(f)
            case .vector(let v):
                vectors.append(v)
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
}

/// What a column turned out to be.
private enum ColumnKind {
    case field(FieldColumn)
    case vector(VectorColumn)
    /// Held number arrays but is not a vector field; why, and where.
    case notVector(FieldColumn, offset: Int, reason: String)
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

    /// Number arrays: the documents that have one, their text and their numbers.
    var dimension = -1
    var vectorDocs: [Int] = []
    var vectorRanges: [Range<Int>] = []
    var numbers: [Float] = []
    /// The first array whose length differs from the first one's.
    var ragged: (offset: Int, length: Int)?
    var longNumbers = false

    init(name: String) { self.name = name }

    mutating func set(_ value: FieldValue, isArray: Bool, doc: Int, offset: Int) {
        if values.count < doc { values.append(contentsOf: repeatElement(nil, count: doc - values.count)) }
        values.append(value)
        if value != .null && firstScalarOffset == nil { firstScalarOffset = offset }
        if isArray { hasArrayText = true; arrayDocs.insert(doc) } else if case .string = value { hasPlainString = true }
    }

    mutating func setNumbers(_ row: [Float], range: Range<Int>, doc: Int) {
        if dimension < 0 { dimension = row.count }
        if row.count != dimension && ragged == nil { ragged = (range.lowerBound, row.count) }
        vectorDocs.append(doc)
        vectorRanges.append(range)
        // Numbers are only worth keeping while this can still be a vector field.
        if ragged == nil && firstScalarOffset == nil { numbers.append(contentsOf: row) }
    }

    func finish(count: Int, text: UnsafeBufferPointer<UInt8>) -> ColumnKind {
        var values = self.values
        values.append(contentsOf: repeatElement(nil, count: count - values.count))
        if vectorDocs.isEmpty {
            return .field(FieldColumn(name: name, values: values, typeDescription: typeDescription(values), arrayDocuments: arrayDocs))
        }
        let problem: (Int, String)?
        if let ragged {
            problem = (ragged.offset, "\(ragged.length) numbers here, \(dimension) in the first document that has it")
        } else if let firstScalarOffset {
            problem = (firstScalarOffset, "here it is not an array of numbers")
        } else if dimension == 0 {
            problem = (vectorRanges[0].lowerBound, "its arrays are empty")
        } else {
            problem = nil
        }
        guard let (offset, reason) = problem else { return .vector(vectorColumn(count: count)) }
        var arrays = arrayDocs
        for (doc, range) in zip(vectorDocs, vectorRanges) {
            values[doc] = .string(String(decoding: UnsafeBufferPointer(rebasing: text[range]), as: UTF8.self))
            arrays.insert(doc)
        }
        let column = FieldColumn(name: name, values: values, typeDescription: typeDescription(values, numberArrays: true), arrayDocuments: arrays)
        return .notVector(column, offset: offset, reason: reason)
    }

    private func typeDescription(_ values: [FieldValue?], numberArrays: Bool = false) -> String {
        FieldColumn.describe(values: values, arrays: hasArrayText || numberArrays, allArrays: !hasPlainString)
    }

    private func vectorColumn(count: Int) -> VectorColumn {
        var column = vectorColumnValues(count: count)
        column.roundedToFloat32 = longNumbers
        return column
    }

    private func vectorColumnValues(count: Int) -> VectorColumn {
        if vectorDocs.count == count {
            return VectorColumn(name: name, embeddings: Embeddings(count: count, dimension: dimension, values: numbers))
        }
        var all = [Float](repeating: 0, count: count * dimension)
        var present = [Bool](repeating: false, count: count)
        for (row, doc) in vectorDocs.enumerated() {
            present[doc] = true
            all[doc * dimension ..< (doc + 1) * dimension] = numbers[row * dimension ..< (row + 1) * dimension]
        }
        return VectorColumn(name: name, embeddings: Embeddings(count: count, dimension: dimension, values: all), present: present)
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

    init(key: ClusteringKey) { self.key = key }

    mutating func set(_ label: String, doc: Int) {
        if labels.count < doc { labels.append(contentsOf: repeatElement(-1, count: doc - labels.count)) }
        labels.append(interner.code(of: LabelValue(text: label)))
    }

    /// Cluster names in `LabelValue` order (`2` before `10`, `cluster_2` before `cluster_10`).
    func finish(count: Int) -> Clustering {
        let (rank, names) = interner.sorted()
        var codes = labels.map { $0 < 0 ? -1 : rank[$0] }
        codes.append(contentsOf: repeatElement(-1, count: count - codes.count))
        return Clustering(vectorField: key.vectorField, alias: key.alias, labels: codes, clusterNames: names, details: nil)
    }
}
