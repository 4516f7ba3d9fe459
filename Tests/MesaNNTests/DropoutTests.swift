import MesaCore
import MesaNN
import XCTest

final class DropoutTests: XCTestCase {
    func testIdentityWhenEvaluatingOrAtZeroProbability() {
        let x = Tensor.ones([10, 10])
        let evaluating = Dropout(probability: 0.5, seed: 1)
        evaluating.isTraining = false
        XCTAssertEqual(evaluating(x).scalars, x.scalars)
        XCTAssertEqual(Dropout(probability: 0, seed: 1)(x).scalars, x.scalars)
    }

    func testSameSeedGivesSameMasks() {
        let x = Tensor.ones([50])
        let first = Dropout(probability: 0.5, seed: 42), second = Dropout(probability: 0.5, seed: 42)
        let a = first(x), b = second(x)
        XCTAssertEqual(a.scalars, b.scalars)
        XCTAssertEqual(first(x).scalars, second(x).scalars)
        // The stream advances, so the next mask differs (2⁻⁵⁰ chance of a coincidence).
        XCTAssertNotEqual(first(x).scalars, a.scalars)
    }

    func testKeepRateAndInvertedScaling() {
        let dropout = Dropout(probability: 0.25, seed: 7)
        let y = dropout(Tensor.ones([100, 100]))
        let scalars = y.scalars
        let kept = scalars.filter { $0 != 0 }
        // 10⁴ Bernoulli(0.75) draws: standard deviation of the rate ≈ 0.0043, so ±0.02 is > 4σ.
        XCTAssertEqual(Float(kept.count) / 10_000, 0.75, accuracy: 0.02)
        XCTAssertTrue(kept.allSatisfy { $0 == 1 / Float(0.75) }, "survivors are scaled by 1/(1 − p)")
    }

    func testProbabilityOneDropsEverything() {
        XCTAssertEqual(Dropout(probability: 1, seed: 3)(Tensor.ones([5])).scalars, [0, 0, 0, 0, 0])
    }

    func testGradientIsTheScaledMask() {
        let dropout = Dropout(probability: 0.5, seed: 9)
        let x = Tensor.ones([20]).requiringGradient()
        let y = dropout(x)
        let gradient = gradients(of: y.sum(), withRespectTo: [x])[0]
        XCTAssertEqual(gradient.scalars, y.scalars)   // y = m / (1 − p) when x = 1
    }

    func testGeneratorSplitGivesIndependentStreams() {
        var generator = RandomGenerator(seed: 5)
        let first = Dropout(probability: 0.5, using: &generator), second = Dropout(probability: 0.5, using: &generator)
        XCTAssertNotEqual(first.generator, second.generator)
        XCTAssertTrue(first.parameters.isEmpty)
    }
}
