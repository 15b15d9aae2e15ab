import ClusData

/// An error the user made or met, pointing at the spot in the source when
/// there is one.
public struct Diagnostic: Error, Sendable {
    /// One line saying what is wrong.
    public let message: String
    /// Where, if the error is about a piece of the input.
    public let range: SourceRange?
    /// A hint shown after the caret line ("did you mean 'metrics'?").
    public let hint: String?

    public init(_ message: String, at range: SourceRange? = nil, hint: String? = nil) {
        self.message = message
        self.range = range
        self.hint = hint
    }

    /// An unknown name, with the closest known ones suggested.
    public static func unknown(_ what: String, _ name: String, of owner: String? = nil, at range: SourceRange, known: [String]) -> Diagnostic {
        let close = closestNames(to: name, in: known)
        let hint = close.isEmpty ? nil : "did you mean " + close.map { "'\($0)'" }.joined(separator: " or ") + "?"
        return Diagnostic("unknown \(what) '\(name)'" + (owner.map { " for \($0)" } ?? ""), at: range, hint: hint)
    }

    /// A value of the wrong kind for a parameter.
    public static func badValue(_ parameter: String, expected: String, at range: SourceRange) -> Diagnostic {
        Diagnostic("\(parameter) expects \(expected)", at: range)
    }

    /// The same diagnostic attached to another range, when it came without one.
    public func located(at range: SourceRange) -> Diagnostic {
        self.range == nil ? Diagnostic(message, at: range, hint: hint) : self
    }
}

/// Where a diagnostic came from and how it reads, for the renderers.
public struct LocatedDiagnostic: Sendable {
    public let diagnostic: Diagnostic
    public let source: SourceFile?
    public init(_ diagnostic: Diagnostic, in source: SourceFile?) {
        self.diagnostic = diagnostic
        self.source = source
    }

    /// 1-based line and column, when the diagnostic points into a source.
    public var location: (line: Int, column: Int)? {
        guard let source, let range = diagnostic.range else { return nil }
        return source.location(of: range.start)
    }

    /// `file:12:18: error: message`, the quoted line, a caret line, a hint.
    public func rendered(errorLabel: String = "error") -> String {
        guard let source, let range = diagnostic.range, let loc = location else {
            return "\(errorLabel): \(diagnostic.message)" + (diagnostic.hint.map { " (\($0))" } ?? "")
        }
        var out = "\(source.name):\(loc.line):\(loc.column): \(errorLabel): \(diagnostic.message)\n"
        let endLoc = source.location(of: range.end)
        let width = endLoc.line == loc.line ? max(1, endLoc.column - loc.column) : 1
        let (line, column, redactedWidth) = LocatedDiagnostic.redacted(source.lineText(loc.line), column: loc.column - 1, width: width)
        let shown = LocatedDiagnostic.window(line, column: column, width: redactedWidth)
        out += "  \(shown.text)\n"
        out += "  " + String(repeating: " ", count: shown.caret) + "^" + String(repeating: "~", count: shown.width - 1)
        if let hint = diagnostic.hint { out += "\n  \(hint)" }
        return out
    }
}

extension LocatedDiagnostic {
    /// Columns of a quoted line at most: a longer line (a minified JSON
    /// pasted into a script) is shown as a window around the spot, with `…`.
    static let windowColumns = 100

    /// `line` with connection strings' passwords replaced by `***`, and the
    /// caret's column and width moved to stay under the same text.
    static func redacted(_ line: String, column: Int, width: Int) -> (line: [Character], column: Int, width: Int) {
        let spans = ConnectionString.passwordSpans(line).map { span in
            (line.distance(from: line.startIndex, to: span.lowerBound), line.distance(from: line.startIndex, to: span.upperBound))
        }
        guard !spans.isEmpty else { return (Array(line), column, width) }
        let characters = Array(line)
        var out: [Character] = []
        var i = 0
        for (start, end) in spans {
            out += characters[i ..< start]
            out += "***"
            i = end
        }
        out += characters[i...]
        // a column inside a password goes to the start of its ***
        func moved(_ c: Int) -> Int {
            var shift = 0
            for (start, end) in spans {
                if c >= end { shift += end - start - 3 } else if c > start { return start - shift }
            }
            return c - shift
        }
        let newColumn = moved(column)
        return (out, newColumn, max(1, moved(column + width) - newColumn))
    }

    /// The part of `line` to quote, where the caret starts in it and how wide it is.
    static func window(_ line: [Character], column: Int, width: Int) -> (text: String, caret: Int, width: Int) {
        guard line.count > windowColumns else { return (String(line), column, width) }
        let start = max(0, min(column - windowColumns / 3, line.count - windowColumns))
        let end = min(line.count, start + windowColumns)
        let lead = start > 0 ? "…" : ""
        let text = lead + String(line[start ..< end]) + (end < line.count ? "…" : "")
        let caret = column - start + lead.count
        return (text, caret, max(1, min(width, end - column)))
    }
}

/// Names within a small edit distance of `name`, closest first.
func closestNames(to name: String, in known: [String]) -> [String] {
    let limit = max(1, (name.count + 2) / 3)
    let scored = known.map { ($0, editDistance(name.lowercased(), $0.lowercased())) }
        .filter { $0.1 <= limit || ($0.0.hasPrefix(name) && name.count >= 2) }
        .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
    return Array(scored.prefix(2).map(\.0))
}

/// Edit distance counting a swap of neighbours as one edit (optimal string
/// alignment), for "did you mean": "truht" is one slip from "truth".
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var beforePrevious = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0 ... b.count)
    var current = previous
    for i in 1 ... a.count {
        current[0] = i
        for j in 1 ... b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], beforePrevious[j - 2] + 1)
            }
        }
        (beforePrevious, previous, current) = (previous, current, beforePrevious)
    }
    return previous[b.count]
}
