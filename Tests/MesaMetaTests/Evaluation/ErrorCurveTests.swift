import MesaCore
@testable import MesaMeta
import XCTest

final class ErrorCurveTests: XCTestCase {
    struct Fixed: InContextPredictor {
        let name = "fixed"
        let value: Float
        func predictions(for batch: TaskBatch) -> Tensor { Tensor(repeating: value, shape: [batch.batchSize, batch.pointCount]) }
    }

    func testRegressionErrorIsSquaredErrorOverActiveDimensions() {
        let batch = TaskBatch(inputs: .zeros([2, 2, 4]), targets: Tensor([[1, 2], [3, 0]]), kind: .regression, activeDimensions: 2)
        let points = ErrorCurve.pointwise(Tensor([[0, 0], [0, 0]]), for: batch)
        XCTAssertEqual(points[0].mean, (1 + 9) / 2 / 2, accuracy: 1e-12)   // mean of y²/2 over the two prompts
        XCTAssertEqual(points[1].mean, (4 + 0) / 2 / 2, accuracy: 1e-12)
        XCTAssertEqual(points[0].standardError, 2, accuracy: 1e-12)   // scores {0.5, 4.5}: sample sd √8, over √2 prompts
    }

    func testClassificationMetricIsAccuracy() {
        let batch = TaskBatch(inputs: .zeros([2, 1, 1]), targets: Tensor([[1], [0]]), kind: .classification(classCount: 2))
        let probabilities = Tensor(shape: [2, 1, 2], scalars: [0.2, 0.8, 0.3, 0.7])
        XCTAssertEqual(ErrorCurve.pointwise(probabilities, for: batch)[0].mean, 0.5)
    }

    /// Statistics pooled over chunks equal those of one batch holding every prompt.
    func testChunksPoolToTheWholeBatchStatistics() throws {
        var generator = RandomGenerator(seed: 2)
        let tasks = try LinearRegressionTasks(inputDimension: 3)
        let whole = tasks.sample(batchSize: 30, pointCount: 4, using: &generator)
        let chunks = [0, 10, 25].enumerated().map { index, start in
            let end = [10, 25, 30][index]
            return TaskBatch(inputs: whole.inputs.slice(alongAxis: 0, from: start, to: end),
                             targets: whole.targets.slice(alongAxis: 0, from: start, to: end), kind: .regression)
        }
        let pooled = ErrorCurve.measure([Fixed(value: 0.5)], on: chunks)[0]
        let single = ErrorCurve.measure([Fixed(value: 0.5)], on: [whole])[0]
        XCTAssertEqual(pooled.points.count, single.points.count, "paired lengths")
        for (a, b) in zip(pooled.points, single.points) {
            XCTAssertEqual(a.mean, b.mean, accuracy: 1e-9)
            XCTAssertEqual(a.standardError, b.standardError, accuracy: 1e-9)
        }
        XCTAssertEqual(pooled.metric, "normalised squared error")
    }

    func testNoPromptsGiveNoCurves() {
        XCTAssertEqual(ErrorCurve.measure([Fixed(value: 0)], on: []), [])
    }

    func testOutOfDistributionProbes() {
        let names = EvaluationProbe.outOfDistribution(inputDimension: 10, kind: .regression).map(\.name)
        XCTAssertEqual(names, ["inputs x2", "inputs x3", "added noise 1", "d 5 of 10"])
        XCTAssertFalse(EvaluationProbe.outOfDistribution(inputDimension: 1, kind: .classification(classCount: 2)).map(\.name).contains("added noise 1"))
    }
}
