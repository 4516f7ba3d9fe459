import MesaCore

/// Episodes of equal sizes stacked along a leading task axis, for vectorised adaptation.
///
/// Shapes: `support.inputs` `[tasks, k, features]`, `support.targets` `[tasks, k, outputs]` or
/// `[tasks, k]`; likewise `query`.
public struct EpisodeBatch: Sendable {
    /// The stacked support sets.
    public var support: ExampleSet
    /// The stacked query sets.
    public var query: ExampleSet

    /// Stacks `episodes`, which must all have the same support and query sizes.
    public init(_ episodes: [Episode]) {
        precondition(!episodes.isEmpty, "EpisodeBatch: needs at least one episode")
        support = ExampleSet(inputs: .stack(episodes.map(\.support.inputs)), targets: .stack(episodes.map(\.support.targets)))
        query = ExampleSet(inputs: .stack(episodes.map(\.query.inputs)), targets: .stack(episodes.map(\.query.targets)))
    }

    /// The number of tasks.
    public var taskCount: Int { support.inputs.shape[0] }
}
