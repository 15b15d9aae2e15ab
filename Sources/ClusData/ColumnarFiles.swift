#if canImport(Glibc)
import Glibc
#endif
import ClusCore

/// The files a columnar load (Parquet, Arrow) reads: one, or those a pattern
/// names, each mapped when it can be (only the pages a reader touches come
/// from disk), else read whole into 64-byte-aligned memory of its own
/// (standard input, a pipe, a `.gz` file). The bytes stay put while this lives.
final class ColumnarFiles {
    /// Each file's path (as errors show it) and bytes, in name order.
    private(set) var files: [(String, UnsafeRawBufferPointer)] = []
    /// The dataset's default name: the file's, or for a pattern its folder's.
    let name: String
    private var holders: [AnyObject] = []

    init(_ path: String, cancellation: Cancellation?) throws {
        let paths = try ColumnarFiles.expand(path)
        for p in paths {
            let shown = p == StandardInput.path ? StandardInput.displayName : p
            if let map = try FileMap(path: p) {
                holders.append(map)
                files.append((shown, map.bytes))
            } else {
                let copy = FileCopy(try FileBytes.read(p, cancellation: cancellation))
                holders.append(copy)
                files.append((shown, UnsafeRawBufferPointer(copy.buffer)))
            }
        }
        name = paths.count == 1 && paths[0] == path ? DatasetLoader.baseName(path) : ColumnarFiles.patternName(path)
    }

    private final class FileCopy {
        let buffer: UnsafeMutableRawBufferPointer
        init(_ bytes: [UInt8]) {
            buffer = .allocate(byteCount: bytes.count, alignment: 64)
            bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
        }
        deinit { buffer.deallocate() }
    }

    /// The files a path names: itself, or for a pattern with `*`, `?` or `[`, the matching files in name order.
    static func expand(_ path: String) throws(DataError) -> [String] {
        guard path.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) else { return [path] }
        var g = glob_t()
        defer { globfree(&g) }
        guard glob(path, 0, nil, &g) == 0, g.gl_pathc > 0 else {
            throw DataError(path: path, message: "no file matches the pattern")
        }
        return (0 ..< Int(g.gl_pathc)).compactMap { g.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }

    /// `data/parts/*.parquet` → `parts`: the folder names the dataset of its files.
    static func patternName(_ pattern: String) -> String {
        let parts = pattern.split(separator: "/").map(String.init)
        if parts.count >= 2, let folder = parts.dropLast().last(where: { !$0.contains(where: { "*?[".contains($0) }) && $0 != "." }) {
            return folder
        }
        return DatasetLoader.baseName(String(pattern.filter { !"*?[]".contains($0) }))
    }

    /// A pattern's files must have one set of columns: `b` (the file at
    /// `path`'s, each `name (kind)`) against `a` (the first file's).
    static func checkSameColumns(_ b: [String], as a: [String], path: String, firstPath: String) throws(DataError) {
        guard a != b else { return }
        let differ = zip(a, b).first { $0 != $1 }.map { "\($1) where \(firstPath) has \($0)" }
            ?? "\(b.count) columns where \(firstPath) has \(a.count)"
        throw DataError(path: path, message: "its columns differ from the other files': \(differ)")
    }
}
