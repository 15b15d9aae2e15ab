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

/// SwiftPM links an executable's `main` to `FuzzParser_main` (so that tests could
/// link the module), which keeps libFuzzer's own `main` out: start its driver here.
@_cdecl("FuzzParser_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc, argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzz)
}

/// libFuzzer's driver (compiler-rt `FuzzerDriver.cpp`), declared without a C header.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt
