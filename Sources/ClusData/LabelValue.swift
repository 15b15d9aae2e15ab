/// A value's identity as a cluster label, a truth value or a join key: the
/// one rule by which clus decides that two written values are the same.
///
/// Equal numbers are one value (`3`, `3.0` and `3e0`; `100` and `1e2`), and
/// a string whose text is a JSON number or `true`/`false` is that value
/// (`"3"` is `3`, `"true"` is `true`), because exports write the same label
/// in all these ways (pandas turns integer labels with gaps into `3.0`,
/// CSV has no types). Any other string stays a string (`cluster_3`, `007`,
/// `+3`, `NaN`, `null`). The name shown is the shortest: `3`, `0.5`, `cluster_3`.
public enum LabelValue: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// A number that is a whole number within Int's range.
    case int(Int)
    /// Any other finite number.
    case double(Double)
    case string(String)
    case bool(Bool)

    /// The label a field value stands for; nil for null, NaN and infinities (no value).
    public init?(_ value: FieldValue) {
        switch value {
        case .null: return nil
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d):
            guard let number = LabelValue(number: d) else { return nil }
            self = number
        case .string(let s): self.init(text: s)
        }
    }

    /// The label a text stands for: a JSON number or `true`/`false` is that
    /// value, anything else the string itself.
    public init(text: String) {
        if text == "true" { self = .bool(true); return }
        if text == "false" { self = .bool(false); return }
        guard LabelValue.isJSONNumber(text.utf8) else { self = .string(text); return }
        if let i = Int(text) {
            self = .int(i)
        } else if let d = Double(text), let number = LabelValue(number: d) {
            self = number
        } else {
            self = .string(text)  // beyond Double's range: kept as written
        }
    }

    /// A whole number becomes `.int`; NaN and infinities are no label.
    private init?(number d: Double) {
        guard d.isFinite else { return nil }
        if let i = Int(exactly: d) { self = .int(i) } else { self = .double(d) }
    }

    /// The name shown: the shortest text of the value (`3`, `0.5`, `1e+20`, `cluster_3`).
    public var description: String {
        switch self {
        case .int(let i): String(i)
        case .double(let d): d.description
        case .string(let s): s
        case .bool(let b): b ? "true" : "false"
        }
    }

    /// Numbers first (by value), then strings (digit runs compared as
    /// numbers: `q_2` before `q_10`), then `false`, `true`.
    public static func < (a: LabelValue, b: LabelValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): x < y
        case (.int(let x), .double(let y)): Double(x) < y
        case (.double(let x), .int(let y)): x < Double(y)
        case (.double(let x), .double(let y)): x < y
        case (.string(let x), .string(let y)): naturalLess(x, y)
        case (.bool(let x), .bool(let y)): !x && y
        default: a.rank < b.rank
        }
    }

    private var rank: Int {
        switch self {
        case .int, .double: 0
        case .string: 1
        case .bool: 2
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`: JSON's number grammar,
    /// so `007`, `+3`, `.5`, `3.`, `inf` and `NaN` stay strings.
    static func isJSONNumber(_ text: String.UTF8View) -> Bool {
        var i = text.startIndex
        func peek() -> UInt8? { i < text.endIndex ? text[i] : nil }
        func isDigit(_ b: UInt8?) -> Bool { b.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false }
        func digits() -> Int {
            var n = 0
            while isDigit(peek()) { i = text.index(after: i); n += 1 }
            return n
        }
        if peek() == UInt8(ascii: "-") { i = text.index(after: i) }
        if peek() == UInt8(ascii: "0") {
            i = text.index(after: i)
        } else if digits() == 0 {
            return false
        }
        if peek() == UInt8(ascii: ".") {
            i = text.index(after: i)
            guard digits() > 0 else { return false }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            i = text.index(after: i)
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { i = text.index(after: i) }
            guard digits() > 0 else { return false }
        }
        return i == text.endIndex
    }
}

/// Gives each distinct label a code as documents are read, then renumbers
/// the codes in `LabelValue` order; truth fields and `_cluster_` labels both
/// go through it, so they follow one rule.
public struct LabelInterner: Sendable {
    private var codeOf: [LabelValue: Int] = [:]
    private var values: [LabelValue] = []

    public init() {}

    /// The code of `value`, in first-seen order until `sorted()`.
    public mutating func code(of value: LabelValue) -> Int {
        if let code = codeOf[value] { return code }
        codeOf[value] = values.count
        values.append(value)
        return values.count - 1
    }

    /// The code of the label a field value stands for; -1 for no value.
    public mutating func code(of value: FieldValue?) -> Int {
        guard let value, let label = LabelValue(value) else { return -1 }
        return code(of: label)
    }

    /// The labels in `LabelValue` order: `rank[code]` is a first-seen code's
    /// place in it, `names` the labels' names in it.
    public func sorted() -> (rank: [Int], names: [String]) {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var rank = [Int](repeating: 0, count: values.count)
        for (newCode, oldCode) in order.enumerated() { rank[oldCode] = newCode }
        return (rank, order.map { values[$0].description })
    }
}

/// Whether `a` sorts before `b` when runs of ASCII digits compare as numbers
/// (`cluster_2` before `cluster_10`; `a1` before `a01`).
func naturalLess(_ a: String, _ b: String) -> Bool {
    var i = a.unicodeScalars.makeIterator(), j = b.unicodeScalars.makeIterator()
    var x = i.next(), y = j.next()
    func isDigit(_ s: Unicode.Scalar?) -> Bool { s.map { ("0"..."9").contains($0) } ?? false }
    while let p = x, let q = y {
        if isDigit(p) && isDigit(q) {
            var m = "", n = ""
            while let c = x, isDigit(c) { m.unicodeScalars.append(c); x = i.next() }
            while let c = y, isDigit(c) { n.unicodeScalars.append(c); y = j.next() }
            let mm = m.drop { $0 == "0" }, nn = n.drop { $0 == "0" }
            if mm.count != nn.count { return mm.count < nn.count }
            if mm != nn { return mm < nn }
            if m.count != n.count { return m.count < n.count }
        } else {
            if p != q { return p.value < q.value }
            x = i.next()
            y = j.next()
        }
    }
    return x == nil && y != nil
}
