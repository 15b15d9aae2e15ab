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
    public var range: SourceRange { nameRange.map { $0.union(value.range) } ?? value.range }
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
