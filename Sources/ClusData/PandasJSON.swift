/// pandas' `DataFrame.to_json()` layouts that hold the whole table in one
/// JSON object: its default, orient="columns" (`{"col": {"0": v, …}, …}`),
/// and "index" (`{"0": {"col": v, …}, …}`), "split" (`{"columns": […],
/// "index": […], "data": [[…], …]}`) and "table" (`{"schema": …, "data":
/// [{…}, …]}`). orient="records" is a JSON array of documents already. A
/// `.json` file of one object in another shape is one document, as before.
enum PandasJSON {
    enum Layout: String {
        case columns, index, split, table
    }

    /// One member of an object: its key, where the key and the value start.
    private struct Member {
        let key: String
        let keyOffset: Int
        let value: Int
    }

    /// The layout of the single object at `start`, or nil when the text is
    /// not one object in one of these layouts. Reads the object's first two
    /// levels of keys (the values skipped).
    static func layout(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Layout? {
        var s = scanner(text, at: start)
        s.skipWhitespace()
        guard s.byte == UInt8(ascii: "{"), let top = try? members(&s) else { return nil }
        s.skipWhitespace()
        guard s.atEnd, !top.isEmpty else { return nil }
        let keys = top.map(\.key)
        func opens(_ m: Member, _ b: UInt8) -> Bool { text[m.value] == b }
        if Set(keys) == ["columns", "index", "data"] || Set(keys) == ["columns", "data"] {
            return top.allSatisfy { opens($0, UInt8(ascii: "[")) } ? .split : nil
        }
        if Set(keys) == ["schema", "data"], let data = top.first(where: { $0.key == "data" }), opens(data, UInt8(ascii: "[")) {
            return .table
        }
        guard top.allSatisfy({ opens($0, UInt8(ascii: "{")) }) else { return nil }
        var inner: [[String]] = [], kinds: [[UInt8]] = []
        for m in top {
            var t = scanner(text, at: m.value)
            guard let ms = try? members(&t) else { return nil }
            inner.append(ms.map(\.key))
            kinds.append(ms.map { kind(text[$0.value]) })
        }
        guard inner.allSatisfy({ $0 == inner[0] }), !inner[0].isEmpty else { return nil }
        if isRowNumbers(inner[0]) { return .columns }
        if isRowNumbers(keys) { return .index }
        return namedIndexLayout(kinds)
    }

    /// With an index of its own (ids, a filtered frame's row numbers) neither
    /// level's keys are 0, 1, …: the layout whose columns each hold values of
    /// one kind (nulls aside) and one of them arrays, the vectors; nil when
    /// neither reading gives such a table (the object is one document, as
    /// before). When both do (every column of one kind), the one with more
    /// rows than columns, as a table of documents has; orient="columns"
    /// (pandas' default) on a tie.
    /// `cells`: the kind of each value (`kind`), by top-level member, then inner member.
    private static func namedIndexLayout(_ cells: [[UInt8]]) -> Layout? {
        let rows = cells[0].count
        /// Whether each of the columns' cells are of one kind, and some column's arrays.
        func isTable(_ columns: [[UInt8]]) -> Bool {
            var arrays = false
            for column in columns {
                let kinds = Set(column.filter { $0 != nullKind })
                guard kinds.count <= 1 else { return false }
                arrays = arrays || kinds == [UInt8(ascii: "[")]
            }
            return arrays
        }
        let byColumns = isTable(cells)
        let byIndex = isTable((0 ..< rows).map { j in cells.map { $0[j] } })
        switch (byColumns, byIndex) {
        case (true, true): return rows >= cells.count ? .columns : .index
        case (true, false): return .columns
        case (false, true): return .index
        case (false, false): return nil
        }
    }

    private static let nullKind = UInt8(ascii: "n")

    /// A JSON value's kind by its first byte: `[`, `{`, `"`, `n` (null), `b` (a Boolean) or `0` (a number).
    private static func kind(_ first: UInt8) -> UInt8 {
        switch first {
        case UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "\""), UInt8(ascii: "n"): first
        case UInt8(ascii: "t"), UInt8(ascii: "f"): UInt8(ascii: "b")
        default: UInt8(ascii: "0")
        }
    }

    /// A row's index key as the field `_index`: a whole number as a number
    /// (a filtered frame's rows, an integer index), any other as text.
    private static func indexValue(_ key: String) -> FieldValue {
        Int(key).map { .int($0) } ?? .string(key)
    }

