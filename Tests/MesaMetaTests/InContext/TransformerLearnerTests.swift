import MesaCore
import MesaNN
@testable import MesaMeta
import MesaTestSupport
import XCTest

final class TransformerLearnerTests: XCTestCase {
    /// README's in-context learning snippet, with its shapes.
    func testReadmeSnippet() throws {
        var generator = RandomGenerator(seed: 0)
        let tasks = try LinearRegressionTasks(inputDimension: 5)
        let learner = TransformerLearner(inputDimension: 5, kind: .regression, maximumPointCount: 20,
                                         modelSize: 64, layerCount: 3, headCount: 2, using: &generator)
        let batch = tasks.sample(batchSize: 64, pointCount: 20, using: &generator)
        learner.loss(on: batch).backward()
        XCTAssertTrue(learner.parameters.allSatisfy { $0.gradient != nil }, "every parameter receives a gradient")
        XCTAssertEqual(learner.predictions(for: batch).shape, [64, 20])
    }

    /// The learner's loss against central finite differences, through the whole model (read-in,
    /// positions, encoder, read-out), for regression and classification. Tolerance 1e-2 as the
    /// engine's gradient checks.
    func testLossGradientsMatchFiniteDifferences() throws {
        for kind in [TaskKind.regression, .classification(classCount: 3)] {
            var generator = RandomGenerator(seed: 3)
            let learner = TransformerLearner(inputDimension: 2, kind: kind, maximumPointCount: 4, modelSize: 8, layerCount: 1,
                                             headCount: 2, feedForwardSize: 8, using: &generator)
            let tasks: any TaskDistribution = kind.isClassification
                ? try LinearClassificationTasks(inputDimension: 2, classCount: 3) : try LinearRegressionTasks(inputDimension: 2)
            let batch = tasks.sample(batchSize: 2, pointCount: 4, using: &generator)
            let values = learner.parameters.map(\.value)
            let checked = [0, values.count - 2]   // read-in weight and read-out weight
            let error = GradientCheck.maximumError(of: { inputs in
                var substituted = values
                for (index, tensor) in zip(checked, inputs) { substituted[index] = tensor }
                return learner(substituting: substituted) { learner.loss(on: batch) }
            }, at: checked.map { values[$0] })
            XCTAssertLessThan(error, 1e-2, "\(kind)")
        }
    }

    func testClassificationPredictionsAreProbabilities() throws {
        var generator = RandomGenerator(seed: 1)
        let tasks = try LinearClassificationTasks(inputDimension: 3, classCount: 4)
        let learner = TransformerLearner(inputDimension: 3, kind: tasks.kind, maximumPointCount: 6, modelSize: 8, layerCount: 1,
                                         headCount: 2, using: &generator)
        let probabilities = learner.predictions(for: tasks.sample(batchSize: 3, pointCount: 6, using: &generator))
        XCTAssertEqual(probabilities.shape, [3, 6, 4])
        for row in probabilities.sum(alongAxis: 2).scalars { XCTAssertEqual(row, 1, accuracy: 1e-5) }
    }

    func testBatchesThatDoNotFitAreNamed() throws {
        var generator = RandomGenerator(seed: 1)
        let learner = TransformerLearner(inputDimension: 3, kind: .regression, maximumPointCount: 6, modelSize: 8, layerCount: 1,
                                         headCount: 2, using: &generator)
        let long = try LinearRegressionTasks(inputDimension: 3).sample(batchSize: 1, pointCount: 7, using: &generator)
        XCTAssertThrowsError(try learner.validate(long)) { XCTAssertTrue("\($0)".contains("at most 6"), "\($0)") }
        let wide = try LinearRegressionTasks(inputDimension: 4).sample(batchSize: 1, pointCount: 2, using: &generator)
        XCTAssertThrowsError(try learner.validate(wide)) { XCTAssertTrue("\($0)".contains("dimension 4"), "\($0)") }
        let classes = try LinearClassificationTasks(inputDimension: 3, classCount: 2).sample(batchSize: 1, pointCount: 2, using: &generator)
        XCTAssertThrowsError(try learner.validate(classes)) { XCTAssertTrue("\($0)".contains("classification"), "\($0)") }
        // Smaller inputs are zero-padded (the curriculum's "different d" probe).
        let narrow = try LinearRegressionTasks(inputDimension: 2).sample(batchSize: 1, pointCount: 3, using: &generator)
        XCTAssertNoThrow(try learner.validate(narrow))
        XCTAssertEqual(learner.predictions(for: narrow).shape, [1, 3])
    }
}
