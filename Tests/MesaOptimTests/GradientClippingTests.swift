import MesaCore
import MesaNN
import MesaOptim
import XCTest

final class GradientClippingTests: XCTestCase {
    func testScalesToMaximumNormAndReturnsNormBeforeClipping() {
        let a = makeParameter([0, 0], gradient: [3, 0])
        let b = makeParameter([0], gradient: [-4])
        let norm = clipGradientNorm([a, b], maximumNorm: 1)
        XCTAssertEqual(norm, 5)
        // Scaled by 1/(5 + 1e-6): direction kept, global norm 1 to 1e-6.
        assertClose(a.gradient!.scalars, [0.6, 0])
        assertClose(b.gradient!.scalars, [-0.8])
        let after = (a.gradient!.scalars + b.gradient!.scalars).map { Double($0 * $0) }.reduce(0, +).squareRoot()
        XCTAssertEqual(after, 1, accuracy: 1e-6)
        XCTAssertLessThanOrEqual(after, 1)
    }

    func testBelowMaximumLeavesGradientsUntouched() {
        let a = makeParameter([0, 0], gradient: [0.3, -0.4])
        XCTAssertEqual(clipGradientNorm([a], maximumNorm: 1), 0.5, accuracy: 1e-7)
        XCTAssertEqual(a.gradient!.scalars, [0.3, -0.4])
        XCTAssertEqual(clipGradientNorm([a], maximumNorm: .infinity), 0.5, accuracy: 1e-7)
        XCTAssertEqual(a.gradient!.scalars, [0.3, -0.4])
    }

    func testParametersWithoutGradientAreIgnored() {
        let a = makeParameter([0, 0], gradient: [6, 8])
        let b = makeParameter([1], gradient: nil)
        XCTAssertEqual(clipGradientNorm([a, b], maximumNorm: 5), 10)
        assertClose(a.gradient!.scalars, [3, 4])
        XCTAssertNil(b.gradient)
        XCTAssertEqual(clipGradientNorm([], maximumNorm: 1), 0)
    }

    /// A non-finite norm is returned and the gradients stay as they were (not turned into NaN).
    func testNonFiniteNormIsReportedAndGradientsUntouched() {
        let a = makeParameter([0, 0], gradient: [1, .infinity])
        let b = makeParameter([0], gradient: [2])
        XCTAssertEqual(clipGradientNorm([a, b], maximumNorm: 1), .infinity)
        XCTAssertEqual(a.gradient!.scalars, [1, .infinity])
        XCTAssertEqual(b.gradient!.scalars, [2])
        let c = makeParameter([0], gradient: [.nan])
        XCTAssertTrue(clipGradientNorm([b, c], maximumNorm: 1).isNaN)
        XCTAssertEqual(b.gradient!.scalars, [2])
    }

    /// Squares are summed in Double: gradients whose squares overflow Float still give a finite norm.
    func testLargeFiniteGradientsDoNotOverflow() {
        let a = makeParameter([0, 0], gradient: [3e30, 4e30])
        XCTAssertEqual(clipGradientNorm([a], maximumNorm: 1), 5e30, accuracy: 5e24)
        assertClose(a.gradient!.scalars, [0.6, 0.8])
    }

    /// Scaling in place must not reach tensors that share the gradient's storage: a copy the
    /// caller kept, or another leaf's gradient (an addition passes one gradient to both inputs).
    func testScalingLeavesSharedStorageAlone() {
        let a = Parameter(Tensor([1, 2]))
        let b = Parameter(Tensor([3, 4]))
        (a.value + b.value).sum().backward()
        let kept = a.gradient!
        _ = clipGradientNorm([a], maximumNorm: 0.5)
        assertClose(a.gradient!.scalars, [0.5 / 2.squareRoot(), 0.5 / 2.squareRoot()])
        XCTAssertEqual(kept.scalars, [1, 1])
        XCTAssertEqual(b.gradient!.scalars, [1, 1])
    }

    /// A gradient from `backward(createGraph: true)` keeps its graph through scaling.
    func testScalingKeepsTheGraphOfDifferentiableGradients() {
        let a = Parameter(Tensor([3, 4]))
        (a.value * a.value).sum().backward(createGraph: true)   // gradient 2a = [6, 8]
        XCTAssertTrue(a.gradient!.requiresGradient)
        XCTAssertEqual(clipGradientNorm([a], maximumNorm: 5), 10)
        assertClose(a.gradient!.scalars, [3, 4])
        XCTAssertTrue(a.gradient!.requiresGradient)
    }

    /// The gradient-editing API clipping is built on (`Parameter.setGradient`, `scaleGradient`,
    /// `Tensor.setGradient`); kept here until MesaNN and MesaCore tests mirror those files.
    func testGradientEditing() throws {
        let parameter = Parameter(Tensor([1, 2]))
        parameter.scaleGradient(by: 2)
        XCTAssertNil(parameter.gradient)
        parameter.setGradient(Tensor([3, 4]))
        parameter.scaleGradient(by: 0.5)
        XCTAssertEqual(parameter.gradient?.scalars, [1.5, 2])
        parameter.value.sum().backward()   // accumulates onto the gradient that was set
        XCTAssertEqual(parameter.gradient?.scalars, [2.5, 3])
        parameter.setGradient(nil)
        XCTAssertNil(parameter.gradient)
        XCTAssertThrowsError(try withTensorErrors { parameter.setGradient(Tensor([1, 2, 3])) }) {
            XCTAssertTrue("\($0)".contains("[3]"), "\($0)")
        }
        XCTAssertThrowsError(try withTensorErrors { Tensor([1]).setGradient(Tensor([1])) })
    }
}
