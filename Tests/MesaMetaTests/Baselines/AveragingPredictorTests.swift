import MesaCore
@testable import MesaMeta
import XCTest

final class AveragingPredictorTests: XCTestCase {
    /// x₀ = (1, 2), y₀ = 3; x₁ = (−1, 0), y₁ = 1; x₂ = (2, 1).
    /// i = 1: ŵ = 3·(1, 2) = (3, 6), ŷ₁ = −3. i = 2: ŵ = ((3, 6) + (−1, 0))/2 = (1, 3), ŷ₂ = 5.
    func testAveragesTargetWeightedInputs() {
        let batch = TaskBatch.fixture(inputs: [[[1, 2], [-1, 0], [2, 1]]], targets: [[3, 1, 0]])
        XCTAssertEqual(AveragingPredictor().predictions(for: batch).scalars, [0, -3, 5])
    }
}
