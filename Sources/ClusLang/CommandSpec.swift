/// The one description of a command: its handler, and what drives argument
/// checking, `help`, tab completion, and the test that keeps Grammar.md in step.
public struct CommandSpec: Sendable {
    /// What a parameter accepts; also tells completion what to offer.
    public enum ValueKind: Sendable, Equatable {
        case integer
        case number
        case text
        case path
        case field          // a scalar field of the current dataset
        case vectorField    // a vector field of the current dataset
        case alias          // a clustering alias
        case dataset
        case identifier     // a new name
        case range          // 2..20
        case choice([String])
        case flag           // on|off, true|false
        case size           // 4GiB, 512MiB, 800MB, or bytes

        var expectation: String {
            switch self {
            case .integer: "a whole number"
            case .number: "a number"
            case .text: "text"
            case .path: "a file path in quotes"
            case .field: "a field name"
            case .vectorField: "a vector field name"
            case .alias: "a clustering alias"
            case .dataset: "a dataset name"
            case .identifier: "a name"
            case .range: "a range like 2..20"
            case .choice(let options): orList(options.map { "'\($0)'" })
            case .flag: "on or off"
            case .size: "a size such as 4GiB, 512MiB, 800MB or a number of bytes"
            }
        }
    }

    /// One positional or `key=value` parameter.
    public struct Parameter: Sendable {
        public let name: String
        public let kind: ValueKind
        public let summary: String
        /// The default as the user would write it, for help; nil if none.
        public let defaultValue: String?
        /// For positionals: the word written before it (`as` in `load PATH as NAME`).
        public let keyword: String?
        public let isRequired: Bool

        public init(_ name: String, _ kind: ValueKind, _ summary: String, default defaultValue: String? = nil,
                    keyword: String? = nil, required: Bool = false) {
            self.name = name
            self.kind = kind
            self.summary = summary
            self.defaultValue = defaultValue
            self.keyword = keyword
            self.isRequired = required
        }
    }

    /// What running the command does: checked arguments in, a typed result out.
    typealias Handler = @Sendable (Interpreter, BoundArguments) throws -> any CommandOutput

    public let name: String
    /// nil for `quit`, which ends the run instead of producing a result.
    let run: Handler?
    /// One line, for the command list.
    public let summary: String
    public let positionals: [Parameter]
    public let options: [Parameter]
    /// Words that may come before the first positional to name where the
    /// data lives instead of a file (`load sqlite "app.db"`); empty for most.
    public let sources: [String]
    /// A few lines of explanation and examples, for `help COMMAND`.
    public let details: String

    init(_ name: String, run: Handler? = nil, summary: String, sources: [String] = [], positionals: [Parameter] = [],
         options: [Parameter] = [], details: String = "") {
        self.name = name
        self.sources = sources
        self.run = run
        self.summary = summary
        self.positionals = positionals
        self.options = options
        self.details = details
    }

    /// `load PATH [as NAME] [format=jsonl|json] ...`, as in help and Grammar.md.
    public var usage: String {
        var parts = [name]
        if !sources.isEmpty { parts.append("[" + sources.joined(separator: "|") + "]") }
        for p in positionals {
            let placeholder: String
            switch p.kind {
            case .choice(let options): placeholder = options.joined(separator: "|")
            case .flag: placeholder = "on|off"
            default: placeholder = p.name.uppercased() + (name == "echo" ? "..." : "")
            }
            let word = (p.keyword.map { "\($0) " } ?? "") + placeholder
            parts.append(p.isRequired ? word : "[\(word)]")
        }
        for o in options {
            let value: String
            switch o.kind {
            case .choice(let options): value = options.joined(separator: "|")
            case .flag: value = "on|off"
            case .integer: value = "N"
            case .number: value = "X"
            case .field, .vectorField: value = "FIELD"
            case .alias: value = "ALIAS"
            case .identifier: value = "NAME"
            case .range: value = "A..B"
            case .size: value = "SIZE"
            default: value = o.name.uppercased()
            }
            parts.append("[\(o.name)=\(value)]")
        }
        return parts.joined(separator: " ")
    }

    /// Whether running it gives a result (all but `quit`): such a command also takes `into=`.
    public var givesResult: Bool { run != nil }

    /// The option named `name`, if the command has one.
    public func option(_ name: String) -> Parameter? { options.first { $0.name == name } }
}

/// "a, b or c"
func orList(_ items: [String]) -> String {
    items.count <= 1 ? (items.first ?? "") : items.dropLast().joined(separator: ", ") + " or " + (items.last ?? "")
}
