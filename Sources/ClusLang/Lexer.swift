/// Turns source text into tokens.
///
/// Input that stops in the middle of a construct (an open string, a trailing
/// backslash) is reported as `LexFailure.incomplete`, so the shell can ask for
/// another line instead of reporting an error.
public struct Lexer {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ source: SourceFile) {
        bytes = source.bytes
    }

    /// All tokens, ending with `.end`.
    public mutating func tokenize() throws(ParseFailure) -> [Token] {
        var tokens: [Token] = []
        while true {
            let token = try next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        position + ahead < bytes.count ? bytes[position + ahead] : nil
    }

    private mutating func next() throws(ParseFailure) -> Token {
        skipBlanksAndComments()
        let start = position
        guard let c = peek() else { return Token(.end, SourceRange(start, start)) }
        switch c {
        case UInt8(ascii: "\\"):
            // not before a newline (skipped as a blank)
            position += 1
            if peek() == nil { throw .incomplete }
            throw .error(Diagnostic("unexpected '\\'", at: SourceRange(start, position)))
        case UInt8(ascii: "\n"), UInt8(ascii: ";"):
            position += 1
            return Token(.separator, SourceRange(start, position))
        case UInt8(ascii: "="):
            position += 1
            if peek() == UInt8(ascii: "=") { position += 1; return Token(.comparison("=="), SourceRange(start, position)) }
            return Token(.equals, SourceRange(start, position))
        case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "!"):
            position += 1
            if peek() == UInt8(ascii: "=") { position += 1 }
            let text = String(decoding: bytes[start ..< position], as: UTF8.self)
            if text == "!" { throw .error(Diagnostic("unexpected '!' (did you mean '!='?)", at: SourceRange(start, position))) }
            return Token(.comparison(text), SourceRange(start, position))
        case UInt8(ascii: "{"): position += 1; return Token(.leftBrace, SourceRange(start, position))
        case UInt8(ascii: "}"): position += 1; return Token(.rightBrace, SourceRange(start, position))
        case UInt8(ascii: "["): position += 1; return Token(.leftBracket, SourceRange(start, position))
        case UInt8(ascii: "]"): position += 1; return Token(.rightBracket, SourceRange(start, position))
        case UInt8(ascii: ","): position += 1; return Token(.comma, SourceRange(start, position))
        case UInt8(ascii: "("): position += 1; return Token(.leftParen, SourceRange(start, position))
        case UInt8(ascii: ")"): position += 1; return Token(.rightParen, SourceRange(start, position))
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return try string(quote: c)
        case UInt8(ascii: "$"):
            position += 1
            while let d = peek(), isIdentifierByte(d) { position += 1 }
            let name = String(decoding: bytes[start + 1 ..< position], as: UTF8.self)
            if name.isEmpty { throw .error(Diagnostic("expected a variable name after '$'", at: SourceRange(start, position))) }
            return Token(.variable(name), SourceRange(start, position))
        case UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"):
            if c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
                guard let d = peek(1), isDigit(d) || (d == UInt8(ascii: ".") && peek(2).map(isDigit) == true) else {
                    position += 1
                    throw .error(Diagnostic("unexpected '\(Character(Unicode.Scalar(c)))'", at: SourceRange(start, position)))
                }
            }
            return try number()
        default:
            if isWordStart(c) { return word() }
            let scalarEnd = position + utf8Length(c)
            position = min(scalarEnd, bytes.count)
            let text = String(decoding: bytes[start ..< position], as: UTF8.self)
            throw .error(Diagnostic("unexpected character '\(text)'", at: SourceRange(start, position)))
        }
    }

    private mutating func skipBlanksAndComments() {
        while let c = peek() {
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                position += 1
            } else if c == UInt8(ascii: "#") {
                while let d = peek(), d != UInt8(ascii: "\n") { position += 1 }
            } else if c == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "\n") {
                // a backslash before the newline continues the command on the next line
                position += 2
            } else if c == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "\r"), peek(2) == UInt8(ascii: "\n") {
                position += 3
            } else {
                return
            }
        }
    }

    private mutating func word() -> Token {
        let start = position
        // a word may hold dots (meta.category, file.jsonl) but stops before ".."
        while let c = peek(), isWordByte(c) {
            if c == UInt8(ascii: "."), peek(1) == UInt8(ascii: ".") , position > start, !isPathLike(start) { break }
            position += 1
        }
        return Token(.word(String(decoding: bytes[start ..< position], as: UTF8.self)), SourceRange(start, position))
    }

    private func isPathLike(_ start: Int) -> Bool {
        bytes[start] == UInt8(ascii: ".") || bytes[start] == UInt8(ascii: "/") || bytes[start] == UInt8(ascii: "~")
    }

    private mutating func number() throws(ParseFailure) -> Token {
        let start = position
        if peek() == UInt8(ascii: "-") || peek() == UInt8(ascii: "+") { position += 1 }
        while let c = peek(), isDigit(c) { position += 1 }
        var isFloat = false
        // "2..20" is a range: the first dot of ".." does not start a fraction
        if peek() == UInt8(ascii: "."), peek(1) != UInt8(ascii: ".") {
            isFloat = true
            position += 1
            while let c = peek(), isDigit(c) { position += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var ahead = 1
            if let s = peek(1), s == UInt8(ascii: "-") || s == UInt8(ascii: "+") { ahead = 2 }
            if let d = peek(ahead), isDigit(d) {
                isFloat = true
                position += ahead
                while let c = peek(), isDigit(c) { position += 1 }
            }
        }
        let text = String(decoding: bytes[start ..< position], as: UTF8.self)
        if let c = peek(), isWordByte(c), c != UInt8(ascii: ".") {
            // 10k, 3rd: not a number
            while let c = peek(), isWordByte(c) { position += 1 }
            let word = String(decoding: bytes[start ..< position], as: UTF8.self)
            // 4GiB, 800MB: a size is one word
            if ByteSize.hasUnit(word) { return Token(.word(word), SourceRange(start, position)) }
            throw .error(Diagnostic("malformed number '\(String(decoding: bytes[start ..< position], as: UTF8.self))'", at: SourceRange(start, position)))
        }
        if !isFloat, peek() == UInt8(ascii: "."), peek(1) == UInt8(ascii: ".") {
            position += 2
            let upperStart = position
            if peek() == UInt8(ascii: "-") { position += 1 }
            while let c = peek(), isDigit(c) { position += 1 }
            let upperText = String(decoding: bytes[upperStart ..< position], as: UTF8.self)
            guard let lower = Int(text), let upper = Int(upperText) else {
                throw .error(Diagnostic("a range needs whole numbers on both sides, like 2..20", at: SourceRange(start, position)))
            }
            return Token(.range(lower, upper), SourceRange(start, position))
        }
        if isFloat {
            guard let value = Double(text) else { throw .error(Diagnostic("malformed number '\(text)'", at: SourceRange(start, position))) }
            return Token(.float(value), SourceRange(start, position))
        }
        guard let value = Int(text) else {
            throw .error(Diagnostic("number '\(text)' is too large", at: SourceRange(start, position)))
        }
        return Token(.integer(value), SourceRange(start, position))
    }

    private mutating func string(quote: UInt8) throws(ParseFailure) -> Token {
        let start = position
        position += 1
        var out: [UInt8] = []
        var parts: [StringPart] = []
        while true {
            guard let c = peek() else { throw .incomplete }
            position += 1
            if c == quote { break }
            // "$name" and "${name}" substitute in double quotes; '$name' stays literal
            if c == UInt8(ascii: "$"), quote == UInt8(ascii: "\""), let d = peek(), isIdentifierByte(d) || d == UInt8(ascii: "{") {
                let variableStart = position - 1
                let braced = d == UInt8(ascii: "{")
                if braced { position += 1 }
                let nameStart = position
                while let e = peek(), isIdentifierByte(e) { position += 1 }
                let name = String(decoding: bytes[nameStart ..< position], as: UTF8.self)
                if braced {
                    guard peek() == UInt8(ascii: "}"), !name.isEmpty else {
                        throw .error(Diagnostic("expected a name and '}' after '${'", at: SourceRange(variableStart, position)))
                    }
                    position += 1
                }
                parts.append(.text(String(decoding: out, as: UTF8.self)))
                out = []
                parts.append(.variable(name, SourceRange(variableStart, position)))
                continue
            }
            if c != UInt8(ascii: "\\") { out.append(c); continue }
            guard let e = peek() else { throw .incomplete }
            let escapeStart = position - 1
            position += 1
            switch e {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "0"): out.append(0)
            case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "$"): out.append(e)
            case UInt8(ascii: "\n"): break  // an escaped newline joins the lines
            case UInt8(ascii: "u"):
                // \u{1F600}
                guard peek() == UInt8(ascii: "{") else {
                    throw .error(Diagnostic("expected '{' after \\u, as in \\u{e9}", at: SourceRange(escapeStart, position)))
                }
                position += 1
                let hexStart = position
                while let h = peek(), h != UInt8(ascii: "}"), h != quote { position += 1 }
                guard peek() == UInt8(ascii: "}") else { throw .error(Diagnostic("unterminated \\u{...} escape", at: SourceRange(escapeStart, position))) }
                let hex = String(decoding: bytes[hexStart ..< position], as: UTF8.self)
                position += 1
                guard let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
                    throw .error(Diagnostic("invalid unicode escape \\u{\(hex)}", at: SourceRange(escapeStart, position)))
                }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                throw .error(Diagnostic("unknown escape '\\\(Character(Unicode.Scalar(e)))' (known: \\n \\t \\r \\\\ \\\" \\' \\$ \\u{...})", at: SourceRange(escapeStart, position)))
            }
        }
        let text = String(decoding: out, as: UTF8.self)
        if parts.isEmpty { return Token(.string(text), SourceRange(start, position)) }
        parts.append(.text(text))
        return Token(.template(parts.filter { $0 != .text("") }), SourceRange(start, position))
    }
}

private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

private func isWordStart(_ c: UInt8) -> Bool {
    (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
        || c == UInt8(ascii: "_") || c == UInt8(ascii: ".") || c == UInt8(ascii: "/") || c == UInt8(ascii: "~") || c >= 0x80
}

private func isIdentifierByte(_ c: UInt8) -> Bool {
    isDigit(c) || c == UInt8(ascii: "_") || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
}

private func isWordByte(_ c: UInt8) -> Bool {
    isWordStart(c) || isDigit(c) || c == UInt8(ascii: "-")
}

private func utf8Length(_ lead: UInt8) -> Int {
    lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
}

/// Why source text did not become a program.
public enum ParseFailure: Error, Sendable {
    /// The text ends inside a construct: the shell should read another line.
    case incomplete
    /// The text is wrong at a spot.
    case error(Diagnostic)
}
