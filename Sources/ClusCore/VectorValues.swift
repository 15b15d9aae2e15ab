#if canImport(Glibc)
import Glibc
#endif

/// Float32 values that live outside the Swift heap — a memory-mapped file —
/// read-only, released (e.g. unmapped) when the last user lets go.
///
/// Why a class: the mapping is shared by every copy of the `VectorValues`
/// that wraps it and must be released exactly once.
public final class ExternalFloats: @unchecked Sendable {
    /// First value; valid while this object lives.
    public let base: UnsafePointer<Float>
    /// Number of values.
    public let count: Int
    private let release: @Sendable () -> Void

    /// Wraps `count` values at `base`; `release` runs once, when the values are
    /// no longer used (it unmaps the file, frees the buffer…).
    public init(base: UnsafePointer<Float>, count: Int, release: @escaping @Sendable () -> Void) {
        self.base = base
        self.count = count
        self.release = release
    }

    deinit { release() }

    /// `count` uninitialised Floats of this process's own, on transparent
    /// huge pages where the kernel offers them (`allocateMatrix`), freed with
    /// the last user: a reader that writes every value (Arrow's record
    /// batches) fills them through `mutableBase` before anyone reads them.
    /// Loading 100,000 rows on an Intel Xeon VM, seven paired runs, medians:
    /// × 384 from an IPC stream 110 ms against 140 on 4 KiB pages, × 768
    /// from LZ4 Feather 143 against 194 (a fault that must compact memory
    /// for a huge page now and then makes one load slower).
    public static func uninitialized(count: Int) -> ExternalFloats {
        let p = allocateMatrix(count: count)
        let address = Int(bitPattern: p)
        return ExternalFloats(base: p, count: count, release: { free(UnsafeMutableRawPointer(bitPattern: address)) })
    }

    /// The values, writable: only for the owner that is filling them (`uninitialized`).
    public var mutableBase: UnsafeMutablePointer<Float> { UnsafeMutablePointer(mutating: base) }
}

/// The values of an `Embeddings` matrix: either an owned array or a read-only
/// external region (a memory-mapped `.npy`), used the same way as `[Float]`.
///
/// Reading never copies. Writing to mapped values first copies them into an
/// owned array (copy-on-write), so a mapped file is never written; writing to
/// owned values is plain `Array` copy-on-write.
public struct VectorValues: Sendable {
    /// The values when owned; empty when `external` holds them.
    @usableFromInline var owned: [Float]
    /// The values when mapped.
    @usableFromInline var external: ExternalFloats?

    /// Owned values.
    @inlinable public init(_ values: [Float]) {
        owned = values
        external = nil
    }

    /// Values in an external region (no copy).
    public init(external: ExternalFloats) {
        owned = []
        self.external = external
    }

    /// Whether the values are read from an external region (a mapped file)
    /// rather than owned memory.
    public var isMapped: Bool { external != nil }

    /// Calls `body` with the values, contiguous; no copy in either storage.
    @inlinable
    public func withUnsafeBufferPointer<R, E: Error>(
        _ body: (UnsafeBufferPointer<Float>) throws(E) -> R
    ) throws(E) -> R {
        if let external { return try body(UnsafeBufferPointer(start: external.base, count: external.count)) }
        return try owned.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with writable values; mapped values are first copied into
    /// owned memory (the file is never written).
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R, E: Error>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws(E) -> R
    ) throws(E) -> R {
        makeOwned()
        return try owned.withUnsafeMutableBufferPointer(body)
    }

    /// The values as an array: free when owned, a copy when mapped.
    public var array: [Float] {
        guard let external else { return owned }
        return Array(UnsafeBufferPointer(start: external.base, count: external.count))
    }

    @usableFromInline mutating func makeOwned() {
        guard external != nil else { return }
        owned = array
        external = nil
    }
}

extension VectorValues: RandomAccessCollection, MutableCollection {
    public typealias Index = Int
    public typealias Indices = Range<Int>

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { external?.count ?? owned.count }
    @inlinable public var count: Int { endIndex }
    @inlinable public var indices: Range<Int> { 0 ..< endIndex }
    @inlinable public func index(after i: Int) -> Int { i + 1 }
    @inlinable public func index(before i: Int) -> Int { i - 1 }

    @inlinable public subscript(i: Int) -> Float {
        get {
            if let external {
                precondition(i >= 0 && i < external.count, "index out of range")
                return external.base[i]
            }
            return owned[i]
        }
        set {
            makeOwned()
            owned[i] = newValue
        }
    }

    @inlinable public func withContiguousStorageIfAvailable<R>(
        _ body: (UnsafeBufferPointer<Float>) throws -> R
    ) rethrows -> R? {
        try withUnsafeBufferPointer { try body($0) }
    }
}

extension VectorValues {
    /// `count` values from `start` as an array slice: shares the owned array
    /// (indices from `start`, as `array[start ..< start + count]`); a copy of
    /// just those values when mapped (indices from 0).
    @inlinable public func arraySlice(from start: Int, count: Int) -> ArraySlice<Float> {
        guard let external else { return owned[start ..< start + count] }
        precondition(start >= 0 && count >= 0 && start + count <= external.count, "range out of bounds")
        return ArraySlice(UnsafeBufferPointer(start: external.base + start, count: count))
    }
}

extension VectorValues: Equatable {
    public static func == (a: VectorValues, b: VectorValues) -> Bool {
        if let x = a.external, let y = b.external, x === y { return true }
        if a.external == nil && b.external == nil { return a.owned == b.owned }   // as [Float] compares
        return a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in x.elementsEqual(y) }
        }
    }
}

extension VectorValues: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Float...) { self.init(elements) }
}

extension VectorValues: CustomStringConvertible {
    public var description: String { array.description }
}
