import Foundation
import MesaCore
import MesaNN
import MesaOptim
import XCTest

/// The README's library walk-through, run end to end on a small problem.
final class EndToEndTrainingTests: XCTestCase {
    func testReadmeWorkflowTrainsSavesAndReloads() throws {
        var generator = RandomGenerator(seed: 42)
        let x = Tensor.randomUniform([64, 1], low: -3, high: 3, using: &generator)
        let y = x.sin()
        let model = MLP(sizes: [1, 40, 40, 1], activation: .relu, using: &generator)
        let optimizer = AdamW(parameters: model.parameters, learningRate: 3e-3)
        let schedule = LearningRateSchedule.warmUpCosineDecay(peak: 3e-3, minimum: 1e-4, warmUpSteps: 20, totalSteps: 300)
        let initialLoss = withoutGradients { Tensor.meanSquaredError(model(x), y) }.scalar
        for step in 0..<300 {
            optimizer.learningRate = schedule.learningRate(atStep: step)
            Tensor.meanSquaredError(model(x), y).backward()
            _ = clipGradientNorm(model.parameters, maximumNorm: 1)
            optimizer.step()
            optimizer.clearGradients()
        }
        let finalLoss = withoutGradients { Tensor.meanSquaredError(model(x), y) }.scalar
        // sin on [−3, 3] has variance ≈ 0.5; 300 AdamW steps bring a 1-40-40-1 MLP well below 0.05.
        XCTAssertLessThan(finalLoss, 0.05, "loss \(initialLoss) → \(finalLoss)")

        let fastWeights = model.parameters.map { $0.value * 0.9 }
        let substituted = model(substituting: fastWeights) { model(x) }
        XCTAssertFalse(substituted.isApproximatelyEqual(to: model(x)))

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-readme-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url, metadata: ["architecture": "MLP 1-40-40-1"])
        var other = RandomGenerator(seed: 7)
        let reloaded = MLP(sizes: [1, 40, 40, 1], activation: .relu, using: &other)
        let metadata = try reloaded.load(from: url)
        XCTAssertEqual(metadata["architecture"], "MLP 1-40-40-1")
        XCTAssertEqual(withoutGradients { reloaded(x) }.scalars, withoutGradients { model(x) }.scalars)
    }
}
