import Foundation
import MesaCore
import MesaMeta
import MesaOptim
import XCTest

/// Dai et al. 2023's dual form on *trained* linear self-attention: the identity holds to float
/// precision after training, in both prompt settings.
final class LinearSelfAttentionLearnerDualFormTests: XCTestCase {
    func testTheIdentityHoldsOnTrainedWeights() throws {
        let tasks = try LinearRegressionTasks(inputDimension: 4)
        for contextCount in [Int?.none, 6] {
            var generator = RandomGenerator(seed: 11)
            let learner = try LinearSelfAttentionLearner(inputDimension: 4, contextCount: contextCount, layerCount: 2, headCount: 2,
                                                         initialStandardDeviation: 0.2, using: &generator)
            let initial = learner.parameters.map(\.value.scalars)
            let optimizer = Adam(parameters: learner.parameters, learningRate: 0.01)
            var losses: [Float] = []
            for _ in 0..<30 {
                learner.clearGradients()
                let loss = learner.loss(on: tasks.sample(batchSize: 32, pointCount: 8, using: &generator))
                losses.append(loss.scalars[0])
                loss.backward()
                optimizer.step()
            }
            XCTAssertNotEqual(learner.parameters.map(\.value.scalars), initial, "trained")
            XCTAssertLessThan(losses.suffix(5).reduce(0, +), losses.prefix(5).reduce(0, +), "the loss fell: \(losses)")
            let prompts = tasks.sample(batchSize: 4, pointCount: 8, using: &generator)
            let deviation = learner.dualFormDeviation(on: prompts)
            XCTAssertGreaterThan(learner.predictions(for: prompts).scalars.map(abs).max()!, 0.01, "the layers do update the tokens")
            XCTAssertLessThan(deviation, 1e-5, "context \(String(describing: contextCount))")
        }
    }
}
