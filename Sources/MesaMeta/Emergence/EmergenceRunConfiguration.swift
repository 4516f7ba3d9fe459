import Foundation

/// Everything that defines one emergence run: the bursty classification tasks, the sequence
/// model and the optimisation (Chan et al. 2022's setting in Reddy 2024's minimal form).
///
/// `training.pointCount` is not read: every sequence has `tasks.contextCount + 1` points.
public struct EmergenceRunConfiguration: Codable, Equatable, Sendable {
    /// A name for the run.
    public var name: String
    /// The training and evaluation sequences.
    public var tasks: BurstyClassificationConfiguration
    /// The sequence model (a Transformer or an LSTM).
    public var learner: LearnerConfiguration
    /// Optimiser, steps, batch size, evaluation and checkpoint intervals.
    public var training: TrainingConfiguration

    /// Creates a configuration.
    public init(name: String, tasks: BurstyClassificationConfiguration = .init(), learner: LearnerConfiguration, training: TrainingConfiguration) {
        self.name = name
        self.tasks = tasks
        self.learner = learner
        self.training = training
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, tasks, learner, training }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "emergence configuration")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.value(.name, default: "emergence")
        tasks = try c.value(.tasks, default: BurstyClassificationConfiguration())
        learner = try c.value(.learner, default: LearnerConfiguration())
        training = try c.value(.training, default: TrainingConfiguration())
    }

    /// Checks every section and that the learner reads `N + 1` points.
    public func validate() throws {
        try tasks.validate()
        try training.validate()
        guard learner.maximumPointCount >= tasks.contextCount + 1 else {
            throw InContextError.invalidConfiguration("learner.maximumPointCount (\(learner.maximumPointCount)) is below tasks.contextCount + 1 (\(tasks.contextCount + 1))")
        }
        guard learner.architecture != .lsa else {
            throw InContextError.invalidConfiguration("learner.architecture: emergence runs train a transformer or an lstm, not lsa")
        }
    }
}

extension EmergenceRunConfiguration: TrainingRecipe {
    /// Reads and validates a configuration from JSON.
    public init(json data: Data, source: String) throws {
        do {
            self = try JSONDecoder().decode(Self.self, from: data)
        } catch let error as InContextError {
            throw error
        } catch let DecodingError.dataCorrupted(context) {
            throw InContextError.invalidConfiguration("\(source): \(context.debugDescription)")
        } catch {
            throw InContextError.invalidConfiguration("\(source): \(error)")
        }
        try validate()
    }


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
