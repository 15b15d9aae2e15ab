import ClusCore
import Foundation
import Testing
@testable import ClusData

/// CSV files as pandas writes them (`df.to_csv()`, `pd.DataFrame(X)`),
/// including the fixtures of Scripts/make_pandas_fixtures.py.
@Suite struct PandasCSVTests {
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden/data")

    static func fixture(_ name: String, _ options: LoadOptions = LoadOptions()) throws -> Dataset {
        try DatasetLoader.load(path: data.appendingPathComponent(name).path, options: options)
    }

    @Test func theUnnamedIndexIsLeftOutWhenItCountsRows() throws {
        let d = try load(",0,1,query\n0,1,2,a\n1,3,4,b\n2,5,6,a\n", name: "t.csv")
        #expect(d.fields.map(\.name) == ["query"])
        #expect(d.vectors.map(\.name) == ["vector"])
        #expect(d.vector(named: "vector")?.embeddings.values == [1, 2, 3, 4, 5, 6])
        #expect(d.notes == ["the unnamed first column is pandas' row index 0..2: left out",
                            "vector 'vector' from the 2 columns named 0..1 (a pandas DataFrame's)"])
    }

    @Test func anyOtherIndexIsKeptAsAField() throws {
        // a filtered frame's index, row labels, and a quoted empty name
        let filtered = try load(",0,1\n3,1,2\n7,3,4\n", name: "t.csv")
        #expect(filtered.field(named: "_index")?.values == [.int(3), .int(7)])
        #expect(filtered.notes.first == "the unnamed first column (pandas' row index) is kept as the field '_index'")
        let labels = try load("\"\",x\na,1\nb,2\n", name: "t.csv")
        #expect(labels.field(named: "_index")?.values == [.string("a"), .string("b")])
        // "0" quoted is text, not pandas' number
        #expect(try load(",x\n\"0\",1\n", name: "t.csv").field(named: "_index") != nil)
        // only the first column may be unnamed, and a real '_index' column clashes
        #expect(try loadError("a,,b\n1,2,3\n", name: "t.csv") == "t.csv:1:3: column 2 has no name in the header")
        #expect(try loadError(",_index\n5,1\n", name: "t.csv") == "t.csv:1:2: duplicate column '_index' (also column 1)")
        #expect(try loadError("\n1\n", name: "t.csv") == "t.csv:1:1: column 1 has no name in the header")
    }

    @Test func columnsNamedZeroToNAreTheVector() throws {
        // with other numeric columns beside them, in any order, and the range spelled out
        let text = "id,1,0,2,score\na,2,1,3,0.5\nb,5,4,6,0.7\n"
        for options in [LoadOptions(), LoadOptions(vectorField: "0..2")] {
            let d = try load(text, name: "t.csv", options: options)
            #expect(d.vector(named: "vector")?.embeddings.values == [1, 2, 3, 4, 5, 6])
            #expect(d.fields.map(\.name) == ["id", "score"])
        }
        // numbered columns that are not 0..N-1 (years) are not a DataFrame's
        let years = try load("1990,2000\n1,2\n", name: "t.csv")
        #expect(years.notes == ["vector 'vector' from the 2 numeric columns 1990..2000"])
        let gap = try load("0,1,3\n1,2,3\n", name: "t.csv")
        #expect(gap.notes == ["vector 'vector' from the 3 numeric columns 0..3"])
        // a column already named 'vector' wins; the numbered ones stay fields
        let taken = try load("vector,0,1\n\"[1, 2]\",3,4\n", name: "t.csv")
        #expect(taken.vectors.map(\.name) == ["vector"])
        #expect(taken.vector(named: "vector")?.embeddings.values == [1, 2])
        #expect(taken.notes == ["columns 0..1 not taken as a vector: 'vector' is already a column"])
    }

    @Test func aWordInANumberedColumnIsAnErrorAtItsCell() throws {
        #expect(try loadError(",0,1\n0,1,2\n1,3,n/a\n", name: "t.csv")
            == "t.csv:3:5: 'n/a' is not a number, in column '1' of the vector columns 0..1 (an empty cell is a document without a vector)")
        #expect(try loadError("0,1\n1,2\n1e39,3\n", name: "t.csv") == "t.csv:3:1: number 1e39 is out of range for a 32-bit float")
    }

    @Test func emptyVectorCellsMeanADocumentWithoutAVector() throws {
        let d = try load(",0,1,q\n0,1,2,a\n1,,,b\n2,5,,c\n3,7,8,d\n", name: "t.csv")
        let v = try #require(d.vector(named: "vector"))
        #expect(d.count == 4)
        #expect(v.present == [true, false, false, true])
        #expect(v.missingCount == 2)
        #expect(v.embeddings.values == [1, 2, 0, 0, 0, 0, 7, 8])
        #expect(d.field(named: "q")?.values == [.string("a"), .string("b"), .string("c"), .string("d")])
        #expect(d.notes.contains("1 document has some of the 2 'vector' cells empty (line 4): no vector for it"), "\(d.notes)")
        #expect(d.notes.contains { $0.hasPrefix("2 documents have no usable 'vector' (2 absent): line 3 lacks it, line 4 lacks it") }, "\(d.notes)")
        // with vector=, too; an empty column is no error; a word still is
        let glob = try load("f0,f1\n1,2\n3,\n,\n", name: "t.csv", options: LoadOptions(vectorField: "f*"))
        #expect(glob.vector(named: "f")?.present == [true, false, false])
        #expect(try load("f0,f1\n1,2\n1,\n3,\n", name: "t.csv", options: LoadOptions(vectorField: "f*")).vector(named: "f")?.missingCount == 2)
        #expect(try loadError("f0,f1,f2\n1,,2\n1,,3\n", name: "t.csv", options: LoadOptions(vectorField: "f0..f1"))
            == "t.csv: no row fills all 2 'f' columns f0..f1: no document has a vector")
        #expect(try loadError("f0,f1\n1,2\n,x\n", name: "t.csv", options: LoadOptions(vectorField: "f*"))
            == "t.csv:3:2: column 'f1' is in vector=f* but 'x' is not a number")
        // the prefix run is found with empty cells in it
        #expect(try load("id,f0,f1\na,1,2\nb,,\n", name: "t.csv").vector(named: "f")?.present == [true, false])
    }

    @Test func pandasBooleansAndFloatLabels() throws {
        let d = try load("a,b,c,label\nTrue,TRUE,true,3.0\nFalse,FALSE,false,\n,True,x,10.0\n", name: "t.csv")
        #expect(d.field(named: "a")?.values == [.bool(true), .bool(false), nil])
        #expect(d.field(named: "b")?.values == [.bool(true), .bool(false), .bool(true)])
        #expect(d.field(named: "c")?.values == [.bool(true), .bool(false), .string("x")])
        #expect(d.field(named: "label")?.values == [.double(3), nil, .double(10)])
    }

    /// The fixtures: every variant loads with no options into the same
    /// documents; the values are the ones pandas was given.
    @Test func theFixtureVariantsLoadAlike() throws {
        let base = try PandasCSVTests.fixture("pandas_default.csv")
        #expect(base.count == 40)
        #expect(base.fields.map(\.name) == ["query", "cluster", "relevant", "title"])
        #expect(base.vectors.map(\.name) == ["vector"])
        #expect(base.vectors[0].missingCount == 3)
        #expect(base.vectors[0].roundedToFloat32 == false)
        #expect(base.field(named: "relevant")?.values.prefix(4) == [.bool(true), .bool(false), .bool(false), .bool(true)])
        #expect(base.field(named: "cluster")?.missingCount == 4)
        #expect(base.field(named: "query")?.missingCount == 2)
        let noIndex = try PandasCSVTests.fixture("pandas_noindex.csv")
        let range = try PandasCSVTests.fixture("pandas_noindex.csv", LoadOptions(vectorField: "0..3"))
        let json = try PandasCSVTests.fixture("pandas_json_vector.csv")
        for d in [noIndex, range] {
            #expect(d.vectors[0].embeddings == base.vectors[0].embeddings)
            #expect(d.vectors[0].present == base.vectors[0].present)
            #expect(d.fields.map(\.values) == base.fields.map(\.values))
        }
        #expect(json.vector(named: "embedding")?.embeddings == base.vectors[0].embeddings)
        #expect(json.vector(named: "embedding")?.present == base.vectors[0].present)
        let subset = try PandasCSVTests.fixture("pandas_subset.csv")
        #expect(subset.field(named: "_index")?.values.prefix(3) == [.int(0), .int(3), .int(6)])
        #expect(subset.count == 14)
    }

    /// scikit-learn's values for the `cluster` column against `query`
    /// (Tests/Golden/data/pandas.expected.json), from the loaded columns:
    /// internal indices on the documents with a vector and a label, external
    /// ones on the documents with a label and a truth value.
    @Test func theLoadedColumnsGiveScikitLearnsValues() throws {
        let expected = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: PandasCSVTests.data.appendingPathComponent("pandas.expected.json"))) as? [String: Any])
        let d = try PandasCSVTests.fixture("pandas_default.csv")
        let vectors = try #require(d.vector(named: "vector"))
        let labels = try #require(d.field(named: "cluster")).interned().codes
        let truth = try #require(d.field(named: "query")).interned().codes
        let internalDocs = (0 ..< d.count).filter { vectors.present[$0] && labels[$0] >= 0 }
        let externalDocs = (0 ..< d.count).filter { labels[$0] >= 0 && truth[$0] >= 0 }
        #expect(internalDocs.count == expected["n"] as? Int)
        #expect(externalDocs.count == expected["n_external"] as? Int)
        let x = Embeddings(rows: internalDocs.map { i in Array(vectors.embeddings.values[i * 4 ..< (i + 1) * 4]) })
        let pred = internalDocs.map { labels[$0] }
        let table = ContingencyTable(truth: externalDocs.map { truth[$0] }, predicted: externalDocs.map { labels[$0] })
        let values: [String: Double] = [
            "silhouette": try silhouetteScore(x, labels: pred),
            "calinski_harabasz": try calinskiHarabasz(x, labels: pred),
            "davies_bouldin": try daviesBouldin(x, labels: pred),
            "adjusted_rand_index": adjustedRandIndex(table),
            "rand_index": randIndex(table),
            "normalized_mutual_info": normalizedMutualInformation(table),
            "adjusted_mutual_info": adjustedMutualInformation(table),
            "homogeneity": homogeneity(table),
            "completeness": completeness(table),
            "v_measure": vMeasure(table),
            "fowlkes_mallows": fowlkesMallows(table),
            "purity": purity(table),
        ]
        for (key, value) in values {
            let reference = try #require(expected[key] as? Double, "\(key) not in the fixture")
            #expect(abs(value - reference) <= 1e-6 * max(1, abs(reference)), "\(key): \(value) vs scikit-learn \(reference)")
        }
    }

    /// A column of NumPy arrays, as `df.to_csv()` writes it: NumPy's print of
    /// each (whitespace between the numbers, lines wrapped, bare points,
    /// scientific notation) reads as the float32 vectors NumPy held
    /// (Tests/Golden/data/pandas_numpy_vector.expected.json); a NaN leaves its
    /// document without a usable vector; Python lists of strings stay text.
    @Test func aColumnOfNumPyArraysIsTheVector() throws {
        let expected = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: PandasCSVTests.data.appendingPathComponent("pandas_numpy_vector.expected.json"))) as? [String: Any])
        let rows = try #require(expected["vectors"] as? [Any])
        let d = try #require(expected["dimension"] as? Int), nanRow = try #require(expected["nan_row"] as? Int)
        let loaded = try PandasCSVTests.fixture("pandas_numpy_vector.csv")
        let v = try #require(loaded.vector(named: "embedding"))
        #expect(v.dimension == d)
        #expect(loaded.fields.map(\.name) == ["id", "label", "tags"])
        for (i, row) in rows.enumerated() {
            guard let numbers = row as? [Double] else {
                #expect(!v.present[i], "document \(i) has no usable vector")
                continue
            }
            #expect(v.present[i])
            #expect(Array(v.embeddings.values[i * d ..< (i + 1) * d]) == numbers.map { Float($0) }, "document \(i)")
        }
        #expect(v.unusable[nanRow]?.problem == .nonFinite)
        #expect(loaded.field(named: "tags")?.typeDescription == "string")
        #expect(loaded.field(named: "tags")?.values.prefix(2) == [.string("['a']"), .string("['a', 'b']")])
        // JSON Lines export is JSON throughout: the NaN as null, the lists as
        // strings; loading it back gives the same vectors.
        let path = try temporaryDirectory().appendingPathComponent("out.jsonl").path
        try DatasetWriter.write(loaded, to: path)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == loaded.count)
        for line in lines { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "not JSON: \(line)") }
        let nanLine = try #require(try JSONSerialization.jsonObject(with: Data(lines[nanRow].utf8)) as? [String: Any])
        #expect((nanLine["embedding"] as? [Any])?.contains { $0 is NSNull } == true)
        #expect(nanLine["tags"] as? String == "['a', 'b']")
        let back = try DatasetLoader.load(path: path, options: LoadOptions())
        #expect(back.vector(named: "embedding")?.embeddings == v.embeddings)
        #expect(back.vector(named: "embedding")?.present == v.present)
    }

    @Test func numPysPrintOfAnArrayInACell() throws {
        // unquoted (no comma in it), whole numbers with bare points, exponents
        let plain = try load("id,v\n0,[1. 2. 3.]\n1,[ 1.e+00 -2.5e-03  3.e-05]\n2,\"[4.\n 5. 6.]\"\n", name: "t.csv")
        #expect(plain.vector(named: "v")?.embeddings.values == [1, 2, 3, 1, -0.0025, 3e-5, 4, 5, 6])
        // a Python list with nan: a document without a usable vector
        let nan = try load("id,v\n0,\"[1.0, nan, 2.0]\"\n1,\"[1.0, 2.0, 3.0]\"\n2,\"[4.0, 5.0, inf]\"\n3,\"[4.0, 5.0, 6.0]\"\n", name: "t.csv")
        #expect(nan.vector(named: "v")?.present == [false, true, false, true])
        // commas and whitespace mixed, a word, a number beyond Float32: no array of numbers
        for cell in ["[1, 2 3]", "[1 2, 3]", "[1 x 3]", "[1 2 1e50]", "[1,, 2]", "[1 2 3"] {
            let d = try load("id,v\n0,\"\(cell)\"\n1,\"\(cell)\"\n", name: "t.csv")
            #expect(d.vectors.isEmpty, "\(cell)")
            #expect(d.field(named: "v")?.values.first == .string(cell), "\(cell)")
        }
    }

    @Test func numPysPrintCutShortIsNamed() throws {
        let d = try PandasCSVTests.fixture("pandas_numpy_long.csv")
        #expect(d.vectors.isEmpty)
        #expect(d.notes.contains { $0.hasPrefix("embedding holds NumPy's print of arrays, cut short with '...'") }, "\(d.notes)")
    }

    /// `np.savetxt(path, X, delimiter=",")` writes no header: a first row of
    /// numbers only, one not whole, is the first document; whole numbers
    /// (years, pandas' 0..N-1) are still a header.
    @Test func aFirstRowOfNumbersIsNoHeader() throws {
        let text = "1.257302165031433105e-01,-1.321048587560653687e-01\n1.049001142382621765e-01,-5.356693863868713379e-01\n-2,3.5\n"
        let d = try load(text, name: "t.csv")
        #expect(d.count == 3)
        #expect(d.vector(named: "vector").map { Array($0.embeddings.values) }
            == ["1.257302165031433105e-01", "-1.321048587560653687e-01", "1.049001142382621765e-01", "-5.356693863868713379e-01", "-2", "3.5"]
                .map { Float($0)! })
        #expect(d.notes == ["no header row (the first row holds only numbers: it is the first document); vector 'vector' from the 2 columns"])
        let picked = try load(text, name: "t.csv", options: LoadOptions(vectorField: "0..1"))
        #expect(picked.count == 3 && picked.vector(named: "vector")?.dimension == 2)
        // a number with an error is found on its line, the first one included
        #expect(try load("0.5,x\n1,2\n", name: "t.csv").count == 1, "a word in the first row: a header")
        #expect(try loadError("0.5,0.25\n0.1,x\n", name: "t.csv") == "t.csv:2:5: 'x' is not a number, in column '1' of the vector columns 0..1 (an empty cell is a document without a vector)")
        // whole numbers stay names; a quoted number is a name
        #expect(try load("1990,2000\n1,2\n", name: "t.csv").count == 1)
        #expect(try load("\"0.5\",0.25\n1,2\n", name: "t.csv").count == 1)
    }

    /// DataFrame.to_json() in each orient (Tests/Golden/data/pandas_to_json_*.json,
    /// from Scripts/make_pandas_fixtures.py): the one-object layouts load as
    /// the same documents as orient="records", with a note naming the layout.
    @Test(arguments: ["columns", "index", "split", "table"])
    func toJSONLayoutsLoadAsTheirRows(orient: String) throws {
        let records = try PandasCSVTests.fixture("pandas_to_json_records.json")
        let d = try PandasCSVTests.fixture("pandas_to_json_\(orient).json")
        #expect(d.count == 12)
        #expect(d.notes.first == "read as pandas' DataFrame.to_json() layout orient=\"\(orient)\": one document per row")
        #expect(d.notes.dropFirst() == records.notes[...])
        #expect(d.vector(named: "embedding")?.embeddings == records.vector(named: "embedding")?.embeddings)
        #expect(d.vector(named: "embedding")?.present == records.vector(named: "embedding")?.present)
        for name in ["id", "label"] {
            #expect(d.field(named: name)?.values == records.field(named: name)?.values, "\(name)")
        }
        // the table layout carries the index as a column of its own
        #expect(d.fields.map(\.name) == (orient == "table" ? ["index", "id", "label"] : ["id", "label"]))
    }

    /// The same frame indexed by its ids (set_index("id")): neither level's
    /// keys are 0, 1, …, so the layout is told by its columns (each of one
    /// kind, the vectors arrays); the ids come back as `_index`.
    @Test(arguments: ["columns", "index"])
    func toJSONLayoutsWithAnIndexOfTheirOwn(orient: String) throws {
        let records = try PandasCSVTests.fixture("pandas_to_json_records.json")
        let d = try PandasCSVTests.fixture("pandas_to_json_\(orient)_named.json")
        #expect(d.count == 12)
        #expect(d.notes.first == "read as pandas' DataFrame.to_json() layout orient=\"\(orient)\": one document per row")
        #expect(d.vector(named: "embedding")?.embeddings == records.vector(named: "embedding")?.embeddings)
        #expect(d.vector(named: "embedding")?.present == records.vector(named: "embedding")?.present)
        #expect(d.field(named: "label")?.values == records.field(named: "label")?.values)
        #expect(d.fields.map(\.name) == ["_index", "label"])
        #expect(d.field(named: "_index")?.values == records.field(named: "id")?.values)
        // a filtered frame keeps its row numbers, as numbers; a frame of three columns and two rows
        // is still told by its kinds
        let filtered = try load("{\"v\": {\"3\": [1, 2], \"7\": [3, 4], \"12\": null}, \"t\": {\"3\": \"a\", \"7\": \"b\", \"12\": \"a\"}}",
                                name: "t.json")
        #expect(filtered.field(named: "_index")?.values == [.int(3), .int(7), .int(12)])
        #expect(filtered.vector(named: "v")?.embeddings.values == [1, 2, 3, 4, 0, 0])
        let rows = try load("{\"r1\": {\"a\": [1, 2], \"b\": \"x\", \"c\": 1}, \"r2\": {\"a\": [3, 4], \"b\": \"y\", \"c\": 2}}",
                            name: "t.json")
        #expect(rows.count == 2)
        #expect(rows.field(named: "_index")?.values == [.string("r1"), .string("r2")])
        #expect(rows.field(named: "b")?.values == [.string("x"), .string("y")])
    }

    @Test func oneObjectInAnotherShapeIsOneDocument() throws {
        let d = try load("{\"a\": {\"x\": 1}, \"b\": {\"x\": 2}}", name: "t.json")
        #expect(d.count == 1 && d.notes.isEmpty)
        // no array among the values, or a column of mixed kinds either way: not a table of vectors
        #expect(try load("{\"a\": {\"x\": [1], \"y\": \"s\"}, \"b\": {\"x\": 2, \"y\": [3]}}", name: "t.json").count == 1)
        // a named index is kept as _index (split), the rows must match the columns
        let named = try load("{\"columns\": [\"v\"], \"index\": [\"r1\", \"r2\"], \"data\": [[[1, 2]], [[3, 4]]]}", name: "t.json")
        #expect(named.field(named: "_index")?.values == [.string("r1"), .string("r2")])
        #expect(named.vector(named: "v")?.embeddings.values == [1, 2, 3, 4])
        #expect(try loadError("{\"columns\": [\"a\", \"b\"], \"data\": [[1, 2], [3]]}", name: "t.json")
            == "t.json:1:42: 1 value in this row of 'data', 2 columns")
        // JSON Lines in a .json file is still read line by line
        #expect(try load("{\"a\": {\"0\": 1}}\n{\"a\": {\"0\": 2}}\n", name: "t.json").count == 2)
    }
}
