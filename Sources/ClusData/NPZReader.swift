import ClusCore

/// Reads NumPy `.npz` archives (`np.savez`, `np.savez_compressed`): each
/// 2-D float array is a vector field (the first, or `vector=`'s, sets the
/// documents), each 1-D array of one value per document a field (booleans,
/// integers, floats with NaN as missing, strings with "" as missing); what cannot be either is
/// left out with a note. Float32 arrays are used where they lie: stored ones
/// in the mapped file, as a `.npy`'s are, deflated ones in their inflated bytes.
enum NPZReader {
    /// The dataset of the `.npz` file at `path`; `progress` hears the
    /// archive's bytes read of its arrays' total (inflated ones as they inflate).
    /// - Throws: `DataError` on bad input, `Cancelled` when `cancellation` asks.
    static func load(path: String, options: LoadOptions, cancellation: Cancellation? = nil,
                     progress: ((_ bytesDone: Int, _ bytesTotal: Int) -> Void)? = nil) throws -> Dataset {
        if let map = try FileMap(path: path) {
            return try load(map.bytes, path: path, options: options, map: map, cancellation: cancellation, progress: progress)
        }
        let bytes = try FileBytes.read(path, cancellation: cancellation)
        let shown = path == StandardInput.path ? StandardInput.displayName : path
        return try bytes.withUnsafeBytes {
            try load($0, path: shown, options: options, map: nil, cancellation: cancellation, progress: progress)
        }
    }

    /// About how many bytes loading the `.npz` at `path` takes: stored
    /// float32 vectors that map take their per-document bookkeeping only, as
    /// a mapped `.npy`'s; any other array its size twice (inflated, then
    /// decoded). Nil when the file is not a readable archive (the load says why).
    /// - Complexity: O(members) — only the directory and the stored headers are read.
    static func memoryEstimate(path: String) -> Int? {
        guard let map = try? FileMap(path: path), let archive = try? ZipArchive(map.bytes, path: path) else { return nil }
        return archive.members.reduce(0) { total, member in
            if member.method == 0 {
                let npy = UnsafeRawBufferPointer(rebasing: map.bytes[member.dataOffset ..< member.dataOffset + member.compressedSize])
                if let header = try? NPYReader.parseHeader(npy, path: path), NPYReader.mapsInPlace(header, at: npy.baseAddress!) {
                    return saturatingSum(total, saturatingProduct(header.rows, 16))
                }
            }
            return saturatingSum(total, saturatingProduct(member.size, 2))
        }
    }

    /// What one member holds.
    private enum Array {
        case vectors(VectorColumn, unusable: [Int])
        case values([FieldValue?])
        /// Left out, and why (a sentence after the array's name).
        case leftOut(String)
    }

