/// A query that the database refused: its message, and the byte offset in
/// the query where the database places the fault, when it gives one.
public struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database file, or the connection string without its password.
    public let source: String
    public let message: String
    /// A UTF-8 byte offset into the query text.
    public let offset: Int?

    public init(source: String, message: String, offset: Int? = nil) {
        self.source = source
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(source): \(message)" }
}

extension QueryError {
    /// PostgreSQL counts its error position in characters from 1, SQLite in
    /// bytes from 0; a PostgreSQL position is kept negated until `byteOffset(in:)`.
    public func byteOffset(in query: String) -> Int? {
        guard let offset else { return nil }
        guard offset < 0 else { return offset }
        let characters = -offset - 1
        var bytes = 0
        for (i, scalar) in query.unicodeScalars.enumerated() {
            if i == characters { return bytes }
            bytes += String(scalar).utf8.count
        }
        return bytes
    }
}
