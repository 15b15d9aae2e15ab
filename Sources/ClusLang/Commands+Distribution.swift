import ClusCore
import ClusData

extension Interpreter {
    func distribution(_ arguments: BoundArguments, allTruthValues: Bool = false) throws -> CommandResult {
        if arguments.text("by") == "truth" { return try distributionByTruth(arguments) }
        let d = try session.currentDataset()
        let c = try clustering(in: d, arguments)
        let top = allTruthValues ? 0 : try arguments.integer("top", atLeast: 0) ?? session.settings.top
        let truthField = try truthColumn(in: d, arguments)
        let truth = truthField?.interned()

        if let truthField, let truth {
            try session.requireContingencyMemory(truthValues: truth.names.count, truthName: truthField.name, clusters: c.k,
                                                 at: arguments.range(of: "truth"))
        }
        var sizes = [Int](repeating: 0, count: c.k)
        var unlabelled = 0
        // counts[cluster][truth code], over documents that carry a truth value
        var counts = [[Int]](repeating: [Int](repeating: 0, count: truth?.names.count ?? 0), count: c.k)
        var missingTruth = 0
        for (i, label) in c.labels.enumerated() {
            guard label >= 0 else { unlabelled += 1; continue }
            sizes[label] += 1
            if let truth {
                let code = truth.codes[i]
                if code >= 0 { counts[label][code] += 1 } else { missingTruth += 1 }
            }
        }
        let n = sizes.reduce(0, +)
        // HDBSCAN's outliers (the cluster named -1) are no cluster: last, as "noise"
        let noiseCode = c.details?.method == "hdbscan" ? c.clusterNames.firstIndex(of: "-1") : nil
        let order = naturalOrder(c.clusterNames).filter { $0 != noiseCode } + (noiseCode.map { [$0] } ?? [])
        func displayName(_ cluster: Int) -> String { cluster == noiseCode ? "noise (-1)" : c.clusterNames[cluster] }

        var clustersJSON: [JSONValue] = []
        var table: TextTable
        var records: TextTable
        if let truth, let truthField {
            table = TextTable(columns: [.init("cluster"), .init("size", .right), .init("share", .right), .init("purity", .right),
                                        .init(truthField.name), .init("count", .right), .init("share", .right), .init("")])
            records = TextTable(columns: ["cluster", "size", "fraction", "purity", truthField.name, "count", "truth_fraction"].map { .init($0) })
            var majoritySum = 0
            for cluster in order {
                let withTruth = counts[cluster].reduce(0, +)
                let ranked = counts[cluster].indices.filter { counts[cluster][$0] > 0 }
                    .sorted { counts[cluster][$0] != counts[cluster][$1] ? counts[cluster][$0] > counts[cluster][$1] : $0 < $1 }
                let majority = ranked.first.map { counts[cluster][$0] } ?? 0
                majoritySum += majority
                let purity = withTruth > 0 ? Double(majority) / Double(withTruth) : nil
                let shown = top == 0 ? ranked : Array(ranked.prefix(top))
                var truthJSON: [JSONValue] = []
                for (j, code) in shown.enumerated() {
                    let count = counts[cluster][code]
                    let fraction = Double(count) / Double(withTruth)
                    table.rows.append([
                        j == 0 ? displayName(cluster) : "",
                        j == 0 ? Format.count(sizes[cluster]) : "",
                        j == 0 ? Format.percent(Double(sizes[cluster]) / Double(max(n, 1))) : "",
                        j == 0 ? purity.map(Format.percent) ?? "" : "",
                        truth.names[code], Format.count(count), Format.percent(fraction), Format.bar(fraction, width: 10),
                    ])
                    records.rows.append([c.clusterNames[cluster], String(sizes[cluster]), String(Double(sizes[cluster]) / Double(max(n, 1))),
                                         purity.map { String($0) } ?? "", truth.names[code], String(count), String(fraction)])
                    truthJSON.append(.object([JSONMember("value", .string(truth.names[code])), JSONMember("count", .int(count)),
                                              JSONMember("fraction", .double(fraction))]))
                }
                let rest = ranked.dropFirst(shown.count)
                if !rest.isEmpty {
                    let count = rest.reduce(0) { $0 + counts[cluster][$1] }
                    let fraction = Double(count) / Double(withTruth)
                    table.rows.append(["", "", "", "", "other (\(rest.count))", Format.count(count), Format.percent(fraction), Format.bar(fraction, width: 10)])
                }
                if shown.isEmpty {
                    table.rows.append([displayName(cluster), Format.count(sizes[cluster]), Format.percent(Double(sizes[cluster]) / Double(max(n, 1))), "", "(no \(truthField.name))", "", "", ""])
                }
                clustersJSON.append(.object([
                    JSONMember("cluster", .string(c.clusterNames[cluster])),
                    JSONMember("size", .int(sizes[cluster])),
                    JSONMember("fraction", .double(n > 0 ? Double(sizes[cluster]) / Double(n) : 0)),
                    JSONMember("purity", .number(purity)),
                    JSONMember("truth", .array(truthJSON)),
                ]))
            }
            let scored = n - missingTruth
            if scored > 0 {
                table.footer.append("overall purity \(Format.percent(Double(majoritySum) / Double(scored))): share of documents carrying their cluster's most frequent \(truthField.name)")
            }
            if missingTruth > 0 { table.footer.append("\(Format.count(missingTruth)) documents without \(truthField.name) are left out of the truth columns") }
        } else {
            table = TextTable(columns: [.init("cluster"), .init("size", .right), .init("share", .right), .init("")])
            records = TextTable(columns: [.init("cluster"), .init("size"), .init("fraction")])
            let largest = sizes.max() ?? 1
            for cluster in order {
                let fraction = n > 0 ? Double(sizes[cluster]) / Double(n) : 0
                table.rows.append([displayName(cluster), Format.count(sizes[cluster]), Format.percent(fraction),
                                   Format.bar(Double(sizes[cluster]) / Double(max(largest, 1)), width: 30)])
                records.rows.append([c.clusterNames[cluster], String(sizes[cluster]), String(fraction)])
                clustersJSON.append(.object([
                    JSONMember("cluster", .string(c.clusterNames[cluster])),
                    JSONMember("size", .int(sizes[cluster])),
                    JSONMember("fraction", .double(fraction)),
                    JSONMember("truth", .null),
                ]))
            }
        }
        let noise = noiseCode.map { sizes[$0] } ?? 0
        table.footer.insert("\(c.alias) on \(c.vectorField): \(c.k - (noiseCode == nil ? 0 : 1)) clusters, \(Format.count(n)) documents"
                            + (noiseCode == nil ? "" : ", \(Format.count(noise)) of them noise"), at: 0)
        if unlabelled > 0 { table.footer.append("\(Format.count(unlabelled)) documents have no label for \(c.alias)") }
        return CommandResult(command: "distribution", values: [
            JSONMember("dataset", .string(d.name)),
            JSONMember("vector_field", .string(c.vectorField)),
            JSONMember("alias", .string(c.alias)),
            JSONMember("truth", .text(truthField?.name)),
            JSONMember("n", .int(n)),
            JSONMember("k", .int(c.k)),
            JSONMember("clusters", .array(clustersJSON)),
            JSONMember("missing_truth", truthField == nil ? .null : .int(missingTruth)),
            JSONMember("unlabelled", .int(unlabelled)),
        ], blocks: [.table(table)], records: records)
    }

}

/// Cluster indices ordered by name, numbers inside names compared as numbers
/// (cluster_2 before cluster_10).
func naturalOrder(_ names: [String]) -> [Int] {
    func key(_ s: String) -> (String, Int, String) {
        let digits = s.reversed().prefix { $0.isASCII && $0.isNumber }
        let prefix = String(s.dropLast(digits.count))
        return (prefix, Int(String(digits.reversed())) ?? -1, s)
    }
    return names.indices.sorted {
        let a = key(names[$0]), b = key(names[$1])
        if a.0 != b.0 { return a.0 < b.0 }
        if a.1 != b.1 { return a.1 < b.1 }
        return a.2 < b.2
    }
}
