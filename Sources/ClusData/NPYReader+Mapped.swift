#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ClusCore

/// A float32, little-endian, C-order `.npy` file is used where it lies: its
/// data is memory-mapped read-only and wrapped without a copy, so a file
/// larger than half the memory loads, and the kernel keeps or drops its pages
/// as memory allows (they are the file's, never written).
extension NPYReader {
    /// The dataset of the `.npy` file at `path` with its vectors mapped; nil
    /// when the file cannot be mapped as it is (not a regular file, gzip, or a
    /// dtype or order that needs converting): `load(_:path:options:)` reads it then.
    static func loadMapped(path: String, options: LoadOptions) throws -> Dataset? {
        guard let map = try FileMap(path: path) else { return nil }
        let header = try parseHeader(map.bytes, path: path)
        guard mapsInPlace(header, at: map.base) else { return nil }
        let (vector, unusable) = try mappedVectors(map.base, header, name: options.vectorField ?? "vector", path: path,
                                                   strict: options.strict, keeping: map)
        return try finish(vector, unusable: unusable, path: path, options: options)
    }

    /// The vector column of a float32, little-endian, C-order array whose
    /// `.npy` starts at `start` in memory that `owner` keeps (a mapped file,
    /// an inflated archive member), wrapped where it lies (`header.dataOffset`
    /// from `start` must be a multiple of 4), and its rows holding NaN or an
    /// infinity (which `strict` refuses).
    static func mappedVectors(_ start: UnsafeRawPointer, _ header: Header, name: String, path: String, strict: Bool,
                              keeping owner: any AnyObject & Sendable) throws(DataError) -> (VectorColumn, unusable: [Int]) {
        let (n, d) = (header.rows, header.columns)
        let floats = ExternalFloats(base: (start + header.dataOffset).assumingMemoryBound(to: Float.self),
                                    count: n * d, release: { withExtendedLifetime(owner) {} })
        var values = VectorValues(external: floats)
        let unusable = nonFiniteRows(values, rows: n, dimension: d)
        if let first = unusable.first, strict {
            let j = (0 ..< d).first { !values[first * d + $0].isFinite } ?? 0
            let what = values[first * d + j].isNaN ? "NaN" : "infinite"
            throw DataError(path: path, message: "row \(first + 1), component \(j + 1) is \(what); strict=on wants a usable vector in every row")
        }
        if unusable.isEmpty {
            return (VectorColumn(name: name, embeddings: Embeddings(count: n, dimension: d, values: values)), [])
        }
        // Rare: the rows are zeroed as the copying reader does, in an owned copy (the file is never written).
        var owned = values.array
        values = VectorValues([])
        return (unusableRows(unusable, of: &owned, name: name, count: n, dimension: d), unusable)
    }

    /// Whether the array `header` describes can be wrapped where it lies at
    /// `start`: float32, little-endian (on a little-endian machine), C order, aligned.
    static func mapsInPlace(_ header: Header, at start: UnsafeRawPointer) -> Bool {
        header.size == 4 && !header.bigEndian && !header.fortranOrder && Int(bitPattern: start + header.dataOffset) % 4 == 0
            && UInt32(1).littleEndian == 1   // the bytes are this machine's floats only on a little-endian one
    }

    /// The rows holding NaN or an infinity, ascending (see `Embeddings.nonFiniteRows`).
    static func nonFiniteRows(_ values: VectorValues, rows n: Int, dimension d: Int,
                              parallelism: Parallelism = .allCores) -> [Int] {
        Embeddings(count: n, dimension: d, values: values).nonFiniteRows(parallelism: parallelism)
    }
}

/// A whole file mapped read-only, private: never written through.
final class FileMap: @unchecked Sendable {
    let base: UnsafeRawPointer
    let length: Int

    /// The file at `path` mapped; nil when it is not a regular non-empty file
    /// (standard input, a pipe, a `.gz` file are read the ordinary way).
    init?(path: String) throws {
        guard path != StandardInput.path, !path.lowercased().hasSuffix(".gz") else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }   // the ordinary reader says why
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else { return nil }
        let length = Int(info.st_size)
        guard let p = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else { return nil }
        base = UnsafeRawPointer(p)
        self.length = length
    }

    /// The mapped bytes.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: length) }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), length) }
}

extension NPYReader {
    /// About how many bytes loading the `.npy` file at `path` takes when its
    /// vectors are mapped: the per-document bookkeeping, not the vectors
    /// (their pages are the file's, which the kernel can drop and reread).
    /// Nil when the file is not one that maps (the general estimate applies).
    /// - Complexity: O(header) — the data is not touched.
    static func mappedMemoryEstimate(path: String) -> Int? {
        guard path.lowercased().hasSuffix(".npy"), let map = try? FileMap(path: path),
              let header = try? parseHeader(map.bytes, path: path),
              header.size == 4, !header.bigEndian, !header.fortranOrder, header.dataOffset % 4 == 0 else {
            return float16Estimate(path: path)
        }
        return saturatingProduct(header.rows, 16)
    }

    /// A float16 `.npy` is widened to float32 beside its bytes: three times
    /// the data, where the general estimate says two. Nil for other files.
    private static func float16Estimate(path: String) -> Int? {
        guard path.lowercased().hasSuffix(".npy"), let map = try? FileMap(path: path),
              let header = try? parseHeader(map.bytes, path: path), header.size == 2 else { return nil }
        return saturatingProduct(map.bytes.count, 3)
    }
}
