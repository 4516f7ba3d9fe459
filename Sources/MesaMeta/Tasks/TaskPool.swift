import MesaCore

/// A finite pool of fixed tasks drawn once from a base distribution, or (`taskCount == nil`) the
/// base distribution itself, with fresh tasks for every prompt. The number of distinct
/// pretraining tasks is the knob of Raventós et al. 2023 ("Pretraining task diversity and the
/// emergence of non-Bayesian in-context learning for regression"), who use pools of `2ᵐ` tasks.
///
/// Task `i` of the pool is `base.sampleTask` run on a generator seeded with a mix of
/// (``seed``, `i`) (see ``taskSeed(at:)``), so a pool is fixed by its base, size and seed alone;
/// ``sampleTask(using:)`` picks `i` uniformly with the caller's generator. Inputs, input
/// dimension and kind are the base's.
///
/// **Memory.** Tasks are not stored: ``task(at:)`` re-derives task `i` from its seed on every
/// call, so a pool of 2²⁰ tasks costs nothing to hold, and each draw costs one
/// `base.sampleTask` (cheap next to evaluating the prompt).
public struct TaskPool: TaskDistribution {
    /// The distribution the pool's tasks are drawn from.
    public let base: any TaskDistribution
    /// The number of tasks in the pool, or `nil` for an infinite pool (fresh tasks every time).
    public let taskCount: Int?
    /// The seed the pool's tasks are derived from.
    public let seed: UInt64

    /// The base's input width.
    public var inputDimension: Int { base.inputDimension }
    /// The base's kind.
    public var kind: TaskKind { base.kind }
    /// For example `"linear regression (d = 8), pool of 1024 tasks"`.
    public var name: String {
        "\(base.name), " + (taskCount.map { "pool of \($0) task\($0 == 1 ? "" : "s")" } ?? "infinite pool")
    }

    /// Creates the pool.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for a `taskCount` below 1.
    public init(base: any TaskDistribution, taskCount: Int?, seed: UInt64) throws {
        if let taskCount, taskCount < 1 {
            throw InContextError.invalidConfiguration("task pool: taskCount must be ≥ 1 (or nil for an infinite pool), got \(taskCount)")
        }
        self.base = base
        self.taskCount = taskCount
        self.seed = seed
    }

    /// The seed of task `index`: SplitMix64's finaliser applied to the mixed seed plus the index, so
    /// that nearby seeds do not give overlapping pools.
    public func taskSeed(at index: Int) -> UInt64 {
        Self.mix(Self.mix(seed) &+ UInt64(truncatingIfNeeded: index))
    }

    /// Task `index` of the pool, re-derived from ``taskSeed(at:)``. For a finite pool `index` must
    /// lie in `0..<taskCount`; an infinite pool accepts any `index ≥ 0` (but never draws these
    /// tasks itself).
    public func task(at index: Int) -> any TaskFunction {
        precondition(index >= 0 && index < (taskCount ?? Int.max), "TaskPool: task index \(index) is outside 0..<\(taskCount ?? Int.max)")
        var generator = RandomGenerator(seed: taskSeed(at: index))
        return base.sampleTask(using: &generator)
    }

    /// A uniformly chosen task of the pool (one draw from `generator`), or a fresh task of the
    /// base when the pool is infinite.
    public func sampleTask(using generator: inout RandomGenerator) -> any TaskFunction {
        guard let taskCount else { return base.sampleTask(using: &generator) }
        return task(at: generator.nextIndex(below: taskCount))
    }

    /// The base's inputs for `task`.
    public func sampleInputs(count: Int, for task: any TaskFunction, using generator: inout RandomGenerator) -> [Float] {
        base.sampleInputs(count: count, for: task, using: &generator)
    }

    /// The base's prompts for `tasks` (so a pool of dataset tasks draws its examples as its base does).
    public func sample(tasks: [any TaskFunction], pointCount: Int, options: SamplingOptions = .standard,
                       using generator: inout RandomGenerator) -> TaskBatch {
        base.sample(tasks: tasks, pointCount: pointCount, options: options, using: &generator)
    }

    /// SplitMix64's increment and finaliser (Steele, Lea & Flood 2014).
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
