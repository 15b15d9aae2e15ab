import FuzzDriver
@testable import ClusData

/// libFuzzer entry: the bytes as an Arrow IPC file or stream: its magic,
/// messages, schema, batches and buffers. Errors are fine; only a crash, a hang or
/// running out of memory is a finding (the limits keep a lying header from
/// asking for gigabytes).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    _ = try? ArrowReader.read([("fuzz.arrow", bytes)], name: "fuzz", shownPath: "fuzz.arrow", options: LoadOptions(),
                               limits: ArrowLimits(bufferBytes: 1 << 24, batchRows: 1 << 22, vectorCells: 1 << 24))
    return 0
}

/// libFuzzer's `main`, under the name SwiftPM links (see FuzzDriver).
@_cdecl("FuzzArrow_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
