import Foundation
import Testing
@testable import ClusLang

/// Grammar.md is the reference users read: every command spec must appear in
/// it with its exact usage line, and every option must be described.
@Suite struct GrammarTests {
    static let grammar: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("Grammar.md"), encoding: .utf8)) ?? ""
    }()

    @Test func grammarFileExists() {
        #expect(GrammarTests.grammar.contains("```ebnf"))
    }

    @Test(arguments: Commands.all.map(\.name))
    func everyCommandHasASectionWithItsUsage(_ name: String) throws {
        let spec = try #require(Commands.spec(named: name))
        #expect(GrammarTests.grammar.contains("\n### \(name)\n"), "no section '### \(name)' in Grammar.md")
        #expect(GrammarTests.grammar.contains("`\(spec.usage)`"), "Grammar.md lacks the usage line `\(spec.usage)`")
        for option in spec.options {
            #expect(GrammarTests.grammar.contains("`\(option.name)=`"), "Grammar.md does not describe \(name)'s option \(option.name)=")
        }
    }

    @Test(arguments: Commands.keywords)
    func everyStatementIsInTheGrammar(_ keyword: String) {
        #expect(GrammarTests.grammar.contains("\"\(keyword)\""), "the EBNF lacks the keyword \(keyword)")
    }
}
