import MesaCore
import MesaMeta
import XCTest

final class BayesianOptimizerTests: XCTestCase {
    func testFindsTheMinimumOfAOneDimensionalQuadraticInFewEvaluations() throws {
        var optimizer = try BayesianOptimizer(dimension: 1, configuration: .init(initialPointCount: 3, seed: 2))
        for _ in 0..<8 {
            let x = try optimizer.ask()[0]
            optimizer.tell(x, value: (x[0] - 0.37) * (x[0] - 0.37))
        }
        let best = optimizer.observations.min { $0.value < $1.value }!
        XCTAssertEqual(best.point[0], 0.37, accuracy: 0.01)
    }

    func testBatchesAreDistinctAndSuggestionsDeterministic() throws {
        func optimizer() throws -> BayesianOptimizer {
            var optimizer = try BayesianOptimizer(dimension: 2, configuration: .init(initialPointCount: 4, seed: 7))
            for point in try optimizer.ask(count: 4) { optimizer.tell(point, value: point[0] + 2 * point[1] * point[1]) }
            return optimizer
        }
        var first = try optimizer(), second = try optimizer()
        let batch = try first.ask(count: 3)
        XCTAssertEqual(batch, try second.ask(count: 3))
        XCTAssertEqual(batch.count, 3)
        for i in 0..<3 {
            for j in 0..<i { XCTAssertGreaterThan(zip(batch[i], batch[j]).map { abs($0 - $1) }.max()!, 1e-3, "points \(i) and \(j) coincide") }
        }
    }

    func testTheInitialDesignComesFirstAndContinuesAfterAResume() throws {
        var optimizer = try BayesianOptimizer(dimension: 3, configuration: .init(initialPointCount: 5, seed: 1))
        let firstTwo = try optimizer.ask(count: 2)
        XCTAssertEqual(firstTwo, Array(optimizer.initialDesign.prefix(2)))
        for point in firstTwo { optimizer.tell(point, value: point[0]) }
        XCTAssertEqual(try optimizer.ask(), [optimizer.initialDesign[2]])
    }
}
