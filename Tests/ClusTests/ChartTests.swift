import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// The SVG charts and the HTML report are well-formed XML (the report is
/// written as XHTML-compatible HTML), hold what they promise, and are
/// written whole.
@Suite(.serialized) struct ChartTests {
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String: Int] = [:]
        var text = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements[name, default: 0] += 1
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    func parse(_ path: String) throws -> Collector {
        let parser = try #require(XMLParser(contentsOf: URL(fileURLWithPath: path)))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "\(path): \(parser.parserError.map { "\($0)" } ?? "")")
        return collector
    }

    @Test func chartsAndReportAreWellFormed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("clus-charts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = try ClusProcess.run(["-c", """
            load "Tests/Golden/data/iris.jsonl"
            sweep k=2..5 truth=species keep=off
            cluster k=4 alias=k4
            compare kmeans_3 k4
            plot silhouette alias=kmeans_3 into "\(dir)/s.svg"
            plot distribution alias=kmeans_3 truth=species into "\(dir)/d.svg"
            plot sweep into "\(dir)/w.svg"
            plot compare into "\(dir)/c.svg"
            report alias=kmeans_3 truth=species into "\(dir)/r.html"
            """])
        #expect(out.status == 0, "\(out.stderr)")
        let silhouette = try parse("\(dir)/s.svg")
        #expect(silhouette.elements["svg"] == 1)
        #expect(silhouette.elements["polygon"] == 3, "one band per cluster")
        #expect(silhouette.text.contains("Silhouette of kmeans_3"))
        let distribution = try parse("\(dir)/d.svg")
        #expect(distribution.text.contains("setosa"))
        let sweep = try parse("\(dir)/w.svg")
        #expect(sweep.elements["polyline"] == 6, "inertia and five indices")
        #expect(sweep.text.contains("elbow"))
        let compare = try parse("\(dir)/c.svg")
        #expect(compare.elements["rect"] == 1 + 3 * 4, "background and a 3×4 grid")
        let report = try parse("\(dir)/r.html")
        #expect(report.elements["svg"] == 4)
        #expect(report.elements["table"] ?? 0 >= 3)
        #expect(report.text.contains("Adjusted") || report.text.contains("ARI"))
        // no network resources: the only addresses are the XML namespaces
        let html = try String(contentsOfFile: "\(dir)/r.html", encoding: .utf8)
        let addresses = html.components(separatedBy: "http").dropFirst().map { String($0.prefix(30)) }
        #expect(addresses.allSatisfy { $0.hasPrefix("://www.w3.org/") }, "\(addresses)")
    }

    /// A sweep's chart names its method and metric and, on its x axis, the
    /// option swept; one without an objective (agglomerative) draws no inertia line of zeros.
    @Test func sweepChartsNameTheirMethod() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("clus-charts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = try ClusProcess.run(["-c", """
            load "Tests/Golden/data/iris.jsonl"
            sweep k=2..4 method=agglomerative keep=off
            plot sweep into "\(dir)/a.svg"
            sweep k=2..4 metric=cosine keep=off
            plot sweep into "\(dir)/c.svg"
            sweep method=hdbscan min_cluster_size=5..15 step=5 keep=off
            plot sweep into "\(dir)/h.svg"
            """])
        #expect(out.status == 0, "\(out.stderr)")
        let agglomerative = try parse("\(dir)/a.svg")
        #expect(agglomerative.text.contains("agglomerative sweep on features, euclidean"))
        #expect(agglomerative.text.contains("no objective for this method"))
        #expect(agglomerative.elements["polyline"] == 3, "the three internal indices only")
        let cosine = try parse("\(dir)/c.svg")
        #expect(cosine.text.contains("kmeans sweep on features, cosine"))
        #expect(cosine.text.contains("cosine objective"))
        // the x axis names the option swept
        let hdbscan = try parse("\(dir)/h.svg")
        #expect(hdbscan.text.contains("min_cluster_size"), "\(hdbscan.text)")
    }

    @Test func plotsNeedTheirInputAndAFolderThatExists() throws {
        let out = try ClusProcess.run(["--keep-going", "-c", """
            load "Tests/Golden/data/iris.jsonl"
            plot sweep into "x.svg"
            plot silhouette into "/no/such/folder/x.svg"
            plot pie into "x.svg"
            """])
        #expect(out.status == 1)
        #expect(out.stderr.contains("no sweep to plot yet"))
        #expect(out.stderr.contains("/no/such/folder/x.svg"))
        #expect(out.stderr.contains("unknown kind 'pie'"))
        #expect(!FileManager.default.fileExists(atPath: ClusProcess.root.appendingPathComponent("x.svg").path))
    }

    /// `plot map` draws every labelled document and the centres; with
    /// `points=` below the count it draws a stratified sample and says so.
    @Test func mapDrawsDocumentsAndCentres() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("clus-charts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = try ClusProcess.run(["-c", """
            load "Tests/Golden/data/iris.jsonl"
            plot map alias=kmeans_3 into "\(dir)/m.svg"
            plot map alias=kmeans_3 points=60 into "\(dir)/s.svg"
            plot distances alias=kmeans_3 into "\(dir)/d.svg"
            """])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        // iris-10 and iris-60 carry no label: left out, and counted
        #expect(lines.contains("left out 2 documents without a cluster or a usable vector"), "\(lines)")
        let full = try parse("\(dir)/m.svg")
        #expect(full.elements["circle"] == 148 + 3, "every labelled document and 3 centres")
        #expect(full.elements["g"] == 3, "one group of dots per cluster")
        #expect(full.text.contains("148 documents; ⊕ cluster means"))
        #expect(full.text.contains("PC1 (") && full.text.contains("of the variance)"))
        #expect(!out.stdout.contains("drew 148"))
        let sampled = try parse("\(dir)/s.svg")
        let note = try #require(lines.first { $0.hasPrefix("drew ") })
        #expect(note.hasPrefix("drew 60 of 148 documents, sampled by cluster"), "\(note)")
        #expect(sampled.elements["circle"] == 60 + 3)
        #expect(sampled.text.contains("60 of 148 documents, sampled by cluster"))
        let distances = try parse("\(dir)/d.svg")
        #expect(distances.elements["circle"] == 3, "one circle per cluster")
        #expect(distances.text.contains("classical MDS"))
        #expect(distances.text.contains("the plane keeps 100.0%"), "3 points always fit in a plane")
    }

    /// The map's json result tells how many documents were drawn of how many.
    @Test func mapJSONTellsTheSample() throws {
        let out = try ClusProcess.run(["--format", "json", "-c", """
            load "Tests/Golden/data/iris.jsonl"
            plot map alias=kmeans_3 points=30 into "/dev/null/x.svg"
            """])
        #expect(out.status == 1, "the folder /dev/null cannot hold a file")
        #expect(out.stdout.contains("\"error\""))
        let ok = try ClusProcess.run(["--format", "json", "-c", """
            load "Tests/Golden/data/iris.jsonl"
            plot map alias=kmeans_3 points=30 into "\(FileManager.default.temporaryDirectory.path)/clus-map-\(UUID().uuidString).svg"
            """])
        let last = try #require(ok.stdout.split(separator: "\n").last)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        #expect(json["documents"] as? Int == 148)
        #expect(json["drawn"] as? Int == 30)
        #expect(json["sampled"] as? Bool == true)
        #expect((json["variance_shares"] as? [Double])?.count == 2)
        if let path = json["path"] as? String { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Bad input is one clear line and changes nothing.
    @Test func mapAndDistancesRefuseBadInput() throws {
        let out = try ClusProcess.run(["--keep-going", "-c", """
            load "Scripts/data/digits.jsonl"
            plot map into "x.svg"
            filter digit == 3 as threes
            plot distances alias=digit into "x.svg"
            load "Tests/Golden/data/iris.jsonl"
            plot map alias=kmeans_3 into "/no/such/folder/map.svg"
            datasets
            """])
        #expect(out.status == 1)
        #expect(out.stderr.contains("plot distances needs at least 2 clusters; digit has 1 with documents"), "\(out.stderr)")
        #expect(out.stderr.contains("/no/such/folder/map.svg"))
        #expect(out.stdout.contains("iris"), "the session goes on after the errors")
        #expect(!FileManager.default.fileExists(atPath: ClusProcess.root.appendingPathComponent("x.svg").path))
    }
}
