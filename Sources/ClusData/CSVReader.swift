import ClusCore
#if canImport(Glibc)
import Glibc
#endif

/// Reads CSV (RFC 4180: a header row, `"` quoting with `""` for a quote,
/// CRLF or LF line ends) into a `DatasetBuilder`.
///
/// Cells are typed like JSON values: whole numbers `int`, other numbers
/// `float`, `true`/`false` (and pandas' `True`/`False`, `TRUE`/`FALSE`)
/// `bool`, empty cells missing, anything else a string. A cell holding a JSON
/// array of numbers, or NumPy's print of an array (pandas' `to_csv` of a
/// column of arrays), is a vector candidate, as in JSON Lines;
/// `_cluster_.FIELD.ALIAS` columns are cluster labels. Numeric columns become
/// one vector field when `vector=` names them (a glob `f*` or a range
/// `f0..f63`, `0..383`), or, without `vector=`, when they are named `0..N-1`
/// (a pandas DataFrame's) or exactly one run of columns is named `PREFIX0`,
/// `PREFIX1`, ... (never a lone label column). A row whose vector cells are
/// all empty is a document without the vector. An unnamed first column is
/// pandas' index: left out when it is `0..n-1`, else kept as `_index`. A
/// first row of numbers only, one not whole, is no header but the first
/// document (`np.savetxt`'s output): the columns are named `0..N-1`.
struct CSVReader {
    let path: String
    let text: UnsafeBufferPointer<UInt8>
    /// Between cells: ',' (CSV) or a tab (TSV).
    var delimiter = UInt8(ascii: ",")
    /// A file known to have no header row: its one column is named `label`,
    /// more are named 0..N-1 (TensorBoard's one-column metadata.tsv).
    var noHeader = false
    var cancellation: Cancellation? = nil
    var progress: ((Int, Int) -> Void)? = nil
    var parallelism = Parallelism.allCores
    /// About the bytes of text (or the equivalent rows) each thread's chunk gets.
    var chunkBytes = 4 << 20

    /// One parsed row: cells' byte ranges in `text` (quotes stripped) and
    /// whether each was quoted (then `""` must be unescaped).
    private struct Cell {
        var range: Range<Int>
        var quoted: Bool
    }

