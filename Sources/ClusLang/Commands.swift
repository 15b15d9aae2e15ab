/// Every command of the DSL, in the order `help` lists them.
public enum Commands {
    typealias P = CommandSpec.Parameter

    public static let all: [CommandSpec] = [
        CommandSpec("load", summary: "load documents from JSON Lines, JSON, CSV or NumPy .npy (.gz too)",
            positionals: [
                P("path", .path, "the file to read", required: true),
                P("name", .identifier, "the dataset's name (default: the file's name)", keyword: "as"),
            ],
            options: [
                P("format", .choice(["jsonl", "json", "csv", "npy"]), "file format (default: from the extension)"),
                P("vector", .vectorField, "the vector field to use by default (default: the first one); for CSV also a glob \"f*\" or a range \"f0..f63\" of numeric columns; for .npy the vector field's name"),
                P("labels", .path, "for .npy: a CSV with a header and one row per vector (truth fields, _cluster_.FIELD.ALIAS columns)"),
            ],
            details: """
            JSON Lines: one JSON object per line. Every field holding an array of
            numbers of one length in all documents is a vector field; labels under
            _cluster_.FIELD.ALIAS become clusterings (aliases). Nested fields are
            named with dots (meta.category). CSV: a header row; a column of JSON
            arrays is a vector, or numeric columns picked with vector="f*". NumPy:
            a 2-D float32/float64 array, with labels="labels.csv". A .gz file is
            decompressed. A failed load adds nothing.
              load "products.jsonl"
              load "exports/run2.jsonl" as run2 vector=image_vector
              load "digits.csv" vector="pixel_*"
              load "emb.npy" labels="truth.csv"
            """),
        CommandSpec("datasets", summary: "list the loaded datasets"),
        CommandSpec("use", summary: "make a loaded dataset the current one",
            positionals: [P("name", .dataset, "the dataset", required: true)]),
        CommandSpec("drop", summary: "forget a loaded dataset",
            positionals: [P("name", .dataset, "the dataset", required: true)]),
        CommandSpec("schema", summary: "fields with types, vector dimensions, missing counts and aliases"),
        CommandSpec("head", summary: "show the first documents",
            options: [P("n", .integer, "how many documents", default: "5")]),
        CommandSpec("export", summary: "write the documents with their cluster labels to a file",
            positionals: [P("path", .path, "the file to write", required: true)],
            options: [
                P("format", .choice(["jsonl", "csv"]), "file format (default: from the extension; csv for .csv, else jsonl)"),
                P("aliases", .text, "the aliases to write, as [a, b] or \"a,b\"", default: "all"),
                P("fields", .text, "the fields to write, as [a, b] or \"a,b\"; a name picks its nested fields too", default: "all"),
            ],
            details: """
            Writes the current dataset's documents in their order with their labels
            under _cluster_.FIELD.ALIAS (Relevance AI's layout); nested fields are
            rebuilt from dotted names. Atomic: an existing file is replaced only by
            a complete new one. Loading the file gives back the same documents.
              export "labelled.jsonl"
              export "labels.csv" aliases=[kmeans_10] fields=[_id, query]
            Any command's result can be kept with into=: metrics truth=query into="m.json"
            """),
        CommandSpec("cluster", summary: "cluster the documents and store the labels under an alias",
            options: [
                P("k", .integer, "number of clusters", default: "8"),
                P("alias", .identifier, "name for the labels", default: "kmeans_<k>"),
                P("field", .vectorField, "vector field to cluster", default: "the current one"),
                P("method", .choice(["kmeans"]), "clustering method", default: "kmeans"),
                P("metric", .choice(["euclidean"]), "distance", default: "euclidean"),
                P("seed", .integer, "random seed", default: "the session's seed (0)"),
                P("n_init", .integer, "runs from different starts; the lowest inertia is kept", default: "1"),
                P("max_iter", .integer, "most Lloyd iterations per run", default: "300"),
                P("tol", .number, "convergence tolerance, relative to the data's variance", default: "1e-4"),
            ],
            details: """
            k-means as scikit-learn's KMeans: greedy k-means++ starts, Lloyd
            iterations; the same seed gives the same labels on any thread count.
              cluster k=10
              cluster k=20 n_init=10 seed=7 alias=k20
            """),
        CommandSpec("aliases", summary: "the clusterings of the current dataset with their parameters"),
        CommandSpec("distribution", summary: "how the documents spread over the clusters, and against a truth field",
            options: [
                P("alias", .alias, "the clustering", default: "the current one"),
                P("field", .vectorField, "the vector field the alias belongs to", default: "the alias's field"),
                P("truth", .field, "ground-truth field: show its top values per cluster and the purity"),
                P("top", .integer, "truth values shown per cluster", default: "3"),
            ],
            details: """
            Without truth: each cluster's size, share and a bar. With truth: each
            cluster's most frequent truth values (count, share) and its purity,
            the share of its documents that carry its most frequent value.
              distribution
              distribution truth=query top=5
            """),
        CommandSpec("metrics", summary: "how good the clustering is: Silhouette, ARI and the other indices",
            options: [
                P("alias", .alias, "the clustering", default: "the current one"),
                P("field", .vectorField, "the vector field the alias belongs to", default: "the alias's field"),
                P("truth", .field, "ground-truth field; adds the external indices"),
            ],
            details: """
            Internal indices from the vectors and labels: Silhouette (-1..1, higher
            is better), Calinski-Harabasz (higher is better), Davies-Bouldin (lower
            is better). With truth: ARI, Rand index, NMI, AMI, homogeneity,
            completeness, V-measure, Fowlkes-Mallows and purity. Values agree with
            scikit-learn. Documents without the truth field are left out of the
            external indices and counted. The silhouette is exact.
              metrics
              metrics truth=query
            """),
        CommandSpec("echo", summary: "print text",
            positionals: [P("text", .text, "what to print")]),
        CommandSpec("help", summary: "list the commands, or explain one",
            positionals: [P("command", .text, "a command name")]),
        CommandSpec("quit", summary: "leave clus (Ctrl-D does too)"),
    ]

    /// The spec named `name`.
    public static func spec(named name: String) -> CommandSpec? { all.first { $0.name == name } }

    /// The names statements start with that are not commands.
    public static let keywords = ["let", "for", "assert"]
}
