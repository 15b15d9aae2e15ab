import ClusCore
import ClusData

extension Interpreter {
    /// `distribution truth=FIELD by=truth`: for each truth value, the clusters
    /// its documents went to, and how much of it the largest one holds.
    func distributionByTruth(_ arguments: BoundArguments) throws -> DistributionByTruthResult {
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
        return DistributionByTruthResult(
            name: ClusteringName(c, of: d), truth: truthField.name, truthNoun: truthValueNoun(truthField), k: clusterCount(c), truthValueCount: truth.names.count,
            values: truth.names.indices.compactMap { code in
                let clusters = ranked(counts[code], names: c.clusterNames)
                return clusters.isEmpty ? nil : DistributionByTruthResult.TruthValue(name: truth.names[code], clusters: clusters)
            },
            top: top, inversePurity: inversePurity(ContingencyTable(truth: truthCodes, predicted: predicted)), leftOut: left)
    }
}
