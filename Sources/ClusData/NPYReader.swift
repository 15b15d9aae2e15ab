import ClusCore

/// Reads NumPy `.npy` files (format versions 1–3): a 2-D float16, float32 or
/// float64 array, little or big endian, C or Fortran order, becomes one
/// vector field (float16, as LAION's CLIP embeddings come, widens exactly);
/// a labels CSV adds fields and aliases row by row.
enum NPYReader {
    /// The dataset in `bytes`, the file at `path`.
    static func load(_ bytes: [UInt8], path: String, options: LoadOptions) throws -> Dataset {
        let (vector, unusable) = try bytes.withUnsafeBytes { raw in
            let header = try parseHeader(raw, path: path)
            return try vectors(raw, header, name: options.vectorField ?? "vector", path: path, strict: options.strict)
        }
        return try finish(vector, unusable: unusable, path: path, options: options)
    }

    /// The vector column of the array `header` describes in `bytes` (a whole
    /// `.npy`), widened or narrowed to float32, and the rows holding NaN or an
    /// infinity (which `strict` refuses).
    static func vectors(_ bytes: UnsafeRawBufferPointer, _ header: Header, name: String, path: String,
                        strict: Bool) throws(DataError) -> (VectorColumn, unusable: [Int]) {
        let (n, d) = (header.rows, header.columns)
        var values = [Float](repeating: 0, count: n * d)
        var rounded = false
        // rows with NaN or an infinity: no usable vector, kept as read for export
        var unusable = Set<Int>()
        let data = UnsafeRawBufferPointer(rebasing: bytes[header.dataOffset...])
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
                    if strict {
                        throw DataError(path: path, message: "row \(i + 1), component \(j + 1) is \(what); strict=on wants a usable vector in every row")
                    }
                    unusable.insert(i)
                }
                values[i * d + j] = f
                if Double(f) != x && !x.isNaN { rounded = true }   // NaN is never equal, rounded or not
            }
        }
        var vector = unusableRows(unusable.sorted(), of: &values, name: name, count: n, dimension: d)
        vector.roundedToFloat32 = rounded
        return (vector, unusable.sorted())
    }

    /// The dataset of one vector column, with the note on unusable rows and
    /// the labels file's fields.
    static func finish(_ vector: VectorColumn, unusable: [Int], path: String, options: LoadOptions) throws -> Dataset {
        let n = vector.embeddings.count
        var dataset = Dataset(name: options.name ?? DatasetLoader.baseName(path), path: path, count: n, vectors: [vector])
        if let note = unusableNote(unusable, of: path) { dataset.notes.append(note) }
        if let labelsPath = options.labelsPath { try DatasetLoader.addLabels(labelsPath, to: &dataset) }
        return dataset
    }

    /// The note on the `rows` of `what` (a file, an array in an archive) that
    /// hold NaN or an infinity; nil when none do.
    static func unusableNote(_ rows: [Int], of what: String) -> String? {
        guard !rows.isEmpty else { return nil }
        let shown = rows.prefix(5).map { String($0 + 1) }.joined(separator: ", ")
        let one = rows.count == 1
        return "\(rows.count) row\(one ? "" : "s") of \(what) \(one ? "holds" : "hold") NaN or an infinity (row\(one ? "" : "s") \(shown)\(rows.count > 5 ? ", …" : "")): no usable vector; left out of clustering and the internal indices"
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

    /// An array's header dictionary, as written: its dtype (`<f4`, `|b1`,
    /// `<U10`), shape and order, and where its data starts.
    struct ArrayHeader {
        var dtype: String
        var shape: [Int]
        /// The shape as the header writes it, for messages: `(150, 4)`.
        var shapeText: String
        var fortranOrder: Bool
        var dataOffset: Int
    }

    /// Checks the magic, version and header dictionary of the `.npy` in `bytes`.
    static func parseArrayHeader(_ bytes: UnsafeRawBufferPointer, path: String) throws(DataError) -> ArrayHeader {
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
        return ArrayHeader(dtype: String(descr.dropFirst().dropLast()), shape: shape, shapeText: shapeText,
                           fortranOrder: fortran, dataOffset: headerStart + headerLength)
    }

    /// The bytes `count` values of `size` bytes take, checked against what
    /// `bytes` holds after the header: an error names the difference.
    static func checkLength(_ bytes: UnsafeRawBufferPointer, _ header: ArrayHeader, count: Int, size: Int,
                            path: String) throws(DataError) {
        let (length, overflow) = count.multipliedReportingOverflow(by: size)
        // Compared with what the file has left: dataOffset + length may overflow.
        let have = bytes.count - header.dataOffset
        guard !overflow else { throw DataError(path: path, message: "shape \(header.shapeText) of \(header.dtype) is too large") }
        guard length == have else {
            throw DataError(path: path, message: have < length
                ? "truncated: shape \(header.shapeText) of \(header.dtype) needs \(length) bytes of data, the file has \(have)"
                : "\(have - length) bytes after the data of shape \(header.shapeText)")
        }
    }

    /// The float16/32/64 dtypes: bytes per value and byte order; nil for others.
    static func floatType(_ dtype: String) -> (size: Int, bigEndian: Bool)? {
        switch dtype {
        case "<f2", "=f2", "f2": (2, false)
        case "<f4", "=f4", "f4": (4, false)
        case "<f8", "=f8", "f8": (8, false)
        case ">f2": (2, true)
        case ">f4": (4, true)
        case ">f8": (8, true)
        default: nil
        }
    }

    /// Checks the header and the data's length of a `.npy` of vectors: a 2-D float array.
    static func parseHeader(_ bytes: UnsafeRawBufferPointer, path: String) throws(DataError) -> Header {
        func fail(_ message: String) -> DataError { DataError(path: path, message: message) }
        let array = try parseArrayHeader(bytes, path: path)
        guard let (size, bigEndian) = floatType(array.dtype) else {
            throw fail("unsupported dtype '\(array.dtype)'; clus reads float16, float32 and float64 arrays (f2, f4, f8)")
        }
        let shape = array.shape
        guard shape.count == 2 else {
            throw fail("shape \(array.shapeText): a 2-D array (documents, dimension) is needed")
        }
        guard shape[0] > 0 else { throw DataError.noDocuments(path) }
        guard shape[1] > 0 else { throw fail("shape \(array.shapeText): the vectors are empty") }
        let (cells, overflow) = shape[0].multipliedReportingOverflow(by: shape[1])
        guard !overflow else { throw fail("shape \(array.shapeText) of \(array.dtype) is too large") }
        try checkLength(bytes, array, count: cells, size: size, path: path)
        return Header(rows: shape[0], columns: shape[1], size: size, bigEndian: bigEndian, fortranOrder: array.fortranOrder,
                      dataOffset: array.dataOffset)
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
