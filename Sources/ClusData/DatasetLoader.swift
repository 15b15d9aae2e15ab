import ClusCore
#if canImport(Glibc)
import Glibc
#endif

/// The file formats `DatasetLoader` reads.
public enum DataFormat: String, Sendable, CaseIterable {
    /// JSON Lines: one document (a JSON object) per line; empty lines skipped.
    case jsonl
    /// A JSON array of documents.
    case json
    /// Comma-separated values with a header row.
    case csv
    /// Tab-separated values: as CSV, a tab between the cells (TensorBoard's
    /// projector files, `df.to_csv(sep="\t")`).
    case tsv
    /// A NumPy `.npy` array of shape (documents, dimension).
    case npy
    /// A NumPy `.npz` archive (`np.savez`, `np.savez_compressed`): 2-D float
    /// arrays are vector fields, 1-D arrays of one value per document fields.
    case npz
    /// Apache Parquet: one file, or several named by a pattern (`dir/*.parquet`).
    case parquet
    /// Apache Arrow IPC: Feather 2 files and IPC streams (Hugging Face
    /// `datasets`' `.arrow` files); one file, or several named by a pattern.
    case arrow

    /// The format a file name implies (a `.gz` ending aside): `.jsonl`/`.ndjson`
    /// → jsonl, `.json` → json, `.csv` → csv, `.tsv`/`.tab` → tsv, `.npy` → npy,
    /// `.npz` → npz, `.parquet` → parquet, `.arrow`/`.feather`/`.ipc`/`.arrows` → arrow.
    public init?(path: String) {
        var path = path
        if DatasetLoader.pathExtension(path).lowercased() == "gz" { path.removeLast(3) }
        switch DatasetLoader.pathExtension(path).lowercased() {
        case "jsonl", "ndjson": self = .jsonl
        case "json": self = .json
        case "csv": self = .csv
        case "tsv", "tab": self = .tsv
        case "npy": self = .npy
        case "npz": self = .npz
        case "parquet", "parq": self = .parquet
        case "arrow", "feather", "ipc", "arrows": self = .arrow
        default: return nil
        }
    }

    /// The byte between cells of a delimited format (CSV, TSV); nil for the others.
    var delimiter: UInt8? {
        switch self {
        case .csv: UInt8(ascii: ",")
        case .tsv: 0x09
        default: nil
        }
    }
}

/// How to load a dataset.
public struct LoadOptions: Sendable {
    /// The dataset's name; default the file's base name without extension.
    public var name: String?
    /// The vector field to make the default (`vectors[0]`); an error if it is not one.
    public var vectorField: String?
    /// The format; default from the extension.
    public var format: DataFormat?
    /// For `.npy`: a CSV file with a header and one row per vector, whose
    /// columns become fields (and `_cluster_.FIELD.ALIAS` columns aliases).
    public var labelsPath: String?
    /// A document without a usable vector in a vector field (absent, null,
    /// wrong length, non-numbers, NaN) is an error naming its line, instead
    /// of being kept, counted and left out of clustering.
    public var strict: Bool

    public init(name: String? = nil, vectorField: String? = nil, format: DataFormat? = nil, labelsPath: String? = nil,
                strict: Bool = false) {
        self.name = name
        self.vectorField = vectorField
        self.format = format
        self.labelsPath = labelsPath
        self.strict = strict
    }
}

