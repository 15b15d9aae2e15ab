import ClusCore
import ClusData

extension Interpreter {
    /// `distribution truth=FIELD by=truth`: for each truth value, the clusters
    /// its documents went to, and how much of it the largest one holds.
    func distributionByTruth(_ arguments: BoundArguments) throws -> CommandResult {
        let d = try session.currentDataset()
        let c = try clustering(in: d, arguments)
        guard let truthField = try truthColumn(in: d, arguments) else {
            throw Diagnostic("by=truth needs truth=FIELD", at: arguments.range(of: "by"))
        }
        let truth = truthField.interned()
        let top = try arguments.integer("top", atLeast: 0) ?? session.settings.top
        try session.requireContingencyMemory(truthValues: truth.names.count, truthName: truthField.name, clusters: c.k,
                                             at: arguments.range(of: "truth"))
        // counts[truth code][cluster], over documents with both a label and a truth value
        var counts = [[Int]](repeating: [Int](repeating: 0, count: c.k), count: truth.names.count)
        var left = 0
        var truthCodes: [Int] = [], predicted: [Int] = []
        for (i, label) in c.labels.enumerated() {
            let code = truth.codes[i]
            guard label >= 0, code >= 0 else { left += 1; continue }
            counts[code][label] += 1
            truthCodes.append(code)
            predicted.append(label)
        }
        let n = counts.reduce(0) { $0 + $1.reduce(0, +) }
        var table = TextTable(columns: [.init(truthField.name), .init("size", .right), .init("share", .right), .init("inverse purity", .right),
                                        .init("cluster"), .init("count", .right), .init("share", .right), .init("")])
        var records = TextTable(columns: [truthField.name, "size", "fraction", "inverse_purity", "cluster", "count", "cluster_fraction"].map { .init($0) })
        var valuesJSON: [JSONValue] = []
        for code in truth.names.indices {
            let size = counts[code].reduce(0, +)
            guard size > 0 else { continue }
            let ranked = counts[code].indices.filter { counts[code][$0] > 0 }
                .sorted { counts[code][$0] != counts[code][$1] ? counts[code][$0] > counts[code][$1] : $0 < $1 }
            let largest = ranked.first.map { counts[code][$0] } ?? 0
            let inversePurity = Double(largest) / Double(size)
            let shown = top == 0 ? ranked : Array(ranked.prefix(top))
            var clustersJSON: [JSONValue] = []
            for (j, cluster) in shown.enumerated() {
                let count = counts[code][cluster]
                let fraction = Double(count) / Double(size)
                table.rows.append([j == 0 ? truth.names[code] : "", j == 0 ? Format.count(size) : "",
                                   j == 0 ? Format.percent(Double(size) / Double(n)) : "", j == 0 ? Format.percent(inversePurity) : "",
                                   c.clusterNames[cluster], Format.count(count), Format.percent(fraction), Format.bar(fraction, width: 10)])
                records.rows.append([truth.names[code], String(size), String(Double(size) / Double(n)), String(inversePurity),
                                     c.clusterNames[cluster], String(count), String(fraction)])
                clustersJSON.append(.object([JSONMember("cluster", .string(c.clusterNames[cluster])), JSONMember("count", .int(count)),
                                             JSONMember("fraction", .double(fraction))]))
            }
            let rest = ranked.dropFirst(shown.count)
            if !rest.isEmpty {
                let count = rest.reduce(0) { $0 + counts[code][$1] }
                let fraction = Double(count) / Double(size)
                table.rows.append(["", "", "", "", "other (\(rest.count))", Format.count(count), Format.percent(fraction), Format.bar(fraction, width: 10)])
            }
            valuesJSON.append(.object([
                JSONMember("value", .string(truth.names[code])), JSONMember("size", .int(size)),
                JSONMember("fraction", .double(Double(size) / Double(n))), JSONMember("inverse_purity", .double(inversePurity)),
                JSONMember("clusters", .array(clustersJSON)),
            ]))
        }
        let overall = inversePurity(ContingencyTable(truth: truthCodes, predicted: predicted))
        table.footer.append("\(c.alias) on \(c.vectorField): \(truth.names.count) values of \(truthField.name), \(Format.count(n)) documents")
        table.footer.append("overall inverse purity \(Format.percent(overall)): share of documents in the cluster that holds most of their \(truthField.name)")
        if left > 0 { table.footer.append("\(Format.count(left)) documents without a label or without \(truthField.name) are left out") }
        return CommandResult(command: "distribution", values: [
            JSONMember("dataset", .string(d.name)), JSONMember("vector_field", .string(c.vectorField)),
            JSONMember("alias", .string(c.alias)), JSONMember("truth", .string(truthField.name)), JSONMember("by", .string("truth")),
            JSONMember("n", .int(n)), JSONMember("k", .int(c.k)), JSONMember("inverse_purity", .double(overall)),
            JSONMember("truth_values", .array(valuesJSON)), JSONMember("left_out", .int(left)),
        ], blocks: [.table(table)], records: records)
    }
}
