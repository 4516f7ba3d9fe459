import Foundation
import MesaCore
import MesaNN
import MesaOptim

/// The optimizer and learning-rate schedule of a training run: one Codable description shared by
/// every trainer (``InContextTrainer``, ``EpisodicTrainer``, ``TabularPretrainer``).
///
/// The learning rate at step `s` of `T` (0-based) rises linearly over `warmUpSteps` steps to
/// `learningRate` (Goyal et al. 2017), then follows `decay` down to `minimumLearningRate` at step `T`
/// (``LearningRateSchedule``). Gradients are clipped to a global L2 norm of `gradientClipNorm`
/// before each update when it is set (Pascanu et al. 2013).
///
/// ```json
/// {"algorithm": "adamw", "learningRate": 0.001, "decay": "cosine", "warmUpSteps": 500,
///  "minimumLearningRate": 0.00001, "weightDecay": 0.01, "gradientClipNorm": 1}
/// ```
///
/// Every field may be omitted: it takes the owning configuration's default (each trainer has its
/// own, e.g. a constant rate for episodic meta-learning); unknown fields and unknown names are
/// errors that list the valid ones.
public struct OptimizerConfiguration: Codable, Equatable, Sendable {
    /// The update rule.
    public var algorithm: OptimizerAlgorithm
    /// The peak learning rate `η` (reached at the end of the warm-up).
    public var learningRate: Float
    /// The shape of the decay after the warm-up.
    public var decay: LearningRateDecay
    /// Steps of linear warm-up (0: none).
    public var warmUpSteps: Int
    /// The rate at the last step of a `cosine` or `linear` decay; `nil`: `learningRate / 10`.
    public var minimumLearningRate: Float?
    /// Adam's and AdamW's `ε`.
    public var epsilon: Float
    /// Weight decay `λ` (an L2 penalty for Adam and SGD, decoupled for AdamW and Lion).
    public var weightDecay: Float
    /// The global gradient-norm threshold; `nil`: no clipping.
    public var gradientClipNorm: Float?

    /// Creates a configuration.
    public init(algorithm: OptimizerAlgorithm = .adam, learningRate: Float = 1e-3, decay: LearningRateDecay = .cosine,
                warmUpSteps: Int = 0, minimumLearningRate: Float? = nil, epsilon: Float = 1e-8, weightDecay: Float = 0,
                gradientClipNorm: Float? = nil) {
        self.algorithm = algorithm
        self.learningRate = learningRate
        self.decay = decay
        self.warmUpSteps = warmUpSteps
        self.minimumLearningRate = minimumLearningRate
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.gradientClipNorm = gradientClipNorm
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case algorithm, learningRate, decay, warmUpSteps, minimumLearningRate, epsilon, weightDecay, gradientClipNorm
    }

    /// Decodes with ``init()``'s defaults for absent fields; see ``decode(from:forKey:defaults:)``
    /// for a section with other defaults.
    public init(from decoder: Decoder) throws {
        try self.init(from: decoder, defaults: OptimizerConfiguration())
    }

