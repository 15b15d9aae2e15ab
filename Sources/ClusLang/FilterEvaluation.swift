import ClusData

/// Which documents a filter expression keeps, evaluated a column at a time.
///
/// The rules (README "Subsets", Grammar.md `### filter`):
/// - numbers compare as numbers (`3 == 3.0`), strings as strings (by Unicode
///   code points), `true`/`false` with `==` and `!=` only;
/// - a value of another kind than the literal never matches (the string "3"
///   is not 3); when no document's value has the literal's kind the filter is
///   an error, since it could only keep nothing;
/// - a comparison with a document that lacks the field (absent or null) is
///   false, `!=` and `not in` too; `not` negates, so `not x == 3` keeps them;
/// - a clustering's label is its cluster's name (`"cluster_3"`), or its number
///   when the name is one (`hdbscan_mcs5 == -1`); unlabelled documents lack it.
struct FilterEvaluator {
    let dataset: Dataset
    /// Substitutes `$variables` in the literals.
    let resolve: (ValueNode) throws(Diagnostic) -> RuntimeValue

    /// One flag per document.
    func matches(_ expression: FilterExpression) throws(Diagnostic) -> [Bool] {
        switch expression {
        case .and(let a, let b):
            let (x, y) = (try matches(a), try matches(b))
            return zip(x, y).map { $0 && $1 }
        case .or(let a, let b):
            let (x, y) = (try matches(a), try matches(b))
            return zip(x, y).map { $0 || $1 }
        case .not(let a, _):
            return try matches(a).map { !$0 }
        case .has(let field, _):
            return try presence(of: field)
        case .comparison(let field, let op, let opRange, let node):
            let operand = try self.operand(field)
            let literal = try Literal(node, resolve: resolve)
            if case .bool = literal, op != "==", op != "!=" {
                throw Diagnostic("true and false compare only with == or !=", at: opRange)
            }
            try operand.requireKind(of: [literal], field: field, at: node.range)
            if case .labels(let c) = operand, op == "==", case .text(let name) = literal, !c.clusterNames.contains(name) {
                throw Diagnostic.unknown("cluster", name, of: field.name, at: node.range, known: c.clusterNames)
                    .withFallbackHint("clusters: " + c.clusterNames.prefix(12).joined(separator: ", "))
            }
            return operand.values(matching: { $0.compare(with: literal, op) })
        case .membership(let field, let negated, let node):
            let operand = try self.operand(field)
            let literals = try self.literals(in: node, field: field)
            try operand.requireKind(of: literals, field: field, at: node.range)
            return operand.values(matching: { value in
                let found = literals.contains { value.compare(with: $0, "==") == true }
                return negated ? !found : found
            })
        }
    }

    /// The items of `in [..]`, each read as it would be after `==`.
    private func literals(in node: ValueNode, field: FieldReference) throws(Diagnostic) -> [Literal] {
        if case .list(let items) = node.kind {
            var out: [Literal] = []
            for item in items { out.append(try Literal(item, resolve: resolve)) }
            return out
        }
        guard case .list(let values) = try resolve(node) else {
            throw Diagnostic("'in' needs a list, as in \(field.name) in [a, b]", at: node.range)
        }
        return values.map(Literal.init)
    }

    private func presence(of field: FieldReference) throws(Diagnostic) -> [Bool] {
        if dataset.field(named: field.name) == nil, dataset.vector(named: field.name) == nil {
            // has(meta): any field nested under it
            let nested = dataset.fields.filter { $0.name.hasPrefix(field.name + ".") }
            if !nested.isEmpty {
                var present = [Bool](repeating: false, count: dataset.count)
                for column in nested {
                    for (i, v) in column.values.enumerated() where v != nil && v != .null { present[i] = true }
                }
                return present
            }
        }
        switch try operand(field) {
        case .field(let column): return column.values.map { $0 != nil && $0 != .null }
        case .vector(let column): return column.present
        case .labels(let c): return c.labels.map { $0 >= 0 }
        }
    }

