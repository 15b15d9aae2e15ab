import ClusCore
import Foundation
import Testing

/// scikit-learn reference values (Scripts/make_fixtures.py) for one labelling.
struct Expected: Decodable {
    struct Contingency: Decodable {
        let truthClasses: [Int]
        let clusters: [Int]
        let counts: [Int]
    }

    let silhouette: [String: Double]?
    let silhouetteSamplesEuclidean: [Double]?
    let calinskiHarabasz: Double?
    let daviesBouldin: Double?
    let adjustedRandIndex: Double
    let randIndex: Double
    let mutualInfo: Double
    let nmi: [String: Double]
    let ami: [String: Double]
    let homogeneity: Double
    let completeness: Double
    let vMeasure: Double
    let vMeasureBeta05: Double
    let fowlkesMallows: Double
    let purity: Double
    let inversePurity: Double
    let contingency: Contingency
}

/// One dataset's vectors, k-means labels, truth and expected metrics.
struct Fixture: Decodable {
    let name: String
    // Decoded as Double: the decimals are float32 round-trip strings, and
    // Double → Float gives back the exact float32 (checked by the script).
    let x: [[Double]]
    let labels: [Int]
    let truth: [Int]
    let expected: Expected

    var embeddings: Embeddings { Embeddings(rows: x.map { $0.map(Float.init) }) }
    var table: ContingencyTable { ContingencyTable(truth: truth, predicted: labels) }
}

struct EdgeCases: Decodable {
    let cases: [Fixture]
}

enum Fixtures {
    static let datasets = ["iris", "wine", "breast_cancer", "digits", "blobs512"]

    static func data(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }

    static func load(_ name: String) throws -> Fixture {
        try decoder().decode(Fixture.self, from: data(name))
    }

    static func edgeCases() throws -> [Fixture] {
        try decoder().decode(EdgeCases.self, from: data("edge_cases")).cases
    }
}

/// |actual − expected| <= tolerance, with a message naming the quantity.
func expectClose(_ actual: Double, _ expected: Double, _ tolerance: Double = 1e-6, _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(abs(actual - expected) <= tolerance, "\(what): got \(actual), sklearn \(expected)", sourceLocation: sourceLocation)
}

/// Relative closeness, for unbounded values such as Calinski-Harabasz.
func expectRelativelyClose(_ actual: Double, _ expected: Double, _ tolerance: Double = 1e-6, _ what: String,
                           sourceLocation: SourceLocation = #_sourceLocation) {
    let scale = max(abs(expected), 1e-300)
    #expect(abs(actual - expected) / scale <= tolerance, "\(what): got \(actual), sklearn \(expected)", sourceLocation: sourceLocation)
}

/// Checks every external index of `f` against sklearn.
func checkExternal(_ f: Fixture, sourceLocation: SourceLocation = #_sourceLocation) {
    let t = f.table
    let e = f.expected
    let tag = f.name
    #expect(t.truthClasses == e.contingency.truthClasses, "\(tag) truth classes", sourceLocation: sourceLocation)
    #expect(t.clusters == e.contingency.clusters, "\(tag) clusters", sourceLocation: sourceLocation)
    #expect(t.counts == e.contingency.counts, "\(tag) counts", sourceLocation: sourceLocation)
    expectClose(adjustedRandIndex(t), e.adjustedRandIndex, 1e-6, "\(tag) ARI", sourceLocation: sourceLocation)
    expectClose(randIndex(t), e.randIndex, 1e-6, "\(tag) RI", sourceLocation: sourceLocation)
    expectClose(mutualInformation(t), e.mutualInfo, 1e-6, "\(tag) MI", sourceLocation: sourceLocation)
    for avg in MutualInformationAverage.allCases {
        // A missing reference becomes NaN, which fails the comparison.
        let nmi = e.nmi[avg.rawValue], ami = e.ami[avg.rawValue]
        expectClose(normalizedMutualInformation(t, average: avg), nmi ?? .nan, 1e-6, "\(tag) NMI \(avg)", sourceLocation: sourceLocation)
        expectClose(adjustedMutualInformation(t, average: avg), ami ?? .nan, 1e-6, "\(tag) AMI \(avg)", sourceLocation: sourceLocation)
    }
    expectClose(homogeneity(t), e.homogeneity, 1e-6, "\(tag) homogeneity", sourceLocation: sourceLocation)
    expectClose(completeness(t), e.completeness, 1e-6, "\(tag) completeness", sourceLocation: sourceLocation)
    expectClose(vMeasure(t), e.vMeasure, 1e-6, "\(tag) V", sourceLocation: sourceLocation)
    expectClose(vMeasure(t, beta: 0.5), e.vMeasureBeta05, 1e-6, "\(tag) V beta 0.5", sourceLocation: sourceLocation)
    expectClose(fowlkesMallows(t), e.fowlkesMallows, 1e-6, "\(tag) FM", sourceLocation: sourceLocation)
    expectClose(purity(t), e.purity, 1e-6, "\(tag) purity", sourceLocation: sourceLocation)
    expectClose(inversePurity(t), e.inversePurity, 1e-6, "\(tag) inverse purity", sourceLocation: sourceLocation)
}

/// Checks silhouette (all metrics, and per sample when given), CH and DB of `f`.
func checkInternal(_ f: Fixture, parallelism: Parallelism = .allCores,
                   sourceLocation: SourceLocation = #_sourceLocation) throws {
    let x = f.embeddings
    let e = f.expected
    let silhouettes = try #require(e.silhouette, sourceLocation: sourceLocation)
    for metric in DistanceMetric.allCases {
        let want = try #require(silhouettes[metric.rawValue], sourceLocation: sourceLocation)
        // One pass per metric: the score is the mean of the samples.
        let samples = try silhouetteSamples(x, labels: f.labels, metric: metric, parallelism: parallelism)
        let got = samples.reduce(0, +) / Double(samples.count)
        expectClose(got, want, 1e-6, "\(f.name) silhouette \(metric)", sourceLocation: sourceLocation)
        if metric == .euclidean, let want = e.silhouetteSamplesEuclidean {
            #expect(samples.count == want.count, sourceLocation: sourceLocation)
            let worst = zip(samples, want).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-6, "\(f.name) silhouette samples: worst difference \(worst)", sourceLocation: sourceLocation)
        }
    }
    let ch = try #require(e.calinskiHarabasz, sourceLocation: sourceLocation)
    expectRelativelyClose(try calinskiHarabasz(x, labels: f.labels), ch, 1e-6, "\(f.name) CH", sourceLocation: sourceLocation)
    let db = try #require(e.daviesBouldin, sourceLocation: sourceLocation)
    expectClose(try daviesBouldin(x, labels: f.labels), db, 1e-6, "\(f.name) DB", sourceLocation: sourceLocation)
}
