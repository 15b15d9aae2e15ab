import ClusCore

/// One vector field of a dataset: a number array of one length in every
/// document that has a usable one. Documents without a usable vector stay in
/// the dataset; clustering and the internal indices leave them out.
public struct VectorColumn: Sendable {
    /// The dotted field name.
    public let name: String
    /// `count × dimension` values; rows of documents lacking the vector are zeros.
    public var embeddings: Embeddings
    /// Whether each document has a usable vector.
    public var present: [Bool]
    /// Documents without a usable vector (absent, or an unusable value).
    public var missingCount: Int
    /// The documents that give the field a value that is not a usable vector,
    /// by document: why, and the value itself, written back by export.
    public var unusable: [Int: UnusableVector] = [:]
    /// The input had numbers with more significant digits than Float32
    /// keeps (9), e.g. float64 values: they were rounded when stored.
    public var roundedToFloat32 = false
    /// Components per vector.
    public var dimension: Int { embeddings.dimension }

    /// A column; `present` defaults to every document having the vector.
    public init(name: String, embeddings: Embeddings, present: [Bool]? = nil, unusable: [Int: UnusableVector] = [:]) {
        let present = present ?? [Bool](repeating: true, count: embeddings.count)
        precondition(present.count == embeddings.count, "present does not match the row count")
        precondition(unusable.keys.allSatisfy { !present[$0] }, "a usable vector marked unusable")
        self.name = name
        self.embeddings = embeddings
        self.present = present
        self.unusable = unusable
        self.missingCount = present.reduce(0) { $0 + ($1 ? 0 : 1) }
    }

    /// The rows of the documents with a usable vector, in document order.
    public var usableRows: [Int] { present.indices.filter { present[$0] } }

    /// How many documents lack a usable vector, by reason, in a fixed order
    /// (`absent` first); reasons with no document are left out.
    public var missingByReason: [(reason: String, count: Int)] {
        var counts: [String: Int] = ["absent": missingCount - unusable.count]
        for u in unusable.values { counts[u.problem.category, default: 0] += 1 }
        return VectorProblem.categories.compactMap { c in counts[c].flatMap { $0 > 0 ? (c, $0) : nil } }
    }
}

/// Why a document's value for a vector field is not a usable vector.
public enum VectorProblem: Sendable, Hashable {
    /// The document lacks the field.
    case absent
    case null
    /// An empty array.
    case empty
    /// An array of numbers of another length than the field's dimension.
    case wrongLength(Int)
    /// An array holding something other than numbers.
    case notNumbers
    /// A scalar: `a string`, `a number`, `a boolean`.
    case notArray(String)
    /// NaN, an infinity, or a number beyond Float32's range.
    case nonFinite

    /// The reasons' names, in the order results list them.
    public static let categories = ["absent", "null", "empty", "wrong length", "non-numbers", "not an array", "NaN/infinity"]

    /// The reason's name, as counted: `wrong length`.
    public var category: String {
        switch self {
        case .absent: "absent"
        case .null: "null"
        case .empty: "empty"
        case .wrongLength: "wrong length"
        case .notNumbers: "non-numbers"
        case .notArray: "not an array"
        case .nonFinite: "NaN/infinity"
        }
    }

    /// What the document holds, after `line 4 ` or the field's name:
    /// `has 3 numbers (384 expected)`, `holds a string`.
    public func phrase(dimension: Int) -> String {
        switch self {
        case .absent: "lacks it"
        case .null: "is null"
        case .empty: "is an empty array"
        case .wrongLength(let n): "has \(n) number\(n == 1 ? "" : "s") (\(dimension) expected)"
        case .notNumbers: "holds an array of non-numbers"
        case .notArray(let kind): "holds \(kind)"
        case .nonFinite: "holds NaN or an infinity"
        }
    }
}

/// A document's value for a vector field that is not a usable vector.
public struct UnusableVector: Sendable, Equatable {
    public var problem: VectorProblem
    /// The value as read: a scalar, or an array's JSON text (`isArray`).
    public var value: FieldValue
    public var isArray: Bool

    public init(problem: VectorProblem, value: FieldValue, isArray: Bool) {
        self.problem = problem
        self.value = value
        self.isArray = isArray
    }

    /// The value as JSON text, as it was in the file.
    public var jsonText: String {
        if isArray, case .string(let text) = value { return text }
        return value.jsonText
    }
}
