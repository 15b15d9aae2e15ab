import ClusCore
import ClusData

extension Interpreter {
    /// `compare A B`: agreement indices and the contingency table, clusters matched one to one.
    func compare(_ arguments: BoundArguments) throws -> CompareResult {
        let d = try session.currentDataset()
        func named(_ index: Int) throws(Diagnostic) -> Clustering {
            try clustering(named: arguments.text(at: index) ?? "", in: d, vectorField: nil, at: arguments.positionals[index].range)
        }
        let a = try named(0), b = try named(1)
        var codesA: [Int] = [], codesB: [Int] = []
        for i in 0 ..< d.count where a.labels[i] >= 0 && b.labels[i] >= 0 {
            codesA.append(a.labels[i])
            codesB.append(b.labels[i])
        }
        guard !codesA.isEmpty else { throw Diagnostic("no document has a label in both \(a.alias) and \(b.alias)") }
        try session.requireMemory(contingencyTableMemory(rows: a.k, columns: b.k),
                                  for: "a table of \(Format.count(a.k)) × \(Format.count(b.k)) clusters",
                                  instead: "compare clusterings with fewer clusters", at: arguments.positionals[1].range)
        let table = ContingencyTable(truth: codesA, predicted: codesB)
        let matching = bestMatching(table)
        // columns: B's clusters in the order of the A clusters they match, then the rest
        let matchedColumns = matching.compactMap { $0 }
        let columnOrder = matchedColumns + (0 ..< table.columnCount).filter { !matchedColumns.contains($0) }
        let rowOrder = (0 ..< table.rowCount).sorted { (matching[$0] == nil ? 1 : 0, $0) < (matching[$1] == nil ? 1 : 0, $1) }

        let average = arguments.text("average").flatMap(MutualInformationAverage.init(rawValue:)) ?? .arithmetic
        let scores: [(index: ClusteringIndex, value: Double)] = [
            (.adjustedRandIndex, adjustedRandIndex(table)), (.randIndex, randIndex(table)),
            (.normalizedMutualInfo, normalizedMutualInformation(table, average: average)),
            (.adjustedMutualInfo, adjustedMutualInformation(table, average: average)),
            (.homogeneity, homogeneity(table)), (.completeness, completeness(table)), (.vMeasure, vMeasure(table)),
            (.fowlkesMallows, fowlkesMallows(table)),
        ]
        func aName(_ row: Int) -> String { a.clusterNames[table.truthClasses[row]] }
        func bName(_ column: Int) -> String { b.clusterNames[table.clusters[column]] }
        return CompareResult(
            dataset: d.name, a: a.alias, b: b.alias, fieldsAsClusterings: (b.alias == a.alias ? [a] : [a, b]).filter(\.isField).map(\.alias), n: codesA.count, leftOut: d.count - codesA.count, scores: scores, average: average,
            matching: matching.enumerated().compactMap { row, column in
                column.map { CompareResult.Match(a: aName(row), b: bName($0), count: table.count(truthIndex: row, clusterIndex: $0)) }
            },
            rows: rowOrder.map(aName), columns: columnOrder.map(bName),
            counts: rowOrder.map { row in columnOrder.map { table.count(truthIndex: row, clusterIndex: $0) } })
    }
}
