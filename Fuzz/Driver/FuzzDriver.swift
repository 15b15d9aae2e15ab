/// The fuzz targets' shared start: SwiftPM links an executable's `main` to
/// `<Target>_main` (so that tests could link the module), which keeps
/// libFuzzer's own `main` out; each target's `<Target>_main` hands its
/// arguments and its `LLVMFuzzerTestOneInput` to libFuzzer's driver here.
public func runFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ testOneInput: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt {
    var argc = argc, argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, testOneInput)
}

/// libFuzzer's driver (compiler-rt `FuzzerDriver.cpp`), declared without a C header.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt
