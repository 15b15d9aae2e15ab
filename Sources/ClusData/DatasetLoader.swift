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
    /// A NumPy `.npy` array of shape (documents, dimension).
    case npy

    /// The format a file name implies (a `.gz` ending aside): `.jsonl`/`.ndjson`
    /// → jsonl, `.json` → json, `.csv` → csv, `.npy` → npy.
    public init?(path: String) {
        var path = path
        if DatasetLoader.pathExtension(path).lowercased() == "gz" { path.removeLast(3) }
        switch DatasetLoader.pathExtension(path).lowercased() {
        case "jsonl", "ndjson": self = .jsonl
        case "json": self = .json
        case "csv": self = .csv
        case "npy": self = .npy
        default: return nil
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
    /// then reports why). The file's bytes stay in memory while they are
    /// parsed and the columns grow beside them: the vectors take at most about
    /// the text's size (a Float32 is 4 bytes, a number in text with its comma
    /// at least 4), so a text file needs about twice its size (measured: 200 MB
    /// for a 112 MB file of 512-d vectors). A `.gz` file adds its compressed
    /// bytes and the decompression buffer's slack (up to twice the text); its
    /// text size comes from the gzip trailer, which names only the last member.
    /// - Complexity: O(1) (a `stat` and a 4-byte read).
    public static func memoryEstimate(path: String) -> Int? {
        if let mapped = NPYReader.mappedMemoryEstimate(path: path) { return mapped }   // i16-scale: a mapped .npy
        guard let sizes = FileBytes.sizes(path) else { return nil }
        if sizes.file == sizes.text && !path.lowercased().hasSuffix(".gz") {
            return saturatingProduct(sizes.text, 2)
        }
        return saturatingSum(sizes.file, saturatingProduct(sizes.text, 3))
    }

    /// Notes on what loads but deserves a look: zero vectors (no direction
    /// under cosine) and a repeated `_id`.
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
        if let ids = d.field(named: "_id") {
            var seen: [FieldValue: Int] = [:]
            var repeated = 0
            var first: (FieldValue, Int, Int)?
            for (i, value) in ids.values.enumerated() {
                guard let value, value != .null else { continue }
                if let j = seen[value] {
                    repeated += 1
                    if first == nil { first = (value, j, i) }
                } else {
                    seen[value] = i
                }
            }
            if let (value, j, i) = first {
                notes.append("_id \(value.jsonText) is repeated (documents \(j + 1) and \(i + 1); \(repeated) repeats in all); the documents stay distinct")
            }
        }
        return notes
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
        if options.labelsPath != nil && format != .npy {
            throw DataError(path: path, message: "labels= goes with a .npy file; other formats carry their fields")
        }
        // i16-scale: a float32 C-order .npy is mapped, not read
        if format == .npy, let dataset = try NPYReader.loadMapped(path: path, options: options) { return dataset }
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
        return try bytes.withUnsafeBufferPointer { text in
            var reader = DocumentReader()
            var start = 0
            // A UTF-8 byte order mark says nothing to JSON or CSV.
            if text.count >= 3 && text[0] == 0xEF && text[1] == 0xBB && text[2] == 0xBF { start = 3 }
            if format == .csv {
                var notes: [String] = []
                let vectorName = try CSVReader(path: path, text: text, cancellation: cancellation, progress: progress)
                    .read(into: &reader.builder, start: start, vectorSpec: options.vectorField, notes: &notes)
                progress?(text.count, text.count)
                var dataset = try reader.builder.dataset(
                    name: options.name ?? baseName(path), path: path,
                    vectorField: vectorName ?? options.vectorField, text: text, strict: options.strict
                )
                dataset.notes = notes + dataset.notes
                return dataset
            }
            // An empty (or blank) file has no documents, whatever its format.
            if firstByte(text, from: start) == nil { throw DataError.noDocuments(path) }
            do {
                if format == .jsonl || (options.format == nil && firstByte(text, from: start) == UInt8(ascii: "{")) {
                    try readLines(text, from: start, into: &reader, cancellation: cancellation, progress: progress)
                } else {
                    try readArray(text, from: start, into: &reader, cancellation: cancellation, progress: progress)
                }
            } catch let error as ScanError {
                throw DataError.at(path, offset: error.offset, in: text, error.message)
            }
            guard reader.builder.count > 0 else { throw DataError.noDocuments(path) }
            progress?(text.count, text.count)
            return try reader.builder.dataset(
                name: options.name ?? baseName(path), path: path,
                vectorField: options.vectorField, text: text, strict: options.strict
            )
        }
    }

    /// A labels file for `.npy`: a CSV whose columns are all fields (no vector).
    static func loadLabels(path: String) throws -> Dataset {
        let bytes = try FileBytes.read(path)
        return try bytes.withUnsafeBufferPointer { text in
            var builder = DatasetBuilder()
            var notes: [String] = []
            let start = text.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            _ = try CSVReader(path: path, text: text).read(into: &builder, start: start, vectorSpec: nil, notes: &notes, pickVectors: false)
            var dataset = try builder.dataset(name: baseName(path), path: path, vectorField: nil, text: text)
            dataset.notes = notes + dataset.notes
            return dataset
        }
    }

    /// Documents between cancellation checks and progress reports.
    private static let checkInterval = 4096

    /// JSON Lines: each non-blank line one document.
    private static func readLines(
        _ text: UnsafeBufferPointer<UInt8>, from start: Int, into reader: inout DocumentReader,
        cancellation: Cancellation?, progress: ((Int, Int) -> Void)?
    ) throws {
        var lineStart = start
        var lines = 0
        while lineStart < text.count {
            let lineEnd = memchr(text.baseAddress! + lineStart, 0x0A, text.count - lineStart)
                .map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - text.baseAddress! } ?? text.count
            var s = JSONScanner(text: text, start: lineStart, end: lineEnd, regionName: "line")
            s.skipWhitespace()
            if !s.atEnd {
                try reader.readDocument(&s)
                s.skipWhitespace()
                guard s.atEnd else { throw s.expected("the end of the line after the document") }
            }
            lines += 1
            if lines % checkInterval == 0 {
                try cancellation?.check()
                progress?(lineEnd, text.count)
            }
            lineStart = lineEnd + 1
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
