import Foundation
import MesaCore
import MesaNN
import MesaOptim
import XCTest

final class OptimizerStateTests: XCTestCase {
    /// The optimizers under test, each created fresh over given parameters.
    let factories: [(name: String, make: ([Parameter]) -> any Optimizer)] = [
        ("SGD", { SGD(parameters: $0, learningRate: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01) }),
        ("SGD Nesterov", { SGD(parameters: $0, learningRate: 0.1, momentum: 0.9, nesterov: true) }),
        ("Adam", { Adam(parameters: $0, learningRate: 0.01, weightDecay: 0.01) }),
        ("AdamW", { AdamW(parameters: $0, learningRate: 0.01, weightDecay: 0.1) }),
        ("Lion", { Lion(parameters: $0, learningRate: 0.003, weightDecay: 0.1) }),
    ]

    let schedule = LearningRateSchedule.warmUpCosineDecay(peak: 0.05, minimum: 0.005, warmUpSteps: 3, totalSteps: 10)

    /// Trains `model` for `steps` on a regression batch drawn for each step from its own seed,
    /// with the learning rate from ``schedule``, gradient clipping, and the bias left without a
    /// gradient for the first two steps (so per-parameter step counts differ).
    func train(_ model: Linear, _ optimizer: any Optimizer, steps: Range<Int>) {
        for step in steps {
            var generator = RandomGenerator(seed: UInt64(100 + step))
            let inputs = Tensor.randomNormal([8, 3], using: &generator)
            let targets = Tensor.randomNormal([8, 2], using: &generator)
            optimizer.learningRate = schedule.learningRate(atStep: step)
            Tensor.meanSquaredError(model(inputs), targets).backward()
            if step < 2 { model.bias!.clearGradient() }
            _ = clipGradientNorm(model.parameters, maximumNorm: 0.5)
            optimizer.step()
            optimizer.clearGradients()
        }
    }

    func makeModel() -> Linear {
        var generator = RandomGenerator(seed: 42)
        return Linear(inputSize: 3, outputSize: 2, using: &generator)
    }

    /// Export after 4 of 10 steps, write to JSON, read back into a fresh model and optimizer,
    /// continue: the parameters equal an uninterrupted run's bit for bit.
    func testResumedRunEqualsUninterruptedRun() throws {
        for (name, make) in factories {
            let uninterrupted = makeModel()
            train(uninterrupted, make(uninterrupted.parameters), steps: 0..<10)

            let first = makeModel()
            let firstOptimizer = make(first.parameters)
            train(first, firstOptimizer, steps: 0..<4)
            let data = try JSONEncoder().encode(firstOptimizer.state)
            let savedValues = first.parameters.map { $0.value.detached() }

            let resumed = Linear(weight: savedValues[0], bias: savedValues[1])
            let resumedOptimizer = make(resumed.parameters)
            resumedOptimizer.learningRate = 123
            try resumedOptimizer.load(try JSONDecoder().decode(OptimizerState.self, from: data))
            XCTAssertEqual(resumedOptimizer.stepCount, 4, name)
            XCTAssertEqual(resumedOptimizer.learningRate, firstOptimizer.learningRate, name)
            XCTAssertEqual(resumedOptimizer.state, firstOptimizer.state, name)
            train(resumed, resumedOptimizer, steps: 4..<10)

            XCTAssertEqual(uninterrupted.parameters.count, resumed.parameters.count, "paired lengths")
            for (a, b) in zip(uninterrupted.parameters, resumed.parameters) {
                XCTAssertEqual(a.value.scalars, b.value.scalars, name)
            }
            // The run did move the parameters, and a fresh optimizer would not have reproduced them.
            XCTAssertNotEqual(uninterrupted.weight.value.scalars, makeModel().weight.value.scalars, name)
            let restarted = Linear(weight: savedValues[0], bias: savedValues[1])
            train(restarted, make(restarted.parameters), steps: 4..<10)
            XCTAssertNotEqual(restarted.weight.value.scalars, uninterrupted.weight.value.scalars, name)
        }
    }

