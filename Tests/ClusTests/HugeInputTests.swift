import Foundation
import Testing

/// Deep or huge input: each gives a clear error or works, and none overflows
/// the stack. The files are made here, in a temporary folder.
@Suite final class HugeInputTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("clus-huge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Writes `pieces` to a new file in the folder, one after the other, without building it whole.
    func write(_ name: String, _ pieces: (FileHandle) throws -> Void) throws -> String {
        let url = folder.appendingPathComponent(name)
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        try pieces(handle)
        try handle.close()
        return url.path
    }

    @Test func tenThousandNestedBlocksAreAClearError() throws {
        let depth = 10_000
        let script = try write("nested.clus") { h in
            try h.write(contentsOf: Data(String(repeating: "for i in 1..1 {\n", count: depth).utf8))
            try h.write(contentsOf: Data(String(repeating: "}\n", count: depth).utf8))
        }
        let out = try ClusProcess.run([script])
        #expect(out.status == 1)
        #expect(out.stderr.hasPrefix("\(script):201:15: error: blocks nested more than 200 deep"), "\(out.stderr.prefix(300))")
    }

    @Test func deeplyNestedListsAreAClearError() throws {
        let depth = 100_000
        let script = try write("lists.clus") { h in
            let text = "echo " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
            try h.write(contentsOf: Data(text.utf8))
        }
        let out = try ClusProcess.run([script])
        #expect(out.status == 1)
        #expect(out.stderr.hasPrefix("\(script):1:206: error: lists nested more than 200 deep"), "\(out.stderr.prefix(300))")
        // Within the limit, nested lists still work.
        let ok = try ClusProcess.run(["-c", "echo [[[1, 2], [3]], []]"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "[[[1, 2], [3]], []]\n")
    }

    @Test func jsonNestedAHundredThousandLevelsIsAClearError() throws {
        let depth = 100_000
        let objects = try write("deep.jsonl") { h in
            try h.write(contentsOf: Data("{\"v\": [1, 2]}\n".utf8))
            try h.write(contentsOf: Data(("{\"v\": [1, 2], \"a\": " + String(repeating: "{\"a\": ", count: depth) + "1"
                                          + String(repeating: "}", count: depth) + "}\n").utf8))
        }
        let arrays = try write("deeparrays.jsonl") { h in
            try h.write(contentsOf: Data("{\"v\": [1, 2]}\n{\"v\": [1, 2]}\n".utf8))
            try h.write(contentsOf: Data(("{\"v\": [1, 2], \"a\": " + String(repeating: "[", count: depth)
                                          + String(repeating: "]", count: depth) + "}\n").utf8))
        }
        let array = try write("deep.json") { h in
            try h.write(contentsOf: Data((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8))
        }
        for (path, line) in [(objects, 2), (arrays, 3), (array, 1)] {
            let out = try ClusProcess.run(["-c", "load \"\(path)\""])
            #expect(out.status == 1)
            #expect(out.stderr.contains("\(path):\(line):"), "\(out.stderr.prefix(300))")
            #expect(out.stderr.contains("nesting deeper than 512 levels") || out.stderr.contains("expected"),
                    "\(out.stderr.prefix(300))")
        }
    }

    @Test func aHundredMegabyteLineLoads() throws {
        let size = 100 << 20
        let path = try write("longline.jsonl") { h in
            try h.write(contentsOf: Data("{\"v\": [1, 2], \"s\": \"".utf8))
            let chunk = Data(repeating: UInt8(ascii: "a"), count: 1 << 20)
            for _ in 0 ..< size >> 20 { try h.write(contentsOf: chunk) }
            try h.write(contentsOf: Data("\"}\n{\"v\": [3, 4], \"s\": \"b\"}\n".utf8))
        }
        let out = try ClusProcess.run(["-c", "load \"\(path)\" as long; datasets"])
        #expect(out.status == 0, "\(out.stderr.prefix(300))")
        #expect(out.stdout.hasPrefix("loaded long: 2 documents · vector fields: v (2-d) · fields: s"))
    }

    @Test func aMillionComponentVectorLoads() throws {
        let dimension = 1_000_000
        let path = try write("wide.jsonl") { h in
            for row in 0 ..< 3 {
                var line = "{\"id\": \(row), \"v\": ["
                line.reserveCapacity(dimension * 5)
                for j in 0 ..< dimension { line += j == 0 ? "0.\(row)" : ", 0.\((j + row) % 10)" }
                line += "]}\n"
                try h.write(contentsOf: Data(line.utf8))
            }
        }
        let out = try ClusProcess.run(["-c", "load \"\(path)\" as wide; schema; cluster k=2"])
        #expect(out.status == 0, "\(out.stderr.prefix(300))")
        #expect(out.stdout.hasPrefix("loaded wide: 3 documents · vector fields: v (1000000-d)"))
        #expect(out.stdout.contains("1000000"))
        #expect(out.stdout.contains("kmeans_2 on v: kmeans, k=2"))
    }

    /// 10⁷ documents of a few bytes: about 20 s in a debug build, so only with
    /// CLUS_HEAVY_TESTS=1 (Scripts/stress sets it).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CLUS_HEAVY_TESTS"] == "1"))
    func tenMillionTinyDocumentsLoad() throws {
        let count = 10_000_000
        let path = try write("tiny.jsonl") { h in
            var block = ""
            for i in 0 ..< count {
                block += "{\"v\":[\(i & 1)]}\n"
                if block.utf8.count > 1 << 20 { try h.write(contentsOf: Data(block.utf8)); block = "" }
            }
            try h.write(contentsOf: Data(block.utf8))
        }
        let out = try ClusProcess.run(["-c", "load \"\(path)\" as tiny; cluster k=2 method=minibatch"])
        #expect(out.status == 0, "\(out.stderr.prefix(300))")
        #expect(out.stdout.hasPrefix("loaded tiny: 10,000,000 documents · vector fields: v (1-d)"))
    }
}
