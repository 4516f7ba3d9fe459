import MesaCore

/// A distribution over tasks, from which batches of in-context prompts are drawn.
///
/// A conforming type says how to draw a task (``sampleTask(using:)``) and how to draw inputs
/// (``sampleInputs(count:for:using:)``, by default `x ~ N(0, I)`); ``sample(batchSize:pointCount:options:using:)``
/// assembles a ``TaskBatch`` from them, applying ``SamplingOptions``. Everything is seeded by
/// the generator passed in: the same seed gives the same batch on every platform.
///
/// ```swift
/// let tasks = LinearRegressionTasks(inputDimension: 5)
/// var generator = RandomGenerator(seed: 0)
/// let batch = tasks.sample(batchSize: 64, pointCount: 20, using: &generator)   // inputs [64, 20, 5]
/// ```
public protocol TaskDistribution: Sendable {
    /// The width of each input `x`.
    var inputDimension: Int { get }
    /// Regression or classification (with its class count).
    var kind: TaskKind { get }
    /// A short name for logs and plots, e.g. `"linear regression (d = 5)"`.
    var name: String { get }
    /// Draws one task.
    func sampleTask(using generator: inout RandomGenerator) -> any TaskFunction
    /// Draws `count` inputs for `task`, row-major `[count, inputDimension]` (most distributions
    /// ignore the task; a mixture asks the component the task came from).
    func sampleInputs(count: Int, for task: any TaskFunction, using generator: inout RandomGenerator) -> [Float]
    /// Draws `pointCount` input–target pairs for each of `tasks` (the default implementation
    /// draws inputs with ``sampleInputs(count:for:using:)`` and labels them with the task; a
    /// distribution whose tasks label examples they draw themselves, such as
    /// ``ProjectedDatasetTasks``, implements it).
    func sample(tasks: [any TaskFunction], pointCount: Int, options: SamplingOptions,
                using generator: inout RandomGenerator) -> TaskBatch
    /// The distribution held-out prompts are drawn from: the distribution itself (the default),
    /// or, for one with training-only biases (``ProjectedDatasetTasks``' unpermuted fraction and
    /// class imbalance), the same tasks without them.
    var heldOutDistribution: any TaskDistribution { get }
}

extension TaskDistribution {
    /// The distribution itself.
    public var heldOutDistribution: any TaskDistribution { self }

    /// Standard normal inputs, `x ~ N(0, I_d)`.
    public func sampleInputs(count: Int, for task: any TaskFunction, using generator: inout RandomGenerator) -> [Float] {
        (0..<(count * inputDimension)).map { _ in generator.nextNormal() }
    }

    /// Draws `batchSize` tasks and `pointCount` input–target pairs for each.
    ///
    /// For each task: draw the function, draw inputs, zero the coordinates beyond
    /// `options.activeDimensions`, scale the inputs by `options.inputScale`, evaluate the function
    /// (with its own noise), then add `options.addedNoise` (regression only).
    public func sample(batchSize: Int, pointCount: Int, options: SamplingOptions = .standard,
                       using generator: inout RandomGenerator) -> TaskBatch {
        let tasks = (0..<batchSize).map { _ in sampleTask(using: &generator) }
        return sample(tasks: tasks, pointCount: pointCount, options: options, using: &generator)
    }

    /// Draws `pointCount` input–target pairs for each of the given tasks (used by task pools).
    public func sample(tasks: [any TaskFunction], pointCount: Int, options: SamplingOptions = .standard,
                       using generator: inout RandomGenerator) -> TaskBatch {
        let d = inputDimension
        let active = min(max(options.activeDimensions ?? d, 0), d)
        var inputs: [Float] = [], targets: [Float] = []
        inputs.reserveCapacity(tasks.count * pointCount * d)
        targets.reserveCapacity(tasks.count * pointCount)
        for task in tasks {
            var x = sampleInputs(count: pointCount, for: task, using: &generator)
            options.apply(to: &x, dimension: d, activeDimensions: active)
            var y = task.targets(for: x, count: pointCount, using: &generator)
            if options.addedNoise > 0, !kind.isClassification {
                for index in y.indices { y[index] += options.addedNoise * generator.nextNormal() }
            }
            inputs += x
            targets += y
        }
        return TaskBatch(inputs: Tensor(shape: [tasks.count, pointCount, d], scalars: inputs),
                         targets: Tensor(shape: [tasks.count, pointCount], scalars: targets), kind: kind, activeDimensions: active)
    }
}
