/// Builds statements from tokens: the grammar in Grammar.md.
///
/// Parsing checks only the shape of the input; whether a command and its
/// options exist is checked against the `CommandSpec`s when it runs, so a
/// script that defines nothing wrong in its first lines still runs them.
public struct Parser {
    private var tokens: [Token]
    private var index = 0
    /// Depth of open `{ ... }` blocks and `[ ... ]` lists, to bound recursion on hostile input.
    private var depth = 0
    private static let maxDepth = 200

    /// Parses a whole source. Throws `.incomplete` when the text stops inside
    /// a block, list or string, so that an interactive reader asks for more.
    public static func parse(_ source: SourceFile) throws(ParseFailure) -> [Statement] {
        var lexer = Lexer(source)
        var parser = Parser(tokens: try lexer.tokenize())
        return try parser.statements(untilBrace: false)
    }

    private init(tokens: [Token]) { self.tokens = tokens }

    private var current: Token { tokens[index] }

    private mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private mutating func skipSeparators() {
        while current.kind == .separator { _ = advance() }
    }

    private mutating func statements(untilBrace: Bool) throws(ParseFailure) -> [Statement] {
        var result: [Statement] = []
        while true {
            skipSeparators()
            switch current.kind {
            case .end:
                if untilBrace { throw .incomplete }
                return result
            case .rightBrace:
                if untilBrace { return result }
                throw .error(Diagnostic("'}' without an open '{'", at: current.range))
            default:
                result.append(try statement())
                switch current.kind {
                case .separator, .end: break
                case .rightBrace where untilBrace: break
                case .rightBrace: throw .error(Diagnostic("'}' without an open '{'", at: current.range))
                default: throw .error(Diagnostic("expected ';' or a new line before this", at: current.range))
                }
            }
        }
    }

    private mutating func statement() throws(ParseFailure) -> Statement {
        let head = advance()
        guard case .word(let name) = head.kind else {
            throw .error(Diagnostic("expected a command name", at: head.range))
        }
        switch name {
        case "let": return try assignment()
        case "for": return try loop()
        case "assert": return try assertion(start: head.range)
        default: return .command(try command(name: name, range: head.range))
        }
    }

    private mutating func command(name: String, range: SourceRange) throws(ParseFailure) -> CommandCall {
        var arguments: [Argument] = []
        while true {
            switch current.kind {
            case .separator, .end, .rightBrace:
                return CommandCall(name: name, nameRange: range, arguments: arguments)
            case .word(let word) where tokens[index + 1].kind == .equals:
                let nameToken = advance()
                _ = advance()
                if [.separator, .end].contains(current.kind) {
                    throw .error(Diagnostic("expected a value after '\(word)='", at: nameToken.range.union(tokens[index - 1].range)))
                }
                arguments.append(Argument(name: word, nameRange: nameToken.range, value: try value()))
            default:
                arguments.append(Argument(name: nil, nameRange: nil, value: try value()))
            }
        }
    }

    private mutating func assignment() throws(ParseFailure) -> Statement {
        let nameToken = advance()
        guard case .word(let name) = nameToken.kind, isIdentifier(name) else {
            throw .error(Diagnostic("expected a variable name after 'let'", at: nameToken.range))
        }
        guard advance().kind == .equals else {
            throw .error(Diagnostic("expected '=' after 'let \(name)'", at: tokens[index - 1].range))
        }
        return .assignment(name: name, nameRange: nameToken.range, value: try value())
    }

    private mutating func loop() throws(ParseFailure) -> Statement {
        let variableToken = advance()
        guard case .word(let variable) = variableToken.kind, isIdentifier(variable) else {
            throw .error(Diagnostic("expected a loop variable after 'for'", at: variableToken.range))
        }
        let inToken = advance()
        guard inToken.kind == .word("in") else {
            if inToken.kind == .end { throw .incomplete }
            throw .error(Diagnostic("expected 'in' after 'for \(variable)'", at: inToken.range))
        }
        if current.kind == .end { throw .incomplete }
        let over = try value()
        skipSeparators()
        let brace = advance()
        guard brace.kind == .leftBrace else {
            if brace.kind == .end { throw .incomplete }
            throw .error(Diagnostic("expected '{' to open the loop's body", at: brace.range))
        }
        depth += 1
        if depth > Parser.maxDepth {
            throw .error(Diagnostic("blocks nested more than \(Parser.maxDepth) deep", at: brace.range))
        }
        let body = try statements(untilBrace: true)
        depth -= 1
        _ = advance()  // the closing brace
        return .loop(variable: variable, variableRange: variableToken.range, over: over, body: body)
    }

    private mutating func assertion(start: SourceRange) throws(ParseFailure) -> Statement {
        let pathToken = advance()
        guard case .word(let path) = pathToken.kind else {
            if pathToken.kind == .end { throw .incomplete }
            throw .error(Diagnostic("expected a result field such as metrics.silhouette", at: pathToken.range))
        }
        let opToken = advance()
        guard case .comparison(let op) = opToken.kind else {
            throw .error(Diagnostic("expected a comparison (< <= > >= == !=)", at: opToken.range))
        }
        let operand = try value()
        return .assertion(path: path, pathRange: pathToken.range, comparison: op, value: operand, range: start.union(operand.range))
    }

    private mutating func value() throws(ParseFailure) -> ValueNode {
        let token = advance()
        switch token.kind {
        case .integer(let v): return ValueNode(kind: .integer(v), range: token.range)
        case .float(let v): return ValueNode(kind: .float(v), range: token.range)
        case .string(let v): return ValueNode(kind: .string(v), range: token.range)
        case .template(let parts): return ValueNode(kind: .template(parts), range: token.range)
        case .word(let v): return ValueNode(kind: .word(v), range: token.range)
        case .range(let a, let b): return ValueNode(kind: .range(a, b), range: token.range)
        case .variable(let v): return ValueNode(kind: .variable(v), range: token.range)
        case .leftBracket:
            depth += 1
            if depth > Parser.maxDepth {
                throw .error(Diagnostic("lists nested more than \(Parser.maxDepth) deep", at: token.range))
            }
            defer { depth -= 1 }
            var items: [ValueNode] = []
            while true {
                while current.kind == .separator { _ = advance() }  // lists may span lines
                if current.kind == .end { throw .incomplete }
                if current.kind == .rightBracket { break }
                items.append(try value())
                while current.kind == .separator { _ = advance() }
                if current.kind == .comma { _ = advance(); continue }
                if current.kind == .rightBracket { break }
                if current.kind == .end { throw .incomplete }
                throw .error(Diagnostic("expected ',' or ']' in a list", at: current.range))
            }
            let close = advance()
            return ValueNode(kind: .list(items), range: token.range.union(close.range))
        case .end:
            throw .error(Diagnostic("expected a value", at: token.range))
        default:
            throw .error(Diagnostic("expected a value", at: token.range))
        }
    }

    private func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0" ... "9").contains($0) }
    }
}