    /// What a name in the expression means: a field, a vector field or a clustering.
    func operand(_ field: FieldReference) throws(Diagnostic) -> Operand {
        if let column = dataset.field(named: field.name) { return .field(column) }
        if let column = dataset.vector(named: field.name) { return .vector(column) }
        let parts = field.name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if parts.count >= 3, parts[0] == "_cluster_",
           let c = dataset.clustering(alias: parts.last!, vectorField: parts.dropFirst().dropLast().joined(separator: ".")) {
            return .labels(c)
        }
        let same = dataset.clusterings.filter { $0.alias == field.name }
        if same.count > 1 {
            throw Diagnostic("'\(field.name)' is an alias of several vector fields", at: field.range,
                             hint: "name one: " + same.map { "_cluster_.\($0.vectorField).\($0.alias)" }.joined(separator: " or "))
        }
        if let c = same.first { return .labels(c) }
        let known = dataset.fields.map(\.name) + dataset.vectors.map(\.name) + dataset.clusterings.map(\.alias)
        throw Diagnostic.unknown("field", field.name, of: dataset.name, at: field.range, known: known)
            .withFallbackHint("fields: " + dataset.fields.prefix(20).map(\.name).joined(separator: ", "))
    }
}

/// A column a filter condition reads.
enum Operand {
    case field(FieldColumn)
    case vector(VectorColumn)
    case labels(Clustering)

    /// `test` of each document's value; false where the document has none.
    func values(matching test: (ConditionValue) -> Bool?) -> [Bool] {
        switch self {
        case .field(let column):
            return column.values.map { v in
                guard let v, v != .null else { return false }
                return test(ConditionValue(v)) ?? false
            }
        case .labels(let c):
            let names = c.clusterNames.map { ConditionValue(label: $0) }
            return c.labels.map { $0 >= 0 ? test(names[$0]) ?? false : false }
        case .vector:
            return []  // refused by requireKind
        }
    }

    /// Refuses a comparison that could match no document because the column
    /// holds no value of the literals' kinds (a string field against a number).
    func requireKind(of literals: [Literal], field: FieldReference, at range: SourceRange) throws(Diagnostic) {
        let wanted = Set(literals.map(\.kind))
        var held = Set<Literal.Kind>()
        switch self {
        case .vector:
            throw Diagnostic("'\(field.name)' is a vector field; a condition on it can only be has(\(field.name))", at: field.range)
        case .field(let column):
            // stops at the first value of a wanted kind: usually the first document
            for case let value? in column.values {
                held.formUnion(ConditionValue(value).kinds)
                if !held.isDisjoint(with: wanted) { return }
            }
        case .labels(let c):
            held = Set(c.clusterNames.flatMap { ConditionValue(label: $0).kinds })
        }
        guard !held.isEmpty, held.isDisjoint(with: wanted) else { return }
        let holds = held.sorted { $0.rawValue < $1.rawValue }.map(\.plural).joined(separator: " and ")
        let example: String
        switch self {
        case .labels(let c): example = "\(field.name) == \"\(c.clusterNames.first ?? "cluster_0")\""
        default: example = held.contains(.number) ? "\(field.name) == 3" : held.contains(.bool) ? "\(field.name) == true" : "\(field.name) == \"text\""
        }
        throw Diagnostic("'\(field.name)' holds \(holds); compare it with one, as in \(example)", at: range)
    }
}

/// A literal of a filter condition.
enum Literal: Equatable {
    case number(Double)
    case integer(Int)
    case text(String)
    case bool(Bool)

    enum Kind: Int, Hashable {
        case number, text, bool
        var plural: String {
            switch self {
            case .number: "numbers"
            case .text: "strings"
            case .bool: "booleans"
            }
        }
    }

    var kind: Kind {
        switch self {
        case .number, .integer: .number
        case .text: .text
        case .bool: .bool
        }
    }

    /// A literal as written: bare `true`/`false` are booleans, other words text.
    init(_ node: ValueNode, resolve: (ValueNode) throws(Diagnostic) -> RuntimeValue) throws(Diagnostic) {
        if case .word(let w) = node.kind, w == "true" || w == "false" {
            self = .bool(w == "true")
            return
        }
        let value = try resolve(node)
        switch value {
        case .list, .range: throw Diagnostic("expected a number or a string here ('in' takes a list)", at: node.range)
        default: self = Literal(value)
        }
    }

