import ClusCore
import ClusData

/// A chart with what the user should know about how it was drawn.
struct ChartDrawing {
    let svg: String
    /// Lines printed after "wrote the … chart" (a sample drawn, documents left out).
    var notes: [String] = []
    var jsonMembers: [JSONMember] = []
}

/// The labelled documents of a clustering that have a usable vector, and
/// each cluster's mean vector in the original space.
private struct ClusteredVectors {
    let clustering: Clustering
    /// Rows of the dataset drawn on the map, and their compact cluster indices.
    let rows: [Int]
    let labels: [Int]
    let vectors: Embeddings
    /// Clusters with at least one document, in the clustering's order.
    let clusters: [(name: String, size: Int, mean: [Double])]
    /// Documents left out: unlabelled, noise or without a usable vector.
    let leftOut: Int
}

extension Interpreter {
    /// Most documents `plot map` draws by default; more would make the file slow to open.
    static let mapPointLimit = 20_000

    /// `plot map`: the documents on their first two principal components,
    /// coloured by cluster, with the cluster means.
    func mapChart(_ arguments: BoundArguments) throws -> ChartDrawing {
        let data = try clusteredVectors(arguments)
        let c = data.clustering
        let n = data.rows.count
        guard n >= 2 else { throw Diagnostic("the map needs at least 2 documents with a cluster and a vector; \(c.alias) has \(n)") }
        let limit = try arguments.integer("points", atLeast: 2) ?? Self.mapPointLimit
        var drawn = Array(0 ..< n)
        var notes: [String] = []
        if n > limit {
            var rng = SeededGenerator(seed: session.settings.seed)
            drawn = StratifiedSample(labels: data.labels, size: limit, using: &rng).indices.sorted()
            notes.append("drew \(Format.count(drawn.count)) of \(Format.count(n)) documents, sampled by cluster (seed \(session.settings.seed)); the axes come from all of them")
        }
        if data.leftOut > 0 {
            notes.append("left out \(Format.count(data.leftOut, "document", "documents")) without a cluster or a usable vector")
        }
        let projection = session.withProgress("principal components of \(Format.count(n)) documents", unit: .iterations) { _ in
            projectOnPrincipalComponents(data.vectors, rows: drawn, count: 2, parallelism: session.parallelism)
        }
        let centres = data.clusters.map { projection.coordinates(of: $0.mean) }
        let shares = projection.varianceShares
        let points = zip(drawn, projection.coordinates).map { (x: $1[0], y: $1.count > 1 ? $1[1] : 0, cluster: data.labels[$0]) }
        let sampled = drawn.count < n
        let subtitle = (sampled ? "\(Format.count(drawn.count)) of \(Format.count(n)) documents, sampled by cluster"
                                : "\(Format.count(n)) documents") + "; ⊕ cluster means"
        let svg = Charts.map(points: points,
                             centres: zip(data.clusters, centres).map { (name: $0.name, size: $0.size, x: $1[0], y: $1.count > 1 ? $1[1] : 0) },
                             axisLabels: (axisLabel(1, shares), axisLabel(2, shares)),
                             title: "\(c.alias) on \(c.vectorField): the first two principal components", subtitle: subtitle)
        return ChartDrawing(svg: svg, notes: notes, jsonMembers: [
            JSONMember("documents", .int(n)), JSONMember("drawn", .int(drawn.count)), JSONMember("sampled", .bool(sampled)),
            JSONMember("variance_shares", .array(shares.map { .double($0) })),
        ])
    }

    /// `plot distances`: the cluster means placed by classical MDS on their
    /// euclidean distances, each a circle of area proportional to its size.
    func distancesChart(_ arguments: BoundArguments) throws -> ChartDrawing {
        let data = try clusteredVectors(arguments)
        let c = data.clustering
        guard data.clusters.count >= 2 else {
            throw Diagnostic("plot distances needs at least 2 clusters; \(c.alias) has \(data.clusters.count) with documents")
        }
        let distances = euclideanDistances(between: data.clusters.map(\.mean))
        let k = data.clusters.count
        let scaling = classicalScaling(distances: distances, count: k, dimensions: 2)
        // Spelled out: the one-expression form defeated the type checker's time limit.
        let nearest: [Int] = (0 ..< k).map { (i: Int) -> Int in
            var best = i
            for j in 0 ..< k where j != i && (best == i || distances[i * k + j] < distances[i * k + best]) { best = j }
            return best
        }
        let circles = data.clusters.enumerated().map { i, cluster in
            (name: cluster.name, size: cluster.size, x: scaling.coordinates[i][0], y: scaling.coordinates[i][1],
             nearest: "\(data.clusters[nearest[i]].name) at \(Format.fixed(distances[i * k + nearest[i]], 3))")
        }
        let kept = scaling.keptShare
        let svg = Charts.distances(clusters: circles, title: "Distances between the clusters of \(c.alias) on \(c.vectorField)",
                                   subtitle: "euclidean distances between cluster means, placed by classical MDS (the plane keeps \(Format.percent(kept)) of them); area ∝ documents")
        var notes: [String] = []
        if kept < 0.5 {
            notes.append("the plane keeps only \(Format.percent(kept)) of the distances' spread: read near and far loosely")
        }
        return ChartDrawing(svg: svg, notes: notes, jsonMembers: [JSONMember("clusters", .int(k)), JSONMember("kept_share", .double(kept))])
    }

    private func axisLabel(_ axis: Int, _ shares: [Double]) -> String {
        "PC\(axis)" + (axis <= shares.count ? " (\(Format.percent(shares[axis - 1])) of the variance)" : "")
    }

    /// The documents of `alias=` that have a cluster (noise left out) and a usable vector.
    private func clusteredVectors(_ arguments: BoundArguments) throws -> ClusteredVectors {
        let d = try session.currentDataset()
        let c = try clustering(in: d, arguments)
        let column = try vectorColumn(in: d, named: c.vectorField, range: arguments.range(of: "field"))
        let noiseCode = c.code(ofNoise: scoringNoise(arguments, for: c).name)
        let rows = c.labels.indices.filter { c.labels[$0] >= 0 && c.labels[$0] != noiseCode && column.present[$0] }
        let x = rows.count == d.count ? column.embeddings : column.embeddings.rows(rows)
        let dimension = x.dimension
        var sums = [[Double]](repeating: [Double](repeating: 0, count: dimension), count: c.k)
        var sizes = [Int](repeating: 0, count: c.k)
        x.values.withUnsafeBufferPointer { values in
            for (i, row) in rows.enumerated() {
                let label = c.labels[row]
                sizes[label] += 1
                for j in 0 ..< dimension { sums[label][j] += Double(values[i * dimension + j]) }
            }
        }
        let present = (0 ..< c.k).filter { sizes[$0] > 0 }
        var compact = [Int](repeating: -1, count: c.k)
        for (i, label) in present.enumerated() { compact[label] = i }
        return ClusteredVectors(clustering: c, rows: rows, labels: rows.map { compact[c.labels[$0]] }, vectors: x,
                                clusters: present.map { label in
                                    (name: c.clusterNames[label], size: sizes[label], mean: sums[label].map { $0 / Double(sizes[label]) })
                                },
                                leftOut: d.count - rows.count)
    }
}
