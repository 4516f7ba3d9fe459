import Foundation

/// A test problem for Bayesian optimisation: a function to *minimise* over a box, with its known
/// (or, for sampled functions, estimated) minimum, so that a run's simple regret
/// `min_{i ≤ t} f(xᵢ) − f*` can be reported.
///
/// Optimisers work in the unit cube `[0, 1]ᵈ`; ``value(atUnitPoint:)`` maps a unit point
/// affinely onto the box (`x = low + u (high − low)`) before evaluating.
///
/// ```swift
/// let branin = NamedBenchmark.branin.function
/// branin.value(at: [.pi, 2.275]) - branin.minimum      // ≈ 0
/// ```
public struct BenchmarkFunction: Sendable {
    /// How the function is computed.
    public enum Definition: Sendable {
        /// One of the classic closed-form test functions.
        case named(NamedBenchmark)
        /// A draw from a Gaussian-process prior (``GaussianProcessFunctionSampler``), on the unit cube.
        case sampled(RandomFourierFunction)
    }

    /// A short identifier, used in file names and reports (e.g. `branin`, `gp-d3-07`).
    public let name: String
    /// How the function is computed.
    public let definition: Definition
    /// The lower corner of the search box.
    public let lowerBounds: [Double]
    /// The upper corner of the search box.
    public let upperBounds: [Double]
    /// The minimum value `f*` over the box: known in closed form for named functions, estimated
    /// by a dense search with local refinement for sampled ones.
    public let minimum: Double
    /// Points where the minimum is attained, in the box's units (empty when unknown).
    public let minimizers: [[Double]]

    /// Creates a problem.
    public init(name: String, definition: Definition, lowerBounds: [Double], upperBounds: [Double], minimum: Double, minimizers: [[Double]]) {
        precondition(lowerBounds.count == upperBounds.count && !lowerBounds.isEmpty, "BenchmarkFunction: bounds of different widths")
        self.name = name
        self.definition = definition
        self.lowerBounds = lowerBounds
        self.upperBounds = upperBounds
        self.minimum = minimum
        self.minimizers = minimizers
    }

    /// The number of inputs `d`.
    public var dimension: Int { lowerBounds.count }

    /// `f(x)` for `x` in the box's units.
    public func value(at x: [Double]) -> Double {
        switch definition {
        case .named(let function): function.value(at: x)
        case .sampled(let function): function.value(at: x)
        }
    }

    /// The point of the box at unit-cube coordinates `u`: `low + u (high − low)`.
    public func point(fromUnit u: [Double]) -> [Double] {
        (0..<dimension).map { lowerBounds[$0] + u[$0] * (upperBounds[$0] - lowerBounds[$0]) }
    }

    /// `f` at unit-cube coordinates `u` (see ``point(fromUnit:)``).
    public func value(atUnitPoint u: [Double]) -> Double { value(at: point(fromUnit: u)) }

    /// The simple regret of the best value `best` found so far: `best − f*`, floored at
    /// `floor` (so that a logarithm stays finite when `f*` is met or, for an estimated `f*`, beaten).
    public func regret(ofBest best: Double, floor: Double = BenchmarkFunction.regretFloor) -> Double {
        Swift.max(best - minimum, floor)
    }

    /// The smallest regret reported (`10⁻⁸`): below it, differences are rounding and the precision
    /// of the known optima.
    public static let regretFloor = 1e-8
}
