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

    /// Codes for the field's values, as ground-truth labels or cluster labels.
    ///
    /// One rule for both (`LabelValue`): `3`, `3.0` and `"3"` share a code, as
    /// equal numbers do for scikit-learn. Codes are in `LabelValue` order:
    /// numbers (numerically), then strings (digit runs as numbers), then
    /// `false`, `true`.
    /// - Complexity: O(n + m log m) for n documents and m distinct values.
    public func interned() -> InternedLabels {
        if let integers = internedIntegers() { return integers }
        var interner = LabelInterner()
        let provisional = values.map { interner.code(of: $0) }
        let (rank, names) = interner.sorted()
        return InternedLabels(codes: provisional.map { $0 < 0 ? -1 : rank[$0] }, names: names)
    }

    /// `interned()` of a column of integers (and missing values) within a
    /// span of a few times its length — a truth column of class numbers — by
    /// a direct table instead of hashing: 10⁷ labels in a few passes.
    /// Nil for any other column. The codes are the same (integers sort numerically).
    /// - Complexity: O(n + span).
    private func internedIntegers() -> InternedLabels? {
        var lo = Int.max, hi = Int.min
        for v in values {
            switch v {
            case .int(let i)?: lo = min(lo, i); hi = max(hi, i)
            case nil, .null?: continue
            default: return nil
            }
        }
        guard lo <= hi else { return InternedLabels(codes: [Int](repeating: -1, count: values.count), names: []) }
        let (span, overflow) = hi.subtractingReportingOverflow(lo)
        guard !overflow, span <= 4 * values.count + 1024 else { return nil }
        var slot = [Int](repeating: -1, count: span + 1)
        for case .int(let i)? in values { slot[i - lo] = 0 }
        var names: [String] = []
        for o in 0 ... span where slot[o] == 0 {
            slot[o] = names.count
            names.append(String(lo + o))
        }
        let codes = values.map { v -> Int in
            if case .int(let i)? = v { return slot[i - lo] }
            return -1
        }
        return InternedLabels(codes: codes, names: names)
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
