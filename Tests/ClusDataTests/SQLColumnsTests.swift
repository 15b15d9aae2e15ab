import ClusCore
import Testing
@testable import ClusData

/// How query values become columns, without a database: the kinds a
/// column's first value decides, NULLs, unusable vectors, and redaction.
@Suite struct SQLColumnsTests {
    /// A value as a client library would hand it over.
    enum Cell: Sendable {
        case null, int(Int), double(Double), blob([UInt8]), text(String), array(String)
    }

    func columns(_ names: [String], _ rows: [[Cell]], blobType: BlobVectorType = .float32) throws -> Dataset {
        var c = try SQLColumns(names: names, source: "t.db", blobType: blobType)
        for row in rows {
            for (i, value) in row.enumerated() {
                switch value {
                case .null: try c.set(.null, column: i)
                case .int(let n): try c.set(.int(n), column: i)
                case .double(let d): try c.set(.double(d), column: i)
                case .blob(let bytes): try bytes.withUnsafeBytes { try c.set(.blob($0), column: i) }
                case .array(let s): try Array(s.utf8).withUnsafeBufferPointer { try c.set(.arrayText($0), column: i) }
                case .text(let s): try Array(s.utf8).withUnsafeBufferPointer { try c.set(.text($0), column: i) }
                }
            }
            c.finishRow()
        }
        return try c.dataset(name: "t", vectorField: nil)
    }

    func float32(_ xs: [Float]) -> [UInt8] { xs.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }

    @Test func leadingNullsThenVectorsAndFields() throws {
        let d = try columns(["_id", "v", "t", "note"], [
            [.int(1), .null, .null, .null],
            [.int(2), .blob(float32([1, 2])), .text("[3, 4.5]"), .text("x")],
            [.int(3), .blob(float32([5, 6])), .null, .null],
        ])
        let v = try #require(d.vector(named: "v"))
        #expect(v.embeddings.values.array == [0, 0, 1, 2, 5, 6] && v.present == [false, true, true])
        let t = try #require(d.vector(named: "t"))
        #expect(t.embeddings.values.array == [0, 0, 3, 4.5, 0, 0] && t.present == [false, true, false])
        #expect(d.field(named: "note")?.values == [nil, .string("x"), nil])
        #expect(d.field(named: "_id")?.values == [.int(1), .int(2), .int(3)])
    }

    @Test func postgresArraysNonFiniteAndEmptyVectors() throws {
        let d = try columns(["v"], [[.array("{1.5,-2}")], [.array("{NaN,1}")], [.array("{}")], [.array("{ 3 , 1e-2 }")]])
        let v = try #require(d.vector(named: "v"))
        #expect(v.present == [true, false, false, true])
        #expect(v.embeddings.values.array == [1.5, -2, 0, 0, 0, 0, 3, 0.01])
        #expect(v.unusable[1]?.problem == .nonFinite && v.unusable[2]?.problem == .empty)
        #expect(v.unusable[1]?.jsonText == "[NaN, 1.0]")
    }

    @Test func float64BlobsRoundToFloat32AndSaySo() throws {
        let bytes = [0.1, 2.0].flatMap { (x: Double) in withUnsafeBytes(of: x.bitPattern.littleEndian, Array.init) }
        let v = try #require(try columns(["v"], [[.blob(bytes)]], blobType: .float64).vector(named: "v"))
        #expect(v.embeddings.values.array == [Float(0.1), 2] && v.roundedToFloat32)
    }

    @Test func textThatIsNoArrayIsAStringField() throws {
        let d = try columns(["s"], [[.text("[not json")], [.text("[1, 2]")]])
        #expect(d.vectors.isEmpty && d.field(named: "s")?.values == [.string("[not json"), .string("[1, 2]")])
    }

    @Test(arguments: [
        ([[.double(1)], [.blob([0, 0, 0, 0])]] as [[Cell]], "row 2, column 'v': a BLOB in a column whose first value is not a vector; a vector column holds BLOBs or arrays of numbers from its first non-NULL row"),
        ([[.text("[1, 2]")], [.int(3)]], "row 2, column 'v': a number or boolean in a vector column; every non-NULL value must be a vector"),
        ([[.array("{1,2}")], [.array("{{1,2}}")]], "row 2, column 'v': '{{1,2}}' is not an array of numbers, as the column's earlier rows are (expected a number at byte 2)"),
    ])
    func valuesThatDoNotFitTheirColumn(rows: [[Cell]], message: String) throws {
        #expect(throws: DataError(path: "t.db", message: message)) { try columns(["v"], rows) }
    }

    @Test(arguments: [
        ("postgresql://me:s3cret@db:5432/shop", "postgresql://me:***@db:5432/shop"),
        ("postgres://me:p%40ss@db/shop?sslmode=require", "postgres://me:***@db/shop?sslmode=require"),
        ("postgresql://me@db/shop?password=s3cret&sslmode=require", "postgresql://me@db/shop?password=***&sslmode=require"),
        ("host=db user=me password=s3cret dbname=shop", "host=db user=me password=*** dbname=shop"),
        ("host=db password = 'it''s secret' dbname=shop", "host=db password = *** dbname=shop"),
        ("host=db PASSWORD=x", "host=db PASSWORD=***"),
        (#"host=db password='it\'s secret' dbname=shop"#, "host=db password=*** dbname=shop"),
        ("postgresql://me@db/shop", "postgresql://me@db/shop"),
        ("load postgres \"postgresql://a:b@h/d\" query=\"SELECT 1\"", "load postgres \"postgresql://a:***@h/d\" query=\"SELECT 1\""),
    ])
    func passwordsAreRedacted(text: String, shown: String) {
        #expect(ConnectionString.redacted(text) == shown)
    }
}