    /// Encodes every field, `null` included for the optional ones, so that a saved configuration
    /// decodes to itself whatever the owner's defaults are (an absent field would take them).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(algorithm, forKey: .algorithm)
        try c.encode(learningRate, forKey: .learningRate)
        try c.encode(decay, forKey: .decay)
        try c.encode(warmUpSteps, forKey: .warmUpSteps)
        if let minimumLearningRate { try c.encode(minimumLearningRate, forKey: .minimumLearningRate) } else { try c.encodeNil(forKey: .minimumLearningRate) }
        try c.encode(epsilon, forKey: .epsilon)
        try c.encode(weightDecay, forKey: .weightDecay)
        if let gradientClipNorm { try c.encode(gradientClipNorm, forKey: .gradientClipNorm) } else { try c.encodeNil(forKey: .gradientClipNorm) }
    }

    /// Decodes with `defaults` for absent fields (`null` clears the optional ones).
    init(from decoder: Decoder, defaults d: OptimizerConfiguration) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: decoder.codingPath.map(\.stringValue).joined(separator: "."))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        algorithm = try c.value(.algorithm, default: d.algorithm)
        learningRate = try c.value(.learningRate, default: d.learningRate)
        decay = try c.value(.decay, default: d.decay)
        warmUpSteps = try c.value(.warmUpSteps, default: d.warmUpSteps)
        minimumLearningRate = c.contains(.minimumLearningRate) ? try c.decodeIfPresent(Float.self, forKey: .minimumLearningRate) : d.minimumLearningRate
        epsilon = try c.value(.epsilon, default: d.epsilon)
        weightDecay = try c.value(.weightDecay, default: d.weightDecay)
        gradientClipNorm = c.contains(.gradientClipNorm) ? try c.decodeIfPresent(Float.self, forKey: .gradientClipNorm) : d.gradientClipNorm
    }

    /// The section at `key` of `container`, its absent fields taken from `defaults`; `defaults`
    /// itself when the section is absent.
    public static func decode<Key: CodingKey>(from container: KeyedDecodingContainer<Key>, forKey key: Key,
                                              defaults: OptimizerConfiguration) throws -> OptimizerConfiguration {
        guard container.contains(key) else { return defaults }
        return try OptimizerConfiguration(from: try container.superDecoder(forKey: key), defaults: defaults)
    }

    /// The rate at the end of the decay: `minimumLearningRate`, or `learningRate / 10`.
    public var resolvedMinimumLearningRate: Float { minimumLearningRate ?? learningRate / 10 }

    /// The schedule over a run of `totalSteps` steps.
    public func schedule(totalSteps: Int) -> LearningRateSchedule {
        switch decay {
        case .constant:
            return .linearWarmUp(peak: learningRate, warmUpSteps: warmUpSteps)
        case .cosine:
            return .warmUpCosineDecay(peak: learningRate, minimum: resolvedMinimumLearningRate, warmUpSteps: warmUpSteps, totalSteps: totalSteps)
        case .linear:
            return .warmUpLinearDecay(peak: learningRate, minimum: resolvedMinimumLearningRate, warmUpSteps: warmUpSteps, totalSteps: totalSteps)
        }
    }

    /// A new optimizer of this kind over `parameters`, at the peak learning rate.
    public func makeOptimizer(for parameters: [Parameter]) -> any Optimizer {
        switch algorithm {
        case .adam: Adam(parameters: parameters, learningRate: learningRate, epsilon: epsilon, weightDecay: weightDecay)
        case .adamw: AdamW(parameters: parameters, learningRate: learningRate, epsilon: epsilon, weightDecay: weightDecay)
        case .sgd: SGD(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)
        case .lion: Lion(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)
        }
    }

    /// Checks ranges; `section` prefixes the field names in the error.
    public func validate(in section: String) throws {
        func require(_ condition: Bool, _ message: String) throws {
            if !condition { throw InContextError.invalidConfiguration("\(section).\(message)") }
        }
        try require(learningRate > 0 && learningRate.isFinite, "learningRate must be positive, got \(learningRate)")
        try require(resolvedMinimumLearningRate >= 0 && resolvedMinimumLearningRate <= learningRate,
                    "minimumLearningRate must be in 0...learningRate, got \(resolvedMinimumLearningRate)")
        try require(warmUpSteps >= 0, "warmUpSteps must be non-negative, got \(warmUpSteps)")
        try require(weightDecay >= 0 && weightDecay.isFinite, "weightDecay must be non-negative, got \(weightDecay)")
        try require(epsilon > 0, "epsilon must be positive, got \(epsilon)")
        try require(gradientClipNorm.map { $0 > 0 } ?? true, "gradientClipNorm must be positive when given")
    }
}
