import ClusCore

/// What a columnar file (Parquet, Arrow) makes of one of its columns.
enum ColumnContent {
    case field([FieldValue?])
    case vector(VectorColumn, note: String?)
    /// A list column that turned out to be no vector field (all null, lists of mixed lengths): why.
    case notVector(String)
    /// Not read, and why.
    case leftOut(String)
}

extension Dataset {
    /// The dataset of a columnar file's columns, in order: scalar columns
    /// become fields (`_cluster_.FIELD.ALIAS` ones aliases), list columns
    /// vector fields; the others are named in notes (each name once, as files
    /// of one pattern repeat them). `vectorField` is moved first, or the error says why it cannot be.
    init(columns: [(name: String, content: ColumnContent)], name: String, path: String, notePath: String, count: Int,
         vectorField wanted: String?) throws(DataError) {
        self.init(name: name, path: path, count: count)
        var notVector: [String: String] = [:]
        for (column, content) in columns {
            switch content {
            case .field(let values):
                let field = FieldColumn(name: column, values: values)
                if let clustering = Clustering(aliasColumn: field) {
                    clusterings.append(clustering)
                } else {
                    fields.append(field)
                }
            case .vector(let vector, let note):
                vectors.append(vector)
                if let note { notes.append(note) }
            case .notVector(let why):
                notVector[column] = why
                notes.append("\(notePath): '\(column)' is not a vector field: \(why); left out")
            case .leftOut:
                break
            }
        }
        var reported = Set<String>()
        for (column, content) in columns {
            if case .leftOut(let why) = content, reported.insert(column).inserted {
                notes.append("\(notePath): column '\(column)' left out: \(why)")
            }
        }
        if let wanted {
            guard let i = vectors.firstIndex(where: { $0.name == wanted }) else {
                if let why = notVector[wanted] { throw DataError(path: notePath, message: "'\(wanted)' is not a vector field: \(why)") }
                throw DataError.noVectorField(notePath, name: wanted, available: vectors.map(\.name))
            }
            vectors.insert(vectors.remove(at: i), at: 0)
        }
    }
}
