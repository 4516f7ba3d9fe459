import MesaCore
import MesaNN
@testable import MesaMeta
import MesaTestSupport
import XCTest

final class LSTMLearnerTests: XCTestCase {
    func testPredictionsAreCausalAndGradientsMatchFiniteDifferences() throws {
        for encoding in [PromptEncoding.previousTarget, .interleaved] {
            var generator = RandomGenerator(seed: 5)
            let learner = try LSTMLearner(inputDimension: 2, kind: .regression, encoding: encoding, maximumPointCount: 5,
                                          hiddenSize: 6, layerCount: 2, using: &generator)
            let batch = try LinearRegressionTasks(inputDimension: 2).sample(batchSize: 2, pointCount: 5, using: &generator)
            var changed = batch
            changed.targets = batch.targets + Tensor.oneHot([2], classCount: 5).reshaped(to: [1, 5]) * 3
            let before = learner.predictions(for: batch), after = learner.predictions(for: changed)
            for point in 0..<5 {
                XCTAssertEqual(abs(before[0, point] - after[0, point]) < 1e-6, point <= 2, "\(encoding): point \(point)")
            }
            let values = learner.parameters.map(\.value)
            let error = GradientCheck.maximumError(of: { inputs in
                var substituted = values
                substituted[0] = inputs[0]
                return learner(substituting: substituted) { learner.loss(on: batch) }
            }, at: [values[0]])
            XCTAssertLessThan(error, 1e-2, "\(encoding)")
        }
    }

    func testConcatenatedEncodingIsRefused() {
        var generator = RandomGenerator(seed: 0)
        XCTAssertThrowsError(try LSTMLearner(inputDimension: 2, kind: .regression, encoding: .concatenated, maximumPointCount: 4,
                                             hiddenSize: 4, using: &generator)) { error in
            XCTAssertTrue("\(error)".contains("time order"), "\(error)")
        }
    }
}
