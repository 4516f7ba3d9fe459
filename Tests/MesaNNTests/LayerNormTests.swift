import MesaCore
import MesaNN
import MesaTestSupport
import XCTest

final class LayerNormTests: XCTestCase {
    func testRowsHaveZeroMeanAndUnitVariance() {
        let norm = LayerNorm(featureCount: 16)
        var generator = RandomGenerator(seed: 21)
        let x = Tensor.randomNormal([3, 4, 16], mean: 5, standardDeviation: 3, using: &generator)
        let y = norm(x)
        XCTAssertEqual(y.shape, x.shape)
        // Per-row mean within 1e-5 of 0; biased variance within 1e-3 of 1 (ε = 1e-5 shrinks it by ~ε/σ² ≈ 1e-6).
        for value in y.mean(alongAxis: -1).scalars { XCTAssertEqual(value, 0, accuracy: 1e-5) }
        for value in y.variance(alongAxis: -1).scalars { XCTAssertEqual(value, 1, accuracy: 1e-3) }
    }

    func testAppliesGainAndBias() {
        let norm = LayerNorm(weight: Tensor([2, 1, 0.5]), bias: Tensor([0, 1, -1]))
        let x = Tensor([[1, 2, 3]])
        // x̂ = (x − 2)/√(2/3 + 1e-5) for each element.
        let scale = 1 / (Float(2) / 3 + 1e-5).squareRoot()
        assertClose(norm(x), Tensor([[-2 * scale, 1, 0.5 * scale - 1]]), tolerance: 1e-5)
    }

    func testParametersAreNamedAsPyTorch() {
        let norm = LayerNorm(featureCount: 4)
        XCTAssertEqual(norm.namedParameters.map(\.name), ["weight", "bias"])
        XCTAssertEqual(norm.weight.value.scalars, [1, 1, 1, 1])
        XCTAssertEqual(norm.bias.value.scalars, [0, 0, 0, 0])
        XCTAssertEqual(norm.epsilon, 1e-5)
        XCTAssertEqual(norm.parameterCount, 8)
    }

    func testGradientsMatchFiniteDifferences() {
        let inputs = GradientCheck.randomInputs([[4], [4], [2, 3, 4]], seed: 22)
        let norm = LayerNorm(weight: inputs[0], bias: inputs[1])
        // Tolerance 1e-2 relative-plus-absolute with ε = 1e-2 (curvature error O(ε²)).
        GradientCheck.assertModuleMatches(norm, inputs: [inputs[2]]) { norm($0[0]) }
    }
}
