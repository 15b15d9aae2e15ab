import FuzzDriver
@testable import ClusData

/// libFuzzer entry: the bytes as a `.npy` file: its header, then (when the
/// header holds) its data; bytes starting "PK" as an `.npz` archive (its ZIP
/// directory, inflating, then each member as a `.npy`). Errors are fine;
/// only a crash or a hang is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let archive = bytes.starts(with: [0x50, 0x4B])
    _ = try? DatasetLoader.parse(bytes, format: archive ? .npz : .npy, path: archive ? "fuzz.npz" : "fuzz.npy",
                                 options: LoadOptions())
    return 0
}

/// libFuzzer's `main`, under the name SwiftPM links (see FuzzDriver).
@_cdecl("FuzzNPY_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
