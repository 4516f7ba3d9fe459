import MesaCore
import MesaNN
import MesaTestSupport
import XCTest

final class LSTMTests: XCTestCase {
    private func makeLSTM(layerCount: Int = 2, inputSize: Int = 3, hiddenSize: Int = 4, seed: UInt64 = 91) -> LSTM {
        var generator = RandomGenerator(seed: seed)
        return LSTM(inputSize: inputSize, hiddenSize: hiddenSize, layerCount: layerCount, using: &generator)
    }

    func testMatchesHandUnrolledCells() {
        let lstm = makeLSTM()
        let (batch, sequence, hidden) = (2, 3, 4)
        let inputs = GradientCheck.randomInputs([[batch, sequence, 3], [2, batch, hidden], [2, batch, hidden]], seed: 92)
        let (output, state) = lstm(inputs[0], initialState: LSTMState(hidden: inputs[1], cell: inputs[2]))
        XCTAssertEqual(output.shape, [batch, sequence, hidden])
        XCTAssertEqual(state.hidden.shape, [2, batch, hidden])
        XCTAssertEqual(state.cell.shape, [2, batch, hidden])

        let x = inputs[0].scalars, h0 = inputs[1].scalars, c0 = inputs[2].scalars
        for b in 0..<batch {
            // Layer by layer through time, with plain arrays.
            var layerInputs = (0..<sequence).map { t in Array(x[((b * sequence + t) * 3)..<((b * sequence + t) * 3 + 3)]) }
            for (l, cell) in lstm.layers.enumerated() {
                let start = (l * batch + b) * hidden
                var h = Array(h0[start..<(start + hidden)]), c = Array(c0[start..<(start + hidden)])
                var outputs: [[Float]] = []
                for t in 0..<sequence {
                    (h, c) = naiveLSTMStep(cell, input: layerInputs[t], hidden: h, cell: c)
                    outputs.append(h)
                }
                for unit in 0..<hidden {
                    // Tolerance 1e-5: Float32 rounding accumulated over 3 steps and 2 layers.
                    XCTAssertEqual(state.hidden[l, b, unit], h[unit], accuracy: 1e-5)
                    XCTAssertEqual(state.cell[l, b, unit], c[unit], accuracy: 1e-5)
                }
                layerInputs = outputs
            }
            for t in 0..<sequence {
                for unit in 0..<hidden { XCTAssertEqual(output[b, t, unit], layerInputs[t][unit], accuracy: 1e-5) }
            }
        }
    }

    func testDefaultInitialStateIsZero() {
        let lstm = makeLSTM()
        let x = GradientCheck.randomInputs([[2, 3, 3]], seed: 93)[0]
        let zero = LSTMState.zeros([2, 2, 4])
        assertClose(lstm(x), lstm(x, initialState: zero).output, tolerance: 0)
    }

    func testUnbatchedInputMatchesBatchOfOne() {
        let lstm = makeLSTM()
        let x = GradientCheck.randomInputs([[5, 3]], seed: 94)[0]
        let (output, state) = lstm(x, initialState: nil)
        XCTAssertEqual(output.shape, [5, 4])
        XCTAssertEqual(state.hidden.shape, [2, 4])
        let batched = lstm(x.unsqueezed(at: 0), initialState: nil)
        assertClose(output, batched.output.squeezed(at: 0))
        assertClose(state.cell, batched.state.cell.squeezed(at: 1))
    }

    func testParameterNamesAndShapes() {
        let lstm = makeLSTM()
        XCTAssertEqual(lstm.namedParameters.map(\.name), [
            "layers.0.weightInputHidden", "layers.0.weightHiddenHidden", "layers.0.biasInputHidden", "layers.0.biasHiddenHidden",
            "layers.1.weightInputHidden", "layers.1.weightHiddenHidden", "layers.1.biasInputHidden", "layers.1.biasHiddenHidden",
        ])
        XCTAssertEqual(lstm.parameters.map(\.shape), [[16, 3], [16, 4], [16], [16], [16, 4], [16, 4], [16], [16]])
        XCTAssertEqual(lstm.parameterCount, (48 + 64 + 32) + (64 + 64 + 32))
    }

    func testGradientsMatchFiniteDifferences() {
        let lstm = makeLSTM(inputSize: 2, hiddenSize: 3)
        let inputs = GradientCheck.randomInputs([[2, 3, 2], [2, 2, 3], [2, 2, 3]], seed: 95)
        // Tolerance 1e-2 relative-plus-absolute with ε = 1e-2: through the outputs and the final cell state.
        GradientCheck.assertModuleMatches(lstm, inputs: inputs) { values in
            let (output, state) = lstm(values[0], initialState: LSTMState(hidden: values[1], cell: values[2]))
            return Tensor.concatenate([output.flattened(), state.cell.flattened()])
        }
    }

    func testSecondOrderGradientsMatchFiniteDifferences() {
        let lstm = makeLSTM(inputSize: 2, hiddenSize: 3)
        let inputs = GradientCheck.randomInputs([[2, 3, 2], [2, 3, 2]], seed: 96)
        func loss(_ output: Tensor) -> Tensor { (output * output).sum() + output.tanh().sum() }
        // Hessian-vector products by double backward against central differences of gradients:
        // 1e-2 relative-plus-absolute (ε = 1e-2, error O(ε²)).
        let inputError = GradientCheck.hessianVectorError(of: { loss(lstm($0)) }, at: inputs[0], direction: inputs[1])
        XCTAssertLessThan(inputError, 1e-2)

        // With respect to the recurrent weights (as MAML differentiates its inner update).
        let values = lstm.parameters.map(\.value)
        var generator = RandomGenerator(seed: 97)
        let direction = Tensor.randomNormal(values[1].shape, using: &generator)
        let weightError = GradientCheck.hessianVectorError(of: { weight in
            var substituted = values
            substituted[1] = weight
            return lstm.callAsFunction(substituting: substituted) { loss(lstm(inputs[0])) }
        }, at: values[1], direction: direction)
        XCTAssertLessThan(weightError, 1e-2)
    }

    func testWrongInputSizeThrowsNamingShapes() {
        let lstm = makeLSTM()
        XCTAssertThrowsError(try withTensorErrors { lstm(Tensor.zeros([2, 3, 5])) }) { error in
            guard let error = error as? TensorError else { return XCTFail("not a TensorError: \(error)") }
            XCTAssertEqual(error.kind, .shapeMismatch)
            XCTAssertTrue(error.message.contains("[2, 3, 5]") && error.message.contains("[16, 3]"), error.message)
        }
        XCTAssertThrowsError(try withTensorErrors { lstm(Tensor.zeros([3])) })
    }
}
