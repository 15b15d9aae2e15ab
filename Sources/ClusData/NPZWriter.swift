import CZlib
import ClusCore

/// Writes a dataset's `_id` (or the fields `fields=` names, vector fields
/// among them) and one array per alias (the cluster names, "" where a
/// document has no label) as a NumPy `.npz` archive of stored members, as
/// `np.savez` writes it: `np.load(path)["kmeans_10"]` in a pipeline, and
/// `load` reads it back. A scalar field becomes the narrowest array that
/// holds it: bool, int64, float64 (NaN where missing), else strings (`<U`,
/// "" where missing); a vector field float32 (documents, dimension), NaN
/// rows for documents without a usable vector. Zip64 records appear where a
/// size or an offset needs them (NumPy and Python's zipfile read both).
enum NPZWriter {
    /// One array to write: its key and its `.npy` bytes, made in pieces
    /// (twice: once for the CRC and size the local header needs, once to write).
    private struct Member {
        let key: String
        let bytes: (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void
    }

    /// Bytes per piece of a vector array: large enough for the CRC to run
    /// on all cores, small enough for Ctrl-C to stop the export between two.
    static let vectorPieceBytes = 256 << 20

    static func write(_ d: Dataset, fields: [Int], vectors: [Int], clusterings: [Int], explicitFields: Bool,
                      into file: inout AtomicFile, cancellation: Cancellation?, forceZip64: Bool = false,
                      vectorPieceBytes: Int = vectorPieceBytes) throws {
        var members: [Member] = []
        let chosen = explicitFields ? fields : fields.filter { d.fields[$0].name == "_id" }
        for f in chosen {
            let values = d.fields[f].values
            members.append(scalarMember(d.fields[f].name, count: values.count) { values[$0] })
        }
        if explicitFields {
            for v in vectors { members.append(vectorMember(d.vectors[v], pieceBytes: vectorPieceBytes, cancellation: cancellation)) }
        }
        // an array per alias; the vector field joins the key only when two clusterings share an alias
        let aliases = clusterings.map { d.clusterings[$0].alias }
        let names = Set(members.map(\.key))
        for c in clusterings {
            let clustering = d.clusterings[c]
            let shared = aliases.filter { $0 == clustering.alias }.count > 1 || names.contains(clustering.alias)
            let key = shared ? "\(clustering.vectorField).\(clustering.alias)" : clustering.alias
            let (labels, names) = (clustering.labels, clustering.clusterNames)
            members.append(scalarMember(key, count: labels.count) { labels[$0] >= 0 ? .string(names[labels[$0]]) : nil })
        }
        guard !members.isEmpty else {
            throw DataError(path: file.path, message: "nothing to write: the dataset has no _id and no alias; give fields= or cluster first")
        }
        var directory: [UInt8] = []
        var offset = 0
        for member in members {
            try cancellation?.check()
            var crc: UInt = 0, size = 0
            try member.bytes { piece in
                // a large piece's CRC on all cores (ZipArchive.crc32), joined to the member's so far
                crc = crc32_combine(crc, UInt(ZipArchive.crc32(of: piece)), off_t(piece.count))
                size += piece.count
            }
            let name = Array((member.key + ".npy").utf8)
            let large = forceZip64 || size >= 0xFFFF_FFFF || offset >= 0xFFFF_FFFF
            // bit 11: the name is UTF-8 (Python's zipfile reads it as cp437 otherwise)
            let flags = name.allSatisfy { $0 < 0x80 } ? 0 : 0x800
            var local = ZipBytes()
            local.u32(0x0403_4B50)
            local.u16(large ? 45 : 20)   // version needed: 4.5 for zip64
            local.u16(flags); local.u16(0); local.u16(0); local.u16(0x21)   // flags, stored, time, date (1980-01-01)
            local.u32(Int(crc))
            local.u32(large ? 0xFFFF_FFFF : size); local.u32(large ? 0xFFFF_FFFF : size)
            local.u16(name.count); local.u16(large ? 20 : 0)
            local.bytes += name
            if large {
                local.u16(1); local.u16(16); local.u64(size); local.u64(size)
            }
            try file.write(local.bytes)
            try member.bytes { piece in try file.write(piece) }
            var entry = ZipBytes()
            entry.u32(0x0201_4B50)
            entry.u16(large ? 45 : 20); entry.u16(large ? 45 : 20)
            entry.u16(flags); entry.u16(0); entry.u16(0); entry.u16(0x21)
            entry.u32(Int(crc))
            entry.u32(large ? 0xFFFF_FFFF : size); entry.u32(large ? 0xFFFF_FFFF : size)
            entry.u16(name.count); entry.u16(large ? 28 : 0); entry.u16(0)
            entry.u16(0); entry.u16(0); entry.u32(0)   // disk, attributes
            entry.u32(large ? 0xFFFF_FFFF : offset)
            entry.bytes += name
            if large {
                entry.u16(1); entry.u16(24); entry.u64(size); entry.u64(size); entry.u64(offset)
            }
            directory += entry.bytes
            offset += local.bytes.count + size
        }
        try file.write(directory)
        var end = ZipBytes()
        let large = forceZip64 || offset >= 0xFFFF_FFFF || members.count >= 0xFFFF
        if large {
            // zip64 end of central directory record, then its locator
            end.u32(0x0606_4B50); end.u64(44)
            end.u16(45); end.u16(45); end.u32(0); end.u32(0)
            end.u64(members.count); end.u64(members.count); end.u64(directory.count); end.u64(offset)
            end.u32(0x0706_4B50); end.u32(0); end.u64(offset + directory.count); end.u32(1)
        }
        end.u32(0x0605_4B50)
        end.u16(0); end.u16(0)
        end.u16(large ? 0xFFFF : members.count); end.u16(large ? 0xFFFF : members.count)
        end.u32(large ? 0xFFFF_FFFF : directory.count); end.u32(large ? 0xFFFF_FFFF : offset)
        end.u16(0)
        try file.write(end.bytes)
    }

