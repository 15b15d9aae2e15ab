import CGramKernel
import Testing
@testable import ClusCore

/// The epilogue of k-means' full scan (`clus_scores_lowest`), vector code,
/// against the plainest scalar reading of its contract: scores
/// bias − 2s written back, the first lowest (0 when none is below or at
/// +infinity), the count within `window` of it, and whether all are finite.
@Suite("k-means' full-scan epilogue")
struct FullScanEpilogueTests {
    struct Outcome: Equatable {
        var scores: [UInt32], at: Int, near: Int, finite: Bool
    }

    static func reference(_ products: [Float], _ bias: [Float], window: Double) -> Outcome {
        let scores = zip(bias, products).map { $0 - ($1 + $1) }
        var best = Float.infinity
        for v in scores where v < best { best = v }
        guard let at = scores.firstIndex(where: { $0 == best }) else {
            return Outcome(scores: scores.map(\.bitPattern), at: 0, near: 0, finite: scores.allSatisfy(\.isFinite))
        }
        let limit = Float(Double(best) + window).nextUp
        return Outcome(scores: scores.map(\.bitPattern), at: at, near: scores.count { $0 <= limit },
                       finite: scores.allSatisfy(\.isFinite))
    }

    static func kernel(_ products: [Float], _ bias: [Float], window: Double) -> Outcome {
        var s = products, near: Int32 = -1, finite: Int32 = -1
        let at = clus_scores_lowest(&s, bias, Int32(s.count), window, &near, &finite)
        return Outcome(scores: s.map(\.bitPattern), at: Int(at), near: Int(near), finite: finite != 0)
    }

    @Test("the first lowest, the near count and finiteness as a scalar scan gives them, ties, zeros of both signs, NaN and infinities included")
    func matchesScalarScan() {
        var random = SeededGenerator(seed: 29)
        // values that tie often (a few levels), with specials mixed in
        let specials: [Float] = [.nan, .infinity, -.infinity, 0, -0.0, .leastNonzeroMagnitude, -.greatestFiniteMagnitude]
        var cases = 0
        for k in [1, 3, 15, 16, 17, 31, 32, 33, 100, 257] {
            for trial in 0 ..< 60 {
                let levels = 1 + trial % 5
                var products = (0 ..< k).map { _ in Float(Int(random.nextUnit() * Double(levels))) }
                let bias = (0 ..< k).map { _ in Float(Int(random.nextUnit() * 3)) }
                switch trial % 6 {
                case 1: products[Int(random.nextUnit() * Double(k))] = specials[trial % specials.count]
                case 2: for q in 0 ..< k where random.nextUnit() < 0.3 { products[q] = specials[q % specials.count] }
                case 3: products = products.map { _ in -.infinity }   // every score +infinity
                case 4: products = products.map { _ in .nan }         // no score is a number
                default: break
                }
                let window = [0, 0.5, 2][trial % 3]
                let expected = Self.reference(products, bias, window: window), got = Self.kernel(products, bias, window: window)
                #expect(got == expected, "k=\(k) trial \(trial): products \(products) bias \(bias)")
                cases += 1
            }
        }
        #expect(cases == 600)
    }

    @Test("a score one float above the lowest plus the window counts as near; two floats above does not")
    func windowEdge() {
        // best = −2; the limit is the float after −2 + 0.5 = −1.5
        let oneAbove = Float(-1.5).nextUp, twoAbove = oneAbove.nextUp
        for k in [3, 20] {
            var products = [Float](repeating: -10, count: k)   // scores of 20: far
            products[0] = 1
            products[1] = -oneAbove / 2
            products[2] = -twoAbove / 2
            let bias = [Float](repeating: 0, count: k)
            let got = Self.kernel(products, bias, window: 0.5)
            #expect(got == Self.reference(products, bias, window: 0.5))
            #expect(got.at == 0 && got.near == 2, "\(got)")
        }
    }

    @Test("each group's lower bound: the group's lowest score but the winner's, as √max(0, m + |x|² − e) rounded down to a Float")
    func groupLowerBounds() {
        var random = SeededGenerator(seed: 31)
        for trial in 0 ..< 200 {
            let k = 5 + trial % 60, groups = 1 + trial % 7
            var cuts = Set([0, k])
            while cuts.count < min(groups + 1, k + 1) { cuts.insert(Int(random.nextUnit() * Double(k))) }
            let start = cuts.sorted().map { CLong($0) }, t = start.count - 1
            var scores = (0 ..< k).map { _ in Float(random.nextUnit() * 200 - 100) }
            if trial % 5 == 1 { scores[Int(random.nextUnit() * Double(k))] = .infinity }
            if trial % 5 == 2 { scores[Int(random.nextUnit() * Double(k))] = .nan }
            let excluded = Int(random.nextUnit() * Double(k)), finite: Int32 = scores.allSatisfy(\.isFinite) ? 1 : 0
            let square = random.nextUnit() * 150, e = random.nextUnit() * 1e-3
            var expected = [Float](repeating: 0, count: t)
            for g in 0 ..< t {
                var low = Float.infinity
                for q in Int(start[g]) ..< Int(start[g + 1]) where q != excluded {
                    let v = finite == 1 || scores[q].isFinite ? scores[q] : -.infinity
                    low = v < low ? v : low
                }
                expected[g] = low == .infinity ? .infinity : floatBelow(max(0, Double(low) + square - e).squareRoot())
            }
            var out = [Float](repeating: -1, count: t), s = scores
            clus_group_lower_bounds(&s, start, Int32(t), Int32(excluded), finite, square, e, &out)
            #expect(out.map(\.bitPattern) == expected.map(\.bitPattern), "trial \(trial): \(out) against \(expected)")
            #expect(s.map(\.bitPattern) == scores.map(\.bitPattern), "the scores are left as they were")
        }
    }
}