    /// The dataset in `bytes`, the archive at `path`; `map`, when given, is
    /// the mapping `bytes` lies in (stored float32 arrays are then not copied).
    static func load(_ bytes: UnsafeRawBufferPointer, path: String, options: LoadOptions, map: FileMap?,
                     cancellation: Cancellation? = nil, progress: ((Int, Int) -> Void)? = nil) throws -> Dataset {
        let archive = try ZipArchive(bytes, path: path)
        var arrays: [(key: String, array: Array)] = []
        var notes: [String] = []
        let arrayMembers = archive.members.filter { $0.name.hasSuffix(".npy") }
        let total = arrayMembers.reduce(0) { $0 + $1.compressedSize }
        var done = 0
        for member in archive.members {
            guard member.name.hasSuffix(".npy") else {
                notes.append("\(path): member '\(member.name)' is not a NumPy array (.npy): left out")
                continue
            }
            let key = String(member.name.dropLast(4))
            try cancellation?.check()
            let contents = try archive.contents(of: member, in: bytes, cancellation: cancellation) { [done] read in
                progress?(done + read, total)
            }
            done += member.compressedSize
            // what keeps the bytes alive, for a float32 array used where it lies
            var owner: (any AnyObject & Sendable)? = map
            if case .inflated(let inflated) = contents { owner = inflated }
            do {
                arrays.append((key, try read(contents.bytes, key: key, path: path, options: options, owner: owner)))
            } catch {
                throw DataError(path: path, message: "member '\(member.name)': \(error.message)")
            }
        }
        let vectors = arrays.compactMap { entry -> (String, VectorColumn, [Int])? in
            guard case .vectors(let v, let unusable) = entry.array else { return nil }
            return (entry.key, v, unusable)
        }
        // The vector field that sets the documents; with none (a labels archive,
        // as `export "labels.npz"` writes), the first 1-D array does.
        let chosen: (String, VectorColumn, [Int])?
        if let wanted = options.vectorField {
            guard let entry = arrays.first(where: { $0.key == wanted }) else {
                throw DataError.noVectorField(path, name: wanted, available: vectors.map(\.0))
            }
            guard let found = vectors.first(where: { $0.0 == wanted }) else {
                let why = if case .leftOut(let why) = entry.array { why } else { "is a 1-D array; a vector field is a 2-D float array (documents, dimension)" }
                throw DataError(path: path, message: "'\(wanted)' is not a vector field: it \(why)")
            }
            chosen = found
        } else {
            chosen = vectors.first
        }
        let firstValues = arrays.lazy.compactMap { entry -> (String, Int)? in
            if case .values(let values) = entry.array { (entry.key, values.count) } else { nil }
        }.first
        guard let (setter, n) = chosen.map({ ($0.0, $0.1.embeddings.count) }) ?? firstValues else {
            let held = arrays.map(\.key).joined(separator: ", ")
            throw DataError(path: path, message: "no 2-D float array (documents, dimension) and no 1-D array of one value per document; the archive holds \(held.isEmpty ? "no arrays" : held)")
        }
        var dataset = Dataset(name: options.name ?? DatasetLoader.baseName(path), path: path, count: n)
        if let chosen {
            dataset.vectors = [chosen.1]
            if let note = NPYReader.unusableNote(chosen.2, of: "'\(chosen.0)' in \(path)") { notes.append(note) }
        }
        for (key, array) in arrays where key != chosen?.0 {
            switch array {
            case .vectors(let v, let unusable):
                guard v.embeddings.count == n else {
                    notes.append("\(path): '\(key)' left out: \(v.embeddings.count) rows where '\(setter)' has \(n)")
                    continue
                }
                dataset.vectors.append(v)
                if let note = NPYReader.unusableNote(unusable, of: "'\(key)' in \(path)") { notes.append(note) }
            case .values(let values):
                guard values.count == n else {
                    notes.append("\(path): '\(key)' left out: \(values.count) values for the \(n) documents")
                    continue
                }
                let field = FieldColumn(name: key, values: values)
                if let clustering = Clustering(aliasColumn: field) {
                    dataset.clusterings.append(clustering)
                } else {
                    dataset.fields.append(field)
                }
            case .leftOut(let why):
                notes.append("\(path): '\(key)' left out: it \(why)")
            }
        }
        if arrays.contains(where: { $0.key == "arr_0" }) && arrays.allSatisfy({ $0.key.hasPrefix("arr_") }) {
            notes.append("\(path): its arrays have no names (np.savez(f, X, y) calls them arr_0, arr_1, …); np.savez(f, embeddings=X, label=y) names them")
        }
        dataset.notes = notes
        if let labelsPath = options.labelsPath { try DatasetLoader.addLabels(labelsPath, to: &dataset) }
        return dataset
    }

    /// One member's array (`npy`, a whole `.npy`); `owner`, when given, keeps `npy`'s memory.
    private static func read(_ npy: UnsafeRawBufferPointer, key: String, path: String, options: LoadOptions,
                             owner: (any AnyObject & Sendable)?) throws(DataError) -> Array {
        let header = try NPYReader.parseArrayHeader(npy, path: path)
        let shape = header.shape
        if shape.count == 2, NPYReader.floatType(header.dtype) != nil {
            let vectors = try NPYReader.parseHeader(npy, path: path)
            let (column, unusable) = if let owner, NPYReader.mapsInPlace(vectors, at: npy.baseAddress!) {
                try NPYReader.mappedVectors(npy.baseAddress!, vectors, name: key, path: path, strict: options.strict, keeping: owner)
            } else {
                try NPYReader.vectors(npy, vectors, name: key, path: path, strict: options.strict)
            }
            return .vectors(column, unusable: unusable)
        }
        let kind = header.dtype.first { !"<>|=".contains($0) } ?? "?"
        if kind == "O" {
            return .leftOut("holds Python objects (saved with pickle); save it as strings (.astype(str)) or numbers")
        }
        guard shape.count == 1 else {
            return .leftOut(shape.isEmpty
                ? "is a single value, not one per document"
                : "is a \(shape.count)-D \(header.dtype) array \(header.shapeText); a field is 1-D, a vector field a 2-D float array")
        }
        guard let type = ValueType(header.dtype) else {
            return .leftOut("has dtype '\(header.dtype)'; fields are booleans, integers, floats or strings")
        }
        let count = shape[0]
        try NPYReader.checkLength(npy, header, count: count, size: type.size, path: path)
        let data = UnsafeRawBufferPointer(rebasing: npy[header.dataOffset...])
        return .values((0 ..< count).map { type.value(data, at: $0) })
    }
}

