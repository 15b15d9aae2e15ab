import Foundation

/// Runs the built `clus` binary, as a user or a pipeline would.
struct ClusProcess {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The package's root folder.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `clus` built beside this test bundle (or $CLUS_BINARY).
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["CLUS_BINARY"] { return URL(fileURLWithPath: path) }
        var candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for dir in candidates {
            let url = dir.appendingPathComponent("clus")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return root.appendingPathComponent(".build/debug/clus")
    }()

    /// Runs clus with `arguments` in the package root, feeding `stdin`. With
    /// `mergingStderr`, stderr goes into the stdout pipe, each line at its place.
    static func run(_ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:],
                    mergingStderr: Bool = false) throws -> Output {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["CLUS_HISTORY"] = ""
        environment["COLUMNS"] = "80"
        for (k, v) in extra { environment[k] = v }
        process.environment = environment
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = mergingStderr ? output : error
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // read both pipes before waiting, so a full pipe cannot block the child
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        if mergingStderr { try error.fileHandleForWriting.close() }
        DispatchQueue.global().async(group: group) { errData = error.fileHandleForReading.readDataToEndOfFile() }
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}
