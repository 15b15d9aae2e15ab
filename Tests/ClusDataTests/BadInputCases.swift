import Foundation
@testable import ClusData

/// One bad file: its name (the extension picks the format), its bytes, the
/// load options, and the one-line error it must give.
struct BadInput: CustomStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    let options: LoadOptions
    let error: String
    var description: String { name + ": " + error }

    init(_ name: String, _ text: String, _ options: LoadOptions, _ error: String) {
        self.init(name, Array(text.utf8), options, error)
    }

    init(_ name: String, _ text: String, _ error: String) {
        self.init(name, Array(text.utf8), LoadOptions(), error)
    }

    init(_ name: String, _ bytes: [UInt8], _ error: String) {
        self.init(name, bytes, LoadOptions(), error)
    }

    init(_ name: String, _ bytes: [UInt8], _ options: LoadOptions, _ error: String) {
        self.name = name
        self.bytes = bytes
        self.options = options
        self.error = error
    }
}

/// An `.npy` file: magic, version, padded header, data.
func npy(_ header: String, version: UInt8 = 1, data: [UInt8]) -> [UInt8] {
    let prefixLength = version == 1 ? 10 : 12
    var text = Array(header.utf8)
    while (prefixLength + text.count + 1) % 64 != 0 { text.append(0x20) }
    text.append(0x0A)
    var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
    if version == 1 {
        out += [UInt8(text.count & 0xFF), UInt8(text.count >> 8)]
    } else {
        out += [UInt8(text.count & 0xFF), UInt8(text.count >> 8 & 0xFF), UInt8(text.count >> 16 & 0xFF), 0]
    }
    return out + text + data
}

/// Little-endian float32 bytes.
func f32(_ values: [Float]) -> [UInt8] {
    values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
}

func f64BE(_ values: [Double]) -> [UInt8] {
    values.flatMap { v in withUnsafeBytes(of: v.bitPattern.bigEndian) { Array($0) } }
}

func header(_ descr: String = "<f4", fortran: String = "False", shape: String = "(2, 2)") -> String {
    "{'descr': '\(descr)', 'fortran_order': \(fortran), 'shape': \(shape), }"
}

