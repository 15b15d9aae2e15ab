import Foundation
import Testing
@testable import ClusData

/// A fresh directory for one test's files.
func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("clusdata-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// Writes `bytes` to `name` in a fresh directory and returns its path.
func writeFile(_ bytes: [UInt8], name: String) throws -> String {
    let url = try temporaryDirectory().appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

/// Loads `text` saved as `name`.
func load(_ text: String, name: String = "t.jsonl", options: LoadOptions = LoadOptions()) throws -> Dataset {
    try DatasetLoader.load(path: writeFile(Array(text.utf8), name: name), options: options)
}

/// The error loading `bytes` saved as `name` throws, with the directory
/// stripped from its path so messages can be compared.
func loadError(_ bytes: [UInt8], name: String = "t.jsonl", options: LoadOptions = LoadOptions()) throws -> String? {
    let path = try writeFile(bytes, name: name)
    do {
        _ = try DatasetLoader.load(path: path, options: options)
        return nil
    } catch let error as DataError {
        #expect(error.path == path)
        return error.description.replacingOccurrences(of: path, with: name)
    }
}

func loadError(_ text: String, name: String = "t.jsonl", options: LoadOptions = LoadOptions()) throws -> String? {
    try loadError(Array(text.utf8), name: name, options: options)
}

/// The demo data set shipped in Scripts/data.
let demoPath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Scripts/data/digits.jsonl").path

/// A columnar file's dataset against its JSON Lines twin: the same fields
/// with the same values and types, the same vectors bit for bit, the same
/// documents without a usable vector for the same reasons, the same notes
/// (which say `row` where the twin says `line`).
func expectSameDocuments(_ d: Dataset, as expected: Dataset, sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(d.count == expected.count, sourceLocation: sourceLocation)
    #expect(d.fields.map(\.name) == expected.fields.map(\.name), sourceLocation: sourceLocation)
    for field in expected.fields {
        #expect(d.field(named: field.name)?.values == field.values, "\(field.name)", sourceLocation: sourceLocation)
        #expect(d.field(named: field.name)?.typeDescription == field.typeDescription, "\(field.name)", sourceLocation: sourceLocation)
    }
    #expect(d.vectors.map(\.name) == expected.vectors.map(\.name), sourceLocation: sourceLocation)
    for v in expected.vectors {
        let got = try #require(d.vector(named: v.name), sourceLocation: sourceLocation)
        #expect(got.dimension == v.dimension, sourceLocation: sourceLocation)
        #expect(got.embeddings.values.array.map(\.bitPattern) == v.embeddings.values.array.map(\.bitPattern), "\(v.name)",
                sourceLocation: sourceLocation)
        #expect(got.present == v.present, sourceLocation: sourceLocation)
        #expect(got.unusable.mapValues(\.problem) == v.unusable.mapValues(\.problem), "\(v.name)", sourceLocation: sourceLocation)
        #expect(got.roundedToFloat32 == false, sourceLocation: sourceLocation)
    }
    #expect(d.notes.map { $0.replacingOccurrences(of: "row ", with: "line ") } == expected.notes, sourceLocation: sourceLocation)
}

/// `rounds` damaged copies of `original`: one to four bytes changed (a random
/// byte or one flipped bit), and every seventh copy cut short before its last 8 bytes.
func damagedCopies(of original: [UInt8], rounds: Int, seed: UInt64) -> [[UInt8]] {
    var rng = SplitMix(seed: seed)
    return (0 ..< rounds).map { round in
        var bytes = original
        for _ in 0 ..< 1 + round % 4 {
            let at = Int(rng.next() % UInt64(bytes.count))
            bytes[at] = round % 3 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : bytes[at] ^ (1 << UInt8(rng.next() % 8))
        }
        if round % 7 == 0 { bytes.removeSubrange(Int(rng.next() % UInt64(bytes.count - 8)) ..< bytes.count - 8) }
        return bytes
    }
}

/// The error loading fixture `name` of `folder`, the folder stripped from it; nil when it loads.
func fixtureLoadError(_ folder: URL, _ name: String, _ options: LoadOptions = LoadOptions()) throws -> String? {
    do {
        _ = try DatasetLoader.load(path: folder.appendingPathComponent(name).path, options: options)
        return nil
    } catch let error as DataError {
        return error.description.replacingOccurrences(of: folder.path + "/", with: "")
    }
}

/// A fixture gzipped (so it cannot be mapped and is read whole) loads as the file itself does.
func expectGzipLoadsAlike(_ path: String, named name: String, datasetName: String) throws {
    let gz = try temporaryDirectory().appendingPathComponent(name + ".gz").path
    let gzip = Process()
    gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
    gzip.arguments = ["-c", "gzip -c '\(path)' > '\(gz)'"]
    try gzip.run()
    gzip.waitUntilExit()
    let d = try DatasetLoader.load(path: gz, options: LoadOptions())
    let mapped = try DatasetLoader.load(path: path, options: LoadOptions())
    #expect(d.name == datasetName)
    #expect(d.vectors.map(\.embeddings.values.array) == mapped.vectors.map(\.embeddings.values.array))
    #expect(d.fields.map(\.values) == mapped.fields.map(\.values))
}

/// The `kinds` fixtures (Scripts/make_parquet_fixtures.py) in any columnar
/// format: a null list, an empty one, a short one and one with a null element
/// are documents without a usable vector that keep their values for export;
/// a null struct leaves its members missing.
func expectKindsListsKept(_ d: Dataset) throws {
    let vec = try #require(d.vector(named: "vec"))
    #expect(vec.unusable[3] == UnusableVector(problem: .null, value: .null, isArray: false))
    #expect(vec.unusable[7] == UnusableVector(problem: .empty, value: .string("[]"), isArray: true))
    #expect(vec.unusable[11]?.problem == .wrongLength(3))
    let nullElement = try #require(vec.unusable[19])
    #expect(nullElement.problem == .notNumbers)
    #expect(nullElement.jsonText.contains(", null, "))
    #expect(d.field(named: "meta.year")?.values[13] == nil)
    #expect(d.field(named: "meta.year")?.values[14] == .int(2014))
    #expect(d.vector(named: "fixed")?.unusable[21]?.problem == .null)
}
