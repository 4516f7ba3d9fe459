import MesaCore
import XCTest

/// Finite-difference checks of Mesa's autodiff, shared by the test targets.
///
/// A function `f` of several tensors is reduced to a scalar with a fixed random projection
/// `L = Σ f(x) ⊙ R`, so one check covers every output element. Each input element is perturbed
/// by `±epsilon` (central differences, error `O(ε²)`) and the numeric derivative is compared
/// with the analytic one at the stated `tolerance` (absolute + relative to magnitude).
public enum GradientCheck {
    /// The largest error between analytic and central-difference gradients of `function` at `inputs`.
    ///
    /// `differentiatesInside`: evaluate the perturbed function with gradients recorded, for
    /// functions that take gradients themselves (MAML's inner loop); otherwise in no-gradient mode.
    public static func maximumError(
        of function: ([Tensor]) -> Tensor, at inputs: [Tensor], epsilon: Float = 1e-2, seed: UInt64 = 99,
        differentiatesInside: Bool = false
    ) -> Float {
        var generator = RandomGenerator(seed: seed)
        let probe = function(inputs.map { $0.detached() })
        let projection = Tensor.randomNormal(probe.shape, using: &generator)
        func loss(_ values: [Tensor]) -> Tensor { (function(values) * projection).sum() }

        let leaves = inputs.map { $0.detached().requiringGradient() }
        let analytic = gradients(of: loss(leaves), withRespectTo: leaves)
        var worst: Float = 0
        for (index, input) in inputs.enumerated() {
            for element in 0..<input.scalarCount {
                func evaluate(_ delta: Float) -> Double {
                    var values = inputs.map { $0.detached() }
                    values[index].withUnsafeMutableBufferPointer { $0[element] += delta }
                    return Double(differentiatesInside ? loss(values).scalar : withoutGradients { loss(values) }.scalar)
                }
                let numeric = Float((evaluate(epsilon) - evaluate(-epsilon)) / Double(2 * epsilon))
                let exact = analytic[index].scalars[element]
                worst = max(worst, abs(numeric - exact) / (1 + abs(exact)))
            }
        }
        return worst
    }

    /// Asserts that `function`'s gradients match central differences within `tolerance`.
    public static func assertMatches(
        _ function: ([Tensor]) -> Tensor, at inputs: [Tensor], epsilon: Float = 1e-2, tolerance: Float = 1e-2,
        differentiatesInside: Bool = false, _ message: String = "", file: StaticString = #filePath, line: UInt = #line
    ) {
        let error = maximumError(of: function, at: inputs, epsilon: epsilon, differentiatesInside: differentiatesInside)
        XCTAssertLessThan(error, tolerance, "gradient check failed \(message): max error \(error)", file: file, line: line)
    }

    /// The largest error between the Hessian-vector product of scalar `function` at `input` in
    /// direction `direction` computed by double backward, and the central difference of gradients.
    public static func hessianVectorError(
        of function: (Tensor) -> Tensor, at input: Tensor, direction: Tensor, epsilon: Float = 1e-2
    ) -> Float {
        let x = input.detached().requiringGradient()
        let gradient = gradients(of: function(x), withRespectTo: [x], createGraph: true)[0]
        let analytic = gradients(of: (gradient * direction).sum(), withRespectTo: [x])[0]
        func gradientAt(_ value: Tensor) -> Tensor {
            let leaf = value.requiringGradient()
            return gradients(of: function(leaf), withRespectTo: [leaf])[0]
        }
        let plus = gradientAt(input.detached() + direction * epsilon), minus = gradientAt(input.detached() - direction * epsilon)
        let numeric = (plus - minus) / (2 * epsilon)
        return zip(numeric.scalars, analytic.scalars).map { abs($0 - $1) / (1 + abs($1)) }.max() ?? 0
    }

    /// Random inputs of the given shapes from a seeded generator.
    public static func randomInputs(_ shapes: [[Int]], seed: UInt64, low: Float = -1, high: Float = 1) -> [Tensor] {
        var generator = RandomGenerator(seed: seed)
        return shapes.map { Tensor.randomUniform($0, low: low, high: high, using: &generator) }
    }
}
