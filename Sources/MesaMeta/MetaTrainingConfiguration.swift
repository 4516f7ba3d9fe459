import Foundation

/// Everything that defines a meta-training run: the task distribution, the learner, the
/// optimisation and the evaluation. Read from a JSON file (`mesa train --config FILE`) or a
/// shipped preset (`mesa train --preset NAME`); saved beside every checkpoint so that a run can
/// be resumed and evaluated without repeating its settings.
///
/// Every field may be omitted and takes the default shown by `mesa train --preset NAME
/// --print-config`; unknown fields are an error.
public struct MetaTrainingConfiguration: Codable, Equatable, Sendable {
    /// A name for the run (the default output folder is `runs/<name>`).
    public var name: String
    /// The distribution of training tasks.
    public var task: TaskConfiguration
    /// The learner's architecture.
    public var learner: LearnerConfiguration
    /// Optimiser, schedule, curriculum, checkpoints.
    public var training: TrainingConfiguration
    /// What `mesa eval` compares and probes.
    public var evaluation: EvaluationConfiguration

    /// Creates a configuration.
    public init(name: String, task: TaskConfiguration, learner: LearnerConfiguration = .init(),
                training: TrainingConfiguration = .init(), evaluation: EvaluationConfiguration = .init()) {
        self.name = name
        self.task = task
        self.learner = learner
        self.training = training
        self.evaluation = evaluation
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, task, learner, training, evaluation }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "configuration")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.value(.name, default: "run")
        guard let task = try container.decodeIfPresent(TaskConfiguration.self, forKey: .task) else {
            throw InContextError.invalidConfiguration("configuration: the 'task' section is required (e.g. {\"family\": \"linear\", \"inputDimension\": 5})")
        }
        self.task = task
        learner = try container.value(.learner, default: LearnerConfiguration())
        training = try container.value(.training, default: TrainingConfiguration())
        evaluation = try container.value(.evaluation, default: EvaluationConfiguration())
    }

    /// Reads a configuration from JSON.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` naming the field for missing,
    ///   unknown or ill-typed fields and out-of-range values.
    public init(json data: Data, source: String = "configuration") throws {
        do {
            self = try JSONDecoder().decode(Self.self, from: data)
        } catch let error as InContextError {
            throw error
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw InContextError.invalidConfiguration("\(source): field '\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            throw InContextError.invalidConfiguration("\(source): \(context.debugDescription) \(context.codingPath.map(\.stringValue).joined(separator: "."))")
        } catch {
            throw InContextError.invalidConfiguration("\(source): \(error)")
        }
        try validate()
    }

    /// The configuration as pretty-printed JSON with sorted keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// Checks ranges and consistency across sections.
    public func validate() throws {
        try training.validate()
        guard learner.maximumPointCount >= training.pointCount else {
            throw InContextError.invalidConfiguration("learner.maximumPointCount (\(learner.maximumPointCount)) is below training.pointCount (\(training.pointCount))")
        }
        if let curriculum = training.curriculum {
            guard curriculum.startDimensions >= 1, curriculum.startDimensions <= task.inputDimension else {
                throw InContextError.invalidConfiguration("training.curriculum.startDimensions (\(curriculum.startDimensions)) must be in 1...\(task.inputDimension)")
            }
        }
        _ = try task.makeDistribution()
    }

    /// Checks that every evaluation baseline exists and can serve this task, by building it.
    /// Called before a new run starts, so that a bad name is found before training rather than at
    /// evaluation; not part of ``validate()``, so a saved run whose baselines no longer apply
    /// still loads (and can be evaluated with other baselines).
    public func validateBaselines() throws {
        for name in evaluation.baselines { _ = try BaselineFactory.make(name, for: task) }
    }
}

