import Foundation
import Testing

/// `export` replaces a file only with a complete new one: clus killed with
/// SIGKILL at any moment of a large export leaves the target byte for byte
/// the old export or the new one. What a kill can leave behind is the
/// temporary file, hidden and named `.NAME.tmp-PID-N` beside the target.
@Suite final class KillDuringExportTests {
    let folder: URL
    static let kills = 20

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("clus-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// A float32 `.npy` of `rows` × `columns` values from a fixed LCG (fast to load, large to export).
    func writeNPY(_ name: String, rows: Int, columns: Int) throws -> String {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        data.append(UInt8(header.utf8.count & 0xFF))
        data.append(UInt8(header.utf8.count >> 8))
        data.append(Data(header.utf8))
        var state: UInt64 = 42
        var values = [Float](repeating: 0, count: rows * columns)
        for i in values.indices {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            values[i] = Float(state >> 40) / Float(1 << 24) - 0.5
        }
        values.withUnsafeBytes { data.append(contentsOf: $0) }
        let url = folder.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    func start(_ commands: String) throws -> Process {
        let process = Process()
        process.executableURL = ClusProcess.binary
        process.arguments = ["--quiet", "-c", commands]
        process.currentDirectoryURL = folder
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Temporary files of exports to `target`, as AtomicFile names them.
    func temporaries(of target: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasPrefix(".\(target).tmp-") }
    }

    /// Waits until the export to `target` has made its temporary file (or the process ended).
    func waitForExportStart(_ process: Process, target: String) {
        while process.isRunning && temporaries(of: target).isEmpty { usleep(1000) }
    }

    @Test func sigkillDuringExportLeavesTheOldFileOrTheNewOne() throws {
        _ = try writeNPY("data.npy", rows: 8_000, columns: 256)
        let target = "out.jsonl"
        let targetPath = folder.appendingPathComponent(target).path
        let clock = ContinuousClock()

        // The old export, complete, at the target: the same documents with labels.
        let first = try start("load \"data.npy\"; cluster k=2 max_iter=1 alias=old; export \"\(target)\"")
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        let oldBytes = try Data(contentsOf: URL(fileURLWithPath: targetPath))

        // The new export, complete, elsewhere; and how long an export takes.
        let reference = try start("load \"data.npy\"; export \"new.jsonl\"")
        waitForExportStart(reference, target: "new.jsonl")
        let exportStart = clock.now
        reference.waitUntilExit()
        let exportTime = clock.now - exportStart
        #expect(reference.terminationStatus == 0)
        let newBytes = try Data(contentsOf: folder.appendingPathComponent("new.jsonl"))
        #expect(newBytes.count > 16 << 20, "the export should be tens of MB, is \(newBytes.count) bytes")
        #expect(oldBytes != newBytes)

        // Kill at moments spread over the export's duration and a little past it.
        var generator = SystemRandomNumberGenerator()
        var outcomes = (old: 0, new: 0, leftovers: 0)
        for i in 0 ..< KillDuringExportTests.kills {
            let process = try start("load \"data.npy\"; export \"\(target)\"")
            waitForExportStart(process, target: target)
            // 1.3×: an export under load runs longer than the measured one, and the last kills should land after its rename
            let fraction = (Double(i) + Double.random(in: 0 ..< 1, using: &generator)) / Double(KillDuringExportTests.kills) * 1.3
            try await_(exportTime * fraction)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let now = try Data(contentsOf: URL(fileURLWithPath: targetPath))
            #expect(now == oldBytes || now == newBytes, "kill \(i) at \(fraction) of the export left \(now.count) bytes")
            if now == oldBytes { outcomes.old += 1 } else if now == newBytes { outcomes.new += 1 }
            // A kill may leave the hidden temporary file; nothing else appears.
            let left = temporaries(of: target)
            #expect(left.allSatisfy { $0.hasPrefix(".\(target).tmp-\(process.processIdentifier)-") }, "\(left)")
            outcomes.leftovers += left.count
            for name in left { try FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }
            let visible = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
            #expect(Set(visible) == ["data.npy", "new.jsonl", target], "\(visible)")
        }
        print("kill test: \(KillDuringExportTests.kills) kills over an export of \(exportTime) (\(newBytes.count) bytes): old file \(outcomes.old), new file \(outcomes.new), temporary files left \(outcomes.leftovers)")
        #expect(outcomes.old > 0)
    }

    private func await_(_ duration: Duration) throws {
        let (seconds, attoseconds) = duration.components
        let micros = max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        usleep(UInt32(micros))
    }
}
