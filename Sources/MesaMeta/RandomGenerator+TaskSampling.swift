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

    /// A uniform `Float` in `[low, high)`.
    mutating func nextUniform(from low: Float, to high: Float) -> Float { low + (high - low) * nextUniform() }
}