/// Loads datasets from files.
public enum DatasetLoader {
    /// Reads the documents of the file at `path` into a dataset.
    ///
    /// Each document must be a JSON object. A field is a vector field when at
    /// least three quarters of the documents that give it a value (other
    /// than null or an empty array) hold an array of numbers of one length,
    /// the most common one; the other documents keep their value, have no
    /// usable vector (`VectorColumn.unusable`), and one note in
    /// `Dataset.notes` counts them and names the first few lines (an error
    /// with `options.strict`). Other arrays are kept as their JSON text in a
    /// scalar field, with a note when an array of numbers is involved. `_cluster_` labels become
    /// `clusterings`. A `.json` file that starts with `{` is read as JSON
    /// Lines, unless `format` says otherwise.
    ///
    /// - Throws: `DataError` naming the file (and line and column) for any
    ///   bad input, `Cancelled` when `cancellation` asks; nothing is returned then.
    /// - Complexity: O(file size).
    public static func load(
        path: String, options: LoadOptions, cancellation: Cancellation? = nil,
        progress: ((_ bytesDone: Int, _ bytesTotal: Int) -> Void)? = nil
    ) throws -> Dataset {
        var dataset = try read(path: path, options: options, cancellation: cancellation, progress: progress)
        dataset.notes += awkwardCases(dataset)
        return dataset
    }

    /// About how many bytes loading the file at `path` needs at its peak, read
    /// from its size before reading it; nil when it cannot be examined (`load`
    /// then reports why). A `.jsonl` file is streamed: the columns (the
    /// vectors take at most about the text's size) and one window of text.
    /// Other files' bytes stay in memory while they are
    /// parsed and the columns grow beside them: the vectors take at most about
    /// the text's size (a Float32 is 4 bytes, a number in text with its comma
    /// at least 4), so a text file needs about twice its size (measured: 200 MB
    /// for a 112 MB file of 512-d vectors). A `.gz` file adds its compressed
    /// bytes and the decompression buffer's slack (up to twice the text); its
    /// text size comes from the gzip trailer, which names only the last member.
    /// - Complexity: O(1) (a `stat` and a 4-byte read).
    public static func memoryEstimate(path: String) -> Int? {
        if let mapped = NPYReader.mappedMemoryEstimate(path: path) { return mapped }   // a mapped .npy
        if DataFormat(path: path) == .parquet { return ParquetReader.memoryEstimate(path: path) }
        if DataFormat(path: path) == .arrow { return ArrowReader.memoryEstimate(path: path) }
        if DataFormat(path: path) == .npz, let npz = NPZReader.memoryEstimate(path: path) { return npz }   // nil for .npz.gz: not mapped
        guard let sizes = FileBytes.sizes(path) else { return nil }
        if DataFormat(path: path) == .jsonl && !path.lowercased().hasSuffix(".gz") {
            return saturatingSum(sizes.text, min(sizes.text + 1, JSONLinesReader.windowBytes(.allCores)))   // the window, as the reader sizes it
        }
        if sizes.file == sizes.text && !path.lowercased().hasSuffix(".gz") {
            return saturatingProduct(sizes.text, 2)
        }
        return saturatingSum(sizes.file, saturatingProduct(sizes.text, 3))
    }

    /// Notes on what loads but deserves a look: zero vectors (no direction
    /// under cosine), arrays NumPy printed cut short, and a repeated `_id`.
    /// - Complexity: O(documents × dimension).
    static func awkwardCases(_ d: Dataset) -> [String] {
        var notes: [String] = []
        for v in d.vectors {
            var zeros = 0
            let x = v.embeddings.values, dim = v.dimension
            for row in 0 ..< d.count where v.present[row] {
                var allZero = true
                for j in row * dim ..< (row + 1) * dim where x[j] != 0 { allZero = false; break }
                if allZero { zeros += 1 }
            }
            if zeros > 0 {
                notes.append("\(v.name): \(zeros) zero vector\(zeros == 1 ? "" : "s"); under metric=cosine a zero vector is at distance 1 from every vector")
            }
        }
        // NumPy prints at most 1,000 numbers of an array and elides the rest
        // as '...': pandas' to_csv of a column of long arrays keeps only that.
        for f in d.fields {
            guard case .string(let array)?? = f.values.first(where: { $0 != nil }), array.hasPrefix("["),
                  array.contains("..."), !array.contains("\""), !array.contains("'") else { continue }
            notes.append("\(f.name) holds NumPy's print of arrays, cut short with '...' (NumPy prints at most 1,000 numbers of one): "
                         + "the numbers left out are not in the file; write the vectors with .tolist(), or save them with np.save")
        }
        if let ids = d.field(named: "_id") {
            let (repeated, first) = repeats(ids.values)
            if let (j, i) = first, let value = ids.values[i] {
                notes.append("_id \(value.jsonText) is repeated (documents \(j + 1) and \(i + 1); \(repeated) repeats in all); the documents stay distinct")
            }
        }
        return notes
    }

