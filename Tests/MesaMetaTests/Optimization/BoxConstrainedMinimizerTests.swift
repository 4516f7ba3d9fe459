import MesaMeta
import XCTest

final class BoxConstrainedMinimizerTests: XCTestCase {
    func testFindsTheUnconstrainedMinimumOfRosenbrock() {
        let result = BoxConstrainedMinimizer(maximumIterations: 500, gradientTolerance: 1e-9, relativeTolerance: 0)
            .minimize(from: [-1.2, 1], lower: [-5, -5], upper: [5, 5]) { x in
                let a = x[1] - x[0] * x[0], b = 1 - x[0]
                return (100 * a * a + b * b, [-400 * x[0] * a - 2 * b, 200 * a])
            }
        XCTAssertEqual(result.point[0], 1, accuracy: 1e-5)
        XCTAssertEqual(result.point[1], 1, accuracy: 1e-5)
    }

    func testStopsOnAnActiveBound() {
        // min (x − 2)² + (y + 1)² over [0, 1]²: the corner (1, 0).
        let result = BoxConstrainedMinimizer().minimize(from: [0.5, 0.5], lower: [0, 0], upper: [1, 1]) { x in
            ((x[0] - 2) * (x[0] - 2) + (x[1] + 1) * (x[1] + 1), [2 * (x[0] - 2), 2 * (x[1] + 1)])
        }
        XCTAssertEqual(result.point, [1, 0])
        XCTAssertEqual(result.value, 2, accuracy: 1e-12)
    }

    func testInfiniteBoundsAndANonFiniteStart() {
        let result = BoxConstrainedMinimizer().minimize(from: [10], lower: [-.infinity], upper: [.infinity]) { x in
            ((x[0] - 3) * (x[0] - 3), [2 * (x[0] - 3)])
        }
        XCTAssertEqual(result.point[0], 3, accuracy: 1e-6)
        let stuck = BoxConstrainedMinimizer().minimize(from: [0], lower: [-1], upper: [1]) { _ in (.nan, [0]) }
        XCTAssertEqual(stuck.iterations, 0)
    }
}
