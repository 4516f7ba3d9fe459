import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import MesaCore

final class OpenBLASKernelsTests: XCTestCase {
    func testOnlyThePrescottFallbackIsReplacedByTheBestSupportedSet() {
        XCTAssertEqual(OpenBLASKernels.replacement(forCore: "Prescott", vectorFeatures: 0b111), "SkylakeX")
        XCTAssertEqual(OpenBLASKernels.replacement(forCore: "prescott", vectorFeatures: 0b011), "Haswell")
        XCTAssertEqual(OpenBLASKernels.replacement(forCore: "Prescott", vectorFeatures: 0b001), "Sandybridge")
        XCTAssertNil(OpenBLASKernels.replacement(forCore: "Prescott", vectorFeatures: 0), "a CPU without AVX keeps SSE3")
        XCTAssertNil(OpenBLASKernels.replacement(forCore: "Zen", vectorFeatures: 0b111), "a recognised CPU keeps OpenBLAS's choice")
        XCTAssertNil(OpenBLASKernels.replacement(forCore: "Haswell", vectorFeatures: 0b111))
    }

    /// On this machine: with a `DYNAMIC_ARCH` OpenBLAS (one that can switch), the set in use is
    /// not the SSE3 fallback where the CPU has AVX; and products computed with it are right
    /// (checked against a plain triple loop to 1e-4 relative). The replacement itself runs only
    /// on CPUs that OpenBLAS does not recognise (such as the Intel family 6 model 207 it was
    /// written for); elsewhere this checks that OpenBLAS's own choice is kept working.
    func testKernelsInUseAreNotTheFallbackWhereTheCPUHasAVX() throws {
        let selection = OpenBLASKernels.selection
        #if !canImport(Accelerate) && (arch(x86_64) || arch(i386))
        if ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil, dlsym(nil, "gotoblas_dynamic_init") != nil,
           selection.inUse.lowercased() == "prescott" {
            let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
            XCTAssertFalse(cpu.contains(" avx "), "OpenBLAS runs its SSE3 fallback on a CPU with AVX: \(selection)")
        }
        #endif
        var generator = RandomGenerator(seed: 3)
        let a = Tensor.randomNormal([67, 129], using: &generator), b = Tensor.randomNormal([129, 45], using: &generator)
        let product = a.matmul(b).scalars, x = a.scalars, y = b.scalars
        for i in stride(from: 0, to: 67, by: 11) {
            for j in stride(from: 0, to: 45, by: 7) {
                var expected = 0.0
                for k in 0..<129 { expected += Double(x[i * 129 + k]) * Double(y[k * 45 + j]) }
                XCTAssertEqual(Double(product[i * 45 + j]), expected, accuracy: 1e-4 * max(1, abs(expected)))
            }
        }
    }
}
