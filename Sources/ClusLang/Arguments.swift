/// A value after variables are substituted.
public enum RuntimeValue: Sendable, Equatable, CustomStringConvertible {
    case integer(Int)
    case number(Double)
    case text(String)
    case range(Int, Int)
    case list([RuntimeValue])

    public var description: String {
        switch self {
        case .integer(let i): String(i)
        case .number(let d): String(d)
        case .text(let s): s
        case .range(let a, let b): "\(a)..\(b)"
        case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        }
    }
}

/// A command's arguments checked against its spec, with typed accessors.
struct BoundArguments {
    let spec: CommandSpec
    let call: CommandCall
    private(set) var positionals: [(value: RuntimeValue, range: SourceRange)] = []
    /// One of the spec's `sources` words, when the call begins with it.
    private(set) var source: (name: String, range: SourceRange)?
    private var options: [String: (value: RuntimeValue, range: SourceRange)] = [:]

    /// Checks names and kinds; `resolve` substitutes variables.
    init(spec: CommandSpec, call: CommandCall, resolve: (ValueNode) throws(Diagnostic) -> RuntimeValue) throws(Diagnostic) {
        self.spec = spec
        self.call = call
        var positionalIndex = 0
        var arguments = call.arguments[...]
        if let first = arguments.first, first.name == nil, case .word(let word) = first.value.kind, spec.sources.contains(word) {
            source = (word, first.value.range)
            arguments = arguments.dropFirst()
        }
        while let argument = arguments.popFirst() {
            if let name = argument.name, let nameRange = argument.nameRange {
                guard let parameter = spec.option(name) else {
                    throw Diagnostic.unknown("option", name, of: spec.name, at: nameRange, known: spec.options.map(\.name))
                        .withFallbackHint(spec.options.isEmpty ? "'\(spec.name)' takes no options" : "options: " + spec.options.map { $0.name + "=" }.joined(separator: " "))
                }
                if options[name] != nil {
                    throw Diagnostic("option '\(name)' given twice", at: nameRange)
                }
                let value = try resolve(argument.value)
                try BoundArguments.check(value, against: parameter, of: spec.name, at: argument.value.range)
                options[name] = (BoundArguments.resolvingPath(value, parameter), argument.value.range)
                continue
            }
            if spec.name == "echo" {  // echo takes any number of words
                positionals.append((try resolve(argument.value), argument.value.range))
                continue
            }
            guard positionalIndex < spec.positionals.count else {
                throw Diagnostic("unexpected argument; '\(spec.name)' takes \(spec.positionals.isEmpty ? "no positional arguments" : "at most \(spec.positionals.count)")",
                                 at: argument.range, hint: "usage: \(spec.usage)")
            }
            // `load postgres as NAME query=…`: the path left out (the PG* variables say where), so empty
            if source != nil, positionalIndex == 0, case .word(let word) = argument.value.kind,
               spec.positionals.dropFirst().contains(where: { $0.keyword == word }) {
                positionals.append((.text(""), SourceRange(argument.range.start, argument.range.start)))
                positionalIndex += 1
            }
            let parameter = spec.positionals[positionalIndex]
            var valueNode = argument.value
            if let keyword = parameter.keyword {
                guard case .word(keyword) = argument.value.kind else {
                    throw Diagnostic("expected '\(keyword)' here", at: argument.range, hint: "usage: \(spec.usage)")
                }
                guard let next = arguments.popFirst(), next.name == nil else {
                    throw Diagnostic("expected a \(parameter.name) after '\(keyword)'", at: argument.range)
                }
                valueNode = next.value
            }
            let value = try resolve(valueNode)
            try BoundArguments.check(value, against: parameter, of: spec.name, at: valueNode.range)
            positionals.append((BoundArguments.resolvingPath(value, parameter), valueNode.range))
            positionalIndex += 1
        }
        // after a source word the command checks its own positionals (`load postgres` may take its connection from PG*)
        if source == nil, let missing = spec.positionals.dropFirst(positionalIndex).first(where: \.isRequired) {
            throw Diagnostic("'\(spec.name)' needs a \(missing.name)", at: call.range, hint: "usage: \(spec.usage)")
        }
    }

