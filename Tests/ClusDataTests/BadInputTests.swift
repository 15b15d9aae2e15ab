import ClusCore
import Foundation
import Testing
@testable import ClusData

@Suite struct BadInputTests {
    @Test func theTableIsLarge() {
        #expect(badInputs.count + LoadErrorTests.badLines.count >= 60)
    }

    /// Each bad file gives its one-line error, and nothing else happens.
    @Test(arguments: badInputs)
    func badInputGivesOneClearLine(_ bad: BadInput) throws {
        let message = try loadError(bad.bytes, name: bad.name, options: bad.options)
        #expect(message == bad.error)
        #expect(message?.contains("\n") == false)
    }

    @Test func aMissingPathADirectoryAndAnUnreadableFileAreErrors() throws {
        let dir = try temporaryDirectory()
        #expect(throws: DataError(path: dir.path + "/nope.jsonl", message: "cannot read: No such file or directory")) {
            try DatasetLoader.load(path: dir.path + "/nope.jsonl", options: LoadOptions())
        }
        let sub = dir.appendingPathComponent("d.jsonl").path
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: false)
        #expect(throws: DataError(path: sub, message: "cannot read: is a directory")) {
            try DatasetLoader.load(path: sub, options: LoadOptions())
        }
        if getuid() != 0 {   // root reads anything
            let locked = try writeFile(Array("{\"v\": [1]}".utf8), name: "l.jsonl")
            chmod(locked, 0)
            #expect(throws: DataError(path: locked, message: "cannot read: Permission denied")) {
                try DatasetLoader.load(path: locked, options: LoadOptions())
            }
        }
    }

    @Test func aLabelsFileWithTheWrongRowCountIsAnError() throws {
        let dir = try temporaryDirectory()
        let array = dir.appendingPathComponent("x.npy").path
        let labels = dir.appendingPathComponent("l.csv").path
        try Data(npy(header(), data: f32([1, 2, 3, 4]))).write(to: URL(fileURLWithPath: array))
        try Data("truth\n1\n2\n3\n".utf8).write(to: URL(fileURLWithPath: labels))
        #expect(throws: DataError(path: labels, message: "3 rows of labels for the 2 rows of \(array); they are joined row by row")) {
            try DatasetLoader.load(path: array, options: LoadOptions(labelsPath: labels))
        }
        try Data("truth,vector\n1,2\n2,3\n".utf8).write(to: URL(fileURLWithPath: labels))
        #expect(throws: DataError(path: labels, message: "column 'vector' has the vector field's name")) {
            try DatasetLoader.load(path: array, options: LoadOptions(labelsPath: labels))
        }
        #expect(throws: DataError(path: dir.path + "/no.csv", message: "cannot read: No such file or directory")) {
            try DatasetLoader.load(path: array, options: LoadOptions(labelsPath: dir.path + "/no.csv"))
        }
        try Data("truth\n1\n\"2\n".utf8).write(to: URL(fileURLWithPath: labels))
        #expect(throws: DataError(path: labels, line: 3, column: 1, message: "unterminated quoted cell")) {
            try DatasetLoader.load(path: array, options: LoadOptions(labelsPath: labels))
        }
    }
}

/// The README's policy for awkward inputs.
@Suite struct AwkwardInputTests {
    @Test func zeroVectorsAreNoted() throws {
        let d = try load("{\"v\": [0, 0]}\n{\"v\": [1, 0]}\n{\"v\": [0.0, -0.0]}\n")
        #expect(d.notes == ["v: 2 zero vectors; under metric=cosine a zero vector is at distance 1 from every vector"])
    }

    @Test func repeatedIdsAreNotedAndKept() throws {
        let d = try load("{\"_id\": \"a\", \"v\": [1]}\n{\"_id\": \"b\", \"v\": [2]}\n{\"_id\": \"a\", \"v\": [3]}\n{\"_id\": \"a\", \"v\": [4]}\n")
        #expect(d.count == 4)
        #expect(d.notes == [#"_id "a" is repeated (documents 1 and 3; 2 repeats in all); the documents stay distinct"#])
    }

    @Test func mixedIntAndStringLabelsAreOneLabelAndSchemaSaysSo() throws {
        let d = try load("{\"t\": 1}\n{\"t\": \"1\"}\n{\"t\": 1.0}\n{\"t\": 2}\n")
        let t = try #require(d.field(named: "t"))
        #expect(t.typeDescription == "float|string (mixed)")
        #expect(t.interned() == InternedLabels(codes: [0, 0, 0, 1], names: ["1", "2"]))
    }

    @Test func nullTruthIsMissing() throws {
        let d = try load("{\"t\": \"a\"}\n{\"t\": null}\n{}\n{\"t\": \"b\"}\n")
        let t = try #require(d.field(named: "t"))
        #expect(t.interned().codes == [0, -1, -1, 1])
        #expect(t.missingCount == 2)
    }
}
