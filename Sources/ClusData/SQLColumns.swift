import ClusCore

/// How a BLOB column stores a vector's numbers (`load sqlite … vector_type=`):
/// little-endian IEEE floats back to back, as sqlite-vec writes them.
public enum BlobVectorType: String, Sendable, CaseIterable {
    case float32, float64

    /// Bytes per number.
    var width: Int { self == .float32 ? 4 : 8 }
}

/// One value of a result row, as a SQL client library hands it over: the
/// bytes stay the library's until the next row, so nothing is copied twice.
enum SQLValue {
    case null
    case int(Int)
    case double(Double)
    case bool(Bool)
    /// Text: a string field, or a vector when it is an array of numbers
    /// (`[1, 2, 3]`: JSON, and pgvector's text form).
    case text(UnsafeBufferPointer<UInt8>)
    /// A PostgreSQL array in its text form, `{1,2,3}`: a vector.
    case arrayText(UnsafeBufferPointer<UInt8>)
    /// Bytes: a vector of `BlobVectorType` numbers.
    case blob(UnsafeRawBufferPointer)
}

/// Collects a query's rows into a dataset's columns while they stream in.
///
/// A column's first non-null value decides what it is: a BLOB, a PostgreSQL
/// array or a text holding an array of numbers makes it a vector field, and
/// every later value must then be one of the same length (or NULL: a
/// document without the vector); anything else makes it a scalar field, where
/// a BLOB or an array is an error. NULL is a missing value. Columns named
/// `_cluster_.FIELD.ALIAS` become clusterings, as in CSV.
struct SQLColumns {
    /// Where the rows come from, in errors: the database file, or the connection string without its password.
    let source: String
    let blobType: BlobVectorType
    private(set) var rows = 0
    private var columns: [Column]

    private enum Kind {
        /// Only NULLs so far.
        case undecided
        case field([FieldValue?])
        case vector(VectorBuilder)
    }

    private struct Column {
        let name: String
        var kind: Kind = .undecided
    }

    init(names: [String], source: String, blobType: BlobVectorType = .float32) throws(DataError) {
        self.source = source
        self.blobType = blobType
        var seen: Set<String> = []
        for name in names where !seen.insert(name).inserted {
            throw DataError(path: source, message: "the query gives two columns named '\(name)'; name them apart with AS")
        }
        columns = names.map { Column(name: $0) }
    }

    /// Records the current row's value of column `c`.
    mutating func set(_ value: SQLValue, column c: Int) throws(DataError) {
        let name = columns[c].name
        switch (columns[c].kind, value) {
        case (.undecided, .null):
            break
        case (.undecided, .blob), (.undecided, .arrayText):
            var vector = VectorBuilder(leadingAbsent: rows)
            try vector.append(value, row: rows, column: name, blobType: blobType, source: source)
            columns[c].kind = .vector(vector)
        case (.undecided, .text(let text)) where SQLColumns.looksLikeNumberArray(text):
            var vector = VectorBuilder(leadingAbsent: rows)
            try vector.append(value, row: rows, column: name, blobType: blobType, source: source)
            columns[c].kind = .vector(vector)
        case (.undecided, _):
            var values = [FieldValue?](repeating: nil, count: rows)
            values.append(try SQLColumns.scalar(value, row: rows, column: name, source: source))
            columns[c].kind = .field(values)
        case (.field(var values), _):
            columns[c].kind = .undecided   // the array is uniquely referenced while it grows
            values.append(try SQLColumns.scalar(value, row: rows, column: name, source: source))
            columns[c].kind = .field(values)
        case (.vector(var vector), _):
            columns[c].kind = .undecided
            try vector.append(value, row: rows, column: name, blobType: blobType, source: source)
            columns[c].kind = .vector(vector)
        }
    }

    /// Ends the current row.
    mutating func finishRow() { rows += 1 }

