// swift-tools-version:6.1
import Foundation
import PackageDescription

// On Linux the matrix products go through OpenBLAS (a system-library target); on Apple
// platforms through Accelerate. `cblas_sgemm` is called from one place: MesaCore/BLAS.swift.
//
// The package trait `MPI` (off by default: `swift build --traits MPI`) adds data-parallel training
// over MPI (Open MPI, Debian: libopenmpi-dev; docs/distributed.md). Without it the MPI system
// library is not a dependency of anything, MesaMPI compiles to an empty module, and nothing needs
// Open MPI to build or run.
let package = Package(
    name: "Mesa",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Mesa", targets: ["Mesa"]),
        .executable(name: "mesa", targets: ["MesaCLI"]),
    ],
    traits: [
        .trait(name: "MPI", description: "Data-parallel training over MPI (`mpirun -np N mesa pretrain --distributed`; needs Open MPI's libopenmpi-dev)."),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            path: "Sources/CBLAS",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CMPI",
            path: "Sources/CMPI",
            pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev"])]
        ),
        .target(
            name: "MesaCore",
            dependencies: [.target(name: "CBLAS", condition: .when(platforms: [.linux]))]
        ),
        .target(name: "MesaNN", dependencies: ["MesaCore"]),
        .target(name: "MesaOptim", dependencies: ["MesaCore", "MesaNN"]),
        .target(name: "MesaMeta", dependencies: ["MesaCore", "MesaNN", "MesaOptim", "CZlib"], resources: [.copy("Models"), .copy("Datasets")]),
        .target(name: "Mesa", dependencies: ["MesaCore", "MesaNN", "MesaOptim", "MesaMeta"]),
        .target(name: "MesaMPI", dependencies: ["MesaMeta", .target(name: "CMPI", condition: .when(traits: ["MPI"]))]),
        .executableTarget(
            name: "MesaCLI",
            dependencies: ["Mesa", "MesaMPI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            resources: [.copy("Presets"), .copy("MetaLearningPresets"), .copy("Data")]
        ),
        .target(name: "MesaTestSupport", dependencies: ["MesaCore"], path: "Tests/MesaTestSupport"),
        .testTarget(name: "MesaCoreTests", dependencies: ["MesaCore", "MesaTestSupport"]),
        .testTarget(name: "MesaNNTests", dependencies: ["MesaNN", "MesaTestSupport"]),
        .testTarget(name: "MesaOptimTests", dependencies: ["MesaOptim", "MesaTestSupport"]),
        .testTarget(name: "MesaMetaTests", dependencies: ["MesaMeta", "MesaTestSupport"]),
        .testTarget(name: "MesaCLITests", dependencies: ["MesaCLI", "Mesa"]),
    ],
    swiftLanguageModes: [.v6]
)

// The libFuzzer targets (fuzz/), built only by scripts/fuzz, which sets MESA_FUZZ=1 and adds
// `-sanitize=fuzzer,address`; plain `swift build` and `swift test` never see them.
if ProcessInfo.processInfo.environment["MESA_FUZZ"] == "1" {
    for (name, library) in [("FuzzCSVTable", "MesaMeta"), ("FuzzSafeTensors", "MesaCore"), ("FuzzConfiguration", "MesaMeta"), ("FuzzOptimization", "MesaMeta")] {
        package.targets.append(.executableTarget(name: name, dependencies: [.target(name: library)], path: "fuzz/\(name)"))
    }
}
