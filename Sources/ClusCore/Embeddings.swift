/// The vectors of a dataset's documents: `count` rows of `dimension` Float32
/// values, stored contiguously row after row.
///
/// Float32 is what embedding models emit and halves the memory traffic of the
/// hot loops; sums that need it are accumulated in Double by the algorithms.
public struct Embeddings: Sendable, Equatable {
    /// Number of documents (rows).
    public let count: Int
    /// Number of components per vector.
    public let dimension: Int
    /// Row-major values, `count * dimension` of them: owned, or mapped from a
    /// file (`values.isMapped`) and then never copied unless written to.
    public var values: VectorValues

    /// Wraps row-major values; `values.count` must equal `count * dimension`.
    public init(count: Int, dimension: Int, values: [Float]) {
        self.init(count: count, dimension: dimension, values: VectorValues(values))
    }

    /// Wraps row-major values, owned or mapped, without copying them.
    public init(count: Int, dimension: Int, values: VectorValues) {
        precondition(values.count == count * dimension, "values do not fill count × dimension")
        self.count = count
        self.dimension = dimension
        self.values = values
    }

    /// Whether the values are read from a memory-mapped file.
    public var isMapped: Bool { values.isMapped }

    /// Builds the matrix from one array per document (all of one length).
    public init(rows: [[Float]]) {
        let dimension = rows.first?.count ?? 0
        var values: [Float] = []
        values.reserveCapacity(rows.count * dimension)
        for row in rows {
            precondition(row.count == dimension, "rows differ in length")
            values.append(contentsOf: row)
        }
        self.init(count: rows.count, dimension: dimension, values: values)
    }

    /// The vector of document `index` (a copy of that row when mapped).
    public subscript(row index: Int) -> ArraySlice<Float> {
        values.arraySlice(from: index * dimension, count: dimension)
    }

    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> Embeddings {
        let d = dimension
        var out = [Float](repeating: 0, count: indices.count * d)
        values.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in
                for (r, i) in indices.enumerated() {
                    precondition(i >= 0 && i < count, "row out of range")
                    (o.baseAddress! + r * d).update(from: v.baseAddress! + i * d, count: d)
                }
            }
        }
        return Embeddings(count: indices.count, dimension: d, values: out)
    }
}
