import MesaCore
@testable import MesaMeta
import XCTest

final class NearestNeighborsPredictorTests: XCTestCase {
    /// One-dimensional inputs 0, 10, 1, 9, 0.4 with targets 1, 2, 3, 4, (unused); k = 2.
    let inputs: [[[Float]]] = [[[0], [10], [1], [9], [0.4]]]

    func testRegressionAveragesTheNearestTargets() throws {
        let batch = TaskBatch.fixture(inputs: inputs, targets: [[1, 2, 3, 4, 5]])
        let predictions = try NearestNeighborsPredictor(neighborCount: 2).predictions(for: batch)
        // i = 0: nothing; i = 1: the only point; i = 2 (x = 1): 0 and 10; i = 3 (x = 9): 10 and 1;
        // i = 4 (x = 0.4): 0 and 1.
        XCTAssertEqual(predictions.scalars, [0, 1, 1.5, 2.5, 2])
    }

    func testClassificationGivesNeighbourFrequencies() throws {
        let batch = TaskBatch.fixture(inputs: inputs, targets: [[0, 1, 0, 1, 2]], kind: .classification(classCount: 3))
        let predictions = try NearestNeighborsPredictor(neighborCount: 2).predictions(for: batch)
        XCTAssertEqual(predictions.shape, [1, 5, 3])
        let rows = (0..<5).map { i in (0..<3).map { predictions[0, i, $0] } }
        XCTAssertEqual(rows[0], [1 / 3, 1 / 3, 1 / 3])
        XCTAssertEqual(rows[1], [1, 0, 0])
        XCTAssertEqual(rows[2], [0.5, 0.5, 0])
        XCTAssertEqual(rows[3], [0.5, 0.5, 0])
        XCTAssertEqual(rows[4], [1, 0, 0])
    }

    /// Equal distances go to the earlier point: x = 1 is as far from 0 as from 2.
    func testTiesGoToTheEarlierPoint() throws {
        let batch = TaskBatch.fixture(inputs: [[[2], [0], [1]]], targets: [[5, 7, 0]])
        XCTAssertEqual(try NearestNeighborsPredictor(neighborCount: 1).predictions(for: batch)[0, 2], 5)
    }
}
