/// A lexical unit of the DSL with the span it came from.
public struct Token: Sendable, Equatable {
    /// What kind of token, with its decoded value.
    public enum Kind: Sendable, Equatable {
        case word(String)            // command names, options, identifiers, bare paths
        case integer(Int)
        case float(Double)
        case string(String)          // quoted, escapes resolved
        case template([StringPart])  // a double-quoted string with $variables
        case range(Int, Int)         // 2..20
        case variable(String)        // $name or $1
        case equals                  // =
        case comparison(String)      // < <= > >= == !=
        case leftBrace, rightBrace, leftBracket, rightBracket, comma
        case leftParen, rightParen   // ( ) in filter expressions
        case separator               // ; or newline
        case end
    }

    public let kind: Kind
    public let range: SourceRange

    public init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// A piece of a double-quoted string: text, or a `$name` to substitute.
public enum StringPart: Sendable, Equatable {
    case text(String)
    case variable(String, SourceRange)
}
