import Testing
@testable import ClusCore

@Suite struct ClusterMatchingTests {
    /// Every pairing of rows to columns, for checking the optimum by brute force.
    func bruteForceBest(_ t: ContingencyTable) -> Int {
        func best(_ row: Int, _ usedColumns: Set<Int>) -> Int {
            if row == t.rowCount { return 0 }
            var result = best(row + 1, usedColumns)  // leave the row unpaired
            for c in 0 ..< t.columnCount where !usedColumns.contains(c) {
                result = max(result, t.count(truthIndex: row, clusterIndex: c) + best(row + 1, usedColumns.union([c])))
            }
            return result
        }
        return best(0, [])
    }

    func kept(_ t: ContingencyTable, _ matching: [Int?]) -> Int {
        var total = 0
        for (row, column) in matching.enumerated() {
            if let column { total += t.count(truthIndex: row, clusterIndex: column) }
        }
        return total
    }

    @Test func renamedLabelsAreMatchedExactly() {
        let a = [0, 0, 1, 1, 2, 2, 2]
        let b = [5, 5, 9, 9, 7, 7, 7]
        let t = ContingencyTable(truth: a, predicted: b)
        // b's clusters in sorted order are 5, 7, 9: 0→5 (col 0), 1→9 (col 2), 2→7 (col 1)
        #expect(bestMatching(t) == [0, 2, 1])
    }

    @Test(arguments: 0 ..< 30)
    func matchesTheBruteForceOptimum(_ seed: Int) {
        var g = SeededGenerator(seed: UInt64(seed))
        let rows = 1 + Int(g.next() % 5), columns = 1 + Int(g.next() % 5)
        let n = 40
        let a = (0 ..< n).map { _ in Int(g.next() % UInt64(rows)) }
        let b = (0 ..< n).map { _ in Int(g.next() % UInt64(columns)) }
        let t = ContingencyTable(truth: a, predicted: b)
        let matching = bestMatching(t)
        #expect(matching.count == t.rowCount)
        let columnsUsed = matching.compactMap { $0 }
        #expect(Set(columnsUsed).count == columnsUsed.count)
        #expect(columnsUsed.count == min(t.rowCount, t.columnCount))
        #expect(kept(t, matching) == bruteForceBest(t))
    }
}
