/// Reads JSON documents into a `DatasetBuilder`: nested objects flatten to
/// dotted names, number arrays are kept as numbers (vector candidates),
/// other arrays as their JSON text, and the top-level `_cluster_` object
/// gives cluster labels.
struct DocumentReader {
    var builder = DatasetBuilder()
    /// The array being read, reused from document to document.
    private var scratch: [Float] = []

    private static let maxDepth = 512

    /// Reads one document: the object at the scanner's position (whitespace skipped).
    mutating func readDocument(_ s: inout JSONScanner) throws(ScanError) {
        s.skipWhitespace()
        guard s.byte == UInt8(ascii: "{") else {
            throw s.expected("a JSON object ('{') for each document")
        }
        try readObject(&s, prefix: "", depth: 0)
        builder.finishDocument()
    }

    /// Reads one field's value at the scanner's position into the current
    /// document (pandas' column-wise layouts, `PandasJSON`).
    mutating func readField(_ s: inout JSONScanner, name: String, keyOffset: Int) throws(ScanError) {
        try readValue(&s, name: name, keyOffset: keyOffset, depth: 0)
    }

    /// Reads the object at `{`, naming its fields `prefix + key`.
    private mutating func readObject(_ s: inout JSONScanner, prefix: String, depth: Int) throws(ScanError) {
        guard depth < DocumentReader.maxDepth else {
            throw ScanError(offset: s.position, message: "nesting deeper than \(DocumentReader.maxDepth) levels")
        }
        try DocumentReader.readMembers(&s) { (s, key, keyOffset) throws(ScanError) in
            if depth == 0 && key == "_cluster_" {
                try readClusters(&s)
            } else {
                try readValue(&s, name: prefix + key, keyOffset: keyOffset, depth: depth)
            }
        }
    }

    /// Reads the value of field `name` at the scanner's position.
    private mutating func readValue(_ s: inout JSONScanner, name: String, keyOffset: Int, depth: Int) throws(ScanError) {
        switch s.byte {
        case UInt8(ascii: "{"):
            try readObject(&s, prefix: name + ".", depth: depth + 1)
        case UInt8(ascii: "["):
            let c = builder.column(name)
            let start = s.position
            scratch.reserveCapacity(builder.expectedDimension(c))
            if let array = try DocumentReader.readNumberArray(&s, into: &scratch) {
                try builder.setNumbers(scratch, range: start..<s.position, column: c, keyOffset: keyOffset,
                                       longNumbers: array.long, nonFinite: array.nonFinite)
            } else {
                s.position = start
                try s.skipValue(depth: depth + 1)
                let text = s.string(start..<s.position)
                try builder.set(.string(text), isArray: true, column: c, keyOffset: keyOffset)
            }
        case UInt8(ascii: "\""):
            let start = s.position, c = builder.column(name)
            let value = try s.readString()
            // An array of numbers written as a JSON string ("[0.1, 0.2]": pgvector's
            // text form, a column of strings in pandas): read as its numbers.
            if s.text[start + 1] == UInt8(ascii: "["), !s.text[start ..< s.position].contains(UInt8(ascii: "\\")) {
                var inner = JSONScanner(text: s.text, start: start + 1, end: s.position - 1, regionName: s.regionName)
                if let array = try? DocumentReader.readNumberArray(&inner, into: &scratch), inner.atEnd {
                    try builder.setNumbers(scratch, range: start + 1 ..< s.position - 1, column: c, keyOffset: keyOffset,
                                           longNumbers: array.long, nonFinite: array.nonFinite, written: .jsonString)
                    return
                }
            }
            try builder.set(.string(value), column: c, keyOffset: keyOffset)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let token = try s.scanNumber()
            try builder.set(s.fieldValue(token), column: builder.column(name), keyOffset: keyOffset)
        default:
            let value = try s.readLiteral()
            try builder.set(value, column: builder.column(name), keyOffset: keyOffset)
        }
    }

