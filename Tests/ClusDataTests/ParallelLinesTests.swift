import Foundation
import Testing
import ClusCore
@testable import ClusData

/// JSON Lines read in chunks on several threads must give the dataset (and
/// the first error, with its line) that reading it in one piece gives.
@Suite struct ParallelLinesTests {
    /// Everything a load produces, as text, to compare two loads.
    static func fingerprint(_ d: Dataset) -> String {
        var out = "\(d.count) documents\n"
        for f in d.fields {
            out += "field \(f.name) \(f.typeDescription) \(f.arrayDocuments.sorted()) \(f.values.map { $0.map { "\($0)" } ?? "-" })\n"
        }
        for v in d.vectors {
            out += "vector \(v.name) \(v.dimension) \(v.missingCount) rounded=\(v.roundedToFloat32) \(v.present)\n"
            out += "\(v.embeddings.values.map(\.bitPattern))\n"
            out += "\(v.unusable.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value.problem) \($0.value.jsonText)" })\n"
        }
        for c in d.clusterings { out += "clustering \(c.vectorField).\(c.alias) \(c.clusterNames) \(c.labels)\n" }
        return out + d.notes.joined(separator: "\n")
    }

    /// Reads `text` with chunks of `chunkBytes` on `threads` threads.
    static func read(_ text: String, chunkBytes: Int, threads: Int) throws -> String {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONLinesReader(path: "t.jsonl", parallelism: Parallelism(threads: threads), cancellation: nil,
                                         chunkBytes: chunkBytes)
            do {
                try reader.read(buffer, base: 0)
            } catch let error as DataError {
                return "error: \(error)"
            }
            let dataset = try reader.builder.dataset(name: "t", path: "t.jsonl", vectorField: nil, text: buffer)
            return fingerprint(dataset)
        }
    }

    /// A messy file: fields that come and go, nested objects, vectors of
    /// the wrong length, null, text and NaN, arrays written as strings,
    /// labels, long numbers.
    static func messy(lines: Int, seed: UInt64) -> String {
        var rng = SplitMix(seed: seed)
        var text = ""
        for i in 0 ..< lines {
            var members = ["\"_id\": \"d\(i % 97)\""]
            let kind = rng.next() % 20
            let length = kind == 0 ? 3 : 4
            let numbers = (0 ..< length).map { _ in
                rng.next() % 3 == 0 ? "\(Double(Int(rng.next() % 2_000_000)) / 1e6 - 1)" : "\(Double(Float(bitPattern: UInt32(truncatingIfNeeded: rng.next() % 0x3F80_0000))))"
            }
            switch kind {
            case 1: members.append("\"v\": null")
            case 2: members.append("\"v\": \"text\"")
            case 3: members.append("\"v\": [1, NaN, 2, 3]")
            case 4: break
            case 5: members.append("\"v\": \"[\(numbers.joined(separator: ", "))]\"")   // an array written as a string
            case 6: members.append("\"v\": \"[1, 2, 3]\"")
            default: members.append("\"v\": [\(numbers.joined(separator: ", "))]")
            }
            if rng.next() % 3 == 0 { members.append("\"meta\": {\"q\": \"q\(rng.next() % 7)\", \"n\": \(rng.next() % 100)}") }
            if rng.next() % 5 == 0 { members.append("\"tags\": [\"a\", \"b\"]") }
            if i > lines / 2 && rng.next() % 4 == 0 { members.append("\"late\": true") }
            if rng.next() % 2 == 0 { members.append("\"_cluster_\": {\"v\": {\"k\": \(rng.next() % 12), \"s\": \"c\(rng.next() % 5)\"}}") }
            text += "{" + members.joined(separator: ", ") + "}\n"
            if rng.next() % 50 == 0 { text += "\n" }
        }
        return text
    }

    @Test func chunksAndThreadsGiveTheSameDataset() throws {
        let text = ParallelLinesTests.messy(lines: 3000, seed: 5)
        let whole = try ParallelLinesTests.read(text, chunkBytes: 1 << 30, threads: 1)
        #expect(whole.hasPrefix("3000 documents"))
        for (chunk, threads) in [(100, 1), (100, 2), (1000, 4), (7, 3), (50_000, 2)] {
            let parts = try ParallelLinesTests.read(text, chunkBytes: chunk, threads: threads)
            #expect(parts == whole, "chunks of \(chunk) bytes on \(threads) threads")
        }
    }

    @Test func theFirstBadLineIsReportedWhateverTheChunks() throws {
        var lines = ParallelLinesTests.messy(lines: 2000, seed: 9).split(separator: "\n", omittingEmptySubsequences: false)
        lines[1500] = "{\"v\": [1, 2,]}"
        lines[1700] = "{\"v\": tru}"
        let text = lines.joined(separator: "\n")
        let whole = try ParallelLinesTests.read(text, chunkBytes: 1 << 30, threads: 1)
        #expect(whole == "error: t.jsonl:1501:12: trailing comma before ']'")
        for (chunk, threads) in [(100, 2), (3000, 2), (40_000, 4)] {
            #expect(try ParallelLinesTests.read(text, chunkBytes: chunk, threads: threads) == whole)
        }
    }

    /// The streamed load of a file (windows, re-reading the file for notes)
    /// against the same bytes parsed in memory.
    @Test func streamedFileMatchesInMemory() throws {
        let text = ParallelLinesTests.messy(lines: 5000, seed: 11)
        let path = try writeFile(Array(text.utf8), name: "messy.jsonl")
        let streamed = try DatasetLoader.load(path: path, options: LoadOptions())
        var inMemory = try DatasetLoader.parse(Array(text.utf8), format: .jsonl, path: path, options: LoadOptions())
        inMemory.notes += DatasetLoader.awkwardCases(inMemory)
        #expect(ParallelLinesTests.fingerprint(streamed) == ParallelLinesTests.fingerprint(inMemory))
        #expect(streamed.notes.contains { $0.contains("line ") })
        // small windows (some shorter than a line: the window grows) and chunks
        // mapped and read through a buffer
        for (window, chunk) in [(150, 64), (4096, 1000), (100_000, 7)] {
            for mapped in [true, false] {
                var small = try #require(try DatasetLoader.streamLines(path: path, options: LoadOptions(), cancellation: nil,
                                                                      progress: nil, windowBytes: window, chunkBytes: chunk,
                                                                      mapped: mapped))
                small.notes += DatasetLoader.awkwardCases(small)
                #expect(ParallelLinesTests.fingerprint(small) == ParallelLinesTests.fingerprint(inMemory),
                        "window \(window), mapped \(mapped)")
            }
        }
    }

    @Test func streamedErrorNamesItsLine() throws {
        var lines = ParallelLinesTests.messy(lines: 2000, seed: 3).split(separator: "\n", omittingEmptySubsequences: false)
        lines[1234] = "{\"a\": 1, \"a\": 2}"
        let path = try writeFile(Array(lines.joined(separator: "\n").utf8), name: "bad.jsonl")
        for window in [200, 5000, 1 << 20] {
            for mapped in [true, false] {
                #expect(throws: DataError(path: path, line: 1235, column: 10, message: "duplicate field 'a'")) {
                    _ = try DatasetLoader.streamLines(path: path, options: LoadOptions(), cancellation: nil, progress: nil,
                                                      windowBytes: window, chunkBytes: 300, mapped: mapped)
                }
            }
        }
    }
}
