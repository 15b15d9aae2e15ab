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
    /// Row-major values, `count * dimension` of them.
    public var values: [Float]

    /// Wraps row-major values; `values.count` must equal `count * dimension`.
    public init(count: Int, dimension: Int, values: [Float]) {
        precondition(values.count == count * dimension, "values do not fill count × dimension")
        self.count = count
        self.dimension = dimension
        self.values = values
    }

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

    /// The vector of document `index`.
    public subscript(row index: Int) -> ArraySlice<Float> {
        values[index * dimension ..< (index + 1) * dimension]
    }

    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> Embeddings {
        var out: [Float] = []
        out.reserveCapacity(indices.count * dimension)
        for i in indices { out.append(contentsOf: self[row: i]) }
        return Embeddings(count: indices.count, dimension: dimension, values: out)
    }
}
