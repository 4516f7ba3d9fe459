import Foundation

/// Everything that defines a meta-training run: the task distribution, the learner, the
/// optimisation and the evaluation. Read from a JSON file (`mesa train --config FILE`) or a
/// shipped preset (`mesa train --preset NAME`); saved beside every checkpoint so that a run can
/// be resumed and evaluated without repeating its settings.
///
/// Every field may be omitted and takes the default shown by `mesa train --preset NAME
/// --print-config`; unknown fields are an error.
public struct InContextTrainingConfiguration: Codable, Equatable, Sendable {
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
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw InContextError.invalidConfiguration("\(source): \(context.debugDescription)\(context.debugDescription.contains(path) ? "" : " \(path)")")
        } catch {
            throw InContextError.invalidConfiguration("\(source): \(error)")
        }
        try validate()
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

extension InContextTrainingConfiguration: TrainingRecipe {
    /// `training.steps`.
    public var totalSteps: Int {
        get { training.steps }
        set { training.steps = newValue }
    }
    /// `training.optimizer`.
    public var optimizer: OptimizerConfiguration { training.optimizer }
    /// `training`'s log, evaluation and checkpoint intervals.
    public var intervals: TrainingIntervals {
        TrainingIntervals(log: training.logInterval, evaluation: training.evaluationInterval, checkpoint: training.checkpointInterval)
    }
}
