import ClusCore
#if canImport(Glibc)
import Glibc
#endif

/// Byte counts as `memory_limit=` takes them and as refusals print them.
enum ByteSize {
    /// Units by suffix: decimal (`MB` = 10⁶) and binary (`MiB` = 2²⁰), any case.
    private static let units: [(String, Double)] = [
        ("kib", 1024), ("mib", 1_048_576), ("gib", 1_073_741_824), ("tib", 1_099_511_627_776),
        ("kb", 1e3), ("mb", 1e6), ("gb", 1e9), ("tb", 1e12),
    ]

    /// `4GiB`, `512MiB`, `800MB`, `1.5GiB`, `1048576` (bytes) → bytes; nil if malformed or not positive.
    static func parse(_ text: String) -> Int? {
        let lower = text.lowercased()
        var number = Substring(lower)
        var scale = 1.0
        if let (suffix, factor) = units.first(where: { lower.hasSuffix($0.0) }) {
            number = number.dropLast(suffix.count)
            scale = factor
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(number) else { return nil }
        let bytes = (value * scale).rounded()
        guard bytes >= 1, bytes < 9e18 else { return nil }
        return Int(bytes)
    }

    /// Whether `text` is a number with a size unit, which the lexer reads as one word.
    static func hasUnit(_ text: String) -> Bool {
        let lower = text.lowercased()
        return units.contains { lower.hasSuffix($0.0) } && parse(text) != nil
    }

    /// 12 GiB, 1.5 MiB, 800 bytes: binary units, three significant digits.
    static func format(_ bytes: Int) -> String {
        if bytes == .max { return "more than 8 EiB" }
        if bytes < 1024 { return "\(bytes) byte\(bytes == 1 ? "" : "s")" }
        var value = Double(bytes)
        var unit = "bytes"
        for name in ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"] where value >= 1024 {
            value /= 1024
            unit = name
        }
        let digits = value >= 100 ? 0 : value >= 10 ? 1 : 2
        var text = Format.fixed(value, digits)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text + " " + unit
    }
}

extension Settings {
    /// Half the machine's physical memory (sysconf's pages × page size), or
    /// 4 GiB when the system does not say.
    static func defaultMemoryLimit() -> Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return 4 << 30 }
        return saturatingProduct(pages, pageSize) / 2
    }
}

extension Session {
    /// Refuses work whose memory estimate passes `memory_limit`, in one line:
    /// what, the estimate, the limit, and what to do instead.
    func requireMemory(_ bytes: Int, for work: String, instead: String, at range: SourceRange? = nil) throws(Diagnostic) {
        let limit = settings.memoryLimit
        guard bytes > limit else { return }
        throw Diagnostic("\(work) needs about \(ByteSize.format(bytes)) (memory_limit \(ByteSize.format(limit))); \(instead)",
                         at: range)
    }
}

extension Session {
    /// Refuses the exact silhouette when its working memory (under `metric`;
    /// nil: the pairwise kind's n × k sums) would pass the limit.
    func requireSilhouetteMemory(documents n: Int, dimension d: Int, clusters k: Int, metric: DistanceMetric? = nil,
                                 at range: SourceRange? = nil) throws(Diagnostic) {
        let bytes = metric.map { silhouetteMemory(documents: n, dimension: d, clusters: k, metric: $0, threads: settings.threads) }
            ?? silhouetteMemory(documents: n, dimension: d, clusters: k, threads: settings.threads)
        try requireMemory(bytes, for: "the exact silhouette of \(Format.count(n)) documents in \(Format.count(k)) clusters",
                          instead: "use metrics sample=2000 (an estimate with a 95% CI) or a clustering with fewer clusters", at: range)
    }

    /// Refuses a truth × cluster table (external indices, distribution) that
    /// would pass the limit: a truth field with a value per document, say.
    func requireContingencyMemory(truthValues rows: Int, truthName: String, clusters columns: Int,
                                  at range: SourceRange? = nil) throws(Diagnostic) {
        let bytes = contingencyTableMemory(rows: rows, columns: columns)
        try requireMemory(bytes, for: "a table of \(Format.count(rows)) \(truthName) values × \(Format.count(columns)) clusters",
                          instead: "use a truth field with fewer distinct values (is \(truthName) an ID?) or a clustering with fewer clusters",
                          at: range)
    }
}
