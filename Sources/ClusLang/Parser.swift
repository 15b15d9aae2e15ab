/// Builds statements from tokens: the grammar in Grammar.md.
///
/// Parsing checks only the shape of the input; whether a command and its
/// options exist is checked against the `CommandSpec`s when it runs, so a
/// script that defines nothing wrong in its first lines still runs them.
public struct Parser {
    private var tokens: [Token]
    private var index = 0
    /// Depth of open `{ ... }` blocks and `[ ... ]` lists, to bound recursion
    /// on hostile input.
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
        case "filter": return .command(try filter(range: head.range))
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
            depth -= 1
            let close = advance()
            return ValueNode(kind: .list(items), range: token.range.union(close.range))
        case .end:
            throw .error(Diagnostic("expected a value", at: token.range))
        case .leftParen, .rightParen:
            // parentheses belong to filter expressions only
            throw .error(Diagnostic("unexpected character '\(token.kind == .leftParen ? "(" : ")")'", at: token.range))
        default:
            throw .error(Diagnostic("expected a value", at: token.range))
        }
    }

    private func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0" ... "9").contains($0) }
    }
}

/// `filter CONDITION [as NAME]`: the condition grammar of Grammar.md's `### filter`.
///
///     or-expr  = and-expr { "or" and-expr }
///     and-expr = not-expr { "and" not-expr }
///     not-expr = "not" not-expr | primary
///     primary  = "(" or-expr ")" | "has" "(" field ")" | field comparison value | field ["not"] "in" value
extension Parser {
    /// The expression becomes the first argument (its `expression`); `as NAME`
    /// and `into=` follow as for any command.
    fileprivate mutating func filter(range: SourceRange) throws(ParseFailure) -> CommandCall {
        // nothing, or an option first: the binder says what is missing
        switch current.kind {
        case .separator, .end, .rightBrace: return try command(name: "filter", range: range)
        case .word("into") where tokens[index + 1].kind == .equals: return try command(name: "filter", range: range)
        default: break
        }
        let start = current.range
        let expression = try orExpression()
        let spanned = start.union(tokens[index - 1].range)
        switch current.kind {
        case .separator, .end, .rightBrace, .word("as"): break
        case .word where tokens[index + 1].kind == .equals: break
        default: throw .error(Diagnostic("expected 'and', 'or', 'as NAME' or the end of the condition", at: current.range))
        }
        let condition = Argument(name: nil, nameRange: nil, value: ValueNode(kind: .word("expression"), range: spanned),
                                 expression: expression)
        let rest = try command(name: "filter", range: range)
        return CommandCall(name: "filter", nameRange: range, arguments: [condition] + rest.arguments)
    }

    private mutating func orExpression() throws(ParseFailure) -> FilterExpression {
        var lhs = try andExpression()
        while current.kind == .word("or") {
            let keyword = advance()
            try expectOperand(after: keyword)
            lhs = .or(lhs, try andExpression())
        }
        return lhs
    }

    private mutating func andExpression() throws(ParseFailure) -> FilterExpression {
        var lhs = try notExpression()
        while current.kind == .word("and") {
            let keyword = advance()
            try expectOperand(after: keyword)
            lhs = .and(lhs, try notExpression())
        }
        return lhs
    }

    private mutating func notExpression() throws(ParseFailure) -> FilterExpression {
        guard current.kind == .word("not") else { return try primary() }
        let keyword = advance()
        try expectOperand(after: keyword)
        depth += 1
        if depth > Parser.maxDepth { throw .error(Diagnostic("'not' repeated more than \(Parser.maxDepth) times", at: keyword.range)) }
        let operand = try notExpression()
        depth -= 1
        return .not(operand, range: keyword.range.union(operand.range))
    }

    /// After `and`, `or`, `not`, `(`: a condition, on the same line (or after a `\\` line end).
    private mutating func expectOperand(after keyword: Token) throws(ParseFailure) {
        if [.separator, .end, .rightBrace, .rightParen].contains(current.kind) {
            throw .error(Diagnostic("expected a condition after '\(tokenText(keyword))'", at: current.range))
        }
    }

    private mutating func primary() throws(ParseFailure) -> FilterExpression {
        let token = current
        switch token.kind {
        case .leftParen:
            _ = advance()
            depth += 1
            if depth > Parser.maxDepth { throw .error(Diagnostic("parentheses nested more than \(Parser.maxDepth) deep", at: token.range)) }
            try expectOperand(after: token)
            let inner = try orExpression()
            try close(token)
            depth -= 1
            return inner
        case .word("has") where tokens[index + 1].kind == .leftParen:
            _ = advance()
            let open = advance()
            let field = try fieldName(what: "a field name inside has( )")
            let end = current.range
            try close(open)
            return .has(field, range: token.range.union(end))
        case .word("and"), .word("or"):
            throw .error(Diagnostic("expected a condition before '\(tokenText(token))'", at: token.range))
        case .word, .string:
            let field = try fieldName(what: "a field")
            return try condition(on: field)
        default:
            throw .error(Diagnostic("expected a condition such as price < 10, category in [a, b] or has(field)", at: token.range))
        }
    }

    private mutating func close(_: Token) throws(ParseFailure) {
        switch current.kind {
        case .rightParen: _ = advance()
        default: throw .error(Diagnostic("expected ')' to close the '('", at: current.range))
        }
    }

    /// A field name: a word, or a quoted name (for one with spaces or other characters).
    private mutating func fieldName(what: String) throws(ParseFailure) -> FieldReference {
        let token = advance()
        switch token.kind {
        case .word(let name), .string(let name): return FieldReference(name: name, range: token.range)
        default: throw .error(Diagnostic("expected \(what)", at: token.range))
        }
    }

    /// What follows a field: `OP value`, `in [..]` or `not in [..]`.
    private mutating func condition(on field: FieldReference) throws(ParseFailure) -> FilterExpression {
        let token = current
        switch token.kind {
        case .comparison(let op):
            _ = advance()
            try expectValue(after: token)
            return .comparison(field, op: op, opRange: token.range, value: try value())
        case .word("in"):
            _ = advance()
            try expectValue(after: token)
            return .membership(field, negated: false, list: try value())
        case .word("not") where tokens[index + 1].kind == .word("in"):
            _ = advance()
            let keyword = advance()
            try expectValue(after: keyword)
            return .membership(field, negated: true, list: try value())
        case .equals:
            throw .error(Diagnostic("'=' gives an option; compare with '=='", at: token.range, hint: "e.g. filter \(field.name) == ..."))
        default:
            throw .error(Diagnostic("expected a comparison (== != < <= > >=) or 'in' after '\(field.name)'", at: token.range))
        }
    }

    private func expectValue(after token: Token) throws(ParseFailure) {
        if [.separator, .end, .rightParen, .rightBrace].contains(current.kind) {
            throw .error(Diagnostic("expected a value after '\(tokenText(token))'", at: current.range))
        }
    }

    private func tokenText(_ token: Token) -> String {
        switch token.kind {
        case .word(let w): w
        case .comparison(let op): op
        case .leftParen: "("
        default: ""
        }
    }
}
