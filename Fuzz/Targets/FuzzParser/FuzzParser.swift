import FuzzDriver
import ClusLang

/// libFuzzer entry: the bytes as a script, through the lexer and the parser,
/// and a syntax error rendered as the shell prints it (line, column, caret).
/// Diagnostics and `.incomplete` are fine; only a crash or a hang is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let source = SourceFile(name: "<fuzz>", text: text)
    do throws(ParseFailure) {
        _ = try Parser.parse(source)
    } catch {
        if case .error(let diagnostic) = error { _ = LocatedDiagnostic(diagnostic, in: source).rendered() }
    }
    return 0
}

/// libFuzzer's `main`, under the name SwiftPM links (see FuzzDriver).
@_cdecl("FuzzParser_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
