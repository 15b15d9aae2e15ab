/// One scalar field of a dataset, flattened: nested objects give dotted
/// names (`meta.category`).
public struct FieldColumn: Sendable {
    /// The dotted field name.
    public let name: String
    /// One value per document; `nil` where the document lacks the field.
    public var values: [FieldValue?]
    /// What the values are: `string`, `int`, `float`, `bool`, `null`,
    /// `array` (JSON text of arrays that are not vectors), or several joined
    /// by `|` with ` (mixed)`, e.g. `int|string (mixed)`. Ints mixed with
    /// floats say `float`; nulls show only when nothing else does.
    public var typeDescription: String
    /// Documents whose `.string` value is the JSON text of an array (not a
    /// string), so export writes it back as an array.
    public var arrayDocuments: Set<Int>

    /// A column; `typeDescription` defaults to one derived from `values`.
    public init(name: String, values: [FieldValue?], typeDescription: String? = nil, arrayDocuments: Set<Int> = []) {
        self.name = name
        self.values = values
        self.typeDescription = typeDescription ?? FieldColumn.describe(values: values, arrays: !arrayDocuments.isEmpty)
        self.arrayDocuments = arrayDocuments
    }

    /// Documents where the field is absent or null.
    public var missingCount: Int {
        values.reduce(0) { n, v in
            switch v {
            case nil, .null?: n + 1
            default: n
            }
        }
    }

    /// Codes for the field's values, as ground-truth labels.
    ///
    /// Numbers that are equal (`1` and `1.0`) share a code, as they do for
    /// scikit-learn. Codes are in a stable order: numbers (numerically), then
    /// strings (by Unicode order), then `false`, `true`.
    /// - Complexity: O(n + m log m) for n documents and m distinct values.
    public func interned() -> InternedLabels {
        var codeOf: [LabelKey: Int] = [:]
        var keys: [LabelKey] = []
        var names: [String] = []
        var provisional = [Int](repeating: -1, count: values.count)
        for (i, value) in values.enumerated() {
            guard let value, let key = LabelKey(value) else { continue }
            if let code = codeOf[key] {
                provisional[i] = code
            } else {
                codeOf[key] = keys.count
                provisional[i] = keys.count
                keys.append(key)
                names.append(value.description)
            }
        }
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        var rank = [Int](repeating: 0, count: keys.count)
        for (newCode, oldCode) in order.enumerated() { rank[oldCode] = newCode }
        return InternedLabels(
            codes: provisional.map { $0 < 0 ? -1 : rank[$0] },
            names: order.map { names[$0] }
        )
    }

    /// The type text for `values`; `arrays` adds the `array` kind.
    static func describe(values: [FieldValue?], arrays: Bool, allArrays: Bool = false) -> String {
        var hasNull = false, hasBool = false, hasInt = false, hasFloat = false, hasString = false
        for case let v? in values {
            switch v {
            case .null: hasNull = true
            case .bool: hasBool = true
            case .int: hasInt = true
            case .double: hasFloat = true
            case .string: hasString = true
            }
        }
        var kinds: [String] = []
        if hasBool { kinds.append("bool") }
        if hasFloat { kinds.append("float") } else if hasInt { kinds.append("int") }
        if hasString && !allArrays { kinds.append("string") }
        if arrays { kinds.append("array") }
        if kinds.isEmpty { return hasNull ? "null" : "none" }
        return kinds.count == 1 ? kinds[0] : kinds.joined(separator: "|") + " (mixed)"
    }
}

/// A field's values as integer codes, for ground-truth labels.
public struct InternedLabels: Sendable, Equatable {
    /// Code per document; -1 where the field is absent or null.
    public let codes: [Int]
    /// Display text per code: `3` for the int 3, `a` for the string "a".
    public let names: [String]

    public init(codes: [Int], names: [String]) {
        self.codes = codes
        self.names = names
    }
}

/// A value's identity as a label: equal numbers are one label.
private enum LabelKey: Hashable, Comparable {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)

    init?(_ value: FieldValue) {
        switch value {
        case .null: return nil
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d):
            if let i = Int(exactly: d) { self = .int(i) } else { self = .double(d) }
        case .string(let s): self = .string(s)
        }
    }

    private var rank: Int {
        switch self {
        case .int, .double: 0
        case .string: 1
        case .bool: 2
        }
    }

    static func < (a: LabelKey, b: LabelKey) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): x < y
        case (.int(let x), .double(let y)): Double(x) < y
        case (.double(let x), .int(let y)): x < Double(y)
        case (.double(let x), .double(let y)): x < y
        case (.string(let x), .string(let y)): x < y
        case (.bool(let x), .bool(let y)): !x && y
        default: a.rank < b.rank
        }
    }
}
