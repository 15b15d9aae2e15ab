import Foundation
import Testing

/// Runs each `Tests/Golden/*.clus` with `--echo` and compares what it prints
/// with the `.expected` file beside it: each command echoed (`> metrics`)
/// above its output, errors (stderr) at the place they happened, then the exit
/// status. A first line `# flags: --format json` passes flags. Wall times are masked.
/// Re-record with `RECORD_GOLDEN=1 swift test --filter GoldenTests` and
/// review the diff.
@Suite struct GoldenTests {
    static let folder = ClusProcess.root.appendingPathComponent("Tests/Golden")

    static let scripts: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".clus") }.sorted()
    }()

    @Test func thereAreGoldenScripts() {
        #expect(GoldenTests.scripts.count >= 6)
    }

    @Test(arguments: GoldenTests.scripts)
    func golden(_ name: String) throws {
        let script = GoldenTests.folder.appendingPathComponent(name)
        let text = try String(contentsOf: script, encoding: .utf8)
        var flags: [String] = []
        if let first = text.split(separator: "\n").first, first.hasPrefix("# flags:") {
            flags = first.dropFirst("# flags:".count).split(separator: " ").map(String.init)
        }
        let out = try ClusProcess.run(flags + ["--echo", "--threads", "2", "Tests/Golden/\(name)"], mergingStderr: true)
        let actual = GoldenTests.mask("""
            \(out.stdout)--- exit status \(out.status)

            """)
        let expectedURL = script.deletingPathExtension().appendingPathExtension("expected")
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try actual.write(to: expectedURL, atomically: true, encoding: .utf8)
            return
        }
        let expected = (try? String(contentsOf: expectedURL, encoding: .utf8)) ?? "(no \(expectedURL.lastPathComponent); record with RECORD_GOLDEN=1)"
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
            Issue.record("""
                \(name) differs from \(expectedURL.lastPathComponent) at line \(first + 1):
                  expected: \(first < e.count ? String(e[first]) : "<end>")
                  actual:   \(first < a.count ? String(a[first]) : "<end>")
                """)
        }
    }

    /// Replaces wall times, which differ run to run, and the padding their width gives.
    static func mask(_ text: String) -> String {
        var out = text
        for (pattern, replacement) in [(#""elapsed_s": [0-9.e-]+"#, #""elapsed_s": <t>"#),
                                       (#""seconds": [0-9.e-]+"#, #""seconds": <t>"#),
                                       (#""fit_s": [0-9.e-]+"#, #""fit_s": <t>"#),
                                       (#"\b[0-9]+\.[0-9]+ (ms|s)\b"#, "<time>"),
                                       // a right-aligned time column is as wide as its widest time
                                       (#" {2,}<time>"#, "  <time>"), (#" {2,}time  parameters"#, "  time  parameters"),
                                       (#"(?m) {2,}fit$"#, "  fit")] {
            out = out.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return out
    }
}
