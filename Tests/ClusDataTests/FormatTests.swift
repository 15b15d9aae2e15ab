import ClusCore
import Foundation
import Testing
@testable import ClusData

@Suite struct FormatTests {
    static let data = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Golden/data")

    static func fixture(_ name: String, _ options: LoadOptions = LoadOptions()) throws -> Dataset {
        try DatasetLoader.load(path: data.appendingPathComponent(name).path, options: options)
    }

    /// The same iris documents as JSON Lines, a JSON array, CSV, NumPy + labels
    /// (big-endian float64, Fortran order), gzip and Parquet give the same vectors,
    /// truth and aliases, so the same metrics.
    @Test func everyFormatGivesIdenticalMetrics() throws {
        let gz = try temporaryDirectory().appendingPathComponent("iris.jsonl.gz").path
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -c '\(FormatTests.data.path)/iris.jsonl' > '\(gz)'"]
        try gzip.run()
        gzip.waitUntilExit()
        let sets = [
            try FormatTests.fixture("iris.jsonl"),
            try FormatTests.fixture("iris.json"),
            try FormatTests.fixture("iris.csv"),
            try FormatTests.fixture("iris.npy", LoadOptions(vectorField: "features", labelsPath: FormatTests.data.path + "/iris_labels.csv")),
            try DatasetLoader.load(path: gz, options: LoadOptions()),
            try FormatTests.fixture("iris.parquet"),
        ]
        var results: [[Double]] = []
        for d in sets {
            let x = try #require(d.vector(named: "features")).embeddings
            let labels = try #require(d.clustering(alias: "kmeans_3", vectorField: "features")).labels
            let truth = try #require(d.field(named: "species")).interned().codes
            let labelled = labels.indices.filter { labels[$0] >= 0 }
            let both = labelled.filter { truth[$0] >= 0 }
            let table = ContingencyTable(truth: both.map { truth[$0] }, predicted: both.map { labels[$0] })
            results.append([
                try silhouetteScore(x.rows(labelled), labels: labelled.map { labels[$0] }, parallelism: Parallelism(threads: 1)),
                adjustedRandIndex(table), normalizedMutualInformation(table), Double(both.count),
            ])
            #expect(d.count == 150)
            #expect(x.values == sets[0].vector(named: "features")?.embeddings.values)
            #expect(d.field(named: "_id")?.values == sets[0].field(named: "_id")?.values)
            #expect(d.field(named: "target")?.values == sets[0].field(named: "target")?.values)
        }
        #expect(results.allSatisfy { $0 == results[0] })
        #expect(results[0][3] == 145)   // 3 without species, 2 without a label
    }

    @Test func csvCellsAreTypedAndQuotedCellsRead() throws {
        let d = try load("id,name,n,x,ok,v\r\na,\"Smith, \"\"J\"\"\nline 2\",1,2.5,true,\"[1, 2]\"\r\nb,中文 😀,,-3e2,false,\"[3, 4.5]\"\r\n", name: "t.csv")
        #expect(d.field(named: "name")?.values == [.string("Smith, \"J\"\nline 2"), .string("中文 😀")])
        #expect(d.field(named: "n")?.values == [.int(1), nil])
        #expect(d.field(named: "x")?.values == [.double(2.5), .double(-300)])
        #expect(d.field(named: "ok")?.values == [.bool(true), .bool(false)])
        #expect(d.vectors.map(\.name) == ["v"])
        #expect(d.vector(named: "v")?.embeddings.values == [1, 2, 3, 4.5])
        #expect(d.notes.isEmpty)
    }

    @Test func csvNumericColumnsNeedARunOrVectorOption() throws {
        let text = "id,label,f0,f1,f2\na,3,0.5,1,2\nb,7,1.5,2,3\n"
        let auto = try load(text, name: "t.csv")
        #expect(auto.vectors.map(\.name) == ["f"])
        #expect(auto.vector(named: "f")?.embeddings.values == [0.5, 1, 2, 1.5, 2, 3])
        #expect(auto.field(named: "label")?.values == [.int(3), .int(7)])   // never folded in
        #expect(auto.fields.map(\.name) == ["id", "label"])
        #expect(auto.notes == ["vector 'f' from the 3 numeric columns f0..f2; other numeric columns kept as fields: label"])
        let range = try load(text, name: "t.csv", options: LoadOptions(vectorField: "f1..f2"))
        #expect(range.vector(named: "f")?.embeddings.values == [1, 2, 2, 3])
        #expect(range.fields.map(\.name) == ["id", "label", "f0"])
        let glob = try load(text, name: "t.csv", options: LoadOptions(vectorField: "f*"))
        #expect(glob.vector(named: "f")?.dimension == 3)
        #expect(try loadError(text, name: "t.csv", options: LoadOptions(vectorField: "*")) == "t.csv:2:1: column 'id' is in vector=* but 'a' is not a number")
        // Two runs, or no run: no vector, and the load says why.
        let two = try load("a0,a1,b0,b1\n1,2,3,4\n", name: "t.csv")
        #expect(two.vectors.isEmpty)
        #expect(two.notes == [#"numeric columns form several runs (a*, b*); no vector taken: give vector="PREFIX*""#])
        let none = try load("x,y,label\n1,2,3\n", name: "t.csv")
        #expect(none.vectors.isEmpty)
        #expect(none.notes == [#"no vector taken from the numeric columns (x, y, label): give vector="f*" or vector="f0..f63""#])
    }

