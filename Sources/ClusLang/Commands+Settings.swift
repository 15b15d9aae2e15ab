import ClusCore
#if canImport(Glibc)
import Glibc
#endif

extension Interpreter {
    func set(_ arguments: BoundArguments) throws -> SettingsResult {
        guard !arguments.call.arguments.isEmpty else {
            throw Diagnostic("set needs KEY=VALUE", at: arguments.call.nameRange, hint: "usage: \(arguments.spec.usage)")
        }
        var settings = session.settings
        if let format = arguments.text("format").flatMap(OutputFormat.init(rawValue:)) { settings.format = format }
        if let seed = try arguments.integer("seed", atLeast: 0) { settings.seed = UInt64(seed) }
        if let threads = try arguments.integer("threads", atLeast: 1) { settings.threads = threads }
        if let top = try arguments.integer("top", atLeast: 0) { settings.top = top }
        if let metric = arguments.text("metric").flatMap(DistanceMetric.init(rawValue:)) { settings.metric = metric }
        if let sample = try arguments.integer("sample", atLeast: 0) { settings.sample = sample == 0 ? nil : sample }
        if let color = arguments.flag("color") { settings.color = color }
        if let echo = arguments.flag("echo") { settings.echo = echo }
        if let timer = arguments.flag("timer") { settings.timer = timer }
        if let limit = arguments.bytes("memory_limit") { settings.memoryLimit = limit }
        session.settings = settings
        let changes = arguments.call.arguments.compactMap { argument in argument.name.map { "\($0)=\(arguments.text($0) ?? "")" } }
        return SettingsResult(command: "set", settings: settings, changes: changes)
    }

    func showSettings() -> SettingsResult {
        SettingsResult(command: "show", settings: session.settings, changes: nil)
    }

    func timer(_ arguments: BoundArguments) -> StatusOutput {
        let on = arguments.text(at: 0) == "on" || arguments.text(at: 0) == "true"
        session.settings.timer = on
        return StatusOutput(command: "timer", jsonMembers: [JSONMember("timer", .bool(on))], lines: ["timer \(on ? "on" : "off")"])
    }

    /// Runs another script in this session; its errors point into that file.
    func runFile(_ arguments: BoundArguments) throws -> StatusOutput {
        guard let path = arguments.text(at: 0) else { throw Diagnostic("run needs a path") }
        guard session.includeDepth < 16 else {
            throw Diagnostic("run is nested more than 16 deep (does a script run itself?)", at: arguments.positionals.first?.range)
        }
        guard let text = readTextFile(path) else {
            throw Diagnostic("cannot read script '\(path)'", at: arguments.positionals.first?.range)
        }
        session.includeDepth += 1
        defer { session.includeDepth -= 1 }
        let outcome = run(SourceFile(name: path, text: text))
        switch outcome {
        case .completed, .quit: break
        case .interrupted: throw Cancelled()
        case .failed: throw AlreadyReported()
        }
        return StatusOutput(command: "run", jsonMembers: [JSONMember("path", .string(path))], lines: [])
    }
}

/// A whole UTF-8 text file, or nil when it cannot be read.
func readTextFile(_ path: String) -> String? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n > 0 { bytes.append(contentsOf: buffer[0 ..< n]) }
        if n < buffer.count { break }
    }
    if ferror(file) != 0 { return nil }
    return String(decoding: bytes, as: UTF8.self)
}
