/// A walk over one record batch's nodes and buffers in schema order (a
/// column, then its children): the columns clus keeps are decoded, the others
/// stepped over. Every length and offset is checked against the buffers
/// before it is used.
struct BatchWalk {
    let buffers: ArrowBatchBuffers
    private var node = 0
    private var buffer = 0
    private var variadic = 0

    init(buffers: ArrowBatchBuffers) { self.buffers = buffers }

    /// The node the walk is at, not taken.
    func peekNode() throws(ArrowError) -> (length: Int, nullCount: Int) {
        guard node < buffers.batch.nodes.count else { throw ArrowError("fewer nodes than the schema's columns need") }
        return buffers.batch.nodes[node]
    }

    /// Takes the next node, which must hold `rows` values (a column, or a struct's member, has one a row).
    private mutating func nextNode(rows: Int?) throws(ArrowError) -> (length: Int, nullCount: Int) {
        let next = try peekNode()
        node += 1
        if let rows, next.length != rows { throw ArrowError("\(next.length) values in a batch of \(rows) rows") }
        return next
    }

    /// Takes the next `count` buffers: the first one's index.
    private mutating func nextBuffers(_ count: Int) throws(ArrowError) -> Int {
        guard count <= buffers.batch.buffers.count - buffer else { throw ArrowError("fewer buffers than the schema's columns need") }
        defer { buffer += count }
        return buffer
    }

    /// The data buffers a view column has beyond its two.
    private mutating func nextVariadicCount() throws(ArrowError) -> Int {
        guard variadic < buffers.batch.variadicCounts.count else { throw ArrowError("a view column without its count of data buffers") }
        defer { variadic += 1 }
        return buffers.batch.variadicCounts[variadic]
    }

    /// Steps over a column clus does not read, and its children.
    mutating func skip(_ field: ArrowField) throws(ArrowError) {
        _ = try nextNode(rows: nil)
        if field.dictionary != nil {
            _ = try nextBuffers(2)
            return
        }
        var count = field.type.bufferCount
        if field.type == .utf8View || field.type == .binaryView { count += try nextVariadicCount() }
        _ = try nextBuffers(count)
        for child in field.children { try skip(child) }
    }

    /// A null bitmap (nil when the node has no nulls): bit i set for a value.
    private func validity(_ node: (length: Int, nullCount: Int), buffer i: Int) throws(ArrowError) -> UnsafeRawBufferPointer? {
        guard node.nullCount > 0 else { return nil }
        let bits = try buffers.buffer(i)
        guard bits.count >= (node.length + 7) / 8 else { throw ArrowError("a validity bitmap of \(bits.count) bytes for \(node.length) values") }
        return bits
    }

    /// A buffer that must hold at least `bytes` bytes.
    private func buffer(_ i: Int, atLeast bytes: Int, _ what: String) throws(ArrowError) -> UnsafeRawBufferPointer {
        let b = try buffers.buffer(i)
        guard bytes >= 0, b.count >= bytes else { throw ArrowError("\(what) of \(b.count) bytes where \(bytes) are needed") }
        return b
    }

    /// A struct's node: which rows hold a value, it and its parents (nil: every row).
    mutating func structure(rows: Int, parent: [Bool]?) throws(ArrowError) -> [Bool]? {
        let node = try nextNode(rows: rows)
        guard let bits = try validity(node, buffer: try nextBuffers(1)) else { return parent }
        return (0 ..< rows).map { (parent?[$0] ?? true) && isSet(bits, $0) }
    }

