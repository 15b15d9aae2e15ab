import Foundation
import Testing
import ClusCore
@testable import ClusLang

/// Collects what the interpreter emits.
final class CollectingSink: OutputSink {
    var results: [TimedOutput] = []
    var errors: [String] = []
    func emit(_ result: TimedOutput) { results.append(result) }
    func emit(_ error: LocatedDiagnostic) { errors.append(error.rendered()) }
    func echo(_ commandText: String) {}
}

/// A progress bar that presses Ctrl-C once the task has reported `after` updates.
final class CancellingProgress: ProgressReporter, @unchecked Sendable {
    let cancellation: Cancellation
    let after: Int
    private var updates = 0
    init(_ cancellation: Cancellation, after: Int) {
        self.cancellation = cancellation
        self.after = after
    }
    func start(_ label: String, total: Int, unit: ProgressUnit) {}
    func update(done: Int) {
        updates += 1
        if updates >= after { cancellation.cancel() }
    }
    func finish() {}
}

/// A failed or cancelled load or cluster leaves the session as it was:
/// the same datasets, the same current dataset, no new alias.
@Suite final class SessionIntegrityTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("clus-integrity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// `count` documents of 4-d vectors; line `badLine` (1-based) malformed when given.
    func writeDocuments(_ name: String, count: Int, badLine: Int? = nil) throws -> String {
        var text = ""
        for i in 1 ... count {
            if i == badLine {
                text += "{\"v\": [1, 2, 3, 4], \"t\": }\n"
            } else {
                text += "{\"v\": [\(i % 7), \(i % 5), \(i % 3), \(i % 11)], \"t\": \(i % 4)}\n"
            }
        }
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: false, encoding: .utf8)
        return url.path
    }

    /// A session with two datasets loaded and a clustering; `b` current.
    func session() throws -> (Session, Interpreter, CollectingSink) {
        let a = try writeDocuments("a.jsonl", count: 50)
        let b = try writeDocuments("b.jsonl", count: 60)
        let session = Session()
        let sink = CollectingSink()
        let interpreter = Interpreter(session: session, output: sink)
        let outcome = interpreter.run(SourceFile(name: "setup", text: "load \"\(a)\"\nload \"\(b)\"\ncluster k=3"))
        #expect(outcome == .completed, "\(sink.errors)")
        return (session, interpreter, sink)
    }

    struct Snapshot: Equatable {
        let datasets: [String]
        let current: String?
        let aliases: [String: [String]]
        let currentAliases: [String: String]

        init(_ s: Session) {
            datasets = s.datasets.map(\.name)
            current = s.currentDatasetName
            aliases = Dictionary(uniqueKeysWithValues: s.datasets.map { ($0.name, $0.clusterings.map(\.alias)) })
            currentAliases = s.currentAliases.mapValues(\.alias)
        }
    }

    @Test func failedLoadMidwayAddsNothing() throws {
        let (session, interpreter, sink) = try session()
        let before = Snapshot(session)
        let bad = try writeDocuments("bad.jsonl", count: 6000, badLine: 5000)
        let outcome = interpreter.run(SourceFile(name: "t", text: "load \"\(bad)\""))
        #expect(outcome == .failed)
        #expect(sink.errors.last?.contains("bad.jsonl:5000:") == true, "\(sink.errors)")
        #expect(Snapshot(session) == before)
    }

    @Test func cancelledLoadAddsNothing() throws {
        let (session, interpreter, sink) = try session()
        let before = Snapshot(session)
        // Big enough for several progress reports; the first one cancels.
        let big = try writeDocuments("big.jsonl", count: 200_000)
        session.progress = CancellingProgress(session.cancellation, after: 1)
        let outcome = interpreter.run(SourceFile(name: "t", text: "load \"\(big)\""))
        #expect(outcome == .interrupted, "\(sink.errors)")
        #expect(Snapshot(session) == before)
        session.cancellation.reset()
        session.progress = nil
        // The session still works afterwards.
        #expect(interpreter.run(SourceFile(name: "t", text: "load \"\(big)\" as big2")) == .completed)
        #expect(session.datasets.map(\.name) == before.datasets + ["big2"])
    }

    @Test func failedClusterAddsNoAlias() throws {
        let (session, interpreter, sink) = try session()
        let before = Snapshot(session)
        let outcome = interpreter.run(SourceFile(name: "t", text: "set memory_limit=1KiB\ncluster method=agglomerative k=3 alias=fails"))
        #expect(outcome == .failed)
        #expect(sink.errors.last?.contains("memory_limit 1 KiB") == true, "\(sink.errors)")
        #expect(Snapshot(session) == before)
    }

    @Test func cancelledClusterAddsNoAlias() throws {
        let (session, interpreter, sink) = try session()
        let before = Snapshot(session)
        session.progress = CancellingProgress(session.cancellation, after: 1)
        let outcome = interpreter.run(SourceFile(name: "t", text: "cluster k=4 alias=stopped max_iter=300 tol=0"))
        #expect(outcome == .interrupted, "\(sink.errors)")
        #expect(Snapshot(session) == before)
    }
}
