import Testing
@testable import ClusLang

/// Inputs that overflowed the stack of the lexer or the parser: recursion on
/// hostile input is bounded, and the error names the spot.
@Suite struct FuzzFindingTests {
    func parse(_ text: String) throws(ParseFailure) -> [Statement] {
        try Parser.parse(SourceFile(name: "t", text: text))
    }

    /// `[[[[...` recursed once per bracket without a limit.
    @Test func listsNestedTooDeepAreAnError() throws {
        let text = "echo 1\nlet x = " + String(repeating: "[", count: 100_000)
        do throws(ParseFailure) {
            _ = try parse(text)
            Issue.record("parsed")
        } catch {
            guard case .error(let d) = error else { Issue.record("incomplete"); return }
            let rendered = LocatedDiagnostic(d, in: SourceFile(name: "t", text: text)).rendered()
            #expect(rendered.hasPrefix("t:2:209: error: lists nested more than 200 deep"))
        }
        // Lists inside loops count towards the same limit; 200 is allowed.
        let ok = "let x = " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(try parse(ok).count == 1)
        let loops = String(repeating: "for a in [1] {\n", count: 100) + "let x = " + String(repeating: "[", count: 101)
        do throws(ParseFailure) {
            _ = try parse(loops)
            Issue.record("parsed")
        } catch {
            guard case .error(let d) = error else { Issue.record("incomplete"); return }
            #expect(d.message == "lists nested more than 200 deep")
        }
    }

    /// Each backslash-newline made the lexer call itself once more.
    @Test func manyLineContinuationsAreBlanks() throws {
        let text = "echo a " + String(repeating: "\\\n", count: 300_000) + String(repeating: "\\\r\n", count: 1_000) + "b"
        var lexer = Lexer(SourceFile(name: "t", text: text))
        #expect(try lexer.tokenize().map(\.kind) == [.word("echo"), .word("a"), .word("b"), .end])
    }
}
