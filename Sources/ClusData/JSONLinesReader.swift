import ClusCore
#if canImport(Glibc)
import Glibc
#endif

/// Reads JSON Lines on all cores: each stretch of text (a window of a
/// streamed file, or all of a text in memory) is cut at line ends into
/// chunks of a few MB, the chunks are parsed in parallel into builders of
/// their own, and those are appended in file order. The dataset, and the
/// error for the first bad line in file order, do not depend on the number
/// of threads.
struct JSONLinesReader {
    let path: String
    let parallelism: Parallelism
    let cancellation: Cancellation?
    private(set) var builder = DatasetBuilder()
    /// Line ends before the next stretch.
    private(set) var lines = 0
    /// About the bytes each chunk gets (tests make it tiny).
    let chunkBytes: Int
    /// The input's size when known: once a MB is read, the vector columns
    /// get room for the whole of it.
    var expectedBytes: Int?

    /// About the bytes each chunk gets (a chunk is whole lines): many chunks
    /// per thread, each big enough that appending it costs little.
    static let defaultChunkBytes = 4 << 20
    /// The bytes a streamed file is read in, at least: chunks for every thread
    /// several times over, few enough to bound the memory.
    static func windowBytes(_ parallelism: Parallelism) -> Int { max(64 << 20, parallelism.threads * 4 * defaultChunkBytes) }

    init(path: String, parallelism: Parallelism = .allCores, cancellation: Cancellation?,
         chunkBytes: Int = JSONLinesReader.defaultChunkBytes) {
        self.chunkBytes = chunkBytes
        self.path = path
        self.parallelism = parallelism
        self.cancellation = cancellation
    }

    /// Reads the whole lines in `text` (the last may lack its line end only
    /// at the end of the input), whose first byte is at `base` in the file.
    /// - Throws: `DataError` at the first bad line, `Cancelled`.
    mutating func read(_ text: UnsafeBufferPointer<UInt8>, base: Int) throws {
        let bounds = JSONLinesReader.chunks(text, chunkBytes: chunkBytes)
        var results = [ChunkResult?](repeating: nil, count: bounds.count)
        results.withUnsafeMutableBufferPointer { slots in
            let slots = UncheckedBox(slots)
            parallelism.forEach(chunks: bounds.count) { [cancellation] c in
                slots.value[c] = JSONLinesReader.parse(UnsafeBufferPointer(rebasing: text[bounds[c]]), cancellation: cancellation)
            }
        }
        for (c, result) in results.enumerated() {
            guard let result else { continue }
            if let error = result.error {
                if let error = error as? ScanError {
                    let chunk = UnsafeBufferPointer(rebasing: text[bounds[c]])
                    let (line, column) = DataError.location(of: error.offset, in: chunk)
                    throw DataError(path: path, line: lines + line, column: column, message: error.message)
                }
                throw error
            }
            builder.append(result.builder, base: base + bounds[c].lowerBound)
            lines += result.lineEnds
            if let total = expectedBytes, case let done = base + bounds[c].upperBound, done >= 1 << 20 {
                if total > done { builder.reserveNumbers(scale: Double(total) / Double(done) * 1.02) }
                expectedBytes = nil
            }
        }
    }

    /// Ranges of about `chunkBytes` each, ending just after a line end (the
    /// last one at the end of `text`).
    static func chunks(_ text: UnsafeBufferPointer<UInt8>, chunkBytes: Int) -> [Range<Int>] {
        var bounds: [Range<Int>] = []
        var start = 0
        while start < text.count {
            var end = text.count
            if start + chunkBytes < text.count, let newline = lineEnd(text, from: start + chunkBytes) {
                end = newline + 1
            }
            bounds.append(start ..< end)
            start = end
        }
        return bounds
    }

    /// The offset of the first line end at or after `from`.
    static func lineEnd(_ text: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard from < text.count else { return nil }
        return memchr(text.baseAddress! + from, 0x0A, text.count - from)
            .map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - text.baseAddress! }
    }

    private struct ChunkResult {
        var builder: DatasetBuilder
        var lineEnds: Int
        var error: Error?
    }

    /// Lines between cancellation checks.
    private static let checkInterval = 4096

    /// One chunk's documents, its line ends, and the first error (offsets in the chunk).
    private static func parse(_ text: UnsafeBufferPointer<UInt8>, cancellation: Cancellation?) -> ChunkResult {
        var reader = DocumentReader()
        reader.builder.numbersHint = text.count / 4   // at most a number every 4 bytes (most vectors' text)
        var lineStart = 0
        var lineEnds = 0
        do {
            while lineStart < text.count {
                let lineEnd = JSONLinesReader.lineEnd(text, from: lineStart) ?? text.count
                var s = JSONScanner(text: text, start: lineStart, end: lineEnd, regionName: "line")
                s.skipWhitespace()
                if !s.atEnd {
                    try reader.readDocument(&s)
                    s.skipWhitespace()
                    guard s.atEnd else { throw s.expected("the end of the line after the document") }
                }
                if lineEnd < text.count { lineEnds += 1 }
                if lineEnds % checkInterval == 0 { try cancellation?.check() }
                lineStart = lineEnd + 1
            }
        } catch {
            return ChunkResult(builder: reader.builder, lineEnds: lineEnds, error: error)
        }
        return ChunkResult(builder: reader.builder, lineEnds: lineEnds, error: nil)
    }
}