    /// A `.npy` header (version 1.0, padded to 64 bytes as NumPy does).
    private static func header(_ descr: String, shape: [Int]) -> [UInt8] {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var text = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(dims), }"
        let unpadded = 10 + text.utf8.count + 1
        text += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let length = text.utf8.count
        out += [UInt8(length & 0xFF), UInt8(length >> 8)]
        out += text.utf8
        return out
    }

    /// A scalar array of `count` values, each read from `value` when its
    /// piece is made (a clustering's names are never gathered into an array of strings).
    private static func scalarMember(_ key: String, count n: Int, _ value: @escaping (Int) -> FieldValue?) -> Member {
        var bool = false, int = false, double = false, text = false, missing = false, width = 1
        for i in 0 ..< n {
            switch value(i) {
            case nil, .null?: missing = true
            case .bool?: bool = true
            case .int?: int = true
            case .double?: double = true
            case .string(let s)?:
                text = true
                width = max(width, s.unicodeScalars.count)
            }
        }
        if text || (bool && (int || double)) || (!bool && !int && !double) {
            // strings: each value's text (a number's as it prints), UTF-32 padded with zeros to the widest
            func scalars(_ i: Int) -> String.UnicodeScalarView? {
                switch value(i) {
                case nil, .null?: nil
                case .string(let s)?: s.unicodeScalars
                case let v?: v.description.unicodeScalars
                }
            }
            if !text || bool || int || double {
                for i in 0 ..< n { width = max(width, scalars(i)?.count ?? 0) }
            }
            return Member(key: key) { [width] emit in
                try header("<U\(width)", shape: [n]).withUnsafeBytes { try emit($0) }
                var buffer = [UInt32](repeating: 0, count: min(n, piece) * width)
                var i = 0
                while i < n {
                    let m = min(piece, n - i)
                    buffer.withUnsafeMutableBufferPointer { b in
                        b.update(repeating: 0)
                        for j in 0 ..< m {
                            var k = j * width
                            for c in scalars(i + j) ?? "".unicodeScalars {
                                b[k] = c.value.littleEndian
                                k += 1
                            }
                        }
                    }
                    try buffer.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[0 ..< 4 * m * width])) }
                    i += m
                }
            }
        }
        if bool && !missing {
            return Member(key: key) { emit in
                try emitPieces(header("|b1", shape: [n]), count: n, emit: emit) { i, out in
                    if case .bool(let b)? = value(i) { out.append(b ? 1 : 0) }
                }
            }
        }
        if int && !double && !bool && !missing {
            return Member(key: key) { emit in
                try emitPieces(header("<i8", shape: [n]), count: n, emit: emit) { i, out in
                    if case .int(let v)? = value(i) { withUnsafeBytes(of: Int64(v).littleEndian) { out += $0 } }
                }
            }
        }
        return Member(key: key) { emit in
            try emitPieces(header("<f8", shape: [n]), count: n, emit: emit) { i, out in
                let x: Double = switch value(i) {
                case .int(let v)?: Double(v)
                case .double(let v)?: v
                case .bool(let b)?: b ? 1 : 0
                default: .nan
                }
                withUnsafeBytes(of: x.bitPattern.littleEndian) { out += $0 }
            }
        }
    }

    /// Values per piece of a scalar array.
    private static let piece = 65_536

    /// The header, then each value's bytes (`append(i, &buffer)`), `piece` at a time.
    private static func emitPieces(_ header: [UInt8], count: Int, emit: (UnsafeRawBufferPointer) throws -> Void,
                                   append: (Int, inout [UInt8]) -> Void) throws {
        try header.withUnsafeBytes { try emit($0) }
        var buffer: [UInt8] = []
        var i = 0
        while i < count {
            buffer.removeAll(keepingCapacity: true)
            for j in i ..< min(count, i + piece) { append(j, &buffer) }
            try buffer.withUnsafeBytes { try emit($0) }
            i += piece
        }
    }

    /// A vector field as float32 (documents, dimension), written from the
    /// column in place a piece at a time; NaN rows where a document has no usable vector.
    private static func vectorMember(_ v: VectorColumn, pieceBytes: Int, cancellation: Cancellation?) -> Member {
        let n = v.embeddings.count, d = v.dimension
        let rowsPerPiece = max(1, pieceBytes / max(1, 4 * d))
        return Member(key: v.name) { emit in
            try header("<f4", shape: [n, d]).withUnsafeBytes { try emit($0) }
            var nanRow: [Float] = []
            try v.embeddings.values.withUnsafeBufferPointer { (values: UnsafeBufferPointer<Float>) throws in
                var start = 0
                while start < n {
                    try cancellation?.check()
                    let end = min(n, start + rowsPerPiece)
                    if let missing = (start ..< end).first(where: { !v.present[$0] }) {
                        // a run of present rows as they lie, then the missing row as NaN
                        if missing > start {
                            try emit(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: values[start * d ..< missing * d])))
                        }
                        if nanRow.isEmpty { nanRow = [Float](repeating: .nan, count: d) }
                        try nanRow.withUnsafeBytes { try emit($0) }
                        start = missing + 1
                        continue
                    }
                    try emit(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: values[start * d ..< end * d])))
                    start = end
                }
            }
        }
    }
}

/// Little-endian fields of ZIP records.
private struct ZipBytes {
    var bytes: [UInt8] = []
    mutating func u16(_ v: Int) { bytes += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    mutating func u32(_ v: Int) { u16(v & 0xFFFF); u16(v >> 16 & 0xFFFF) }
    mutating func u64(_ v: Int) { u32(v & 0xFFFF_FFFF); u32(v >> 32 & 0xFFFF_FFFF) }
}
