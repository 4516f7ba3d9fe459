import MesaCore
@testable import MesaMeta
import MesaNN
import MesaOptim
import XCTest

final class ReptileTests: XCTestCase {
    /// With one inner step `φ_T = θ − α ∇L_T(θ)`, so the Reptile direction `θ − mean φ_T` is
    /// `α · mean ∇L_T(θ)`, and an SGD step of size `ε` gives `θ + ε (mean φ_T − θ)`.
    func testTheUpdateEqualsItsFormula() {
        var generator = RandomGenerator(seed: 0)
        let model = MLP(sizes: [1, 6, 1], using: &generator)
        let tasks = RegressionEpisodes(tasks: SinusoidTasks(), supportCount: 5, queryCount: 1)
            .sample(count: 3, using: &generator).map(\.support)
        let reptile = Reptile(model: model, loss: .meanSquaredError, innerLearningRate: 0.02, innerSteps: 1)
        let theta = model.parameters.map { $0.value.detached() }
        var meanGradient = theta.map { Tensor(repeating: 0, shape: $0.shape) }
        for task in tasks {
            let grads = gradients(of: MetaLoss.meanSquaredError(model(task.inputs), task.targets), withRespectTo: model.parameters.map(\.value))
            for index in meanGradient.indices { meanGradient[index] = meanGradient[index] + grads[index] / 3 }
        }
        let direction = reptile.metaGradient(on: tasks)
        XCTAssertEqual(direction.count, meanGradient.count, "paired lengths")
        for (a, b) in zip(direction, meanGradient) {
            XCTAssertEqual(a.scalars.count, (b * 0.02).scalars.count, "paired lengths")
            for (x, y) in zip(a.scalars, (b * 0.02).scalars) { XCTAssertEqual(x, y, accuracy: 1e-6) }
        }
        let epsilon: Float = 0.5
        let optimizer = SGD(parameters: reptile.metaParameters, learningRate: epsilon)
        reptile.setMetaGradient(on: tasks)
        optimizer.step()
        let phiMean = zip(theta, direction).map { $0 - $1 }
        for (index, parameter) in model.parameters.enumerated() {
            let expected = (theta[index] + (phiMean[index] - theta[index]) * epsilon).scalars
            XCTAssertEqual(parameter.value.scalars.count, expected.count, "paired lengths")
            for (x, y) in zip(parameter.value.scalars, expected) { XCTAssertEqual(x, y, accuracy: 1e-6) }
        }
    }

    func testAdaptationKeepsNoGraph() {
        var generator = RandomGenerator(seed: 1)
        let model = MLP(sizes: [1, 6, 1], using: &generator)
        let task = RegressionEpisodes(tasks: SinusoidTasks(), supportCount: 5, queryCount: 1).sample(using: &generator).support
        let adapted = Reptile(model: model, loss: .meanSquaredError, innerLearningRate: 0.02, innerSteps: 5).adapt(on: task)
        XCTAssertEqual(adapted.weights.map(\.recordedGraphSize), [0, 0, 0, 0])
    }
}