    /// How many values (nil and null aside) repeat an earlier one, and the
    /// first repeat in order with the first document holding its value. On all
    /// cores: the values' hashes split them into one part per thread, each
    /// part checked with its own open-addressing table of document indices
    /// (10⁷ `_id`s take a fraction of a second, and a tenth of a `Set`'s memory).
    static func repeats(_ values: [FieldValue?], parallelism: Parallelism = .allCores) -> (Int, (Int, Int)?) {
        let n = values.count
        var hashes = [Int](repeating: 0, count: n)
        let blocks = (n + 65_535) / 65_536
        hashes.withUnsafeMutableBufferPointer { out in
            let out = UncheckedBox(out)
            parallelism.forEach(chunks: blocks) { b in
                for i in b * 65_536 ..< min(n, (b + 1) * 65_536) {
                    guard let value = values[i], value != .null else { out.value[i] = 0; continue }
                    let h = value.hashValue
                    out.value[i] = h == 0 ? 1 : h   // 0 marks no value
                }
            }
        }
        let parts = parallelism.threads
        var found = [(repeated: Int, first: (Int, Int)?)](repeating: (0, nil), count: parts)
        hashes.withUnsafeBufferPointer { hashes in
            found.withUnsafeMutableBufferPointer { found in
                let found = UncheckedBox(found)
                parallelism.forEach(chunks: parts) { p in
                    found.value[p] = repeats(values, hashes: hashes, part: p, of: parts)
                }
            }
        }
        let first = found.compactMap(\.first).min { $0.1 < $1.1 }
        return (found.reduce(0) { $0 + $1.repeated }, first)
    }

    /// `repeats` for the values whose hash falls in part `part`.
    private static func repeats(_ values: [FieldValue?], hashes: UnsafeBufferPointer<Int>, part: Int, of parts: Int)
        -> (repeated: Int, first: (Int, Int)?) {
        // the part from the hash's high bits, the slot from its low bits
        func inPart(_ h: Int) -> Bool { h != 0 && Int((UInt(bitPattern: h) >> 40) % UInt(parts)) == part }
        let count = hashes.reduce(0) { $0 + (inPart($1) ? 1 : 0) }
        var capacity = 16
        while capacity < 2 * count { capacity *= 2 }
        var table = [Int32](repeating: -1, count: capacity)   // document indices
        var repeated = 0
        var first: (Int, Int)?
        for i in hashes.indices where inPart(hashes[i]) {
            let h = hashes[i]
            var slot = h & (capacity - 1)
            while true {
                let j = Int(table[slot])
                if j < 0 { table[slot] = Int32(i); break }
                if hashes[j] == h && values[j] == values[i] {
                    repeated += 1
                    if first == nil { first = (j, i) }
                    break
                }
                slot = (slot + 1) & (capacity - 1)
            }
        }
        return (repeated, first)
    }

