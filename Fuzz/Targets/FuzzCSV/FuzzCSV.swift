import FuzzDriver
@testable import ClusData

/// `vector=` options, one picked by the input's length, so that choosing
/// vector columns by glob, range or name is fuzzed too.
private let vectorSpecs: [String?] = [nil, nil, "f*", "f0..f3", "f1..2", "features", "?"]

/// libFuzzer entry: the bytes as a `.csv` file, read as `load` reads it.
/// Errors are fine; only a crash or a hang is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let options = LoadOptions(vectorField: vectorSpecs[size % vectorSpecs.count])
    if let dataset = try? DatasetLoader.parse(bytes, format: .csv, path: "fuzz.csv", options: options) {
        _ = DatasetLoader.awkwardCases(dataset)
    }
    return 0
}

/// libFuzzer's `main`, under the name SwiftPM links (see FuzzDriver).
@_cdecl("FuzzCSV_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