/// A 1-D array's dtype as clus reads it into field values.
private struct ValueType {
    enum Kind { case bool, int, unsigned, float, unicode, bytes }
    let kind: Kind
    /// Bytes per element.
    let size: Int
    let bigEndian: Bool

    /// `<i8`, `|b1`, `>f4`, `<U12`, `|S5`; nil for any other dtype.
    init?(_ dtype: String) {
        var rest = Substring(dtype)
        bigEndian = rest.first == ">"
        if let first = rest.first, "<>|=".contains(first) { rest = rest.dropFirst() }
        guard let letter = rest.first, let count = Int(rest.dropFirst()), count > 0 else { return nil }
        switch (letter, count) {
        case ("b", 1): kind = .bool
        case ("i", 1), ("i", 2), ("i", 4), ("i", 8): kind = .int
        case ("u", 1), ("u", 2), ("u", 4), ("u", 8): kind = .unsigned
        case ("f", 2), ("f", 4), ("f", 8): kind = .float
        case ("U", _): kind = .unicode
        case ("S", _), ("a", _): kind = .bytes
        default: return nil
        }
        let (size, overflow) = count.multipliedReportingOverflow(by: kind == .unicode ? 4 : 1)
        guard !overflow else { return nil }
        self.size = size
    }

    /// Element `i` of `data`: NaN and "" are missing (NumPy's string arrays
    /// have no other way to say so), strings lose NumPy's trailing NUL padding.
    func value(_ data: UnsafeRawBufferPointer, at i: Int) -> FieldValue? {
        let at = i * size
        func unsigned() -> UInt64 {
            var v: UInt64 = 0
            for b in 0 ..< size { v |= UInt64(data[at + (bigEndian ? size - 1 - b : b)]) << (8 * b) }
            return v
        }
        switch kind {
        case .bool:
            return .bool(data[at] != 0)
        case .int:
            let bits = unsigned(), shift = 64 - 8 * size
            return .int(Int(Int64(bitPattern: bits << shift) >> shift))   // sign-extended
        case .unsigned:
            let v = unsigned()
            return v <= UInt64(Int.max) ? .int(Int(v)) : .double(Double(v))
        case .float:
            let bits = unsigned()
            // float16 and float32 as they print (0.1, not 0.10000000149011612)
            let x: Double = switch size {
            case 2: Float16(bitPattern: UInt16(bits)).isNaN ? .nan : Double(String(Float16(bitPattern: UInt16(bits)))) ?? .nan
            case 4: Float(bitPattern: UInt32(bits)).isNaN ? .nan : Double(String(Float(bitPattern: UInt32(bits)))) ?? .nan
            default: Double(bitPattern: bits)
            }
            return x.isNaN ? nil : .double(x)
        case .unicode:
            var scalars = String.UnicodeScalarView()
            for c in 0 ..< size / 4 {
                let o = at + 4 * c
                let bytes = (0 ..< 4).map { UInt32(data[o + (bigEndian ? 3 - $0 : $0)]) << (8 * $0) }
                scalars.append(Unicode.Scalar(bytes.reduce(0, |)) ?? "\u{FFFD}")
            }
            while scalars.last == "\0" { scalars.removeLast() }
            return scalars.isEmpty ? nil : .string(String(scalars))
        case .bytes:
            var end = at + size
            while end > at && data[end - 1] == 0 { end -= 1 }
            return end == at ? nil : .string(String(decoding: UnsafeRawBufferPointer(rebasing: data[at ..< end]), as: UTF8.self))
        }
    }
}
