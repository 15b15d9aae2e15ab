import Testing
@testable import ClusLang

/// `memory_limit=` sizes in and refusal sizes out.
@Suite struct ByteSizeTests {
    @Test(arguments: [
        ("4GiB", 4 << 30), ("512MiB", 512 << 20), ("800MB", 800_000_000), ("1.5GiB", 3 << 29),
        ("1048576", 1 << 20), ("2kib", 2048), ("1TB", 1_000_000_000_000), ("64KB", 64_000),
    ])
    func parses(_ text: String, _ bytes: Int) {
        #expect(ByteSize.parse(text) == bytes)
    }

    @Test(arguments: ["", "GiB", "4 GiB", "-1GiB", "0", "4XB", "1e3MB", "0.1B", "99999999999TiB"])
    func rejects(_ text: String) {
        #expect(ByteSize.parse(text) == nil)
    }

    @Test func formats() {
        #expect(ByteSize.format(512) == "512 bytes")
        #expect(ByteSize.format(1 << 20) == "1 MiB")
        #expect(ByteSize.format(3 << 29) == "1.5 GiB")
        #expect(ByteSize.format(160_000_000_000) == "149 GiB")
        #expect(ByteSize.format(12_345_678) == "11.8 MiB")
        #expect(ByteSize.format(.max) == "more than 8 EiB")
    }

    @Test func aSizeIsOneWordForTheLexer() throws {
        var lexer = Lexer(SourceFile(name: "t", text: "set memory_limit=4GiB"))
        let kinds = try lexer.tokenize().map(\.kind)
        #expect(kinds.contains(.word("4GiB")))
        var bad = Lexer(SourceFile(name: "t", text: "cluster k=10k"))
        #expect(throws: ParseFailure.self) { try bad.tokenize() }
    }

    @Test func theDefaultLimitIsHalfThePhysicalMemory() {
        let limit = Settings.defaultMemoryLimit()
        #expect(limit >= 64 << 20)
        #expect(Settings().memoryLimit == limit)
    }
}
