import MesaCore
@testable import MesaMeta
import XCTest

final class TaskMixtureTests: XCTestCase {
    /// Two linear families told apart by their inputs: U[10, 11) versus U[−11, −10).
    func twoComponents(weights: (Double, Double)) throws -> TaskMixture {
        try TaskMixture(components: [
            (weight: weights.0, distribution: try LinearRegressionTasks(inputDimension: 2, inputs: .uniform(low: 10, high: 11))),
            (weight: weights.1, distribution: try LinearRegressionTasks(inputDimension: 2, inputs: .uniform(low: -11, high: -10))),
        ])
    }

    func testComponentFrequenciesMatchTheWeights() throws {
        let mixture = try TaskMixture(components: [
            (weight: 1, distribution: try LinearRegressionTasks(inputDimension: 3)),
            (weight: 0, distribution: try LinearRegressionTasks(inputDimension: 3)),
            (weight: 3, distribution: try ReLUNetworkTasks(inputDimension: 3, hiddenSize: 2)),
        ])
        XCTAssertEqual(mixture.probabilities, [0.25, 0, 0.75])
        var counts = [0, 0, 0]
        for task in sampleTasks(mixture, count: 4000) {
            let wrapped = try XCTUnwrap(task as? MixtureTask)
            counts[wrapped.componentIndex] += 1
            XCTAssertEqual(wrapped.task is ReLUNetworkFunction, wrapped.componentIndex == 2)
        }
        // Standard error of a frequency over 4000 draws: √(0.25·0.75/4000) ≈ 0.0068; ±0.03 is over 4 of them.
        XCTAssertEqual(counts[1], 0, "a zero-weight component is never drawn")
        XCTAssertEqual(Double(counts[0]) / 4000, 0.25, accuracy: 0.03)
        XCTAssertEqual(Double(counts[2]) / 4000, 0.75, accuracy: 0.03)
    }

    func testInputsAndTargetsComeFromEachTasksComponent() throws {
        let mixture = try twoComponents(weights: (1, 1))
        let drawn = sampleTasks(mixture, count: 20)
        let batch = samplePrompts(mixture, tasks: drawn, pointCount: 5)
        for (row, task) in drawn.enumerated() {
            let wrapped = task as! MixtureTask
            let range: Range<Float> = wrapped.componentIndex == 0 ? 10..<11 : -11 ..< -10
            let weights = (wrapped.task as! LinearFunction).weights
            for point in 0..<5 {
                XCTAssertTrue(range.contains(batch.inputs[row, point, 0]) && range.contains(batch.inputs[row, point, 1]))
                let expected = weights[0] * batch.inputs[row, point, 0] + weights[1] * batch.inputs[row, point, 1]
                XCTAssertEqual(batch.targets[row, point], expected, accuracy: 1e-4)
            }
        }
        XCTAssertEqual(Set(drawn.map { ($0 as! MixtureTask).componentIndex }), [0, 1])
    }

    func testNestedMixturesAndPoolsAskTheRightComponentForInputs() throws {
        let inner = try twoComponents(weights: (0, 1))   // always the negative inputs
        let outer = try TaskMixture(components: [(weight: 1, distribution: try TaskPool(base: inner, taskCount: 3, seed: 1))])
        var generator = RandomGenerator(seed: 8)
        let batch = outer.sample(batchSize: 4, pointCount: 3, using: &generator)
        XCTAssertTrue(batch.inputs.scalars.allSatisfy { (-11 ..< -10).contains($0) })
    }

    func testNameListsComponents() throws {
        let name = try twoComponents(weights: (1, 2)).name
        XCTAssertTrue(name.hasPrefix("mixture of 1.0 × linear regression (d = 2)"), name)
        XCTAssertTrue(name.contains(", 2.0 × linear regression (d = 2)"), name)
    }

    func testSameSeedGivesIdenticalBatches() throws {
        assertSeededBatchesRepeat(try TaskMixture(components: [
            (weight: 1, distribution: SinusoidTasks()),
            (weight: 1, distribution: try FourierSeriesTasks(maximumFrequency: 3)),
        ]))
    }

    func testBadConfigurationsThrow() throws {
        let linear = try LinearRegressionTasks(inputDimension: 2)
        assertInvalidConfiguration(try TaskMixture(components: []), mentions: "at least one component", "got 0")
        assertInvalidConfiguration(try TaskMixture(components: [(weight: 1, distribution: linear), (weight: -1, distribution: linear)]),
                                   mentions: "weight of component 1", "got -1.0")
        assertInvalidConfiguration(try TaskMixture(components: [(weight: .infinity, distribution: linear)]), mentions: "weight", "got inf")
        assertInvalidConfiguration(try TaskMixture(components: [(weight: 0, distribution: linear), (weight: 0, distribution: linear)]),
                                   mentions: "weights", "[0.0, 0.0]")
        assertInvalidConfiguration(
            try TaskMixture(components: [(weight: 1, distribution: linear), (weight: 1, distribution: try LinearRegressionTasks(inputDimension: 3))]),
            mentions: "inputDimension 3", "component 0 has 2")
        assertInvalidConfiguration(
            try TaskMixture(components: [(weight: 1, distribution: linear),
                                         (weight: 1, distribution: try LinearClassificationTasks(inputDimension: 2, classCount: 3))]),
            mentions: "component 1", "classification(classCount: 3)")
    }
}