    init(_ value: RuntimeValue) {
        switch value {
        case .integer(let i): self = .integer(i)
        case .number(let d): self = .number(d)
        default: self = .text(value.description)
        }
    }
}

/// A document's value as a condition compares it.
struct ConditionValue {
    var number: Double?
    var integer: Int?
    var text: String?
    var bool: Bool?

    init(_ value: FieldValue) {
        switch value {
        case .int(let i): integer = i; number = Double(i)
        case .double(let d): number = d.isNaN ? nil : d
        case .string(let s): text = s
        case .bool(let b): bool = b
        case .null: break
        }
    }

    /// A cluster name: text, and a number too when it reads as one (`-1`, `3`).
    init(label: String) {
        text = label
        if let i = Int(label) { integer = i; number = Double(i) } else if let d = Double(label), d.isFinite { number = d }
    }

    var kinds: [Literal.Kind] {
        (number != nil ? [.number] : []) + (text != nil ? [.text] : []) + (bool != nil ? [.bool] : [])
    }

    /// nil when the kinds differ.
    func compare(with literal: Literal, _ op: String) -> Bool? {
        switch literal {
        case .integer(let i):
            if let integer { return ConditionValue.apply(op, integer, i) }
            guard let number else { return nil }
            return ConditionValue.apply(op, number, Double(i))
        case .number(let d):
            guard let number, !d.isNaN else { return nil }
            return ConditionValue.apply(op, number, d)
        case .text(let t):
            guard let text else { return nil }
            return ConditionValue.apply(op, text, t)
        case .bool(let b):
            guard let bool else { return nil }
            return op == "==" ? bool == b : bool != b
        }
    }

    private static func apply<T: Comparable>(_ op: String, _ a: T, _ b: T) -> Bool {
        switch op {
        case "==": a == b
        case "!=": a != b
        case "<": a < b
        case "<=": a <= b
        case ">": a > b
        default: a >= b
        }
    }
}

/// A filter expression written back as text, for `datasets`: literals as
/// given (variables substituted), strings quoted, parentheses only where needed.
struct FilterText {
    let resolve: (ValueNode) throws(Diagnostic) -> RuntimeValue

    func text(_ e: FilterExpression) -> String {
        switch e {
        case .or(let a, let b): return "\(text(a)) or \(text(b))"
        case .and(let a, let b): return "\(grouped(a, inside: 1)) and \(grouped(b, inside: 1))"
        case .not(let a, _): return "not " + grouped(a, inside: 2)
        case .has(let f, _): return "has(\(name(f)))"
        case .comparison(let f, let op, _, let v): return "\(name(f)) \(op) \(literal(v))"
        case .membership(let f, let negated, let v): return "\(name(f)) \(negated ? "not in" : "in") \(literal(v))"
        }
    }

    /// Parentheses around an operand that binds more loosely than its operator.
    private func grouped(_ e: FilterExpression, inside level: Int) -> String {
        let own: Int = switch e {
        case .or: 0
        case .and: 1
        default: 3
        }
        return own < level ? "(\(text(e)))" : text(e)
    }

    private func name(_ f: FieldReference) -> String {
        let plain = f.name.unicodeScalars.allSatisfy { $0 == "_" || $0 == "." || $0 == "-" || $0.properties.isAlphabetic || ("0" ... "9").contains($0) }
        return plain && !["and", "or", "not", "in", "has"].contains(f.name) ? f.name : FieldValue.quoted(f.name)
    }

    private func literal(_ node: ValueNode) -> String {
        if case .word(let w) = node.kind, w == "true" || w == "false" { return w }
        guard let value = try? resolve(node) else { return "?" }
        return written(value)
    }

    private func written(_ value: RuntimeValue) -> String {
        switch value {
        case .text(let s): FieldValue.quoted(s)
        case .list(let items): "[" + items.map(written).joined(separator: ", ") + "]"
        default: value.description
        }
    }
}
