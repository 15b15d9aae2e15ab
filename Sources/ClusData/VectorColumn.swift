import ClusCore

/// One vector field of a dataset: a number array of one length in every
/// document that has it.
public struct VectorColumn: Sendable {
    /// The dotted field name.
    public let name: String
    /// `count × dimension` values; rows of documents lacking the vector are zeros.
    public var embeddings: Embeddings
    /// Whether each document has this vector.
    public var present: [Bool]
    /// Documents without this vector.
    public var missingCount: Int
    /// The input had numbers with more significant digits than Float32
    /// keeps (9), e.g. float64 values: they were rounded when stored.
    public var roundedToFloat32 = false
    /// Components per vector.
    public var dimension: Int { embeddings.dimension }

    /// A column; `present` defaults to every document having the vector.
    public init(name: String, embeddings: Embeddings, present: [Bool]? = nil) {
        let present = present ?? [Bool](repeating: true, count: embeddings.count)
        precondition(present.count == embeddings.count, "present does not match the row count")
        self.name = name
        self.embeddings = embeddings
        self.present = present
        self.missingCount = present.reduce(0) { $0 + ($1 ? 0 : 1) }
    }
}
