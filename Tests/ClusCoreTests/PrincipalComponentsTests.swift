import Foundation
import Testing
@testable import ClusCore

/// NumPy's PCA and classical MDS of the digits (Scripts/make_map_fixtures.py).
private struct MapFixture: Decodable {
    struct PCA: Decodable {
        let components: [[Double]]
        let variances: [Double]
        let totalVariance: Double
        let coordinatesFirst50: [[Double]]
    }
    struct MDS: Decodable {
        let distances: [[Double]]
        let coordinates: [[Double]]
        let eigenvalues: [Double]
    }
    let pca: PCA
    let mds: MDS

    static func load() throws -> MapFixture {
        try Fixtures.decoder().decode(MapFixture.self, from: Fixtures.data("map_digits"))
    }
}

@Suite struct PrincipalComponentsTests {
    @Test(arguments: [1, 3])
    func digitsMatchNumPy(threads: Int) throws {
        let expected = try MapFixture.load().pca
        let digits = try Fixtures.load("digits")
        let p = projectOnPrincipalComponents(digits.embeddings, rows: Array(0 ..< 50), count: 2,
                                             parallelism: Parallelism(threads: threads))
        #expect(p.components.count == 2)
        for (axis, reference) in zip(p.components, expected.components) {
            for (a, b) in zip(axis, reference) { expectClose(a, b, 1e-9, "component loading") }
        }
        for (a, b) in zip(p.variances, expected.variances) { expectRelativelyClose(a, b, 1e-9, "variance") }
        expectRelativelyClose(p.totalVariance, expected.totalVariance, 1e-12, "total variance")
        for (row, reference) in zip(p.coordinates, expected.coordinatesFirst50) {
            for (a, b) in zip(row, reference) { expectClose(a, b, 1e-7, "coordinate") }
        }
        #expect(p.coordinates.count == 50)
    }

    @Test func jacobiAgreesWithLAPACK() throws {
        // a covariance-like matrix: symmetric, positive semi-definite
        let digits = try Fixtures.load("digits")
        let n = 12
        var m = [Double](repeating: 0, count: n * n)
        for row in digits.x.prefix(200) { for i in 0 ..< n { for j in 0 ..< n { m[i * n + j] += row[20 + i] * row[20 + j] } } }
        let jacobi = jacobiEigenpairs(m, size: n)
        let chosen = symmetricEigenpairs(m, size: n)
        let largest = try #require(chosen.values.first)
        // near-zero eigenvalues differ in their last bits only: scale by the largest
        for (a, b) in zip(jacobi.values, chosen.values) { expectClose(a, b, 1e-10 * largest, "eigenvalue") }
        // the two largest are well separated here, so their vectors are unique up to sign (fixed by both)
        for axis in 0 ..< 2 {
            for (a, b) in zip(jacobi.vectors[axis], chosen.vectors[axis]) { expectClose(a, b, 1e-8, "eigenvector") }
        }
    }

    @Test func classicalScalingMatchesNumPy() throws {
        let expected = try MapFixture.load().mds
        let k = expected.distances.count
        let scaling = classicalScaling(distances: expected.distances.flatMap { $0 }, count: k, dimensions: 2)
        for (row, reference) in zip(scaling.coordinates, expected.coordinates) {
            for (a, b) in zip(row, reference) { expectClose(a, b, 1e-8, "MDS coordinate") }
        }
        for (a, b) in zip(scaling.eigenvalues, expected.eigenvalues) { expectClose(a, b, 1e-8, "MDS eigenvalue") }
        #expect(scaling.keptShare > 0 && scaling.keptShare < 1)
    }

    @Test func classicalScalingRecoversPlanarPoints() {
        // points already in a plane: distances kept exactly, share 1
        let points: [[Double]] = [[0, 0], [3, 0], [0, 4], [1, 1]]
        let scaling = classicalScaling(distances: euclideanDistances(between: points), count: 4, dimensions: 2)
        let recovered = euclideanDistances(between: scaling.coordinates)
        for (a, b) in zip(recovered, euclideanDistances(between: points)) { expectClose(a, b, 1e-9, "distance") }
        expectClose(scaling.keptShare, 1, 1e-12, "kept share")
    }
}
