/// How prompts are drawn from a ``TaskDistribution``: the curriculum's current dimension, and
/// the out-of-distribution probes of Garg et al. 2022 (§4: scaled inputs, noisy targets, fewer
/// active dimensions).
public struct SamplingOptions: Equatable, Sendable, Codable {
    /// Keep only the first `activeDimensions` input coordinates and set the rest to zero (Garg
    /// et al.'s curriculum: the task is then effectively `activeDimensions`-dimensional). `nil`: all.
    public var activeDimensions: Int?
    /// Multiply every input by this factor before the task function sees it (`y = f(s·x)`).
    public var inputScale: Float
    /// Add `N(0, σ²)` noise with this `σ` to every target, on top of the distribution's own noise
    /// (regression only).
    public var addedNoise: Float

    /// Creates options; the defaults sample the distribution as it is.
    public init(activeDimensions: Int? = nil, inputScale: Float = 1, addedNoise: Float = 0) {
        self.activeDimensions = activeDimensions
        self.inputScale = inputScale
        self.addedNoise = addedNoise
    }

    /// Sampling exactly from the distribution.
    public static let standard = SamplingOptions()
}

extension SamplingOptions {
    /// Zeroes the coordinates of every row of `inputs` (row-major, `dimension` wide) from
    /// `activeDimensions` on and scales the others by ``inputScale``.
    func apply(to inputs: inout [Float], dimension: Int, activeDimensions: Int) {
        for index in inputs.indices {
            inputs[index] = index % dimension < activeDimensions ? inputs[index] * inputScale : 0
        }
    }
}
