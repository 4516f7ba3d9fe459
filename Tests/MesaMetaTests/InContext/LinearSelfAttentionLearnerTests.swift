import MesaCore
import MesaNN
@testable import MesaMeta
import XCTest

final class LinearSelfAttentionLearnerTests: XCTestCase {
    /// von Oswald et al.'s tasks: `d = 10`, `x ~ U(−0.5, 0.5)`, `w ~ N(0, I)`, no noise.
    func paperBatch(tasks: Int = 6, points: Int, seed: UInt64 = 11) throws -> TaskBatch {
        var generator = RandomGenerator(seed: seed)
        let distribution = try LinearRegressionTasks(inputDimension: 10, inputs: .uniform(low: -0.5, high: 0.5))
        return distribution.sample(batchSize: tasks, pointCount: points, using: &generator)
    }

    /// `k` gradient descent steps from `w = 0` on `(1/2n) Σ_{i<n} (wᵀx_i − y_i)²`, in `Double`,
    /// then `wᵀx_query` (written independently of the library).
    func gradientDescentPrediction(_ batch: TaskBatch, task: Int, contextCount n: Int, query: Int, η: Double, steps: Int) -> Double {
        let d = batch.inputDimension
        func x(_ i: Int) -> [Double] { (0..<d).map { Double(batch.inputs[task, i, $0]) } }
        var w = [Double](repeating: 0, count: d)
        for _ in 0..<steps {
            var gradient = [Double](repeating: 0, count: d)
            for i in 0..<n {
                let xi = x(i)
                let error = zip(w, xi).reduce(0) { $0 + $1.0 * $1.1 } - Double(batch.targets[task, i])
                for j in 0..<d { gradient[j] += error * xi[j] / Double(n) }
            }
            for j in 0..<d { w[j] -= η * gradient[j] }
        }
        return zip(w, x(query)).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// `|a − b| ≤ 1e-5 · max(|b|, 1e-2)`: relative, with a floor for predictions near zero.
    func assertRelativelyClose(_ a: Float, _ b: Double, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThanOrEqual(abs(Double(a) - b), 1e-5 * max(abs(b), 1e-2), "\(message): \(a) vs \(b)", file: file, line: line)
    }

    func testOneLayerIsOneGradientStepWithFixedContext() throws {
        let batch = try paperBatch(points: 15)
        let η: Float = 1.7
        let learner = LinearSelfAttentionLearner.gradientDescent(inputDimension: 10, learningRate: η, steps: 1, contextCount: 10)
        let predictions = learner.predictions(for: batch)                                       // [6, 15]
        XCTAssertEqual(predictions.shape, [6, 15])
        for task in 0..<6 {
            for point in 0..<10 { XCTAssertEqual(predictions[task, point], 0, "context positions hold the prior guess") }
            for query in 10..<15 {
                let expected = gradientDescentPrediction(batch, task: task, contextCount: 10, query: query, η: Double(η), steps: 1)
                assertRelativelyClose(predictions[task, query], expected, "task \(task) query \(query)")
            }
        }
    }

    func testOneLayerIsOneGradientStepOnEveryPrefix() throws {
        let batch = try paperBatch(points: 11)
        let η: Float = 1.7
        let learner = LinearSelfAttentionLearner.gradientDescent(inputDimension: 10, learningRate: η, steps: 1)
        let predictions = learner.predictions(for: batch)                                       // [6, 11]
        for task in 0..<6 {
            XCTAssertEqual(predictions[task, 0], 0, "no context: w₁ = 0")
            for point in 1..<11 {
                let expected = gradientDescentPrediction(batch, task: task, contextCount: point, query: point, η: Double(η), steps: 1)
                assertRelativelyClose(predictions[task, point], expected, "task \(task) prefix \(point)")
            }
        }
    }

    func testDeeperStacksAreMoreGradientSteps() throws {
        let batch = try paperBatch(points: 13)
        for steps in [2, 3] {
            let learner = LinearSelfAttentionLearner.gradientDescent(inputDimension: 10, learningRate: 2.5, steps: steps, contextCount: 10)
            let predictions = learner.predictions(for: batch)
            for task in 0..<6 {
                for query in 10..<13 {
                    let expected = gradientDescentPrediction(batch, task: task, contextCount: 10, query: query, η: 2.5, steps: steps)
                    assertRelativelyClose(predictions[task, query], expected, "\(steps) steps, task \(task) query \(query)")
                }
            }
        }
    }

    /// Changing target 3 leaves predictions 0…3 unchanged and changes later ones, for a random
    /// two-layer, two-head learner and for the construction.
    func testPrefixScoringIsCausal() throws {
        var generator = RandomGenerator(seed: 5)
        let random = try LinearSelfAttentionLearner(inputDimension: 10, layerCount: 2, headCount: 2, initialStandardDeviation: 0.5, using: &generator)
        let constructed = LinearSelfAttentionLearner.gradientDescent(inputDimension: 10, learningRate: 1, steps: 3)
        let original = try paperBatch(tasks: 2, points: 8)
        var changed = original
        changed.targets = original.targets + Tensor.oneHot([3], classCount: 8).reshaped(to: [1, 8]) * 5
        for learner in [random, constructed] {
            let before = learner.predictions(for: original), after = learner.predictions(for: changed)
            for point in 0..<8 {
                let same = abs(before[0, point] - after[0, point]) < 1e-6
                XCTAssertEqual(same, point <= 3, "prediction \(point) \(same ? "ignored" : "saw") target 3")
            }
        }
    }

    func testFixedContextIgnoresQueryTargets() throws {
        var generator = RandomGenerator(seed: 6)
        let learner = try LinearSelfAttentionLearner(inputDimension: 10, contextCount: 4, layerCount: 2, initialStandardDeviation: 0.5, using: &generator)
        let original = try paperBatch(tasks: 2, points: 7)
        var changed = original
        changed.targets = original.targets + Tensor.oneHot([5], classCount: 7).reshaped(to: [1, 7]) * 5
        XCTAssertTrue(learner.predictions(for: original).isApproximatelyEqual(to: learner.predictions(for: changed), tolerance: 0),
                      "a query's target never reaches any prediction")
    }

    func testLossesAndGradients() throws {
        var generator = RandomGenerator(seed: 8)
        let batch = try paperBatch(tasks: 3, points: 6)
        let prefix = try LinearSelfAttentionLearner(inputDimension: 10, layerCount: 2, using: &generator)
        XCTAssertEqual(prefix.queryLoss(on: batch).scalar, prefix.loss(on: batch).scalar, accuracy: 1e-6)
        let fixed = try LinearSelfAttentionLearner(inputDimension: 10, contextCount: 4, layerCount: 2, headCount: 3, using: &generator)
        XCTAssertEqual(fixed.queryOutputs(for: batch).shape, [3, 2, 1])
        fixed.queryLoss(on: batch).backward()
        for (name, parameter) in fixed.namedParameters {
            let gradient = try XCTUnwrap(parameter.gradient, name)
            XCTAssertGreaterThan(gradient.abs().sum().scalar, 0, name)
        }
        XCTAssertEqual(fixed.namedParameters.map(\.name).prefix(3), ["layers.0.queryWeights", "layers.0.keyWeights", "layers.0.valueWeights"])
        XCTAssertEqual(fixed.parameterCount, 2 * 3 * 3 * 11 * 11)
    }

    func testSmallerInputsAreZeroPadded() throws {
        var generator = RandomGenerator(seed: 9)
        let small = try LinearRegressionTasks(inputDimension: 4).sample(batchSize: 2, pointCount: 5, using: &generator)
        let learner = LinearSelfAttentionLearner.gradientDescent(inputDimension: 10, learningRate: 1, steps: 1)
        let reference = LinearSelfAttentionLearner.gradientDescent(inputDimension: 4, learningRate: 1, steps: 1)
        XCTAssertTrue(learner.predictions(for: small).isApproximatelyEqual(to: reference.predictions(for: small), tolerance: 1e-6))
    }

    func testBadConfigurationsThrow() throws {
        var generator = RandomGenerator(seed: 1)
        let configurations: [(TaskKind, Int, Int?, Int, Int)] = [   // kind, d, contextCount, layers, heads
            (.classification(classCount: 3), 10, nil, 1, 1), (.regression, 0, nil, 1, 1), (.regression, 10, 0, 1, 1),
            (.regression, 10, 1024, 1, 1), (.regression, 10, nil, 0, 1), (.regression, 10, nil, 1, 0),
        ]
        for (kind, d, contextCount, layers, heads) in configurations {
            XCTAssertThrowsError(try LinearSelfAttentionLearner(inputDimension: d, kind: kind, contextCount: contextCount, layerCount: layers,
                                                                headCount: heads, using: &generator)) { error in
                guard case InContextError.invalidConfiguration = error else { return XCTFail("unexpected \(error)") }
            }
        }
        let wrongWidth = LinearSelfAttention(tokenWidth: 5, standardDeviation: 0.1, using: &generator)
        XCTAssertThrowsError(try LinearSelfAttentionLearner(inputDimension: 10, layers: [wrongWidth]))
        XCTAssertThrowsError(try LinearSelfAttentionLearner(inputDimension: 10, layers: []))
    }
}
