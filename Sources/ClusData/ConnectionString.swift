/// Connection strings as they may be shown: without their password.
public enum ConnectionString {
    /// `conninfo` with the password of a URI (`postgresql://user:secret@host`)
    /// and of `password=` (in a `key=value` string or a URI's query) replaced
    /// by `***`; any other text as it is.
    public static func redacted(_ text: String) -> String {
        var out = text
        for span in passwordSpans(text).reversed() {
            out.replaceSubrange(span, with: "***")
        }
        return out
    }

    /// Where passwords are in `text`: after `scheme://user:` up to `@`, and
    /// the value after `password=` (quoted with `'`, or up to a blank, `&` or a quote).
    public static func passwordSpans(_ text: String) -> [Range<String.Index>] {
        var spans: [Range<String.Index>] = []
        var search = text.startIndex
        while let scheme = text.firstRange(of: "://", from: search) {
            search = scheme.upperBound
            // the authority ends at the first '/', '?', '#', quote or blank; the user part at its last '@'
            let authorityEnd = text[scheme.upperBound...].firstIndex { "/?#\"' \t\n".contains($0) } ?? text.endIndex
            let authority = text[scheme.upperBound ..< authorityEnd]
            guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { continue }
            let start = text.index(after: colon)
            if start < at { spans.append(start ..< at) }
        }
        search = text.startIndex
        while let key = text.firstRange(of: "password", from: search, ignoringCase: true) {
            search = key.upperBound
            var i = key.upperBound
            while i < text.endIndex, text[i] == " " { i = text.index(after: i) }
            guard i < text.endIndex, text[i] == "=" else { continue }
            i = text.index(after: i)
            while i < text.endIndex, text[i] == " " { i = text.index(after: i) }
            let start = i
            if i < text.endIndex, text[i] == "'" {
                // quoted, `\'` escaping a quote; a quote right after the closing one (`'it''s'`) goes on
                while i < text.endIndex, text[i] == "'" {
                    i = text.index(after: i)
                    while i < text.endIndex, text[i] != "'" {
                        if text[i] == "\\" { i = text.index(after: i); if i == text.endIndex { break } }
                        i = text.index(after: i)
                    }
                    if i < text.endIndex { i = text.index(after: i) }
                }
            } else {
                while i < text.endIndex, !" \t\n&\"".contains(text[i]) { i = text.index(after: i) }
            }
            if start < i { spans.append(start ..< i) }
            search = i
        }
        return spans.sorted { $0.lowerBound < $1.lowerBound }
    }
}

extension String {
    /// Without the line break libpq ends its messages with.
    var trimmingNewlines: String {
        var s = Substring(self)
        while let c = s.last, c.isNewline || c == " " { s.removeLast() }
        return String(s)
    }

    /// The first occurrence of `needle` at or after `from`.
    func firstRange(of needle: String, from: Index, ignoringCase: Bool = false) -> Range<Index>? {
        let target = Array(needle.utf8)
        let bytes = Array(utf8)
        var i = utf8.distance(from: startIndex, to: from)
        while i + target.count <= bytes.count {
            var match = true
            for (j, b) in target.enumerated() {
                let a = bytes[i + j]
                let equal = ignoringCase ? (a | 0x20) == (b | 0x20) : a == b
                if !equal { match = false; break }
            }
            if match {
                let lower = utf8.index(startIndex, offsetBy: i), upper = utf8.index(lower, offsetBy: target.count)
                // only at character boundaries
                if lower.samePosition(in: self) != nil, upper.samePosition(in: self) != nil { return lower ..< upper }
            }
            i += 1
        }
        return nil
    }
}
