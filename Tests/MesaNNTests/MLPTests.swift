import MesaCore
import MesaNN
import MesaTestSupport
import XCTest

final class MLPTests: XCTestCase {
    func testShapesNamesAndCount() {
        var generator = RandomGenerator(seed: 31)
        let network = MLP(sizes: [3, 5, 2], using: &generator)
        XCTAssertEqual(network.sizes, [3, 5, 2])
        XCTAssertEqual(network.namedParameters.map(\.name), ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"])
        XCTAssertEqual(network.parameterCount, 3 * 5 + 5 + 5 * 2 + 2)
        XCTAssertEqual(network(Tensor.zeros([4, 3])).shape, [4, 2])
    }

    func testActivationBetweenLayersButNotAfterTheLast() {
        var generator = RandomGenerator(seed: 32)
        let x = Tensor.randomNormal([6, 3], using: &generator)
        for activation in Activation.allCases {
            let network = MLP(sizes: [3, 4, 4, 2], activation: activation, using: &generator)
            let layers = network.layers
            let expected = layers[2](activation(layers[1](activation(layers[0](x)))))
            assertClose(network(x), expected, "\(activation)")
        }
    }

    func testGradientsMatchFiniteDifferences() {
        var generator = RandomGenerator(seed: 33)
        let network = MLP(sizes: [3, 4, 2], activation: .tanh, using: &generator)
        let x = GradientCheck.randomInputs([[2, 3]], seed: 34)
        // Tolerance 1e-2 relative-plus-absolute with ε = 1e-2 (tanh is smooth; no kinks).
        GradientCheck.assertModuleMatches(network, inputs: x) { network($0[0]) }
    }
}
