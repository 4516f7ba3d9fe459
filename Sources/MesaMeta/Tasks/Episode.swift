import MesaCore

/// One meta-learning task as an episode: adapt on `support`, then score on `query`.
public struct Episode: Sendable {
    /// The examples the learner adapts on.
    public var support: ExampleSet
    /// The held-out examples of the same task that score the adapted learner.
    public var query: ExampleSet

    /// Creates an episode.
    public init(support: ExampleSet, query: ExampleSet) {
        self.support = support
        self.query = query
    }
}
