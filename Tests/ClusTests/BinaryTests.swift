import Foundation
import Testing

/// The binary's running modes and exit codes.
@Suite struct BinaryTests {
    @Test func commandsGivenWithDashC() throws {
        let out = try ClusProcess.run(["-c", "echo hello; echo \"two words\""])
        #expect(out.status == 0)
        #expect(out.stdout == "hello\ntwo words\n")
    }

    @Test func scriptFileWithArguments() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("clus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("s.clus")
        try "#!/usr/bin/env clus\necho first $1\necho second $2\n".write(to: script, atomically: true, encoding: .utf8)
        let out = try ClusProcess.run([script.path, "alpha", "7"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == "first alpha\nsecond 7\n")
    }

    @Test func stdinThatIsNotATerminalIsAScript() throws {
        let out = try ClusProcess.run([], stdin: "echo from stdin\nload \"Tests/Golden/data/iris.jsonl\"\n")
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.hasPrefix("from stdin\nloaded iris: 150 documents"))
        #expect(!out.stderr.contains("clus>"))
    }

    @Test func scriptsStopAtTheFirstErrorWithStatus1() throws {
        let out = try ClusProcess.run(["-c", "echo before\nmetrcs\necho after"])
        #expect(out.status == 1)
        #expect(out.stdout == "before\n")
        #expect(out.stderr.contains("<command line>:2:1: error: unknown command 'metrcs'"))
        #expect(out.stderr.contains("  ^~~~~~"))
        #expect(out.stderr.contains("did you mean 'metrics'?"))
    }

    @Test func keepGoingRunsTheRestButStillFails() throws {
        let out = try ClusProcess.run(["--keep-going", "-c", "echo before\nmetrcs\necho after"])
        #expect(out.status == 1)
        #expect(out.stdout == "before\nafter\n")
    }

    @Test func syntaxErrorsStopBeforeAnythingRuns() throws {
        let out = try ClusProcess.run(["-c", "echo first\necho \"unterminated"])
        #expect(out.status == 1)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr.contains("unexpected end of input"))
    }

