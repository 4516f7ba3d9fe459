import Foundation
import MesaCore
import MesaMeta
import MesaOptim
import XCTest

/// A release-mode science check, skipped unless `MESA_RELEASE_CHECKS=1`: a one-layer linear
/// self-attention model trained with Adam on von Oswald et al.'s tasks (`d = 10`, `N = 10`,
/// `x ~ U(−0.5, 0.5)`, `w ~ N(0, I)`, one query) reaches the loss of one tuned gradient descent
/// step (paper: ≈ 0.2 against ≈ 0.415 for the zero predictor).
///
/// ```
/// MESA_RELEASE_CHECKS=1 swift test -c release --scratch-path .build-lsa --filter LinearSelfAttentionTrainingCheck
/// ```
///
/// Not a training loop for users (the shared trainer is); `MESA_LSA_STEPS` and
/// `MESA_LSA_BATCH` override the 4,000 steps of 512 tasks, `MESA_LSA_EVALUATION_TASKS` the 2,000
/// evaluation tasks; `MESA_LSA_LAYERS=k` trains `k` layers against `k` tuned steps instead. The trained weights should also read as a gradient step: with `M = W_Qᵀ W_K`,
/// the query's update is `−(1/N) Σ_i (W_V e_i)[d] · x_qᵀ M_xx x_i + …`, so `−W_V[d, d] · M_xx`
/// should be close to `η·I` for the tuned `η`.
final class LinearSelfAttentionTrainingCheck: XCTestCase {
    func testOneTrainedLayerMatchesOneTunedGradientStep() throws {
        let environment = ProcessInfo.processInfo.environment
        try XCTSkipUnless(environment["MESA_RELEASE_CHECKS"] == "1", "release-mode check: set MESA_RELEASE_CHECKS=1")
        let steps = environment["MESA_LSA_STEPS"].flatMap(Int.init) ?? 4000
        let batchSize = environment["MESA_LSA_BATCH"].flatMap(Int.init) ?? 512
        let tasks = try LinearRegressionTasks(inputDimension: 10, inputs: .uniform(low: -0.5, high: 0.5))
        let evaluationTasks = environment["MESA_LSA_EVALUATION_TASKS"].flatMap(Int.init) ?? 2000
        let layerCount = environment["MESA_LSA_LAYERS"].flatMap(Int.init) ?? 1
        let comparison = try GradientDescentComparison(tasks: tasks, contextCount: 10, stepCount: layerCount,
                                                       evaluationTaskCount: evaluationTasks, seed: 2023)

        var generator = RandomGenerator(seed: 1)
        let learner = try LinearSelfAttentionLearner(inputDimension: 10, contextCount: 10, layerCount: layerCount, using: &generator)
        let optimizer = Adam(parameters: learner.parameters, learningRate: 1e-3)
        let start = Date()
        for step in 0..<steps {
            if step == steps * 3 / 4 { optimizer.learningRate = 1e-4 }   // a short final phase at a lower rate
            let loss = learner.queryLoss(on: tasks.sample(batchSize: batchSize, pointCount: 11, using: &generator))
            loss.backward()
            optimizer.step()
            optimizer.clearGradients()
            if step % 500 == 0 || step == steps - 1 {
                print(String(format: "step %5d  ½·MSE(batch) %.4f  ½·MSE(evaluation) %.4f  %.1f s", step, 0.5 * loss.scalar,
                             comparison.loss(of: learner), Date().timeIntervalSince(start)))
            }
        }
        let result = comparison.run(learner: learner)
        print("LSA check (\(layerCount) layer(s), \(steps) steps × \(batchSize) tasks, \(String(format: "%.1f", Date().timeIntervalSince(start))) s): \(result)")
        guard layerCount == 1 else { return XCTAssertLessThan(try XCTUnwrap(result.learner), 1.05 * result.gradientDescent, "\(result)") }
        // The implied learning rate: −W_V[d, d] · (W_Qᵀ W_K)_xx ≈ η·I.
        let layer = learner.layers[0]
        let kernel = Tensor.matmul(layer.queryWeights.value, layer.keyWeights.value, transposeA: true)   // [1, 11, 11]
        let implied = (0..<10).map { i in (0..<10).map { j in -layer.valueWeights.value[0, 10, 10] * kernel[0, i, j] } }
        let diagonal = (0..<10).map { implied[$0][$0] }
        let offDiagonal = (0..<10).flatMap { i in (0..<10).filter { $0 != i }.map { abs(implied[i][$0]) } }
        print(String(format: "implied η: diagonal mean %.3f (min %.3f, max %.3f), largest off-diagonal %.3f; tuned η %.3f",
                     diagonal.reduce(0, +) / 10, diagonal.min()!, diagonal.max()!, offDiagonal.max()!, result.learningRate))
        XCTAssertEqual(Double(diagonal.reduce(0, +) / 10), result.learningRate, accuracy: 0.1 * result.learningRate)
        let trained = try XCTUnwrap(result.learner)
        XCTAssertLessThan(trained, 1.05 * result.gradientDescent, "\(result)")
        XCTAssertEqual(result.zeroPrediction, 0.415, accuracy: 0.03)
        XCTAssertEqual(result.gradientDescent, 0.204, accuracy: 0.02)
    }
}
