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
