import Foundation

/// Optimisation and bookkeeping of a run.
public struct TrainingConfiguration: Codable, Equatable, Sendable {
    /// Optimiser steps in total.
    public var steps: Int
    /// Prompts per step.
    public var batchSize: Int
    /// Prompt length (pairs) once the curriculum is complete.
    public var pointCount: Int
    /// The optimizer and its learning-rate schedule (default: Adam at 10⁻³, 200 warm-up steps,
    /// cosine decay to 10⁻⁵, gradients clipped to norm 1). Files written before this section
    /// existed give its fields flat in `training` (`"optimizer": "adam"`, `learningRate`,
    /// `minimumLearningRate`, `warmUpSteps`, `weightDecay`, `epsilon`, `gradientClipNorm`) and
    /// still decode.
    public var optimizer: OptimizerConfiguration
    /// The curriculum; `nil`: full dimension and length from the start.
    public var curriculum: CurriculumConfiguration?
    /// Seed of initialisation and task sampling.
    public var seed: UInt64
    /// Steps between evaluations on a fixed held-out set of prompts.
    public var evaluationInterval: Int
    /// Prompts in that held-out set.
    public var evaluationPromptCount: Int
    /// Steps between checkpoints (one is always written at the end).
    public var checkpointInterval: Int
    /// Steps between metric lines.
    public var logInterval: Int

    /// Creates a configuration (defaults sized for a small, quick run).
    public init(steps: Int = 2000, batchSize: Int = 64, pointCount: Int = 20, optimizer: OptimizerConfiguration = Self.defaultOptimizer,
                curriculum: CurriculumConfiguration? = nil, seed: UInt64 = 0,
                evaluationInterval: Int = 500, evaluationPromptCount: Int = 256, checkpointInterval: Int = 500, logInterval: Int = 10) {
        self.steps = steps
        self.batchSize = batchSize
        self.pointCount = pointCount
        self.optimizer = optimizer
        self.curriculum = curriculum
        self.seed = seed
        self.evaluationInterval = evaluationInterval
        self.evaluationPromptCount = evaluationPromptCount
        self.checkpointInterval = checkpointInterval
        self.logInterval = logInterval
    }

    /// The default optimizer of in-context meta-training.
    public static let defaultOptimizer = OptimizerConfiguration(algorithm: .adam, learningRate: 1e-3, decay: .cosine, warmUpSteps: 200,
                                                                minimumLearningRate: 1e-5, gradientClipNorm: 1)

    enum CodingKeys: String, CodingKey, CaseIterable {
        case steps, batchSize, pointCount, optimizer, curriculum, seed, evaluationInterval, evaluationPromptCount, checkpointInterval, logInterval
    }

    /// The flat optimizer fields of files written before the `optimizer` section.
    enum LegacyKeys: String, CodingKey, CaseIterable {
        case learningRate, minimumLearningRate, warmUpSteps, weightDecay, epsilon, gradientClipNorm
    }

    /// Decodes with the defaults of ``init(steps:batchSize:pointCount:optimizer:curriculum:seed:evaluationInterval:evaluationPromptCount:checkpointInterval:logInterval:)``
    /// for absent fields, reading the optimizer's fields flat (older files) or as a section.
    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(known: CodingKeys.allCases.map(\.stringValue) + LegacyKeys.allCases.map(\.stringValue),
                                      listing: CodingKeys.allCases.map(\.stringValue), in: "training")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TrainingConfiguration()
        steps = try c.value(.steps, default: d.steps)
        batchSize = try c.value(.batchSize, default: d.batchSize)
        pointCount = try c.value(.pointCount, default: d.pointCount)
        let legacy = try decoder.container(keyedBy: LegacyKeys.self)
        let legacyName = try? c.decode(String.self, forKey: .optimizer)
        if legacyName != nil || !legacy.allKeys.isEmpty {
            guard legacyName != nil || !c.contains(.optimizer) else {
                throw InContextError.invalidConfiguration(
                    "training: give the optimizer either as a section (\"optimizer\": {\"algorithm\": …, \"learningRate\": …}) or, as older files do, as flat fields (\"optimizer\": \"adam\", \"learningRate\": …), not both")
            }
            var o = d.optimizer
            if let legacyName { o.algorithm = try OptimizerAlgorithm(named: legacyName, field: "training.optimizer") }
            o.learningRate = try legacy.value(.learningRate, default: o.learningRate)
            o.minimumLearningRate = try legacy.value(.minimumLearningRate, default: o.resolvedMinimumLearningRate)
            o.warmUpSteps = try legacy.value(.warmUpSteps, default: o.warmUpSteps)
            // Old files applied weightDecay to AdamW only; plain Adam ignored it.
            o.weightDecay = o.algorithm == .adamw ? try legacy.value(.weightDecay, default: o.weightDecay) : 0
            o.epsilon = try legacy.value(.epsilon, default: o.epsilon)
            if legacy.contains(.gradientClipNorm) { o.gradientClipNorm = try legacy.decodeIfPresent(Float.self, forKey: .gradientClipNorm) }
            optimizer = o
        } else {
            optimizer = try OptimizerConfiguration.decode(from: c, forKey: .optimizer, defaults: d.optimizer)
        }
        curriculum = try c.decodeIfPresent(CurriculumConfiguration.self, forKey: .curriculum)
        seed = try c.value(.seed, default: d.seed)
        evaluationInterval = try c.value(.evaluationInterval, default: d.evaluationInterval)
        evaluationPromptCount = try c.value(.evaluationPromptCount, default: d.evaluationPromptCount)
        checkpointInterval = try c.value(.checkpointInterval, default: d.checkpointInterval)
        logInterval = try c.value(.logInterval, default: d.logInterval)
    }

    /// Checks that every value is in range.
    public func validate() throws {
        func require(_ condition: Bool, _ message: String) throws {
            if !condition { throw InContextError.invalidConfiguration("training.\(message)") }
        }
        try require(steps > 0, "steps must be positive, got \(steps)")
        try require(batchSize > 0, "batchSize must be positive, got \(batchSize)")
        try require(pointCount > 0, "pointCount must be positive, got \(pointCount)")
        try optimizer.validate(in: "training.optimizer")
        try require(evaluationInterval > 0 && checkpointInterval > 0 && logInterval > 0, "evaluationInterval, checkpointInterval and logInterval must be positive")
        try require(evaluationPromptCount > 0, "evaluationPromptCount must be positive")
        if let curriculum {
            try require(curriculum.startPoints >= 1 && curriculum.startPoints <= pointCount,
                        "curriculum.startPoints must be in 1...\(pointCount), got \(curriculum.startPoints)")
            try require(curriculum.interval > 0 && curriculum.dimensionIncrement >= 0 && curriculum.pointIncrement >= 0,
                        "curriculum.interval must be positive and the increments non-negative")
        }
    }
}
