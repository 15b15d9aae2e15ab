/// A syntax error at a byte offset of the scanned text.
struct ScanError: Error {
    let offset: Int
    let message: String
}

/// A JSON number's text, checked against the grammar.
struct NumberToken {
    let range: Range<Int>
    /// No fraction and no exponent.
    let isInteger: Bool
}

/// A byte-level JSON scanner over one region of a file (a line of JSON
/// Lines, or the whole file), strict to RFC 8259: no comments, no trailing
/// commas, no NaN, strings valid UTF-8.
///
/// The caller drives it value by value (`DocumentReader`), so documents are
/// flattened into columns without building a tree.
struct JSONScanner {
    /// The whole file; the region is `position..<end`.
    let text: UnsafeBufferPointer<UInt8>
    var position: Int
    let end: Int
    /// Named in errors when the region runs out: "line" or "file".
    let regionName: String

    private static let maxDepth = 512

    init(text: UnsafeBufferPointer<UInt8>, start: Int, end: Int, regionName: String) {
        self.text = text
        self.position = start
        self.end = end
        self.regionName = regionName
    }

    var atEnd: Bool { position >= end }

    /// The current byte, or 0 at the end of the region.
    @inline(__always) var byte: UInt8 { position < end ? text[position] : 0 }

    mutating func skipWhitespace() {
        while position < end {
            switch text[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// An error saying what was expected and what is here instead.
    func expected(_ what: String) -> ScanError {
        ScanError(offset: position, message: "expected \(what), found \(foundDescription)")
    }

    /// The current byte for a message: `'x'`, `byte 0xC3`, or `end of line`.
    var foundDescription: String {
        guard position < end else { return "end of \(regionName)" }
        let b = text[position]
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return hexByte(b)
    }

    private func hexByte(_ b: UInt8) -> String {
        let hex = String(b, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
    }

    /// Consumes `b` or throws `expected(what)`.
    mutating func consume(_ b: UInt8, else what: String) throws(ScanError) {
        guard position < end && text[position] == b else { throw expected(what) }
        position += 1
    }

    // MARK: Strings

    /// Reads a string at the opening quote, decoding escapes.
    mutating func readString() throws(ScanError) -> String {
        let open = position
        position += 1
        var segmentStart = position
        var scratch: [UInt8] = []
        var escaped = false
        while true {
            guard position < end else {
                throw ScanError(offset: open, message: "unterminated string")
            }
            let b = text[position]
            if b == UInt8(ascii: "\"") {
                let segment = UnsafeBufferPointer(rebasing: text[segmentStart..<position])
                position += 1
                if !escaped { return String(decoding: segment, as: UTF8.self) }
                scratch.append(contentsOf: segment)
                return String(decoding: scratch, as: UTF8.self)
            } else if b == UInt8(ascii: "\\") {
                escaped = true
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: text[segmentStart..<position]))
                try readEscape(into: &scratch)
                segmentStart = position
            } else if b < 0x20 {
                throw ScanError(offset: position, message: "control character \(hexByte(b)) in a string must be escaped")
            } else if b < 0x80 {
                position += 1
            } else {
                try skipUTF8Sequence()
            }
        }
    }

    /// Decodes the escape at the backslash, appending its UTF-8.
    private mutating func readEscape(into out: inout [UInt8]) throws(ScanError) {
        let start = position
        position += 1
        guard position < end else { throw ScanError(offset: start, message: "unterminated escape sequence") }
        let c = text[position]
        position += 1
        switch c {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var value = try readHex4(escapeStart: start)
            if (0xDC00...0xDFFF).contains(value) {
                throw ScanError(offset: start, message: "unpaired low surrogate in \\u escape")
            }
            if (0xD800...0xDBFF).contains(value) {
                let low = position
                guard position + 1 < end, text[position] == UInt8(ascii: "\\"), text[position + 1] == UInt8(ascii: "u") else {
                    throw ScanError(offset: start, message: "unpaired high surrogate in \\u escape")
                }
                position += 2
                let second = try readHex4(escapeStart: low)
                guard (0xDC00...0xDFFF).contains(second) else {
                    throw ScanError(offset: start, message: "unpaired high surrogate in \\u escape")
                }
                value = 0x10000 + ((value - 0xD800) << 10) + (second - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw ScanError(offset: start, message: "invalid \\u escape")
            }
            out.append(contentsOf: UTF8.encode(scalar)!)
        default:
            position = start
            throw ScanError(offset: start + 1, message: "invalid escape '\\\(Character(Unicode.Scalar(c)))'")
        }
    }

    private mutating func readHex4(escapeStart: Int) throws(ScanError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < end, let digit = JSONScanner.hexValue(text[position]) else {
                throw ScanError(offset: escapeStart, message: "\\u escape needs four hex digits")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Steps over one well-formed multi-byte UTF-8 sequence (Unicode table 3-7).
    private mutating func skipUTF8Sequence() throws(ScanError) {
        let lead = text[position]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF   // bounds of the second byte
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw ScanError(offset: position, message: "invalid UTF-8 (\(hexByte(lead)))")
        }
        for i in 1..<length {
            let p = position + i
            let lo = i == 1 ? low : 0x80, hi = i == 1 ? high : 0xBF
            guard p < end, text[p] >= lo, text[p] <= hi else {
                throw ScanError(offset: p, message: p < end ? "invalid UTF-8 (\(hexByte(text[p])))" : "invalid UTF-8 (truncated sequence)")
            }
        }
        position += length
    }

    // MARK: Numbers

    /// Checks a number's text at the current position and steps over it.
    mutating func scanNumber() throws(ScanError) -> NumberToken {
        let start = position
        var isInteger = true
        if byte == UInt8(ascii: "-") { position += 1 }
        switch byte {
        case UInt8(ascii: "0"):
            position += 1
            if isDigit(byte) { throw ScanError(offset: start, message: "numbers cannot have leading zeros") }
        case UInt8(ascii: "1")...UInt8(ascii: "9"):
            while isDigit(byte) { position += 1 }
        default:
            throw expected("a digit")
        }
        if byte == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard isDigit(byte) else { throw expected("a digit after '.'") }
            while isDigit(byte) { position += 1 }
        }
        if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") { position += 1 }
            guard isDigit(byte) else { throw expected("a digit in the exponent") }
            while isDigit(byte) { position += 1 }
        }
        return NumberToken(range: start..<position, isInteger: isInteger)
    }

    @inline(__always) private func isDigit(_ b: UInt8) -> Bool {
        b &- UInt8(ascii: "0") < 10
    }

    /// The token's text (for labels, and exact conversion).
    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: text[range]), as: UTF8.self)
    }

    /// A number as an `.int` when integral and in range, else `.double`.
    func fieldValue(_ token: NumberToken) -> FieldValue {
        if token.isInteger, let i = integer(token.range) { return .int(i) }
        return .double(Double(string(token.range)) ?? .nan)
    }

    /// The integer in `range`, or nil when it overflows `Int`.
    private func integer(_ range: Range<Int>) -> Int? {
        var i = range.lowerBound
        let negative = text[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var value = 0
        while i < range.upperBound {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let digit = Int(text[i] &- UInt8(ascii: "0"))
            let (s, o2) = negative ? m.subtractingReportingOverflow(digit) : m.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = s
            i += 1
        }
        return value
    }

    /// A number as Float32, rounded once from its decimal text (exactly as
    /// `strtof`); nil when it overflows Float32.
    func float(_ token: NumberToken) -> Float? {
        var s = JSONScanner(text: text, start: token.range.lowerBound, end: token.range.upperBound, regionName: regionName)
        return (try? s.scanFloat())?.value
    }

    /// `scanNumber` and `float` in one pass over the text, for vectors:
    /// the Float32 (nil when it overflows), the token, and whether storing
    /// it as Float32 changed it: more than 9 significant digits (what Float32
    /// keeps) whose value, as a Double, is not exactly a Float32's. A Float32
    /// written out through a Double (`.tolist()` then `json.dumps`:
    /// 0.10000000149011612) loses nothing, and is not counted.
    mutating func scanFloat() throws(ScanError) -> (value: Float?, token: NumberToken, changed: Bool) {
        let start = position
        var isInteger = true
        let negative = byte == UInt8(ascii: "-")
        if negative { position += 1 }
        var w: UInt64 = 0      // the first 19 digits from the first non-zero one
        var count = 0          // digits from the first non-zero one
        var exponent = 0       // the value is w·10^exponent (and the cut digits)
        var truncated = false  // a non-zero digit after the 19th was cut
        switch byte {
        case UInt8(ascii: "0"):
            position += 1
            if isDigit(byte) { throw ScanError(offset: start, message: "numbers cannot have leading zeros") }
        case UInt8(ascii: "1")...UInt8(ascii: "9"):
            while position < end, case let d = text[position] &- UInt8(ascii: "0"), d < 10 {
                count += 1
                if count <= 19 { w = w &* 10 &+ UInt64(d) } else { exponent += 1; truncated = truncated || d != 0 }
                position += 1
            }
        default:
            throw expected("a digit")
        }
        if byte == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard isDigit(byte) else { throw expected("a digit after '.'") }
            if count == 0 {   // 0.000…: zeros before the first significant digit
                while position < end && text[position] == UInt8(ascii: "0") { exponent -= 1; position += 1 }
            }
            // up to eight digits at a time while they fit in w (SWAR)
            while position + 8 <= end {
                let eight = loadEight(position)
                let n = JSONScanner.leadingDigits(eight)
                guard n > 0 && count + n <= 19 else { break }
                // the n digits last, '0's before them: their value
                let padded = n == 8 ? eight : eight &<< (8 * (8 - n)) | 0x3030_3030_3030_3030 &>> (8 * n)
                w = w &* JSONScanner.powersOfTen[n] &+ JSONScanner.eightDigitsValue(padded)
                count += n
                exponent -= n
                position += n
                if n < 8 { break }
            }
            while position < end, case let d = text[position] &- UInt8(ascii: "0"), d < 10 {
                if count > 0 || d != 0 { count += 1 }
                if count <= 19 { w = w &* 10 &+ UInt64(d); exponent -= 1 } else { truncated = truncated || d != 0 }
                position += 1
            }
        }
        if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            var negativeExponent = false
            if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                negativeExponent = byte == UInt8(ascii: "-")
                position += 1
            }
            guard isDigit(byte) else { throw expected("a digit in the exponent") }
            var e = 0
            while position < end, case let d = text[position] &- UInt8(ascii: "0"), d < 10 {
                if e < 100_000 { e = e * 10 + Int(d) }
                position += 1
            }
            exponent += negativeExponent ? -e : e
        }
        let token = NumberToken(range: start..<position, isInteger: isInteger)
        if w == 0 { return (negative ? -0.0 : 0, token, false) }
        guard truncated || JSONScanner.moreThanNineDigits(w) else {
            let f = FloatParsing.float(w, exponent, negative: negative)
            return (f.isFinite ? f : nil, token, false)
        }
        // More digits than Float32 keeps: the correctly rounded Double says
        // whether storing changes the value, and gives the Float32 by a second
        // rounding, which is exact unless the Double sits on a Float32 midpoint
        // or below the normal range (then Eisel–Lemire for Float32).
        let d = truncated ? FloatParsing.truncatedDouble(w, exponent, negative: negative) ?? Double(string(token.range))!
                          : FloatParsing.double(w, exponent, negative: negative)
        var f: Float
        if abs(d) >= 1.1754943508222875e-38 && d.bitPattern & 0x1FFF_FFFF != 0x1000_0000 {
            f = Float(d)
        } else {
            f = truncated ? FloatParsing.truncatedFloat(w, exponent, negative: negative) ?? Float(string(token.range))!
                          : FloatParsing.float(w, exponent, negative: negative)
        }
        guard f.isFinite else { return (nil, token, true) }
        return (f, token, Double(f) != d)
    }

    /// The 8 bytes at `i` (little-endian), `i + 8 <= end`.
    @inline(__always) private func loadEight(_ i: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(text.baseAddress! + i).loadUnaligned(as: UInt64.self))
    }

    /// How many of the 8 bytes, from the first, are ASCII digits (fast_float's
    /// test, per byte: the first non-digit's flag is exact, as no borrow or
    /// carry comes from the digits before it).
    @inline(__always) private static func leadingDigits(_ v: UInt64) -> Int {
        let nonDigits = ((v &+ 0x4646_4646_4646_4646) | (v &- 0x3030_3030_3030_3030)) & 0x8080_8080_8080_8080
        return nonDigits.trailingZeroBitCount &>> 3
    }

    private static let powersOfTen: [UInt64] = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]

    /// The value of 8 ASCII digits, first digit in the low byte (SWAR, as fast_float).
    @inline(__always) private static func eightDigitsValue(_ v: UInt64) -> UInt64 {
        var v = v &- 0x3030_3030_3030_3030
        v = v &* 10 &+ (v &>> 8)
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        return ((v & mask) &* 0x000F_4240_0000_0064 &+ ((v &>> 16) & mask) &* 0x0000_2710_0000_0001) &>> 32
    }

    /// Whether `w` has more than 9 significant digits (trailing zeros aside).
    @inline(__always) private static func moreThanNineDigits(_ w: UInt64) -> Bool {
        guard w >= 1_000_000_000 else { return false }
        var m = w
        while m % 10 == 0 { m /= 10 }
        return m >= 1_000_000_000
    }

    // MARK: Other values

    /// Steps over `true`, `false` or `null`, returning its value.
    mutating func readLiteral() throws(ScanError) -> FieldValue {
        for (word, value) in [("true", FieldValue.bool(true)), ("false", .bool(false)), ("null", .null)]
        where word.utf8.first == byte {
            let bytes = Array(word.utf8)
            guard position + bytes.count <= end,
                  bytes.indices.allSatisfy({ text[position + $0] == bytes[$0] })
            else { throw ScanError(offset: position, message: "invalid literal; expected '\(word)'") }
            position += bytes.count
            return value
        }
        throw expected("a value")
    }

    /// Checks any value and steps over it.
    mutating func skipValue(depth: Int = 0) throws(ScanError) {
        guard depth < JSONScanner.maxDepth else {
            throw ScanError(offset: position, message: "nesting deeper than \(JSONScanner.maxDepth) levels")
        }
        switch byte {
        case UInt8(ascii: "\""): _ = try readString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try scanNumber()
        case UInt8(ascii: "{"):
            position += 1
            skipWhitespace()
            if byte == UInt8(ascii: "}") { position += 1; return }
            while true {
                try readKey()
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                if try endOfMember(close: UInt8(ascii: "}"), what: "',' or '}' after a field") { return }
            }
        case UInt8(ascii: "["):
            position += 1
            skipWhitespace()
            if byte == UInt8(ascii: "]") { position += 1; return }
            while true {
                try skipValue(depth: depth + 1)
                skipWhitespace()
                if try endOfMember(close: UInt8(ascii: "]"), what: "',' or ']' in an array") { return }
                skipWhitespace()
            }
        default:
            _ = try readLiteral()
        }
    }

    /// Reads `"key"` and the colon after it (whitespace before the key skipped).
    @discardableResult
    mutating func readKey() throws(ScanError) -> String {
        skipWhitespace()
        guard byte == UInt8(ascii: "\"") else {
            throw expected("a field name in double quotes")
        }
        let key = try readString()
        skipWhitespace()
        try consume(UInt8(ascii: ":"), else: "':' after the field name")
        return key
    }

    /// After a member: true at the closing bracket (consumed), false after a
    /// comma (consumed); a comma followed by the closing bracket is an error.
    mutating func endOfMember(close: UInt8, what: String) throws(ScanError) -> Bool {
        if byte == close { position += 1; return true }
        guard byte == UInt8(ascii: ",") else { throw expected(what) }
        let comma = position
        position += 1
        skipWhitespace()
        if byte == close {
            throw ScanError(offset: comma, message: "trailing comma before '\(Character(Unicode.Scalar(close)))'")
        }
        return false
    }
}
