import Glibc

/// A term and its class-based TF-IDF score in one cluster.
struct DistinctiveTerm: Sendable, Equatable {
    let term: String
    let score: Double
}

/// The words of a text as `describe text=` counts them: runs of Unicode
/// letters and digits, lower-cased, at least two characters, English stop
/// words left out.
func termTokens(_ text: String) -> [String] {
    text.lowercased()
        .split(whereSeparator: { !($0.isLetter || $0.isNumber) })
        .filter { $0.count >= 2 }
        .map(String.init)
        .filter { !englishStopWords.contains($0) }
}

/// Each cluster's `top` most distinctive terms by class-based TF-IDF, as
/// BERTopic's c-TF-IDF: all of a cluster's texts read as one document, and
/// score(t, c) = tf(t, c) / words(c) × log(1 + A / f(t)), where A is the mean
/// number of words per cluster and f(t) the count of t over all clusters.
/// Terms frequent in one cluster and rare elsewhere score highest; ties go
/// to the alphabetically first term. `texts[i]` nil or labels below 0 are
/// left out.
/// - Complexity: O(total words) to count, O(V log V) per cluster to rank.
func distinctiveTerms(texts: [String?], labels: [Int], clusterCount: Int, top: Int) -> [[DistinctiveTerm]] {
    var counts = [[String: Int]](repeating: [:], count: clusterCount)
    for (i, text) in texts.enumerated() where labels[i] >= 0 {
        guard let text else { continue }
        for token in termTokens(text) { counts[labels[i]][token, default: 0] += 1 }
    }
    let words = counts.map { $0.values.reduce(0, +) }
    let described = words.indices.filter { words[$0] > 0 }
    guard !described.isEmpty else { return counts.map { _ in [] } }
    let meanWords = Double(described.reduce(0) { $0 + words[$1] }) / Double(described.count)
    var total: [String: Int] = [:]
    for cluster in counts { for (term, n) in cluster { total[term, default: 0] += n } }
    return counts.indices.map { c in
        counts[c].map { term, n in
            DistinctiveTerm(term: term, score: Double(n) / Double(words[c]) * log(1 + meanWords / Double(total[term] ?? n)))
        }
        .sorted { $0.score != $1.score ? $0.score > $1.score : $0.term < $1.term }
        .prefix(top).map { $0 }
    }
}
