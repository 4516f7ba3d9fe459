import Foundation
import MesaCore

// Small draws the task distributions share. They use only `next()`, so they give the same
// numbers on every platform and Swift version (unlike `Int.random(in:using:)`, whose algorithm
// the standard library does not promise to keep).
extension RandomGenerator {
    /// A uniform `Double` in `[0, 1)` with 53 random bits.
    mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A uniform index in `0..<count` (`count > 0`); the modulo bias, at most `count / 2⁶⁴`, is negligible.
    mutating func nextIndex(below count: Int) -> Int {
        precondition(count > 0, "nextIndex(below:): count must be positive, got \(count)")
        return Int(next() % UInt64(count))
    }

    /// Shuffles `elements` in place (Fisher–Yates, from the last position down, each swap with a
    /// uniform index at or below it), so a given generator state always gives the same order.
    mutating func shuffle<Element>(_ elements: inout [Element]) {
        for i in elements.indices.reversed() where i > 0 { elements.swapAt(i, nextIndex(below: i + 1)) }
    }

    /// `count` distinct indices of `0..<n`, drawn uniformly (a partial Fisher–Yates shuffle from
    /// the front) and returned in increasing order; all of `0..<n`, with no draw, when `n ≤ count`.
    /// The rows a look-ahead is measured on (``ExpectedErrorReduction``, ``QueryPolicyLookAhead``).
    mutating func sortedSample(from n: Int, count: Int) -> [Int] {
        var indices = Array(0..<n)
        guard n > count else { return indices }
        for i in 0..<count { indices.swapAt(i, i + nextIndex(below: n - i)) }
        return Array(indices.prefix(count)).sorted()
    }

    /// A uniform `Float` in `[low, high)`.
    mutating func nextUniform(from low: Float, to high: Float) -> Float { low + (high - low) * nextUniform() }

    /// A Gamma(`shape`, 1) sample (Marsaglia & Tsang 2000, "A Simple Method for Generating Gamma
    /// Variables"; shapes below 1 through `G(shape + 1) · U^(1/shape)`).
    mutating func nextGamma(shape: Double) -> Double {
        if shape < 1 { return nextGamma(shape: shape + 1) * Foundation.pow(max(nextDouble(), .leastNormalMagnitude), 1 / shape) }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            let x = Double(nextNormal()), v0 = 1 + c * x
            guard v0 > 0 else { continue }
            let v = v0 * v0 * v0, u = nextDouble()
            if Foundation.log(max(u, .leastNormalMagnitude)) < 0.5 * x * x + d - d * v + d * Foundation.log(v) { return d * v }
        }
    }
}
