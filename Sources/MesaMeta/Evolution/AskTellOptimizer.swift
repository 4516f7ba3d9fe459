import Foundation

/// A population-based black-box minimiser in ask/tell form: `ask()` proposes a batch of points,
/// the caller evaluates them however it likes (in-process, as commands, in parallel), and
/// `tell(_:values:)` hands back their objective values, lowest best. Every implementation is
/// seeded: the same seed and the same values give the same points.
///
/// ```swift
/// var optimizer = try CMAES(mean: [1, 1, 1], stepSize: 0.5, seed: 7)
/// for _ in 0..<100 {
///     let points = optimizer.ask()
///     try optimizer.tell(points, values: points.map { $0.reduce(0) { $0 + $1 * $1 } })
/// }
/// optimizer.bestValue   // ≈ 0
/// ```
public protocol AskTellOptimizer {
    /// The number of variables.
    var dimension: Int { get }
    /// Proposes the next batch of points to evaluate.
    mutating func ask() -> [[Double]]
    /// Takes the values of the points of the last ``ask()`` (the same points, in the same order).
    ///
    /// - Throws: ``EvolutionError/invalidTell(_:)`` when the counts or dimensions do not match.
    mutating func tell(_ points: [[Double]], values: [Double]) throws
    /// The best point told so far (`nil` before the first `tell`).
    var bestPoint: [Double]? { get }
    /// The best value told so far (`+∞` before the first `tell`).
    var bestValue: Double { get }
}

extension AskTellOptimizer {
    /// Minimises `objective` for at most `evaluations` evaluations (the last batch is cut short),
    /// stopping early once a value `≤ target`; returns the number of evaluations made.
    @discardableResult
    public mutating func minimize(_ objective: ([Double]) -> Double, evaluations: Int, target: Double = -.infinity) -> Int {
        var used = 0
        while used < evaluations {
            let points = ask()
            var values: [Double] = []
            for point in points where used < evaluations {
                values.append(objective(point))
                used += 1
                if values.last! <= target { break }
            }
            if values.count == points.count {
                try? tell(points, values: values)
            } else {
                // A cut batch: finish it with +∞ so the optimiser's state stays consistent.
                try? tell(points, values: values + Array(repeating: .infinity, count: points.count - values.count))
            }
            if let last = values.min(), last <= target { break }
        }
        return used
    }
}

/// Checks that `points`/`values` answer an `ask` of `expected` points in `dimension` variables.
func validateTell(_ points: [[Double]], _ values: [Double], expected: Int, dimension: Int) throws {
    guard points.count == expected, values.count == expected else {
        throw EvolutionError.invalidTell("tell got \(points.count) points and \(values.count) values; the last ask proposed \(expected)")
    }
    guard points.allSatisfy({ $0.count == dimension }) else {
        throw EvolutionError.invalidTell("tell got a point whose length is not the problem's dimension \(dimension)")
    }
    guard !values.contains(where: \.isNaN) else {
        throw EvolutionError.invalidTell("tell got NaN as a value; report a failed evaluation as +infinity")
    }
}
