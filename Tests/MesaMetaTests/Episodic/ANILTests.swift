import MesaCore
@testable import MesaMeta
import MesaNN
import MesaTestSupport
import XCTest

final class ANILTests: XCTestCase {
    /// ANIL is MAML restricted to the head: same loss and gradients as adapting only the head's
    /// weights of the composed network.
    func testMatchesMAMLThatAdaptsOnlyTheHead() {
        var generator = RandomGenerator(seed: 0)
        let body = MLP(sizes: [1, 8, 8], activation: .tanh, using: &generator)
        let head = Linear(inputSize: 8, outputSize: 1, using: &generator)
        let episodes = RegressionEpisodes(tasks: SinusoidTasks(), supportCount: 5, queryCount: 5).sample(count: 3, using: &generator)
        let anil = ANIL(body: body, head: head, loss: .meanSquaredError, innerLearningRate: 0.1, innerSteps: 2)
        let loss = anil.metaLoss(on: episodes)
        loss.backward()
        let anilGradients = anil.metaParameters.map { $0.gradient!.scalars }
        anil.metaParameters.forEach { $0.clearGradient() }

        let whole = Stack(body: body, head: head)
        var total: Tensor?
        for episode in episodes {
            var learner = Learner(whole)
            learner.adapt(on: episode.support, loss: .meanSquaredError, learningRate: 0.1, steps: 2,
                          adapting: [4, 5])   // the head's weight and bias
            let taskLoss = MetaLoss.meanSquaredError(learner(episode.query.inputs), episode.query.targets)
            total = total.map { $0 + taskLoss } ?? taskLoss
        }
        let reference = total! / 3
        reference.backward()
        XCTAssertEqual(loss.scalar, reference.scalar, accuracy: 1e-5)
        XCTAssertEqual(whole.parameters.count, anilGradients.count, "paired lengths")
        for (parameter, expected) in zip(whole.parameters, anilGradients) {
            XCTAssertEqual(parameter.gradient!.scalars.count, expected.count, "paired lengths")
            for (a, e) in zip(parameter.gradient!.scalars, expected) { XCTAssertEqual(a, e, accuracy: 1e-4 * (1 + abs(e))) }
        }
        XCTAssertTrue(body.parameters.allSatisfy { $0.gradient != nil }, "the body is meta-trained through the features")
    }

    func testFirstOrderDetachesTheInnerLoopFromTheBody() {
        var generator = RandomGenerator(seed: 1)
        let body = MLP(sizes: [1, 6, 6], using: &generator)
        let head = Linear(inputSize: 6, outputSize: 1, using: &generator)
        let episode = RegressionEpisodes(tasks: SinusoidTasks(), supportCount: 5, queryCount: 5).sample(using: &generator)
        let anil = ANIL(body: body, head: head, loss: .meanSquaredError, innerLearningRate: 0.1, innerSteps: 10, order: .first)
        let adapted = anil.adaptHead(on: episode.support)
        // Each adapted weight depends on the meta-parameters only through `w − α g`.
        XCTAssertLessThanOrEqual(adapted.weights.map(\.recordedGraphSize).max()!, 2 * 10 + 1)
    }
}

/// A body followed by a head, as one module (parameters: the body's, then the head's).
private final class Stack: Layer {
    let body: MLP
    let head: Linear
    init(body: MLP, head: Linear) { self.body = body; self.head = head }
    func callAsFunction(_ input: Tensor) -> Tensor { head(body(input)) }
}
