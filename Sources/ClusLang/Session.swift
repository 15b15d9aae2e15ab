import ClusCore
import ClusData

/// Settings a session runs with; set from the command line.
public struct Settings: Sendable {
    public var format: OutputFormat = .table
    public var seed: UInt64 = 0
    public var threads: Int = Parallelism.allCores.threads
    /// Print each command before its output.
    public var echo = false
    /// Hide status lines (`loaded ...`, `kmeans_10 on ...`) and the banner.
    public var quiet = false
    /// Go on after an error in a script.
    public var keepGoing = false
    public var color = false
    /// Print each command's wall time after its output.
    public var timer = false
    /// Columns the terminal has, for plots.
    public var width = 80
    /// The silhouette's distance when `metrics` has no `metric=`.
    public var metric = DistanceMetric.euclidean
    /// The silhouette's sample size when `metrics` has no `sample=`; nil: exact.
    public var sample: Int?
    /// Truth values `distribution` shows per cluster when `top=` is not given.
    public var top = 3
    /// Bytes a command may plan to use; work estimated above it is refused.
    public var memoryLimit = Settings.defaultMemoryLimit()

    public init() {}
}

/// What the user has loaded and made so far: datasets, the current dataset
/// and alias, variables, the last results. Kept intact when a command fails.
public final class Session {
    public var settings: Settings
    /// Datasets in load order.
    public private(set) var datasets: [Dataset] = []
    /// The name of the current dataset.
    public private(set) var currentDatasetName: String?
    /// The current alias of each dataset (the last made or used).
    var currentAliases: [String: AliasReference] = [:]
    /// `let` variables and loop variables.
    var variables: [String: RuntimeValue] = [:]
    /// Script arguments, `$1`, `$2`, ...
    public var scriptArguments: [String] = []
    /// The last result of each command, and `last`, for `assert`.
    var lastResults: [String: TimedOutput] = [:]
    /// Depth of nested `run FILE`, to stop a script that runs itself.
    var includeDepth = 0
    /// Draws progress of long commands; nil when not on a terminal.
    public var progress: ProgressReporter?
    /// Shows a line and waits for Enter (`pause`); nil without a terminal,
    /// where `pause` does nothing so that scripts run through.
    public var waitForEnter: ((String) -> Void)?
    /// Set by Ctrl-C; long computations check it.
    public let cancellation: Cancellation

    public init(settings: Settings = Settings(), cancellation: Cancellation = Cancellation()) {
        self.settings = settings
        self.cancellation = cancellation
    }

    var parallelism: Parallelism { Parallelism(threads: settings.threads) }

    /// The current dataset, or an error saying how to get one. A subset's
    /// vectors are gathered from its source's matrices for the command.
    func currentDataset() throws(Diagnostic) -> Dataset {
        try currentStoredDataset().withVectors()
    }

    /// The current dataset as kept: a subset without its vectors gathered.
    func currentStoredDataset() throws(Diagnostic) -> Dataset {
        guard let name = currentDatasetName, let dataset = datasets.first(where: { $0.name == name }) else {
            throw Diagnostic("no dataset loaded", hint: "load one with: load \"documents.jsonl\"")
        }
        return dataset
    }

    /// `base`, or `base_2`, `base_3` … when a dataset has that name.
    func unusedDatasetName(_ base: String) -> String {
        var name = base, n = 1
        while datasets.contains(where: { $0.name == name }) {
            n += 1
            name = "\(base)_\(n)"
        }
        return name
    }

    /// Adds a dataset and makes it current; refuses to replace one of the same name.
    func add(_ dataset: Dataset) throws(Diagnostic) {
        if datasets.contains(where: { $0.name == dataset.name }) {
            throw Diagnostic("a dataset named '\(dataset.name)' is already loaded",
                             hint: "load it under another name with 'as NAME', or 'drop \(dataset.name)' first")
        }
        datasets.append(dataset.withoutGatheredVectors())
        currentDatasetName = dataset.name
        if let first = dataset.clusterings.first {
            currentAliases[dataset.name] = AliasReference(vectorField: first.vectorField, alias: first.alias)
        }
    }

    /// Replaces the stored copy of a dataset (after clustering it).
    func update(_ dataset: Dataset) {
        if let i = datasets.firstIndex(where: { $0.name == dataset.name }) { datasets[i] = dataset.withoutGatheredVectors() }
    }

    func use(_ name: String) { currentDatasetName = name }

    func drop(_ name: String) {
        datasets.removeAll { $0.name == name }
        currentAliases[name] = nil
        if currentDatasetName == name { currentDatasetName = datasets.last?.name }
    }
}

/// A clustering named by its vector field and alias.
struct AliasReference: Sendable, Equatable {
    let vectorField: String
    let alias: String
}

extension Session {
    /// Field, vector field, alias and dataset names, for tab completion.
    public func namesForCompletion() -> (fields: [String], vectorFields: [String], aliases: [String], datasets: [String]) {
        let current = try? currentStoredDataset()
        return (current?.fields.map(\.name) ?? [], current?.vectorShapes.map(\.name) ?? [],
                current?.clusterings.map(\.alias) ?? [], datasets.map(\.name))
    }
}