/// The learner: a Transformer, an LSTM or a linear-self-attention stack.
public struct LearnerConfiguration: Codable, Equatable, Sendable {
    /// `"transformer"`, `"lstm"` or `"lsa"`.
    public var architecture: String
    /// How prompts become tokens (`interleaved`, `concatenated`, `previousTarget`); `nil`: the
    /// architecture's default (interleaved for Transformers, previousTarget for LSTMs,
    /// concatenated for LSA).
    public var encoding: PromptEncoding?
    /// Residual-stream width (Transformer) or hidden size (LSTM).
    public var modelSize: Int
    /// Layers (Transformer blocks, LSTM layers, LSA layers).
    public var layerCount: Int
    /// Attention heads (Transformer, LSA).
    public var headCount: Int
    /// Feed-forward width of a Transformer block; `nil`: `4 · modelSize`.
    public var feedForwardSize: Int?
    /// The longest prompt, in input–target pairs.
    public var maximumPointCount: Int
    /// LSA only: the number of context points in the fixed-context setting (von Oswald et al.);
    /// `nil` scores every prefix.
    public var contextCount: Int?

    /// Creates a learner configuration (defaults: a 3-layer, width-64 Transformer over 40 points).
    public init(architecture: String = "transformer", encoding: PromptEncoding? = nil, modelSize: Int = 64, layerCount: Int = 3,
                headCount: Int = 2, feedForwardSize: Int? = nil, maximumPointCount: Int = 40, contextCount: Int? = nil) {
        self.architecture = architecture
        self.encoding = encoding
        self.modelSize = modelSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.feedForwardSize = feedForwardSize
        self.maximumPointCount = maximumPointCount
        self.contextCount = contextCount
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case architecture, encoding, modelSize, layerCount, headCount, feedForwardSize, maximumPointCount, contextCount
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "learner")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = LearnerConfiguration()
        architecture = try c.value(.architecture, default: defaults.architecture)
        encoding = try c.decodeIfPresent(PromptEncoding.self, forKey: .encoding)
        modelSize = try c.value(.modelSize, default: defaults.modelSize)
        layerCount = try c.value(.layerCount, default: defaults.layerCount)
        headCount = try c.value(.headCount, default: defaults.headCount)
        feedForwardSize = try c.decodeIfPresent(Int.self, forKey: .feedForwardSize)
        maximumPointCount = try c.value(.maximumPointCount, default: defaults.maximumPointCount)
        contextCount = try c.decodeIfPresent(Int.self, forKey: .contextCount)
    }
}

/// Garg et al.'s curriculum: training starts on low-dimensional inputs and short prompts and
/// grows both every `interval` steps until the task's full dimension and prompt length.
public struct CurriculumConfiguration: Codable, Equatable, Sendable {
    /// Active input dimensions at step 0.
    public var startDimensions: Int
    /// Added every `interval` steps.
    public var dimensionIncrement: Int
    /// Prompt length (pairs) at step 0.
    public var startPoints: Int
    /// Added every `interval` steps.
    public var pointIncrement: Int
    /// Steps between increments.
    public var interval: Int

    /// Creates a curriculum.
    public init(startDimensions: Int, dimensionIncrement: Int = 1, startPoints: Int, pointIncrement: Int = 2, interval: Int) {
        self.startDimensions = startDimensions
        self.dimensionIncrement = dimensionIncrement
        self.startPoints = startPoints
        self.pointIncrement = pointIncrement
        self.interval = interval
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case startDimensions, dimensionIncrement, startPoints, pointIncrement, interval }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "training.curriculum")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        startDimensions = try c.decode(Int.self, forKey: .startDimensions)
        dimensionIncrement = try c.value(.dimensionIncrement, default: 1)
        startPoints = try c.decode(Int.self, forKey: .startPoints)
        pointIncrement = try c.value(.pointIncrement, default: 2)
        interval = try c.decode(Int.self, forKey: .interval)
    }

    /// The active dimensions and prompt length at `step`, capped at the full values.
    public func stage(atStep step: Int, fullDimensions: Int, fullPoints: Int) -> (dimensions: Int, points: Int) {
        let stages = interval > 0 ? step / interval : 0
        return (min(fullDimensions, startDimensions + stages * dimensionIncrement), min(fullPoints, startPoints + stages * pointIncrement))
    }
}

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
