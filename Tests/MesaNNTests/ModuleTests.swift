import MesaCore
import MesaNN
import MesaTestSupport
import XCTest

/// A module exercising every kind of stored property the traversal understands.
private final class Composite: Layer {
    let embedding: Embedding
    let blocks: [Linear]
    let norm: LayerNorm?
    let missing: LayerNorm?
    let scale: Parameter
    let dropout: Dropout

    init(using generator: inout RandomGenerator) {
        embedding = Embedding(count: 4, dimension: 3, using: &generator)
        blocks = [Linear(inputSize: 3, outputSize: 3, using: &generator), Linear(inputSize: 3, outputSize: 2, using: &generator)]
        norm = LayerNorm(featureCount: 2)
        missing = nil
        scale = Parameter(Tensor(2))
        dropout = Dropout(probability: 0.5, using: &generator)
    }

    func callAsFunction(_ input: Tensor) -> Tensor {
        let hidden = dropout(blocks[0](embedding(input)).tanh())
        return norm!(blocks[1](hidden)) * scale.value
    }
}

final class ModuleTests: XCTestCase {
    func testNamesOrderAndCount() {
        var generator = RandomGenerator(seed: 101)
        let module = Composite(using: &generator)
        XCTAssertEqual(module.namedParameters.map(\.name), [
            "embedding.weight", "blocks.0.weight", "blocks.0.bias", "blocks.1.weight", "blocks.1.bias",
            "norm.weight", "norm.bias", "scale",
        ])
        XCTAssertEqual(module.parameterCount, 12 + 12 + 8 + 4 + 1)
        XCTAssertEqual(module.namedChildren.map(\.name), ["embedding", "blocks.0", "blocks.1", "norm", "dropout"])
        XCTAssertEqual(module.allModules.count, 6)
    }

    func testFunctionalCallSubstitutesAndRestores() {
        var generator = RandomGenerator(seed: 102)
        let module = Composite(using: &generator)
        module.setTraining(false)
        let x = Tensor([[0, 1, 3]])
        let reference = module(x)
        let own = module.parameters.map(\.value)
        assertClose(module.callAsFunction(substituting: own) { module(x) }, reference, tolerance: 0)
        var other = own
        other[other.count - 1] = Tensor(-1)   // scale
        assertClose(module.callAsFunction(substituting: other) { module(x) }, reference * -0.5, tolerance: 1e-6)
        assertClose(module(x), reference, tolerance: 0)
    }

    func testGradientsFlowIntoSubstitutedValues() {
        var generator = RandomGenerator(seed: 103)
        let module = Composite(using: &generator)
        module.setTraining(false)
        let x = Tensor([[2, 1]])
        // Fast weights computed from the parameters: the loss differentiates back through them.
        let fast = module.parameters.map { $0.value * 2 }
        let loss = module.callAsFunction(substituting: fast) { module(x).sum() }
        let direct = gradients(of: loss, withRespectTo: module.parameters.map(\.value))
        XCTAssertTrue(direct.contains { $0.scalars.contains { $0 != 0 } })
        GradientCheck.assertModuleMatches(module, inputs: []) { _ in module(x) }
    }
}
