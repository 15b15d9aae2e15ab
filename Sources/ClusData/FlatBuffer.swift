/// One table of a FlatBuffers buffer, read in place with every offset
/// checked against the buffer's bounds: Arrow's IPC metadata (schema, record
/// batch, footer) is FlatBuffers. Hand-written, as the Thrift reader is: the
/// offline package set has no FlatBuffers runtime, and clus reads six small
/// tables of it, so a generic reader of ~100 lines beats a generated one.
struct FlatTable {
    let bytes: UnsafeRawBufferPointer
    /// Where the table starts in `bytes`.
    let position: Int
    private let vtable: Int
    private let vtableSize: Int

    /// The root table of the FlatBuffers buffer `bytes`.
    init(root bytes: UnsafeRawBufferPointer) throws(ArrowError) {
        try self.init(bytes, at: try FlatTable.offsetTarget(bytes, at: 0))
    }

    private init(_ bytes: UnsafeRawBufferPointer, at position: Int) throws(ArrowError) {
        self.bytes = bytes
        self.position = position
        let back = Int(try FlatTable.load(bytes, position, as: Int32.self))
        let (vtable, overflow) = position.subtractingReportingOverflow(back)
        guard !overflow, vtable >= 0, vtable <= bytes.count - 4 else { throw ArrowError("corrupt metadata: a table's vtable lies outside it") }
        self.vtable = vtable
        vtableSize = Int(try FlatTable.load(bytes, vtable, as: UInt16.self))
        guard vtableSize >= 4, vtableSize <= bytes.count - vtable else { throw ArrowError("corrupt metadata: a vtable runs past its end") }
    }

    /// Where field `slot` lies, nil when the table leaves it out (its default).
    private func field(_ slot: Int) throws(ArrowError) -> Int? {
        let entry = 4 + 2 * slot
        guard entry + 2 <= vtableSize else { return nil }
        let offset = Int(try FlatTable.load(bytes, vtable + entry, as: UInt16.self))
        return offset == 0 ? nil : position + offset
    }

    /// A scalar field: integers, bools (as UInt8), enums.
    func scalar<T: FixedWidthInteger>(_ slot: Int, default value: T) throws(ArrowError) -> T {
        guard let at = try field(slot) else { return value }
        return try FlatTable.load(bytes, at, as: T.self)
    }

    func bool(_ slot: Int) throws(ArrowError) -> Bool { try scalar(slot, default: UInt8(0)) != 0 }

    /// A sub-table field.
    func table(_ slot: Int) throws(ArrowError) -> FlatTable? {
        guard let at = try field(slot) else { return nil }
        return try FlatTable(bytes, at: try FlatTable.offsetTarget(bytes, at: at))
    }

    /// A vector field: where its elements start and how many there are
    /// (`elementSize` bytes each, checked to lie in the buffer).
    func vector(_ slot: Int, elementSize: Int) throws(ArrowError) -> (start: Int, count: Int)? {
        guard let at = try field(slot) else { return nil }
        let target = try FlatTable.offsetTarget(bytes, at: at)
        let count = Int(try FlatTable.load(bytes, target, as: UInt32.self))
        guard count <= (bytes.count - target - 4) / elementSize else { throw ArrowError("corrupt metadata: a vector runs past its end") }
        return (target + 4, count)
    }

    /// A vector of tables.
    func tables(_ slot: Int) throws(ArrowError) -> [FlatTable] {
        guard let (start, count) = try vector(slot, elementSize: 4) else { return [] }
        var out: [FlatTable] = []
        for i in 0 ..< count {
            out.append(try FlatTable(bytes, at: try FlatTable.offsetTarget(bytes, at: start + 4 * i)))
        }
        return out
    }

    /// A string field (UTF-8, as FlatBuffers stores it).
    func string(_ slot: Int) throws(ArrowError) -> String? {
        guard let (start, count) = try vector(slot, elementSize: 1) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start ..< start + count]), as: UTF8.self)
    }

    /// Element `i` of a vector of fixed-size structs, field at `offset` within it.
    func structField<T: FixedWidthInteger>(_ vector: (start: Int, count: Int), _ i: Int, size: Int, offset: Int,
                                           as: T.Type) throws(ArrowError) -> T {
        try FlatTable.load(bytes, vector.start + i * size + offset, as: T.self)
    }

    private static func load<T: FixedWidthInteger>(_ bytes: UnsafeRawBufferPointer, _ at: Int, as: T.Type) throws(ArrowError) -> T {
        guard at >= 0, at <= bytes.count - MemoryLayout<T>.size else { throw ArrowError("corrupt metadata: a field lies past its end") }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: T.self))
    }

    /// The position an unsigned offset stored at `at` points to.
    private static func offsetTarget(_ bytes: UnsafeRawBufferPointer, at: Int) throws(ArrowError) -> Int {
        let target = at + Int(try load(bytes, at, as: UInt32.self))
        guard target <= bytes.count - 4 else { throw ArrowError("corrupt metadata: an offset points past its end") }
        return target
    }
}

/// What is wrong with an Arrow file, said after its path.
struct ArrowError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
