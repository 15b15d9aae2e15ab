import ClusCore
import ClusData

/// Where the interpreter sends what commands produce; the shell renders it.
public protocol OutputSink: AnyObject {
    /// A command finished; `elapsed` is its wall time in seconds.
    func emit(_ result: TimedOutput)
    /// A command or the parser failed.
    func emit(_ error: LocatedDiagnostic)
    /// `--echo`: the text of a command about to run.
    func echo(_ commandText: String)
}

/// How running a piece of source ended.
public enum RunOutcome: Sendable, Equatable {
    case completed
    /// An error stopped it (or errors happened with --keep-going).
    case failed
    /// `quit` was run.
    case quit
    /// Ctrl-C stopped a command.
    case interrupted
}

/// Runs statements against a session: source → statements → results.
public struct Interpreter {
    public let session: Session
    public let output: OutputSink

    public init(session: Session, output: OutputSink) {
        self.session = session
        self.output = output
    }

    /// Parses and runs a whole source. Syntax errors stop it before anything
    /// runs; a failing command stops it unless `keepGoing`.
    public func run(_ source: SourceFile) -> RunOutcome {
        let statements: [Statement]
        do throws(ParseFailure) {
            statements = try Parser.parse(source)
        } catch {
            switch error {
            case .incomplete:
                let end = SourceRange(source.text.utf8.count, source.text.utf8.count)
                output.emit(LocatedDiagnostic(Diagnostic("unexpected end of input: an open string, '{' or '['", at: end), in: source))
            case .error(let diagnostic):
                output.emit(LocatedDiagnostic(diagnostic, in: source))
            }
            return .failed
        }
        var context = Context(source: source, failed: false)
        let outcome = run(statements, in: &context)
        if outcome == .completed, context.failed { return .failed }
        return outcome
    }

    struct Context {
        let source: SourceFile
        var failed: Bool
    }

    private func run(_ statements: [Statement], in context: inout Context) -> RunOutcome {
        for statement in statements {
            let outcome = run(statement, in: &context)
            if outcome != .completed { return outcome }
        }
        return .completed
    }

    private func run(_ statement: Statement, in context: inout Context) -> RunOutcome {
        // Ctrl-C between statements stops the run too; the shell clears the
        // flag before it reads the next interactive line.
        if session.cancellation.isCancelled {
            output.emit(LocatedDiagnostic(Diagnostic("interrupted"), in: nil))
            return .interrupted
        }
        do {
            switch statement {
            case .command(let call):
                if session.settings.echo { output.echo(redactingPasswords(text(of: call.range, in: context.source))) }
                if call.name == "quit" || call.name == "exit" {
                    _ = try bind(CommandCall(name: "quit", nameRange: call.nameRange, arguments: call.arguments))
                    return .quit
                }
                // into="FILE" on any command keeps its json result in a file.
                let into = call.arguments.first { $0.name == "into" }
                let target = try into.map { try resolve($0.value).description }
                let clock = ContinuousClock()
                let start = clock.now
                let result = try execute(into == nil ? call : CommandCall(
                    name: call.name, nameRange: call.nameRange, arguments: call.arguments.filter { $0.name != "into" }))
                let timed = TimedOutput(result, elapsed: (clock.now - start).inSeconds)
                if let target, let into {
                    try writeFile(timed.json.serialized + "\n", to: target, at: into.value.range)
                }
                session.lastResults[result.command] = timed
                session.lastResults["last"] = timed
                output.emit(timed)
            case .assignment(let name, _, let value):
                session.variables[name] = try resolve(value)
            case .loop(let variable, _, let over, let body):
                // values are made one at a time: 1..1000000000 takes no memory
                let items: AnySequence<RuntimeValue>
                switch try resolve(over) {
                case .range(let a, let b): items = AnySequence((a ... max(a, b)).lazy.filter { _ in a <= b }.map(RuntimeValue.integer))
                case .list(let values): items = AnySequence(values)
                default: throw Diagnostic("for needs a range (2..10) or a list ([a, b])", at: over.range)
                }
                let saved = session.variables[variable]
                defer { session.variables[variable] = saved }
                for item in items {
                    session.variables[variable] = item
                    let outcome = run(body, in: &context)
                    if outcome != .completed { return outcome }
                }
            case .assertion(let path, let pathRange, let comparison, let value, let range):
                try assert(path: path, pathRange: pathRange, comparison: comparison, expected: value, range: range)
            }
        } catch {
            if error is AlreadyReported {
                context.failed = true
                return session.settings.keepGoing ? .completed : .failed
            }
            if error is Cancelled || session.cancellation.isCancelled {
                output.emit(LocatedDiagnostic(Diagnostic("interrupted"), in: nil))
                return .interrupted
            }
            let diagnostic = (error as? Diagnostic) ?? Diagnostic(coreError: error) ?? Diagnostic(String(describing: error))
            output.emit(LocatedDiagnostic(diagnostic.located(at: statementRange(statement)), in: context.source))
            context.failed = true
            return session.settings.keepGoing ? .completed : .failed
        }
        return .completed
    }

    private func statementRange(_ statement: Statement) -> SourceRange {
        switch statement {
        case .command(let call): call.nameRange
        case .assignment(_, let range, _): range
        case .loop(_, let range, _, _): range
        case .assertion(_, _, _, _, let range): range
        }
    }

    private func text(of range: SourceRange, in source: SourceFile) -> String {
        let bytes = source.bytes
        return String(decoding: bytes[min(range.start, bytes.count) ..< min(range.end, bytes.count)], as: UTF8.self)
    }

