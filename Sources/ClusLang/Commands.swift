import ClusCore
import ClusData

/// Every command of the DSL, in the order `help` lists them.
public enum Commands {
    typealias P = CommandSpec.Parameter

    public static let all: [CommandSpec] = [
        CommandSpec("load", run: { i, a in a.source == nil ? try i.load(a) : try i.loadQuery(a) },
            summary: "load documents from JSON Lines, JSON, CSV, NumPy .npy/.npz (.gz too), Parquet, Arrow/Feather, or a SQLite or PostgreSQL query",
            sources: DatabaseKind.allCases.map(\.rawValue),
            positionals: [
                P("path", .path, "the file to read; \"-\" for standard input (with format=); after sqlite the database file, after postgres a connection string or URI (\"\" or none: the PG* variables)", required: true),
                P("name", .identifier, "the dataset's name (default: the file's name)", keyword: "as"),
            ],
            options: [
                P("format", .choice(DataFormat.allCases.map(\.rawValue)), "file format (default: from the extension; needed for \"-\" and pipes without one)"),
                P("vector", .vectorField, "the vector field to use by default (default: the first one); for CSV also a glob \"f*\" or a range \"f0..f63\" or 0..383 of numeric columns; for .npy the vector field's name; for .npz the array's"),
                P("labels", .path, "for .npy or .npz, or a CSV/TSV of vectors only: a CSV (TSV) with a header and one row per vector (truth fields, _cluster_.FIELD.ALIAS columns)"),
                P("strict", .flag, "a document without a usable vector is an error naming its line, instead of being left out", default: "off"),
                P("query", .text, "with sqlite or postgres: the SELECT whose rows are the documents"),
                P("vector_type", .choice(BlobVectorType.allCases.map(\.rawValue)), "with sqlite: the numbers in a BLOB vector", default: "float32"),
            ],
            details: """
            JSON Lines: one JSON object per line. A field is a vector field when
            three quarters of the documents that give it a value hold an array of
            numbers of one length (the most common one). Documents without a
            usable vector (absent, null, another length, non-numbers, NaN) stay in
            the dataset and are written back by export as they were; clustering
            and the internal indices leave them out, and every result counts them
            (strict=on makes them an error). Labels under
            _cluster_.FIELD.ALIAS become clusterings (aliases). Nested fields are
            named with dots (meta.category). A .json file may also be pandas'
            df.to_json() in any orient (one document per row; an index of its own,
            not 0, 1, …, becomes the field _index); arrays written as
            strings ("[0.1, 0.2]") are read with vector=FIELD. CSV: a header row; a column of JSON
            arrays is a vector, or numeric columns picked with vector="f*"; as
            pandas writes it (df.to_csv()), columns 0..N-1 are the vector, an empty
            vector cell a document without one, the unnamed index left out (kept
            as _index unless it is 0..n-1); NumPy's prints of arrays (a column of
            arrays) are vectors too; a first row of numbers is no header
            (np.savetxt). TSV (.tsv): as CSV with tabs; TensorBoard's projector
            files load as load "vectors.tsv" labels="metadata.tsv". NumPy: a
            2-D float16/32/64 array, with labels="labels.csv"; an .npz archive
            (np.savez, np.savez_compressed): its 2-D float arrays are vector
            fields, its 1-D arrays of one value per document fields (NaN and ""
            missing), anything else left out with a note. Parquet: lists of float or double are
            vectors, struct fields dotted names; "dir/*.parquet" loads several
            files as one dataset. Arrow (.arrow, .feather, .ipc, .arrows): Feather
            2 files (df.to_feather, polars' write_ipc; LZ4 or ZSTD too) and IPC
            streams (Hugging Face datasets' cache files), read as Parquet is
            (lists and fixed-size lists of floats are vectors, categoricals
            strings); "cache/*.arrow" loads a dataset's shards. A .gz file is decompressed. "-" reads
            standard input, when the script is a file or -c; pipes, FIFOs and
            /dev/stdin are read to their end. A failed load adds nothing.
            SQLite and PostgreSQL: the rows of query= are the documents, its
            columns the fields (name _id with AS). A BLOB column is a vector of
            little-endian float32 (sqlite-vec's layout; vector_type=float64), as
            is an array column (real[], double precision[]) or a text column of
            arrays [1,2,3] (JSON, pgvector's text form); NULL is a missing value.
            SQLite opens the file read-only; PostgreSQL takes a conninfo string or
            postgresql:// URI, the PG* variables filling the rest, and Ctrl-C
            cancels the query on the server. Passwords are never shown.
              load "products.jsonl"
              load "exports/run2.jsonl" as run2 vector=image_vector
              load "digits.csv" vector="pixel_*"
              load "frame.csv" vector=0..383
              load "emb.npy" labels="truth.csv"
              load "clip.npz" vector=image_embeds
              load "shards/*.parquet" as docs vector=embedding
              load "frame.feather"
              load "-" format=jsonl          (jq -c … | clus -c '…')
              load sqlite "app.db" query="SELECT id AS _id, embedding, category FROM docs"
              load postgres "postgresql://me@db:5432/shop" query="SELECT id AS _id, emb FROM items"
            """),
        CommandSpec("datasets", run: { i, _ in i.datasets() }, summary: "list the loaded datasets"),
        CommandSpec("use", run: { try $0.use($1) }, summary: "make a loaded dataset the current one",
            positionals: [P("name", .dataset, "the dataset", required: true)]),
        CommandSpec("drop", run: { try $0.drop($1) }, summary: "forget a loaded dataset",
            positionals: [P("name", .dataset, "the dataset", required: true)]),
        CommandSpec("filter", run: { try $0.filter($1) }, summary: "make a subset of the documents for which a condition holds",
            positionals: [
                P("condition", .text, "comparisons, in [..], has(FIELD), joined by and, or, not", required: true),
                P("name", .identifier, "the subset's name (default: DATASET_filtered)", keyword: "as"),
            ],
            details: """
            The subset is a new dataset, made current; it views its source's
            documents (the vectors are not copied). Conditions compare a field, a
            nested field (meta.category) or a clustering's label with a number or
            a string: == != < <= > >=, FIELD in [a, b], FIELD not in [a, b],
            has(FIELD) (present and not null; for a vector field, a vector).
            Numbers compare as numbers (3 == 3.0), strings as strings; a value of
            another kind never matches, and a field holding none of the literal's
            kind is an error. A document without the field matches no
            comparison (!= neither); not negates. not binds tighter than and,
            and tighter than or; parentheses group. Clusterings of the source come
            along; clusterings made on the subset stay with it.
              filter price < 10 and category in ["shoes", "bags"]
              filter kmeans_10 == "cluster_3" as c3
              filter not has(vector) or (meta.lang != "en" and year >= 2020)
            """),
        CommandSpec("sample", run: { try $0.sample($1) }, summary: "make a random subset of N documents, stratified by a field if asked",
            positionals: [P("name", .identifier, "the subset's name (default: DATASET_sample)", keyword: "as")],
            options: [
                P("n", .integer, "how many documents to draw (required)"),
                P("by", .field, "a field or clustering: every value keeps at least one document when n allows, the rest in proportion"),
                P("seed", .integer, "random seed", default: "the session's seed (0)"),
            ],
            details: """
            Draws N documents without replacement, in their order in the source;
            the same seed draws the same documents. With by=FIELD each value of the
            field (documents without it count as one more value) gets a share in
            proportion to its documents, largest remainders first, and at least
            one document when n is at least the number of values. The subset is
            a new dataset, made current, viewing its source's documents.
              sample n=1000
              sample n=200 by=query seed=7 as small
            """),
        CommandSpec("schema", run: { i, _ in try i.schema() }, summary: "fields with types, vector dimensions, missing counts and aliases"),
        CommandSpec("head", run: { try $0.head($1) }, summary: "show the first documents",
            options: [P("n", .integer, "how many documents", default: "5")]),
        CommandSpec("export", run: { i, a -> any CommandOutput in a.source == nil ? try i.export(a) : try i.exportTable(a) },
            summary: "write the documents with their cluster labels to a file, or the labels to a SQLite or PostgreSQL table",
            sources: DatabaseKind.allCases.map(\.rawValue),
            positionals: [P("path", .path, "the file to write; after sqlite the database file, after postgres a connection string or URI", required: true)],
            options: [
                P("format", .choice(ExportFormat.allCases.map(\.rawValue)), "file format (default: from the extension; csv for .csv, parquet for .parquet, npz for .npz, else jsonl)"),
                P("aliases", .text, "the aliases to write, as [a, b] or \"a,b\"", default: "all"),
                P("fields", .text, "the fields to write, as [a, b] or \"a,b\"; a name picks its nested fields too", default: "all"),
                P("table", .text, "with sqlite or postgres: the table to write the labels to (created if missing)"),
            ],
            details: """
            Writes the current dataset's documents in their order with their labels
            under _cluster_.FIELD.ALIAS (Relevance AI's layout); nested fields are
            rebuilt from dotted names. Atomic: an existing file is replaced only by
            a complete new one. Loading the file gives back the same documents.
            Parquet: _id (or the scalar fields fields= names) and one column of
            cluster names per alias, for pandas, DuckDB or Spark. NumPy .npz (as
            np.savez): _id (or the fields fields= names, vector fields as float32
            arrays) and one array of cluster names per alias ("" for none).
              export "labelled.jsonl"
              export "labels.parquet" aliases=[kmeans_10]
              export "labels.npz" fields=[_id, embedding]
              export "labels.csv" aliases=[kmeans_10] fields=[_id, query]
            With sqlite or postgres: one row per document and alias (_id,
            vector_field, alias, label; a document without a label has a NULL
            label) into table=, created if missing, in one transaction that first
            deletes the table's rows of the same aliases: all rows or none.
              export sqlite "app.db" table=clus_labels aliases=[kmeans_10]
            Any command's result can be kept with into=: metrics truth=query into="m.json"
            """),
        CommandSpec("join", run: { try $0.join($1) }, summary: "attach the fields and labels of a file to the documents, matched by a key",
            positionals: [P("path", .path, "the JSON Lines, JSON, CSV, Parquet, Arrow or .npz file", required: true)],
            options: [
                P("on", .field, "the key field, in the dataset and in the file", default: "_id"),
                P("fields", .text, "the file's fields and aliases to attach, as [a, b] or \"a,b\"", default: "all but the key"),
                P("format", .choice(["jsonl", "json", "csv", "tsv", "parquet", "arrow", "npz"]), "file format (default: from the extension)"),
            ],
            details: """
            Each document gets the values of the file's row with the same key
            (3, 3.0 and "3" are one key, as labels are); _cluster_ labels become
            aliases. Documents without a row get missing values, and both sides'
            leftovers are counted. A row without the key, a key on two rows, or a
            column the dataset has already is an error (pick with fields=); a
            failed join changes nothing.
              join "labels.jsonl"
              join "truth.csv" on=doc_id fields=[query]
              join "labels.parquet"          (an export "labels.parquet" of another session)
            """),
        CommandSpec("cluster", run: { try $0.cluster($1) }, summary: "cluster the documents and store the labels under an alias",
            options: [
                P("k", .integer, "number of clusters", default: "8"),
                P("alias", .identifier, "name for the labels; an existing one is replaced, with a note", default: "kmeans_10, kmeans_cosine_10, agglomerative_ward_10, hdbscan_mcs5, ..."),
                P("field", .vectorField, "vector field to cluster", default: "the current one"),
                P("method", .choice(ClusteringMethod.allCases.map(\.rawValue)), "clustering method", default: "kmeans"),
                P("metric", .choice(AgglomerativeMetric.allCases.map(\.rawValue)), "distance; cosine clusters spherically", default: "euclidean"),
                P("seed", .integer, "random seed", default: "the session's seed (0)"),
                P("n_init", .integer, "kmeans: runs from different starts; the lowest inertia is kept", default: "1"),
                P("max_iter", .integer, "most Lloyd iterations per run (minibatch: passes over the data)", default: "300 (minibatch: 100)"),
                P("tol", .number, "kmeans: convergence tolerance, relative to the data's variance", default: "1e-4"),
                P("batch", .integer, "minibatch: documents per step", default: "1024"),
                P("linkage", .choice(Linkage.allCases.map(\.rawValue)), "agglomerative: cluster distance", default: "ward"),
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
        CommandSpec("aliases", run: { i, _ in try i.aliases() }, summary: "the clusterings of the current dataset with their parameters"),
        CommandSpec("distribution", run: { try $0.distribution($1) }, summary: "how the documents spread over the clusters, and against a truth field",
            options: [
                P("alias", .alias, "the clustering: an alias, or a scalar field whose values are the labels", default: "the current one"),
                P("field", .vectorField, "the vector field the alias belongs to", default: "the alias's field"),
                P("truth", .field, "ground-truth field: show its top values per cluster and the purity"),
                P("top", .integer, "truth values shown per cluster (0: all)", default: "3"),
                P("by", .choice(["cluster", "truth"]), "one row group per cluster, or per truth value", default: "cluster"),
            ],
            details: """
            Without truth: each cluster's size, share and a bar. With truth: each
            cluster's most frequent truth values (count, share) and its purity,
            the share of its documents that carry its most frequent value.
              distribution
              distribution truth=query top=5
              distribution truth=query by=truth
            """),
        CommandSpec("metrics", run: { try $0.metrics($1) }, summary: "how good the clustering is: Silhouette, ARI and the other indices",
            options: [
                P("alias", .alias, "the clustering: an alias, or a scalar field whose values are the labels", default: "the current one"),
                P("field", .vectorField, "the vector field the alias belongs to", default: "the alias's field"),
                P("truth", .field, "ground-truth field; adds the external indices"),
                P("metric", .choice(DistanceMetric.allCases.map(\.rawValue)), "distance for the silhouette", default: "the one the clustering was made with"),
                P("sample", .integer, "estimate the silhouette from a stratified sample of about N documents, with a 95% CI"),
                P("seed", .integer, "random seed of the sample", default: "the session's seed (0)"),
                P("noise", .text, "cluster label of outliers (e.g. -1): left out of all indices and counted; none scores every cluster", default: "HDBSCAN's -1"),
                P("silhouette", .flag, "compute the silhouette; off leaves it out (millions of documents)", default: "on"),
                P("average", .choice(MutualInformationAverage.allCases.map(\.rawValue)), "mean of the two entropies that normalises NMI and AMI", default: "arithmetic"),
                P("beta", .number, "V-measure's weight of completeness against homogeneity", default: "1"),
            ],
            details: """
            Internal indices from the vectors and labels: Silhouette (-1..1, higher
            is better), Calinski-Harabasz (higher is better), Davies-Bouldin (lower
            is better). With truth: ARI, Rand index, NMI, AMI, homogeneity,
            completeness, V-measure, Fowlkes-Mallows and purity. Values agree with
            scikit-learn. Documents without the truth field are left out of the
            external indices and counted. The silhouette is exact unless sample=N:
            then each sampled document is scored exactly against all documents and
            the mean comes with a 95% confidence interval. The exact euclidean or
            manhattan silhouette grows as n² (cosine and sqeuclidean come exactly
            from per-cluster sums and stay linear): for millions of documents use
            sample=N or silhouette=off.
              metrics
              metrics truth=query metric=cosine
              metrics sample=2000 seed=7 noise=-1
              metrics truth=query silhouette=off average=geometric beta=0.5
            """),
        CommandSpec("silhouette", run: { try $0.silhouette($1) }, summary: "per-cluster and per-document silhouettes, and the silhouette plot",
            positionals: [P("plot", .choice(["plot"]), "draw the silhouette plot")],
            options: [
                P("alias", .alias, "the clustering: an alias, or a scalar field whose values are the labels", default: "the current one"),
                P("field", .vectorField, "the vector field the alias belongs to", default: "the alias's field"),
                P("by", .choice(["cluster", "sample"]), "one row per cluster, or the documents with the lowest silhouette", default: "cluster"),
                P("n", .integer, "with by=sample: how many documents", default: "10"),
                P("metric", .choice(DistanceMetric.allCases.map(\.rawValue)), "distance", default: "the one the clustering was made with"),
                P("noise", .text, "cluster label of outliers, left out; none scores every cluster", default: "HDBSCAN's -1"),
                P("sample", .integer, "score a stratified sample of about N documents (each against all), with a 95% CI"),
                P("seed", .integer, "random seed of the sample", default: "the session's seed (0)"),
            ],
            details: """
            s(i) = (b - a) / max(a, b), where a is the mean distance of document i to
            its own cluster and b the mean distance to the nearest other cluster;
            0 in a singleton cluster. Per cluster: size, mean, min, max and the
            share of documents with a negative silhouette (closer to another
            cluster). The plot shows each cluster's documents sorted, best first,
            with the overall mean as a dotted line. With sample=N the columns
            describe the sampled documents and the mean comes with a 95% CI.
              silhouette plot
              silhouette by=sample n=20
              silhouette metric=cosine sample=2000 seed=7
            """),
        CommandSpec("describe", run: { try $0.describe($1) }, summary: "each cluster's most typical and most doubtful documents, and its distinctive terms",
            options: [
                P("alias", .alias, "the clustering: an alias, or a scalar field whose values are the labels", default: "the current one"),
                P("field", .vectorField, "the vector field the alias belongs to", default: "the alias's field"),
                P("fields", .text, "the fields shown beside _id, as [a, b] or \"a,b\"", default: "the text= field"),
                P("n", .integer, "typical and doubtful documents per cluster", default: "5"),
                P("cluster", .text, "describe only this cluster"),
                P("text", .field, "a text field: adds each cluster's distinctive terms (class-based TF-IDF)"),
                P("terms", .integer, "with text=: terms per cluster", default: "10"),
                P("sample", .integer, "take the silhouettes from a stratified sample of about N documents", default: "exact up to 20,000 documents (euclidean, manhattan), else 10,000"),
                P("seed", .integer, "random seed of the sample", default: "the session's seed (0)"),
            ],
            details: """
            Per cluster: its size; its n most typical documents, those nearest
            the centroid (the mean of its vectors; cosine distance for a clustering
            made with metric=cosine); its n most doubtful, those with the lowest
            silhouette (exact, or from a stratified sample beyond 20,000 documents,
            and the footer says which). With text=FIELD: its distinctive terms by
            class-based TF-IDF (BERTopic's c-TF-IDF): the cluster's texts read as
            one document, tf in it × log(1 + mean words per cluster / the term's
            count over all clusters); words are runs of letters and digits,
            lower-cased, English stop words left out.
              describe
              describe text=title n=3
              describe fields=[_id, query] cluster=cluster_3
            """),
        CommandSpec("sweep", run: { try $0.sweep($1) }, summary: "cluster for each value of k (or another option) and tabulate the indices, marking the best",
            options: [
                P("k", .range, "the values of k: a range A..B or a list [a, b, ...]; one value when another option is swept", default: "2..10"),
                P("step", .integer, "with a range: every N-th value from A", default: "1"),
                P("method", .choice(ClusteringMethod.allCases.map(\.rawValue)), "clustering method", default: "kmeans"),
                P("metric", .choice(AgglomerativeMetric.allCases.map(\.rawValue)), "distance (cosine: spherical k-means), also for the silhouette", default: "euclidean"),
                P("linkage", .choice(Linkage.allCases.map(\.rawValue)), "with method=agglomerative", default: "ward"),
                P("min_cluster_size", .range, "hdbscan: smallest cluster, or a range or list of them to sweep", default: "5"),
                P("min_samples", .range, "hdbscan: neighbours of a core document, or a range or list to sweep", default: "min_cluster_size"),
                P("n_init", .range, "k-means runs per clustering, or a range or list to sweep", default: "1"),
                P("max_iter", .range, "most iterations (minibatch: passes), or a range or list to sweep", default: "300 (minibatch: 100)"),
                P("batch", .range, "minibatch: documents per step, or a range or list to sweep", default: "1024"),
                P("field", .vectorField, "vector field to cluster", default: "the current one"),
                P("truth", .field, "ground-truth field: adds ARI and NMI"),
                P("sample", .integer, "estimate each silhouette from a stratified sample of about N documents, with a 95% CI"),
                P("seed", .integer, "random seed of k-means and of the sample", default: "the session's seed"),
                P("keep", .flag, "store each clustering's labels under cluster's default alias (kmeans_5, hdbscan_mcs10, ...)", default: "on"),
                P("stability", .flag, "add clusterboot's mean Jaccard over subsets of 80% of the documents (see 'stability')", default: "off"),
                P("runs", .integer, "with stability=on: resamples per value", default: "10"),
                P("gap", .flag, "add the gap statistic and its SE, and the best k by it (k-means, minibatch, agglomerative; euclidean)", default: "off"),
                P("B", .integer, "with gap=on: uniform reference sets per k, at least 2", default: "50"),
                P("reference", .choice(GapReferenceSpace.allCases.map(\.rawValue)), "with gap=on: draw the reference sets in the box of the principal components (clusGap's scaledPCA) or of the original coordinates", default: "pca"),
            ],
            details: """
            One clustering per value of the swept option: k (the default, 2..10),
            or the one option given a range or a list (min_cluster_size=5..50
            step=5 with method=hdbscan, n_init=[1, 5, 10]). Each row has the
            value, the clusters found (and HDBSCAN's outliers), the inertia (with
            metric=cosine the cosine objective), the silhouette (exact, or from a
            sample with sample=), Calinski-Harabasz, Davies-Bouldin, with truth ARI
            and NMI, and the fit time. A '*' marks the best value by each index;
            '← elbow (kneedle)' the knee of the inertia curve over k (Satopää et
            al. 2011). With gap=on, the gap statistic (Tibshirani, Walther &
            Hastie 2001, as R's clusGap): B reference sets uniform in the data's
            box, each clustered with the same k; gap = mean log W* − log W, W the
            within-cluster sum of squares; '*' marks the first k with gap(k) ≥
            gap(k+1) − SE(k+1). One bar shows how many values are done; Ctrl-C
            stops the sweep and keeps the rows done.
              sweep k=2..15 truth=query
              sweep k=[10, 20, 25] sample=2000
              sweep k=2..40 step=2 metric=cosine
              sweep method=hdbscan min_cluster_size=5..50 step=5
              sweep k=2..12 stability=on runs=10
              sweep k=2..10 gap=on B=20
            """),
        CommandSpec("stability", run: { try $0.stability($1) }, summary: "how well a clustering's clusters come back on resampled data (Jaccard, ARI)",
            options: [
                P("k", .integer, "number of clusters", default: "8"),
                P("method", .choice(ClusteringMethod.allCases.map(\.rawValue)), "clustering method", default: "kmeans"),
                P("metric", .choice(AgglomerativeMetric.allCases.map(\.rawValue)), "distance; cosine clusters spherically", default: "euclidean"),
                P("linkage", .choice(Linkage.allCases.map(\.rawValue)), "agglomerative: cluster distance", default: "ward"),
                P("min_cluster_size", .integer, "hdbscan: smallest cluster", default: "5"),
                P("min_samples", .integer, "hdbscan: neighbours of a core document", default: "min_cluster_size"),
                P("n_init", .integer, "kmeans: runs from different starts per clustering", default: "1"),
                P("max_iter", .integer, "kmeans, minibatch: most iterations (minibatch: passes)", default: "300 (minibatch: 100)"),
                P("batch", .integer, "minibatch: documents per step", default: "1024"),
                P("field", .vectorField, "vector field to cluster", default: "the current one"),
                P("runs", .integer, "resamples clustered, at least 2", default: "20"),
                P("fraction", .number, "each subset's share of the documents, drawn without replacement, in (0, 1]", default: "0.8"),
                P("bootstrap", .flag, "draw n documents with replacement instead of subsets", default: "off"),
                P("seed", .integer, "random seed of the resamples and the clusterings", default: "the session's seed (0)"),
            ],
            details: """
            fpc's clusterboot: the recipe clusters all documents (the reference),
            then each of runs= resamples (subsets of fraction= of the documents,
            or bootstrap=on draws); each reference cluster, restricted to the
            documents drawn, is matched to the resample cluster with the highest
            Jaccard similarity |A ∩ B| / |A ∪ B|. Per cluster: the mean of those
            similarities (Hennig: ≥ 0.75 stable, 0.6–0.75 a pattern, ≤ 0.5
            dissolved); overall: their mean, and the mean ARI between every two
            runs on the documents both drew. Nothing is stored. Ctrl-C stops it.
              stability k=10
              stability k=10 runs=50 fraction=0.5 seed=7
              stability method=hdbscan min_cluster_size=10 bootstrap=on
            """),
        CommandSpec("compare", run: { try $0.compare($1) }, summary: "how far two clusterings agree: ARI, NMI, AMI and more, with their matched contingency table",
            positionals: [
                P("a", .alias, "the first clustering (the reference: homogeneity asks whether B's clusters lie within A's)", required: true),
                P("b", .alias, "the second clustering; either may be a scalar field whose values are the labels", required: true),
            ],
            options: [
                P("average", .choice(MutualInformationAverage.allCases.map(\.rawValue)), "mean of the two entropies that normalises NMI and AMI", default: "arithmetic"),
            ],
            details: """
            ARI, Rand index, NMI, AMI, homogeneity, completeness, V-measure and
            Fowlkes-Mallows of B against A (scikit-learn's functions with A as
            labels_true), for any numbers of clusters. The table pairs each cluster
            of A with the cluster of B that shares the most documents (one to one,
            Hungarian method), so agreement reads along the diagonal. The aliases
            may belong to different vector fields.
              compare kmeans_10 kmeans_12
              compare kmeans_10 hdbscan_mcs5 average=geometric
            """),
        CommandSpec("plot", run: { try $0.plot($1) }, summary: "draw a chart as an SVG file",
            positionals: [
                P("kind", .choice(ChartKind.allCases.map(\.rawValue)), "the chart", required: true),
                P("path", .path, "the .svg file to write", keyword: "into", required: true),
            ],
            options: [
                P("alias", .alias, "the clustering (silhouette, distribution, map, distances): an alias, or a scalar field whose values are the labels", default: "the current one"),
                P("field", .vectorField, "the vector field the alias belongs to", default: "the alias's field"),
                P("truth", .field, "distribution: split each bar by this field"),
                P("metric", .choice(DistanceMetric.allCases.map(\.rawValue)), "the silhouette's distance", default: "the one the clustering was made with"),
                P("noise", .text, "cluster label of outliers left out of the scores; none scores every cluster", default: "HDBSCAN's -1"),
                P("points", .integer, "map: most documents drawn; past that a sample stratified by cluster", default: "20000"),
            ],
            details: """
            silhouette and distribution draw the alias; sweep and compare draw the
            last sweep or compare result. map draws the documents on their first two
            principal components (exact PCA), coloured by cluster, with the cluster
            means; past 20,000 documents it draws a sample stratified by cluster and
            says so. distances places the cluster means by classical MDS on their
            euclidean distances, each a circle of area proportional to its size.
            The file is written whole or not at all.
              plot silhouette into "silhouette.svg"
              plot distribution truth=query into "sizes.svg"
              plot map into "map.svg"
              plot distances alias=kmeans_20 into "distances.svg"
            """),
        CommandSpec("report", run: { try $0.report($1) }, summary: "write one self-contained HTML page with the tables, metrics and charts",
            positionals: [P("path", .path, "the .html file to write", keyword: "into", required: true)],
            options: [
                P("alias", .alias, "the clustering: an alias, or a scalar field whose values are the labels", default: "the current one"),
                P("field", .vectorField, "the vector field the alias belongs to", default: "the alias's field"),
                P("truth", .field, "ground-truth field for the distribution and the external indices"),
                P("metric", .choice(DistanceMetric.allCases.map(\.rawValue)), "the silhouette's distance", default: "the one the clustering was made with"),
                P("noise", .text, "cluster label of outliers left out of the scores; none scores every cluster", default: "HDBSCAN's -1"),
            ],
            details: """
            The dataset summary, the distribution, the metrics with their readings,
            the silhouette plot, the distribution chart and, when run before, the
            sweep and comparison charts; inline CSS and SVG, no network.
              report truth=query into "report.html"
            """),
        CommandSpec("explain", run: { try $0.explain($1) }, summary: "what an index, method or result means, with a worked example on a few points",
            positionals: [P("topic", .text, "the index, method or result, by any name a result shows", required: true)],
            details: """
            Topics: the indices silhouette, ari, rand, nmi, ami, homogeneity,
            completeness, v_measure, fmi, purity, ch and db, by any name a result
            shows (ARI, adjusted_rand_index, Davies-Bouldin), in any case; sample
            (the sampled silhouette's 95% interval), inertia and elbow; the methods
            kmeans, spherical, minibatch, agglomerative (or a linkage: ward,
            average, complete, single) and hdbscan; noise; and the analyses
            describe (typical and doubtful documents), ctfidf (describe's
            distinctive terms), stability (clusterboot's Jaccard) and gap (the gap
            statistic). The examples work on eight points (with an outlier I for
            agglomerative, hdbscan and noise; forty grid points for sample; seven
            short texts for ctfidf; twelve values for gap); every number comes
            from the same code as 'metrics', 'cluster', 'describe', 'stability'
            and 'sweep'.
              explain silhouette
              explain ARI
              explain davies-bouldin
              explain ward
              explain gap
            """),
        CommandSpec("set", run: { try $0.set($1) }, summary: "change session settings",
            options: [
                P("format", .choice(OutputFormat.allCases.map(\.rawValue)), "output format"),
                P("seed", .integer, "default seed for cluster"),
                P("threads", .integer, "threads for the numeric work"),
                P("color", .flag, "colour and bold in table output"),
                P("echo", .flag, "print each command before its output"),
                P("timer", .flag, "print each command's wall time"),
                P("top", .integer, "default top= of distribution"),
                P("metric", .choice(DistanceMetric.allCases.map(\.rawValue)), "default metric= of metrics, silhouette, plot and report (for labels read from a file)"),
                P("sample", .integer, "default sample= of metrics, silhouette, plot, report and sweep (0: exact)"),
                P("memory_limit", .size, "memory a command may plan to use", default: "half the physical memory"),
            ],
            details: """
            The settings start from the command line (--format, --seed, ...).
            memory_limit= takes 4GiB, 512MiB, 800MB (KiB, MiB, GiB, TiB are
            powers of 1024; KB, MB, GB, TB of 1000) or a number of bytes; work
            estimated to need more (agglomerative's n × n matrix, HDBSCAN, the
            exact silhouette's n × k sums, a contingency table, a load) is
            refused with the estimate and what to do instead.
              set format=json
              set seed=42 threads=1
              set memory_limit=8GiB
            """),
        CommandSpec("show", run: { i, _ in i.showSettings() }, summary: "show the session's settings",
            positionals: [P("what", .choice(["settings"]), "what to show", required: true)]),
        CommandSpec("timer", run: { $0.timer($1) }, summary: "print each command's wall time, or stop",
            positionals: [P("state", .flag, "on or off", required: true)]),
        CommandSpec("run", run: { try $0.runFile($1) }, summary: "run the commands of a script file in this session",
            positionals: [P("path", .path, "the .clus file", required: true)],
            details: """
            The script's errors name its own lines; it stops at its first error
            (unless --keep-going), and so does the command that ran it.
              run "prepare.clus"
            """),
        CommandSpec("echo", run: { $0.echo($1) }, summary: "print text",
            positionals: [P("text", .text, "what to print")]),
        CommandSpec("pause", run: { try $0.pause($1) }, summary: "wait for Enter between the steps of a lesson (on a terminal only)",
            positionals: [P("text", .text, "what to show while waiting", default: "press Enter to go on")],
            details: """
            On a terminal, shows the text and waits for Enter; Ctrl-C stops the
            script there. Without a terminal (a pipe, CI) it does nothing, so the
            same script runs through unattended.
              pause "Next: how pure are the clusters?"
            """),
        CommandSpec("help", run: { try $0.help($1) }, summary: "list the commands, or explain one",
            positionals: [P("command", .text, "a command name")]),
        CommandSpec("quit", summary: "leave clus (Ctrl-D does too)"),
    ]

    /// The spec named `name`.
    public static func spec(named name: String) -> CommandSpec? { all.first { $0.name == name } }

    /// The names statements start with that are not commands.
    public static let keywords = Help.statements.map(\.name)
}