    /// Reads the array at `[` when all its elements are numbers; nil (the
    /// position then undefined) as soon as one is not.
    /// Also says whether storing some number as Float32 changed its value
    /// (the input was more precise than storage), and whether some element
    /// is not finite: a bare `NaN`, `Infinity` or `-Infinity` (JSON has
    /// none, but Python's `json.dumps` writes them) or a number beyond
    /// Float32's range; such an array is no usable vector, and is kept as read.
    private static func readNumberArray(_ s: inout JSONScanner, into numbers: inout [Float]) throws(ScanError)
        -> (long: Bool, nonFinite: Bool)? {
        s.position += 1
        s.skipWhitespace()
        numbers.removeAll(keepingCapacity: true)
        var long = false, nonFinite = false
        if s.byte == UInt8(ascii: "]") { s.position += 1; return (false, false) }
        while true {
            let b = s.byte
            if b == UInt8(ascii: "N") || b == UInt8(ascii: "I") || (b == UInt8(ascii: "-") && s.position + 1 < s.end && s.text[s.position + 1] == UInt8(ascii: "I")) {
                guard let length = DocumentReader.nonFiniteToken(s) else { return nil }
                s.position += length
                numbers.append(.nan)
                nonFinite = true
            } else {
                guard b == UInt8(ascii: "-") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) else { return nil }
                let (value, _, changed) = try s.scanFloat()
                numbers.append(value ?? .nan)
                nonFinite = nonFinite || value == nil
                long = long || changed
            }
            s.skipWhitespace()
            if try s.endOfMember(close: UInt8(ascii: "]"), what: "',' or ']' in an array") { return (long, nonFinite) }
        }
    }

    /// The length of the `NaN`, `Infinity` or `-Infinity` at the position, if one is there.
    private static func nonFiniteToken(_ s: JSONScanner) -> Int? {
        for word in ["NaN", "Infinity", "-Infinity"] {
            let bytes = word.utf8
            guard s.position + bytes.count <= s.end else { continue }
            if bytes.enumerated().allSatisfy({ s.text[s.position + $0.offset] == $0.element }) { return bytes.count }
        }
        return nil
    }

    /// Reads `_cluster_`: `{vectorField: {alias: label}}`; labels are strings
    /// or numbers (their text); nulls mean no label.
    private mutating func readClusters(_ s: inout JSONScanner) throws(ScanError) {
        let shape = "_cluster_ must be an object of vector fields, each an object of aliases to labels"
        if s.byte == UInt8(ascii: "n") { _ = try s.readLiteral(); return }
        guard s.byte == UInt8(ascii: "{") else { throw ScanError(offset: s.position, message: shape) }
        try DocumentReader.readMembers(&s) { (s, vectorField, _) throws(ScanError) in
            if s.byte == UInt8(ascii: "n") { _ = try s.readLiteral(); return }
            guard s.byte == UInt8(ascii: "{") else { throw ScanError(offset: s.position, message: shape) }
            try DocumentReader.readMembers(&s) { (s, alias, keyOffset) throws(ScanError) in
                let label: String
                switch s.byte {
                case UInt8(ascii: "\""):
                    label = try s.readString()
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    label = s.string(try s.scanNumber().range)
                case UInt8(ascii: "n"):
                    _ = try s.readLiteral()
                    return
                default:
                    throw ScanError(offset: s.position, message: "a cluster label must be a string or a number")
                }
                try builder.setLabel(label, vectorField: vectorField, alias: alias, keyOffset: keyOffset)
            }
        }
    }

    /// Calls `body` with each member's key at its value, for the object at `{`.
    static func readMembers(
        _ s: inout JSONScanner,
        _ body: (inout JSONScanner, String, Int) throws(ScanError) -> Void
    ) throws(ScanError) {
        s.position += 1
        s.skipWhitespace()
        if s.byte == UInt8(ascii: "}") { s.position += 1; return }
        while true {
            s.skipWhitespace()
            let keyOffset = s.position
            let key = try s.readKey()
            s.skipWhitespace()
            try body(&s, key, keyOffset)
            s.skipWhitespace()
            if try s.endOfMember(close: UInt8(ascii: "}"), what: "',' or '}' after a field") { return }
        }
    }
}
