import MesaCore
import MesaNN
import MesaTestSupport
import XCTest

final class LinearTests: XCTestCase {
    func testComputesAffineMapOverLeadingDimensions() {
        let layer = Linear(weight: Tensor([[1, 2], [3, 4], [5, 6]]), bias: Tensor([1, 0, -1]))
        let x = Tensor(shape: [2, 1, 2], scalars: [1, 1, 2, -1])
        assertClose(layer(x), Tensor(shape: [2, 1, 3], scalars: [4, 7, 10, 1, 2, 3]))
    }

    func testInitialisationBoundAndNames() {
        var generator = RandomGenerator(seed: 1)
        let layer = Linear(inputSize: 16, outputSize: 8, using: &generator)
        XCTAssertEqual(layer.namedParameters.map(\.name), ["weight", "bias"])
        XCTAssertEqual(layer.weight.shape, [8, 16])
        // U(−1/√16, 1/√16) = U(−0.25, 0.25) for weight and bias, as PyTorch.
        XCTAssertTrue((layer.weight.value.scalars + layer.bias!.value.scalars).allSatisfy { abs($0) <= 0.25 })
    }

    func testGradientsMatchFiniteDifferences() {
        var generator = RandomGenerator(seed: 2)
        let layer = Linear(inputSize: 3, outputSize: 2, using: &generator)
        let x = GradientCheck.randomInputs([[2, 4, 3]], seed: 3)
        // Tolerance 1e-2 on max(|numeric − exact| / (1 + |exact|)) with ε = 1e-2 (a linear map:
        // the error is Float rounding only).
        GradientCheck.assertModuleMatches(layer, inputs: x) { layer($0[0]) }
    }

    func testWrongFeatureSizeThrowsNamingShapes() {
        var generator = RandomGenerator(seed: 4)
        let layer = Linear(inputSize: 8, outputSize: 4, using: &generator)
        let x = Tensor.zeros([2, 3, 5])
        XCTAssertThrowsError(try withTensorErrors { layer(x) }) { error in
            guard let error = error as? TensorError else { return XCTFail("not a TensorError: \(error)") }
            XCTAssertEqual(error.kind, .shapeMismatch)
            XCTAssertTrue(error.message.contains("[2, 3, 5]") && error.message.contains("[4, 8]"), error.message)
        }
    }
}