    /// Reads the object at `start`, laid out as `layout`, one document per
    /// row into `reader`. pandas' default index (0, 1, …) is left out; any
    /// other becomes the field `_index` (a whole number as a number).
    static func read(_ layout: Layout, _ text: UnsafeBufferPointer<UInt8>, from start: Int,
                     into reader: inout DocumentReader) throws(ScanError) {
        var s = scanner(text, at: start)
        s.skipWhitespace()
        let top = try members(&s)
        func member(_ key: String) -> Member? { top.first { $0.key == key } }
        switch layout {
        case .columns:
            var columns: [[Member]] = []
            for m in top {
                var t = scanner(text, at: m.value)
                columns.append(try members(&t))
            }
            let keepIndex = !isRowNumbers(columns[0].map(\.key))
            for row in columns[0].indices {
                if keepIndex { try setIndex(columns[0][row], into: &reader) }
                for (c, column) in columns.enumerated() {
                    var t = scanner(text, at: column[row].value)
                    try reader.readField(&t, name: top[c].key, keyOffset: column[row].keyOffset)
                }
                reader.builder.finishDocument()
            }
        case .index:
            let keepIndex = !isRowNumbers(top.map(\.key))
            for m in top {
                if keepIndex { try setIndex(m, into: &reader) }
                var t = scanner(text, at: m.value)
                try reader.readDocument(&t)
            }
        case .split:
            var names: [String] = []
            var t = scanner(text, at: member("columns")!.value)
            for element in try elements(&t) {
                var e = scanner(text, at: element)
                guard e.byte == UInt8(ascii: "\"") else { throw ScanError(offset: element, message: "a column name in quotes") }
                names.append(try e.readString())
            }
            var index: [Int] = []
            if let m = member("index") {
                var t = scanner(text, at: m.value)
                index = try elements(&t)
            }
            let keepIndex = !index.isEmpty && !isRowNumbers(index.map { offset in
                var e = scanner(text, at: offset)
                return (try? e.scanNumber()).map { e.string($0.range) } ?? ""
            })
            var d = scanner(text, at: member("data")!.value)
            for (r, row) in try elements(&d).enumerated() {
                var t = scanner(text, at: row)
                guard t.byte == UInt8(ascii: "[") else { throw ScanError(offset: row, message: "each row of 'data' is an array") }
                let cells = try elements(&t)
                guard cells.count == names.count else {
                    throw ScanError(offset: row, message: "\(cells.count) value\(cells.count == 1 ? "" : "s") in this row of 'data', \(names.count) column\(names.count == 1 ? "" : "s")")
                }
                if keepIndex && r < index.count {
                    var e = scanner(text, at: index[r])
                    try reader.readField(&e, name: "_index", keyOffset: index[r])
                }
                for (name, cell) in zip(names, cells) {
                    var e = scanner(text, at: cell)
                    try reader.readField(&e, name: name, keyOffset: cell)
                }
                reader.builder.finishDocument()
            }
        case .table:
            var t = scanner(text, at: member("data")!.value)
            for record in try elements(&t) {
                var e = scanner(text, at: record)
                try reader.readDocument(&e)
            }
        }
    }

    /// The field `_index` of the document being read: the key of `row`.
    private static func setIndex(_ row: Member, into reader: inout DocumentReader) throws(ScanError) {
        let c = reader.builder.column("_index")
        try reader.builder.set(indexValue(row.key), column: c, keyOffset: row.keyOffset)
    }

    /// A scanner over the rest of the file from `offset`.
    private static func scanner(_ text: UnsafeBufferPointer<UInt8>, at offset: Int) -> JSONScanner {
        JSONScanner(text: text, start: offset, end: text.count, regionName: "file")
    }

    /// Whether the keys are 0, 1, …, n-1 in order: pandas' default index.
    private static func isRowNumbers(_ keys: [String]) -> Bool {
        keys.enumerated().allSatisfy { $0.element == String($0.offset) }
    }

    /// The members of the object at the scanner's `{`, their values skipped.
    private static func members(_ s: inout JSONScanner) throws(ScanError) -> [Member] {
        var out: [Member] = []
        try DocumentReader.readMembers(&s) { (s, key, keyOffset) throws(ScanError) in
            out.append(Member(key: key, keyOffset: keyOffset, value: s.position))
            try s.skipValue()
        }
        return out
    }

    /// Where the elements of the array at the scanner's `[` start.
    private static func elements(_ s: inout JSONScanner) throws(ScanError) -> [Int] {
        var out: [Int] = []
        try s.consume(UInt8(ascii: "["), else: "'['")
        s.skipWhitespace()
        if s.byte == UInt8(ascii: "]") { s.position += 1; return out }
        while true {
            s.skipWhitespace()
            out.append(s.position)
            try s.skipValue()
            s.skipWhitespace()
            if try s.endOfMember(close: UInt8(ascii: "]"), what: "',' or ']' in an array") { return out }
        }
    }
}