    /// A scalar column's values (nil where it or a parent struct is null);
    /// `dictionaries` for a dictionary-encoded one.
    mutating func scalars(_ field: ArrowField, rows: Int, parent: [Bool]?,
                          dictionaries: [Int: [FieldValue?]]) throws(ArrowError) -> [FieldValue?] {
        let node = try nextNode(rows: rows)
        func present(_ bits: UnsafeRawBufferPointer?, _ i: Int) -> Bool {
            (parent?[i] ?? true) && (bits.map { isSet($0, i) } ?? true)
        }
        // reserved once the buffers are known to hold `rows` values: a damaged count allocates nothing
        var out: [FieldValue?] = []
        if let encoding = field.dictionary {
            let b = try nextBuffers(2)
            let bits = try validity(node, buffer: b)
            let width = encoding.index.integerWidth, signed = encoding.index != .int(bits: width * 8, signed: false)
            let indices = try buffer(b + 1, atLeast: rows * width, "dictionary indices")
            guard let values = dictionaries[encoding.id] else { throw ArrowError("dictionary \(encoding.id) is not in the file before the batch") }
            out.reserveCapacity(rows)
            for i in 0 ..< rows {
                guard present(bits, i) else { out.append(nil); continue }
                let index = integer(indices, i, width: width, signed: signed)
                guard index >= 0, index < values.count else { throw ArrowError("dictionary index \(index) where the dictionary holds \(values.count) values") }
                out.append(values[index])
            }
            return out
        }
        switch field.type {
        case .null:
            return [FieldValue?](repeating: nil, count: rows)   // rows the batch's bytes back (`checkRows`)
        case .int, .temporal:
            let b = try nextBuffers(2)
            let bits = try validity(node, buffer: b), width = field.type.integerWidth
            let signed = field.type != .int(bits: width * 8, signed: false)
            let data = try buffer(b + 1, atLeast: rows * width, "an integer buffer")
            out.reserveCapacity(rows)
            for i in 0 ..< rows {
                guard present(bits, i) else { out.append(nil); continue }
                if !signed && width == 8 {
                    let v = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
                    out.append(v <= UInt64(Int.max) ? .int(Int(v)) : .double(Double(v)))   // beyond Int: as JSON would, a float
                } else {
                    out.append(.int(integer(data, i, width: width, signed: signed)))
                }
            }
        case .float(let bitCount):
            let b = try nextBuffers(2)
            let bits = try validity(node, buffer: b)
            let data = try buffer(b + 1, atLeast: rows * bitCount / 8, "a float buffer")
            out.reserveCapacity(rows)
            for i in 0 ..< rows {
                guard present(bits, i) else { out.append(nil); continue }
                let x = float(data, i, bits: bitCount)
                out.append(x.isNaN ? nil : .double(x))   // NaN: pandas' missing value
            }
        case .bool:
            let b = try nextBuffers(2)
            let bits = try validity(node, buffer: b)
            let data = try buffer(b + 1, atLeast: (rows + 7) / 8, "a boolean buffer")
            out.reserveCapacity(rows)
            for i in 0 ..< rows { out.append(present(bits, i) ? .bool(isSet(data, i)) : nil) }
        case .utf8, .largeUtf8:
            let b = try nextBuffers(3)
            let bits = try validity(node, buffer: b), width = field.type == .utf8 ? 4 : 8
            let offsets = try buffer(b + 1, atLeast: rows == 0 ? 0 : (rows + 1) * width, "an offsets buffer")
            out.reserveCapacity(rows)
            let data = try buffers.buffer(b + 2)
            for i in 0 ..< rows {
                guard present(bits, i) else { out.append(nil); continue }
                let start = integer(offsets, i, width: width, signed: true), end = integer(offsets, i + 1, width: width, signed: true)
                guard start >= 0, start <= end, end <= data.count else { throw ArrowError("string \(i + 1) runs outside its buffer") }
                out.append(.string(String(decoding: UnsafeRawBufferPointer(rebasing: data[start ..< end]), as: UTF8.self)))
            }
        case .utf8View:
            let extra = try nextVariadicCount()
            let b = try nextBuffers(2 + extra)
            let bits = try validity(node, buffer: b)
            let views = try buffer(b + 1, atLeast: rows * 16, "a views buffer")
            out.reserveCapacity(rows)
            for i in 0 ..< rows {
                guard present(bits, i) else { out.append(nil); continue }
                let length = Int(Int32(littleEndian: views.loadUnaligned(fromByteOffset: i * 16, as: Int32.self)))
                guard length >= 0 else { throw ArrowError("string \(i + 1) of length \(length)") }
                if length <= 12 {   // short strings lie in the view itself
                    out.append(.string(String(decoding: UnsafeRawBufferPointer(rebasing: views[i * 16 + 4 ..< i * 16 + 4 + length]), as: UTF8.self)))
                    continue
                }
                let which = Int(Int32(littleEndian: views.loadUnaligned(fromByteOffset: i * 16 + 8, as: Int32.self)))
                let start = Int(Int32(littleEndian: views.loadUnaligned(fromByteOffset: i * 16 + 12, as: Int32.self)))
                guard which >= 0, which < extra else { throw ArrowError("string \(i + 1) in data buffer \(which) of \(extra)") }
                let data = try buffers.buffer(b + 2 + which)
                guard start >= 0, start <= data.count - length else { throw ArrowError("string \(i + 1) runs outside its buffer") }
                out.append(.string(String(decoding: UnsafeRawBufferPointer(rebasing: data[start ..< start + length]), as: UTF8.self)))
            }
        default:
            throw ArrowError("\(field.type.name) values are not read")
        }
        return out
    }

