import ClusCore
import ClusData

extension Interpreter {
    func compare(_ arguments: BoundArguments) throws -> CommandResult {
        let d = try session.currentDataset()
        func named(_ index: Int) throws(Diagnostic) -> Clustering {
            let name = arguments.text(at: index) ?? ""
            let range = arguments.positionals[index].range
            guard let c = d.clustering(alias: name, vectorField: nil) else {
                throw Diagnostic.unknown("alias", name, at: range, known: d.clusterings.map(\.alias))
            }
            return c
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

        let ari = adjustedRandIndex(table), nmi = normalizedMutualInformation(table)
        let ami = adjustedMutualInformation(table), fmi = fowlkesMallows(table)
        let onDiagonal = matching.enumerated().reduce(0) { sum, pair in
            sum + (pair.element.map { table.count(truthIndex: pair.offset, clusterIndex: $0) } ?? 0)
        }
        var scores = TextTable(columns: [.init("index"), .init("value", .right), .init("reading")])
        scores.rows = [
            ["ARI", Format.score(ari), Reading.ari(ari, b.alias)],
            ["NMI", Format.score(nmi), Reading.information(nmi, b.alias, "shared information with")],
            ["AMI", Format.score(ami), Reading.information(ami, b.alias, "shared information, beyond chance, with")],
            ["Fowlkes-Mallows", Format.score(fmi), Reading.scale(fmi) + ": pairs grouped together in both"],
        ]
        var contingency = TextTable(columns: [.init("\(a.alias) \\ \(b.alias)")] + columnOrder.map { .init(b.clusterNames[table.clusters[$0]], .right) })
        for row in rowOrder {
            contingency.rows.append([a.clusterNames[table.truthClasses[row]]] + columnOrder.map { Format.count(table.count(truthIndex: row, clusterIndex: $0)) })
        }
        let agreement = Double(onDiagonal) / Double(codesA.count)
        contingency.footer.append("clusters matched one to one (Hungarian method): \(Format.percent(agreement)) of \(Format.count(codesA.count)) documents fall on the diagonal")
        let skipped = d.count - codesA.count
        if skipped > 0 { contingency.footer.append("\(Format.count(skipped)) documents without a label in both are left out") }

        return CommandResult(command: "compare", values: [
            JSONMember("dataset", .string(d.name)),
            JSONMember("a", .string(a.alias)),
            JSONMember("b", .string(b.alias)),
            JSONMember("n", .int(codesA.count)),
            JSONMember("k_a", .int(table.rowCount)),
            JSONMember("k_b", .int(table.columnCount)),
            JSONMember("adjusted_rand_index", .number(ari)),
            JSONMember("normalized_mutual_info", .number(nmi)),
            JSONMember("adjusted_mutual_info", .number(ami)),
            JSONMember("fowlkes_mallows", .number(fmi)),
            JSONMember("matched_fraction", .number(agreement)),
            JSONMember("matching", .array(matching.enumerated().compactMap { row, column in
                column.map { .object([JSONMember("a", .string(a.clusterNames[table.truthClasses[row]])),
                                      JSONMember("b", .string(b.clusterNames[table.clusters[$0]])),
                                      JSONMember("count", .int(table.count(truthIndex: row, clusterIndex: $0)))]) }
            })),
            JSONMember("contingency", .object([
                JSONMember("rows", .array(rowOrder.map { .string(a.clusterNames[table.truthClasses[$0]]) })),
                JSONMember("columns", .array(columnOrder.map { .string(b.clusterNames[table.clusters[$0]]) })),
                JSONMember("counts", .array(rowOrder.map { row in .array(columnOrder.map { .int(table.count(truthIndex: row, clusterIndex: $0)) }) })),
            ])),
        ], blocks: [.table(scores), .table(contingency)], records: contingency)
    }
}
