/// One-line readings of index values, for people new to them.
enum Reading {
    /// Kaufman & Rousseeuw's reading of the average silhouette width.
    static func silhouette(_ s: Double) -> String {
        switch s {
        case 0.71...: "strong structure: documents sit well inside their clusters"
        case 0.51...: "reasonable structure"
        case 0.26...: "weak structure that could be artificial"
        case 0...: "no substantial structure: clusters overlap"
        default: "many documents sit closer to another cluster than to their own"
        }
    }

    static let calinskiHarabasz = "higher is better; compare clusterings of the same data, no fixed scale"

    static func daviesBouldin(_ db: Double) -> String {
        (db < 1 ? "clusters are tighter than the distance to their nearest neighbour" : "clusters spread as wide as the gaps to their neighbours")
            + " (lower is better, 0 best)"
    }

    static func ari(_ a: Double, _ truth: String) -> String {
        switch a {
        case 0.9...: "near-perfect agreement with \(truth)"
        case 0.7...: "strong agreement with \(truth) beyond chance"
        case 0.4...: "moderate agreement with \(truth) beyond chance"
        case 0.1...: "weak agreement with \(truth) beyond chance"
        case (-0.05)...: "no agreement with \(truth) beyond chance"
        default: "less agreement with \(truth) than chance"
        }
    }

    static func rand(_ r: Double, _ truth: String) -> String {
        "\(Format.percent(r)) of document pairs are grouped alike by the clusters and \(truth) (not adjusted for chance)"
    }

    static func information(_ v: Double, _ truth: String, _ what: String) -> String {
        "\(scale(v)) \(what) \(truth)"
    }

    static func scale(_ v: Double) -> String {
        switch v {
        case 0.8...: "high"
        case 0.5...: "moderate"
        case 0.2...: "low"
        default: "very little"
        }
    }
}
