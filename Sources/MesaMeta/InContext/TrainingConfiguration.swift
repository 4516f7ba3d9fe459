import Foundation

/// Optimisation and bookkeeping of a run.
public struct TrainingConfiguration: Codable, Equatable, Sendable {
    /// Optimiser steps in total.
    public var steps: Int
    /// Prompts per step.
    public var batchSize: Int
    /// Prompt length (pairs) once the curriculum is complete.
    public var pointCount: Int
    /// `"adam"` or `"adamw"`.
    public var optimizer: String
    /// Peak learning rate (after warm-up).
    public var learningRate: Float
    /// Learning rate at the end of the cosine decay.
    public var minimumLearningRate: Float
    /// Linear warm-up steps.
    public var warmUpSteps: Int
    /// Decoupled weight decay (AdamW only).
    public var weightDecay: Float
    /// Adam's `ε`.
    public var epsilon: Float
    /// Global gradient-norm clipping threshold; `nil`: no clipping.
    public var gradientClipNorm: Float?
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
    public init(steps: Int = 2000, batchSize: Int = 64, pointCount: Int = 20, optimizer: String = "adam", learningRate: Float = 1e-3,
                minimumLearningRate: Float = 1e-5, warmUpSteps: Int = 200, weightDecay: Float = 0, epsilon: Float = 1e-8,
                gradientClipNorm: Float? = 1, curriculum: CurriculumConfiguration? = nil, seed: UInt64 = 0,
                evaluationInterval: Int = 500, evaluationPromptCount: Int = 256, checkpointInterval: Int = 500, logInterval: Int = 10) {
        self.steps = steps
        self.batchSize = batchSize
        self.pointCount = pointCount
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.minimumLearningRate = minimumLearningRate
        self.warmUpSteps = warmUpSteps
        self.weightDecay = weightDecay
        self.epsilon = epsilon
        self.gradientClipNorm = gradientClipNorm
        self.curriculum = curriculum
        self.seed = seed
        self.evaluationInterval = evaluationInterval
        self.evaluationPromptCount = evaluationPromptCount
        self.checkpointInterval = checkpointInterval
        self.logInterval = logInterval
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case steps, batchSize, pointCount, optimizer, learningRate, minimumLearningRate, warmUpSteps, weightDecay, epsilon
        case gradientClipNorm, curriculum, seed, evaluationInterval, evaluationPromptCount, checkpointInterval, logInterval
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "training")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TrainingConfiguration()
        steps = try c.value(.steps, default: d.steps)
        batchSize = try c.value(.batchSize, default: d.batchSize)
        pointCount = try c.value(.pointCount, default: d.pointCount)
        optimizer = try c.value(.optimizer, default: d.optimizer)
        learningRate = try c.value(.learningRate, default: d.learningRate)
        minimumLearningRate = try c.value(.minimumLearningRate, default: d.minimumLearningRate)
        warmUpSteps = try c.value(.warmUpSteps, default: d.warmUpSteps)
        weightDecay = try c.value(.weightDecay, default: d.weightDecay)
        epsilon = try c.value(.epsilon, default: d.epsilon)
        gradientClipNorm = c.contains(.gradientClipNorm) ? try c.decodeIfPresent(Float.self, forKey: .gradientClipNorm) : d.gradientClipNorm
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
        try require(["adam", "adamw"].contains(optimizer), "optimizer must be \"adam\" or \"adamw\", got \"\(optimizer)\"")
        try require(learningRate > 0 && learningRate.isFinite, "learningRate must be positive, got \(learningRate)")
        try require(minimumLearningRate >= 0 && minimumLearningRate <= learningRate, "minimumLearningRate must be in 0...learningRate, got \(minimumLearningRate)")
        try require(warmUpSteps >= 0, "warmUpSteps must be non-negative, got \(warmUpSteps)")
        try require(weightDecay >= 0, "weightDecay must be non-negative, got \(weightDecay)")
        try require(epsilon > 0, "epsilon must be positive, got \(epsilon)")
        try require(gradientClipNorm.map { $0 > 0 } ?? true, "gradientClipNorm must be positive when given")
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
