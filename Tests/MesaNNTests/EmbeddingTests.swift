import MesaCore
import MesaNN
import MesaTestSupport
import XCTest

final class EmbeddingTests: XCTestCase {
    private func makeEmbedding() -> Embedding {
        var generator = RandomGenerator(seed: 11)
        return Embedding(count: 5, dimension: 3, using: &generator)
    }

    func testLooksUpRows() {
        let embedding = makeEmbedding()
        let rows = embedding([4, 0, 4])
        XCTAssertEqual(rows.shape, [3, 3])
        let weight = embedding.weight.value
        for (row, index) in [4, 0, 4].enumerated() {
            for column in 0..<3 { XCTAssertEqual(rows[row, column], weight[index, column]) }
        }
    }

    func testTensorIndicesKeepTheirShape() {
        let embedding = makeEmbedding()
        let indices = Tensor(shape: [2, 2], scalars: [1, 2, 3, 1])
        let output = embedding(indices)
        XCTAssertEqual(output.shape, [2, 2, 3])
        assertClose(output.reshaped(to: [4, 3]), embedding([1, 2, 3, 1]))
    }

    func testGradientAccumulatesIntoRepeatedRows() {
        let embedding = makeEmbedding()
        embedding([1, 1, 3]).sum().backward()
        let gradient = embedding.weight.gradient!
        XCTAssertEqual(gradient.scalars, [0, 0, 0, 2, 2, 2, 0, 0, 0, 1, 1, 1, 0, 0, 0])
    }

    func testGradientsMatchFiniteDifferences() {
        let embedding = makeEmbedding()
        // Tolerance 1e-2 (relative-plus-absolute); the lookup is linear in the weight.
        GradientCheck.assertModuleMatches(embedding, inputs: []) { _ in embedding(Tensor([[0, 2], [2, 4]])) }
    }

    func testInitialisationIsStandardNormal() {
        var generator = RandomGenerator(seed: 12)
        let values = Embedding(count: 100, dimension: 100, using: &generator).weight.value
        // 10⁴ samples: the mean's standard error is 0.01, so ±0.05 is a 5σ band.
        XCTAssertEqual(values.mean().scalar, 0, accuracy: 0.05)
        XCTAssertEqual(values.variance(alongAxes: [0, 1]).scalar, 1, accuracy: 0.05)
    }

    func testInvalidIndicesThrow() {
        let embedding = makeEmbedding()
        for bad: Float in [5, -1, 1.5, .nan] {
            XCTAssertThrowsError(try withTensorErrors { embedding(Tensor([0, bad])) }) { error in
                XCTAssertEqual((error as? TensorError)?.kind, .indexOutOfRange)
            }
        }
        XCTAssertThrowsError(try withTensorErrors { embedding([7]) })
    }
}
