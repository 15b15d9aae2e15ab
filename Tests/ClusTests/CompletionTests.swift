import Foundation
import Testing
@testable import ClusShell

/// What TAB offers, from the text before the cursor (the pty tests in
/// TerminalTests check that libedit applies it).
@Suite struct CompletionTests {
    static func completion() -> Completion {
        let c = Completion()
        c.fields = ["_id", "query", "species"]
        c.vectorFields = ["embedding"]
        c.aliases = ["kmeans_3", "kmeans_10"]
        c.datasets = ["iris"]
        return c
    }

    @Test func unquotedPathsComplete() {
        let c = CompletionTests.completion()
        #expect(c.candidates(before: "load ", word: "Tests/Golden/data/iris.js") == ["Tests/Golden/data/iris.json", "Tests/Golden/data/iris.jsonl"])
        #expect(c.candidates(before: "load ", word: "Tests/Gol") == ["Tests/Golden/"])
        #expect(c.candidates(before: "load ", word: "sq") == ["sqlite"])
        #expect(c.candidates(before: "load sqlite ", word: "Tests/Golden/data/iris.d") == ["Tests/Golden/data/iris.db"])
        #expect(c.candidates(before: "export postgres \"x\" ", word: "ta") == ["table="])
        #expect(c.candidates(before: "load ", word: "\"Tests/Golden/data/iris.np") == ["\"Tests/Golden/data/iris.npy\"", "\"Tests/Golden/data/iris.npz\""])
    }

    @Test func intoTakesAPathOnEveryCommand() {
        let c = CompletionTests.completion()
        #expect(c.candidates(before: "metrics truth=query ", word: "in").contains("into="))
        #expect(c.candidates(before: "metrics into=", word: "Tests/Gol") == ["Tests/Golden/"])
        #expect(c.candidates(before: "plot silhouette into ", word: "\"Tests/Gol") == ["\"Tests/Golden/"])
        #expect(!c.candidates(before: "", word: "qu").isEmpty)
        #expect(!c.candidates(before: "quit ", word: "").contains("into="))
    }

    @Test func listOptionsOfferNamesNotCommands() {
        let c = CompletionTests.completion()
        #expect(c.candidates(before: "export \"x.csv\" fields=", word: "") == ["_id", "embedding", "query", "species"])
        #expect(c.candidates(before: "export \"x.csv\" aliases=", word: "km") == ["kmeans_10", "kmeans_3"])
        #expect(c.candidates(before: "help ", word: "dis") == ["distribution"])
        #expect(c.candidates(before: "echo ", word: "dis").isEmpty)
    }

    @Test func optionsAndValuesAsBefore() {
        let c = CompletionTests.completion()
        #expect(c.candidates(before: "metrics ", word: "tr") == ["truth="])
        #expect(c.candidates(before: "metrics truth=", word: "q") == ["query"])
        #expect(c.candidates(before: "use ", word: "i") == ["into=", "iris"])
        #expect(c.candidates(before: "", word: "distr") == ["distribution"])
    }
}
