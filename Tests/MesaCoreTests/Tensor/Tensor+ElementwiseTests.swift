@testable import MesaCore
import MesaTestSupport
import XCTest

/// Gradient checks use central differences with ε = 1e-2 in Float32; tolerance 1e-2 on
/// |numeric − analytic| / (1 + |analytic|) unless stated.
final class TensorElementwiseTests: XCTestCase {
    /// Shape pairs covering equal shapes, scalars, trailing and leading broadcasting.
    let shapePairs: [([Int], [Int])] = [([3, 4], [3, 4]), ([2, 3, 4], [4]), ([2, 1, 4], [3, 1]), ([5], []), ([], [2, 3]), ([4, 1], [1, 5])]

    func testBinaryGradientsAcrossBroadcastShapes() {
        for (index, (a, b)) in shapePairs.enumerated() {
            let inputs = GradientCheck.randomInputs([a, b], seed: UInt64(index))
            GradientCheck.assertMatches({ $0[0] + $0[1] }, at: inputs, "add \(a) \(b)")
            GradientCheck.assertMatches({ $0[0] - $0[1] }, at: inputs, "subtract \(a) \(b)")
            GradientCheck.assertMatches({ $0[0] * $0[1] }, at: inputs, "multiply \(a) \(b)")
            let positive = [inputs[0], inputs[1].abs() + 0.5]
            GradientCheck.assertMatches({ $0[0] / $0[1] }, at: positive, "divide \(a) \(b)")
            GradientCheck.assertMatches({ ($0[1]).pow($0[0]) }, at: [inputs[0], positive[1]], "pow \(a) \(b)")
            // Piecewise functions: inputs on a 0.1 grid, compared with an offset of 0.05, so no
            // element lies within ε of a kink.
            let grid = inputs.map { $0.map { ($0 * 10).rounded() / 10 } }
            GradientCheck.assertMatches({ Tensor.minimum($0[0], $0[1] + 0.05) }, at: grid, "minimum \(a) \(b)")
            GradientCheck.assertMatches({ Tensor.maximum($0[0], $0[1] + 0.05) }, at: grid, "maximum \(a) \(b)")
        }
    }

    func testUnaryGradients() {
        let shapes: [[Int]] = [[7], [2, 3, 4], []]
        for (index, shape) in shapes.enumerated() {
            let x = GradientCheck.randomInputs([shape], seed: 10 + UInt64(index), low: -2, high: 2)
            let positive = [x[0].abs() + 0.3]
            let unary: [(String, (Tensor) -> Tensor)] = [
                ("negate", { -$0 }), ("exp", { $0.exp() }), ("sin", { $0.sin() }), ("cos", { $0.cos() }),
                ("tanh", { $0.tanh() }), ("sigmoid", { $0.sigmoid() }), ("gelu", { $0.gelu() }), ("erf", { $0.erf() }),
                ("softplus", { $0.softplus() }), ("scalar ops", { (2 - $0) * 3 + 1 }), ("pow 3", { $0.pow(3) }),
            ]
            for (name, function) in unary { GradientCheck.assertMatches({ function($0[0]) }, at: x, "\(name) \(shape)") }
            let positiveOnly: [(String, (Tensor) -> Tensor)] = [
                ("log", { $0.log() }), ("sqrt", { $0.sqrt() }), ("rsqrt", { $0.rsqrt() }), ("abs", { $0.abs() }),
                ("relu", { $0.relu() }), ("pow 1.5", { $0.pow(1.5) }), ("scalar divide", { 1 / $0 }),
            ]
            for (name, function) in positiveOnly { GradientCheck.assertMatches({ function($0[0]) }, at: positive, "\(name) \(shape)") }
            // clamp with bounds between the grid points of the inputs (no element within ε of a kink).
            let grid = x[0].map { ($0 * 10).rounded() / 10 }
            GradientCheck.assertMatches({ $0[0].clamped(to: -0.55...0.75) }, at: [grid], "clamp \(shape)")
            // relu and abs on negative inputs (away from the kink at 0).
            GradientCheck.assertMatches({ $0[0].relu() + $0[0].abs() }, at: [-positive[0]], "relu/abs negative")
        }
    }

    /// GELU's fused backward product `g · gelu′(x)`: its value equals the unfused product to 1e-6,
    /// and its gradients in both arguments match central differences (tolerance 1e-2).
    func testGELUGradientProductValueAndGradients() {
        let inputs = GradientCheck.randomInputs([[3, 5], [3, 5]], seed: 41, low: -2.5, high: 2.5)
        let fused = Tensor.geluGradient(inputs[0], inputs[1]), unfused = inputs[0] * inputs[1].geluDerivative()
        XCTAssertTrue(fused.isApproximatelyEqual(to: unfused, tolerance: 1e-6), "\(fused) vs \(unfused)")
        GradientCheck.assertMatches({ Tensor.geluGradient($0[0], $0[1]) }, at: inputs, "geluGradient")
    }

