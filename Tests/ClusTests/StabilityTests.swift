import Foundation
import Testing

/// `stability` through the binary: 1 for well-separated blobs, low for
/// uniform noise, in [0, 1], the same for the same seed.
@Suite struct StabilityTests {
    /// Writes `count` documents of `dimension` values to a temporary JSON Lines
    /// file: around `centres` (±0.5) when given, else uniform in [0, 1).
    static func write(_ name: String, count: Int, dimension: Int, centres: [[Double]]? = nil) throws -> String {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func unit() -> Double {  // a fixed LCG: the same file on every run
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) * 0x1.0p-53
        }
        var text = ""
        for i in 0 ..< count {
            let centre = centres.map { $0[i % $0.count] } ?? [Double](repeating: 0.5, count: dimension)
            let values = (0 ..< dimension).map { j in centres == nil ? unit() : centre[j] + unit() - 0.5 }
            text += "{\"_id\": \(i), \"v\": [\(values.map { String($0) }.joined(separator: ", "))]}\n"
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("clus-stability-\(name)-\(getpid()).jsonl")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func stability(_ path: String, _ options: String) throws -> [String: Any] {
        let out = try ClusProcess.run(["--format", "json", "-c", "load \"\(path)\"; stability \(options)"])
        #expect(out.status == 0, "\(out.stderr)")
        let last = try #require(out.stdout.split(separator: "\n").last)
        return try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    }

    @Test(arguments: ["k=3 runs=5", "k=3 runs=4 bootstrap=on", "k=3 runs=3 method=agglomerative fraction=0.5"])
    func wellSeparatedBlobsAreStable(_ options: String) throws {
        let path = try StabilityTests.write("blobs", count: 90, dimension: 2, centres: [[0, 0], [100, 0], [0, 100]])
        let result = try StabilityTests.stability(path, options)
        let clusters = try #require(result["clusters"] as? [[String: Any]])
        #expect(clusters.count == 3)
        for cluster in clusters { #expect(cluster["jaccard"] as? Double == 1) }
        #expect(result["mean_jaccard"] as? Double == 1)
        #expect(result["mean_ari"] as? Double == 1)
    }

    @Test func uniformNoiseDissolvesAndASeedRepeats() throws {
        let path = try StabilityTests.write("noise", count: 300, dimension: 10)
        let result = try StabilityTests.stability(path, "k=8 runs=6 seed=4")
        let mean = try #require(result["mean_jaccard"] as? Double)
        #expect(mean < 0.6, "uniform noise gave a mean Jaccard of \(mean)")
        let clusters = try #require(result["clusters"] as? [[String: Any]])
        for cluster in clusters {
            let j = try #require(cluster["jaccard"] as? Double)
            #expect(j >= 0 && j <= 1)
        }
        let ari = try #require(result["mean_ari"] as? Double)
        #expect(ari >= -1 && ari < 0.6)
        let again = try StabilityTests.stability(path, "k=8 runs=6 seed=4")
        #expect(again["mean_jaccard"] as? Double == mean)
        #expect(again["mean_ari"] as? Double == ari)
        let other = try StabilityTests.stability(path, "k=8 runs=6 seed=5")
        #expect(other["mean_jaccard"] as? Double != mean)
    }

    /// `sweep stability=on` gives each row the mean Jaccard `stability` gives for that k.
    @Test func sweepsStabilityColumnIsStabilitysMeanJaccard() throws {
        let out = try ClusProcess.run(["--format", "json", "-c",
                                       "load \"Tests/Golden/data/iris.jsonl\"; sweep k=[3, 4] stability=on runs=4 seed=3 keep=off; stability k=4 runs=4 seed=3"])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n")
        let sweep = try #require(try JSONSerialization.jsonObject(with: Data(lines[lines.count - 2].utf8)) as? [String: Any])
        let stability = try #require(try JSONSerialization.jsonObject(with: Data(lines[lines.count - 1].utf8)) as? [String: Any])
        let rows = try #require(sweep["rows"] as? [[String: Any]])
        let value = try #require(rows.last?["stability"] as? Double)
        #expect(value == stability["mean_jaccard"] as? Double)
    }
}