    /// Substitutes `$NAME` and `$1`, and turns source values into runtime values.
    func resolve(_ node: ValueNode) throws(Diagnostic) -> RuntimeValue {
        switch node.kind {
        case .integer(let i): return .integer(i)
        case .float(let d): return .number(d)
        case .string(let s): return .text(s)
        case .template(let parts):
            var text = ""
            for part in parts {
                switch part {
                case .text(let t): text += t
                case .variable(let name, let range): text += try resolve(ValueNode(kind: .variable(name), range: range)).description
                }
            }
            return .text(text)
        case .word(let w): return .text(w)
        case .range(let a, let b): return .range(a, b)
        case .list(let items):
            var values: [RuntimeValue] = []
            for item in items { values.append(try resolve(item)) }
            return .list(values)
        case .variable(let name):
            if let index = Int(name) {
                guard index >= 1, index <= session.scriptArguments.count else {
                    throw Diagnostic("no script argument $\(name): the script got \(session.scriptArguments.count)", at: node.range)
                }
                let text = session.scriptArguments[index - 1]
                if let i = Int(text) { return .integer(i) }
                if let d = Double(text) { return .number(d) }
                return .text(text)
            }
            guard let value = session.variables[name] else {
                throw Diagnostic.unknown("variable", "$" + name, at: node.range, known: session.variables.keys.map { "$" + $0 })
            }
            return value
        }
    }

    func bind(_ call: CommandCall) throws(Diagnostic) -> BoundArguments {
        guard let spec = Commands.spec(named: call.name) else {
            throw Diagnostic.unknown("command", call.name, at: call.nameRange,
                                     known: Commands.all.map(\.name) + Commands.keywords)
                .withFallbackHint("type 'help' for the list of commands")
        }
        return try BoundArguments(spec: spec, call: call, resolve: resolve)
    }

    private func execute(_ call: CommandCall) throws -> any CommandOutput {
        let arguments = try bind(call)
        guard let run = arguments.spec.run else { throw Diagnostic("'\(call.name)' ends the run", at: call.nameRange) }
        return try run(self, arguments)
    }

    func echo(_ arguments: BoundArguments) -> any CommandOutput {
        let text = arguments.positionals.map(\.value.description).joined(separator: " ")
        return StatusOutput(command: "echo", jsonMembers: [JSONMember("text", .string(text))], lines: [text], isStatus: false)
    }

    /// `pause [TEXT]`: waits for Enter on a terminal; a no-op elsewhere.
    func pause(_ arguments: BoundArguments) throws -> any CommandOutput {
        let waited = session.waitForEnter != nil
        if let wait = session.waitForEnter {
            wait(arguments.text(at: 0) ?? "press Enter to go on")
            try session.cancellation.check()  // Ctrl-C while waiting stops the lesson
        }
        return StatusOutput(command: "pause", jsonMembers: [JSONMember("waited", .bool(waited))], lines: [])
    }

    private func assert(path: String, pathRange: SourceRange, comparison: String, expected: ValueNode, range: SourceRange) throws(Diagnostic) {
        let parts = path.split(separator: ".").map(String.init)
        guard parts.count >= 2, let result = session.lastResults[parts[0]]?.json else {
            throw Diagnostic("no result '\(parts.first ?? path)' to check yet", at: pathRange,
                             hint: "run the command first; then e.g. assert metrics.silhouette > 0.2")
        }
        var actual = result
        for key in parts.dropFirst() {
            guard let next = Interpreter.member(key, of: actual) else {
                let known: [String] = if case .object(let members) = actual { members.map(\.key) } else { [] }
                let short = ClusteringIndex.allCases.filter { known.contains($0.key) }.flatMap(\.abbreviations)
                throw Diagnostic.unknown("field", key, of: "the last \(parts[0]) result", at: pathRange, known: known + short)
                    .withFallbackHint(known.isEmpty ? "\(key) holds no fields" : "fields: " + known.joined(separator: ", "))
            }
            actual = next
        }
        let expectedValue = try resolve(expected)
        let holds: Bool
        switch actual {
        case .int, .double:
            let lhs: Double = if case .int(let i) = actual { Double(i) } else if case .double(let d) = actual { d } else { .nan }
            let rhs: Double
            switch expectedValue {
            case .integer(let i): rhs = Double(i)
            case .number(let d): rhs = d
            default: throw Diagnostic("\(path) is a number; compare it with a number", at: expected.range)
            }
            holds = compare(lhs, rhs, comparison)
        case .string(let s):
            guard comparison == "==" || comparison == "!=" else {
                throw Diagnostic("text can only be compared with == or !=", at: range)
            }
            holds = (s == expectedValue.description) == (comparison == "==")
        case .null:
            throw Diagnostic("assertion failed: \(path) was not computed (null)", at: range)
        default:
            throw Diagnostic("cannot compare \(path) (\(actual.serialized)) with \(expectedValue)", at: range)
        }
        if !holds {
            throw Diagnostic("assertion failed: \(path) \(comparison) \(expectedValue) (actual: \(actual.serialized))", at: range)
        }
    }

    /// The member of a result object a name means: its json key, or any name
    /// the result shows for it (`ari`, `ARI`, `Davies-Bouldin`, `db`), in any case.
    static func member(_ name: String, of object: JSONValue) -> JSONValue? {
        guard case .object(let members) = object else { return nil }
        if let exact = members.first(where: { $0.key == name }) { return exact.value }
        let wanted = normalizedName(name)
        let key = ClusteringIndex.named(name)?.key
        return members.first { normalizedName($0.key) == wanted || $0.key == key }?.value
    }

    private func compare(_ a: Double, _ b: Double, _ op: String) -> Bool {
        switch op {
        case "<": a < b
        case "<=": a <= b
        case ">": a > b
        case ">=": a >= b
        case "==": a == b
        default: a != b
        }
    }
}

/// A failure whose message was already printed (by a script that `run` ran).
struct AlreadyReported: Error {}
