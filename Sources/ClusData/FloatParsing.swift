/// Decimal to binary floating point, correctly rounded (to nearest, ties to
/// even), from the digits a number scanner has already collected: up to 19
/// significant digits as an integer `w` and a power of ten `q`, the value
/// being w·10^q.
///
/// Written by hand rather than calling `strtof` or `Float(String)`: vectors
/// are millions of numbers, and those need a C string per number and take
/// a slow big-number path for 17-digit input (what `json.dumps` writes for
/// float32 data), several times slower than the whole rest of the parse.
/// This is Clinger's fast path where one IEEE operation is exact, else the
/// Eisel–Lemire algorithm as in fast_float (Lemire, "Number Parsing at a
/// Gigabyte per Second", 2021; Mushtak and Lemire, "Fast number parsing
/// without fallback", 2023): one or two 64×64→128-bit products with a
/// truncated power of five give the correctly rounded result for any
/// w < 2^64, with no fallback.
enum FloatParsing {
    /// The IEEE binary format to round to.
    struct Format {
        let mantissaBits: Int
        let minimumExponent: Int
        let infinitePower: Int
        /// Below: zero for any w; above: infinity.
        let smallestPowerOfTen: Int
        let largestPowerOfTen: Int
        /// Outside this range of q, w·10^q cannot lie exactly halfway.
        let minRoundToEven: Int
        let maxRoundToEven: Int

        static let float = Format(mantissaBits: 23, minimumExponent: -127, infinitePower: 0xFF,
                                  smallestPowerOfTen: -64, largestPowerOfTen: 38, minRoundToEven: -17, maxRoundToEven: 10)
        static let double = Format(mantissaBits: 52, minimumExponent: -1023, infinitePower: 0x7FF,
                                   smallestPowerOfTen: -342, largestPowerOfTen: 308, minRoundToEven: -4, maxRoundToEven: 23)
    }

    /// w·10^q as Float32 (w < 2^64, exact); infinity when it overflows.
    @inline(__always)
    static func float(_ w: UInt64, _ q: Int, negative: Bool) -> Float {
        let magnitude: Float
        if w <= 1 << 24 && q >= -10 && q <= 10 {
            // Clinger: w and 10^|q| are exact Floats, one operation rounds once.
            let x = Float(w)
            magnitude = q < 0 ? x / floatPowersOfTen[-q] : x * floatPowersOfTen[q]
        } else {
            magnitude = Float(bitPattern: UInt32(truncatingIfNeeded: eiselLemire(w, q, .float)))
        }
        return negative ? -magnitude : magnitude
    }

    /// w·10^q as Double (w < 2^64, exact); infinity when it overflows.
    @inline(__always)
    static func double(_ w: UInt64, _ q: Int, negative: Bool) -> Double {
        let magnitude: Double
        if w <= 1 << 53 && q >= -22 && q <= 22 {
            let x = Double(w)
            magnitude = q < 0 ? x / doublePowersOfTen[-q] : x * doublePowersOfTen[q]
        } else {
            magnitude = Double(bitPattern: eiselLemire(w, q, .double))
        }
        return negative ? -magnitude : magnitude
    }

    /// A number whose digits were cut after the 19th: w·10^q and (w+1)·10^q
    /// bracket it, so when both round to the same Float that is its value;
    /// nil when they differ (rare: the caller asks `strtof`).
    @inline(__always)
    static func truncatedFloat(_ w: UInt64, _ q: Int, negative: Bool) -> Float? {
        let low = float(w, q, negative: negative), high = float(w + 1, q, negative: negative)
        return low == high ? low : nil
    }

    /// As `truncatedFloat`, for Double.
    @inline(__always)
    static func truncatedDouble(_ w: UInt64, _ q: Int, negative: Bool) -> Double? {
        let low = double(w, q, negative: negative), high = double(w + 1, q, negative: negative)
        return low == high ? low : nil
    }

    /// The bits (sign clear) of w·10^q correctly rounded to `format`; w > 0.
    @inline(__always)
    static func eiselLemire(_ w: UInt64, _ q: Int, _ format: Format) -> UInt64 {
        let mantissaBits = format.mantissaBits
        if w == 0 || q < format.smallestPowerOfTen { return 0 }
        if q > format.largestPowerOfTen { return UInt64(format.infinitePower) << mantissaBits }
        let lz = w.leadingZeroBitCount
        let x = w &<< lz
        // w·5^q to 128 bits; the second half of the power only when the
        // first product leaves the rounding undecided.
        let index = 2 * (q - PowersOfFive.smallest)
        var (high, low) = x.multipliedFullWidth(by: PowersOfFive.table[index])
        let precisionMask = UInt64.max &>> (mantissaBits + 3)
        if high & precisionMask == precisionMask {
            let second = x.multipliedFullWidth(by: PowersOfFive.table[index + 1]).high
            let (sum, carry) = low.addingReportingOverflow(second)
            low = sum
            if carry { high &+= 1 }
        }
        let upperBit = Int(high &>> 63)
        let shift = upperBit + 64 - mantissaBits - 3
        var mantissa = high &>> shift
        // floor(log2(10^q)) + 63, for the product's binary exponent
        var power2 = (((152170 + 65536) * q) >> 16) + 63 + upperBit - lz - format.minimumExponent
        if power2 <= 0 {   // subnormal (never exactly halfway: that takes more than 19 digits)
            if -power2 + 1 >= 64 { return 0 }
            mantissa &>>= -power2 + 1
            mantissa += mantissa & 1
            mantissa &>>= 1
            power2 = mantissa < UInt64(1) << mantissaBits ? 0 : 1
            return UInt64(power2) << mantissaBits | mantissa
        }
        // Exactly halfway between two values: round to even, not up.
        if low <= 1 && q >= format.minRoundToEven && q <= format.maxRoundToEven && mantissa & 3 == 1
            && mantissa &<< shift == high {
            mantissa &= ~1
        }
        mantissa += mantissa & 1
        mantissa &>>= 1
        if mantissa >= UInt64(2) << mantissaBits {
            mantissa = UInt64(1) << mantissaBits
            power2 += 1
        }
        mantissa &= ~(UInt64(1) << mantissaBits)
        if power2 >= format.infinitePower { return UInt64(format.infinitePower) << mantissaBits }
        return UInt64(power2) << mantissaBits | mantissa
    }

    private static let floatPowersOfTen: [Float] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10]
    private static let doublePowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
