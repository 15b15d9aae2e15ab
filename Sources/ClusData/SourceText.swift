#if canImport(Glibc)
import Glibc
#endif

/// Where a loaded file's text is found again, after parsing, for the rare
/// error or note that quotes it or names a line: in memory (a pipe, a
/// `.gz` file, CSV), or in the file itself, which a streamed JSON Lines
/// load did not keep in memory and reads again here.
enum SourceText {
    case memory(UnsafeBufferPointer<UInt8>)
    /// A regular file, read again at need.
    case file(String)

    /// 1-based line and column (in Unicode scalars) of byte `offset`.
    /// - Complexity: O(offset); only for errors and notes.
    func location(of offset: Int) -> (line: Int, column: Int) {
        switch self {
        case .memory(let text):
            return DataError.location(of: offset, in: text)
        case .file:
            let line = lines(of: [offset])[0] ?? 1
            let start = lineStart(before: offset)
            let bytes = self.bytes(start ..< offset)
            return (line, 1 + bytes.reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) })
        }
    }

    /// The text in `range` (as UTF-8, repaired).
    func string(_ range: Range<Int>) -> String {
        switch self {
        case .memory(let text): String(decoding: UnsafeBufferPointer(rebasing: text[range]), as: UTF8.self)
        case .file: String(decoding: bytes(range), as: UTF8.self)
        }
    }

    /// The 1-based line of each offset (nil for -1: a document with no field),
    /// in one pass over the text up to the last.
    func lines(of offsets: [Int]) -> [Int?] {
        var line = 1, position = 0
        var result: [Int?] = []
        var block: [UInt8] = []
        var blockStart = 0
        for offset in offsets {
            guard offset >= 0 else { result.append(nil); continue }
            if offset < position { line = 1; position = 0 }   // out of order: count again
            while position < offset {
                if position < blockStart || position >= blockStart + block.count {
                    blockStart = position
                    block = bytes(position ..< min(offset, position + (1 << 20)))
                    if block.isEmpty { break }
                }
                if block[position - blockStart] == UInt8(ascii: "\n") { line += 1 }
                position += 1
            }
            result.append(line)
        }
        return result
    }

    /// The bytes in `range` (fewer at the end of the text).
    private func bytes(_ range: Range<Int>) -> [UInt8] {
        switch self {
        case .memory(let text):
            return Array(text[max(0, range.lowerBound) ..< min(range.upperBound, text.count)])
        case .file(let path):
            let fd = open(path, O_RDONLY)
            guard fd >= 0, range.count > 0 else { if fd >= 0 { close(fd) }; return [] }
            defer { close(fd) }
            var out = [UInt8](repeating: 0, count: range.count)
            var done = 0
            while done < out.count {
                let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, $0.count - done, off_t(range.lowerBound + done)) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                done += n
            }
            out.removeLast(out.count - done)
            return out
        }
    }

    /// The offset where the line holding `offset` starts.
    private func lineStart(before offset: Int) -> Int {
        var end = offset
        while end > 0 {
            let start = max(0, end - (1 << 16))
            let block = bytes(start ..< end)
            if let i = block.lastIndex(of: UInt8(ascii: "\n")) { return start + i + 1 }
            end = start
        }
        return 0
    }
}

extension DataError {
    /// A problem at byte `offset` of the loaded text, located as line and column.
    static func at(_ path: String, offset: Int, in text: SourceText, _ message: String) -> DataError {
        let (line, column) = text.location(of: offset)
        return DataError(path: path, line: line, column: column, message: message)
    }
}