    func testStateContents() {
        let parameter = makeParameter([1, 2], gradient: [0.5, -0.5])
        let adam = Adam(parameters: [parameter], learningRate: 0.01)
        adam.step()
        let state = adam.state
        XCTAssertEqual(state.algorithm, "Adam")
        XCTAssertEqual(state.stepCount, 1)
        XCTAssertEqual(state.learningRate, 0.01)
        XCTAssertEqual(state.hyperparameters["beta2"], 0.999)
        XCTAssertEqual(state.parameters.map(\.shape), [[2]])
        XCTAssertEqual(state.parameters[0].buffers["firstMoment"]!, [0.05, -0.05], accuracy: 1e-7)
        XCTAssertEqual(Set(state.parameters[0].buffers.keys), ["firstMoment", "secondMoment"])
        XCTAssertEqual(AdamW(parameters: [parameter]).state.algorithm, "AdamW")
        XCTAssertEqual(Lion(parameters: [parameter]).state.parameters[0].buffers.keys.sorted(), ["momentum"])
        XCTAssertTrue(SGD(parameters: [parameter], learningRate: 1).state.parameters[0].buffers.isEmpty)
    }

    /// As in PyTorch, loading restores the learning rate and the adjustable hyperparameters.
    func testLoadingRestoresAdjustableHyperparameters() throws {
        let p = Parameter(Tensor([1, 2]))
        let saved = Adam(parameters: [p], learningRate: 0.02, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.1)
        let adam = Adam(parameters: [p])
        try adam.load(saved.state)
        XCTAssertEqual([adam.learningRate, adam.beta1, adam.beta2, adam.epsilon, adam.weightDecay], [0.02, 0.8, 0.99, 1e-6, 0.1])
        let lion = Lion(parameters: [p])
        try lion.load(Lion(parameters: [p], beta1: 0.5, beta2: 0.9, weightDecay: 2).state)
        XCTAssertEqual([lion.beta1, lion.beta2, lion.weightDecay], [0.5, 0.9, 2])
        let sgd = SGD(parameters: [p], learningRate: 1, momentum: 0.9)
        try sgd.load(SGD(parameters: [p], learningRate: 0.5, momentum: 0.9, weightDecay: 0.01).state)
        XCTAssertEqual([sgd.learningRate, sgd.weightDecay], [0.5, 0.01])
    }

    func testLoadingMismatchedStateThrows() {
        let p = Parameter(Tensor([1, 2]))
        let q = Parameter(Tensor([[1, 2, 3]]))
        let adam = Adam(parameters: [p, q])
        let state = adam.state

        assertMismatch(state, into: AdamW(parameters: [p, q]), mentions: ["Adam", "AdamW"])
        assertMismatch(state, into: Lion(parameters: [p, q]), mentions: ["Adam", "Lion"])
        assertMismatch(state, into: Adam(parameters: [p]), mentions: ["2 parameters", "has 1"])
        assertMismatch(state, into: Adam(parameters: [q, p]), mentions: ["parameter 0", "[2]", "[1, 3]"])
        assertMismatch(SGD(parameters: [p], learningRate: 1, momentum: 0.9).state,
                       into: SGD(parameters: [p], learningRate: 1), mentions: ["momentum", "0.9", "fixes it"])

        var missing = state
        missing.parameters[1].buffers["secondMoment"] = nil
        assertMismatch(missing, into: Adam(parameters: [p, q]), mentions: ["parameter 1", "secondMoment"])
        var short = state
        short.parameters[0].buffers["firstMoment"] = [0]
        assertMismatch(short, into: Adam(parameters: [p, q]), mentions: ["firstMoment", "1 values", "2 elements"])
        var missingDecay = state
        missingDecay.hyperparameters["weightDecay"] = nil
        assertMismatch(missingDecay, into: Adam(parameters: [p, q]), mentions: ["weightDecay", "absent"])
        var badBeta = state
        badBeta.hyperparameters["beta1"] = 1
        assertMismatch(badBeta, into: Adam(parameters: [p, q]), mentions: ["beta1", "1.0", "outside"])
        var impossible = state
        impossible.parameters[0].stepCount = 5
        assertMismatch(impossible, into: Adam(parameters: [p, q]), mentions: ["step count 5"])
    }

    /// Asserts that loading `state` throws a message containing `fragments`, and changes nothing.
    func assertMismatch(
        _ state: OptimizerState, into optimizer: any Optimizer, mentions fragments: [String],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let before = optimizer.state
        XCTAssertThrowsError(try optimizer.load(state), file: file, line: line) { error in
            XCTAssertTrue(error is OptimizerStateMismatch, "\(error)", file: file, line: line)
            for fragment in fragments {
                XCTAssertTrue("\(error)".contains(fragment), "'\(error)' should mention '\(fragment)'", file: file, line: line)
            }
        }
        XCTAssertEqual(optimizer.state, before, "a failed load must leave the optimizer as it was", file: file, line: line)
    }
}

private func XCTAssertEqual(
    _ actual: [Float], _ expected: [Float], accuracy: Float, file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(actual.count, expected.count, file: file, line: line)
    for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: accuracy, file: file, line: line) }
}
