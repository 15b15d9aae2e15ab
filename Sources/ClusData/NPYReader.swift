import ClusCore

/// Reads NumPy `.npy` files (format versions 1–3): a 2-D float16, float32 or
/// float64 array, little or big endian, C or Fortran order, becomes one
/// vector field (float16, as LAION's CLIP embeddings come, widens exactly);
/// a labels CSV adds fields and aliases row by row.
enum NPYReader {
    /// The dataset in `bytes`, the file at `path`.
    static func load(_ bytes: [UInt8], path: String, options: LoadOptions) throws -> Dataset {
        let header = try bytes.withUnsafeBytes { raw throws(DataError) in try parseHeader(raw, path: path) }
        let (n, d) = (header.rows, header.columns)
        let name = options.vectorField ?? "vector"
        var values = [Float](repeating: 0, count: n * d)
        var rounded = false
        // rows with NaN or an infinity: no usable vector, kept as read for export
        var unusable = Set<Int>()
        try bytes.withUnsafeBytes { raw in
            let data = UnsafeRawBufferPointer(rebasing: raw[header.dataOffset...])
            for i in 0 ..< n {
                for j in 0 ..< d {
                    // Fortran order stores column by column.
                    let index = header.fortranOrder ? j * n + i : i * d + j
                    let x: Double
                    if header.size == 2 {
                        var bits = data.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)
                        bits = header.bigEndian ? UInt16(bigEndian: bits) : UInt16(littleEndian: bits)
                        x = Double(Float16(bitPattern: bits))
                    } else if header.size == 4 {
                        var bits = data.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)
                        bits = header.bigEndian ? UInt32(bigEndian: bits) : UInt32(littleEndian: bits)
                        x = Double(Float(bitPattern: bits))
                    } else {
                        var bits = data.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
                        bits = header.bigEndian ? UInt64(bigEndian: bits) : UInt64(littleEndian: bits)
                        x = Double(bitPattern: bits)
                    }
                    let f = Float(x)
                    if !f.isFinite && !unusable.contains(i) {
                        let what = x.isNaN ? "NaN" : x.isInfinite ? "infinite" : "out of range for a 32-bit float"
                        if options.strict {
                            throw DataError(path: path, message: "row \(i + 1), component \(j + 1) is \(what); strict=on wants a usable vector in every row")
                        }
                        unusable.insert(i)
                    }
                    values[i * d + j] = f
                    if Double(f) != x { rounded = true }
                }
            }
        }
        var vector = unusableRows(unusable.sorted(), of: &values, name: name, count: n, dimension: d)
        vector.roundedToFloat32 = rounded
        return try finish(vector, unusable: unusable.sorted(), path: path, options: options)
    }

    /// The dataset of one vector column, with the note on unusable rows and
    /// the labels file's fields.
    static func finish(_ vector: VectorColumn, unusable: [Int], path: String, options: LoadOptions) throws -> Dataset {
        let n = vector.embeddings.count, name = vector.name
        var dataset = Dataset(name: options.name ?? DatasetLoader.baseName(path), path: path, count: n, vectors: [vector])
        if !unusable.isEmpty {
            let rows = unusable.prefix(5).map { String($0 + 1) }.joined(separator: ", ")
            dataset.notes.append("\(unusable.count) row\(unusable.count == 1 ? "" : "s") of \(path) \(unusable.count == 1 ? "holds" : "hold") NaN or an infinity (row\(unusable.count == 1 ? "" : "s") \(rows)\(unusable.count > 5 ? ", …" : "")): no usable vector; left out of clustering and the internal indices")
        }
        if let labelsPath = options.labelsPath { try DatasetLoader.addLabels(labelsPath, to: &dataset) }
        return dataset
    }

    /// The vector column, the `rows` holding NaN or an infinity marked as no
    /// usable vector (their values zeroed, their text kept for export).
    static func unusableRows(_ rows: [Int], of values: inout [Float], name: String, count n: Int, dimension d: Int) -> VectorColumn {
        var present = [Bool](repeating: true, count: n)
        var unusable: [Int: UnusableVector] = [:]
        for i in rows {
            var text = "["
            for j in 0 ..< d {
                let x = values[i * d + j]
                text += (j > 0 ? ", " : "") + (x.isNaN ? "NaN" : x.isInfinite ? (x < 0 ? "-Infinity" : "Infinity") : x.description)
                values[i * d + j] = 0
            }
            present[i] = false
            unusable[i] = UnusableVector(problem: .nonFinite, value: .string(text + "]"), isArray: true)
        }
        return VectorColumn(name: name, embeddings: Embeddings(count: n, dimension: d, values: values), present: present, unusable: unusable)
    }

    struct Header {
        var rows: Int
        var columns: Int
        var size: Int
        var bigEndian: Bool
        var fortranOrder: Bool
        var dataOffset: Int
    }

    /// Checks the magic, version and header dictionary, and the data's length.
    static func parseHeader(_ bytes: UnsafeRawBufferPointer, path: String) throws(DataError) -> Header {
        func fail(_ message: String) -> DataError { DataError(path: path, message: message) }
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]   // \x93NUMPY
        guard bytes.count >= 10, Array(bytes[0 ..< 6]) == magic else {
            throw fail(bytes.isEmpty ? "empty file; not a .npy file" : "not a .npy file (no \\x93NUMPY magic)")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("truncated .npy header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw fail(".npy format version \(major).\(bytes[7]) is not supported (1, 2 and 3 are)")
        }
        guard headerStart + headerLength <= bytes.count else { throw fail("truncated .npy header") }
        let text = String(decoding: bytes[headerStart ..< headerStart + headerLength], as: UTF8.self)
        guard let descr = value(of: "descr", in: text), descr.hasPrefix("'") || descr.hasPrefix("\"") else {
            throw fail("bad .npy header: no 'descr' string: \(text.trimmed)")
        }
        let dtype = String(descr.dropFirst().dropLast())
        let size: Int
        var bigEndian = false
        switch dtype {
        case "<f2", "=f2", "f2": size = 2
        case "<f4", "=f4", "f4": size = 4
        case "<f8", "=f8", "f8": size = 8
        case ">f2": size = 2; bigEndian = true
        case ">f4": size = 4; bigEndian = true
        case ">f8": size = 8; bigEndian = true
        default: throw fail("unsupported dtype '\(dtype)'; clus reads float16, float32 and float64 arrays (f2, f4, f8)")
        }
        let fortran: Bool
        switch value(of: "fortran_order", in: text) {
        case "True": fortran = true
        case "False": fortran = false
        default: throw fail("bad .npy header: 'fortran_order' must be True or False: \(text.trimmed)")
        }
        guard let shapeText = value(of: "shape", in: text), shapeText.hasPrefix("("), shapeText.hasSuffix(")") else {
            throw fail("bad .npy header: no 'shape' tuple: \(text.trimmed)")
        }
        let parts = shapeText.dropFirst().dropLast().split(separator: ",").map { $0.filter { $0 != " " } }.filter { !$0.isEmpty }
        let shape = parts.compactMap { Int($0) }
        guard shape.count == parts.count, shape.allSatisfy({ $0 >= 0 }) else { throw fail("bad .npy header: shape \(shapeText)") }
        guard shape.count == 2 else {
            throw fail("shape \(shapeText): a 2-D array (documents, dimension) is needed")
        }
        guard shape[0] > 0 else { throw DataError.noDocuments(path) }
        guard shape[1] > 0 else { throw fail("shape \(shapeText): the vectors are empty") }
        let (cells, o1) = shape[0].multipliedReportingOverflow(by: shape[1])
        let (length, o2) = cells.multipliedReportingOverflow(by: size)
        let dataOffset = headerStart + headerLength
        // Compared with what the file has left: dataOffset + length may overflow.
        let have = bytes.count - dataOffset
        guard !o1, !o2 else { throw fail("shape \(shapeText) of \(dtype) is too large") }
        guard length == have else {
            throw fail(have < length
                ? "truncated: shape \(shapeText) of \(dtype) needs \(length) bytes of data, the file has \(have)"
                : "\(have - length) bytes after the data of shape \(shapeText)")
        }
        return Header(rows: shape[0], columns: shape[1], size: size, bigEndian: bigEndian, fortranOrder: fortran, dataOffset: dataOffset)
    }

    /// The text of the value after `'key':` in a Python dict literal.
    private static func value(of key: String, in text: String) -> String? {
        let chars = Array(text)
        for quote in ["'", "\""] {
            let needle = Array(quote + key + quote)
            guard let at = (0 ... max(0, chars.count - needle.count)).first(where: { Array(chars[$0 ..< min($0 + needle.count, chars.count)]) == needle }) else { continue }
            var i = at + needle.count
            while i < chars.count && chars[i] == " " { i += 1 }
            guard i < chars.count && chars[i] == ":" else { return nil }
            i += 1
            while i < chars.count && chars[i] == " " { i += 1 }
            let start = i
            if i < chars.count && (chars[i] == "'" || chars[i] == "\"") {
                let q = chars[i]
                i += 1
                while i < chars.count && chars[i] != q { i += 1 }
                return String(chars[start ..< min(i + 1, chars.count)])
            }
            if i < chars.count && chars[i] == "(" {
                while i < chars.count && chars[i] != ")" { i += 1 }
                return String(chars[start ..< min(i + 1, chars.count)])
            }
            while i < chars.count && chars[i] != "," && chars[i] != "}" { i += 1 }
            return String(chars[start ..< i]).filter { $0 != " " }
        }
        return nil
    }
}

private extension String {
    /// The header without its padding, shortened for a message.
    var trimmed: String {
        String(String(reversed().drop { $0 == " " || $0 == "\n" }.reversed()).prefix(120))
    }
}