    /// A list column of floats: its rows' lengths (-1 for a null list) and
    /// the rows with a null element; unless `lengthsOnly`, every row of the
    /// batch written to `matrix` (`dimension` wide, row 0 of the batch first;
    /// zeros for a null or odd row, whose elements are kept aside, as the
    /// Parquet reader does).
    mutating func list(_ field: ArrowField, rows: Int, parent: [Bool]?, dimension d: Int,
                       into matrix: UnsafeMutablePointer<Float>?, lengthsOnly: Bool) throws(ArrowError) -> ParquetReader.ListRows {
        let node = try nextNode(rows: rows)
        var fixed: Int?
        if case .fixedSizeList(let n) = field.type { fixed = n }
        let listBuffers = try nextBuffers(fixed == nil ? 2 : 1)
        let bits = try validity(node, buffer: listBuffers)
        guard let elementField = field.children.first, case .float(let elementBits) = elementField.type else {
            throw ArrowError("a list whose elements are not floats")
        }
        let child = try nextNode(rows: nil)
        let childBuffers = try nextBuffers(2)
        let childBits = try validity(child, buffer: childBuffers)
        // where row i's elements start: offsets, or i × the fixed size
        let width = field.type == .largeList ? 8 : 4
        let offsets = fixed != nil ? nil : try buffer(listBuffers + 1, atLeast: rows == 0 ? 0 : (rows + 1) * width, "an offsets buffer")
        func start(_ i: Int) -> Int { offsets.map { integer($0, i, width: width, signed: true) } ?? i * (fixed ?? 0) }
        let (needed, overflow) = rows.multipliedReportingOverflow(by: fixed ?? 0)
        guard !overflow, needed <= child.length else { throw ArrowError("\(child.length) elements for \(rows) lists of \(fixed ?? 0)") }
        var previous = rows == 0 ? 0 : start(0)
        guard previous >= 0 else { throw ArrowError("a list offset of \(previous)") }
        var out = ParquetReader.ListRows()
        out.lengths.reserveCapacity(rows)
        var regular = bits == nil && parent == nil && childBits == nil
        for i in 0 ..< rows {
            let next = start(i + 1)
            guard next >= previous, next <= child.length else { throw ArrowError("list \(i + 1) runs outside its elements") }
            let present = (parent?[i] ?? true) && (bits.map { isSet($0, i) } ?? true)
            let length = next - previous
            if length != d { regular = false }
            if !present {
                out.lengths.append(-1)
            } else {
                out.lengths.append(Int32(clamping: length))
                if let childBits, (previous ..< next).contains(where: { !isSet(childBits, $0) }) { out.nullElementRows.insert(i) }
            }
            previous = next
        }
        guard !lengthsOnly, let matrix, rows > 0 else { return out }
        let first = start(0)
        let (elementBytes, tooMany) = child.length.multipliedReportingOverflow(by: elementBits / 8)
        guard !tooMany else { throw ArrowError("\(child.length) elements") }
        if regular && elementBits == 32 && first == 0 && child.length == rows * d,
           try buffers.decompress(childBuffers + 1, into: matrix, bytes: elementBytes) {
            return out   // a compressed batch of whole rows, decompressed into them
        }
        let data = try buffer(childBuffers + 1, atLeast: elementBytes, "a float buffer")
        if regular && elementBits == 32 {
            // every row present and of the dimension: one copy (Arrow's floats are this machine's, little-endian)
            UnsafeMutableRawPointer(matrix).copyMemory(from: data.baseAddress! + first * 4, byteCount: rows * d * 4)
            return out
        }
        for i in 0 ..< rows {
            let s = start(i), length = Int(out.lengths[i])
            if length == d && !out.nullElementRows.contains(i) {
                for j in 0 ..< d {
                    let x = float(data, s + j, bits: elementBits)
                    let f = Float(x)
                    if elementBits == 64 && Double(f) != x && !x.isNaN { out.rounded = true }
                    matrix[i * d + j] = f
                }
                continue
            }
            (matrix + i * d).update(repeating: 0, count: d)   // the matrix comes uninitialised: every row is written
            if length > 0 {
                out.odd[i] = (s ..< s + length).map { j in
                    childBits.map { isSet($0, j) } ?? true ? Float(float(data, j, bits: elementBits)) : .nan
                }
            }
        }
        return out
    }
}

private func isSet(_ bits: UnsafeRawBufferPointer, _ i: Int) -> Bool { bits[i >> 3] >> UInt8(i & 7) & 1 == 1 }

/// Element `i` of a little-endian integer buffer of `width`-byte values.
private func integer(_ data: UnsafeRawBufferPointer, _ i: Int, width: Int, signed: Bool) -> Int {
    switch width {
    case 1: signed ? Int(data.load(fromByteOffset: i, as: Int8.self)) : Int(data[i])
    case 2: signed ? Int(Int16(littleEndian: data.loadUnaligned(fromByteOffset: i * 2, as: Int16.self)))
                   : Int(UInt16(littleEndian: data.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))
    case 4: signed ? Int(Int32(littleEndian: data.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)))
                   : Int(UInt32(littleEndian: data.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
    default: Int(truncatingIfNeeded: Int64(littleEndian: data.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)))
    }
}

/// Element `i` of a little-endian float buffer of 16-, 32- or 64-bit values, as a Double.
private func float(_ data: UnsafeRawBufferPointer, _ i: Int, bits: Int) -> Double {
    switch bits {
    case 16: Double(Float16(bitPattern: UInt16(littleEndian: data.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))))
    case 32: Double(Float(bitPattern: UInt32(littleEndian: data.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))))
    default: Double(bitPattern: UInt64(littleEndian: data.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))
    }
}
