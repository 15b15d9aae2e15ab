import ClusCore

/// `explain TOPIC`: what an index, method or result means, how to read it,
/// and a worked example on a few points. The topic may be named as any
/// result prints it (`ARI`, `davies-bouldin`, `adjusted_rand_index`). Every
/// number comes from the functions `metrics`, `cluster`, `describe`,
/// `stability` and `sweep` call; hand steps end with the code's value for the
/// same thing.
extension Interpreter {
    func explain(_ arguments: BoundArguments) throws -> ExplainResult {
        let name = arguments.text(at: 0) ?? ""
        guard let topic = ExplainTopic.named(name) else {
            let close = ExplainTopic.suggestions(for: name)
            let hint = close.isEmpty ? "topics: " + ExplainTopic.allCases.map(\.rawValue).joined(separator: ", ")
                : "did you mean " + close.map { "'\($0)'" }.joined(separator: " or ") + "?"
            throw Diagnostic("unknown topic '\(name)'", at: arguments.positionals.first?.range ?? arguments.call.nameRange, hint: hint)
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
            let result = try kMeansOnEightPoints(k: 3, spherical: topic == .spherical)
            return .kMeans(iterations: result.iterations, inertia: result.inertia, labels: result.labels)
        case .sample: return try sampleSteps()
        case .inertia: return try inertiaSteps(example)
        case .elbow: return try elbowSteps(example)
        case .minibatch: return try miniBatchSteps(example)
        case .agglomerative: return try agglomerativeSteps()
        case .hdbscan: return try hdbscanSteps()
        case .noise: return try noiseSteps()
        case .describe: return try describeSteps(example)
        case .ctfidf: return termSteps()
        case .stability: return stabilitySteps(example)
        case .gap: return try gapSteps()
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
