import MesaCore
@testable import MesaMeta
import MesaTestSupport
import XCTest

/// Properties every baseline must have: causality, shapes, the prior guess at i = 0, and
/// throwing initialisers for bad hyperparameters.
/// Tiny tensors: single-threaded (see ``SingleThreadedTestCase``).
final class InContextPredictorTests: SingleThreadedTestCase {

    static let (tasks, points, dimension, classCount) = (2, 6, 3, 3)

    func regressionBaselines() throws -> [any InContextPredictor] {
        [
            LeastSquaresPredictor(), try RidgePredictor(penalty: 0.5), try LassoPredictor(penalty: 0.05),
            try NearestNeighborsPredictor(neighborCount: 2), AveragingPredictor(),
            try GradientDescentPredictor(steps: 5, learningRate: 0.1), try GaussianProcessPredictor(lengthScale: 1, noise: 0.1),
            try TrainedNetworkPredictor(hiddenSize: 4, steps: 3, seed: 3),
            try MixturePosteriorPredictor(inputDimension: Self.dimension,
                                          components: [.init(weight: 1, kind: .dense), .init(weight: 1, kind: .sparse(nonZeroCount: 1))],
                                          noise: 0.1),
        ]
    }

    func classificationBaselines() throws -> [any InContextPredictor] {
        [try NearestNeighborsPredictor(neighborCount: 2), try LogisticRegressionPredictor(penalty: 0.1)]
    }

    /// Changing targets at indices ≥ i and inputs at indices > i leaves prediction i unchanged
    /// (to 1e-6), for every i and every baseline; with no pairs each predicts its prior guess.
    func testEveryBaselineIsCausal() throws {
        let regression = try TaskBatch.linear(tasks: Self.tasks, points: Self.points, dimension: Self.dimension, noise: 0.1, seed: 20)
        let classification = TaskBatch.linearClassification(tasks: Self.tasks, points: Self.points, dimension: Self.dimension,
                                                             classCount: Self.classCount, seed: 21)
        let cases = try regressionBaselines().map { ($0, regression) } + classificationBaselines().map { ($0, classification) }
        for (predictor, batch) in cases {
            let original = predictor.predictions(for: batch)
            let width = batch.kind.isClassification ? Self.classCount : 1
            XCTAssertEqual(original.shape, batch.kind.isClassification ? [Self.tasks, Self.points, width] : [Self.tasks, Self.points],
                           predictor.name)
            let flat = original.reshaped(to: [Self.tasks, Self.points, width])
            for task in 0..<Self.tasks {
                for c in 0..<width { XCTAssertEqual(flat[task, 0, c], width == 1 ? 0 : 1 / Float(width), accuracy: 1e-6, predictor.name) }
            }
            for i in 0..<Self.points {
                let changed = perturbed(batch, targetsFrom: i, inputsFrom: i + 1, seed: UInt64(100 + i))
                let after = predictor.predictions(for: changed).reshaped(to: [Self.tasks, Self.points, width])
                for task in 0..<Self.tasks {
                    for c in 0..<width {
                        XCTAssertEqual(flat[task, i, c], after[task, i, c], accuracy: 1e-6, "\(predictor.name): prediction \(i) saw later data")
                    }
                }
            }
        }
    }

    /// A copy of `batch` with new random targets at indices ≥ `targetsFrom` and new random
    /// inputs at indices ≥ `inputsFrom`.
    func perturbed(_ batch: TaskBatch, targetsFrom: Int, inputsFrom: Int, seed: UInt64) -> TaskBatch {
        var generator = RandomGenerator(seed: seed)
        var inputs = batch.inputs.scalars, targets = batch.targets.scalars
        let (points, d) = (batch.pointCount, batch.inputDimension)
        for task in 0..<batch.batchSize {
            for point in 0..<points {
                if point >= inputsFrom { for c in 0..<d { inputs[(task * points + point) * d + c] = 3 * generator.nextNormal() } }
                if point >= targetsFrom {
                    targets[task * points + point] = batch.kind.isClassification
                        ? Float((Int(targets[task * points + point]) + 1 + Int(generator.next() % 2)) % Self.classCount)
                        : 5 * generator.nextNormal()
                }
            }
        }
        var changed = batch
        changed.inputs = Tensor(shape: batch.inputs.shape, scalars: inputs)
        changed.targets = Tensor(shape: batch.targets.shape, scalars: targets)
        return changed
    }

