/// A script or typed input, kept whole so diagnostics can quote its lines.
///
/// Positions are UTF-8 byte offsets; line and column are computed only when a
/// diagnostic is printed (as swift-syntax does).
public struct SourceFile: Sendable {
    /// What the user calls it: a path, `<command line>`, `<stdin>`.
    public let name: String
    /// The text itself.
    public let text: String
    let bytes: [UInt8]

    public init(name: String, text: String) {
        self.name = name
        self.text = text
        self.bytes = Array(text.utf8)
    }

    /// 1-based line and column (in characters) of a byte offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let offset = min(max(0, offset), bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0 ..< offset where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        let column = String(decoding: bytes[lineStart ..< offset], as: UTF8.self).count + 1
        return (line, column)
    }

    /// The text of 1-based line `number`, without its newline.
    public func lineText(_ number: Int) -> String {
        var line = 1
        var start = 0
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            if line == number { return String(decoding: bytes[start ..< i], as: UTF8.self) }
            line += 1
            start = i + 1
        }
        return line == number ? String(decoding: bytes[start...], as: UTF8.self) : ""
    }
}

/// A span of source text, as byte offsets `start..<end`.
public struct SourceRange: Sendable, Equatable {
    public var start: Int
    public var end: Int
    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = max(start, end)
    }
    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }
}
