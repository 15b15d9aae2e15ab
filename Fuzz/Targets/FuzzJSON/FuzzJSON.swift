import FuzzDriver
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

/// libFuzzer's `main`, under the name SwiftPM links (see FuzzDriver).
@_cdecl("FuzzJSON_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
