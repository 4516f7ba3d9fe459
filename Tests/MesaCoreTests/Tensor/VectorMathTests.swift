import Foundation
@testable import MesaCore
import XCTest

/// The vectorised `exp` behind softmax, checked through `softmax` against `Foundation.exp`.
final class VectorMathTests: XCTestCase {
    func testSoftmaxMatchesDoublePrecisionAcrossTheRange() {
        // Rows spanning the whole useful range of exp, including underflow to 0.
        let values: [Float] = stride(from: -100, through: 20, by: 0.37).map { Float($0) }
        let result = Tensor(values).softmax().scalars
        // The reference uses the same Float32 argument x − max, so only exp's own error is measured.
        let maximum = values.max()!
        let exps = values.map { Foundation.exp(Double($0 - maximum)) }
        let total = exps.reduce(0, +)
        XCTAssertEqual(result.count, exps.map { $0 / total }.count, "paired lengths")
        for (computed, exact) in zip(result, exps.map { $0 / total }) {
            // 1e-6 relative (a few Float32 ulp) plus 1e-37 absolute (the subnormal region).
            XCTAssertEqual(Double(computed), exact, accuracy: 1e-6 * exact + 1e-37)
        }
    }

    func testSpecialValues() {
        XCTAssertEqual(Tensor([0, -Float.infinity]).softmax().scalars, [1, 0])
        XCTAssertTrue(Tensor([1, .nan]).softmax().scalars.allSatisfy(\.isNaN), "NaN propagates")
        let logits = Tensor([88, 0]).logSoftmax().scalars
        XCTAssertEqual(logits[0], 0, accuracy: 1e-6)
        XCTAssertEqual(logits[1], -88, accuracy: 1e-4)
    }

    func testSoftmaxOfLongRowsWithNaNAndInfinityInEveryLanePosition() {
        // Rows longer than one SIMD block, with the special value in the vector part and the tail.
        for count in [15, 16, 17, 40, 101] {
            for position in [0, count / 2, count - 1] {
                var values = (0..<count).map { Float($0 % 7) - 3 }
                values[position] = .nan
                XCTAssertTrue(Tensor(values).softmax().scalars.allSatisfy(\.isNaN), "NaN at \(position) of \(count)")
                values[position] = 50
                let result = Tensor(values).softmax().scalars
                XCTAssertEqual(result[position], 1, accuracy: 1e-6, "maximum at \(position) of \(count)")
                XCTAssertEqual(result.reduce(0, +), 1, accuracy: 1e-5)
            }
        }
    }

    func testExpNearFloatOverflowStaysFiniteAsLibmDoes() {
        // Up to ln(Float.greatestFiniteMagnitude) ≈ 88.7228 the result is finite and within 1e-6
        // relative of Foundation.exp (Float32); beyond it, +∞.
        for x: Float in [80, 87.9, 88, 88.01, 88.2, 88.38, 88.5, 88.6, 88.7, 88.72] {
            let exact = Foundation.exp(Double(x))
            XCTAssertTrue(VectorMath.exp(x).isFinite, "x = \(x)")
            XCTAssertEqual(Double(VectorMath.exp(x)), exact, accuracy: 1e-6 * exact, "x = \(x)")
        }
        for x: Float in [88.73, 89, 100, .infinity] { XCTAssertEqual(VectorMath.exp(x), .infinity, "x = \(x)") }
        XCTAssertEqual(Tensor([88.5]).exp().scalars[0], Float(Foundation.exp(88.5)), accuracy: 1e-6 * Float(Foundation.exp(88.5)))
    }

    func testExpOfNonPositiveEqualsExpOnItsDomain() {
        var values: [Float] = [0, -0.0, -1e-30, -0.5, -1, -10, -87, -87.32, -87.34, -100, -.infinity, -Float.greatestFiniteMagnitude]
        var generator = RandomGenerator(seed: 900)
        values += Tensor.randomUniform([500], low: -90, high: 0, using: &generator).scalars
        for x in values {
            XCTAssertEqual(VectorMath.expOfNonPositive(x).bitPattern, VectorMath.exp(x).bitPattern, "x = \(x)")
        }
        XCTAssertTrue(VectorMath.expOfNonPositive(.nan).isNaN)
    }

    /// The polynomial erf behind GELU against libm's, absolute tolerance 3e-7 (A&S 7.1.26's bound
    /// of 1.5e-7 plus Float rounding), with its limits and NaN.
    func testErfMatchesLibmWithinItsBound() {
        var generator = RandomGenerator(seed: 901)
        let values = Tensor.randomUniform([4000], low: -6, high: 6, using: &generator).scalars + [0, -0.0, 1e-8, -3, 9, -9]
        for x in values {
            XCTAssertEqual(VectorMath.erf(x), Foundation.erf(x), accuracy: 3e-7, "x = \(x)")
        }
        XCTAssertEqual(VectorMath.erf(.infinity), 1)
        XCTAssertEqual(VectorMath.erf(-.infinity), -1)
        XCTAssertTrue(VectorMath.erf(.nan).isNaN)
    }
}
