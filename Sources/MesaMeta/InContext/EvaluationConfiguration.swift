import Foundation

/// What `mesa eval` compares the learner with, and on which prompts.
public struct EvaluationConfiguration: Codable, Equatable, Sendable {
    /// Baselines by name, e.g. `"leastSquares"`, `"ridge"`, `"lasso:0.01"`, `"knn:3"`,
    /// `"averaging"`, `"gd:1"`, `"gp"`, `"network"`, `"logistic"`, `"mixture"` (see ``BaselineFactory``).
    public var baselines: [String]
    /// Prompt length of the evaluation prompts; `nil`: the training prompt length.
    public var pointCount: Int?
    /// Number of evaluation prompts.
    public var promptCount: Int
    /// Seed of the evaluation prompts (independent of training).
    public var seed: UInt64
    /// Whether to also run the out-of-distribution probes (inputs ×2 and ×3, added noise, half the dimensions).
    public var probes: Bool

    /// Creates an evaluation configuration.
    public init(baselines: [String] = [], pointCount: Int? = nil, promptCount: Int = 1280, seed: UInt64 = 12345, probes: Bool = true) {
        self.baselines = baselines
        self.pointCount = pointCount
        self.promptCount = promptCount
        self.seed = seed
        self.probes = probes
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case baselines, pointCount, promptCount, seed, probes }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "evaluation")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = EvaluationConfiguration()
        baselines = try c.value(.baselines, default: d.baselines)
        pointCount = try c.decodeIfPresent(Int.self, forKey: .pointCount)
        promptCount = try c.value(.promptCount, default: d.promptCount)
        seed = try c.value(.seed, default: d.seed)
        probes = try c.value(.probes, default: d.probes)
    }
}
