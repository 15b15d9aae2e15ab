/// A load that failed: where (file, and line and column when the spot is
/// known) and why, printed on one line as `path:line:column: message`.
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let line: Int?
    public let column: Int?
    public let message: String

    public init(path: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var prefix = path
        if let line { prefix += ":\(line)" }
        if let column { prefix += ":\(column)" }
        return "\(prefix): \(message)"
    }

    /// The file could not be opened or read; `reason` is the system's word.
    static func cannotRead(_ path: String, reason: String) -> DataError {
        DataError(path: path, message: "cannot read: \(reason)")
    }

    /// The format was neither given nor implied by the extension.
    static func unknownFormat(_ path: String) -> DataError {
        let formats = DataFormat.allCases.map(\.rawValue).joined(separator: ", ")
        return DataError(path: path, message: "cannot tell the format from the extension; give format= (\(formats))")
    }

    /// The file held no documents.
    static func noDocuments(_ path: String) -> DataError {
        DataError(path: path, message: "no documents in the file")
    }

    /// `vector=name` named no vector field.
    static func noVectorField(_ path: String, name: String, available: [String]) -> DataError {
        let list = available.isEmpty ? "the dataset has none" : "vector fields: " + available.joined(separator: ", ")
        return DataError(path: path, message: "no vector field '\(name)'; \(list)")
    }

    /// A problem at byte `offset` of `text`, located as line and column.
    static func at(_ path: String, offset: Int, in text: UnsafeBufferPointer<UInt8>, _ message: String) -> DataError {
        let (line, column) = location(of: offset, in: text)
        return DataError(path: path, line: line, column: column, message: message)
    }

    /// 1-based line and column (in Unicode scalars) of byte `offset`.
    /// - Complexity: O(offset); only computed for errors and notes.
    static func location(of offset: Int, in text: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        let offset = min(max(offset, 0), text.count)
        var line = 1
        var lineStart = 0
        for i in 0..<offset where text[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        var column = 1
        for i in lineStart..<offset where text[i] & 0xC0 != 0x80 { column += 1 }
        return (line, column)
    }
}
