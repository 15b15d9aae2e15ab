import Foundation
import Testing
@testable import ClusCore

/// The expected mutual information walks out from each cell's mode and stops
/// in the negligible tails; here it is checked against the full sum over
/// every overlap (sklearn's algorithm, written out in the test).
@Suite("Expected mutual information")
struct ExpectedMutualInformationTests {
    static func fullSum(_ t: ContingencyTable) -> Double {
        let a = t.rowSums, b = t.columnSums, n = t.total
        func lf(_ k: Int) -> Double { var s: Int32 = 0; return lgamma_r(Double(k) + 1, &s) }
        var emi = 0.0
        for ai in a {
            for bj in b {
                let start = max(1, ai - n + bj), end = min(ai, bj)
                if start > end { continue }
                for x in start ... end {
                    let gln = lf(ai) + lf(n - ai) + lf(bj) + lf(n - bj) - lf(n) - lf(x) - lf(ai - x) - lf(bj - x) - lf(n - ai - bj + x)
                    emi += Double(x) / Double(n) * log(Double(n) * Double(x) / (Double(ai) * Double(bj))) * exp(gln)
                }
            }
        }
        return emi
    }

    @Test("agrees with the full sum on skewed, tiny and large tables", arguments: [
        (n: 12, r: 3, c: 4, skew: false), (n: 200, r: 7, c: 2, skew: true), (n: 5_000, r: 10, c: 12, skew: true),
        (n: 60_000, r: 20, c: 15, skew: false), (n: 60_000, r: 4, c: 30, skew: true),
    ])
    func agreesWithFullSum(n: Int, r: Int, c: Int, skew: Bool) {
        var rng = SeededGenerator(seed: UInt64(n + r))
        // skewed: class i drawn with weight 2^-i, so sizes span orders of magnitude
        func draw(_ k: Int) -> Int {
            guard skew else { return Int.random(in: 0 ..< k, using: &rng) }
            var i = 0
            while i < k - 1, Bool.random(using: &rng) { i += 1 }
            return i
        }
        let truth = (0 ..< n).map { _ in draw(r) }
        let predicted = truth.map { Double.random(in: 0 ..< 1, using: &rng) < 0.5 ? $0 % c : draw(c) }
        let t = ContingencyTable(truth: truth, predicted: predicted)
        let want = Self.fullSum(t)
        let got = expectedMutualInformation(t)
        #expect(abs(got - want) <= 1e-12 * max(1, abs(want)), "n \(n): \(got) vs full sum \(want)")
    }
}
