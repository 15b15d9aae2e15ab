/// The one-to-one pairing of the rows and columns of a contingency table that
/// puts the most documents on the diagonal (the Hungarian method), so that a
/// table comparing two clusterings reads along its diagonal.
///
/// - Returns: for each row, the column it is paired with, or nil when there
///   are more rows than columns and the row is left unpaired.
/// - Complexity: O(m²·n) for m = min(rows, columns), n = max(rows, columns).
public func bestMatching(_ table: ContingencyTable) -> [Int?] {
    let rows = table.rowCount, columns = table.columnCount
    guard rows > 0, columns > 0 else { return [Int?](repeating: nil, count: rows) }
    // The method wants at most as many rows as columns: transpose if needed.
    let transposed = rows > columns
    let m = transposed ? columns : rows
    let n = transposed ? rows : columns
    let largest = table.counts.max() ?? 0
    // Cost = largest - count, so the minimum cost keeps the most documents.
    func cost(_ i: Int, _ j: Int) -> Int {
        largest - (transposed ? table.count(truthIndex: j, clusterIndex: i) : table.count(truthIndex: i, clusterIndex: j))
    }
    // Shortest augmenting paths with potentials (Kuhn-Munkres), 1-based.
    var u = [Int](repeating: 0, count: m + 1), v = [Int](repeating: 0, count: n + 1)
    var pairedRow = [Int](repeating: 0, count: n + 1)  // column -> row
    var way = [Int](repeating: 0, count: n + 1)
    for i in 1 ... m {
        pairedRow[0] = i
        var j0 = 0
        var minimum = [Int](repeating: Int.max, count: n + 1)
        var used = [Bool](repeating: false, count: n + 1)
        repeat {
            used[j0] = true
            let i0 = pairedRow[j0]
            var delta = Int.max, j1 = 0
            for j in 1 ... n where !used[j] {
                let reduced = cost(i0 - 1, j - 1) - u[i0] - v[j]
                if reduced < minimum[j] { minimum[j] = reduced; way[j] = j0 }
                if minimum[j] < delta { delta = minimum[j]; j1 = j }
            }
            for j in 0 ... n {
                if used[j] { u[pairedRow[j]] += delta; v[j] -= delta } else { minimum[j] -= delta }
            }
            j0 = j1
        } while pairedRow[j0] != 0
        repeat {
            let j1 = way[j0]
            pairedRow[j0] = pairedRow[j1]
            j0 = j1
        } while j0 != 0
    }
    var result = [Int?](repeating: nil, count: rows)
    for j in 1 ... n where pairedRow[j] != 0 {
        if transposed { result[j - 1] = pairedRow[j] - 1 } else { result[pairedRow[j] - 1] = j - 1 }
    }
    return result
}
