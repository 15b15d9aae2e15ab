import ClusCore
import CZlib
import Foundation
import Testing
@testable import ClusData

/// NumPy `.npz` archives, from the fixtures of Scripts/make_npz_fixtures.py:
/// np.savez (stored), np.savez_compressed (deflated) and zip64 records give
/// the same documents, the arrays' values as NumPy holds them.
@Suite struct NPZTests {
    static let data = PandasCSVTests.data

    static func fixture(_ name: String, _ options: LoadOptions = LoadOptions()) throws -> Dataset {
        try DatasetLoader.load(path: data.appendingPathComponent(name).path, options: options)
    }

    /// npz.expected.json: each array's values, NaN as null.
    static func expectedValues() throws -> [String: [Any]] {
        let url = data.appendingPathComponent("npz.expected.json")
        return try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: [Any]])
    }

    @Test(arguments: ["npz_savez.npz", "npz_compressed.npz", "npz_zip64.npz"])
    func theArraysLoadAsNumPyHoldsThem(name: String) throws {
        let d = try Self.fixture(name)
        let expected = try Self.expectedValues()
        try #require(!expected.isEmpty)
        #expect(d.count == 20)
        #expect(d.vectors.map(\.name) == ["embeddings", "small"])
        #expect(d.fields.map(\.name) == ["label", "species", "relevant", "score", "title", "big_endian"])
        // vectors: float32 as written; float16 widened exactly; row 5's NaN makes it unusable
        for (field, dimension) in [("embeddings", 6), ("small", 3)] {
            let v = try #require(d.vector(named: field))
            let rows = try #require(expected[field] as? [[Any]])
            #expect(v.embeddings.dimension == dimension)
            for (i, row) in rows.enumerated() {
                let numbers = row.compactMap { ($0 as? NSNumber).map { Float($0.doubleValue) } }
                if numbers.count < dimension {
                    #expect(!v.present[i], "\(field) row \(i + 1)")
                } else {
                    #expect(v.present[i] && Array(v.embeddings[row: i]) == numbers, "\(field) row \(i + 1)")
                }
            }
        }
        #expect(d.vector(named: "embeddings")?.present.filter { !$0 }.count == 1)
        #expect(d.vector(named: "embeddings")?.roundedToFloat32 == false)
        // fields, NaN as missing
        func values(_ field: String) -> [FieldValue?] { d.field(named: field)?.values ?? [] }
        let labels = try #require(expected["label"] as? [Int])
        #expect(values("label") == labels.map { .int($0) })
        let species = try #require(expected["species"] as? [String])
        #expect(values("species") == species.map { .string($0) })
        #expect(species.contains("é ü"))
        let relevant = try #require(expected["relevant"] as? [Bool])
        #expect(values("relevant") == relevant.map { .bool($0) })
        let scores = try #require(expected["score_hex"])
        #expect(values("score") == scores.map { ($0 as? String).flatMap(Double.init).map { FieldValue.double($0) } })
        #expect(values("score").filter { $0 == nil }.count == 2)
        let titles = try #require(expected["title"] as? [String])
        #expect(values("title") == titles.map { .string($0) })
        let bigEndian = try #require(expected["big_endian"] as? [Int])
        #expect(values("big_endian") == bigEndian.map { .int($0) })
        #expect(bigEndian.last == 57)
        let path = Self.data.appendingPathComponent(name).path
        #expect(d.notes == [
            "1 row of 'embeddings' in \(path) holds NaN or an infinity (row 5): no usable vector; left out of clustering and the internal indices",
            "\(path): 'meta' left out: it is a single value, not one per document",
            "\(path): 'short' left out: 5 values for the 20 documents",
            "\(path): 'grid' left out: it is a 2-D <i4 array (20, 2); a field is 1-D, a vector field a 2-D float array",
        ])
    }

    @Test func storedFloat32ArraysAreMappedWhereAligned() throws {
        let x: [Float] = (0 ..< 64 * 8).map { Float($0 % 17) / 4 }
        let member = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (64, 8), }", data: f32(x))
        let ids = npy("{'descr': '<i8', 'fortran_order': False, 'shape': (64,), }", data: i64(Array(0 ..< 64)))
        // a local header is 30 bytes and the name, the .npy header 64: a 6-byte name puts the data on a multiple of 4
        let alignedPath = try writeFile(zipStored(["xx.npy": member, "y.npy": ids]), name: "a.npz")
        let unalignedPath = try writeFile(zipStored(["x.npy": member, "y.npy": ids]), name: "u.npz")
        let aligned = try DatasetLoader.load(path: alignedPath, options: LoadOptions())
        let unaligned = try DatasetLoader.load(path: unalignedPath, options: LoadOptions())
        // the memory a load needs: a mapped array's bookkeeping, or twice an array's bytes
        #expect(DatasetLoader.memoryEstimate(path: alignedPath) == 64 * 16 + 2 * ids.count)
        #expect(DatasetLoader.memoryEstimate(path: unalignedPath) == 2 * member.count + 2 * ids.count)
        #expect(aligned.vector(named: "xx")?.embeddings.isMapped == true)
        #expect(unaligned.vector(named: "x")?.embeddings.isMapped == false)
        #expect(aligned.vector(named: "xx")?.embeddings.values.array == x)
        #expect(unaligned.vector(named: "x")?.embeddings.values.array == x)
        #expect(aligned.field(named: "y")?.values == (0 ..< 64).map { .int($0) })
        // deflated float32 arrays are used in their inflated bytes, not copied again
        let deflated = try #require(Self.fixture("npz_clean_compressed.npz").vector(named: "embeddings"))
        let rows = try #require(Self.expectedValues()["embeddings"] as? [[Any]])
        #expect(deflated.embeddings.isMapped)
        #expect(deflated.embeddings.values.array == rows.flatMap { $0.map { Float(($0 as? NSNumber)?.doubleValue ?? 0) } })
        // from standard input or a .gz: read, never mapped
        let bytes = zipStored(["xx.npy": member])
        let parsed = try DatasetLoader.parse(bytes, format: .npz, path: "t.npz", options: LoadOptions())
        #expect(parsed.vector(named: "xx")?.embeddings.isMapped == false)
        #expect(parsed.vector(named: "xx")?.embeddings.values.array == x)
    }

    @Test func vectorChoosesTheDefaultVectorField() throws {
        let d = try Self.fixture("npz_savez.npz", LoadOptions(vectorField: "small"))
        #expect(d.vectors.map(\.name) == ["small", "embeddings"])
        let path = Self.data.appendingPathComponent("npz_savez.npz").path
        for (field, message) in [
            ("label", "'label' is not a vector field: it is a 1-D array; a vector field is a 2-D float array (documents, dimension)"),
            ("grid", "'grid' is not a vector field: it is a 2-D <i4 array (20, 2); a field is 1-D, a vector field a 2-D float array"),
            ("nope", "no vector field 'nope'; vector fields: embeddings, small"),
        ] {
            #expect(throws: DataError(path: path, message: message)) { try Self.fixture("npz_savez.npz", LoadOptions(vectorField: field)) }
        }
    }

    @Test func irisLoadsAsTheNPYWithItsLabelsFile() throws {
        let npz = try Self.fixture("iris.npz")
        let npy = try Self.fixture("iris.npy", LoadOptions(vectorField: "features",
                                                         labelsPath: Self.data.appendingPathComponent("iris_labels.csv").path))
        #expect(npz.count == npy.count)
        #expect(npz.vectors.map(\.name) == ["features"])
        #expect(npz.vector(named: "features")?.embeddings.values.array == npy.vector(named: "features")?.embeddings.values.array)
        #expect(npz.fields.map(\.name) == npy.fields.map(\.name))
        // pandas' float64 labels with NaN: 0.0, 1.0, 2.0 where the CSV says 0, 1, 2; text "" where a cell is empty
        for (a, b) in zip(npz.fields, npy.fields) {
            let same = zip(a.values, b.values).allSatisfy { x, y in
                if case .double(let u)? = x, case .int(let v)? = y { return u == Double(v) }
                return x == y
            }
            #expect(same, "\(a.name)")
        }
        #expect(npz.clusterings.map(\.alias) == npy.clusterings.map(\.alias))
        #expect(npz.clusterings.first?.labels == npy.clusterings.first?.labels)
    }

    @Test func positionalAndPickledArraysAreExplained() throws {
        let positional = try Self.fixture("npz_positional.npz")
        #expect(positional.vectors.map(\.name) == ["arr_0"])
        // arr_0 lies unaligned, so it is copied: its NaN row is no sign of rounding (it once flagged the copy)
        #expect(positional.vector(named: "arr_0")?.embeddings.isMapped == false)
        #expect(positional.vector(named: "arr_0")?.roundedToFloat32 == false)
        #expect(positional.fields.map(\.name) == ["arr_1"])
        #expect(positional.notes.last?.contains("np.savez(f, embeddings=X, label=y) names them") == true)
        let pickled = try Self.fixture("npz_pickled.npz")
        #expect(pickled.fields.isEmpty)
        #expect(pickled.notes.last == "\(Self.data.appendingPathComponent("npz_pickled.npz").path): 'tags' left out: it holds Python objects (saved with pickle); save it as strings (.astype(str)) or numbers")
    }

    @Test func aLabelsFileAddsFieldsBesideTheArchives() throws {
        let vectors = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }", data: f32([1, 2, 3, 4, 5, 6]))
        let ids = npy("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", data: i64([7, 8, 9]))
        let archive = try writeFile(zipStored(["v.npy": vectors, "id.npy": ids]), name: "t.npz")
        let labels = try writeFile(Array("topic\na\nb\na\n".utf8), name: "l.csv")
        let d = try DatasetLoader.load(path: archive, options: LoadOptions(labelsPath: labels))
        #expect(d.fields.map(\.name) == ["id", "topic"])
        #expect(d.field(named: "topic")?.values == [.string("a"), .string("b"), .string("a")])
        let clash = try writeFile(Array("id\n1\n2\n3\n".utf8), name: "l2.csv")
        #expect(throws: DataError(path: clash, message: "column 'id' is also an array of \(archive)")) {
            try DatasetLoader.load(path: archive, options: LoadOptions(labelsPath: clash))
        }
    }

    /// An archive of 1-D arrays only (labels, as `export "labels.npz"` writes them) loads as a dataset of
    /// fields, as a Parquet file of labels does: the first array sets the documents.
    @Test func anArchiveOfFieldsOnlyLoads() throws {
        let ids = npy("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", data: i64([7, 8, 9]))
        let short = npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", data: i64([1, 2]))
        let path = try writeFile(zipStored(["_id.npy": ids, "short.npy": short]), name: "labels.npz")
        let d = try DatasetLoader.load(path: path, options: LoadOptions())
        #expect(d.count == 3)
        #expect(d.vectors.isEmpty)
        #expect(d.field(named: "_id")?.values == [.int(7), .int(8), .int(9)])
        #expect(d.notes == ["\(path): 'short' left out: 2 values for the 3 documents"])
        // vector= still wants a vector field
        #expect(throws: DataError(path: path, message: "'_id' is not a vector field: it is a 1-D array; a vector field is a 2-D float array (documents, dimension)")) {
            try DatasetLoader.load(path: path, options: LoadOptions(vectorField: "_id"))
        }
    }

    @Test func inflatingShowsProgressAndStopsWhenCancelled() throws {
        // 40 MiB of float32 inflate in several pieces (ZipArchive.inflatePiece): progress between them, in the
        // archive's bytes, rising to the arrays' total; a cancellation asked during the first stops the load
        let x = [Float](repeating: 0.5, count: 20_480 * 512)
        let member = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (20480, 512), }", data: f32(x))
        #expect(member.count > 2 * ZipArchive.inflatePiece)
        let ids = npy("{'descr': '<i8', 'fortran_order': False, 'shape': (20480,), }", data: i64(Array(0 ..< 20_480)))
        let bytes = zipArchive(["x.npy": member, "id.npy": ids], deflated: true)
        let path = try writeFile(bytes, name: "big.npz")
        var seen: [(Int, Int)] = []
        let d = try DatasetLoader.load(path: path, options: LoadOptions(), progress: { seen.append(($0, $1)) })
        #expect(d.count == 20_480)
        #expect(d.vector(named: "x")?.embeddings.values.array.last == 0.5)
        let total = try #require(seen.last?.1)
        #expect(total < bytes.count)
        #expect(seen.allSatisfy { $0.1 == total })
        #expect(seen.last?.0 == total)
        #expect(seen.count >= 4)   // pieces of the large member, then each member's end
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.0 <= $1.0 })
        let cancellation = Cancellation()
        var calls = 0
        #expect(throws: Cancelled.self) {
            try DatasetLoader.load(path: path, options: LoadOptions(), cancellation: cancellation, progress: { _, _ in
                calls += 1
                cancellation.cancel()
            })
        }
        #expect(calls == 1)
    }

    @Test func damagedArchivesAreErrorsNamingWhatIsWrong() throws {
        let bad = Self.data.appendingPathComponent("bad")
        func error(_ name: String) -> String? {
            do {
                _ = try DatasetLoader.load(path: bad.appendingPathComponent(name).path, options: LoadOptions())
                return nil
            } catch { return "\(error)" }
        }
        #expect(error("npz_crc.npz")?.hasSuffix("npz_crc.npz: member 'label.npy': its CRC-32 is 0x1dda3799 where the archive says 0x6add070f: the file is damaged") == true)
        #expect(error("npz_truncated.npz")?.hasSuffix("npz_truncated.npz: truncated: the ZIP archive has no end record (the file was cut short?)") == true)
        // deflated data changed: zlib or the CRC says so, never a crash
        var compressed = try [UInt8](Data(contentsOf: Self.data.appendingPathComponent("npz_compressed.npz")))
        for at in stride(from: 100, to: 400, by: 37) {
            compressed[at] ^= 0x5A
            let message = try loadError(compressed, name: "t.npz")
            #expect(message?.contains("member '") == true || message?.contains("ZIP") == true, "\(message ?? "loaded")")
            compressed[at] ^= 0x5A
        }
        #expect(try loadError(compressed, name: "t.npz") == nil)
    }
}

