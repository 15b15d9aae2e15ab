import Testing
@testable import ClusLang

@Suite struct LexerTests {
    func kinds(_ text: String) throws(ParseFailure) -> [Token.Kind] {
        var lexer = Lexer(SourceFile(name: "t", text: text))
        return try lexer.tokenize().map(\.kind)
    }

    @Test func valuesOfEveryKind() throws {
        #expect(try kinds(#"load "a b.jsonl" as docs k=10 tol=1e-4 x=0.5 k=2..20 n=-1 $k $1 meta.category"#) == [
            .word("load"), .string("a b.jsonl"), .word("as"), .word("docs"),
            .word("k"), .equals, .integer(10), .word("tol"), .equals, .float(1e-4), .word("x"), .equals, .float(0.5),
            .word("k"), .equals, .range(2, 20), .word("n"), .equals, .integer(-1),
            .variable("k"), .variable("1"), .word("meta.category"), .end,
        ])
    }

    @Test func separatorsCommentsAndBlocks() throws {
        #expect(try kinds("a; b # comment\nfor k in [x, y] { c }") == [
            .word("a"), .separator, .word("b"), .separator,
            .word("for"), .word("k"), .word("in"), .leftBracket, .word("x"), .comma, .word("y"), .rightBracket,
            .leftBrace, .word("c"), .rightBrace, .end,
        ])
    }

    @Test func stringEscapes() throws {
        #expect(try kinds(#""tab\there\n \"q\" \u{e9} it's""#) == [.string("tab\there\n \"q\" é it's"), .end])
        #expect(try kinds("'single \"quoted\"'") == [.string("single \"quoted\""), .end])
    }

    @Test func doubleQuotedStringsSubstituteVariables() throws {
        #expect(try kinds(#""k=$k, ${k}th, \$k""#) == [
            .template([.text("k="), .variable("k", SourceRange(3, 5)), .text(", "), .variable("k", SourceRange(7, 11)), .text("th, $k")]), .end,
        ])
        #expect(try kinds("'$k'") == [.string("$k"), .end])
        #expect(try kinds("$a,$b") == [.variable("a"), .comma, .variable("b"), .end])
    }

    @Test func comparisons() throws {
        #expect(try kinds("assert metrics.silhouette >= 0.2") == [.word("assert"), .word("metrics.silhouette"), .comparison(">="), .float(0.2), .end])
    }

    @Test func backslashContinuesALine() throws {
        #expect(try kinds("metrics \\\n truth=q") == [.word("metrics"), .word("truth"), .equals, .word("q"), .end])
    }

    @Test(arguments: ["\"open", "metrics \\", "'abc\\"])
    func incompleteInput(_ text: String) {
        #expect(throws: ParseFailure.self) { try kinds(text) }
        do throws(ParseFailure) { _ = try kinds(text) } catch { #expect(error.isIncomplete) }
    }

    @Test(arguments: [
        ("k=10x", 2, "malformed number '10x'"),
        ("echo \"bad \\q\"", 10, "unknown escape '\\q'"),
        ("echo @", 5, "unexpected character '@'"),
        ("k=2..x", 2, "a range needs whole numbers on both sides, like 2..20"),
    ])
    func errorsPointAtTheSpot(_ text: String, _ offset: Int, _ message: String) {
        do throws(ParseFailure) {
            _ = try kinds(text)
            Issue.record("no error for \(text)")
        } catch {
            guard case .error(let d) = error else { Issue.record("incomplete for \(text)"); return }
            #expect(d.range?.start == offset)
            #expect(d.message.hasPrefix(message))
        }
    }
}

extension ParseFailure {
    var isIncomplete: Bool { if case .incomplete = self { true } else { false } }
}
