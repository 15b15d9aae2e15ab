/// A value written in the source, before variables are substituted.
public struct ValueNode: Sendable, Equatable {
    public indirect enum Kind: Sendable, Equatable {
        case integer(Int)
        case float(Double)
        case string(String)
        case template([StringPart])
        case word(String)
        case range(Int, Int)
        case variable(String)
        case list([ValueNode])
    }
    public let kind: Kind
    public let range: SourceRange
}

/// `name=value` (an option) or a bare value (a positional argument).
public struct Argument: Sendable, Equatable {
    /// The option's name, nil for a positional argument.
    public let name: String?
    public let nameRange: SourceRange?
    public let value: ValueNode
    /// `filter`'s condition; `value` then stands for it (a word spanning it).
    public var expression: FilterExpression? = nil
    public var range: SourceRange { nameRange.map { $0.union(value.range) } ?? value.range }
}

/// A field, vector field or clustering alias named in a filter expression.
public struct FieldReference: Sendable, Equatable {
    public let name: String
    public let range: SourceRange
}

/// `filter`'s condition: comparisons joined by `and`, `or`, `not`
/// (precedence not > and > or; parentheses group).
public indirect enum FilterExpression: Sendable, Equatable {
    /// `price < 10`, `kmeans_10 == "cluster_3"`
    case comparison(FieldReference, op: String, opRange: SourceRange, value: ValueNode)
    /// `category in [a, b]`, `category not in [a, b]`
    case membership(FieldReference, negated: Bool, list: ValueNode)
    /// `has(meta.category)`
    case has(FieldReference, range: SourceRange)
    /// `not (a == 1)`; `range` covers the keyword and its operand.
    case not(FilterExpression, range: SourceRange)
    case and(FilterExpression, FilterExpression)
    case or(FilterExpression, FilterExpression)

    /// The span of source it was read from (without enclosing parentheses).
    public var range: SourceRange {
        switch self {
        case .comparison(let field, _, _, let value): field.range.union(value.range)
        case .membership(let field, _, let list): field.range.union(list.range)
        case .has(_, let range), .not(_, let range): range
        case .and(let a, let b), .or(let a, let b): a.range.union(b.range)
        }
    }
}

/// One command as written: `metrics truth=query`.
public struct CommandCall: Sendable, Equatable {
    public let name: String
    public let nameRange: SourceRange
    public let arguments: [Argument]
    public var range: SourceRange { arguments.last.map { nameRange.union($0.range) } ?? nameRange }
}

/// A statement of the DSL.
public indirect enum Statement: Sendable, Equatable {
    /// A command such as `load`, `cluster`, `metrics`.
    case command(CommandCall)
    /// `let NAME = VALUE`
    case assignment(name: String, nameRange: SourceRange, value: ValueNode)
    /// `for NAME in VALUE { ... }`
    case loop(variable: String, variableRange: SourceRange, over: ValueNode, body: [Statement])
    /// `assert PATH OP VALUE`, e.g. `assert metrics.silhouette > 0.2`
    case assertion(path: String, pathRange: SourceRange, comparison: String, value: ValueNode, range: SourceRange)
}
