import MesaCore

/// Few-shot regression episodes from any regression ``TaskDistribution``: each episode draws a
/// task, then `supportCount + queryCount` points of it, split into support and query sets.
///
/// With ``SinusoidTasks`` this is exactly Finn et al. 2017's sinusoid benchmark (K support
/// points, K query points of the same sinusoid).
///
/// Shapes: inputs `[k, inputDimension]`, targets `[k, 1]`.
public struct RegressionEpisodes: Sendable {
    /// The task distribution.
    public let tasks: any TaskDistribution
    /// Points per support set (`K`).
    public var supportCount: Int
    /// Points per query set.
    public var queryCount: Int

    /// Creates the sampler; `tasks` must be a regression distribution.
    public init(tasks: any TaskDistribution, supportCount: Int, queryCount: Int) {
        precondition(tasks.kind == .regression, "RegressionEpisodes: \(tasks.name) is not a regression distribution")
        precondition(supportCount >= 1 && queryCount >= 1,
                     "RegressionEpisodes: support and query counts must be ≥ 1, got \(supportCount) and \(queryCount)")
        self.tasks = tasks
        self.supportCount = supportCount
        self.queryCount = queryCount
    }

    /// Draws one episode.
    public func sample(using generator: inout RandomGenerator) -> Episode {
        let task = tasks.sampleTask(using: &generator)
        let count = supportCount + queryCount, d = tasks.inputDimension
        let inputs = tasks.sampleInputs(count: count, for: task, using: &generator)
        let targets = task.targets(for: inputs, count: count, using: &generator)
        func set(_ range: Range<Int>) -> ExampleSet {
            ExampleSet(inputs: Tensor(shape: [range.count, d], scalars: Array(inputs[(range.lowerBound * d)..<(range.upperBound * d)])),
                       targets: Tensor(shape: [range.count, 1], scalars: Array(targets[range])))
        }
        return Episode(support: set(0..<supportCount), query: set(supportCount..<count))
    }

    /// Draws `count` episodes.
    public func sample(count: Int, using generator: inout RandomGenerator) -> [Episode] {
        (0..<count).map { _ in sample(using: &generator) }
    }
}

extension RegressionEpisodes: EpisodeSampling {}
