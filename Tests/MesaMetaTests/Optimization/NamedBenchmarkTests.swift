import MesaCore
import MesaMeta
import XCTest

final class NamedBenchmarkTests: XCTestCase {
    func testEachFunctionReachesItsMinimumAtItsMinimizers() {
        for named in NamedBenchmark.allCases {
            let function = named.function
            XCTAssertFalse(function.minimizers.isEmpty, named.rawValue)
            for minimizer in function.minimizers {
                XCTAssertEqual(function.value(at: minimizer), function.minimum, accuracy: 1e-6, "\(named.rawValue) at \(minimizer)")
            }
        }
    }

    func testNoRandomPointBeatsTheMinimum() {
        var generator = RandomGenerator(seed: 3)
        for named in NamedBenchmark.allCases {
            let function = named.function
            for _ in 0..<2000 {
                let u = (0..<function.dimension).map { _ in Double(generator.nextUniform()) }
                XCTAssertGreaterThanOrEqual(function.value(atUnitPoint: u), function.minimum - 1e-9, named.rawValue)
            }
        }
    }

    func testDimensionsBoxesAndKnownValues() {
        XCTAssertEqual(NamedBenchmark.allCases.map { $0.function.dimension }, [2, 3, 6, 5, 4, 4, 2])
        // Values away from the optimum, from the closed forms.
        XCTAssertEqual(NamedBenchmark.rosenbrock4.value(at: [0, 0, 0, 0]), 3, accuracy: 1e-12)
        XCTAssertEqual(NamedBenchmark.ackley5.value(at: [1, 1, 1, 1, 1]), 3.6253849384403627, accuracy: 1e-9)
        XCTAssertEqual(NamedBenchmark.branin.value(at: [0, 0]), 55.602112642270264, accuracy: 1e-9)
        let branin = NamedBenchmark.branin.function
        XCTAssertEqual(branin.point(fromUnit: [0, 1]), [-5, 15])
        XCTAssertEqual(branin.regret(ofBest: branin.minimum - 1), BenchmarkFunction.regretFloor)
    }
}
