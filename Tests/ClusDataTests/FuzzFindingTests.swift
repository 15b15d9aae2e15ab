import Testing
@testable import ClusData

/// Inputs the fuzz targets (Fuzz/, Scripts/fuzz) crashed on, and the deep
/// nesting they must survive: each must load or give an error, never crash.
@Suite struct FuzzFindingTests {
    /// FuzzCSV: a row ending in ',' at the end of the file read past the
    /// buffer (Swift's bounds check stopped it) looking for the next cell.
    @Test func csvTrailingCommaAtTheEndOfTheFile() throws {
        #expect(try loadError("a,", name: "t.csv") == "t.csv:1:3: column 2 has no name in the header")
        let d = try load("a,b\n1,", name: "t.csv")
        #expect(d.count == 1)
        #expect(d.field(named: "a")?.values == [.int(1)])
        #expect(d.field(named: "b")?.values == [nil])
        #expect(try load("a,b\n\"x\",", name: "t.csv").field(named: "a")?.values == [.string("x")])
    }
}
