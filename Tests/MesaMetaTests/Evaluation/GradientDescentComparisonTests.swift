import MesaCore
@testable import MesaMeta
import XCTest

final class GradientDescentComparisonTests: XCTestCase {
    func comparison(steps: Int, tasks: Int = 300) throws -> GradientDescentComparison {
        let distribution = try LinearRegressionTasks(inputDimension: 10, inputs: .uniform(low: -0.5, high: 0.5))
        return try GradientDescentComparison(tasks: distribution, contextCount: 10, stepCount: steps,
                                             evaluationTaskCount: tasks, tuningTaskCount: tasks, seed: 4)
    }

    func testZeroPredictionScoresHalfTheTargetsSecondMoment() throws {
        let comparison = try comparison(steps: 1)
        XCTAssertEqual(comparison.evaluationSet.inputs.shape, [300, 11, 10])
        let queries = comparison.evaluationSet.targets.slice(alongAxis: 1, from: 10, to: 11).scalars
        let expected = 0.5 * queries.map { Double($0 * $0) }.reduce(0, +) / 300
        XCTAssertEqual(comparison.zeroPredictionLoss(), expected, accuracy: 1e-9)
        XCTAssertEqual(expected, 0.5 * 10 / 12, accuracy: 0.06, "½·d·E[x²] for d = 10, x ~ U(−0.5, 0.5)")
        XCTAssertNotEqual(comparison.tuningSet.targets.scalars, comparison.evaluationSet.targets.scalars)
    }

    /// For one step the prediction is `η·a` with `a = (1/N) Σ_i y_i x_iᵀx_q`, so the best `η` is `Σ a y / Σ a²`.
    func testTunedLearningRateOfOneStepMatchesItsClosedForm() throws {
        let comparison = try comparison(steps: 1)
        let set = comparison.tuningSet
        let a = GradientDescentComparison.gradientDescentPredictions(on: set, contextCount: 10, learningRate: 1, steps: 1)
        let y = set.targets.slice(alongAxis: 1, from: 10, to: 11).scalars.map(Double.init)
        let best = zip(a, y).map { $0 * $1 }.reduce(0, +) / a.map { $0 * $0 }.reduce(0, +)
        XCTAssertEqual(comparison.tunedLearningRate(), best, accuracy: 1e-3 * best)
    }

    func testTunedLearningRateOfTwoStepsIsALocalMinimum() throws {
        let comparison = try comparison(steps: 2, tasks: 120)
        let η = comparison.tunedLearningRate()
        let loss = comparison.gradientDescentLoss(learningRate: η, on: comparison.tuningSet)
        for factor in [0.9, 1.1] {
            XCTAssertLessThan(loss, comparison.gradientDescentLoss(learningRate: η * factor, on: comparison.tuningSet))
        }
    }

    /// The constructed linear self-attention stack scores what gradient descent scores, in both settings.
    func testConstructedLearnerScoresLikeGradientDescent() throws {
        let comparison = try comparison(steps: 2, tasks: 120)
        let result = comparison.run(learner: LinearSelfAttentionLearner.gradientDescent(inputDimension: 10, learningRate: 2, steps: 2, contextCount: 10))
        let gradientDescent = comparison.gradientDescentLoss(learningRate: 2)
        XCTAssertEqual(try XCTUnwrap(result.learner), gradientDescent, accuracy: 1e-5 * gradientDescent)
        XCTAssertLessThan(result.gradientDescent, result.zeroPrediction)
        let prefix = LinearSelfAttentionLearner.gradientDescent(inputDimension: 10, learningRate: 2, steps: 1)
        let oneStep = comparison.halfMeanSquaredError(ofSteps: 1, learningRate: 2)
        XCTAssertEqual(comparison.loss(of: prefix), oneStep, accuracy: 1e-5 * oneStep)
        XCTAssertTrue(result.description.contains("learner"))
    }

    func testClassificationTasksThrow() throws {
        struct Labels: TaskDistribution {
            var inputDimension: Int { 2 }
            var kind: TaskKind { .classification(classCount: 2) }
            var name: String { "labels" }
            func sampleTask(using generator: inout RandomGenerator) -> any TaskFunction { LinearFunction(weights: [1, 1]) }
        }
        XCTAssertThrowsError(try GradientDescentComparison(tasks: Labels(), contextCount: 4, stepCount: 1))
        XCTAssertThrowsError(try GradientDescentComparison(tasks: LinearRegressionTasks(inputDimension: 2), contextCount: 0, stepCount: 1))
    }
}

extension GradientDescentComparison {
    /// `½·MSE` on the evaluation set of `steps` steps (whatever ``stepCount`` is).
    fileprivate func halfMeanSquaredError(ofSteps steps: Int, learningRate η: Double) -> Double {
        let predictions = Self.gradientDescentPredictions(on: evaluationSet, contextCount: contextCount, learningRate: η, steps: steps)
        return Self.halfMeanSquaredError(predictions, on: evaluationSet, contextCount: contextCount)
    }
}
