import MesaCore
@testable import MesaMeta
import MesaNN
import MesaTestSupport
import XCTest

final class MetaSGDTests: XCTestCase {
    func testTheStepUsesThePerParameterLearningRates() {
        var generator = RandomGenerator(seed: 0)
        let model = Linear(inputSize: 3, outputSize: 1, using: &generator)
        let support = ExampleSet(inputs: .randomNormal([6, 3], using: &generator), targets: .randomNormal([6, 1], using: &generator))
        let metaSGD = MetaSGD(model: model, loss: .meanSquaredError, initialLearningRate: 0.1)
        metaSGD.learningRates[0].assign(Tensor(shape: [1, 3], scalars: [0.0, 0.2, 0.5]))
        let adapted = metaSGD.adapt(on: support).weights
        let grads = gradients(of: MetaLoss.meanSquaredError(model(support.inputs), support.targets), withRespectTo: model.parameters.map(\.value))
        let w = model.weight.value.scalars, g = grads[0].scalars
        let expected = [w[0], w[1] - 0.2 * g[1], w[2] - 0.5 * g[2]]
        XCTAssertEqual(adapted[0].scalars.count, expected.count, "paired lengths")
        for (a, e) in zip(adapted[0].scalars, expected) { XCTAssertEqual(a, e, accuracy: 1e-6) }
        XCTAssertEqual(adapted[1].scalar, model.bias!.value.scalar - 0.1 * grads[1].scalar, accuracy: 1e-6)
    }

    /// The meta-gradient with respect to the learning rates, against central differences.
    func testTheMetaGradientReachesTheLearningRates() {
        var generator = RandomGenerator(seed: 6)
        let model = MLP(sizes: [1, 5, 1], activation: .tanh, using: &generator)
        let episodes = RegressionEpisodes(tasks: SinusoidTasks(), supportCount: 4, queryCount: 4).sample(count: 2, using: &generator)
        let metaSGD = MetaSGD(model: model, loss: .meanSquaredError, initialLearningRate: 0.05, innerSteps: 2)
        XCTAssertEqual(metaSGD.metaParameters.count, 2 * model.parameters.count)
        GradientCheck.assertMatches({ rates in
            let saved = metaSGD.learningRates.map(\.value)
            for (parameter, rate) in zip(metaSGD.learningRates, rates) { parameter.value = rate }
            defer { for (parameter, rate) in zip(metaSGD.learningRates, saved) { parameter.value = rate } }
            return metaSGD.metaLoss(on: episodes)
        }, at: metaSGD.learningRates.map(\.value), epsilon: 1e-2, tolerance: 1e-2, differentiatesInside: true)
    }
}