/// A ZIP archive of stored members, in the given order, as np.savez writes them (no zip64).
func zipStored(_ members: KeyValuePairs<String, [UInt8]>) -> [UInt8] {
    zipArchive(members, deflated: false)
}

/// A ZIP archive of `members`, stored or deflated (raw deflate, as np.savez_compressed writes them).
func zipArchive(_ members: KeyValuePairs<String, [UInt8]>, deflated: Bool) -> [UInt8] {
    func u16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    func u32(_ v: Int) -> [UInt8] { u16(v & 0xFFFF) + u16(v >> 16 & 0xFFFF) }
    var out: [UInt8] = [], directory: [UInt8] = []
    for (name, data) in members {
        let crc = Int(ZipArchive.crc32(of: data.withUnsafeBytes { UnsafeRawBufferPointer($0) }))
        let packed = deflated ? rawDeflate(data) : data
        let common = u16(20) + u16(0) + u16(deflated ? 8 : 0) + u16(0) + u16(0) + u32(crc) + u32(packed.count) + u32(data.count)
            + u16(name.utf8.count) + u16(0)
        directory += u32(0x0201_4B50) + u16(20) + common + u16(0) + u16(0) + u16(0) + u32(0) + u32(out.count) + Array(name.utf8)
        out += u32(0x0403_4B50) + common + Array(name.utf8) + packed
    }
    let start = out.count
    out += directory
    out += u32(0x0605_4B50) + u16(0) + u16(0) + u16(members.count) + u16(members.count) + u32(directory.count) + u32(start) + u16(0)
    return out
}

/// `data` deflated by zlib with no wrapper.
private func rawDeflate(_ data: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    precondition(deflateInit2_(&stream, Z_BEST_SPEED, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                               Int32(MemoryLayout<z_stream>.size)) == Z_OK)
    defer { deflateEnd(&stream) }
    var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(data.count))))
    var input = data
    let written = input.withUnsafeMutableBufferPointer { i in
        out.withUnsafeMutableBufferPointer { o in
            stream.next_in = i.baseAddress
            stream.avail_in = UInt32(i.count)
            stream.next_out = o.baseAddress
            stream.avail_out = UInt32(o.count)
            precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
            return Int(stream.total_out)
        }
    }
    return Array(out[..<written])
}

/// Little-endian int64 bytes.
func i64(_ values: [Int]) -> [UInt8] {
    values.flatMap { v in (0 ..< 8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: Int64(v)) >> (8 * UInt64($0))) } }
}
