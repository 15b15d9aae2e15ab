import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import ClusData

/// The vector reader's numbers (`JSONScanner.scanFloat`, Eisel–Lemire in
/// `FloatParsing`) against the C library's `strtof`, computed here for each
/// input: every result must be the same Float32, bit for bit, and the
/// "changed by storing as Float32" flag must agree with `strtod`.
@Suite struct FloatRoundingTests {
    /// What `strtof` makes of `text`; nil when it overflows (the reader's
    /// convention: such a number is no usable vector element).
    func reference(_ text: String) -> Float? {
        let f = text.withCString { strtof($0, nil) }
        return f.isFinite ? f : nil
    }

    func scanned(_ text: String) -> (value: Float?, changed: Bool)? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            var s = JSONScanner(text: buffer, start: 0, end: buffer.count, regionName: "line")
            guard let (value, _, changed) = try? s.scanFloat(), s.atEnd else { return nil }
            return (value, changed)
        }
    }

    /// Significant digits from the first non-zero one to the last non-zero one.
    func significantDigits(_ text: String) -> Int {
        let mantissa = text.prefix { $0 != "e" && $0 != "E" }.filter(\.isNumber)
        let trimmed = mantissa.drop { $0 == "0" }
        return trimmed.count - trimmed.reversed().prefix { $0 == "0" }.count
    }

    /// Counts disagreements (reported for the first few).
    func check(_ text: String, failures: inout Int) {
        let expected = reference(text)
        guard let (value, changed) = scanned(text) else {
            failures += 1
            if failures <= 5 { Issue.record("\(text): not scanned") }
            return
        }
        var expectedChanged = false
        if significantDigits(text) > 9 {
            expectedChanged = expected.map { Double($0) != text.withCString { strtod($0, nil) } } ?? true
        }
        if value?.bitPattern != expected?.bitPattern || (expected != nil && changed != expectedChanged) {
            failures += 1
            if failures <= 5 {
                Issue.record("\(text): \(String(describing: value)) changed=\(changed), strtof \(String(describing: expected)) changed=\(expectedChanged)")
            }
        }
    }

    /// `x` printed by C's `%.*e` with `digits` significant digits (glibc prints exactly).
    func printed(_ x: Double, digits: Int) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        _ = withVaList([Int32(digits - 1), x]) { vsnprintf(&buffer, buffer.count, "%.*e", $0) }
        return String(cString: buffer)
    }

    /// The decimal text `mantissa` (digits with one point, `e` exponent) with
    /// its last mantissa digit raised by one.
    func nudgedUp(_ text: String) -> String {
        var chars = Array(text)
        var i = chars.firstIndex { $0 == "e" } ?? chars.count
        while i > 0 {
            i -= 1
            guard let d = chars[i].wholeNumberValue else { continue }
            if d < 9 { chars[i] = Character(String(d + 1)); return String(chars) }
            chars[i] = "0"
        }
        return "1" + String(chars)
    }

    @Test func edgeCases() {
        var failures = 0
        let maxFloat = Double(Float.greatestFiniteMagnitude)
        let aboveMax = maxFloat + Double(Float.greatestFiniteMagnitude.ulp) / 2   // the overflow threshold
        for text in [
            "0", "-0", "0.0", "-0.0", "0e999999", "-0e-999999", "0.000000000000000000000000000000",
            "1e-46", "1e39", "-1e39", "1e-400", "1e400", "-1e-400", "1e-45", "1.4e-45", "1.401298464324817e-45",
            "7.006492321624085e-46", "7.006492321624086e-46", "7.0064923216240862e-46", "7.00649232162408535461864791644958065640130970938257885878534141944895541342930300743319094181060791015625e-46",
            "1.1754942e-38", "1.17549435e-38", "1.1754943508222875e-38", "1.1754942106924411e-38",
            "3.4028234663852886e38", "3.4028235e38", "3.40282356e38", "3.4028235677973366e38",
            printed(aboveMax, digits: 40), nudgedUp(printed(aboveMax, digits: 40)), printed(aboveMax.nextDown, digits: 30),
            "0.00000000000000000000000000001234567890123456789012345",
            "000", "00.5", "-01",   // leading zeros are errors, not numbers: both sides nil
            "123456789012345678901234567890", "1.23456789012345678901234567890e-30", "9999999999999999999999999999.9",
            "4.9406564584124654e-324", "2.2250738585072014e-308", "1.7976931348623157e308", "1e-64", "1e-65", "1e38", "9.9999999e37",
        ] {
            guard text.first != "0" || text.count == 1 || text.dropFirst().first == "." || text.dropFirst().first == "e" else {
                #expect(scanned(text) == nil, "\(text) has leading zeros")
                continue
            }
            if text.hasPrefix("-0") && text.count > 2 && text.dropFirst(2).first?.isNumber == true {
                #expect(scanned(text) == nil, "\(text) has leading zeros")
                continue
            }
            check(text, failures: &failures)
        }
        // The smallest subnormal, below it, and the halfway point to zero.
        let smallest = Double(Float.leastNonzeroMagnitude)
        for x in [smallest, smallest / 2, smallest / 2 * (1 + 1e-15), smallest / 2 * (1 - 1e-15), smallest / 4] {
            for digits in [9, 17, 25, 30, 120] { check(printed(x, digits: digits), failures: &failures) }
        }
        #expect(failures == 0)
    }

    /// Exact decimal midpoints between neighbouring Float32s (normal and
    /// subnormal), and the midpoint cut to 30 digits and nudged up by one in
    /// the 30th: strtof rounds them to even, down and up.
    @Test func halfwayCases() {
        var rng = SplitMix(seed: 16)
        var failures = 0
        for _ in 0 ..< 30_000 {
            let bits = UInt32(truncatingIfNeeded: rng.next()) & 0x7FFF_FFFF
            let f = Float(bitPattern: bits)
            guard f.isFinite, f.nextUp.isFinite else { continue }
            let midpoint = (Double(f) + Double(f.nextUp)) / 2   // exact in Double
            let exact = printed(midpoint, digits: 160)
            let cut = printed(midpoint, digits: 30)
            for text in [exact, "-" + exact, cut, nudgedUp(cut), printed(midpoint, digits: 17), printed(midpoint, digits: 9)] {
                check(text, failures: &failures)
            }
        }
        #expect(failures == 0)
    }

    /// Random Float32s printed with 6 to 17 and 20 to 30 significant digits,
    /// and random digit strings with random exponents across the range.
    @Test func randomAgainstStrtof() {
        var rng = SplitMix(seed: 1_000_003)
        var failures = 0
        for i in 0 ..< 600_000 {
            let bits = UInt32(truncatingIfNeeded: rng.next())
            let f = Float(bitPattern: bits)
            guard f.isFinite else { continue }
            let digits = i % 2 == 0 ? 6 + Int(rng.next() % 12) : 20 + Int(rng.next() % 11)
            check(printed(Double(f), digits: digits), failures: &failures)
        }
        for _ in 0 ..< 400_000 {
            let count = Int(rng.next() % 30) + 1
            var text = rng.next() % 2 == 0 ? "-" : ""
            text += String(rng.next() % 9 + 1)
            for _ in 1 ..< count { text += String(rng.next() % 10) }
            let point = Int(rng.next() % UInt64(count + 1))
            if point > 0 && point < count {
                text.insert(".", at: text.index(text.endIndex, offsetBy: -point))
            }
            text += "e" + String(Int(rng.next() % 110) - 70)
            check(text, failures: &failures)
        }
        #expect(failures == 0)
    }
}
