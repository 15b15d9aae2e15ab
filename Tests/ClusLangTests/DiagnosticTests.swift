import Testing
@testable import ClusLang

/// How an error quotes the line it points into.
@Suite struct DiagnosticTests {
    @Test func aShortLineIsQuotedWhole() {
        let source = SourceFile(name: "s.clus", text: "metrics truht=1")
        let text = LocatedDiagnostic(Diagnostic("unknown option", at: SourceRange(8, 13)), in: source).rendered()
        #expect(text == "s.clus:1:9: error: unknown option\n  metrics truht=1\n          ^~~~~")
    }

    @Test func aLongLineShowsAWindowAroundTheSpot() {
        let text = "let x = \"" + String(repeating: "a", count: 100_000) + "\" ; metrcs truth=1"
        let offset = text.utf8.count - "metrcs truth=1".utf8.count
        let rendered = LocatedDiagnostic(Diagnostic("unknown command 'metrcs'", at: SourceRange(offset, offset + 6)),
                                         in: SourceFile(name: "long.clus", text: text)).rendered()
        let lines = rendered.split(separator: "\n").map(String.init)
        #expect(lines[0] == "long.clus:1:\(text.count - 13): error: unknown command 'metrcs'")
        #expect(lines[1].count <= 2 + LocatedDiagnostic.windowColumns + 2)
        #expect(lines[1].hasPrefix("  …aaa") && lines[1].hasSuffix("metrcs truth=1"))
        // the caret sits under the word it names
        let caret = Array(lines[2]).firstIndex(of: "^")!
        #expect(String(Array(lines[1])[caret...]).hasPrefix("metrcs"))
        #expect(lines[2].hasSuffix("^~~~~~"))
    }

    @Test func theWindowAtTheStartOfALongLineEndsWithAnEllipsis() {
        let line = Array("metrcs " + String(repeating: "x", count: 500))
        let shown = LocatedDiagnostic.window(line, column: 0, width: 6)
        #expect(shown.text.hasPrefix("metrcs x") && shown.text.hasSuffix("…"))
        #expect(shown.text.count == LocatedDiagnostic.windowColumns + 1)
        #expect(shown.caret == 0 && shown.width == 6)
    }

    @Test func aCaretWiderThanTheWindowStopsAtItsEdge() {
        let line = Array(String(repeating: "y", count: 1000))
        let shown = LocatedDiagnostic.window(line, column: 10, width: 900)
        #expect(shown.caret + shown.width <= shown.text.count)
    }
}
