import Foundation
import Testing

/// `--format csv` is for pipelines: every command's output is read back with a
/// strict RFC 4180 reader, block by block (blocks are separated by one blank
/// line), and must be one header row of names and rows of the same width whose
/// numbers are plain — no thousands separators, `%`, units, marks or padding.
@Suite struct CSVOutputTests {
    /// One run of every command of the language.
    static func script(in dir: String) -> String {
        """
        load "Tests/Golden/data/iris.jsonl"
        datasets
        schema
        head n=3
        cluster k=3 alias=a seed=1
        cluster k=4 alias=b
        aliases
        distribution
        distribution truth=species
        distribution truth=species by=truth
        metrics truth=species
        metrics sample=60 seed=2
        silhouette
        silhouette by=sample n=3
        silhouette sample=60
        compare a b
        sweep k=2..4 truth=species
        plot sweep into "\(dir)/sweep.svg"
        report truth=species into "\(dir)/report.html"
        explain ari
        explain silhouette
        export "\(dir)/out.csv"
        join "Tests/Golden/data/join_iris.csv"
        filter species in [setosa, "versicolor"] and not a == "cluster_0" as part
        sample n=20 by=species seed=3
        datasets
        use iris
        load "Tests/Golden/data/iris.csv" as second
        use iris
        drop second
        set top=2 memory_limit=1GiB
        show settings
        timer off
        run "Tests/Golden/data/included.clus"
        echo "a, \\"quoted\\" word"
        help
        help metrics
        """
    }

    @Test func everyCommandPrintsStrictCSV() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("clus-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try ClusProcess.run(["--format", "csv", "--threads", "2"], stdin: CSVOutputTests.script(in: dir.path))
        #expect(out.status == 0, "\(out.stderr)")
        let records = try StrictCSV.parse(out.stdout)
        let blocks = StrictCSV.blocks(records)
        #expect(blocks.count >= 30, "one block or more per command, got \(blocks.count)")
        for (index, block) in blocks.enumerated() {
            let problems = CSVOutputTests.problems(block)
            #expect(problems.isEmpty, "block \(index + 1) (\(block.first?.joined(separator: ",") ?? "")): \(problems)")
        }
    }

    /// What is wrong with a block: a header of names, then rows as wide as
    /// it, whose number-like cells are plain numbers.
    static func problems(_ block: [[String]]) -> [String] {
        guard let header = block.first else { return ["an empty block"] }
        var problems: [String] = []
        if Set(header).count != header.count { problems.append("repeated column names") }
        // fixed columns are snake_case keys; others are names from the data (cluster names, a truth field)
        for name in header where name.isEmpty || name != name.trimmingCharacters(in: .whitespaces)
            || name.contains(where: { "\\%*\" ".contains($0) }) {
            problems.append("column name '\(name)' is not a plain name")
        }
        for row in block.dropFirst() {
            if row.count != header.count { problems.append("a row of \(row.count) fields under \(header.count) columns: \(row)") }
            for (column, cell) in zip(header, row) {
                if cell != cell.trimmingCharacters(in: .whitespaces) { problems.append("'\(cell)' in \(column) is padded") }
                if looksNumeric(cell) || numericColumns.contains(column) && !cell.isEmpty, Double(cell) == nil {
                    problems.append("'\(cell)' in \(column) is not a plain number")
                }
            }
        }
        return problems
    }

    /// Columns that hold numbers whatever their first cell looks like.
    static let numericColumns: Set<String> = [
        "size", "count", "fraction", "purity", "inverse_purity", "truth_fraction", "cluster_fraction", "documents", "missing",
        "distinct", "k", "n", "iterations", "inertia", "time", "seconds", "mean", "min", "max", "negative", "sampled",
        "silhouette", "calinski_harabasz", "davies_bouldin", "ari", "nmi", "document",
    ]

    /// A cell that starts like a number must be one: `4,708`, `0.0%`, `0.04 s` and `0.1885 *` fail here.
    static func looksNumeric(_ cell: String) -> Bool {
        cell.range(of: #"^[-+]?\.?[0-9]"#, options: .regularExpression) != nil
    }

    @Test func theCheckCatchesTableFormatting() throws {
        for bad in [["k,inertia", "20,\"9,576.78\""], ["k,share", "2,0.0%"], ["k,time", "2,0.04 s"], ["k,silhouette", "2,0.1885 *"],
                    ["k,", "2,3"], ["k,ari", "2,0.8814  "]] {
            let block = try StrictCSV.parse(bad.joined(separator: "\n") + "\n")
            #expect(!CSVOutputTests.problems(block).isEmpty, "\(bad) passed the check")
        }
    }

    @Test func theReaderIsStrict() {
        #expect(throws: StrictCSV.Malformed.self) { try StrictCSV.parse("a,b\n1,\"2\n") }
        #expect(throws: StrictCSV.Malformed.self) { try StrictCSV.parse("a,b\n1,x\"y\n") }
        #expect(throws: StrictCSV.Malformed.self) { try StrictCSV.parse("a,b\n1,\"2\"x\n") }
        #expect((try? StrictCSV.parse("a,b\n\"1,5\",\"say \"\"hi\"\"\"\n")) == [["a", "b"], ["1,5", "say \"hi\""]])
    }
}

/// RFC 4180, strictly: quotes only around whole fields, `""` inside them, every record ended by a newline.
enum StrictCSV {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var chars = Array(text)[...]
        var line = 1
        while let c = chars.popFirst() {
            switch c {
            case "\"":
                guard field.isEmpty else { throw Malformed(description: "line \(line): a quote inside an unquoted field") }
                while true {
                    guard let q = chars.popFirst() else { throw Malformed(description: "line \(line): an unterminated quoted field") }
                    if q == "\"" {
                        if chars.first == "\"" { chars.removeFirst(); field.append("\"") } else { break }
                    } else {
                        if q == "\n" { line += 1 }
                        field.append(q)
                    }
                }
                guard chars.first == "," || chars.first == "\n" || chars.first == "\r" else {
                    throw Malformed(description: "line \(line): text after a closing quote")
                }
                field = field.isEmpty ? "\u{0}" : field  // an empty quoted field is still a field
            case ",":
                record.append(field == "\u{0}" ? "" : field)
                field = ""
            case "\r":
                guard chars.first == "\n" else { throw Malformed(description: "line \(line): a lone carriage return") }
            case "\n":
                record.append(field == "\u{0}" ? "" : field)
                records.append(record)
                record = []
                field = ""
                line += 1
            default:
                field.append(c)
            }
        }
        guard record.isEmpty, field.isEmpty else { throw Malformed(description: "line \(line): the last record has no newline") }
        return records
    }

    /// Records split at blank lines (a record of one empty field).
    static func blocks(_ records: [[String]]) -> [[[String]]] {
        var blocks: [[[String]]] = [[]]
        for record in records {
            if record == [""] { blocks.append([]) } else { blocks[blocks.count - 1].append(record) }
        }
        return blocks.filter { !$0.isEmpty }
    }
}