    /// A path parameter's text with `~/` resolved; other values as they are.
    private static func resolvingPath(_ value: RuntimeValue, _ parameter: CommandSpec.Parameter) -> RuntimeValue {
        guard parameter.kind == .path, case .text(let path) = value else { return value }
        return .text(resolvedPath(path))
    }

    private static func check(_ value: RuntimeValue, against parameter: CommandSpec.Parameter, of command: String,
                              at range: SourceRange) throws(Diagnostic) {
        let ok: Bool
        switch (parameter.kind, value) {
        // load "x.csv" vector=0..383: the columns pandas names 0, 1, ... (the text "0..383" is the same range)
        case (.vectorField, .range) where command == "load" && parameter.name == "vector": ok = true
        case (.integer, .integer), (.number, .integer), (.number, .number), (.range, .range): ok = true
        case (.range, .integer): ok = true
        case (.range, .list): ok = true  // k=[10, 20, 25]: its command checks the items
        case (.text, _): ok = true
        case (.path, .text), (.field, .text), (.vectorField, .text), (.alias, .text), (.dataset, .text), (.identifier, .text): ok = true
        case (.field, .integer), (.alias, .integer), (.identifier, .integer): ok = true
        case (.flag, .text(let s)): ok = ["on", "off", "true", "false"].contains(s)
        case (.size, .integer(let i)): ok = i > 0
        case (.size, .number(let d)): ok = d >= 1 && d < 9e18
        case (.size, .text(let s)): ok = ByteSize.parse(s) != nil
        case (.choice(let options), .text(let s)):
            if options.contains(s) { return }
            throw Diagnostic.unknown("\(parameter.name)", s, at: range, known: options)
                .withFallbackHint("choose " + orList(options))
        default: ok = false
        }
        if !ok {
            throw Diagnostic.badValue(parameter.name, expected: parameter.kind.expectation, at: range)
        }
    }

    /// The positional at `index` as text.
    func text(at index: Int) -> String? {
        index < positionals.count ? positionals[index].value.description : nil
    }

    func range(of option: String) -> SourceRange? { options[option]?.range }

    func has(_ option: String) -> Bool { options[option] != nil }

    /// An option's value as given.
    func value(_ option: String) -> RuntimeValue? { options[option]?.value }

    /// An option's value as text (words, strings, numbers written as names).
    func text(_ option: String) -> String? { options[option]?.value.description }

    /// An integer option, checked against a lower bound.
    func integer(_ option: String, atLeast minimum: Int? = nil) throws(Diagnostic) -> Int? {
        guard let (value, range) = options[option] else { return nil }
        guard case .integer(let i) = value else { return nil }
        if let minimum, i < minimum {
            throw Diagnostic("\(option) must be at least \(minimum), got \(i)", at: range)
        }
        return i
    }

    /// A size option in bytes (`4GiB`, `512MiB`, a plain count), checked when bound.
    func bytes(_ option: String) -> Int? {
        switch options[option]?.value {
        case .integer(let i): i
        case .number(let d): Int(d.rounded())
        case .text(let s): ByteSize.parse(s)
        default: nil
        }
    }

    /// An on/off option.
    func flag(_ option: String) -> Bool? {
        guard let text = text(option) else { return nil }
        return text == "on" || text == "true"
    }

    /// A list option given as `[a, b]` or `"a,b"`, its items trimmed of spaces.
    func list(_ option: String) -> [String]? {
        guard let value = value(option) else { return nil }
        let items: [String] = if case .list(let values) = value { values.map(\.description) }
            else { value.description.split(separator: ",").map(String.init) }
        return items.map { String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }.filter { !$0.isEmpty }
    }

    /// A number option (integers accepted).
    func number(_ option: String) -> Double? {
        switch options[option]?.value {
        case .integer(let i): Double(i)
        case .number(let d): d
        default: nil
        }
    }
}

extension Diagnostic {
    /// Keeps a "did you mean" hint, or uses `fallback` when there is none.
    func withFallbackHint(_ fallback: String) -> Diagnostic {
        hint == nil ? Diagnostic(message, at: range, hint: fallback) : self
    }
}
