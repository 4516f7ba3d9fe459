import MesaCore
import MesaNN
import MesaOptim
import XCTest

/// A parameter holding `values` with `gradient` already accumulated.
func makeParameter(_ values: [Float], gradient: [Float]?) -> Parameter {
    let parameter = Parameter(Tensor(values))
    parameter.setGradient(gradient.map { Tensor($0) })
    return parameter
}

/// Asserts `|actual − expected| ≤ tolerance·max(1, |expected|)` element-wise: relative for
/// magnitudes above 1, absolute below (the parameters in these tests are of order 1).
func assertClose(
    _ actual: [Float], _ expected: [Double], tolerance: Double = 1e-6, _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(actual.count, expected.count, "count \(message)", file: file, line: line)
    for (index, (a, e)) in zip(actual, expected).enumerated() {
        XCTAssertLessThanOrEqual(abs(Double(a) - e), tolerance * max(1, abs(e)),
                                 "element \(index): \(a) vs expected \(e) \(message)", file: file, line: line)
    }
}

/// Runs `optimizer` over `parameter` with `gradients[step]` set before each step.
func applySteps(_ optimizer: any Optimizer, on parameter: Parameter, gradients: [[Double]]) {
    for gradient in gradients {
        parameter.setGradient(Tensor(gradient.map(Float.init)))
        optimizer.step()
    }
}

/// One optimizer of each algorithm over `parameters`, with non-default settings.
func makeEveryOptimizer(_ parameters: [Parameter]) -> [any Optimizer] {
    [
        SGD(parameters: parameters, learningRate: 0.1),
        SGD(parameters: parameters, learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        Adam(parameters: parameters, learningRate: 0.01, weightDecay: 0.01),
        AdamW(parameters: parameters, learningRate: 0.01, weightDecay: 0.1),
        Lion(parameters: parameters, learningRate: 0.01, weightDecay: 0.1),
    ]
}

final class OptimizerTests: XCTestCase {
    func testStepSkipsParametersWithoutGradient() {
        for index in 0..<5 {
            let trained = makeParameter([1, 2], gradient: [0.5, -0.5])
            let frozen = makeParameter([3, 4], gradient: nil)
            let optimizer = makeEveryOptimizer([trained, frozen])[index]
            optimizer.step()
            optimizer.step()
            XCTAssertEqual(frozen.value.scalars, [3, 4], "\(type(of: optimizer))")
            XCTAssertNotEqual(trained.value.scalars, [1, 2], "\(type(of: optimizer))")
            XCTAssertEqual(optimizer.stepCount, 2)
            XCTAssertEqual(optimizer.state.parameters.map(\.stepCount), [2, 0], "\(type(of: optimizer))")
        }
    }

    func testStepKeepsTheParameterALeafWithItsGradient() {
        for index in 0..<5 {
            let parameter = makeParameter([1, 2], gradient: [0.5, -0.5])
            let optimizer = makeEveryOptimizer([parameter])[index]
            optimizer.step()
            XCTAssertTrue(parameter.value.requiresGradient)
            XCTAssertEqual(parameter.gradient?.scalars, [0.5, -0.5])
            optimizer.clearGradients()
            XCTAssertNil(parameter.gradient)
        }
    }

    func testStepDoesNotChangeACopyOfTheValue() {
        let parameter = makeParameter([1, 2], gradient: [0.5, -0.5])
        let before = parameter.value
        Adam(parameters: [parameter]).step()
        XCTAssertEqual(before.scalars, [1, 2])
        XCTAssertNotEqual(parameter.value.scalars, [1, 2])
    }

    /// End to end: Adam fits a linear regression `y = x·w + b` through a `Linear` layer and backward.
    func testAdamFitsLinearRegression() {
        var generator = RandomGenerator(seed: 7)
        let inputs = Tensor.randomNormal([64, 3], using: &generator)
        let trueWeight = Tensor(shape: [3, 1], scalars: [2, -1, 0.5])
        let targets = Tensor.matmul(inputs, trueWeight) + 0.3
        let model = Linear(inputSize: 3, outputSize: 1, using: &generator)
        let optimizer = Adam(parameters: model.parameters, learningRate: 0.05)
        func loss() -> Tensor { Tensor.meanSquaredError(model(inputs), targets) }

        let initialLoss = withoutGradients { loss() }.scalar
        for _ in 0..<300 {
            loss().backward()
            optimizer.step()
            optimizer.clearGradients()
        }
        let finalLoss = withoutGradients { loss() }.scalar
        XCTAssertGreaterThan(initialLoss, 1)
        XCTAssertLessThan(finalLoss, 1e-4, "loss went from \(initialLoss) to \(finalLoss)")
        assertClose(model.weight.value.scalars, [2, -1, 0.5], tolerance: 1e-2)
        assertClose(model.bias!.value.scalars, [0.3], tolerance: 1e-2)
    }
}
