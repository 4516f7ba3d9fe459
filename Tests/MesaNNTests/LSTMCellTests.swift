import Foundation
import MesaCore
import MesaNN
import MesaTestSupport
import XCTest

/// One LSTM step for one batch element with plain `Float` arrays, written from the equations
/// (gate blocks i, f, g, o of `4·hidden` rows; weights row-major).
func naiveLSTMStep(_ cell: LSTMCell, input x: [Float], hidden h: [Float], cell c: [Float]) -> (hidden: [Float], cell: [Float]) {
    let n = cell.hiddenSize, m = cell.inputSize
    let wih = cell.weightInputHidden.value.scalars, whh = cell.weightHiddenHidden.value.scalars
    let bih = cell.biasInputHidden?.value.scalars ?? Array(repeating: 0, count: 4 * n)
    let bhh = cell.biasHiddenHidden?.value.scalars ?? Array(repeating: 0, count: 4 * n)
    func sigmoid(_ v: Float) -> Float { 1 / (1 + exp(-v)) }
    var preactivation = [Float](repeating: 0, count: 4 * n)
    for row in 0..<(4 * n) {
        var sum = bih[row] + bhh[row]
        for j in 0..<m { sum += wih[row * m + j] * x[j] }
        for j in 0..<n { sum += whh[row * n + j] * h[j] }
        preactivation[row] = sum
    }
    var newHidden = [Float](repeating: 0, count: n), newCell = [Float](repeating: 0, count: n)
    for unit in 0..<n {
        let i = sigmoid(preactivation[unit]), f = sigmoid(preactivation[n + unit])
        let g = tanh(preactivation[2 * n + unit]), o = sigmoid(preactivation[3 * n + unit])
        newCell[unit] = f * c[unit] + i * g
        newHidden[unit] = o * tanh(newCell[unit])
    }
    return (newHidden, newCell)
}

/// Row `index` of a rank-2 tensor as an array.
func row(_ tensor: Tensor, _ index: Int) -> [Float] {
    let width = tensor.shape[1]
    return Array(tensor.scalars[(index * width)..<((index + 1) * width)])
}

final class LSTMCellTests: XCTestCase {
    private func makeCell(bias: Bool = true) -> LSTMCell {
        var generator = RandomGenerator(seed: 81)
        return LSTMCell(inputSize: 3, hiddenSize: 4, bias: bias, using: &generator)
    }

    func testStepMatchesHandComputation() {
        for bias in [true, false] {
            let cell = makeCell(bias: bias)
            let inputs = GradientCheck.randomInputs([[2, 3], [2, 4], [2, 4]], seed: 82)
            let state = cell(inputs[0], state: LSTMState(hidden: inputs[1], cell: inputs[2]))
            XCTAssertEqual(state.hidden.shape, [2, 4])
            for b in 0..<2 {
                let expected = naiveLSTMStep(cell, input: row(inputs[0], b), hidden: row(inputs[1], b), cell: row(inputs[2], b))
                // Float32 sums of ~10 terms through sigmoid/tanh: within 1e-5.
                XCTAssertEqual(row(state.hidden, b).count, expected.hidden.count, "paired lengths")
                for (actual, wanted) in zip(row(state.hidden, b), expected.hidden) { XCTAssertEqual(actual, wanted, accuracy: 1e-5) }
                XCTAssertEqual(row(state.cell, b).count, expected.cell.count, "paired lengths")
                for (actual, wanted) in zip(row(state.cell, b), expected.cell) { XCTAssertEqual(actual, wanted, accuracy: 1e-5) }
            }
        }
    }

    func testParameterLayoutMatchesPyTorch() {
        let cell = makeCell()
        XCTAssertEqual(cell.namedParameters.map(\.name),
                       ["weightInputHidden", "weightHiddenHidden", "biasInputHidden", "biasHiddenHidden"])
        XCTAssertEqual(cell.parameters.map(\.shape), [[16, 3], [16, 4], [16], [16]])
        // Every parameter U(−1/√hidden, 1/√hidden) = U(−0.5, 0.5).
        XCTAssertTrue(cell.parameters.allSatisfy { $0.value.scalars.allSatisfy { abs($0) <= 0.5 } })
        XCTAssertEqual(makeCell(bias: false).parameters.count, 2)
    }

    func testGradientsMatchFiniteDifferences() {
        let cell = makeCell()
        let inputs = GradientCheck.randomInputs([[2, 3], [2, 4], [2, 4]], seed: 83)
        // Tolerance 1e-2 relative-plus-absolute with ε = 1e-2; both outputs checked at once.
        GradientCheck.assertModuleMatches(cell, inputs: inputs) { values in
            let state = cell(values[0], state: LSTMState(hidden: values[1], cell: values[2]))
            return Tensor.concatenate([state.hidden, state.cell], alongAxis: 1)
        }
    }
}