    /// Reads the whole file; `vectorSpec` is the `vector=` option.
    func read(into builder: inout DatasetBuilder, start: Int, vectorSpec: String?, notes: inout [String], pickVectors: Bool = true) throws -> String? {
        var position = start
        var header: [Cell] = []
        guard try row(&position, into: &header) else { throw DataError.noDocuments(path) }
        var names = header.map { cellString($0) }
        // A first row of numbers only, one of them not whole (np.savetxt's
        // output, TensorBoard's vectors.tsv), is no header: it is the first
        // document, and the columns are named 0..N-1, as pandas names them.
        let headerless = noHeader || header.count >= 2 && header.allSatisfy { !$0.quoted && isNumber($0) }
            && header.contains { cell in text[cell.range].contains { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") } }
        if headerless {
            position = start
            names = header.count == 1 ? ["label"] : header.indices.map(String.init)
        }
        // pandas' `to_csv()` writes its row index first, under an empty name.
        if names.count > 1 && names[0].isEmpty { names[0] = CSVReader.indexName }
        for (i, name) in names.enumerated() {
            if name.isEmpty { throw DataError.at(path, offset: header[i].range.lowerBound, in: text, "column \(i + 1) has no name in the header") }
            if let j = names[..<i].firstIndex(of: name) {
                throw DataError.at(path, offset: header[i].range.lowerBound, in: text, "duplicate column '\(name)' (also column \(j + 1))")
            }
        }
        let (rows, rowStarts) = try allRows(from: &position, columns: names.count)
        var skipped = Set<Int>()
        if names[0] == CSVReader.indexName && header[0].range.isEmpty {
            let dropped = isRowNumbers(rows.map { $0[0] })
            if dropped { skipped.insert(0) }
            notes.append(dropped ? "the unnamed first column is pandas' row index 0..\(rows.count - 1): left out"
                                 : "the unnamed first column (pandas' row index) is kept as the field '\(CSVReader.indexName)'")
        }

        let numeric = names.indices.map { c in !skipped.contains(c) && isNumericColumn(rows, c) }
        let (vectorColumns, vectorName, note) = !pickVectors ? ([], nil, nil) : try chooseVector(names: names, numeric: numeric, spec: vectorSpec, header: header, rows: rows)
        let noHeaderNote = "no header row (the first row holds only numbers: it is the first document)"
        if headerless && vectorSpec == nil && vectorName == "vector" {
            notes.append("\(noHeaderNote); vector 'vector' from the \(names.count) columns")
        } else {
            if headerless && !noHeader { notes.append("\(noHeaderNote); the columns are named 0..\(names.count - 1)") }
            if let note { notes.append(note) }
        }
        skipped.formUnion(vectorColumns)
        var columnIndex: [Int] = []
        for (c, name) in names.enumerated() {
            columnIndex.append(skipped.contains(c) || name.hasPrefix("_cluster_.") ? -1 : builder.column(name))
        }
        if let vectorName { _ = builder.column(vectorName) }
        builder.reserveDocuments(builder.count + rows.count)
        // The documents, in chunks of rows on all cores, each into a builder
        // of its own with the columns in the same order, appended in order.
        let pieces = CSVReader.pieces(rowStarts, textBytes: text.count - start, chunkBytes: chunkBytes)
        var results = [DocumentsResult?](repeating: nil, count: pieces.count)
        results.withUnsafeMutableBufferPointer { slots in
            let slots = UncheckedBox(slots)
            parallelism.forEach(chunks: pieces.count) { p in
                var chunk = DatasetBuilder()
                for (c, name) in names.enumerated() where columnIndex[c] >= 0 { _ = chunk.column(name) }
                slots.value[p] = documents(rows, pieces[p], rowStarts: rowStarts, names: names, skipped: skipped,
                                           vectorName: vectorName, vectorColumns: vectorColumns, into: chunk)
            }
        }
        var partial: [Int] = [], filled = 0
        for (p, result) in results.enumerated() {
            guard let result else { continue }
            if let error = result.error { throw error }
            builder.append(result.builder, base: 0)
            partial += result.partial
            filled += result.filled
            if p % 4 == 3 { progress?(rowStarts[pieces[p].upperBound - 1], text.count) }
        }
        if let vectorName, filled == 0 {
            throw DataError(path: path, message: "no row fills all \(vectorColumns.count) '\(vectorName)' columns \(names[vectorColumns.first!])..\(names[vectorColumns.last!]): no document has a vector")
        }
        if !partial.isEmpty, let vectorName {
            notes.append(partialNote(partial, rowStarts: rowStarts, vectorName: vectorName, dimension: vectorColumns.count))
        }
        return vectorName
    }

    private struct DocumentsResult {
        var builder: DatasetBuilder
        var partial: [Int] = []
        var filled = 0
        var error: Error?
    }

    /// Consecutive ranges of row indices of about `chunkBytes` of text each.
    static func pieces(_ rowStarts: [Int], textBytes: Int, chunkBytes: Int) -> [Range<Int>] {
        guard !rowStarts.isEmpty else { return [] }
        let rowsPerPiece = max(1, Int(Double(rowStarts.count) * Double(chunkBytes) / Double(max(textBytes, 1))))
        return stride(from: 0, to: rowStarts.count, by: rowsPerPiece).map { $0 ..< min($0 + rowsPerPiece, rowStarts.count) }
    }

    /// One chunk of rows as documents in `builder` (its columns already
    /// created in the header's order), the rows (by index) whose vector cells
    /// are partly empty, how many fill the vector, or the first error.
    private func documents(_ rows: Rows, _ range: Range<Int>, rowStarts: [Int], names: [String], skipped: Set<Int>,
                           vectorName: String?, vectorColumns: [Int], into builder: DatasetBuilder) -> DocumentsResult {
        var result = DocumentsResult(builder: builder)
        var columnIndex: [Int] = []
        for (c, name) in names.enumerated() {
            columnIndex.append(skipped.contains(c) || name.hasPrefix("_cluster_.") ? -1 : result.builder.column(name))
        }
        let vectorColumn = vectorName.map { result.builder.column($0) }
        result.builder.reserveDocuments(range.count)
        do {
            for r in range {
                let cells = rows[r]
                if r % 4096 == 4095 { try cancellation?.check() }
                for (c, cell) in cells.enumerated() where !skipped.contains(c) {
                    try readCell(cell, name: names[c], column: columnIndex[c], into: &result.builder)
                }
                if let vectorColumn {
                    switch try vector(of: cells, columns: vectorColumns) {
                    case .numbers(let vector):
                        result.filled += 1
                        try scan { () throws(ScanError) in
                            try result.builder.setNumbers(vector, range: rowStarts[r] ..< rowStarts[r], column: vectorColumn, keyOffset: rowStarts[r])
                        }
                    case .empty: break
                    case .partial: result.partial.append(r)
                    }
                }
                result.builder.finishDocument()
            }
        } catch {
            result.error = error
        }
        return result
    }

    /// All rows' cells in one array, row after row, `columns` to a row (one
    /// array instead of one per row: a 10⁷-row file is 10⁷ fewer allocations).
    private struct Rows: RandomAccessCollection {
        var cells: [Cell] = []
        let columns: Int
        init(columns: Int) { self.columns = columns }
        var startIndex: Int { 0 }
        var endIndex: Int { cells.count / columns }
        subscript(r: Int) -> Row { Row(cells: cells, base: r * columns, count: columns) }
    }

    /// One row's cells in `Rows`.
    private struct Row: RandomAccessCollection {
        let cells: [Cell]
        let base: Int
        let count: Int
        var startIndex: Int { 0 }
        var endIndex: Int { count }
        subscript(c: Int) -> Cell { cells[base + c] }
    }

    /// The name given to pandas' unnamed index column when it is kept.
    static let indexName = "_index"

    /// Every row after the header (blank lines skipped), with where each
    /// starts. Without a quote in the text every line end ends a row, so the
    /// text is cut at line ends and read on all cores; with quotes (a quoted
    /// cell may hold a line end) it is read in one piece.
    private func allRows(from position: inout Int, columns: Int) throws -> (Rows, [Int]) {
        var bounds: [Range<Int>] = []
        let hasQuote = position < text.count && memchr(text.baseAddress! + position, Int32(UInt8(ascii: "\"")), text.count - position) != nil
        if hasQuote || parallelism.threads == 1 {
            bounds = [position ..< text.count]
        } else {
            var start = position
            while start < text.count {
                var end = text.count
                if start + chunkBytes < text.count, let newline = JSONLinesReader.lineEnd(text, from: start + chunkBytes) { end = newline + 1 }
                bounds.append(start ..< end)
                start = end
            }
        }
        var results = [Result<([Cell], [Int]), Error>?](repeating: nil, count: bounds.count)
        results.withUnsafeMutableBufferPointer { slots in
            let slots = UncheckedBox(slots)
            parallelism.forEach(chunks: bounds.count) { c in
                slots.value[c] = Result { try readRows(in: bounds[c], columns: columns) }
            }
        }
        var rows = Rows(columns: columns)
        var rowStarts: [Int] = []
        let cellCount = results.reduce(0) { $0 + ((try? $1?.get())?.0.count ?? 0) }
        rows.cells.reserveCapacity(cellCount)
        rowStarts.reserveCapacity(cellCount / columns)
        for (c, result) in results.enumerated() {
            let (chunkCells, chunkStarts) = try result!.get()
            results[c] = nil
            rows.cells += chunkCells
            rowStarts += chunkStarts
        }
        position = text.count
        guard !rows.isEmpty else { throw DataError.noDocuments(path) }
        return (rows, rowStarts)
    }

    /// The rows that start in `bounds` (which ends at a row's end).
    private func readRows(in bounds: Range<Int>, columns: Int) throws(DataError) -> ([Cell], [Int]) {
        var cells: [Cell] = []
        var rowStarts: [Int] = []
        var position = bounds.lowerBound
        while position < bounds.upperBound {
            let rowStart = position, first = cells.count
            guard try row(&position, into: &cells) else { break }
            let count = cells.count - first
            if count == 1 && cells[first].range.isEmpty && !cells[first].quoted {  // blank line
                cells.removeLast()
                continue
            }
            guard count == columns else {
                throw DataError.at(path, offset: rowStart, in: text, "\(count) cells in this row, \(columns) in the header")
            }
            rowStarts.append(rowStart)
        }
        return (cells, rowStarts)
    }

    /// One cell of a field or `_cluster_` column; an empty cell is a missing value.
    private func readCell(_ cell: Cell, name: String, column: Int, into builder: inout DatasetBuilder) throws(DataError) {
        let offset = cell.range.lowerBound
        guard !cell.range.isEmpty else { return }
        if name.hasPrefix("_cluster_.") {
            let parts = name.dropFirst("_cluster_.".count)
            guard let dot = parts.lastIndex(of: ".") else { return }
            try scan { () throws(ScanError) in
                try builder.setLabel(cellString(cell), vectorField: String(parts[..<dot]), alias: String(parts[parts.index(after: dot)...]), keyOffset: offset)
            }
        } else if let (numbers, nonFinite, notJSON) = numberArray(cell) {
            try scan { () throws(ScanError) in
                try builder.setNumbers(numbers, range: cell.range, column: column, keyOffset: offset, nonFinite: nonFinite,
                                       written: notJSON ? .notJSON : .json)
            }
        } else {
            let (value, isArray) = typed(cell)
            try scan { () throws(ScanError) in
                try builder.set(value, isArray: isArray, column: column, keyOffset: offset)
            }
        }
    }

    /// A row's vector from numeric columns: all cells empty is a document
    /// without the vector (pandas writes NaN as an empty cell), some empty
    /// leaves it without a usable one.
    private enum RowVector {
        case numbers([Float])
        case empty
        case partial
    }

    private func vector(of cells: Row, columns: [Int]) throws(DataError) -> RowVector {
        var vector: [Float] = []
        vector.reserveCapacity(columns.count)
        var empty = 0
        for c in columns {
            let cell = cells[c]
            if cell.range.isEmpty { empty += 1; continue }
            guard let f = Float(cellString(cell)), f.isFinite else {
                throw DataError.at(path, offset: cell.range.lowerBound, in: text, "number \(cellString(cell)) is out of range for a 32-bit float")
            }
            vector.append(f)
        }
        return empty == 0 ? .numbers(vector) : empty == columns.count ? .empty : .partial
    }

    /// `2 documents have some 'vector' cells empty (line 7: 3 of 384); they have no vector`.
    private func partialNote(_ rows: [Int], rowStarts: [Int], vectorName: String, dimension: Int) -> String {
        let lines = rows.prefix(3).map { "line \(DataError.location(of: rowStarts[$0], in: text).line)" }
        let more = rows.count > 3 ? ", …" : ""
        let subject = rows.count == 1 ? "1 document has" : "\(rows.count) documents have"
        return "\(subject) some of the \(dimension) '\(vectorName)' cells empty (\(lines.joined(separator: ", "))\(more)): no vector for \(rows.count == 1 ? "it" : "them")"
    }

    /// Whether the cells are `0, 1, 2, ...` in order: pandas' default index.
    private func isRowNumbers(_ cells: [Cell]) -> Bool {
        cells.enumerated().allSatisfy { i, cell in !cell.quoted && cellString(cell) == String(i) }
    }

    /// Whether column `c` holds numbers: every non-empty cell one, and some cell not empty.
    private func isNumericColumn(_ rows: Rows, _ c: Int) -> Bool {
        var any = false
        for row in rows where !row[c].range.isEmpty {
            guard isNumber(row[c]) else { return false }
            any = true
        }
        return any
    }

    private func scan(_ body: () throws(ScanError) -> Void) throws(DataError) {
        do { try body() } catch { throw DataError.at(path, offset: error.offset, in: text, error.message) }
    }

    /// The columns of the vector field, its name, and a note saying what was chosen.
    private func chooseVector(names: [String], numeric: [Bool], spec: String?, header: [Cell], rows: Rows)
        throws(DataError) -> ([Int], String?, String?) {
        if let spec {
            if let c = names.firstIndex(of: spec) {
                if numeric[c] {
                    throw DataError(path: path, message: "vector=\(spec): '\(spec)' is one numeric column, not a vector; give a glob like \"f*\" or a range like \"f0..f63\"")
                }
                return ([], nil, nil)  // a column of JSON arrays, found by the builder
            }
            let columns: [Int]
            let name: String
            if let range = CSVReader.rangeSpec(spec) {
                var found: [Int] = []
                for i in range.from ... max(range.from, range.to) where range.from <= range.to {
                    guard let c = names.firstIndex(of: range.prefix + String(i)) else {
                        throw DataError(path: path, message: "vector=\(spec): no column '\(range.prefix)\(i)'")
                    }
                    found.append(c)
                }
                columns = found
                name = range.prefix.isEmpty ? "vector" : range.prefix
            } else if spec.contains("*") || spec.contains("?") {
                columns = names.indices.filter { CSVReader.glob(spec, names[$0]) }
                let stem = String(spec.filter { $0 != "*" && $0 != "?" })
                name = stem.isEmpty ? "vector" : stem
            } else {
                throw DataError(path: path, message: "vector=\(spec): no such column; give a column of JSON arrays, a glob like \"f*\" or a range like \"f0..f63\"")
            }
            guard !columns.isEmpty else { throw DataError(path: path, message: "vector=\(spec) matches no column") }
            for c in columns where !numeric[c] {
                // an empty cell is a document without the vector; a column of them is no error
                guard let bad = rows.first(where: { !$0[c].range.isEmpty && !isNumber($0[c]) })?[c] else { continue }
                throw DataError.at(path, offset: bad.range.lowerBound, in: text,
                                   "column '\(names[c])' is in vector=\(spec) but '\(cellString(bad))' is not a number")
            }
            if names.contains(name) {
                throw DataError(path: path, message: "vector=\(spec): the vector would be named '\(name)', which is already a column")
            }
            return (columns, name, nil)
        }
        if let pandas = try dataFrameColumns(names: names, numeric: numeric, rows: rows) { return pandas }
        // Without vector=: one run of numeric columns PREFIX<digits>, at least two.
        var groups: [String: [Int]] = [:]
        for (c, n) in names.enumerated() where numeric[c] && !n.hasPrefix("_cluster_.") {
            let prefix = String(n.reversed().drop { $0.isASCII && $0.isNumber }.reversed())
            if prefix.count < n.count { groups[prefix, default: []].append(c) }
        }
        let runs = groups.filter { $0.value.count >= 2 }
        let numericNames = names.indices.filter { numeric[$0] }.map { names[$0] }
        guard runs.count == 1, let (prefix, columns) = runs.first else {
            if runs.count > 1 {
                return ([], nil, "numeric columns form several runs (\(runs.keys.sorted().map { $0 + "*" }.joined(separator: ", "))); no vector taken: give vector=\"PREFIX*\"")
            }
            if !numericNames.isEmpty && !names.indices.contains(where: { rows[0][$0].range.first.map { text[$0] == UInt8(ascii: "[") } ?? false }) {
                return ([], nil, "no vector taken from the numeric columns (\(numericNames.prefix(8).joined(separator: ", "))\(numericNames.count > 8 ? ", …" : "")): give vector=\"f*\" or vector=\"f0..f63\"")
            }
            return ([], nil, nil)
        }
        let name = prefix.isEmpty ? "vector" : prefix
        if names.contains(name) { return ([], nil, "numeric columns \(prefix)* not taken as a vector: '\(name)' is already a column; give vector=") }
        let others = numericNames.filter { n in !columns.contains { names[$0] == n } }
        var note = "vector '\(name)' from the \(columns.count) numeric columns \(names[columns.first!])..\(names[columns.last!])"
        if !others.isEmpty { note += "; other numeric columns kept as fields: " + others.joined(separator: ", ") }
        return (columns, name, note)
    }

    /// The columns `0, 1, ..., N-1` (N ≥ 2) that `pd.DataFrame(X).to_csv()`
    /// writes, when they are the only columns named by a number: the vector,
    /// named `vector`. A word in one of them is an error rather than a
    /// vector quietly left short; nil when the names do not fit.
    private func dataFrameColumns(names: [String], numeric: [Bool], rows: Rows) throws(DataError) -> ([Int], String?, String?)? {
        let numbered = names.indices.filter { c in !names[c].isEmpty && names[c].allSatisfy { $0.isASCII && $0.isNumber } }
        guard numbered.count >= 2, Set(numbered.map { names[$0] }) == Set((0 ..< numbered.count).map(String.init)) else { return nil }
        let columns = numbered.sorted { Int(names[$0])! < Int(names[$1])! }
        for c in columns where !numeric[c] {
            guard let bad = rows.first(where: { !$0[c].range.isEmpty && !isNumber($0[c]) })?[c] else { continue }
            throw DataError.at(path, offset: bad.range.lowerBound, in: text,
                               "'\(cellString(bad))' is not a number, in column '\(names[c])' of the vector columns 0..\(columns.count - 1) (an empty cell is a document without a vector)")
        }
        let name = "vector"
        if names.contains(name) {
            return ([], nil, "columns 0..\(columns.count - 1) not taken as a vector: '\(name)' is already a column")
        }
        return (columns, name, "vector '\(name)' from the \(columns.count) columns named 0..\(columns.count - 1) (a pandas DataFrame's)")
    }

    /// `f0..f63` → ("f", 0, 63).
    static func rangeSpec(_ spec: String) -> (prefix: String, from: Int, to: Int)? {
        let chars = Array(spec)
        guard let i = chars.indices.first(where: { $0 + 1 < chars.count && chars[$0] == "." && chars[$0 + 1] == "." }) else { return nil }
        let a = String(chars[..<i])[...], b = String(chars[(i + 2)...])[...]
        let prefixA = a.reversed().drop { $0.isASCII && $0.isNumber }.reversed()
        let prefixB = b.reversed().drop { $0.isASCII && $0.isNumber }.reversed()
        let digitsB = String(b.dropFirst(prefixB.count))
        guard let from = Int(String(a.dropFirst(prefixA.count))), let to = Int(digitsB) else { return nil }
        guard prefixB.isEmpty || String(prefixB) == String(prefixA) else { return nil }
        return (String(prefixA), from, to)
    }

    /// Shell-style `*` and `?` matching.
    static func glob(_ pattern: String, _ name: String) -> Bool {
        let p = Array(pattern.unicodeScalars), s = Array(name.unicodeScalars)
        var pi = 0, si = 0, star = -1, mark = 0
        while si < s.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == s[si]) { pi += 1; si += 1 }
            else if pi < p.count && p[pi] == "*" { star = pi; mark = si; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; si = mark }
            else { return false }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    // MARK: Cells

    private func cellString(_ cell: Cell) -> String {
        let raw = String(decoding: UnsafeBufferPointer(rebasing: text[cell.range]), as: UTF8.self)
        guard cell.quoted, raw.contains("\"") else { return raw }
        var out = ""
        var previousQuote = false
        for c in raw.unicodeScalars {
            if c == "\"" && previousQuote { previousQuote = false; continue }
            previousQuote = c == "\""
            out.unicodeScalars.append(c)
        }
        return out
    }

    /// Whether the cell is a number (an empty cell is not).
    private func isNumber(_ cell: Cell) -> Bool {
        guard startsLikeNumber(cell) else { return false }
        var s = JSONScanner(text: text, start: cell.range.lowerBound, end: cell.range.upperBound, regionName: "cell")
        guard let _ = try? s.scanNumber() else { return false }
        return s.atEnd
    }

    /// A '-' or a digit first: anything else is no number, known without
    /// the scanner composing an error message (a label column's every cell).
    @inline(__always) private func startsLikeNumber(_ cell: Cell) -> Bool {
        guard let first = cell.range.first else { return false }
        return text[first] == UInt8(ascii: "-") || text[first] &- UInt8(ascii: "0") < 10
    }

    private func typed(_ cell: Cell) -> (FieldValue, Bool) {
        var s = JSONScanner(text: text, start: cell.range.lowerBound, end: cell.range.upperBound, regionName: "cell")
        if startsLikeNumber(cell), let token = try? s.scanNumber(), s.atEnd { return (s.fieldValue(token), false) }
        let string = cellString(cell)
        switch string {
        // pandas writes True/False, R and spreadsheets TRUE/FALSE
        case "true", "True", "TRUE": return (.bool(true), false)
        case "false", "False", "FALSE": return (.bool(false), false)
        default: return (.string(string), isJSONArray(string))
        }
    }

    /// Whether `b` may follow a number in an array: whitespace, ',' or ']'.
    @inline(__always) private func endsArrayNumber(_ b: UInt8) -> Bool {
        switch b {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: "]"): true
        default: false
        }
    }

    /// Whether the cell's text is a JSON array (export writes it back as
    /// one); a Python list's print such as `['a', 'b']` is not, and stays a string.
    private func isJSONArray(_ string: String) -> Bool {
        guard string.hasPrefix("[") && string.hasSuffix("]") else { return false }
        var string = string
        return string.withUTF8 { bytes in
            var s = JSONScanner(text: bytes, start: 0, end: bytes.count, regionName: "cell")
            guard (try? s.skipValue()) != nil else { return false }
            s.skipWhitespace()
            return s.atEnd
        }
    }

    /// The numbers of a cell holding an array, whether one is NaN or an
    /// infinity, and whether the text is no JSON; nil when the cell is no
    /// array of numbers. Two forms: JSON's `[1, 2.5, ...]` (a Python list's
    /// print, `nan` included), and NumPy's print of an array, which pandas
    /// writes for a column of arrays: `[ 0.1 -0.2\n  1.  3.e-05]`,
    /// whitespace between the numbers.
    private func numberArray(_ cell: Cell) -> (numbers: [Float], nonFinite: Bool, notJSON: Bool)? {
        guard text[cell.range.lowerBound] == UInt8(ascii: "[") else { return nil }
        var s = JSONScanner(text: text, start: cell.range.lowerBound + 1, end: cell.range.upperBound, regionName: "cell")
        var numbers: [Float] = []
        var commas: Bool? = nil   // what parts the numbers: fixed by the first gap
        s.skipWhitespace()
        if s.byte == UInt8(ascii: "]") { s.position += 1; return s.atEnd ? (numbers, false, false) : nil }
        var notJSON = false, nonFinite = false
        while true {
            guard let (f, json) = arrayNumber(&s) else { return nil }
            numbers.append(f)
            notJSON = notJSON || !json
            nonFinite = nonFinite || !f.isFinite
            let end = s.position
            s.skipWhitespace()
            switch s.byte {
            case UInt8(ascii: "]"):
                s.position += 1
                return s.atEnd ? (numbers, nonFinite, notJSON || commas == false) : nil
            case UInt8(ascii: ","):
                guard commas != false else { return nil }
                commas = true
                s.position += 1
                s.skipWhitespace()
            default:
                guard commas != true, s.position > end else { return nil }
                commas = false
            }
        }
    }

    /// One number of an array cell, rounded once to Float32 (nil beyond its
    /// range), and whether it was written as JSON: JSON's form, or the forms
    /// Python and NumPy print besides (`1.`, `3.e-05`, `nan`, `inf`, `-inf`).
    private func arrayNumber(_ s: inout JSONScanner) -> (Float, json: Bool)? {
        let start = s.position
        if let (value, _, _) = try? s.scanFloat(), endsArrayNumber(s.byte) {
            return value.map { ($0, true) }
        }
        s.position = start
        while !s.atEnd, !endsArrayNumber(s.byte) { s.position += 1 }
        let word = s.string(start ..< s.position)
        switch word {
        case "nan", "-nan", "NaN": return (.nan, false)
        case "inf", "Infinity": return (.infinity, false)
        case "-inf", "-Infinity": return (-.infinity, false)
        default:
            // a digit after an optional '-', then digits, a point, an exponent (no hexadecimal, no "infinity")
            guard let first = word.utf8.first(where: { $0 != UInt8(ascii: "-") }), first &- UInt8(ascii: "0") < 10,
                  word.utf8.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 || [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "-"), UInt8(ascii: "+")].contains($0) }),
                  let f = Float(word), f.isFinite else { return nil }
            return (f, false)
        }
    }

    /// Appends the next row's cells; false at the end of the file.
    private func row(_ position: inout Int, into cells: inout [Cell]) throws(DataError) -> Bool {
        guard position < text.count else { return false }
        while true {
            var cell: Cell
            // position is the end of the file after a trailing ',': an empty last cell
            if position < text.count && text[position] == UInt8(ascii: "\"") {
                let open = position
                position += 1
                let start = position
                while true {
                    guard position < text.count else {
                        throw DataError.at(path, offset: open, in: text, "unterminated quoted cell")
                    }
                    if text[position] == UInt8(ascii: "\"") {
                        if position + 1 < text.count && text[position + 1] == UInt8(ascii: "\"") { position += 2; continue }
                        break
                    }
                    position += 1
                }
                cell = Cell(range: start ..< position, quoted: true)
                position += 1
                if position < text.count, ![delimiter, 0x0A, 0x0D].contains(text[position]) {
                    throw DataError.at(path, offset: position, in: text, "expected \(delimiter == 0x09 ? "a tab" : "','") or the end of the line after a quoted cell")
                }
            } else {
                let start = position
                while position < text.count, text[position] != delimiter, text[position] != 0x0A, text[position] != 0x0D {
                    if text[position] == UInt8(ascii: "\"") {
                        throw DataError.at(path, offset: position, in: text, "a quote inside an unquoted cell; quote the cell and double the quote")
                    }
                    position += 1
                }
                cell = Cell(range: start ..< position, quoted: false)
            }
            try checkUTF8(cell.range)
            cells.append(cell)
            if position >= text.count { return true }
            if text[position] == delimiter { position += 1; continue }
            if text[position] == 0x0D { position += 1 }
            if position < text.count && text[position] == 0x0A { position += 1 }
            return true
        }
    }

    private func checkUTF8(_ range: Range<Int>) throws(DataError) {
        guard text[range].contains(where: { $0 >= 0x80 }) else { return }
        var iterator = UnsafeBufferPointer(rebasing: text[range]).makeIterator()
        var decoder = UTF8()
        var offset = range.lowerBound
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): offset += UTF8.width(s)
            case .emptyInput: return
            case .error: throw DataError.at(path, offset: offset, in: text, "invalid UTF-8 (byte 0x\(String(text[offset], radix: 16, uppercase: true)))")
            }
        }
    }
}
