/// Why a Parquet file could not be read, without the file's name (the
/// reader adds it, with the column and row group when they are known).
struct ParquetError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Reads Thrift's compact protocol, the encoding of a Parquet file's footer
/// and page headers. Hand-written, as the whole Parquet reader is: Debian 12
/// packages no Arrow C++ (nor any Parquet C library), and the part of Thrift
/// Parquet uses is a few hundred lines; this reader also bounds every length
/// and nesting depth, so no bytes can make it read outside the buffer.
struct ThriftReader {
    let bytes: UnsafeRawBufferPointer
    var position: Int

    /// Field types of the compact protocol.
    enum FieldType: UInt8 {
        case stop = 0, boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7
        case binary = 8, list = 9, set = 10, map = 11, structure = 12
    }

    /// Nesting deeper than this is no Parquet metadata: refused, not recursed into.
    static let maximumDepth = 32

    init(_ bytes: UnsafeRawBufferPointer, at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    mutating func byte() throws(ParquetError) -> UInt8 {
        guard position < bytes.count else { throw ParquetError("truncated metadata") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint() throws(ParquetError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw ParquetError("bad metadata: a varint longer than 64 bits") }
        }
    }

    mutating func i64() throws(ParquetError) -> Int64 {
        let v = try varint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))   // zigzag
    }

    mutating func i32() throws(ParquetError) -> Int32 {
        let v = try i64()
        guard let i = Int32(exactly: v) else { throw ParquetError("bad metadata: \(v) is no 32-bit integer") }
        return i
    }

    /// A count or size: a non-negative i32/i64 that fits an Int.
    mutating func size(_ what: String) throws(ParquetError) -> Int {
        let v = try i64()
        guard v >= 0 else { throw ParquetError("bad metadata: negative \(what) \(v)") }
        return Int(v)
    }

    mutating func binary() throws(ParquetError) -> UnsafeRawBufferPointer {
        let length = try varint()
        guard length <= UInt64(bytes.count - position) else { throw ParquetError("truncated metadata") }
        defer { position += Int(length) }
        return UnsafeRawBufferPointer(rebasing: bytes[position ..< position + Int(length)])
    }

    mutating func string() throws(ParquetError) -> String {
        String(decoding: try binary(), as: UTF8.self)
    }

    /// A list's header: its element type and length (each element takes at least a byte, so the length is bounded).
    mutating func listHeader() throws(ParquetError) -> (type: UInt8, count: Int) {
        let h = try byte()
        var count = Int(h >> 4)
        if count == 15 {
            let v = try varint()
            guard v <= UInt64(bytes.count - position) else { throw ParquetError("truncated metadata") }
            count = Int(v)
        }
        return (h & 0x0F, count)
    }

    /// Reads a struct's fields, calling `field` with each id and type; `field`
    /// returns false for a field it does not read, which is skipped.
    mutating func readStruct(depth: Int = 0, _ field: (inout ThriftReader, Int16, UInt8) throws(ParquetError) -> Bool) throws(ParquetError) {
        guard depth < ThriftReader.maximumDepth else { throw ParquetError("bad metadata: nested too deeply") }
        var lastID: Int16 = 0
        while true {
            let h = try byte()
            let type = h & 0x0F
            if type == FieldType.stop.rawValue { return }
            let delta = Int16(h >> 4)
            let id: Int16
            if delta == 0 {
                let v = try i64()
                guard let i = Int16(exactly: v) else { throw ParquetError("bad metadata: field id \(v)") }
                id = i
            } else {
                id = lastID &+ delta
            }
            lastID = id
            if try !field(&self, id, type) { try skip(type, depth: depth + 1) }
        }
    }

    /// Skips a value of `type`.
    mutating func skip(_ type: UInt8, depth: Int) throws(ParquetError) {
        guard depth < ThriftReader.maximumDepth else { throw ParquetError("bad metadata: nested too deeply") }
        switch FieldType(rawValue: type) {
        case .boolTrue?, .boolFalse?: return
        case .byte?: _ = try byte()
        case .i16?, .i32?, .i64?: _ = try varint()
        case .double?:
            guard bytes.count - position >= 8 else { throw ParquetError("truncated metadata") }
            position += 8
        case .binary?: _ = try binary()
        case .list?, .set?:
            let (elementType, count) = try listHeader()
            for _ in 0 ..< count { try skipElement(elementType, depth: depth + 1) }
        case .map?:
            let count = try varint()
            guard count <= UInt64(bytes.count - position) else { throw ParquetError("truncated metadata") }
            guard count > 0 else { return }
            let types = try byte()
            for _ in 0 ..< count {
                try skipElement(types >> 4, depth: depth + 1)
                try skipElement(types & 0x0F, depth: depth + 1)
            }
        case .structure?: try readStruct(depth: depth) { _, _, _ in false }
        case .stop?, nil: throw ParquetError("bad metadata: unknown field type \(type)")
        }
    }

    /// Skips a list element: booleans in lists take a byte each.
    private mutating func skipElement(_ type: UInt8, depth: Int) throws(ParquetError) {
        if type == FieldType.boolTrue.rawValue || type == FieldType.boolFalse.rawValue { _ = try byte(); return }
        try skip(type, depth: depth)
    }

    /// A boolean field's value (the compact protocol keeps it in the type).
    static func bool(_ type: UInt8) -> Bool { type == FieldType.boolTrue.rawValue }

    /// A list of i32 (encodings), read whole.
    mutating func i32List() throws(ParquetError) -> [Int32] {
        let (_, count) = try listHeader()
        var out: [Int32] = []
        for _ in 0 ..< count { out.append(try i32()) }
        return out
    }

    /// A list of strings (a column's path).
    mutating func stringList() throws(ParquetError) -> [String] {
        let (_, count) = try listHeader()
        var out: [String] = []
        for _ in 0 ..< count { out.append(try string()) }
        return out
    }

    /// A list of structs, each read by `element`.
    mutating func structList<T>(_ element: (inout ThriftReader) throws(ParquetError) -> T) throws(ParquetError) -> [T] {
        let (type, count) = try listHeader()
        guard type == FieldType.structure.rawValue else { throw ParquetError("bad metadata: a list of type \(type) where structs belong") }
        var out: [T] = []
        for _ in 0 ..< count { out.append(try element(&self)) }
        return out
    }
}
