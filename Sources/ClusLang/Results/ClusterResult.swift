import ClusCore

/// The methods of `cluster`, as the user names them.
enum ClusteringMethod: String, CaseIterable, Sendable {
    case kmeans, minibatch, agglomerative, hdbscan

    /// Methods that draw random starts, and so take and report a seed.
    var isSeeded: Bool { self == .kmeans || self == .minibatch }

    /// The alias a clustering gets when none is given: it says what tells
    /// clusterings apart, so one never silently replaces another
    /// (`kmeans_25`, `kmeans_cosine_25`, `agglomerative_ward_20`,
    /// `agglomerative_average_cosine_20`, `hdbscan_mcs5`).
    func defaultAlias(k: Int, metric: String, linkage: Linkage = .ward, minClusterSize: Int = 5) -> String {
        let cosine = metric == "cosine" ? "_cosine" : ""
        return switch self {
        case .kmeans, .minibatch: "\(rawValue)\(cosine)_\(k)"
        case .agglomerative: "agglomerative_\(linkage.rawValue)\(cosine)_\(k)"
        case .hdbscan: "hdbscan\(cosine)_mcs\(minClusterSize)"
        }
    }
}

/// The clustering an alias named before `cluster` replaced it, for the note.
struct ReplacedClustering: Sendable {
    /// Its method, or nil for labels read from a file.
    let method: String?
    let k: Int
    let metric: String?
}

/// What `cluster` stored: one status line, and the clustering's numbers in json.
struct ClusterResult: CommandOutput {
    let command = "cluster"
    /// The clustering made.
    let name: ClusteringName
    let method: ClusteringMethod
    let metric: DistanceMetric
    /// Clusters found, HDBSCAN's noise not counted.
    let k: Int
    /// Lloyd iterations, or mini-batch steps.
    let iterations: Int?
    /// The objective: squared distances, or cosine distances with metric=cosine.
    let inertia: Double?
    /// The seed of a seeded method.
    let seed: UInt64?
    /// Documents labelled noise (HDBSCAN).
    let noise: Int?
    /// The method's own parameters, in display order.
    let parameters: [(String, String)]
    /// e.g. "cosine" or the linkage, shown after the method.
    let variant: String?
    /// Wall seconds of the clustering itself.
    let seconds: Double
    /// What the alias named before, when `alias=` named an existing clustering.
    let replaced: ReplacedClustering?
    /// Documents left out of the clustering, without a label.
    let withoutVector: WithoutVector
    var isStatus: Bool { true }

    var notes: [String] {
        withoutVector.count == 0 ? [] : ["\(withoutVector.phrase("was left out and has", "were left out and have")) no label for \(name.alias)"]
    }

    var jsonMembers: [JSONMember] {
        var members = name.jsonMembers + [
            JSONMember("method", .string(method.rawValue)),
            JSONMember("metric", .string(metric.rawValue)),
            JSONMember("k", .int(k)),
            JSONMember("iterations", iterations.map(JSONValue.int) ?? .null),
            JSONMember("inertia", .number(inertia)),
        ]
        if inertia != nil {
            members.append(JSONMember("objective", .string(metric == .cosine ? "sum_cosine_distance" : "sum_squared_distance")))
        }
        if let seed { members.append(JSONMember("seed", .int(Int(seed)))) }
        if let noise { members.append(JSONMember("noise", .int(noise))) }
        members.append(JSONMember("replaced", .bool(replaced != nil)))
        members.append(withoutVector.jsonMember)
        // the whole-number parameters (batch, n_init, min_samples, ...), as numbers
        return members + parameters.compactMap { name, value in Int(value).map { JSONMember(name, .int($0)) } }
    }

    var blocks: [Block] {
        var line = "\(name.title): \(method.rawValue)\(variant.map { " (\($0))" } ?? ""), k=\(k)"
        if let iterations {
            line += ", \(iterations) \(method == .minibatch ? "step" : "iteration")\(iterations == 1 ? "" : "s")"
        }
        if let inertia {
            line += ", \(metric == .cosine ? "cosine objective" : "inertia") \(Format.groupedDecimal(inertia, 2))"
        }
        if let noise {
            line += ", \(Format.count(noise, "noise document", "noise documents")) (cluster \"-1\")"
        }
        line += ", \(Format.seconds(seconds))"
        var blocks: [Block] = [.text(line)]
        if let noise, noise > 0 {
            blocks.append(.text("noise is the cluster named -1: every score leaves it out (noise=none scores it as a cluster)"))
        }
        if let replaced {
            let what = replaced.method.map { "\($0), k=\(replaced.k)" + (replaced.metric.map { ", \($0)" } ?? "") }
                ?? "labels read from the file, \(Format.count(replaced.k, "cluster", "clusters"))"
            blocks.append(.text("note: replaced the earlier \(name.alias) (\(what))", .warning))
        }
        blocks += notes.map { .text("note: " + $0, .warning) }
        return blocks
    }
}
