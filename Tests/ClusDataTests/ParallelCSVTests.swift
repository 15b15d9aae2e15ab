import Testing
import ClusCore
@testable import ClusData

/// CSV read in chunks of rows on several threads must give the dataset (and
/// the first error) that one thread reading it whole gives.
@Suite struct ParallelCSVTests {
    static func read(_ text: String, chunkBytes: Int, threads: Int) -> String {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            do {
                var builder = DatasetBuilder()
                var notes: [String] = []
                let reader = CSVReader(path: "t.csv", text: buffer, parallelism: Parallelism(threads: threads), chunkBytes: chunkBytes)
                let vector = try reader.read(into: &builder, start: 0, vectorSpec: nil, notes: &notes)
                var dataset = try builder.dataset(name: "t", path: "t.csv", vectorField: vector, text: buffer)
                dataset.notes = notes + dataset.notes
                return ParallelLinesTests.fingerprint(dataset)
            } catch {
                return "error: \(error)"
            }
        }
    }

    /// Labels, a float, a `_cluster_` column, a vector in columns f0..f3
    /// (some rows partly or wholly empty), blank lines, CRLF line ends.
    static func labels(rows: Int, seed: UInt64, quoted: Bool = false) -> String {
        var rng = SplitMix(seed: seed)
        var text = "_id,cluster,truth,score,_cluster_.f.k,f0,f1,f2,f3\n"
        for i in 0 ..< rows {
            let truth = quoted && i % 7 == 0 ? "\"t, \(i % 3)\"" : "t\(rng.next() % 9)"
            let score = rng.next() % 5 == 0 ? "" : "\(Double(rng.next() % 1000) / 8)"
            let vector: String
            switch rng.next() % 30 {
            case 0: vector = ",,,"
            case 1: vector = "1,,2,3"
            default: vector = (0 ..< 4).map { _ in "\(Float(Int(rng.next() % 2000) - 1000) / 64)" }.joined(separator: ",")
            }
            text += "d\(i),\(rng.next() % 12),\(truth),\(score),c\(rng.next() % 4),\(vector)" + (i % 11 == 0 ? "\r\n" : "\n")
            if rng.next() % 40 == 0 { text += "\n" }
        }
        return text
    }

    @Test func chunksAndThreadsGiveTheSameDataset() {
        for quoted in [false, true] {
            let text = ParallelCSVTests.labels(rows: 3000, seed: 21, quoted: quoted)
            let whole = ParallelCSVTests.read(text, chunkBytes: 1 << 30, threads: 1)
            #expect(whole.hasPrefix("3000 documents"), "\(whole.prefix(200))")
            for (chunk, threads) in [(100, 2), (1000, 3), (7, 2), (1 << 20, 2)] {
                #expect(ParallelCSVTests.read(text, chunkBytes: chunk, threads: threads) == whole, "chunks of \(chunk) on \(threads), quoted \(quoted)")
            }
        }
    }

    @Test func theFirstBadRowIsReportedWhateverTheChunks() {
        // ("\r\n" is one Character: split on it too)
        var lines = ParallelCSVTests.labels(rows: 2000, seed: 4)
            .split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        lines[1200] = "d1,2,t3"
        lines[1500] = "d1,2,t3,4,c1,1,2,3,4,5"
        let text = lines.joined(separator: "\n")
        let whole = ParallelCSVTests.read(text, chunkBytes: 1 << 30, threads: 1)
        #expect(whole.hasPrefix("error: t.csv:1201:1: 3 cells in this row, 9 in the header"), "\(whole)")
        for (chunk, threads) in [(100, 2), (5000, 2), (40_000, 3)] {
            #expect(ParallelCSVTests.read(text, chunkBytes: chunk, threads: threads) == whole)
        }
    }
}

/// The repeated-`_id` check on all cores against a plain `Set` walk.
@Suite struct RepeatedIdTests {
    static func serial(_ values: [FieldValue?]) -> (Int, (Int, Int)?) {
        var seen: [FieldValue: Int] = [:]
        var repeated = 0
        var first: (Int, Int)?
        for (i, value) in values.enumerated() {
            guard let value, value != .null else { continue }
            if let j = seen[value] {
                repeated += 1
                if first == nil { first = (j, i) }
            } else {
                seen[value] = i
            }
        }
        return (repeated, first)
    }

    @Test func sameAsASetOnAnyThreadCount() {
        var rng = SplitMix(seed: 77)
        for size in [0, 1, 50, 5000, 100_000] {
            let values: [FieldValue?] = (0 ..< size).map { _ in
                switch rng.next() % 10 {
                case 0: nil
                case 1: .null
                case 2: .int(Int(rng.next() % 1000))
                default: .string("d\(rng.next() % UInt64(max(1, size * 3)))")
                }
            }
            let expected = RepeatedIdTests.serial(values)
            for threads in [1, 2, 3, 8] {
                let (repeated, first) = DatasetLoader.repeats(values, parallelism: Parallelism(threads: threads))
                #expect(repeated == expected.0 && first?.0 == expected.1?.0 && first?.1 == expected.1?.1, "\(size) on \(threads)")
            }
        }
    }
}
