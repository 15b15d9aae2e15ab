/// How numbers read in tables: grouped counts, percentages, fixed decimals.
public enum Format {
    /// 12,000
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// `1 document`, `12,000 documents`: the count and the words that agree
    /// with it (the singular for exactly one).
    static func count(_ n: Int, _ one: String, _ many: String) -> String {
        "\(count(n)) \(n == 1 ? one : many)"
    }

    /// `value` with exactly `digits` decimals (no Foundation formatter).
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0 ..< digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        if scaled >= 9e15 { return String(value) }
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard digits > 0 else { return sign + String(whole) }
        let fractionText = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }

    /// 42.5%
    static func percent(_ fraction: Double) -> String { fixed(fraction * 100, 1) + "%" }

    /// 0.41 s, 12.3 ms
    public static func seconds(_ s: Double) -> String {
        s < 0.01 ? fixed(s * 1000, 1) + " ms" : fixed(s, 2) + " s"
    }

    /// A metric value: 4 decimals, or grouped with 2 for large ones (Calinski-Harabasz).
    static func score(_ value: Double?) -> String {
        guard let value else { return "—" }
        return abs(value) >= 1000 ? groupedDecimal(value, 2) : fixed(value, 4)
    }

    /// 4,812.33
    static func groupedDecimal(_ value: Double, _ digits: Int) -> String {
        let text = fixed(value, digits)
        let parts = text.split(separator: ".", maxSplits: 1)
        guard let intPart = parts.first, let whole = Int(intPart) else { return text }
        return count(whole) + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// A bar of `fraction` of `width` cells, in eighths of a block.
    static func bar(_ fraction: Double, width: Int) -> String {
        let eighths = Int((max(0, min(1, fraction)) * Double(width * 8)).rounded())
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        return String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
    }
}

extension String {
    /// Columns the text takes on a terminal: two for East Asian wide and
    /// full-width characters and for emoji, one for the rest (what wcwidth
    /// gives, without the C locale's tables).
    var displayWidth: Int { reduce(0) { $0 + $1.displayWidth } }
}

extension Character {
    var displayWidth: Int {
        guard let first = unicodeScalars.first else { return 0 }
        if unicodeScalars.contains("\u{FE0F}") || first.properties.isEmojiPresentation { return 2 }
        switch first.value {
        case 0x1100 ... 0x115F, 0x2E80 ... 0x303E, 0x3041 ... 0x33FF, 0x3400 ... 0x4DBF, 0x4E00 ... 0x9FFF, 0xA000 ... 0xA4CF,
             0xAC00 ... 0xD7A3, 0xF900 ... 0xFAFF, 0xFE30 ... 0xFE4F, 0xFF00 ... 0xFF60, 0xFFE0 ... 0xFFE6,
             0x20000 ... 0x2FFFD, 0x30000 ... 0x3FFFD:
            return 2
        default:
            return first.properties.generalCategory == .control ? 0 : 1
        }
    }
}
