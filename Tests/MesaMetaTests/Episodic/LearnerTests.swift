import MesaCore
@testable import MesaMeta
import MesaNN
import XCTest

final class LearnerTests: XCTestCase {
    func testACloneAtTheStartPredictsExactlyLikeTheModel() {
        var generator = RandomGenerator(seed: 0)
        let model = MLP(sizes: [2, 16, 3], using: &generator)
        let x = Tensor.randomNormal([7, 2], using: &generator)
        let clone = Learner(model).clone()
        XCTAssertEqual(clone(x).scalars, model(x).scalars)
    }

    func testAdaptingACloneLeavesTheOriginalAndTheModelUntouched() {
        var generator = RandomGenerator(seed: 1)
        let model = MLP(sizes: [1, 8, 1], using: &generator)
        let episode = RegressionEpisodes(tasks: SinusoidTasks(), supportCount: 10, queryCount: 10).sample(using: &generator)
        let original = Learner(model)
        let before = model.parameters.map { $0.value.scalars }
        var clone = original.clone()
        let lossBefore = MetaLoss.meanSquaredError(clone(episode.support.inputs), episode.support.targets).scalar
        clone.adapt(on: episode.support, loss: .meanSquaredError, learningRate: 0.01, steps: 5)
        let lossAfter = MetaLoss.meanSquaredError(clone(episode.support.inputs), episode.support.targets).scalar
        XCTAssertLessThan(lossAfter, lossBefore)
        XCTAssertEqual(original.weights.map(\.scalars), before)
        XCTAssertEqual(model.parameters.map { $0.value.scalars }, before)
    }

    func testOneStepIsTheGradientStepFormula() {
        var generator = RandomGenerator(seed: 2)
        let model = Linear(inputSize: 2, outputSize: 1, using: &generator)
        let support = ExampleSet(inputs: .randomNormal([5, 2], using: &generator), targets: .randomNormal([5, 1], using: &generator))
        var learner = Learner(model)
        learner.adapt(on: support, loss: .meanSquaredError, learningRate: 0.3, order: .first)
        let loss = MetaLoss.meanSquaredError(model(support.inputs), support.targets)
        let grads = gradients(of: loss, withRespectTo: model.parameters.map(\.value))
        for (index, parameter) in model.parameters.enumerated() {
            let expected = (parameter.value.detached() - grads[index] * 0.3).scalars
            XCTAssertEqual(learner.weights[index].scalars.count, expected.count, "paired lengths")
            for (a, e) in zip(learner.weights[index].scalars, expected) { XCTAssertEqual(a, e, accuracy: 1e-6) }
        }
    }

    func testAdaptingOnlySomeWeightsLeavesTheOthers() {
        var generator = RandomGenerator(seed: 4)
        let model = MLP(sizes: [1, 4, 1], using: &generator)
        let episode = RegressionEpisodes(tasks: SinusoidTasks(), supportCount: 4, queryCount: 4).sample(using: &generator)
        var learner = Learner(model)
        learner.adapt(on: episode.support, loss: .meanSquaredError, learningRate: 0.1, steps: 2, adapting: [2, 3])
        XCTAssertEqual(learner.weights[0].scalars, model.layers[0].weight.value.scalars)
        XCTAssertEqual(learner.weights[1].scalars, model.layers[0].bias!.value.scalars)
        XCTAssertNotEqual(learner.weights[2].scalars, model.layers[1].weight.value.scalars)
    }
}