    @Test func helpAndVersionBeforeAScriptAreClussOwn() throws {
        for flag in ["--help", "-h"] {
            let out = try ClusProcess.run([flag])
            #expect(out.status == 0, "\(flag): \(out.stderr)")
            #expect(out.stdout.contains("USAGE: clus"), "\(flag)")
            #expect(out.stdout.contains("--format <format>"), "\(flag)")
        }
        let version = try ClusProcess.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("clus "))
    }

    /// `--version` tells which kernel computes the euclidean distances and
    /// which BLAS the other methods call: without a setting the kernel timed
    /// faster, CLUS_DISTANCE_KERNEL picks one; CLUS_BLAS=none does without
    /// OpenBLAS, =uncorrected leaves the core to it; a user's
    /// OPENBLAS_CORETYPE is kept and named.
    @Test func versionNamesTheKernels() throws {
        let cases: [([String: String], [String])] = [
            // without a setting, both candidates and their times at d = 512
            ([:], ["euclidean distances: ", ", timed faster here at d = 512 (", " ms a ", " tile against ",
                   "clus's Gram kernel (", "sgemm, OpenBLAS (", "BLAS (k-means, HDBSCAN): OpenBLAS ("]),
            (["CLUS_BLAS": "none"], ["euclidean distances: clus's Gram kernel (", "; no BLAS to time it against",
                                     "BLAS (k-means, HDBSCAN): none (CLUS_BLAS=none)"]),
            (["CLUS_DISTANCE_KERNEL": "gram"], ["euclidean distances: clus's Gram kernel (", "(CLUS_DISTANCE_KERNEL=gram)"]),
            (["CLUS_BLAS": "uncorrected"], [", chosen by OpenBLAS"]),
            (["OPENBLAS_CORETYPE": "HASWELL"], ["core Haswell, OPENBLAS_CORETYPE=HASWELL from the environment"]),
            (["CLUS_DISTANCE_KERNEL": "sgemm"], ["euclidean distances: sgemm, OpenBLAS ("]),
            (["CLUS_DISTANCE_KERNEL": "differences"], ["euclidean distances: clus's difference kernel"]),
        ]
        for (environment, expected) in cases {
            let out = try ClusProcess.run(["--version"], environment: environment)
            #expect(out.status == 0, "\(environment): \(out.stderr)")
            let lines = out.stdout.split(separator: "\n")
            #expect(lines.count == 3 && lines[0].hasPrefix("clus "), "\(out.stdout)")
            for text in expected { #expect(out.stdout.contains(text), "\(environment): \(out.stdout)") }
        }
    }

    @Test func everythingAfterTheScriptPathIsTheScripts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("clus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("args.clus")
        try "echo \"$1 $2\"\n".write(to: script, atomically: true, encoding: .utf8)
        let out = try ClusProcess.run(["--quiet", script.path, "--help", "--format"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == "--help --format\n")
        let json = try ClusProcess.run(["--format", "json", script.path, "a", "b"])
        #expect(json.stdout.hasPrefix("{\"command\": \"echo\", \"text\": \"a b\", \"elapsed_s\": "))
    }

    /// Every path parameter, and into=, reads `~/` as $HOME.
    @Test func tildeIsTheHomeFolderInEveryPath() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("clus-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.copyItem(at: ClusProcess.root.appendingPathComponent("Tests/Golden/data/iris.jsonl"),
                                         to: home.appendingPathComponent("iris.jsonl"))
        try "echo from the script\n".write(to: home.appendingPathComponent("s.clus"), atomically: true, encoding: .utf8)
        let out = try ClusProcess.run(["--quiet", "-c", """
            load "~/iris.jsonl"; run "~/s.clus"; export "~/out.jsonl"; plot silhouette into "~/s.svg"; report into "~/r.html"
            metrics into="~/m.json"
            """], environment: ["HOME": home.path])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.hasPrefix("from the script\n"))
        for name in ["out.jsonl", "s.svg", "r.html", "m.json"] {
            #expect(FileManager.default.fileExists(atPath: home.appendingPathComponent(name).path), "\(name)")
        }
    }

    @Test func usageErrorsExitWith2() throws {
        let out = try ClusProcess.run(["--format", "yaml", "-c", "echo x"])
        #expect(out.status == 2)
        #expect(out.stderr.contains("yaml"))
        let threads = try ClusProcess.run(["--threads", "0", "-c", "echo x"])
        #expect(threads.status == 2)
        let missing = try ClusProcess.run(["no/such/script.clus"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read script 'no/such/script.clus'"))
    }

    @Test func jsonErrorsAreObjectsWithLineAndColumn() throws {
        let out = try ClusProcess.run(["--format", "json", "-c", "echo ok\nmetrics alias=nope"])
        #expect(out.status == 1)
        let lines = out.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        let error = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any]
        #expect(error?["error"] as? String == "no dataset loaded")
        #expect(error?["line"] as? Int == 2)
        #expect(error?["column"] as? Int == 1)
    }

    @Test func quietHidesStatusLines() throws {
        let out = try ClusProcess.run(["--quiet", "-c", "load \"Tests/Golden/data/iris.jsonl\"; echo done"])
        #expect(out.status == 0)
        #expect(out.stdout == "done\n")
    }

    @Test func echoPrintsEachCommand() throws {
        let out = try ClusProcess.run(["--echo", "-c", "echo a; echo b"])
        #expect(out.stdout == "> echo a\na\n> echo b\nb\n")
    }

    @Test func theFailedLoadLeavesTheSessionAsItWas() throws {
        let out = try ClusProcess.run(["--keep-going", "-c", """
            load "Tests/Golden/data/iris.jsonl"
            load "Tests/Golden/data/iris.jsonl"
            load "no/such.jsonl" as other
            datasets
            """])
        #expect(out.status == 1)
        #expect(out.stderr.contains("a dataset named 'iris' is already loaded"))
        #expect(out.stderr.contains("no/such.jsonl"))
        #expect(out.stdout.contains("*  iris"))
        #expect(!out.stdout.contains("other"))
    }
}

/// Ctrl-C in a script ends it with status 130, promptly.
@Suite struct InterruptTests {
    @Test func sigintStopsAScriptWith130() throws {
        let process = Process()
        process.executableURL = ClusProcess.binary
        process.arguments = ["-c", "for i in 1..1000000000 { let x = $i }"]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        Thread.sleep(forTimeInterval: 0.5)
        let sent = Date()
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(Date().timeIntervalSince(sent) < 2)
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.contains("interrupted"))
    }
}
