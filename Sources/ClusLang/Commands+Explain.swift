import ClusCore

/// `explain TOPIC`: what an index or method measures, how to read it, and a
/// worked example on eight points. Every number comes from ClusCore's
/// functions, the ones `metrics` calls; the hand steps of the silhouette end
/// with the metrics code's value for the same document.
extension Interpreter {
    func explain(_ arguments: BoundArguments) throws -> ExplainResult {
        guard let topic = ExplainTopic(rawValue: arguments.text(at: 0) ?? "") else {
            // not reached: the spec's choice of ExplainTopic.allCases refuses other names, with a suggestion
            throw Diagnostic("unknown topic", at: arguments.call.nameRange)
        }
        return ExplainResult(topic: topic, worked: try workedExample(topic))
    }

    private func workedExample(_ topic: ExplainTopic) throws -> ExplainResult.Worked {
        let example = EightPoints()
        let table = example.table
        switch topic {
        case .silhouette: return .silhouette(try silhouetteSteps(example))
        case .ari: return .pairs(PairCounts(table), value: adjustedRandIndex(table))
        case .rand: return .pairs(PairCounts(table), value: randIndex(table))
        case .fmi: return .pairs(PairCounts(table), value: fowlkesMallows(table))
        case .nmi, .ami, .homogeneity, .completeness, .vMeasure:
            let value = switch topic {
            case .nmi: normalizedMutualInformation(table)
            case .ami: adjustedMutualInformation(table)
            case .homogeneity: homogeneity(table)
            case .completeness: completeness(table)
            default: vMeasure(table)
            }
            return .information(ExplainResult.InformationSteps(
                truthEntropy: entropy(table.rowSums), clusterEntropy: entropy(table.columnSums),
                mutualInformation: mutualInformation(table), expectedMutualInformation: expectedMutualInformation(table),
                homogeneity: homogeneity(table), completeness: completeness(table), value: value))
        case .purity:
            let majorities = (0 ..< table.columnCount).map { c in
                (0 ..< table.rowCount).map { table.count(truthIndex: $0, clusterIndex: c) }.max() ?? 0
            }
            return .purity(majorities: majorities, value: purity(table))
        case .ch: return .centroid(try calinskiHarabasz(example.x, labels: example.labels))
        case .db: return .centroid(try daviesBouldin(example.x, labels: example.labels))
        case .kmeans, .spherical:
            let options = KMeansOptions(clusterCount: 3, runs: 1, seed: session.settings.seed, spherical: topic == .spherical)
            let result = try kMeans(example.x, options: options, parallelism: .serial)
            return .kMeans(iterations: result.iterations, inertia: result.inertia, labels: result.labels)
        case .hdbscan: return .wordsOnly
        }
    }

    /// Document A's a and b by hand, and every silhouette from the metrics code.
    private func silhouetteSteps(_ example: EightPoints) throws -> ExplainResult.SilhouetteSteps {
        let i = 0
        let mates = example.members(of: example.labels[i]).filter { $0 != i }
        let others = Set(example.labels).sorted().filter { $0 != example.labels[i] }.map { cluster in
            let members = example.members(of: cluster)
            return (cluster: cluster, meanDistance: members.map { example.distance(i, $0) }.reduce(0, +) / Double(members.count))
        }
        return ExplainResult.SilhouetteSteps(
            document: i, mates: mates, a: mates.map { example.distance(i, $0) }.reduce(0, +) / Double(mates.count), others: others,
            samples: try silhouetteSamples(example.x, labels: example.labels, parallelism: .serial),
            score: try silhouetteScore(example.x, labels: example.labels, parallelism: .serial))
    }
}
