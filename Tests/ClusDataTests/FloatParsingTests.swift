import Testing
@testable import ClusData

/// The vector reader's Float parsing against Swift's `Float(String)`, which
/// rounds exactly: random and edge-case inputs must agree bit for bit.
@Suite struct FloatParsingTests {
    static func parse(_ text: String) -> Float? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            var s = JSONScanner(text: buffer, start: 0, end: buffer.count, regionName: "line")
            guard let token = try? s.scanNumber(), s.atEnd else { return nil }
            return s.float(token)
        }
    }

    /// The one-pass vector parser's value.
    static func scan(_ text: String) -> Float? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            var s = JSONScanner(text: buffer, start: 0, end: buffer.count, regionName: "line")
            guard let (value, _, _) = try? s.scanFloat(), s.atEnd else { return nil }
            return value
        }
    }

    static func check(_ text: String) {
        let expected = Float(text).flatMap { $0.isFinite ? $0 : nil }
        let actual = parse(text), scanned = scan(text)
        #expect(actual?.bitPattern == expected?.bitPattern, "\(text): \(String(describing: actual)) vs \(String(describing: expected))")
        #expect(scanned?.bitPattern == expected?.bitPattern, "\(text): \(String(describing: scanned)) vs \(String(describing: expected))")
    }

    @Test func edgeCases() {
        for text in [
            "0", "-0", "0.0", "-0.0", "1", "-1", "0.1", "0.5", "1e0", "1E+2", "1e-2", "16777216", "16777217", "16777219",
            "3.4028234e38", "3.4028235e38", "3.40282357e38", "3.4028236e38", "1e39", "-1e39",
            "1.17549435e-38", "1.1754942e-38", "1e-45", "1.4e-45", "7e-46", "1e-46", "1e-50",
            // halfway between 1 and the next Float, and just either side
            "1.000000059604644775390625", "1.0000000596046447", "1.0000000596046448", "1.00000005960464477",
            "1.000000178813934326171875", "0.30000001192092896", "9007199254740993", "9007199254740992e-22",
            "123456789012345678", "1234567890123456789", "12345678901234567890", "0.000000000000000000000000001",
            // Short decimals whose nearest Double is a Float midpoint (but
            // they are not): rounding through Double would be wrong.
            "8.474339008331299", "742.9477233886719", "5.725787401199341", "559.7419128417969",
            "8.59684133529663", "-696.2847595214844",
            "1e22", "1e23", "1e-22", "1e-23", "4.7019774e-38", "2.3509887e-38",
        ] { FloatParsingTests.check(text) }
    }

    @Test func randomFloatsInShortestAndLongerForms() {
        var rng = SplitMix(seed: 42)
        for _ in 0 ..< 200_000 {
            let bits = UInt32(truncatingIfNeeded: rng.next())
            let f = Float(bitPattern: bits)
            guard f.isFinite else { continue }
            FloatParsingTests.check(f.description)
            FloatParsingTests.check(Double(f).description)
            FloatParsingTests.check(String(Double(f) * (1 + Double(rng.next() % 1000) * 1e-10)))
        }
    }

    @Test func randomDecimalStrings() {
        var rng = SplitMix(seed: 7)
        for _ in 0 ..< 200_000 {
            let digits = Int(rng.next() % 20) + 1
            var text = rng.next() % 2 == 0 ? "-" : ""
            text += String(rng.next() % 9 + 1)
            for _ in 1 ..< digits { text += String(rng.next() % 10) }
            let point = Int(rng.next() % UInt64(digits + 1))
            if point > 0 && point < digits {
                text.insert(".", at: text.index(text.endIndex, offsetBy: -point))
            }
            if rng.next() % 3 == 0 { text += "e" + String(Int(rng.next() % 90) - 45) }
            FloatParsingTests.check(text)
        }
    }
}

