// swift-tools-version: 6.0
import PackageDescription

// Release builds use the build machine's vector units: SIMD16<Float> arithmetic
// was measured ~75x faster with AVX-512 (-target-cpu native) than with the
// default x86-64 target. CLUS_TARGET_CPU (an LLVM CPU name such as znver3 or
// x86-64-v3) builds for another CPU instead: a binary for other machines, or
// Scripts/bench/methods.py --target-cpu timing a CPU without AVX-512 here.
let targetCPU = Context.environment["CLUS_TARGET_CPU"] ?? "native"
let optimised: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-target-cpu", targetCPU], .when(configuration: .release)),
]

let package = Package(
    name: "clus",
    products: [
        .executable(name: "clus", targets: ["clus"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // OpenBLAS is opened at run time (dlopen), with the core that suits the CPU: see CBLASLoader.h.
        .target(name: "CBLASLoader", linkerSettings: [.linkedLibrary("dl")]),
        // clus's own GEMM micro-kernel, its register block chosen for the build machine's vector units.
        // -mprefer-vector-width=512: clang's tuning for Intel's AVX-512 server cores (Sapphire Rapids)
        // prefers 256-bit vectors and split the kernels' 16-float vectors into ymm pairs that spilled,
        // half speed there (39 against 158 GFLOP/s per core); Swift's own code keeps zmm without it.
        .target(name: "CGramKernel", cSettings: [.unsafeFlags(["-O3", "-march=\(targetCPU)", "-mprefer-vector-width=512", "-ffp-contract=fast"])]),
        .target(name: "ClusCore", dependencies: ["CBLASLoader", "CGramKernel"], swiftSettings: optimised),
        .target(name: "ClusData", dependencies: ["ClusCore", "CZlib", "CSnappy", "CZstd", "CLZ4", "CSQLite", "CLibPQ"], swiftSettings: optimised),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Parquet's two common codecs besides gzip (zlib above).
        .systemLibrary(name: "CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // Arrow IPC (Feather) bodies: pyarrow's write_feather compresses with LZ4 frames by default (ZSTD is CZstd's).
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        // load sqlite / export sqlite, through the system's libsqlite3
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // load postgres / export postgres, through libpq (its headers are in /usr/include/postgresql)
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(name: "ClusLang", dependencies: ["ClusCore", "ClusData"]),
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .target(name: "ClusShell", dependencies: ["ClusLang", "CEditLine"]),
        .executableTarget(
            name: "clus",
            dependencies: [
                "ClusShell",
                "ClusLang",
                "ClusCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ClusCoreTests", dependencies: ["ClusCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ClusDataTests", dependencies: ["ClusData"]),
        .testTarget(name: "ClusLangTests", dependencies: ["ClusLang"]),
        .testTarget(name: "ClusTests", dependencies: ["clus"]),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets (Scripts/fuzz), only with CLUS_FUZZ=1: they call into
// libFuzzer's runtime, which only `-sanitize=fuzzer` links, so a plain
// `swift build` (and CI's) would fail on them. Each feeds libFuzzer's bytes
// to one reader.
if Context.environment["CLUS_FUZZ"] == "1" {
    let fuzzTargets: [(name: String, dependency: Target.Dependency)] = [
        ("FuzzParser", "ClusLang"),
        ("FuzzJSON", "ClusData"),
        ("FuzzCSV", "ClusData"),
        ("FuzzNPY", "ClusData"),
        ("FuzzParquet", "ClusData"),
        ("FuzzArrow", "ClusData"),
    ]
    package.targets.append(.target(name: "FuzzDriver", path: "Fuzz/Driver"))
    for (name, dependency) in fuzzTargets {
        package.targets.append(.executableTarget(
            name: name, dependencies: [dependency, "FuzzDriver"], path: "Fuzz/Targets/\(name)",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ))
    }
}
