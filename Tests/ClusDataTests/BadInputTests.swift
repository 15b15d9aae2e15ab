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
