@testable import ClusData

/// libFuzzer entry: the bytes as a `.json` file, read as `load` reads it
/// (JSON Lines when it starts with `{`, else an array of documents).
/// Inputs of odd length also ask for `vector=v`. Errors are fine; only a
/// crash or a hang is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let options = LoadOptions(vectorField: size % 2 == 1 ? "v" : nil)
    if let dataset = try? DatasetLoader.parse(bytes, format: .json, path: "fuzz.json", options: options) {
        _ = DatasetLoader.awkwardCases(dataset)
    }
    return 0
}

/// SwiftPM links an executable's `main` to `FuzzJSON_main` (so that tests could
/// link the module), which keeps libFuzzer's own `main` out: start its driver here.
@_cdecl("FuzzJSON_main")
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
