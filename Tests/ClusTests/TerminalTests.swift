import Foundation
import Testing

/// The interactive shell in a real pseudo-terminal: completion, history,
/// continuation, Ctrl-C, Ctrl-D and colour.
@Suite(.serialized) struct TerminalTests {
    let iris = "load \"Tests/Golden/data/iris.jsonl\"\r"

    func historyFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("clus-history-\(UUID().uuidString)").path
    }

    @Test func completesPathsCommandsOptionsAndFieldNames() throws {
        let t = try TerminalSession(environment: ["CLUS_HISTORY": ""])
        #expect(t.waitFor("clus> "))
        // a quoted path completes folder by folder, then the file and its quote
        for keys in ["load \"Scr\t", "da\t", "dig\t"] { t.type(keys) }
        t.type("\r")
        #expect(t.waitFor("loaded digits"), "\(t.screen)")
        t.type("cluster k=3\r")
        #expect(t.waitFor("kmeans_3 on pixels"))
        // "distr<TAB>" → "distribution ", "tr<TAB>" → "truth=", "dig<TAB>" → "digit"
        t.type("distr\t")
        t.type("tr\t")
        t.type("dig\t")
        t.type("\r")
        #expect(t.waitFor("overall purity"), "\(t.screen)")
        #expect(t.screen.contains("share of documents carrying their cluster's most frequent digit"))
        t.type("\u{4}")
        #expect(t.waitForExit() == 0)
    }

    @Test func historyPersistsAcrossRuns() throws {
        let path = historyFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try TerminalSession(environment: ["CLUS_HISTORY": path])
        #expect(first.waitFor("clus> "))
        first.type("echo remembered-42\r")
        #expect(first.waitFor("remembered-42", count: 2))
        first.type("\u{4}")
        #expect(first.waitForExit() == 0)

        let second = try TerminalSession(environment: ["CLUS_HISTORY": path])
        #expect(second.waitFor("clus> "))
        second.type("\u{1B}[A")  // up arrow recalls the last entry
        second.type("\r")
        #expect(second.waitFor("remembered-42", count: 2), "\(second.screen)")
        second.type("quit\r")
        #expect(second.waitForExit() == 0)
    }

    /// A connection string's password never reaches the history file: the
    /// entry is kept with `***` in its place.
    @Test func historyKeepsNoPassword() throws {
        let path = historyFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let t = try TerminalSession(environment: ["CLUS_HISTORY": path])
        #expect(t.waitFor("clus> "))
        t.type("load postgres \"postgresql://me:s3cret-pw@127.0.0.1:1/db\" query=\"SELECT 1\"\r")
        #expect(t.waitFor("cannot connect"), "\(t.screen)")
        #expect(t.screen.contains("postgresql://me:***@127.0.0.1:1/db: cannot connect"))
        t.type("quit\r")
        #expect(t.waitForExit() == 0)
        let history = try String(contentsOfFile: path, encoding: .utf8)
        #expect(history.contains("me:***@127.0.0.1"), "\(history)")
        #expect(!history.contains("s3cret-pw"), "\(history)")
    }

    @Test func unfinishedBlockShowsTheContinuationPrompt() throws {
        let t = try TerminalSession(environment: ["CLUS_HISTORY": ""])
        #expect(t.waitFor("clus> "))
        t.type("for k in 2..3 {\r")
        #expect(t.waitFor(" ...> "))
        t.type("echo \"value $k\"\r")
        t.type("}\r")
        #expect(t.waitFor("value 3"), "\(t.screen)")
        #expect(t.screen.contains("value 2"))
        // Ctrl-C on a continuation discards the pending input
        t.type("echo \"open\r")
        #expect(t.waitFor(" ...> ", count: 3))
        t.type("\u{3}")
        t.type("echo fresh\r")
        #expect(t.waitFor("fresh", count: 2))
        #expect(!t.screen.contains("open\nfresh"))
        t.type("\u{4}")
        #expect(t.waitForExit() == 0)
    }

    @Test func ctrlCCancelsALongSilhouetteAndTheSessionGoesOn() throws {
        let data = try Self.largeDataset()
        let t = try TerminalSession(environment: ["CLUS_HISTORY": ""])
        #expect(t.waitFor("clus> "))
        t.type("load \"\(data)\" as big\r")
        #expect(t.waitFor("loaded big", timeout: 60))
        t.type("metrics\r")  // exact silhouette of 50,000 documents: long
        Thread.sleep(forTimeInterval: 1.0)
        #expect(!t.screen.contains("Silhouette"))
        let sent = Date()
        t.send("\u{3}")
        #expect(t.waitFor("interrupted", timeout: 5))
        let waited = Date().timeIntervalSince(sent)
        print("Ctrl-C to 'interrupted': \(Int(waited * 1000)) ms (\(ClusProcess.binary.path))")
        #expect(waited < TerminalTests.cancelLimit, "Ctrl-C took \(waited) s")
        t.type(iris)
        #expect(t.waitFor("loaded iris"))
        t.type("metrics truth=target\r")
        #expect(t.waitFor("Purity"), "\(t.screen)")
        t.type("datasets\r")
        #expect(t.waitFor("big ", timeout: 5))
        #expect(t.quit() == 0, "\(t.screen.suffix(300))")
    }

    /// The issue's bound; measured 45 ms with a debug build, 10 ms release.
    static let cancelLimit = 0.2

    /// Ctrl-C to the prompt for agglomerative clustering, HDBSCAN and sweep, which
    /// check once a row of distances, a merge or a step of a tree. Measured
    /// with a debug build on 2 cores at load average 3.3 (other builds beside):
    /// agglomerative 6–35 ms, HDBSCAN 8–121 ms, sweep 4–28 ms, and up to 150 ms
    /// with the whole test suite running beside; with checks once a chunk of
    /// rows, 8–9 s. The bound leaves a loaded CI machine 3× slack over the
    /// worst measured, which the issue's 200 ms would not.
    static let methodCancelLimit = 0.5

    /// A release binary (CLUS_BINARY) runs many times faster: bigger data keeps it busy.
    static let releaseBinary = ClusProcess.binary.path.contains("/release/")

    /// Interrupts `command` twice, in its first phase as soon as its bar shows
    /// and in its second once the bar is past `secondPhase`; each time the
    /// prompt comes back within the bound, and no alias is made.
    func interruptTwice(_ command: String, bar: String, madeAlias: String, secondPhase: Int, documents: Int) throws {
        let data = try Self.dataset(documents: documents)
        let t = try TerminalSession(environment: ["CLUS_HISTORY": ""])
        #expect(t.waitFor("clus> "))
        t.type("load \"\(data)\" as blobs\r")
        #expect(t.waitFor("loaded blobs", timeout: 60))
        for (phase, shown) in [("first", 1), ("second", secondPhase + 1)] {
            t.type(command + "\r")
            #expect(t.waitForProgress(bar, atLeast: shown, timeout: 120), "no bar '\(bar)' at \(shown): \(t.screen.suffix(300))")
            let at = t.progressShown(bar) ?? 0
            let waited = try #require(t.interrupt(), "no prompt after Ctrl-C: \(t.screen.suffix(300))")
            print("\(command), \(phase) phase (bar at \(at)): Ctrl-C to the prompt \(Int(waited * 1000)) ms (\(ClusProcess.binary.path))")
            #expect(waited < TerminalTests.methodCancelLimit, "Ctrl-C took \(waited) s in the \(phase) phase")
        }
        // the session goes on, without a half-made clustering
        t.type("aliases\r")
        #expect(t.waitFor("c8 "), "\(t.screen.suffix(300))")
        #expect(!t.screen.contains(madeAlias), "\(t.screen.suffix(300))")
        t.type("cluster k=3\r")
        #expect(t.waitFor("kmeans_3 on v", timeout: 30), "\(t.screen.suffix(300))")
        #expect(t.quit() == 0, "\(t.screen.suffix(300))")
    }

    @Test func ctrlCStopsAgglomerativeWhileItFillsDistancesAndWhileItMerges() throws {
        let n = Self.releaseBinary ? 10_000 : 2_000
        try interruptTwice("cluster method=agglomerative k=8", bar: "agglomerative ward k=8 (distances, then merges)",
                           madeAlias: "agglomerative_ward_8", secondPhase: n, documents: n)
    }

    @Test func ctrlCStopsHDBSCANInItsCoreDistancesAndItsSpanningTree() throws {
        // HDBSCAN's matrix path takes 0.3 s at 1,000 in debug, too soon for a bar
        let n = Self.releaseBinary ? 20_000 : 8_000
        try interruptTwice("cluster method=hdbscan", bar: "hdbscan min_cluster_size=5 (core distances, then spanning tree)",
                           madeAlias: "hdbscan_mcs5", secondPhase: n, documents: n)
    }

    @Test func sweepShowsOneBarForItsValuesOfKAndErasesItOnCtrlC() throws {
        let data = try Self.dataset(documents: Self.releaseBinary ? 50_000 : 3_000)
        let label = "sweep k=2..40 step=2"
        let t = try TerminalSession(environment: ["CLUS_HISTORY": ""])
        #expect(t.waitFor("clus> "))
        t.type("load \"\(data)\" as blobs\r")
        #expect(t.waitFor("loaded blobs", timeout: 60))
        t.type(label + "\r")
        #expect(t.waitForProgress(label, atLeast: 1, timeout: 120), "\(t.screen.suffix(300))")
        let at = t.progressShown(label) ?? 0
        let waited = try #require(t.interrupt(), "no prompt after Ctrl-C: \(t.screen.suffix(300))")
        print("\(label) (bar at \(at)): Ctrl-C to the prompt \(Int(waited * 1000)) ms")
        #expect(waited < TerminalTests.methodCancelLimit)
        // one bar: the clusterings and silhouettes inside draw none of their own
        #expect(!t.raw.contains("k-means k="))
        #expect(!t.raw.contains("silhouette of"))
        // the rows done, printed once the bar's line was erased
        let raw = t.raw
        let footer = try #require(raw.range(of: " of 20 values of k done"), "\(t.screen.suffix(300))")
        let beforeFooter = raw[..<footer.lowerBound]
        let lastBar = try #require(beforeFooter.range(of: label + " ", options: .backwards))
        let afterBar = beforeFooter[lastBar.upperBound...]
        let erase = try #require(afterBar.range(of: "\r\u{1B}[K"), "the bar was not erased before the table")
        #expect(!afterBar[..<erase.lowerBound].contains("\n"), "the table was printed on the bar's line")
        #expect(t.quit() == 0, "\(t.screen.suffix(300))")
    }

    /// Ctrl-C in `stability`'s resamples: its one bar is erased, one line says
    /// the command was interrupted, no half result is printed, and the session
    /// goes on with its dataset and aliases as they were.
    @Test func stabilityErasesItsBarOnCtrlCAndTheSessionGoesOn() throws {
        let (documents, shown) = Self.releaseBinary ? (50_000, "50,000") : (3_000, "3,000")
        let data = try Self.dataset(documents: documents)
        let label = "stability kmeans 500 runs"
        let t = try TerminalSession(environment: ["CLUS_HISTORY": ""])
        #expect(t.waitFor("clus> "))
        t.type("load \"\(data)\" as blobs\r")
        #expect(t.waitFor("loaded blobs", timeout: 60))
        t.type("stability k=8 runs=500\r")
        // past the clustering of all documents, into the resamples
        #expect(t.waitForProgress(label, atLeast: 2, timeout: 120), "\(t.screen.suffix(300))")
        let at = t.progressShown(label) ?? 0
        let waited = try #require(t.interrupt(), "no prompt after Ctrl-C: \(t.screen.suffix(300))")
        print("\(label) (bar at \(at)): Ctrl-C to the prompt \(Int(waited * 1000)) ms (\(ClusProcess.binary.path))")
        #expect(waited < TerminalTests.methodCancelLimit)
        // the bar's line erased before the note, which is a line of its own
        let raw = t.raw
        let note = try #require(raw.range(of: "interrupted", options: .backwards))
        let beforeNote = raw[..<note.lowerBound]
        let lastBar = try #require(beforeNote.range(of: label + " ", options: .backwards))
        let afterBar = beforeNote[lastBar.upperBound...]
        let erase = try #require(afterBar.range(of: "\r\u{1B}[K"), "the bar was not erased before the note")
        #expect(!afterBar[..<erase.lowerBound].contains("\n"), "the note was printed on the bar's line")
        let noteLine = TerminalSession.plain(String(raw[erase.upperBound...].prefix { !$0.isNewline }))
        #expect(noteLine == "error: interrupted", "\(noteLine.debugDescription)")
        #expect(raw.components(separatedBy: "interrupted").count == 2, "more than one note")
        #expect(!t.screen.contains("mean Jaccard"), "a result after Ctrl-C: \(t.screen.suffix(300))")
        // the session goes on: the dataset whole, no clustering left behind, the command runs again
        t.type("datasets\r")
        #expect(t.waitFor(shown + "  v (64-d)", timeout: 10), "\(t.screen.suffix(300))")
        t.type("aliases\r")
        #expect(t.waitFor("c8 "), "\(t.screen.suffix(300))")
        #expect(!t.screen.contains("kmeans_8"), "\(t.screen.suffix(300))")
        t.type("stability k=8 runs=2\r")
        #expect(t.waitFor("mean Jaccard", timeout: 120), "\(t.screen.suffix(300))")
        #expect(t.quit() == 0, "\(t.screen.suffix(300))")
    }

    @Test func colourOnATerminalUnlessNoColor() throws {
        let coloured = try TerminalSession(environment: ["CLUS_HISTORY": ""])
        #expect(coloured.waitFor("clus> "))
        coloured.type("help\r")
        #expect(coloured.waitFor("does"))
        #expect(coloured.raw.contains("\u{1B}[1mcommand"))
        coloured.type("\u{4}")
        #expect(coloured.waitForExit() == 0)

        let plain = try TerminalSession(environment: ["CLUS_HISTORY": "", "NO_COLOR": "1"])
        #expect(plain.waitFor("clus> "))
        plain.type("help\r")
        #expect(plain.waitFor("does"))
        #expect(!plain.raw.contains("\u{1B}[1m"))
        plain.type("\u{4}")
        #expect(plain.waitForExit() == 0)
    }

    /// 50,000 documents of 64 numbers in 8 clusters, written once per run.
    static func largeDataset() throws -> String { try dataset(documents: 50_000) }

    /// `documents` documents of 64 numbers in 8 clusters, written once per run.
    static func dataset(documents: Int) throws -> String {
        let name = documents % 1000 == 0 ? "clus-\(documents / 1000)k.jsonl" : "clus-\(documents).jsonl"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        if FileManager.default.fileExists(atPath: path) { return path }
        var generator = SystemRandomNumberGenerator()
        var text = ""
        text.reserveCapacity(documents * 64 * 8)
        for i in 0 ..< documents {
            let cluster = i % 8
            let values = (0 ..< 64).map { j in
                String(Float(j % 8 == cluster ? 5 : 0) + Float.random(in: -1 ... 1, using: &generator))
            }
            text += "{\"_id\": \(i), \"v\": [\(values.joined(separator: ","))], \"_cluster_\": {\"v\": {\"c8\": \"c\(cluster)\"}}}\n"
        }
        let temporary = path + ".\(getpid())"
        try text.write(toFile: temporary, atomically: false, encoding: .utf8)
        _ = rename(temporary, path)
        return path
    }

    /// `pause` in a script run on a terminal waits for Enter, then goes on;
    /// Ctrl-C while it waits stops the script (exit 130).
    @Test func pauseWaitsForEnterOnATerminal() throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("clus-pause-\(UUID().uuidString).clus").path
        try "echo before\npause \"Next: the metrics\"\necho after-enter\npause\necho never\n".write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }
        let t = try TerminalSession(arguments: [script], environment: ["CLUS_HISTORY": ""])
        #expect(t.waitFor("Next: the metrics ⏎"), "\(t.screen)")
        Thread.sleep(forTimeInterval: 0.3)
        #expect(!t.screen.contains("after-enter"), "it waits")
        t.type("\r")
        #expect(t.waitFor("after-enter"), "\(t.screen)")
        #expect(t.waitFor("press Enter to go on ⏎"))
        t.type("\u{3}")
        #expect(t.waitForExit() == 130)
        #expect(!t.screen.contains("never"))
    }

}
