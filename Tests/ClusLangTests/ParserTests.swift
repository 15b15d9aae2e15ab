import Testing
@testable import ClusLang

@Suite struct ParserTests {
    func parse(_ text: String) throws(ParseFailure) -> [Statement] {
        try Parser.parse(SourceFile(name: "t", text: text))
    }

    @Test func commandWithPositionalsAndOptions() throws {
        let statements = try parse("load \"x.jsonl\" as docs vector=v\nmetrics truth=query")
        #expect(statements.count == 2)
        guard case .command(let load) = statements[0], case .command(let metrics) = statements[1] else {
            Issue.record("not commands"); return
        }
        #expect(load.name == "load")
        #expect(load.arguments.map(\.name) == [nil, nil, nil, "vector"])
        #expect(load.arguments[0].value.kind == .string("x.jsonl"))
        #expect(metrics.arguments.first?.name == "truth")
        #expect(metrics.arguments.first?.value.kind == .word("query"))
        #expect(metrics.nameRange == SourceRange(32, 39))
    }

    @Test func blankLinesCommentsAndSemicolons() throws {
        #expect(try parse("\n\n# only a comment\n;;\n").isEmpty)
        #expect(try parse("a;b\n\nc # trailing").count == 3)
    }

    @Test func loopsAndLets() throws {
        let statements = try parse("let k = 3\nfor a in [kmeans_5, kmeans_10] {\n  metrics alias=$a\n}")
        #expect(statements.count == 2)
        guard case .loop(let variable, _, let over, let body) = statements[1] else { Issue.record("no loop"); return }
        #expect(variable == "a")
        #expect(body.count == 1)
        guard case .list(let items) = over.kind else { Issue.record("no list"); return }
        #expect(items.map(\.kind) == [.word("kmeans_5"), .word("kmeans_10")])
    }

    @Test(arguments: ["for k in 2..5 {", "for k in 2..5 {\n cluster k=$k", "let x = [1,\n", "echo \"unterminated"])
    func unfinishedInputAsksForMore(_ text: String) {
        do throws(ParseFailure) {
            _ = try parse(text)
            Issue.record("parsed \(text)")
        } catch {
            #expect(error.isIncomplete)
        }
    }

    @Test(arguments: [
        ("metrics }", 8, "'}' without an open '{'"),
        ("k=3", 1, "expected a value"),  // "k" is a command; "=3" is not a value
        ("for 3 in 1..2 { }", 4, "expected a loop variable after 'for'"),
        ("let = 3", 4, "expected a variable name after 'let'"),
        ("metrics truth=", 8, "expected a value after 'truth='"),
        ("assert metrics.silhouette 0.2", 26, "expected a comparison"),
    ])
    func syntaxErrorsPointAtTheSpot(_ text: String, _ offset: Int, _ message: String) {
        do throws(ParseFailure) {
            _ = try parse(text)
            Issue.record("parsed \(text)")
        } catch {
            guard case .error(let d) = error else { Issue.record("incomplete: \(text)"); return }
            #expect(d.range?.start == offset, "\(text): \(d.message)")
            #expect(d.message.hasPrefix(message), "\(text): \(d.message)")
        }
    }

    @Test func diagnosticRendersLineColumnAndCaret() {
        let source = SourceFile(name: "demo.clus", text: "load \"x\"\nmetrcs truth=digit\n")
        let diagnostic = Diagnostic.unknown("command", "metrcs", at: SourceRange(9, 15), known: Commands.all.map(\.name))
        let text = LocatedDiagnostic(diagnostic, in: source).rendered()
        #expect(text == """
        demo.clus:2:1: error: unknown command 'metrcs'
          metrcs truth=digit
          ^~~~~~
          did you mean 'metrics'?
        """)
    }
}