/// Bad inputs across CSV, NPY, JSON arrays and options; JSON Lines syntax has
/// its own table in `LoadErrorTests`.
let badInputs: [BadInput] = [
    // CSV
    BadInput("t.csv", "", "t.csv: no documents in the file"),
    BadInput("t.csv", "a,v\n", "t.csv: no documents in the file"),
    BadInput("t.csv", "a,v\n1,\"[1, 2]\"\n2\n", "t.csv:3:1: 1 cells in this row, 2 in the header"),
    BadInput("t.csv", "a,v\n1,\"[1, 2]\",3\n", "t.csv:2:1: 3 cells in this row, 2 in the header"),
    BadInput("t.csv", "a,v\n1,\"[1, 2]\n", "t.csv:2:3: unterminated quoted cell"),
    BadInput("t.csv", "a,v\n1,\"x\"y\n", "t.csv:2:6: expected ',' or the end of the line after a quoted cell"),
    BadInput("t.csv", "a,v\n1,x\"y\n", "t.csv:2:4: a quote inside an unquoted cell; quote the cell and double the quote"),
    BadInput("t.csv", "a,,v\n1,2,3\n", "t.csv:1:3: column 2 has no name in the header"),
    BadInput("t.csv", "a,b,a\n1,2,3\n", "t.csv:1:5: duplicate column 'a' (also column 1)"),
    BadInput("t.csv", Array("a,b\nx,".utf8) + [0xFF] + Array("\n".utf8), "t.csv:2:3: invalid UTF-8 (byte 0xFF)"),
    BadInput("t.csv", "f0,f1\n1,2\n3,x\n", LoadOptions(vectorField: "f*"), "t.csv:3:3: column 'f1' is in vector=f* but 'x' is not a number"),
    BadInput("t.csv", "f0,f1\n1,2\n,x\n", LoadOptions(vectorField: "f*"), "t.csv:3:2: column 'f1' is in vector=f* but 'x' is not a number"),
    BadInput("t.csv", ",0,1\n0,1,2\n1,x,\n", "t.csv:3:3: 'x' is not a number, in column '0' of the vector columns 0..1 (an empty cell is a document without a vector)"),
    BadInput("t.csv", ",0,1\n0,1,2\n1,3\n", "t.csv:3:1: 2 cells in this row, 3 in the header"),
    BadInput("t.csv", "f0,f1\n1,2\n", LoadOptions(vectorField: "g*"), "t.csv: vector=g* matches no column"),
    BadInput("t.csv", "f0,f1\n1,2\n", LoadOptions(vectorField: "f0..f5"), "t.csv: vector=f0..f5: no column 'f2'"),
    BadInput("t.csv", "f0,f1\n1,2\n", LoadOptions(vectorField: "nope"), "t.csv: vector=nope: no such column; give a column of JSON arrays, a glob like \"f*\" or a range like \"f0..f63\""),
    BadInput("t.csv", "f0,f1,label\n1,2,3\n", LoadOptions(vectorField: "label"), "t.csv: vector=label: 'label' is one numeric column, not a vector; give a glob like \"f*\" or a range like \"f0..f63\""),
    BadInput("t.csv", "f,f0,f1\n1,2,3\n", LoadOptions(vectorField: "f*"), "t.csv: vector=f*: the vector would be named 'f', which is already a column"),
    BadInput("t.csv", "f0,f1\n1,1e39\n", LoadOptions(vectorField: "f*"), "t.csv:2:3: number 1e39 is out of range for a 32-bit float"),
    BadInput("t.csv", "v\n\"[1, 2]\"\n\"[1, 2, 3]\"\n", LoadOptions(vectorField: "v"), "t.csv:3:2: 'v' is not a vector field: 3 numbers here, 2 in the first document that has it"),
    BadInput("t.csv", "v\n\"[1, x]\"\n", LoadOptions(vectorField: "v"), "t.csv: no vector field 'v'; the dataset has none"),
    BadInput("t.csv", "a,_cluster_.v.k\n1,c1\n", LoadOptions(vectorField: "v"), "t.csv: vector=v: no such column; give a column of JSON arrays, a glob like \"f*\" or a range like \"f0..f63\""),
    BadInput("t.dat", "a\tb\n1\t2\n", "t.dat: cannot tell the format from the extension; give format= (jsonl, json, csv, tsv, npy, npz, parquet, arrow)"),
    // NPY
    BadInput("t.npy", [], "t.npy: empty file; not a .npy file"),
    BadInput("t.npz", [], "t.npz: empty file; not a .npz archive"),
    BadInput("t.npz", "hello", "t.npz: not a .npz archive (too short for a ZIP archive's end record)"),
    BadInput("t.npz", String(repeating: "x", count: 40), "t.npz: not a .npz archive (no ZIP end record)"),
    BadInput("t.npz", zipStored(["a.npy": npy(header("<i8", shape: "()"), data: i64([1]))]), "t.npz: no 2-D float array (documents, dimension) and no 1-D array of one value per document; the archive holds a"),
    BadInput("t.npz", zipStored(["v.npy": npy(header(), data: f32([1, 2, 3]))]), "t.npz: member 'v.npy': truncated: shape (2, 2) of <f4 needs 16 bytes of data, the file has 12"),
    BadInput("t.npz", zipStored(["v.npy": npy(header(), data: f32([1, 2, 3, 4])), "s.npy": npy(header("<i8", shape: "(2,)"), data: i64([1]))]), "t.npz: member 's.npy': truncated: shape (2,) of <i8 needs 16 bytes of data, the file has 8"),
    BadInput("t.npz", zipStored(["v.npy": npy(header(), data: f32([1, .nan, 3, 4]))]), LoadOptions(strict: true), "t.npz: member 'v.npy': row 1, component 2 is NaN; strict=on wants a usable vector in every row"),
    BadInput("t.npz", localNameRunsPastTheEnd(), "t.npz: truncated: member 'a.npy' runs past the end of the file"),
    BadInput("t.npz", deflatedClaiming(0xFFFF_FFF0), "t.npz: member 'a.npy': its 83 bytes of deflated data cannot inflate to the 4294967280 bytes the archive says: the file is damaged"),
    BadInput("t.npz", deflatedClaiming(100), "t.npz: member 'a.npy': its deflated data does not inflate to the 100 bytes the archive says: the file is damaged"),
    BadInput("t.npz", zipStored(["v.npy": Array("not numpy".utf8)]), "t.npz: member 'v.npy': not a .npy file (no \\x93NUMPY magic)"),
    BadInput("t.npy", "{\"a\": 1}", "t.npy: not a .npy file (no \\x93NUMPY magic)"),
    BadInput("t.npy", npy(header("<i8"), data: []), "t.npy: unsupported dtype '<i8'; clus reads float16, float32 and float64 arrays (f2, f4, f8)"),
    BadInput("t.npy", npy(header("<c8"), data: []), "t.npy: unsupported dtype '<c8'; clus reads float16, float32 and float64 arrays (f2, f4, f8)"),
    BadInput("t.npy", npy(header("|O"), data: []), "t.npy: unsupported dtype '|O'; clus reads float16, float32 and float64 arrays (f2, f4, f8)"),
    BadInput("t.npy", npy(header(shape: "(4,)"), data: f32([1, 2, 3, 4])), "t.npy: shape (4,): a 2-D array (documents, dimension) is needed"),
    BadInput("t.npy", npy(header(shape: "(2, 2, 1)"), data: f32([1, 2, 3, 4])), "t.npy: shape (2, 2, 1): a 2-D array (documents, dimension) is needed"),
    BadInput("t.npy", npy(header(shape: "(0, 2)"), data: []), "t.npy: no documents in the file"),
    BadInput("t.npy", npy(header(shape: "(2, 0)"), data: []), "t.npy: shape (2, 0): the vectors are empty"),
    BadInput("t.npy", npy(header(), data: f32([1, 2, 3])), "t.npy: truncated: shape (2, 2) of <f4 needs 16 bytes of data, the file has 12"),
    BadInput("t.npy", npy(header(), data: f32([1, 2, 3, 4, 5])), "t.npy: 4 bytes after the data of shape (2, 2)"),
    BadInput("t.npy", npy(header(), data: f32([1, .nan, 3, 4])), LoadOptions(strict: true), "t.npy: row 1, component 2 is NaN; strict=on wants a usable vector in every row"),
    BadInput("t.npy", npy(header(), data: f32([1, 2, -.infinity, 4])), LoadOptions(strict: true), "t.npy: row 2, component 1 is infinite; strict=on wants a usable vector in every row"),
    BadInput("t.npy", npy(header(">f8"), data: f64BE([1, 2, 3, 1e300])), LoadOptions(strict: true), "t.npy: row 2, component 2 is out of range for a 32-bit float; strict=on wants a usable vector in every row"),
    BadInput("t.npy", npy(header(fortran: "maybe"), data: f32([1, 2, 3, 4])), "t.npy: bad .npy header: 'fortran_order' must be True or False: {'descr': '<f4', 'fortran_order': maybe, 'shape': (2, 2), }"),
    BadInput("t.npy", npy("{'fortran_order': False, 'shape': (2, 2), }", data: f32([1, 2, 3, 4])), "t.npy: bad .npy header: no 'descr' string: {'fortran_order': False, 'shape': (2, 2), }"),
    BadInput("t.npy", npy(header(shape: "(2, x)"), data: f32([1, 2, 3, 4])), "t.npy: bad .npy header: shape (2, x)"),
    BadInput("t.npy", npy(header(shape: "(-2, 2)"), data: f32([1, 2, 3, 4])), "t.npy: bad .npy header: shape (-2, 2)"),
    BadInput("t.npy", Array(npy(header(), version: 4, data: f32([1, 2, 3, 4]))), "t.npy: .npy format version 4.0 is not supported (1, 2 and 3 are)"),
    BadInput("t.npy", Array(npy(header(), data: f32([1, 2, 3, 4])).prefix(30)), "t.npy: truncated .npy header"),
    // JSON arrays
    BadInput("t.json", "", "t.json: no documents in the file"),
    BadInput("t.json", "[]", "t.json: no documents in the file"),
    BadInput("t.json", "[{\"v\": [1, 2]}", "t.json:1:15: expected ',' or ']' after a document, found end of file"),
    BadInput("t.json", "[{\"v\": [1, 2]},]", "t.json:1:15: trailing comma before ']'"),
    BadInput("t.json", "[{\"v\": [1, 2]}] x", "t.json:1:17: expected the end of the file after the array of documents, found 'x'"),
    BadInput("t.json", "[1, 2]", "t.json:1:2: expected a JSON object ('{') for each document, found '1'"),
    BadInput("t.json", "{\"v\": [1, 2]}\n{\"v\": [1, 2]", LoadOptions(format: .json), "t.json:1:1: expected '[' opening an array of documents, found '{'"),
    BadInput("t.json", "[{\"v\": [1, 2]},\n {\"v\": [1, null]}]", LoadOptions(vectorField: "v"), "t.json:2:3: 'v' is not a vector field: here it is not an array of numbers"),
    // JSON Lines: vectors and fields
    BadInput("t.jsonl", "{\"v\": [1, 2]}\n{\"v\": [1, NaN]}", LoadOptions(strict: true), "t.jsonl:2:7: 'v' holds NaN or an infinity here; strict=on wants a usable vector in every document (1 lacks one)"),
    BadInput("t.jsonl", "{\"v\": [1, 2]}\n{\"v\": [1, -Infinity]}", LoadOptions(strict: true), "t.jsonl:2:7: 'v' holds NaN or an infinity here; strict=on wants a usable vector in every document (1 lacks one)"),
    BadInput("t.jsonl", "{\"v\": [1e39]}", LoadOptions(strict: true), "t.jsonl:1:7: 'v' holds NaN or an infinity here; strict=on wants a usable vector in every document (1 lacks one)"),
    BadInput("t.jsonl", "{\"v\": [1, 2]}\n{\"v\": [1, 2]}\n{\"w\": 1}\n{\"v\": [1, 2]}", LoadOptions(strict: true), "t.jsonl:3: 'v' lacks it here; strict=on wants a usable vector in every document (1 lacks one)"),
    BadInput("t.jsonl", "{\"v\": [1, 2]}\n{\"v\": [1, 2]}\n{\"v\": [1, 2]}\n{\"v\": [3]}", LoadOptions(strict: true), "t.jsonl:4:7: 'v' has 1 number (2 expected) here; strict=on wants a usable vector in every document (1 lacks one)"),
    BadInput("t.jsonl", "{\"v\": [1, 2]}\n{\"v\": [1, 2]}\n{\"v\": \"x\"}\n{\"v\": [1, 2]}", LoadOptions(strict: true), "t.jsonl:3:2: 'v' holds a string here; strict=on wants a usable vector in every document (1 lacks one)"),
    BadInput("t.jsonl", "{\"v\": [1, 2]}\n{\"v\": [1, 2, 3]}", LoadOptions(vectorField: "v"), "t.jsonl:2:7: 'v' is not a vector field: 3 numbers here, 2 in the first document that has it"),
    BadInput("t.jsonl", "{\"v\": [1, 2]}\n{\"v\": \"x\"}", LoadOptions(vectorField: "v"), "t.jsonl:2:2: 'v' is not a vector field: here it is not an array of numbers"),
    BadInput("t.jsonl", "{\"v\": []}", LoadOptions(vectorField: "v"), "t.jsonl:1:7: 'v' is not a vector field: its arrays are empty"),
    BadInput("t.jsonl", "{\"a\": 1}", LoadOptions(vectorField: "v"), "t.jsonl: no vector field 'v'; the dataset has none"),
    BadInput("t.jsonl", "{\"v\": [1]}", LoadOptions(vectorField: "w"), "t.jsonl: no vector field 'w'; vector fields: v"),
    BadInput("t.jsonl", "{\"v\": [1]}", LoadOptions(labelsPath: "l.csv"), "t.jsonl: labels= goes with a .npy or .npz file, or a CSV or TSV of vectors only; other formats carry their fields"),
    BadInput("t.jsonl", "{\"v\": [1]}\n{\"v\": [1], \"v\": [2]}", "t.jsonl:2:12: duplicate field 'v'"),
    BadInput("t.jsonl", "{\"v\": [1]}\n\u{0}", "t.jsonl:2:1: expected a JSON object ('{') for each document, found byte 0x00"),
    BadInput("t.jsonl", String(repeating: "[", count: 600), "t.jsonl:1:1: expected a JSON object ('{') for each document, found '['"),
    BadInput("t.jsonl", "{\"a\":" + String(repeating: "{\"a\":", count: 600), "t.jsonl:1:2561: nesting deeper than 512 levels"),
    // gzip
    BadInput("t.jsonl.gz", "{\"v\": [1]}", "t.jsonl.gz: not a gzip file (the name ends in .gz); give the real extension or format="),
    BadInput("t.jsonl.gz", [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03, 0xAB], "t.jsonl.gz: cannot decompress: the file is truncated"),
    BadInput("t.jsonl.gz", [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03, 0xFF, 0xFF, 0xFF, 0xFF], "t.jsonl.gz: cannot decompress: corrupt data"),
]

/// An archive whose one (empty) member's local header claims a 65,535-byte
/// name: its data would start past the end of the file.
/// A deflated member whose sizes (local header and directory) claim `size` bytes once inflated
/// (FuzzNPY: a claim of 4 GB made clus allocate them, and the fuzzer stop on memory).
func deflatedClaiming(_ size: Int) -> [UInt8] {
    var bytes = zipArchive(["a.npy": npy(header(), data: f32([1, 2, 3, 4]))], deflated: true)
    let directory = Int(bytes[bytes.count - 6]) | Int(bytes[bytes.count - 5]) << 8
    for at in [22, directory + 24] {
        for b in 0 ..< 4 { bytes[at + b] = UInt8(truncatingIfNeeded: size >> (8 * b)) }
    }
    return bytes
}

func localNameRunsPastTheEnd() -> [UInt8] {
    var bytes = zipStored(["a.npy": []])
    bytes[26] = 0xFF   // the local header's name length
    bytes[27] = 0xFF
    return bytes
}
