@testable import ClusData

/// libFuzzer entry: the bytes as a `.npy` file: its header, then (when the
/// header holds) its data. Errors are fine; only a crash or a hang is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? DatasetLoader.parse(bytes, format: .npy, path: "fuzz.npy", options: LoadOptions())
    return 0
}

/// SwiftPM links an executable's `main` to `FuzzNPY_main` (so that tests could
/// link the module), which keeps libFuzzer's own `main` out: start its driver here.
@_cdecl("FuzzNPY_main")
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
