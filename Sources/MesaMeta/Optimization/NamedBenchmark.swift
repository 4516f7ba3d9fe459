import Foundation

/// The classic closed-form test functions of Bayesian optimisation, each with the box and the
/// minimum used throughout the literature (Surjanovic & Bingham's "Virtual Library of Simulation
/// Experiments"; the same definitions as `botorch.test_functions.synthetic`, which the
/// reference script of `benchmarks/optimize` checks value for value).
///
/// All are minimised:
///
/// | name | d | box | f* |
/// |---|---|---|---|
/// | `branin` | 2 | `[−5, 10] × [0, 15]` | 0.397887 (three minimisers) |
/// | `hartmann3` | 3 | `[0, 1]³` | −3.86278 |
/// | `hartmann6` | 6 | `[0, 1]⁶` | −3.32237 |
/// | `ackley5` | 5 | `[−32.768, 32.768]⁵` | 0 at the origin |
/// | `levy4` | 4 | `[−10, 10]⁴` | 0 at `(1, …, 1)` |
/// | `rosenbrock4` | 4 | `[−5, 10]⁴` | 0 at `(1, …, 1)` |
/// | `michalewicz2` | 2 | `[0, π]²` | −1.80130 |
public enum NamedBenchmark: String, CaseIterable, Sendable, Codable {
    /// Branin–Hoo: `(x₂ − 5.1 x₁²/4π² + 5 x₁/π − 6)² + 10 (1 − 1/8π) cos x₁ + 10`.
    case branin
    /// Hartmann-3: `−Σᵢ αᵢ exp(−Σⱼ Aᵢⱼ (xⱼ − Pᵢⱼ)²)` with the 4 × 3 constants of Hartman (1973).
    case hartmann3
    /// Hartmann-6: the same form with the 4 × 6 constants.
    case hartmann6
    /// Ackley (d = 5): `−20 exp(−0.2 √(mean xᵢ²)) − exp(mean cos 2π xᵢ) + 20 + e`.
    case ackley5
    /// Levy (d = 4): `sin²(π w₁) + Σ_{i<d} (wᵢ − 1)² (1 + 10 sin²(π wᵢ + 1)) + (w_d − 1)² (1 + sin²(2π w_d))`, `wᵢ = 1 + (xᵢ − 1)/4`.
    case levy4
    /// Rosenbrock (d = 4): `Σ_{i<d} 100 (x_{i+1} − xᵢ²)² + (xᵢ − 1)²`.
    case rosenbrock4
    /// Michalewicz (d = 2, m = 10): `−Σᵢ sin(xᵢ) sin²⁰(i xᵢ²/π)`.
    case michalewicz2

    /// The function with its box and minimum.
    public var function: BenchmarkFunction {
        let (low, high, minimum, minimizers): ([Double], [Double], Double, [[Double]]) = switch self {
        case .branin: ([-5, 0], [10, 15], 0.39788735772973816, [[-Double.pi, 12.275], [Double.pi, 2.275], [9.42477796076938, 2.475]])
        case .hartmann3: ([0, 0, 0], [1, 1, 1], -3.862779787332659, [[0.11458888932421674, 0.5556488889726049, 0.8525469795448206]])
        case .hartmann6:
            (Array(repeating: 0, count: 6), Array(repeating: 1, count: 6), -3.3223680114155143,
             [[0.20168950888604656, 0.15001069460379776, 0.4768739683799098, 0.27533243031066335, 0.31165161430959804, 0.6573005340322153]])
        case .ackley5: (Array(repeating: -32.768, count: 5), Array(repeating: 32.768, count: 5), 0, [Array(repeating: 0, count: 5)])
        case .levy4: (Array(repeating: -10, count: 4), Array(repeating: 10, count: 4), 0, [Array(repeating: 1, count: 4)])
        case .rosenbrock4: (Array(repeating: -5, count: 4), Array(repeating: 10, count: 4), 0, [Array(repeating: 1, count: 4)])
        case .michalewicz2: ([0, 0], [Double.pi, Double.pi], -1.8013034100985532, [[2.2029055195270426, 1.5707963283709252]])
        }
        return BenchmarkFunction(name: rawValue, definition: .named(self), lowerBounds: low, upperBounds: high, minimum: minimum, minimizers: minimizers)
    }

    /// `f(x)` for `x` in the function's box.
    public func value(at x: [Double]) -> Double {
        switch self {
        case .branin:
            let b = 5.1 / (4 * Double.pi * Double.pi), c = 5 / Double.pi, t = 1 / (8 * Double.pi)
            let inner = x[1] - b * x[0] * x[0] + c * x[0] - 6
            return inner * inner + 10 * (1 - t) * cos(x[0]) + 10
        case .hartmann3: return Self.hartmann(x, a: Self.hartmann3A, p: Self.hartmann3P)
        case .hartmann6: return Self.hartmann(x, a: Self.hartmann6A, p: Self.hartmann6P)
        case .ackley5:
            let d = Double(x.count)
            let squares = x.reduce(0) { $0 + $1 * $1 } / d
            let cosines = x.reduce(0) { $0 + cos(2 * Double.pi * $1) } / d
            return -20 * exp(-0.2 * squares.squareRoot()) - exp(cosines) + 20 + M_E
        case .levy4:
            let w = x.map { 1 + ($0 - 1) / 4 }
            let first = sin(Double.pi * w[0])
            var sum = first * first
            for i in 0..<(w.count - 1) {
                let s = sin(Double.pi * w[i] + 1)
                sum += (w[i] - 1) * (w[i] - 1) * (1 + 10 * s * s)
            }
            let last = w[w.count - 1], s = sin(2 * Double.pi * last)
            return sum + (last - 1) * (last - 1) * (1 + s * s)
        case .rosenbrock4:
            var sum = 0.0
            for i in 0..<(x.count - 1) {
                let a = x[i + 1] - x[i] * x[i], b = x[i] - 1
                sum += 100 * a * a + b * b
            }
            return sum
        case .michalewicz2:
            var sum = 0.0
            for (i, xi) in x.enumerated() { sum -= sin(xi) * pow(sin(Double(i + 1) * xi * xi / Double.pi), 20) }
            return sum
        }
    }

    // Hartman (1973), as tabulated by Dixon & Szegő (1978).
    private static let hartmannAlpha = [1.0, 1.2, 3.0, 3.2]
    private static let hartmann3A: [[Double]] = [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]]
    private static let hartmann3P: [[Double]] = [[3689, 1170, 2673], [4699, 4387, 7470], [1091, 8732, 5547], [381, 5743, 8828]]
        .map { $0.map { $0 * 1e-4 } }
    private static let hartmann6A: [[Double]] = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8],
                                                 [17, 8, 0.05, 10, 0.1, 14]]
    private static let hartmann6P: [[Double]] = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                                                 [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
        .map { $0.map { $0 * 1e-4 } }

    private static func hartmann(_ x: [Double], a: [[Double]], p: [[Double]]) -> Double {
        var sum = 0.0
        for i in 0..<4 {
            var exponent = 0.0
            for j in 0..<x.count { exponent += a[i][j] * (x[j] - p[i][j]) * (x[j] - p[i][j]) }
            sum -= hartmannAlpha[i] * exp(-exponent)
        }
        return sum
    }
}
