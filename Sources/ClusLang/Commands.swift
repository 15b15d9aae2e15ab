/// Every command of the DSL, in the order `help` lists them.
public enum Commands {
    typealias P = CommandSpec.Parameter

    public static let all: [CommandSpec] = [
        CommandSpec("load", summary: "load documents from a JSON Lines or JSON file",
            positionals: [
                P("path", .path, "the file to read", required: true),
                P("name", .identifier, "the dataset's name (default: the file's name)", keyword: "as"),
            ],
            options: [
                P("format", .choice(["jsonl", "json"]), "file format (default: from the extension)"),
                P("vector", .vectorField, "the vector field to use by default (default: the first one)"),
            ],
            details: """
            JSON Lines: one JSON object per line. Every field holding an array of
            numbers of one length in all documents is a vector field; labels under
            _cluster_.FIELD.ALIAS become clusterings (aliases). Nested fields are
            named with dots (meta.category). A failed load adds nothing.
              load "products.jsonl"
              load "exports/run2.jsonl" as run2 vector=image_vector
            """),
        CommandSpec("datasets", summary: "list the loaded datasets"),
        CommandSpec("use", summary: "make a loaded dataset the current one",
            positionals: [P("name", .dataset, "the dataset", required: true)]),
        CommandSpec("drop", summary: "forget a loaded dataset",
            positionals: [P("name", .dataset, "the dataset", required: true)]),
        CommandSpec("schema", summary: "fields with types, vector dimensions, missing counts and aliases"),
        CommandSpec("head", summary: "show the first documents",
            options: [P("n", .integer, "how many documents", default: "5")]),
        CommandSpec("cluster", summary: "cluster the documents and store the labels under an alias",
            options: [
                P("k", .integer, "number of clusters", default: "8"),
                P("alias", .identifier, "name for the labels", default: "<method>_<k> (hdbscan: hdbscan_mcs<min_cluster_size>)"),
                P("field", .vectorField, "vector field to cluster", default: "the current one"),
                P("method", .choice(["kmeans", "minibatch", "agglomerative", "hdbscan"]), "clustering method", default: "kmeans"),
                P("metric", .choice(["euclidean", "cosine"]), "distance; cosine clusters spherically", default: "euclidean"),
                P("seed", .integer, "random seed", default: "the session's seed (0)"),
                P("n_init", .integer, "kmeans: runs from different starts; the lowest inertia is kept", default: "1"),
                P("max_iter", .integer, "most Lloyd iterations per run (minibatch: passes over the data)", default: "300 (minibatch: 100)"),
                P("tol", .number, "kmeans: convergence tolerance, relative to the data's variance", default: "1e-4"),
                P("batch", .integer, "minibatch: documents per step", default: "1024"),
                P("linkage", .choice(["ward", "average", "complete", "single"]), "agglomerative: cluster distance", default: "ward"),
                P("min_cluster_size", .integer, "hdbscan: smallest cluster", default: "5"),
                P("min_samples", .integer, "hdbscan: neighbours of a core document, itself included", default: "min_cluster_size"),
            ],
            details: """
            k-means as scikit-learn's KMeans: greedy k-means++ starts, Lloyd
            iterations; the same seed gives the same labels on any thread count.
            metric=cosine: spherical k-means (unit vectors and centres), the
            objective reported is the sum of cosine distances. method=minibatch:
            scikit-learn's MiniBatchKMeans, for millions of documents.
            method=agglomerative and method=hdbscan as scikit-learn's
            AgglomerativeClustering and HDBSCAN; HDBSCAN's outliers form the
            cluster named -1 ('metrics noise=-1' leaves them out).
              cluster k=10
              cluster k=20 n_init=10 seed=7 alias=k20
              cluster k=50 metric=cosine
              cluster k=100 method=minibatch batch=4096
              cluster k=8 method=agglomerative linkage=average metric=cosine
              cluster method=hdbscan min_cluster_size=10
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
