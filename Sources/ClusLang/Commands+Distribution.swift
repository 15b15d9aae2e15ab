import ClusCore
import ClusData

extension Interpreter {
    /// `distribution`: per cluster, or per truth value with `by=truth`.
    func distribution(_ arguments: BoundArguments) throws -> any CommandOutput {
        if arguments.text("by") == "truth" { return try distributionByTruth(arguments) }
        let d = try session.currentDataset()
        let c = try clustering(in: d, arguments)
        let top = try arguments.integer("top", atLeast: 0) ?? session.settings.top
        let truth = try truthColumn(in: d, arguments)
        return try distribution(of: c, truth: truth, truthRange: arguments.range(of: "truth"), top: top, in: d)
    }

    /// Each cluster's size and, with `truth`, the truth values its documents
    /// carry, ranked; `plot` and `report` call this too.
    func distribution(of c: Clustering, truth truthField: FieldColumn?, truthRange: SourceRange?, top: Int,
                      in d: Dataset) throws -> DistributionResult {
        let truth = truthField?.interned()
        if let truthField, let truth {
            try session.requireContingencyMemory(truthValues: truth.names.count, truthName: truthField.name, clusters: c.k, at: truthRange)
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
        // HDBSCAN's outliers (the cluster named -1) are no cluster: last, as noise
        let noiseCode = c.code(ofNoise: knownNoise(of: c))
        let order = naturalOrder(c.clusterNames).filter { $0 != noiseCode } + (noiseCode.map { [$0] } ?? [])
        let clusters = order.map { cluster in
            DistributionResult.Cluster(name: c.clusterNames[cluster], isNoise: cluster == noiseCode, size: sizes[cluster],
                                       truthValues: ranked(counts[cluster], names: truth?.names ?? []))
        }
        return DistributionResult(name: ClusteringName(c, of: d), truth: truthField?.name, truthNoun: truthField.map(truthValueNoun), k: c.k,
                                  clusters: clusters, top: top, missingTruth: missingTruth, unlabelled: unlabelled)
    }
}

/// The names with a count above zero, the largest count first (ties by code).
func ranked(_ counts: [Int], names: [String]) -> [NamedCount] {
    counts.indices.filter { counts[$0] > 0 }
        .sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        .map { NamedCount(name: names[$0], count: counts[$0]) }
}

/// Cluster indices ordered by name as labels are (`LabelValue`): numbers as
/// numbers (-1, 2, 10), then names with digit runs compared as numbers
/// (cluster_2 before cluster_10).
func naturalOrder(_ names: [String]) -> [Int] {
    let labels = names.map(LabelValue.init(text:))
    return names.indices.sorted { labels[$0] != labels[$1] ? labels[$0] < labels[$1] : $0 < $1 }
}