    func testBadHyperparametersThrow() {
        let attempts: [(String, () throws -> Any)] = [
            ("ridge λ < 0", { try RidgePredictor(penalty: -1) }),
            ("ridge λ = ∞", { try RidgePredictor(penalty: .infinity) }),
            ("ridge τ = 0", { try RidgePredictor.bayesOptimal(noise: 1, weightScale: 0) }),
            ("lasso α = 0", { try LassoPredictor(penalty: 0) }),
            ("lasso iterations = 0", { try LassoPredictor(penalty: 1, iterations: 0) }),
            ("lasso tolerance = 0", { try LassoPredictor(penalty: 1, tolerance: 0) }),
            ("k-NN k = 0", { try NearestNeighborsPredictor(neighborCount: 0) }),
            ("GD steps = 0", { try GradientDescentPredictor(steps: 0, learningRate: 0.1) }),
            ("GD η = 0", { try GradientDescentPredictor(steps: 1, learningRate: 0) }),
            ("GD η = NaN", { try GradientDescentPredictor(steps: 1, learningRate: .nan) }),
            ("tuned GD η < 0", {
                try GradientDescentPredictor.tuned(steps: 1, on: [.fixture(inputs: [[[1]]], targets: [[1]])], candidates: [0.1, -1])
            }),
            ("GP ℓ = 0", { try GaussianProcessPredictor(lengthScale: 0) }),
            ("GP s² < 0", { try GaussianProcessPredictor(lengthScale: 1, signalVariance: -1) }),
            ("GP σ < 0", { try GaussianProcessPredictor(lengthScale: 1, noise: -0.1) }),
            ("network hidden = 0", { try TrainedNetworkPredictor(hiddenSize: 0) }),
            ("network steps = 0", { try TrainedNetworkPredictor(steps: 0) }),
            ("network η < 0", { try TrainedNetworkPredictor(learningRate: -1) }),
            ("logistic λ = 0", { try LogisticRegressionPredictor(penalty: 0) }),
            ("logistic iterations = 0", { try LogisticRegressionPredictor(penalty: 1, iterations: 0) }),
            ("mixture d = 0", { try MixturePosteriorPredictor(inputDimension: 0, components: [.init(weight: 1, kind: .dense)], noise: 0.1) }),
            ("mixture σ = 0", { try MixturePosteriorPredictor(inputDimension: 3, components: [.init(weight: 1, kind: .dense)], noise: 0) }),
            ("mixture τ = 0", {
                try MixturePosteriorPredictor(inputDimension: 3, components: [.init(weight: 1, kind: .dense)], noise: 0.1, weightScale: 0)
            }),
            ("mixture no weight", { try MixturePosteriorPredictor(inputDimension: 3, components: [.init(weight: 0, kind: .dense)], noise: 0.1) }),
            ("mixture no components", { try MixturePosteriorPredictor(inputDimension: 3, components: [], noise: 0.1) }),
            ("mixture negative weight", {
                try MixturePosteriorPredictor(inputDimension: 3, components: [.init(weight: 2, kind: .dense), .init(weight: -1, kind: .dense)],
                                              noise: 0.1)
            }),
            ("mixture k > d", {
                try MixturePosteriorPredictor(inputDimension: 3, components: [.init(weight: 1, kind: .sparse(nonZeroCount: 4))], noise: 0.1)
            }),
            ("mixture k = 0", {
                try MixturePosteriorPredictor(inputDimension: 3, components: [.init(weight: 1, kind: .sparse(nonZeroCount: 0))], noise: 0.1)
            }),
            ("mixture too many supports", {
                try MixturePosteriorPredictor(inputDimension: 40, components: [.init(weight: 1, kind: .sparse(nonZeroCount: 10))], noise: 0.1)
            }),
        ]
        for (label, attempt) in attempts {
            XCTAssertThrowsError(try attempt(), label) { error in
                guard case InContextError.invalidConfiguration = error else { return XCTFail("\(label): unexpected error \(error)") }
            }
        }
    }
}
