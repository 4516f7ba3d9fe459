import Foundation

/// A run's configuration as the shared training loop sees it: saved as JSON in the run folder
/// (`config.json`) and in every checkpoint's metadata, read back to resume, and extendable to
/// more steps. ``InContextTrainingConfiguration``, ``EpisodicConfiguration`` and
/// ``TabularPretrainingConfiguration`` conform.
public protocol TrainingRecipe: Codable, Sendable {
    /// Reads and validates a configuration; `source` names it in errors.
    init(json: Data, source: String) throws
    /// The configuration as pretty-printed JSON with sorted keys.
    func jsonData() throws -> Data
    /// The optimizer steps the run is planned for.
    var totalSteps: Int { get set }
    /// The optimizer and its learning-rate schedule.
    var optimizer: OptimizerConfiguration { get }
    /// When to log, evaluate and checkpoint.
    var intervals: TrainingIntervals { get }
}

extension TrainingRecipe {
    /// The configuration as pretty-printed JSON with sorted keys (what `config.json` and the
    /// checkpoints' metadata hold).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
