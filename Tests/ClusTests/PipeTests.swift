import Foundation
import Testing

/// `load "-"`, `/dev/stdin`, FIFOs and process substitution: documents that
/// come through a pipe, as in `jq … | clus -c 'load "-" format=jsonl'`.
@Suite struct PipeTests {
    static func text(_ name: String) throws -> String {
        try String(contentsOf: ClusProcess.root.appendingPathComponent("Tests/Golden/data/\(name)"), encoding: .utf8)
    }

    /// Runs `script` in bash with `$CLUS` the binary (killed after 60 s, so
    /// a load stuck on a FIFO fails the test rather than hanging it), for
    /// pipes clus cannot be handed directly.
    static func bash(_ script: String) throws -> ClusProcess.Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = ClusProcess.root
        var environment = ProcessInfo.processInfo.environment
        environment["CLUS"] = "timeout -s KILL 60 " + ClusProcess.binary.path
        environment["NO_COLOR"] = "1"
        environment["CLUS_HISTORY"] = ""
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ClusProcess.Output(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "")
    }

    @Test func dashReadsStandardInputWithTheFormatGiven() throws {
        let out = try ClusProcess.run(["-c", "load \"-\" format=jsonl; schema"], stdin: try PipeTests.text("iris.jsonl"))
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.hasPrefix("loaded stdin: 150 documents · vector fields: features (4-d)"))
        #expect(out.stdout.contains("stdin: 150 documents from <stdin>"))
        let csv = try ClusProcess.run(["-c", "load \"-\" format=csv as frame"], stdin: try PipeTests.text("pandas_default.csv"))
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.contains("loaded frame: 40 documents · vector fields: vector (4-d; 3 documents without a usable vector)"))
    }

    @Test func aScriptFileCanReadStandardInputToo() throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-\(UUID().uuidString).clus")
        try "load \"-\" format=csv\nschema\n".write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let out = try ClusProcess.run([script.path], stdin: try PipeTests.text("pandas_noindex.csv"))
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("loaded stdin: 40 documents"))
    }

    @Test func standardInputThatCannotBeReadSaysWhy() throws {
        // the script itself came from standard input
        let fromStdin = try ClusProcess.run([], stdin: "load \"-\" format=jsonl\n")
        #expect(fromStdin.status == 1)
        #expect(fromStdin.stderr.contains("<stdin>: cannot read: the script itself is read from standard input; give the script as a file or with -c"))
        // no format to go by
        let noFormat = try ClusProcess.run(["-c", "load \"-\""], stdin: try PipeTests.text("iris.jsonl"))
        #expect(noFormat.status == 1)
        #expect(noFormat.stderr.contains("<stdin>: standard input has no name to tell its format by; give format= (jsonl, json, csv, tsv, npy, npz, parquet, arrow)"))
        // read once; a second load says so, and the first dataset stays
        let twice = try ClusProcess.run(["-c", "load \"-\" format=jsonl; load \"-\" format=jsonl as again"], stdin: try PipeTests.text("iris.jsonl"))
        #expect(twice.status == 1)
        #expect(twice.stdout.contains("loaded stdin: 150 documents"))
        #expect(twice.stderr.contains("<stdin>: cannot read: standard input was read by an earlier load \"-\""))
        // a bad row is located in the piped text
        let ragged = try ClusProcess.run(["-c", "load \"-\" format=csv"], stdin: "a,b\n1,2\n3\n")
        #expect(ragged.stderr.contains("<stdin>:3:1: 1 cells in this row, 2 in the header"))
    }

    @Test func devStdinIsReadWhetherAPipeOrAFile() throws {
        let piped = try ClusProcess.run(["-c", "load \"/dev/stdin\" format=jsonl as piped"], stdin: try PipeTests.text("iris.jsonl"))
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout.contains("loaded piped: 150 documents"))
        let redirected = try PipeTests.bash(#"$CLUS -c 'load "/dev/stdin" format=csv as redirected' < Tests/Golden/data/pandas_default.csv"#)
        #expect(redirected.status == 0, "\(redirected.stdout)")
        #expect(redirected.stdout.contains("loaded redirected: 40 documents"))
    }

    @Test func fifosProcessSubstitutionAndGzipPipesStream() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = try PipeTests.bash("""
            mkfifo '\(dir.path)/docs.jsonl' && { cat Tests/Golden/data/iris.jsonl > '\(dir.path)/docs.jsonl' & }
            $CLUS -c 'load "\(dir.path)/docs.jsonl"; metrics alias=kmeans_3 truth=target silhouette=off'
            """)
        #expect(fifo.status == 0, "\(fifo.stdout)")
        #expect(fifo.stdout.contains("loaded docs: 150 documents"))
        let substitution = try PipeTests.bash(#"$CLUS -c 'load $1 format=csv as frame' <(cat Tests/Golden/data/pandas_noindex.csv)"#)
        #expect(substitution.status == 0, "\(substitution.stdout)")
        #expect(substitution.stdout.contains("loaded frame: 40 documents · vector fields: vector (4-d; 3 documents without a usable vector)"))
        let noFormat = try PipeTests.bash(#"$CLUS -c 'load $1' <(cat Tests/Golden/data/pandas_noindex.csv)"#)
        #expect(noFormat.status == 1)
        #expect(noFormat.stdout.contains("cannot tell the format from the extension; give format="))
        let gzip = try PipeTests.bash(#"gzip -c Tests/Golden/data/iris.jsonl | $CLUS -c 'load "-" format=jsonl'"#)
        #expect(gzip.status == 0, "\(gzip.stdout)")
        #expect(gzip.stdout.contains("loaded stdin: 150 documents"))
    }
}