    @Test func csvClusterColumnsAreAliases() throws {
        let d = try load("v,_cluster_.v.k\n\"[1, 2]\",c1\n\"[3, 4]\",\n\"[5, 6]\",c0\n", name: "t.csv")
        let c = try #require(d.clustering(alias: "k", vectorField: "v"))
        #expect(c.labels.map { $0 < 0 ? "-" : c.clusterNames[$0] } == ["c1", "-", "c0"])
        #expect(d.fields.isEmpty)
    }

    @Test(arguments: [1, 2, 3] as [UInt8])
    func npyVersionsByteOrdersAndLayouts(version: UInt8) throws {
        let rows: [[Float]] = [[1, 2, 3], [4.5, -5, 1e-7]]
        let c = npy(header(shape: "(2, 3)"), version: version, data: f32(rows.flatMap { $0 }))
        let fortran = npy(header(">f8", fortran: "True", shape: "(2, 3)"), version: version,
                          data: f64BE((0 ..< 3).flatMap { j in rows.map { Double($0[j]) } }))
        for bytes in [c, fortran] {
            let path = try writeFile(bytes, name: "x.npy")
            let d = try DatasetLoader.load(path: path, options: LoadOptions())
            #expect(d.vectors.map(\.name) == ["vector"])
            #expect(d.vector(named: "vector")?.embeddings.values.array == rows.flatMap { $0 })
        }
    }

    /// float16 (LAION's CLIP embeddings come so) widens exactly; NaN and
    /// infinities leave a row without a usable vector, as in float32.
    @Test func npyFloat16() throws {
        let halves: [Float16] = [1, -2.5, 0.000_061_04, 65504, 0.1, -0.333, .nan, 1, 2, 3, .infinity, 5]
        let little = halves.flatMap { h in withUnsafeBytes(of: h.bitPattern.littleEndian) { Array($0) } }
        let big = halves.flatMap { h in withUnsafeBytes(of: h.bitPattern.bigEndian) { Array($0) } }
        for (descr, data) in [("<f2", little), (">f2", big)] {
            let path = try writeFile(npy(header(descr, shape: "(4, 3)"), data: data), name: "h.npy")
            let d = try DatasetLoader.load(path: path, options: LoadOptions())
            let v = try #require(d.vector(named: "vector"))
            #expect(v.present == [true, true, false, false], "\(descr)")
            #expect(Array(v.embeddings.values[0 ..< 6]) == halves[0 ..< 6].map { Float($0) }, "\(descr)")
            #expect(v.embeddings.values[0 ..< 6].map { Float16($0) } == Array(halves[0 ..< 6]), "exact: \(descr)")
        }
    }

    @Test func gzipHoldsAnyFormat() throws {
        let dir = try temporaryDirectory()
        let plain = dir.appendingPathComponent("t.csv").path
        try Data("v\n\"[1, 2]\"\n".utf8).write(to: URL(fileURLWithPath: plain))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip '\(plain)'"]
        try gzip.run()
        gzip.waitUntilExit()
        let d = try DatasetLoader.load(path: plain + ".gz", options: LoadOptions())
        #expect(d.name == "t")
        #expect(d.vector(named: "v")?.embeddings.values == [1, 2])
    }
}

@Suite struct PrecisionTests {
    @Test func numbersLongerThanFloat32KeepsAreReported() throws {
        #expect(try load("{\"v\": [0.1, 0.25, -1.17549435e-38]}\n{\"v\": [1, 2, 123456789]}").vectors[0].roundedToFloat32 == false)
        #expect(try load("{\"v\": [0.1, 0.2]}\n{\"v\": [0.30000000000000004, 2]}").vectors[0].roundedToFloat32 == true)
        #expect(try load("{\"v\": [1234567891, 2]}").vectors[0].roundedToFloat32 == true)
        #expect(try load("{\"v\": [0.000000001000000000e5, 2]}").vectors[0].roundedToFloat32 == false)
    }

    /// Float32 vectors written by Python's `.tolist()` and `json.dumps` carry
    /// 17 digits, the shortest text of the Double that equals each Float32:
    /// storing them loses nothing, so no note; a Float64 value is rounded.
    @Test func float32WrittenThroughADoubleIsNotRounded() throws {
        var rng = SystemRandomNumberGenerator()
        let floats = (0 ..< 2000).map { _ in Float.random(in: -3 ... 3, using: &rng) }
            + [Float.leastNormalMagnitude, 3.4028235e38, 1.0000001, -0.1, 1e-7]
        let text = floats.map { "{\"v\": [\(Double($0)), 1]}" }.joined(separator: "\n")
        let d = try load(text)
        #expect(d.vectors[0].roundedToFloat32 == false)
        #expect(d.vectors[0].embeddings.values.enumerated().filter { $0.offset % 2 == 0 }.map(\.element) == floats)
        #expect(try load("{\"v\": [0.10000000149011612, 1]}").vectors[0].roundedToFloat32 == false)
        #expect(try load("{\"v\": [0.10000000149011613, 1]}").vectors[0].roundedToFloat32 == true)
        #expect(try load("{\"v\": [0.100000001490116119384765625, 1]}").vectors[0].roundedToFloat32 == false)
    }

    @Test func float64ArraysSayWhetherTheyWereRounded() throws {
        let exact = try writeFile(npy(header(">f8"), data: f64BE([0.5, 1, 2, -3])), name: "x.npy")
        #expect(try DatasetLoader.load(path: exact, options: LoadOptions()).vectors[0].roundedToFloat32 == false)
        let rounded = try writeFile(npy(header(">f8"), data: f64BE([0.5, 1, 0.1, -3])), name: "x.npy")
        #expect(try DatasetLoader.load(path: rounded, options: LoadOptions()).vectors[0].roundedToFloat32 == true)
    }
}
