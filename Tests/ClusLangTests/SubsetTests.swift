import Foundation
import Testing
import ClusCore
import ClusData
@testable import ClusLang

/// `filter` and `sample` through the interpreter: what a subset holds, what it
/// shares with its source, where clusterings go, and failures that add nothing.
@Suite final class SubsetTests {
    let folder: URL
    let session = Session()
    let sink = CollectingSink()
    lazy var interpreter = Interpreter(session: session, output: sink)

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("clus-subsets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // 40 documents: v = [i, i % 4], g = i % 4 ("g0".."g3"), n = i; document 7 has no vector
        var text = ""
        for i in 0 ..< 40 {
            let vector = i == 7 ? "null" : "[\(i), \(i % 4)]"
            text += "{\"v\": \(vector), \"g\": \"g\(i % 4)\", \"n\": \(i)}\n"
        }
        try text.write(to: folder.appendingPathComponent("d.jsonl"), atomically: false, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    @discardableResult
    func run(_ text: String) -> RunOutcome {
        interpreter.run(SourceFile(name: "t", text: text.replacingOccurrences(of: "DIR", with: folder.path)))
    }

    func stored(_ name: String) throws -> Dataset { try #require(session.datasets.first { $0.name == name }) }

    @Test func aFilterIsAViewThatGathersItsVectorsForACommand() throws {
        #expect(run("load \"DIR/d.jsonl\" as d\nfilter n >= 30 and g in [g1, g3]") == .completed, "\(sink.errors)")
        let subset = try stored("d_filtered")
        #expect(session.currentDatasetName == "d_filtered")
        #expect(subset.count == 5 && subset.view?.rows == [31, 33, 35, 37, 39])
        #expect(subset.view?.source == "d" && subset.view?.expression == "n >= 30 and g in [\"g1\", \"g3\"]")
        // kept without vectors; the source's matrix is shared, not copied
        #expect(subset.vectors.isEmpty)
        #expect(subset.view?.sourceVectors.first?.embeddings == (try stored("d")).vectors.first?.embeddings)
        #expect(subset.field(named: "n")?.values == [31, 33, 35, 37, 39].map { .int($0) })
        let gathered = try session.currentDataset()
        #expect(gathered.vectors.first?.embeddings.values == [31, 3, 33, 1, 35, 3, 37, 1, 39, 3])
    }

    @Test func aSubsetOfASubsetIndexesTheLoadedMatrix() throws {
        #expect(run("load \"DIR/d.jsonl\" as d\nfilter n < 20 as small\nfilter g == g3 as small3\nfilter not has(v) as novec") == .completed,
                "\(sink.errors)")
        #expect(try stored("small3").view?.rows == [3, 7, 11, 15, 19])
        #expect(try stored("small3").view?.source == "small")
        // has(v) on a subset reads the gathered presence: document 7 has none
        #expect(try stored("novec").view?.rows == [7])
        #expect(try session.currentDataset().vectors.first?.present == [false])
        #expect(run("use small\nfilter g == g0 and not has(v)") == .failed)
        #expect(sink.errors.last?.contains("no document of small matches g == \"g0\" and not has(v)") == true, "\(sink.errors)")
    }

    @Test func clusteringsMadeOnASubsetStayWithIt() throws {
        #expect(run("load \"DIR/d.jsonl\" as d\nfilter has(v)\ncluster k=2 alias=sub") == .completed, "\(sink.errors)")
        #expect(try stored("d").clusterings.isEmpty)
        #expect(try stored("d_filtered").clusterings.map(\.alias) == ["sub"])
        #expect(try stored("d_filtered").vectors.isEmpty, "the subset is stored without gathered vectors after cluster")
        // a subset of it carries the labels, keeping only clusters that still have a document
        #expect(run("filter sub == cluster_0 as zero") == .completed, "\(sink.errors)")
        let zero = try stored("zero")
        #expect(zero.clusterings.first?.clusterNames == ["cluster_0"])
        #expect(zero.clusterings.first?.labels.allSatisfy { $0 == 0 } == true)
        #expect(session.currentAliases["zero"]?.alias == "sub")
    }

    @Test func defaultNamesAreUnique() throws {
        #expect(run("load \"DIR/d.jsonl\" as d\nfilter n < 5\nuse d\nfilter n < 6\nuse d\nsample n=3\nuse d\nsample n=3") == .completed)
        #expect(session.datasets.map(\.name) == ["d", "d_filtered", "d_filtered_2", "d_sample", "d_sample_2"])
    }

    @Test func failedFilterOrSampleAddsNothing() throws {
        #expect(run("load \"DIR/d.jsonl\" as d\nfilter n < 5 as taken\nuse d") == .completed)
        let before = (session.datasets.map(\.name), session.currentDatasetName)
        for bad in ["filter nn < 3", "filter n > 100", "filter g == 3", "filter n < 3 as taken", "sample n=41",
                    "sample n=0", "sample", "sample n=3 by=gg", "filter n < $undefined", "filter v == 1"] {
            #expect(run(bad) == .failed, "\(bad)")
            #expect(session.datasets.map(\.name) == before.0 && session.currentDatasetName == before.1, "\(bad)")
        }
        #expect(sink.errors.contains { $0.contains("a dataset named 'taken' already exists") })
    }

    @Test func sampleIsReproducibleAndExact() throws {
        #expect(run("load \"DIR/d.jsonl\" as d\nsample n=10 seed=5 as a\nuse d\nsample n=10 seed=5 as b\nuse d\nsample n=10 seed=6 as c") == .completed)
        let a = try #require(try stored("a").view?.rows), b = try #require(try stored("b").view?.rows)
        #expect(a == b && a.count == 10 && a == a.sorted() && Set(a).count == 10)
        #expect(try stored("c").view?.rows != a)
        // the session's seed is the default
        #expect(run("use d\nset seed=5\nsample n=10 as e") == .completed)
        #expect(try stored("e").view?.rows == a)
    }

    @Test func stratifiedSampleKeepsEveryValueAndIsProportional() throws {
        // g: g0..g3 ten each; make one rare value by filtering
        #expect(run("load \"DIR/d.jsonl\" as d\nfilter g != g3 or n == 3 as skew\nsample n=8 by=g seed=1") == .completed, "\(sink.errors)")
        let skew = try stored("skew"), sample = try stored("skew_sample")
        #expect(skew.count == 31 && sample.count == 8)
        let groups = (try #require(sample.field(named: "g"))).values.map { $0?.description ?? "" }
        #expect(Set(groups) == ["g0", "g1", "g2", "g3"], "every value keeps a document: \(groups)")
        #expect(groups.filter { $0 == "g3" }.count == 1)
        let result = try #require(sink.results.last?.output as? SubsetResult)
        #expect(result.strata.map(\.value) == ["g0", "g1", "g2", "g3"])
        #expect(result.strata.map(\.documents) == [10, 10, 10, 1])
        // fewer draws than values: n documents still, the largest values first
        #expect(run("use skew\nsample n=2 by=g as two") == .completed)
        #expect(try stored("two").count == 2)
    }

    @Test func exportOfASubsetWritesItsDocumentsOnly() throws {
        #expect(run("load \"DIR/d.jsonl\" as d\nfilter n > 35\nexport \"DIR/out.jsonl\"") == .completed, "\(sink.errors)")
        let lines = try String(contentsOf: folder.appendingPathComponent("out.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines == (36 ..< 40).map { "{\"g\": \"g\($0 % 4)\", \"n\": \($0), \"v\": [\($0).0, \($0 % 4).0]}"[...] })
    }
}
