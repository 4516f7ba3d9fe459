import MesaCore
@testable import MesaMeta
import XCTest

final class PromptScoresTests: XCTestCase {
    struct Fixed: InContextPredictor {
        let name: String
        let value: Float
        func predictions(for batch: TaskBatch) -> Tensor { Tensor(repeating: value, shape: [batch.batchSize, batch.pointCount]) }
    }

    /// Three prompts of one point, targets 1, 2, 4, d = 1: predicting 0 scores {1, 4, 16},
    /// predicting 1 scores {0, 1, 9}; the differences {1, 3, 7} have mean 11/3 and sample
    /// variance ((−8/3)² + (−2/3)² + (10/3)²)/2 = 28/3, so the paired standard error is √(28/9).
    func testPairedDifferenceByHand() throws {
        let batch = TaskBatch(inputs: .zeros([3, 1, 1]), targets: Tensor(shape: [3, 1], scalars: [1, 2, 4]), kind: .regression)
        let zero = PromptScores.measure(Fixed(name: "zero", value: 0), on: [batch])
        let one = PromptScores.measure(Fixed(name: "one", value: 1), on: [batch])
        XCTAssertEqual(zero.values, [1, 4, 16])
        let difference = try zero.difference(from: one)
        XCTAssertEqual(difference.predictor, "zero − one")
        XCTAssertEqual(difference.metric, "difference in normalised squared error")
        XCTAssertEqual(difference.points[0].mean, 11.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(difference.points[0].standardError, (28.0 / 9).squareRoot(), accuracy: 1e-12)
        // The mean difference is the difference of the curves' means.
        XCTAssertEqual(difference.points[0].mean, zero.curve().points[0].mean - one.curve().points[0].mean, accuracy: 1e-12)
    }

    /// Two predictors whose errors move together: the paired standard error is much smaller
    /// than the curves' standard errors, which is why `mesa eval` reports it.
    func testPairingRemovesSharedPromptVariance() throws {
        var generator = RandomGenerator(seed: 5)
        let batch = try LinearRegressionTasks(inputDimension: 4).sample(batchSize: 200, pointCount: 6, using: &generator)
        let a = PromptScores.measure(Fixed(name: "a", value: 0), on: [batch])
        let b = PromptScores.measure(Fixed(name: "b", value: 0.1), on: [batch])
        let difference = try a.difference(from: b)
        for index in 0..<6 {
            XCTAssertLessThan(difference.points[index].standardError, 0.5 * a.curve().points[index].standardError)
        }
    }

    func testChunksConcatenateToTheWholeBatch() throws {
        var generator = RandomGenerator(seed: 2)
        let whole = try LinearRegressionTasks(inputDimension: 3).sample(batchSize: 30, pointCount: 4, using: &generator)
        let chunks = [(0, 10), (10, 25), (25, 30)].map { start, end in
            TaskBatch(inputs: whole.inputs.slice(alongAxis: 0, from: start, to: end),
                      targets: whole.targets.slice(alongAxis: 0, from: start, to: end), kind: .regression)
        }
        let pooled = PromptScores.measure(Fixed(name: "half", value: 0.5), on: chunks)
        let single = PromptScores.measure(Fixed(name: "half", value: 0.5), on: [whole])
        XCTAssertEqual(pooled.promptCount, 30)
        XCTAssertEqual(pooled.pointCount, 4)
        XCTAssertEqual(pooled.values.count, single.values.count, "paired lengths")
        for (a, b) in zip(pooled.values, single.values) { XCTAssertEqual(a, b, accuracy: 1e-12) }
    }

    func testDifferentPromptsAreAClearError() {
        let small = TaskBatch(inputs: .zeros([2, 1, 1]), targets: Tensor(shape: [2, 1], scalars: [1, 2]), kind: .regression)
        let large = TaskBatch(inputs: .zeros([3, 1, 1]), targets: Tensor(shape: [3, 1], scalars: [1, 2, 3]), kind: .regression)
        let a = PromptScores.measure(Fixed(name: "a", value: 0), on: [small])
        let b = PromptScores.measure(Fixed(name: "b", value: 0), on: [large])
        XCTAssertThrowsError(try a.difference(from: b)) { error in
            XCTAssertTrue("\(error)".contains("needs the same prompts"), "\(error)")
        }
    }
}
