import ClusCore
import Foundation
import Testing
@testable import ClusData

/// A float32 C-order `.npy` is memory-mapped, not copied, and every pass that
/// streams the vectors gives the same numbers from the map as from an array.
@Suite struct MappedNPYTests {
    /// 300 seeded 24-d rows in three offset groups, and their group labels.
    static func blobs() -> (rows: [Float], labels: [Int], n: Int, d: Int) {
        let n = 300, d = 24
        var rng = SeededGenerator(seed: 7)
        var rows: [Float] = []
        var labels: [Int] = []
        for i in 0 ..< n {
            let c = i % 3
            labels.append(c)
            for j in 0 ..< d {
                let noise = Float(Double(rng.next() >> 11) / Double(1 << 53)) - 0.5
                rows.append(noise + (j % 3 == c ? 2 : 0))
            }
        }
        return (rows, labels, n, d)
    }

    static func mapped(_ values: [Float], n: Int, d: Int, descr: String = "<f4") throws -> Dataset {
        let path = try writeFile(npy(header(descr, shape: "(\(n), \(d))"), data: f32(values)), name: "x.npy")
        return try DatasetLoader.load(path: path, options: LoadOptions())
    }

    @Test func float32COrderIsMappedNotCopied() throws {
        let (rows, _, n, d) = Self.blobs()
        let v = try #require(Self.mapped(rows, n: n, d: d).vectors.first)
        #expect(v.embeddings.isMapped)
        #expect(v.embeddings.values == VectorValues(rows))
        #expect(v.embeddings.values.array == rows)
        #expect(Array(v.embeddings[row: 1]) == Array(rows[d ..< 2 * d]))
        #expect(v.present.allSatisfy { $0 })
    }

    @Test func otherLayoutsAreConvertedCopies() throws {
        let path = try writeFile(npy(header("<f4", fortran: "True", shape: "(2, 2)"), data: f32([1, 3, 2, 4])), name: "f.npy")
        let v = try #require(DatasetLoader.load(path: path, options: LoadOptions()).vectors.first)
        #expect(!v.embeddings.isMapped)
        #expect(v.embeddings.values == [1, 2, 3, 4])
    }

    /// A write goes to an owned copy: the map (and every other holder) is unchanged.
    @Test func writingToMappedValuesCopiesThem() throws {
        let (rows, _, n, d) = Self.blobs()
        let x = try #require(Self.mapped(rows, n: n, d: d).vectors.first).embeddings
        var y = x
        y.values[0] = 42
        #expect(x.isMapped && !y.isMapped)
        #expect(x.values[0] == rows[0] && y.values[0] == 42)
        #expect(Array(y.values[1...]) == Array(rows[1...]))
    }

    @Test func indicesFromTheMapEqualThoseFromAnArray() throws {
        let (rows, labels, n, d) = Self.blobs()
        let mapped = try #require(Self.mapped(rows, n: n, d: d).vectors.first).embeddings
        let owned = Embeddings(count: n, dimension: d, values: rows)
        #expect(mapped.isMapped && !owned.isMapped)
        for metric in [DistanceMetric.cosine, .sqeuclidean, .euclidean] {
            #expect(try silhouetteScore(mapped, labels: labels, metric: metric) == silhouetteScore(owned, labels: labels, metric: metric))
        }
        let a = try centroidIndices(mapped, labels: labels), b = try centroidIndices(owned, labels: labels)
        #expect(a.calinskiHarabasz == b.calinskiHarabasz && a.daviesBouldin == b.daviesBouldin)
        var r1 = SeededGenerator(seed: 3), r2 = SeededGenerator(seed: 3)
        let s1 = try sampledSilhouette(mapped, labels: labels, sampleSize: 40, using: &r1)
        let s2 = try sampledSilhouette(owned, labels: labels, sampleSize: 40, using: &r2)
        #expect(s1 == s2)
        // each sampled document's silhouette is its exact one
        let sample = StratifiedSample(labels: labels, size: 40, using: &r1)
        let exact = try silhouetteSamples(owned, labels: labels, metric: .euclidean)
        let points = try silhouetteSamples(mapped, labels: labels, of: sample.indices, metric: .euclidean)
        for (p, i) in sample.indices.enumerated() { #expect(abs(points[p] - exact[i]) < 1e-6) }
    }

    /// The cluster-sum silhouettes are computed four rows at a time; a lone
    /// row (the one-row path) gets the same bits.
    @Test(arguments: [DistanceMetric.cosine, .sqeuclidean])
    func fourRowsAtOnceGiveEachRowItsOwnBits(metric: DistanceMetric) throws {
        let (rows, labels, n, d) = Self.blobs()   // d = 24: a SIMD step and a tail
        let x = Embeddings(count: n, dimension: d, values: rows)
        let all = try silhouetteSamples(x, labels: labels, metric: metric)
        for i in stride(from: 0, to: n, by: 7) {
            #expect(try silhouetteSamples(x, labels: labels, of: [i], metric: metric) == [all[i]])
        }
    }

    /// NaN rows in a mappable file: no usable vector, zeroed in an owned
    /// copy (the file is never written), the others untouched.
    @Test func nonFiniteRowsAreFoundAndLeftOut() throws {
        var (rows, _, n, d) = Self.blobs()
        rows[5 * d + 17] = .nan
        rows[299 * d] = -.infinity
        let dataset = try Self.mapped(rows, n: n, d: d)
        let v = try #require(dataset.vectors.first)
        #expect(v.present.indices.filter { !v.present[$0] } == [5, 299])
        #expect(v.embeddings[row: 5].allSatisfy { $0 == 0 } && v.embeddings[row: 299].allSatisfy { $0 == 0 })
        #expect(Array(v.embeddings[row: 6]) == Array(rows[6 * d ..< 7 * d]))
        #expect(v.unusable[299]?.jsonText.hasPrefix("[-Infinity, ") == true)
        #expect(dataset.notes.first?.contains("2 rows of") == true)
        let path = try writeFile(npy(header(shape: "(\(n), \(d))"), data: f32(rows)), name: "x.npy")
        #expect(throws: DataError.self) { try DatasetLoader.load(path: path, options: LoadOptions(strict: true)) }
    }

    /// The parallel SIMD scan finds every non-finite row, whatever its place
    /// in a block or a vector, on any thread count.
    @Test(arguments: [1, 15, 16, 17, 100])
    func scanFindsEveryNonFiniteRow(dimension d: Int) {
        let n = 9000
        var values = [Float](repeating: 1, count: n * d)
        let bad = [0, 4095, 4096, 8999]
        for (t, i) in bad.enumerated() { values[i * d + (t * 7) % d] = t % 2 == 0 ? .nan : .infinity }
        for threads in [1, 3] {
            #expect(NPYReader.nonFiniteRows(VectorValues(values), rows: n, dimension: d,
                                            parallelism: Parallelism(threads: threads)) == bad)
        }
    }

    /// A column of integer classes is interned by table, as by hashing.
    @Test func integerTruthInternsAsAnyColumn() {
        let values: [FieldValue?] = [.int(30), nil, .int(-2), .null, .int(30), .int(7), .int(100_000)]
        let fast = FieldColumn(name: "t", values: values).interned()
        #expect(fast.names == ["-2", "7", "30", "100000"])
        #expect(fast.codes == [2, -1, 0, -1, 2, 1, 3])
        // a string among them: the general path, which puts "3" with 3
        let mixed = FieldColumn(name: "t", values: [.int(3), .string("3"), .string("a")]).interned()
        #expect(mixed.codes == [0, 0, 1] && mixed.names == ["3", "a"])
    }
}
