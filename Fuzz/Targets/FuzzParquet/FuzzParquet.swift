import FuzzDriver
@testable import ClusData

/// libFuzzer entry: the bytes as a Parquet file: its footer, schema, page
/// headers, levels and values. Errors are fine; only a crash, a hang or
/// running out of memory is a finding (the limits keep a lying header from
/// asking for gigabytes).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    _ = try? ParquetReader.read([("fuzz.parquet", bytes)], name: "fuzz", shownPath: "fuzz.parquet", options: LoadOptions(),
                                limits: ParquetLimits(pageBytes: 1 << 24, pageValues: 1 << 22, vectorCells: 1 << 24))
    return 0
}

/// libFuzzer's `main`, under the name SwiftPM links (see FuzzDriver).
@_cdecl("FuzzParquet_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