    /// The dataset of the rows read, `vectorField` (when given) its default
    /// vector. With `strict`, a row without a usable vector is an error.
    func dataset(name: String, vectorField: String?, strict: Bool = false) throws(DataError) -> Dataset {
        guard rows > 0 else { throw DataError(path: source, message: "the query returned no rows") }
        var fields: [FieldColumn] = []
        var vectors: [VectorColumn] = []
        var clusterings: [Clustering] = []
        for column in columns {
            switch column.kind {
            case .undecided:
                fields.append(FieldColumn(name: column.name, values: [FieldValue?](repeating: nil, count: rows)))
            case .field(let values):
                let field = FieldColumn(name: column.name, values: values)
                if let (vectorName, alias) = SQLColumns.clusterKey(column.name) {
                    let labels = field.interned()
                    clusterings.append(Clustering(vectorField: vectorName, alias: alias, labels: labels.codes,
                                                  clusterNames: labels.names, details: nil))
                } else {
                    fields.append(field)
                }
            case .vector(let builder):
                let vector = builder.finish(name: column.name, rows: rows)
                if strict, let row = vector.present.firstIndex(of: false) {
                    let problem = vector.unusable[row]?.problem ?? .null
                    throw DataError(path: source, message: "row \(row + 1), column '\(column.name)' \(problem.phrase(dimension: vector.dimension)); strict=on wants a usable vector in every row (\(vector.missingCount) \(vector.missingCount == 1 ? "lacks" : "lack") one)")
                }
                vectors.append(vector)
            }
        }
        if let vectorField {
            guard let i = vectors.firstIndex(where: { $0.name == vectorField }) else {
                if fields.contains(where: { $0.name == vectorField }) {
                    throw DataError(path: source, message: "column '\(vectorField)' is not a vector: its values are not BLOBs or arrays of numbers")
                }
                throw DataError.noVectorField(source, name: vectorField, available: vectors.map(\.name))
            }
            vectors.insert(vectors.remove(at: i), at: 0)
        }
        return Dataset(name: name, path: source, count: rows, fields: fields, vectors: vectors, clusterings: clusterings)
    }

    /// `_cluster_.FIELD.ALIAS` → (FIELD, ALIAS); the alias is the part after the last dot.
    private static func clusterKey(_ name: String) -> (String, String)? {
        guard name.hasPrefix("_cluster_."), let dot = name.lastIndex(of: ".") else { return nil }
        let field = name[name.index(name.startIndex, offsetBy: 10) ..< dot]
        let alias = name[name.index(after: dot)...]
        guard !field.isEmpty, !alias.isEmpty else { return nil }
        return (String(field), String(alias))
    }

    /// A value of a scalar column.
    private static func scalar(_ value: SQLValue, row: Int, column: String, source: String) throws(DataError) -> FieldValue? {
        switch value {
        case .null: return nil
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .bool(let b): return .bool(b)
        case .text(let text): return .string(String(decoding: text, as: UTF8.self))
        case .blob, .arrayText:
            let kind = if case .blob = value { "a BLOB" } else { "an array" }
            throw DataError(path: source, message: "row \(row + 1), column '\(column)': \(kind) in a column whose first value is not a vector; a vector column holds BLOBs or arrays of numbers from its first non-NULL row")
        }
    }

    /// Whether `text` is a bracketed array of numbers (`[1, 2.5, -3e-2]`), the
    /// test that makes a text column a vector column.
    static func looksLikeNumberArray(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = text.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }),
              first == UInt8(ascii: "[") else { return false }
        var scratch: [Float] = []
        return (try? NumberArrayText.parse(text, open: UInt8(ascii: "["), close: UInt8(ascii: "]"), into: &scratch)) != nil
    }
}

/// A vector column's numbers while rows stream in.
private struct VectorBuilder {
    var dimension = -1
    /// Rows before the first vector (NULLs): zeros once the dimension is known.
    var leadingAbsent: Int
    var numbers: [Float] = []
    var present: [Bool] = []
    var unusable: [Int: UnusableVector] = [:]
    var rounded = false
    private var scratch: [Float] = []

    init(leadingAbsent: Int) {
        self.leadingAbsent = leadingAbsent
        present = [Bool](repeating: false, count: leadingAbsent)
    }

    mutating func append(_ value: SQLValue, row: Int, column: String, blobType: BlobVectorType, source: String) throws(DataError) {
        func fail(_ message: String) -> DataError {
            DataError(path: source, message: "row \(row + 1), column '\(column)': \(message)")
        }
        scratch.removeAll(keepingCapacity: true)
        var nonFinite = false
        switch value {
        case .null:
            absent()
            return
        case .blob(let bytes):
            guard bytes.count % blobType.width == 0 else {
                throw fail("a BLOB of \(bytes.count) bytes is not a \(blobType.rawValue) vector: its length is not a multiple of \(blobType.width)")
            }
            let n = bytes.count / blobType.width
            scratch.reserveCapacity(n)
            for i in 0 ..< n {
                let x: Float
                if blobType == .float32 {
                    x = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                } else {
                    let d = Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
                    x = Float(d)
                    if d.isFinite && Double(x) != d { rounded = true }
                }
                if !x.isFinite { nonFinite = true }
                scratch.append(x)
            }
        case .text(let text), .arrayText(let text):
            let isArray = if case .arrayText = value { true } else { false }
            let open = isArray ? UInt8(ascii: "{") : UInt8(ascii: "[")
            let close = isArray ? UInt8(ascii: "}") : UInt8(ascii: "]")
            do {
                let parsed = try NumberArrayText.parse(text, open: open, close: close, into: &scratch)
                nonFinite = parsed.nonFinite
                if parsed.changed { rounded = true }
            } catch {
                let shown = String(decoding: text.prefix(40), as: UTF8.self) + (text.count > 40 ? "…" : "")
                throw fail("'\(shown)' is not \(isArray ? "an array" : "a bracketed array") of numbers, as the column's earlier rows are (\(error.message))")
            }
        case .int, .double, .bool:
            throw fail("a number or boolean in a vector column; every non-NULL value must be a vector")
        }
        if scratch.isEmpty {
            markUnusable(row, UnusableVector(problem: .empty, value: .string("[]"), isArray: true))
            return
        }
        if dimension < 0 {
            dimension = scratch.count
            numbers.reserveCapacity(16 * dimension)
            numbers.append(contentsOf: repeatElement(0, count: leadingAbsent * dimension))
        } else if scratch.count != dimension {
            throw fail("a vector of \(scratch.count) numbers, \(dimension) in the rows before; every row's vector must have one length")
        }
        if nonFinite {
            markUnusable(row, UnusableVector(problem: .nonFinite, value: .string(jsonText(scratch)), isArray: true))
            return
        }
        numbers.append(contentsOf: scratch)
        present.append(true)
    }

