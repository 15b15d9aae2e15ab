import CGramKernel
#if canImport(Glibc)
import Glibc
#endif

// Yinyang's full scan from rounded products (RoundedKernel.c, Int16Kernel.c):
// the documents and the centres, less the documents' mean (distances do not
// change, and the lengths that bound the rounding error shrink), rounded to
// bfloat16 (8 significant bits; CPUs with AVX512_BF16) or scaled by a power
// of two and rounded to int16 (AVX2, or AVX512_VNNI), whichever kernel times
// faster on the CPU. A product x̃·c̃ of the rounded vectors
// (as real vectors) differs from (x − m)·(c − m) by at most
// |x̃||c − m − c̃| + |x − m − x̃||c̃| + |x − m − x̃||c − m − c̃| plus its
// arithmetic's γ |x̃||c̃|: the lengths of what rounding left out are measured,
// per document once and per centre each pass. A centre is a candidate when
// its lower bound comes within the Float kernel's rounding of the lowest
// upper bound; the candidates are scored again in Float, so the labels are
// exactly the Float kernel's.

/// How Yinyang's full scan starts: from rounded products in the best format
/// the CPU has (timed on the first pass against the Float scans), in a given
/// format (untimed; tests and benchmarks), or in Float only.
enum RoundedScan: Sendable, Equatable {
    case automatic, off, bfloat16, int16

    /// The format asked for, if this CPU has it (NONE otherwise).
    var format: Int32 {
        let asked: Int32 = switch self {
        case .automatic: Int32(clus_rounded_best_format())
        case .off: Int32(CLUS_ROUNDED_NONE)
        case .bfloat16: Int32(CLUS_ROUNDED_BFLOAT16)
        case .int16: Int32(CLUS_ROUNDED_INT16)
        }
        return asked != Int32(CLUS_ROUNDED_NONE) && clus_rounded_supports(asked) != 0 ? asked : Int32(CLUS_ROUNDED_NONE)
    }
}

/// The documents less their mean, rounded once per run, with the lengths
/// that bound the rounding's effect.
final class RoundedRows {
    /// The documents' mean, in Float: subtracted from documents and centres alike.
    let origin: [Float]
    /// The rounded rows and their lengths, owned here.
    let view: RoundedRowsView

    /// Nil when the CPU has not the format (`RoundedScan.format`), when the
    /// copy would take more than an eighth of the machine's memory, or when a
    /// document's lengths are not finite (the Float scan handles those).
    ///
    /// - Complexity: O(n · d), spread over the threads.
    init?(rows: RowMatrix, plan: ChunkPlan, parallelism: Parallelism, format: Int32) {
        let n = rows.count, d = rows.dimension
        guard n > 0, d > 0, format != Int32(CLUS_ROUNDED_NONE) else { return nil }
        let length = Int(clus_rounded_row_length(Int32(d)))
        let pages = Int(sysconf(Int32(_SC_PHYS_PAGES))), size = Int(sysconf(Int32(_SC_PAGESIZE)))
        let memory = pages > 0 && size > 0 ? saturatingProduct(pages, size) : 1 << 30
        guard saturatingProduct(n, length, 2) <= memory / 8 else { return nil }
        // The mean by chunk, reduced in chunk order (the same on any thread count).
        var partial = [Double](repeating: 0, count: plan.chunks * d)
        partial.withUnsafeMutableBufferPointer { out in
            guard let base = out.baseAddress else { return }
            parallelism.forEach(chunks: plan.chunks) { c in
                let s = base + c * d
                for i in plan.range(c) {
                    let p = rows.row(i)
                    for t in 0 ..< d { s[t] += Double(p[t]) }
                }
            }
        }
        var mean = [Double](repeating: 0, count: d)
        for c in 0 ..< plan.chunks {
            for t in 0 ..< d { mean[t] += partial[c * d + t] }
        }
        let origin = mean.map { Float($0 / Double(n)) }
        let values = UnsafeMutablePointer<UInt16>.allocate(capacity: n * length)
        let rounded = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        let residual = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        let square = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        let scale = UnsafeMutablePointer<Float>.allocate(capacity: n)
        var finite = [Bool](repeating: true, count: plan.chunks)
        origin.withUnsafeBufferPointer { origin in
        finite.withUnsafeMutableBufferPointer { finite in
            guard let origin = origin.baseAddress else { return }
            parallelism.forEach(chunks: plan.chunks) { c in
                let range = plan.range(c)
                guard !range.isEmpty else { return }
                clus_rounded_rows(format, rows.row(range.lowerBound), range.count, Int32(d), origin, Int32(length),
                                  values + range.lowerBound * length, rounded.baseAddress! + range.lowerBound,
                                  residual.baseAddress! + range.lowerBound, square.baseAddress! + range.lowerBound,
                                  scale + range.lowerBound)
                for i in range where !(rounded[i].isFinite && residual[i].isFinite && square[i].isFinite) {
                    finite[c] = false
                }
            }
        }
        }
        guard finite.allSatisfy({ $0 }) else {
            values.deallocate(); rounded.deallocate(); residual.deallocate(); square.deallocate(); scale.deallocate()
            return nil
        }
        self.origin = origin
        // γ of the products' arithmetic, relative to |x̃||c̃|. bfloat16: each column's sum is
        // `length / 2` steps of two products (exact in Float) and at most two roundings.
        // int16: exact integer sums rounded once to Float, scaled by powers of two (exact).
        let summation = format == Int32(CLUS_ROUNDED_INT16) ? 0x1p-23 : Double(length + 8) * 0x1p-24
        view = RoundedRowsView(format: format, length: length, values: values, rounded: rounded, residual: residual,
                               square: square, scale: scale, summation: summation)
    }