    func testSecondDerivativesOfUnaryFunctionsMatchAnalyticForms() {
        // d²/dx² of Σf(x) is diag(f''(x)): the Hessian-vector product with v = 1 gives f''.
        let x = Tensor([-1.3, -0.2, 0.4, 1.7])
        let cases: [(String, (Tensor) -> Tensor, (Float) -> Float)] = [
            ("tanh", { $0.tanh() }, { let t = Foundation.tanh($0); return -2 * t * (1 - t * t) }),
            ("sigmoid", { $0.sigmoid() }, { let s = 1 / (1 + Foundation.exp(-$0)); return s * (1 - s) * (1 - 2 * s) }),
            ("sin", { $0.sin() }, { -Foundation.sin($0) }),
            ("gelu", { $0.gelu() }, { 0.39894228 * Foundation.exp(-0.5 * $0 * $0) * (2 - $0 * $0) }),
            ("exp", { $0.exp() }, { Foundation.exp($0) }),
            ("softplus", { $0.softplus() }, { let s = 1 / (1 + Foundation.exp(-$0)); return s * (1 - s) }),
            ("cube", { $0 * $0 * $0 }, { 6 * $0 }),
        ]
        for (name, function, second) in cases {
            let leaf = x.requiringGradient()
            let first = gradients(of: function(leaf).sum(), withRespectTo: [leaf], createGraph: true)[0]
            let hessianDiagonal = gradients(of: first.sum(), withRespectTo: [leaf])[0]
            let expected = Tensor(x.scalars.map(second))
            XCTAssertTrue(hessianDiagonal.isApproximatelyEqual(to: expected, tolerance: 1e-4), "\(name): \(hessianDiagonal) vs \(expected)")
        }
    }

    func testForwardValues() {
        let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), b = Tensor([10, 20])
        XCTAssertEqual((a + b).scalars, [11, 22, 13, 24])
        XCTAssertEqual((a * b).scalars, [10, 40, 30, 80])
        XCTAssertEqual((b.reshaped(to: [2, 1]) - a).scalars, [9, 8, 17, 16])
        XCTAssertEqual(Tensor([-1, 0, 2]).relu().scalars, [0, 0, 2])
        XCTAssertEqual(Tensor([-3, 0.5, 9]).clamped(to: 0...1).scalars, [0, 0.5, 1])
        XCTAssertEqual(Tensor([1, 5]).isGreaterThan(Tensor([3])).scalars, [0, 1])
        XCTAssertEqual(Tensor.where(Tensor([1, 0, 1]), Tensor([1, 2, 3]), Tensor([-1, -2, -3])).scalars, [1, -2, 3])
        XCTAssertEqual(Tensor([1, 2, 3]).maskedFill(where: Tensor([0, 1, 0]), with: -9).scalars, [1, -9, 3])
        // GELU(1) = Φ(1) = 0.8413447 (exact form).
        XCTAssertEqual(Tensor([1]).gelu().scalar, 0.8413447, accuracy: 1e-6)
        XCTAssertEqual(Tensor([100]).softplus().scalar, 100, accuracy: 1e-4)
    }

    func testWhereDoesNotLeakInfinityFromUnchosenBranch() {
        let x = Tensor([1, 0]).requiringGradient()
        let y = Tensor.where(Tensor([1, 0]), x.log(), Tensor([0, 0]))
        XCTAssertEqual(y.scalars, [0, 0], "log(0) = −∞ in the branch not taken must not reach the result")
        let z = Tensor([3, 4]).requiringGradient()
        let g = gradients(of: Tensor.where(Tensor([0, 1]), z * z, -z).sum(), withRespectTo: [z])[0]
        XCTAssertEqual(g.scalars, [-1, 8])
    }

    func testMismatchedShapesThrowNamingBothShapes() {
        XCTAssertThrowsError(try withTensorErrors { Tensor.zeros([2, 3]) + Tensor.zeros([4]) }) { error in
            let error = error as? TensorError
            XCTAssertEqual(error?.kind, .shapeMismatch)
            XCTAssertTrue(error?.message.contains("[2, 3]") == true && error?.message.contains("[4]") == true, "\(String(describing: error))")
        }
        XCTAssertThrowsError(try withTensorErrors { Tensor.where(Tensor.ones([3]), Tensor.ones([2]), Tensor.ones([3])) })
    }

    func testNaNDetection() {
        let bad = Tensor([1, -1]).log()
        XCTAssertFalse(bad.isFinite)
        XCTAssertEqual(bad.isNaNMask.scalars, [0, 1])
        XCTAssertThrowsError(try bad.checkFinite("loss")) { error in
            XCTAssertEqual((error as? TensorError)?.kind, .nonFinite)
            XCTAssertTrue("\(error)".contains("loss"))
        }
        XCTAssertNoThrow(try Tensor([1, 2]).checkFinite())
    }
}

import Foundation
