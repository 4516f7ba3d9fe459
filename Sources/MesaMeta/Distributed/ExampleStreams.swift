import MesaCore

/// The generators one step of a data-parallel run samples from (``DataParallel``): `shared`, the
/// same on every rank, for what the whole batch shares (e.g. the tabular prior's row count), and
/// one generator per example of this rank's shard, seeded by the step and the example's global
/// index. A step draws one 64-bit seed `s` from the run's generator; example `i` then draws from
/// `RandomGenerator(seed: s ⊕ (i+1)·0xD1B54A32D192ED03)`, so that `N` ranks with `B/N` examples
/// each see exactly the examples one process with `B` sees, and a resumed run (with any number of
/// ranks) continues the same stream.
public struct ExampleStreams {
    /// The generator of the batch-wide draws, identical on every rank.
    public var shared: RandomGenerator
    /// This rank's examples' generators, in global index order.
    public var examples: [RandomGenerator]
    /// This rank's examples' global indices in the batch.
    public let indices: Range<Int>

    /// The streams of the step whose seed is `seed`, for the examples `indices`.
    public init(seed: UInt64, indices: Range<Int>) {
        shared = RandomGenerator(seed: seed)
        examples = indices.map { RandomGenerator(seed: seed ^ (UInt64($0 + 1) &* 0xD1B5_4A32_D192_ED03)) }
        self.indices = indices
    }
}