    deinit {
        view.values.deallocate()
        view.rounded.deallocate()
        view.residual.deallocate()
        view.square.deallocate()
        view.scale.deallocate()
    }
}

/// The rows of `RoundedRows` as the pass reads them: pointers, without
/// reference counting per document (which cost 10% of a pass).
struct RoundedRowsView {
    /// CLUS_ROUNDED_BFLOAT16 or CLUS_ROUNDED_INT16.
    let format: Int32
    /// Values per row (d rounded up to 32, zero padded).
    let length: Int
    let values: UnsafeMutablePointer<UInt16>
    /// Per document: |x̃|, |x − m − x̃| (rounded up) and |x − m|², x̃ as a real vector.
    let rounded: UnsafeMutableBufferPointer<Double>
    let residual: UnsafeMutableBufferPointer<Double>
    let square: UnsafeMutableBufferPointer<Double>
    /// Per document, what turns stored values into real ones (int16: 2^−e; bfloat16: 1).
    let scale: UnsafeMutablePointer<Float>
    /// γ of the products' arithmetic, relative to |x̃||c̃|.
    let summation: Double

    @inline(__always)
    func row(_ i: Int) -> UnsafePointer<UInt16> { UnsafePointer(values + i * length) }

    /// Document i's factors of the error bound, rounded up to Float: with a
    /// centre's |c − m − c̃| and |c̃|, the score's error is at most
    /// alpha |c − m − c̃| + beta |c̃| + the centre's slack (the product's
    /// bound, doubled as the score holds −2 x·c).
    @inline(__always)
    func errorFactors(_ i: Int) -> (alpha: Float, beta: Float) {
        let a = rounded[i], r = residual[i]
        return (floatAbove(2 * (a + r)), floatAbove(2 * (r + summation * a)))
    }
}

/// The centres of `RoundedCentres` as the pass reads them (see `RoundedRowsView`).
struct RoundedCentresView {
    let length: Int
    /// Panels of centres as `clus_rounded_rows_tile` reads them, and the same values row by row.
    let packed: UnsafeMutablePointer<UInt16>
    let rows: UnsafeMutablePointer<UInt16>
    /// Per centre, what turns stored values into real ones; k rounded up to 32 (1 beyond k).
    let scale: UnsafeMutablePointer<Float>
    /// |c − m|² (Float), the score's constant part.
    let bias: UnsafeMutablePointer<Float>
    /// |c − m − c̃| and |c̃|, rounded up to Float.
    let residual: UnsafeMutablePointer<Float>
    let rounded: UnsafeMutablePointer<Float>
    /// The error of `bias`'s rounding to Float, and of Float's flushing of
    /// tiny products (at most 2⁻¹²⁶ each).
    let slack: UnsafeMutablePointer<Float>
    /// The largest of each, for the epilogue's own rounding.
    let largestBias: Double
    let largestResidual: Double
    let largestRounded: Double
    let largestSlack: Double

    /// The bound on centre q's score error for a document's `errorFactors`.
    @inline(__always)
    func error(_ q: Int, _ f: (alpha: Float, beta: Float)) -> Double {
        Double(f.alpha) * Double(residual[q]) + Double(f.beta) * Double(rounded[q]) + Double(slack[q])
    }