    private static func read(
        path: String, options: LoadOptions, cancellation: Cancellation?,
        progress: ((_ bytesDone: Int, _ bytesTotal: Int) -> Void)?
    ) throws -> Dataset {
        guard let format = options.format ?? DataFormat(path: path) else {
            if path == StandardInput.path {
                throw DataError(path: StandardInput.displayName, message: "standard input has no name to tell its format by; give format= (\(DataFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            _ = try FileBytes.checkReadable(path)   // a missing file or a folder says so first
            throw DataError.unknownFormat(path)
        }
        if options.labelsPath != nil && format != .npy && format != .npz && format.delimiter == nil {
            throw DataError(path: path, message: "labels= goes with a .npy or .npz file, or a CSV or TSV of vectors only; other formats carry their fields")
        }
        if format == .parquet {
            return try ParquetReader.load(path: path, options: options, cancellation: cancellation, progress: progress)
        }
        if format == .arrow {
            return try ArrowReader.load(path: path, options: options, cancellation: cancellation, progress: progress)
        }
        if format == .npz {
            return try NPZReader.load(path: path, options: options, cancellation: cancellation, progress: progress)
        }
        // a float32 C-order .npy is mapped, not read
        if format == .npy, let dataset = try NPYReader.loadMapped(path: path, options: options) { return dataset }
        if format == .jsonl, let dataset = try streamLines(path: path, options: options, cancellation: cancellation, progress: progress) {
            return dataset
        }
        do {
            let bytes = try FileBytes.read(path, cancellation: cancellation)
            let shownPath = path == StandardInput.path ? StandardInput.displayName : path
            return try parse(bytes, format: format, path: shownPath, options: options, cancellation: cancellation, progress: progress)
        } catch let error as DataError where error.path == StandardInput.path {
            throw DataError(path: StandardInput.displayName, line: error.line, column: error.column, message: error.message)
        }
    }

    /// The dataset in `bytes`, read as the file at `path` in `format` (the
    /// bytes already decompressed): no file is touched, except a `.npy`'s
    /// labels file. The fuzz targets in `Fuzz/` drive this.
    static func parse(
        _ bytes: [UInt8], format: DataFormat, path: String, options: LoadOptions,
        cancellation: Cancellation? = nil, progress: ((_ bytesDone: Int, _ bytesTotal: Int) -> Void)? = nil
    ) throws -> Dataset {
        if format == .npy {
            return try NPYReader.load(bytes, path: path, options: options)
        }
        if format == .npz {
            return try bytes.withUnsafeBytes {
                try NPZReader.load($0, path: path, options: options, map: nil, cancellation: cancellation, progress: progress)
            }
        }
        if format == .parquet {
            return try bytes.withUnsafeBytes { raw in
                try ParquetReader.read([(path, raw)], name: options.name ?? baseName(path), shownPath: path, options: options,
                                       limits: .standard, cancellation: cancellation, progress: progress)
            }
        }
        if format == .arrow {
            // copied to memory of its own: the record batches' buffers are read in place, 8-byte aligned as Arrow lays them out
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 64)
            defer { copy.deallocate() }
            bytes.withUnsafeBytes { copy.copyMemory(from: $0) }
            return try ArrowReader.read([(path, UnsafeRawBufferPointer(copy))], name: options.name ?? baseName(path), shownPath: path,
                                        options: options, limits: .standard, cancellation: cancellation, progress: progress)
        }
        return try bytes.withUnsafeBufferPointer { text in
            var reader = DocumentReader()
            var start = 0
            // A UTF-8 byte order mark says nothing to JSON or CSV.
            if text.count >= 3 && text[0] == 0xEF && text[1] == 0xBB && text[2] == 0xBF { start = 3 }
            if let delimiter = format.delimiter {
                var notes: [String] = []
                let vectorName = try CSVReader(path: path, text: text, delimiter: delimiter, cancellation: cancellation, progress: progress)
                    .read(into: &reader.builder, start: start, vectorSpec: options.vectorField, notes: &notes)
                progress?(text.count, text.count)
                var dataset = try reader.builder.dataset(
                    name: options.name ?? baseName(path), path: path,
                    vectorField: vectorName ?? options.vectorField, text: text, strict: options.strict
                )
                dataset.notes = notes + dataset.notes
                if let labelsPath = options.labelsPath {
                    guard dataset.fields.isEmpty && dataset.clusterings.isEmpty else {
                        let fields = dataset.fields.map(\.name) + dataset.clusterings.map { "_cluster_.\($0.vectorField).\($0.alias)" }
                        throw DataError(path: path, message: "labels= goes with a file of vectors only; this one has fields of its own (\(fields.prefix(5).joined(separator: ", ")))")
                    }
                    try addLabels(labelsPath, to: &dataset)
                }
                return dataset
            }
            // An empty (or blank) file has no documents, whatever its format.
            if firstByte(text, from: start) == nil { throw DataError.noDocuments(path) }
            var layoutNote: String? = nil
            do {
                if format == .json, firstByte(text, from: start) == UInt8(ascii: "{"), let layout = PandasJSON.layout(text, from: start) {
                    try PandasJSON.read(layout, text, from: start, into: &reader)
                    layoutNote = "read as pandas' DataFrame.to_json() layout orient=\"\(layout.rawValue)\": one document per row"
                } else if format == .jsonl || (options.format == nil && firstByte(text, from: start) == UInt8(ascii: "{")) {
                    var lines = JSONLinesReader(path: path, cancellation: cancellation)
                    lines.expectedBytes = text.count
                    try readLines(text, from: start, into: &lines, progress: progress)
                    reader.builder = lines.builder
                } else {
                    try readArray(text, from: start, into: &reader, cancellation: cancellation, progress: progress)
                }
            } catch let error as ScanError {
                throw DataError.at(path, offset: error.offset, in: text, error.message)
            }
            guard reader.builder.count > 0 else { throw DataError.noDocuments(path) }
            progress?(text.count, text.count)
            var dataset = try reader.builder.dataset(
                name: options.name ?? baseName(path), path: path,
                vectorField: options.vectorField, text: text, strict: options.strict
            )
            if let layoutNote { dataset.notes.insert(layoutNote, at: 0) }
            return dataset
        }
    }

    /// The fields and aliases of the labels file at `labelsPath`, joined row
    /// by row to `dataset`, a file of vectors only (`.npy`, or a CSV or TSV
    /// whose columns are the vector: TensorBoard's vectors.tsv with its
    /// metadata.tsv) or an `.npz` (its arrays' fields come first); its notes come first.
    static func addLabels(_ labelsPath: String, to dataset: inout Dataset) throws {
        var labels = try loadLabels(path: labelsPath)
        // TensorBoard writes a one-column metadata.tsv without a header: one
        // row short, its first line is the first label, not a name.
        if DataFormat(path: labelsPath) == .tsv && labels.count + 1 == dataset.count && labels.fields.count == 1
            && labels.clusterings.isEmpty {
            labels = try loadLabels(path: labelsPath, noHeader: true)
            labels.notes.insert("\(labelsPath) has one column and one row fewer than \(dataset.path): it has no header row, and its column is named 'label'", at: 0)
        }
        guard labels.count == dataset.count else {
            throw DataError(path: labelsPath, message: "\(labels.count) rows of labels for the \(dataset.count) rows of \(dataset.path); they are joined row by row")
        }
        if let clash = labels.fields.first(where: { f in dataset.vectors.contains { $0.name == f.name } }) {
            throw DataError(path: labelsPath, message: "column '\(clash.name)' has the vector field's name")
        }
        if let clash = labels.fields.first(where: { dataset.field(named: $0.name) != nil }) {
            throw DataError(path: labelsPath, message: "column '\(clash.name)' is also an array of \(dataset.path)")
        }
        dataset.fields += labels.fields
        dataset.clusterings += labels.clusterings
        dataset.notes = labels.notes + labels.vectors.map {
            "\(labelsPath): column '\($0.name)' holds vectors; a labels file gives fields and aliases, so it was left out"
        } + dataset.notes
    }

    /// A labels file: a CSV (a TSV when so named) whose columns are all
    /// fields (no vector).
    static func loadLabels(path: String, delimiter given: UInt8? = nil, noHeader: Bool = false) throws -> Dataset {
        let bytes = try FileBytes.read(path)
        return try bytes.withUnsafeBufferPointer { text in
            var builder = DatasetBuilder()
            var notes: [String] = []
            let start = text.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            let delimiter = given ?? DataFormat(path: path)?.delimiter ?? UInt8(ascii: ",")
            _ = try CSVReader(path: path, text: text, delimiter: delimiter, noHeader: noHeader)
                .read(into: &builder, start: start, vectorSpec: nil, notes: &notes, pickVectors: false)
            var dataset = try builder.dataset(name: baseName(path), path: path, vectorField: nil, text: text)
            dataset.notes = notes + dataset.notes
            return dataset
        }
    }

    /// Documents between cancellation checks and progress reports.
    private static let checkInterval = 4096

    /// JSON Lines in memory (or mapped): each non-blank line one document,
    /// read in windows (whole lines) on all cores; `parsed` hears each
    /// window's range once it is read.
    private static func readLines(
        _ text: UnsafeBufferPointer<UInt8>, from start: Int, into reader: inout JSONLinesReader,
        windowBytes: Int? = nil, progress: ((Int, Int) -> Void)?, parsed: ((Range<Int>) -> Void)? = nil
    ) throws {
        let window = windowBytes ?? JSONLinesReader.windowBytes(reader.parallelism)
        var windowStart = start
        progress?(0, text.count)
        while windowStart < text.count {
            var end = text.count
            if windowStart + window < text.count, let newline = JSONLinesReader.lineEnd(text, from: windowStart + window) {
                end = newline + 1
            }
            try reader.read(UnsafeBufferPointer(rebasing: text[windowStart ..< end]), base: windowStart)
            progress?(end, text.count)
            parsed?(windowStart ..< end)
            windowStart = end
        }
    }

    /// A JSON Lines file (not `.gz`, not a pipe) mapped (or, where it does
    /// not map, read) in windows of whole lines, parsed on all cores as they
    /// come: memory holds the columns and one window, never the whole text;
    /// an error or note that quotes the text reads the file again. Nil when `path` is no regular file (the
    /// caller reads it whole).
    static func streamLines(
        path: String, options: LoadOptions, cancellation: Cancellation?, progress: ((Int, Int) -> Void)?,
        windowBytes: Int = JSONLinesReader.windowBytes(.allCores), chunkBytes: Int = JSONLinesReader.defaultChunkBytes,
        mapped: Bool = true
    ) throws -> Dataset? {
        // stat before open: opening a FIFO would wait for its writer
        var info = stat()
        guard path != StandardInput.path, !path.lowercased().hasSuffix(".gz"), stat(path, &info) == 0,
              (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let total = Int(info.st_size)
        var reader = JSONLinesReader(path: path, cancellation: cancellation, chunkBytes: chunkBytes)
        reader.expectedBytes = total
        if mapped, let map = try FileMap(path: path) {
            try readMapped(map, windowBytes: windowBytes, into: &reader, progress: progress)
            guard reader.builder.count > 0 else { throw DataError.noDocuments(path) }
            return try reader.builder.dataset(name: options.name ?? baseName(path), path: path,
                                              vectorField: options.vectorField, source: .file(path), strict: options.strict)
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: min(windowBytes, total + 1))
        var filled = 0, base = 0   // bytes in the buffer; the file offset of its first
        var atEnd = false
        progress?(0, total)
        while !atEnd || filled > 0 {
            while filled < buffer.count && !atEnd {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
                if n < 0 && errno == EINTR { try cancellation?.check(); continue }
                guard n >= 0 else { throw DataError.cannotRead(path, reason: String(cString: strerror(errno))) }
                if n == 0 { atEnd = true }
                filled += n
            }
            // A UTF-8 byte order mark says nothing to JSON.
            let skip = base == 0 && buffer.starts(with: [0xEF, 0xBB, 0xBF]) && filled >= 3 ? 3 : 0
            var end = filled
            if !atEnd {
                guard let newline = buffer[skip ..< filled].lastIndex(of: 0x0A) else {
                    buffer.append(contentsOf: repeatElement(0, count: buffer.count))   // a line longer than the window
                    continue
                }
                end = newline + 1
            }
            try buffer.withUnsafeBufferPointer { try reader.read(UnsafeBufferPointer(rebasing: $0[skip ..< end]), base: base + skip) }
            progress?(base + end, max(total, base + end))
            buffer.withUnsafeMutableBytes { _ = memmove($0.baseAddress!, $0.baseAddress! + end, filled - end) }
            base += end
            filled -= end
            if atEnd { break }
        }
        guard reader.builder.count > 0 else { throw DataError.noDocuments(path) }
        return try reader.builder.dataset(name: options.name ?? baseName(path), path: path,
                                          vectorField: options.vectorField, source: .file(path), strict: options.strict)
    }

    /// A mapped JSON Lines file, parsed window by window on all cores straight
    /// from the page cache: no read into a buffer (a serial copy that kept
    /// the cores waiting, a tenth of the load), and each parsed window's pages
    /// leave the resident set at once, so memory holds the columns and about
    /// one window. (A file truncated while it loads would end the process, as
    /// a mapped .npy would; a file still being appended to loads as it was.)
    private static func readMapped(_ map: FileMap, windowBytes: Int, into reader: inout JSONLinesReader,
                                   progress: ((Int, Int) -> Void)?) throws {
        let total = map.length
        let text = UnsafeBufferPointer(start: map.base.assumingMemoryBound(to: UInt8.self), count: total)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        _ = madvise(UnsafeMutableRawPointer(mutating: map.base), total, MADV_SEQUENTIAL)
        // A UTF-8 byte order mark says nothing to JSON.
        let start = total >= 3 && text[0] == 0xEF && text[1] == 0xBB && text[2] == 0xBF ? 3 : 0
        try readLines(text, from: start, into: &reader, windowBytes: windowBytes, progress: progress) { window in
            // the whole pages before the window's end are parsed: out of the resident set
            let from = window.lowerBound / page * page, to = window.upperBound / page * page
            if to > from { _ = madvise(UnsafeMutableRawPointer(mutating: map.base + from), to - from, MADV_DONTNEED) }
        }
    }

    /// A JSON array of documents.
    private static func readArray(
        _ text: UnsafeBufferPointer<UInt8>, from start: Int, into reader: inout DocumentReader,
        cancellation: Cancellation?, progress: ((Int, Int) -> Void)?
    ) throws {
        var s = JSONScanner(text: text, start: start, end: text.count, regionName: "file")
        s.skipWhitespace()
        try s.consume(UInt8(ascii: "["), else: "'[' opening an array of documents")
        s.skipWhitespace()
        if s.byte == UInt8(ascii: "]") {
            s.position += 1
        } else {
            while true {
                try reader.readDocument(&s)
                if reader.builder.count % checkInterval == 0 {
                    try cancellation?.check()
                    progress?(s.position, text.count)
                }
                s.skipWhitespace()
                if try s.endOfMember(close: UInt8(ascii: "]"), what: "',' or ']' after a document") { break }
            }
        }
        s.skipWhitespace()
        guard s.atEnd else { throw s.expected("the end of the file after the array of documents") }
    }

    private static func firstByte(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt8? {
        var s = JSONScanner(text: text, start: start, end: text.count, regionName: "file")
        s.skipWhitespace()
        return s.atEnd ? nil : s.byte
    }

    /// `data/products.jsonl` → `products` (and `products.jsonl.gz` too).
    static func baseName(_ path: String) -> String {
        if path == StandardInput.path || path == StandardInput.displayName { return "stdin" }
        var file = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
        if file.lowercased().hasSuffix(".gz") && file.count > 3 { file.removeLast(3) }
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }

    /// `data/products.jsonl` → `jsonl`; empty when there is none.
    static func pathExtension(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return "" }
        return String(file[file.index(after: dot)...])
    }
}
