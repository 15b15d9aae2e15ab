import ClusCore
import Testing

/// Every metric against scikit-learn 1.9.1 on bundled datasets and edge cases.
@Suite("Metrics vs scikit-learn fixtures")
struct MetricFixtureTests {
    @Test("internal indices match sklearn", arguments: Fixtures.datasets)
    func internalIndices(name: String) throws {
        try checkInternal(try Fixtures.load(name))
    }

    @Test("external indices match sklearn", arguments: Fixtures.datasets)
    func externalIndices(name: String) throws {
        checkExternal(try Fixtures.load(name))
    }

    @Test("edge cases match sklearn's conventions")
    func edgeCases() throws {
        let cases = try Fixtures.edgeCases()
        #expect(cases.count >= 8)
        for f in cases {
            checkExternal(f)
            let k = Set(f.labels).count
            if k >= 2 && k < f.labels.count {
                try checkInternal(f)
            } else {
                #expect(throws: MetricError.self) { try silhouetteScore(f.embeddings, labels: f.labels) }
            }
        }
    }

    @Test("fixtures decode to exactly the float32 values the script wrote")
    func fixtureValuesRoundTrip() throws {
        let iris = try Fixtures.load("iris")
        #expect(iris.embeddings.count == 150 && iris.embeddings.dimension == 4)
        #expect(Array(iris.embeddings.values.prefix(4)) == [5.1, 3.5, 1.4, 0.2])
        let blobs = try Fixtures.load("blobs512")
        #expect(blobs.embeddings.dimension == 512)
    }
}
