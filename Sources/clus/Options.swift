import ArgumentParser
import ClusLang
import Foundation

extension OutputFormat: ExpressibleByArgument {}

/// The command line, as `clus --help` shows it.
struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clus",
        abstract: "An interactive shell and scripting language for evaluating clusterings of embedding vectors.",
        discussion: """
        With no script and a terminal on stdin, clus starts the interactive shell.
        With a script file, -c text, or piped stdin, it runs the commands and exits:
        0 when all went well, 1 after an error in the script, 2 for a usage error,
        130 when interrupted.
        """,
        version: "clus 0.1.0"
    )

    @Option(name: .customShort("c"), help: ArgumentHelp("Run these commands (separated by ';' or new lines) and exit.", valueName: "commands"))
    var commands: String?

    @Option(help: "Output format: table, json (one object per result), csv or markdown.")
    var format: OutputFormat = .table

    @Flag(help: "Go on after an error in a script (the exit status is still 1).")
    var keepGoing = false

    @Flag(help: "Print each command before its output.")
    var echo = false

    @Flag(help: "Hide the banner and status lines such as 'loaded ...'.")
    var quiet = false

    @Option(help: "Seed for clustering and sampling (default 0).")
    var seed: UInt64?

    @Option(help: "Threads for the numeric work (default: all cores).")
    var threads: Int?

    @Flag(help: "No colour (also when NO_COLOR is set or output is not a terminal).")
    var noColor = false

    @ArgumentParser.Argument(parsing: .postTerminator, help: ArgumentHelp("A .clus script, then the arguments it reads as $1, $2, ...", valueName: "script"))
    var script: [String] = []

    /// Options that take the next argument as their value.
    private static let valued: Set<String> = ["-c", "--format", "--seed", "--threads"]

    /// The command line with `--` put before the script path: options before
    /// it are clus's (`clus --help`, `clus --format json x.clus`), everything
    /// from it on belongs to the script (`clus x.clus --help` passes `--help`
    /// as $1). With -c, the words after the commands are the script's too.
    static func separatingScript(_ arguments: [String]) -> [String] {
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            if argument == "--" { return arguments }
            guard argument.hasPrefix("-"), argument != "-" else { break }
            i += valued.contains(argument) ? 2 : 1
        }
        return i < arguments.count ? Array(arguments[..<i]) + ["--"] + arguments[i...] : arguments
    }

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        // seeds are shown and written as JSON integers (as `set seed=` takes them)
        if let seed, seed > UInt64(Int.max) { throw ValidationError("--seed must be at most \(Int.max)") }
    }

    var settings: Settings {
        var settings = Settings()
        settings.format = format
        settings.echo = echo
        settings.quiet = quiet
        settings.keepGoing = keepGoing
        settings.color = useColor
        if let seed { settings.seed = seed }
        if let threads { settings.threads = threads }
        return settings
    }

    var useColor: Bool {
        !noColor && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) != false && isatty(STDOUT_FILENO) == 1 && format == .table
    }

    var scriptArguments: [String] { commands == nil ? Array(script.dropFirst()) : script }

    /// Where the commands come from.
    enum Input {
        case source(SourceFile)
        case interactive
        case unreadable(String)
    }

    var input: Input {
        if let commands { return .source(SourceFile(name: "<command line>", text: commands)) }
        if let path = script.first {
            guard let data = FileManager.default.contents(atPath: path) else {
                return .unreadable("cannot read script '\(path)'")
            }
            return .source(SourceFile(name: path, text: String(decoding: data, as: UTF8.self)))
        }
        if isatty(STDIN_FILENO) == 1 { return .interactive }
        reserveStandardInputForScript()
        let data = FileHandle.standardInput.readDataToEndOfFile()
        return .source(SourceFile(name: "<stdin>", text: String(decoding: data, as: UTF8.self)))
    }

    var historyPath: String? {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["CLUS_HISTORY"] { return path.isEmpty ? nil : path }
        return environment["HOME"].map { $0 + "/.clus_history" }
    }
}
