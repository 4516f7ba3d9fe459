/// A seedable pseudo-random generator that gives the same numbers for the same seed on every
/// platform: xoshiro256** (Blackman & Vigna 2018), seeded through SplitMix64.
///
/// Mesa's random functions take a generator `inout`, so randomness is always explicit:
///
/// ```swift
/// var generator = RandomGenerator(seed: 42)
/// let w = Tensor.randomNormal([3, 4], using: &generator)
/// ```
///
/// Uniform floats use the top 24 bits of each 64-bit output, so they are exact and portable;
/// normal samples use the Box–Muller transform in `Double`.
public struct RandomGenerator: RandomNumberGenerator, Sendable, Codable, Equatable {
    /// The four words of generator state.
    public private(set) var state: [UInt64]

    /// A generator seeded with `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        func next() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = [next(), next(), next(), next()]
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotate(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotate(state[3], 45)
        return result
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform `Float` in `[0, 1)` with 24 random bits.
    public mutating func nextUniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// A standard normal sample (Box–Muller).
    public mutating func nextNormal() -> Float {
        let u1 = (Double(next() >> 11) + 1) * 0x1p-53   // in (0, 1]
        let u2 = Double(next() >> 11) * 0x1p-53
        return Float((-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2))
    }

    /// A derived generator with an independent stream (for workers or per-task streams).
    public mutating func split() -> RandomGenerator { RandomGenerator(seed: next()) }
}

#if canImport(Glibc)
import Glibc
private func _log(_ x: Double) -> Double { Glibc.log(x) }
private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#elseif canImport(Darwin)
import Darwin
private func _log(_ x: Double) -> Double { Darwin.log(x) }
private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif

extension Tensor {
    /// Samples uniform in `[low, high)`.
    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1, using generator: inout RandomGenerator) -> Tensor {
        let result = Tensor(repeating: 0, shape: shape)
        for index in 0..<result.scalarCount { result.storage.base[index] = low + (high - low) * generator.nextUniform() }
        return result
    }

    /// Samples from `N(mean, standardDeviation²)`.
    public static func randomNormal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1, using generator: inout RandomGenerator) -> Tensor {
        let result = Tensor(repeating: 0, shape: shape)
        for index in 0..<result.scalarCount { result.storage.base[index] = mean + standardDeviation * generator.nextNormal() }
        return result
    }

    /// Samples 1 with probability `probability`, else 0.
    public static func randomBernoulli(_ shape: [Int], probability: Float, using generator: inout RandomGenerator) -> Tensor {
        guard check((0...1).contains(probability), .invalidArgument, "randomBernoulli: probability \(probability) is outside [0, 1]")
        else { return .placeholder }
        let result = Tensor(repeating: 0, shape: shape)
        for index in 0..<result.scalarCount { result.storage.base[index] = generator.nextUniform() < probability ? 1 : 0 }
        return result
    }

    /// A uniformly random permutation of `0..<count` (Fisher–Yates).
    public static func randomPermutation(_ count: Int, using generator: inout RandomGenerator) -> [Int] {
        var values = Array(0..<Swift.max(count, 0))
        if count > 1 {
            for index in stride(from: count - 1, to: 0, by: -1) {
                values.swapAt(index, Int(generator.next() % UInt64(index + 1)))
            }
        }
        return values
    }
}