    private mutating func absent() {
        if dimension > 0 { numbers.append(contentsOf: repeatElement(0, count: dimension)) } else { leadingAbsent += 1 }
        present.append(false)
    }

    private mutating func markUnusable(_ row: Int, _ value: UnusableVector) {
        absent()
        unusable[row] = value
    }

    /// Numbers as JSON text, NaN and infinities as Python's json writes them.
    private func jsonText(_ xs: [Float]) -> String {
        "[" + xs.map { $0.isNaN ? "NaN" : $0.isInfinite ? ($0 < 0 ? "-Infinity" : "Infinity") : $0.description }
            .joined(separator: ", ") + "]"
    }

    func finish(name: String, rows: Int) -> VectorColumn {
        let d = max(dimension, 0)
        var values = numbers
        if dimension <= 0 { values = [] }
        values.append(contentsOf: repeatElement(0, count: rows * d - values.count))
        var present = self.present
        present.append(contentsOf: repeatElement(false, count: rows - present.count))
        var column = VectorColumn(name: name, embeddings: Embeddings(count: rows, dimension: d, values: values),
                                  present: present, unusable: unusable)
        column.roundedToFloat32 = rounded
        return column
    }
}

/// The text of an array of numbers: `[1, 2.5, -3e-2]` (JSON, pgvector) or
/// `{1,2.5,-0.03}` (a PostgreSQL array). Numbers are read as the JSON
/// reader reads them (the nearest Float32 to the decimal text); `NaN`,
/// `Infinity` and `-Infinity` are read and flagged.
enum NumberArrayText {
    struct Failure: Error { let message: String }

    /// Appends the numbers to `out`; says whether one was not finite, and
    /// whether storing them as Float32 changed one.
    static func parse(_ text: UnsafeBufferPointer<UInt8>, open: UInt8, close: UInt8, into out: inout [Float])
        throws(Failure) -> (nonFinite: Bool, changed: Bool) {
        var s = JSONScanner(text: text, start: 0, end: text.count, regionName: "value")
        var nonFinite = false, changed = false
        s.skipWhitespace()
        guard s.byte == open else { throw Failure(message: "expected '\(Character(Unicode.Scalar(open)))'") }
        s.position += 1
        s.skipWhitespace()
        if s.byte == close {
            s.position += 1
        } else {
            while true {
                s.skipWhitespace()
                if let word = nonFiniteWord(&s) {
                    out.append(word)
                    nonFinite = true
                } else {
                    guard let number = try? s.scanFloat() else { throw Failure(message: "expected a number at byte \(s.position + 1)") }
                    guard let value = number.value else {
                        out.append(.infinity)   // beyond Float32's range
                        nonFinite = true
                        continue
                    }
                    out.append(value)
                    if number.changed { changed = true }
                }
                s.skipWhitespace()
                if s.byte == UInt8(ascii: ",") { s.position += 1; continue }
                guard s.byte == close else { throw Failure(message: "expected ',' or '\(Character(Unicode.Scalar(close)))' at byte \(s.position + 1)") }
                s.position += 1
                break
            }
        }
        s.skipWhitespace()
        guard s.atEnd else { throw Failure(message: "text after the array") }
        return (nonFinite, changed)
    }

    /// `NaN`, `Infinity`, `-Infinity` (any case, as PostgreSQL and Python write them), stepped over.
    private static func nonFiniteWord(_ s: inout JSONScanner) -> Float? {
        for (word, value) in [("nan", Float.nan), ("infinity", Float.infinity), ("-infinity", -Float.infinity), ("inf", Float.infinity), ("-inf", -Float.infinity)] {
            let bytes = Array(word.utf8)
            guard s.position + bytes.count <= s.end else { continue }
            var match = true
            for (i, b) in bytes.enumerated() where s.text[s.position + i] | 0x20 != b { match = false; break }
            if match {
                s.position += bytes.count
                return value
            }
        }
        return nil
    }
}