    /// σ: a few Float roundings, in the epilogue, of terms no larger than
    /// these for document i (its |x̃| and factors).
    @inline(__always)
    func epilogueRounding(document i: Int, _ documents: RoundedRowsView, _ f: (alpha: Float, beta: Float)) -> Double {
        0x1p-20 * (largestBias + 2 * documents.rounded[i] * largestRounded * (1 + documents.summation)
                   + Double(f.alpha) * largestResidual + Double(f.beta) * largestRounded + largestSlack)
    }

    /// An upper bound on |c − m|² − 2(x − m)·(c − m) for centre `q` and
    /// document i of `documents`, from one rounded product (no Float row read).
    @inline(__always)
    func upperScore(_ q: Int, document i: Int, _ documents: RoundedRowsView) -> Double {
        let dot = Double(clus_rounded_dot(documents.format, documents.row(i), rows + q * length, Int32(length)))
            * Double(documents.scale[i]) * Double(scale[q])
        let s = Double(bias[q]) - 2 * dot
        return s + error(q, documents.errorFactors(i)) * (1 + 0x1p-20) + 0x1p-20 * (abs(Double(bias[q])) + 2 * abs(dot))
    }
}

/// One pass's centres (in the order given) for the rounded scan, and the
/// per-centre terms of its error bound.
final class RoundedCentres {
    /// The packed and row-major centres and their terms, owned here.
    let view: RoundedCentresView

    /// Nil when a centre's terms are not finite.
    init?(centres: UnsafePointer<Float>, count k: Int, dimension d: Int, rows: RoundedRows) {
        let length = rows.view.length, width = (k + 31) / 32 * 32, size = width * length
        var roundedLength = [Double](repeating: 0, count: k), residualLength = roundedLength, square = roundedLength
        let packed = UnsafeMutablePointer<UInt16>.allocate(capacity: max(1, size))
        let byRow = UnsafeMutablePointer<UInt16>.allocate(capacity: max(1, k * length))
        let scale = UnsafeMutablePointer<Float>.allocate(capacity: width)
        scale.initialize(repeating: 1, count: width)
        clus_rounded_pack(rows.view.format, centres, Int32(k), Int32(d), rows.origin, Int32(length), packed, byRow,
                          &roundedLength, &residualLength, &square, scale)
        guard roundedLength.allSatisfy(\.isFinite), residualLength.allSatisfy(\.isFinite),
              square.allSatisfy({ $0.isFinite && Float($0).isFinite }) else {
            packed.deallocate()
            byRow.deallocate()
            scale.deallocate()
            return nil
        }
        let flush = Double(length) * 0x1p-125
        let bias = UnsafeMutablePointer<Float>.allocate(capacity: max(1, k))
        let residual = UnsafeMutablePointer<Float>.allocate(capacity: max(1, k))
        let rounded = UnsafeMutablePointer<Float>.allocate(capacity: max(1, k))
        let slack = UnsafeMutablePointer<Float>.allocate(capacity: max(1, k))
        var largest = (bias: 0.0, residual: 0.0, rounded: 0.0, slack: 0.0)
        for j in 0 ..< k {
            bias[j] = Float(square[j])
            residual[j] = floatAbove(residualLength[j])
            rounded[j] = floatAbove(roundedLength[j])
            slack[j] = floatAbove(abs(Double(bias[j]) - square[j]) + flush)
            largest = (max(largest.bias, Double(bias[j])), max(largest.residual, Double(residual[j])),
                       max(largest.rounded, Double(rounded[j])), max(largest.slack, Double(slack[j])))
        }
        view = RoundedCentresView(length: length, packed: packed, rows: byRow, scale: scale, bias: bias, residual: residual,
                                   rounded: rounded, slack: slack, largestBias: largest.bias,
                                   largestResidual: largest.residual, largestRounded: largest.rounded,
                                   largestSlack: largest.slack)
    }

    deinit {
        view.packed.deallocate(); view.rows.deallocate(); view.scale.deallocate(); view.bias.deallocate()
        view.residual.deallocate(); view.rounded.deallocate(); view.slack.deallocate()
    }
}

/// A Double rounded up to a Float, so an upper bound stays one.
@inline(__always)
func floatAbove(_ v: Double) -> Float {
    let f = Float(v)
    return Double(f) < v ? f.nextUp : f
}
