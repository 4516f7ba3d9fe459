import MesaCore

/// Tasks made from one labelled dataset by random linear projections of the inputs and random
/// permutations of the labels: the task augmentation of Kirsch et al. 2022, "General-Purpose
/// In-Context Learning by Meta-Learning Transformers", §3.
///
/// A task is a pair `(A, π)`: `A` is a `[featureCount, inputDimension]` matrix with entries
/// `A_kj ~ N(0, 1/featureCount)` and `π` a permutation of the dataset's classes. Its prompt is
/// `pointCount` distinct rows `x` drawn uniformly from the dataset, shown as
/// `x̃ = Aᵀx` with label `π(y)`. The dataset's features are standardised first (mean 0,
/// standard deviation 1 per feature, constant features to 0, with this dataset's own
/// statistics), so every projected coordinate has variance about 1 whatever the dataset.
///
/// - The **pool** is finite (`taskCount` tasks, task `i` derived from a generator seeded by
///   (`seed`, `i`), so a pool is fixed by its size and seed alone) or infinite (`taskCount == nil`:
///   a fresh task for every prompt). Tasks are re-derived when drawn, never stored.
/// - A fraction ``unpermutedFraction`` of each batch keeps the identity permutation (the paper's
///   biased task distribution, which shortens the loss plateau): the first
///   `round(fraction · batchSize)` prompts of every batch.
/// - With ``classImbalance`` `α`, each prompt draws its class proportions from a symmetric
///   Dirichlet(`α`) distribution and its rows class by class (a lever of ours against the loss
///   plateau: when a prompt's label frequencies predict its queries' labels, copying labels from
///   the context pays off before matching inputs does, which breaks the symmetry of the saddle
///   at initialisation). `nil`: rows drawn uniformly, the paper's setting and every evaluation's.
/// - Labels live in `0..<classCount`; a dataset with fewer classes uses the first ones (its
///   permutation permutes its own classes), so a 10-class learner reads a 3-class table.
///
/// ```swift
/// let images = try FashionMNIST.load(.train)
/// let tasks = try ProjectedDatasetTasks(dataset: images, inputDimension: 32, taskCount: 1 << 14, seed: 0)
/// let batch = tasks.sample(batchSize: 64, pointCount: 100, using: &generator)   // inputs [64, 100, 32]
/// ```
public struct ProjectedDatasetTasks: TaskDistribution {
    /// One task: a projection and a label permutation.
    public struct Task: TaskFunction {
        /// The projection `A`, row-major `[featureCount, inputDimension]`.
        public var projection: [Float]
        /// `permutation[y]` is the label shown for class `y`.
        public var permutation: [Int]

        /// A dataset task labels only the rows it draws itself (``ProjectedDatasetTasks/sample(tasks:pointCount:options:using:)``);
        /// it cannot label arbitrary inputs, so it must not be mixed into a ``TaskMixture``.
        public func targets(for inputs: [Float], count: Int, using generator: inout RandomGenerator) -> [Float] {
            preconditionFailure("ProjectedDatasetTasks.Task labels only the dataset rows it draws: sample it through ProjectedDatasetTasks, not a mixture")
        }
    }

    /// The standardised base dataset.
    public let dataset: LabelledDataset
    /// The projected width `x̃ ∈ ℝ^inputDimension`.
    public let inputDimension: Int
    /// The learner's number of classes (at least the dataset's).
    public let classCount: Int
    /// The pool size, or `nil` for fresh tasks every prompt.
    public let taskCount: Int?
    /// The seed the pool's tasks derive from.
    public let seed: UInt64
    /// The fraction of each batch shown with the identity permutation.
    public let unpermutedFraction: Double
    /// Dirichlet concentration of each prompt's class proportions, or `nil` for uniform rows.
    public let classImbalance: Double?
    /// The rows of each class of ``dataset``.
    let rowsByClass: [[Int]]
    /// A label for logs, e.g. `"Fashion-MNIST"`.
    public let datasetName: String

    public var kind: TaskKind { .classification(classCount: classCount) }
    public var name: String {
        "\(datasetName) projected to \(inputDimension) dimensions, " + (taskCount.map { "pool of \($0) tasks" } ?? "infinite pool")
            + (unpermutedFraction > 0 ? ", \(unpermutedFraction) unpermuted" : "")
            + (classImbalance.map { ", class proportions ~ Dirichlet(\($0))" } ?? "")
    }

    /// Creates the distribution (standardising `dataset`).
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for a non-positive width, more
    ///   classes in the dataset than `classCount`, a pool size below 1 or a fraction outside [0, 1].
    public init(dataset: LabelledDataset, datasetName: String = "dataset", inputDimension: Int, classCount: Int = 10,
                taskCount: Int? = nil, seed: UInt64 = 0, unpermutedFraction: Double = 0, classImbalance: Double? = nil) throws {
        guard inputDimension > 0 else {
            throw InContextError.invalidConfiguration("projected tasks: inputDimension (the projection width) must be positive, got \(inputDimension)")
        }
        guard dataset.classNames.count >= 2, dataset.classNames.count <= classCount else {
            throw InContextError.invalidConfiguration("projected tasks: \(datasetName) has \(dataset.classNames.count) classes; the learner reads 2...\(classCount)")
        }
        if let taskCount, taskCount < 1 {
            throw InContextError.invalidConfiguration("projected tasks: poolSize must be ≥ 1 (or absent for an infinite pool), got \(taskCount)")
        }
        guard (0...1).contains(unpermutedFraction) else {
            throw InContextError.invalidConfiguration("projected tasks: unpermutedFraction must be in [0, 1], got \(unpermutedFraction)")
        }
        if let classImbalance, !(classImbalance > 0 && classImbalance.isFinite) {
            throw InContextError.invalidConfiguration("projected tasks: classImbalance (a Dirichlet concentration) must be positive, got \(classImbalance)")
        }
        self.dataset = dataset.standardized()
        self.classImbalance = classImbalance
        rowsByClass = dataset.rowsByClass
        self.datasetName = datasetName
        self.inputDimension = inputDimension
        self.classCount = classCount
        self.taskCount = taskCount
        self.seed = seed
        self.unpermutedFraction = unpermutedFraction
    }

    /// The same tasks on another dataset (for example the test images), another pool or fraction.
    public func with(dataset: LabelledDataset? = nil, datasetName: String? = nil, taskCount: Int?? = nil, seed: UInt64? = nil,
                     unpermutedFraction: Double? = nil, classImbalance: Double?? = nil) throws -> ProjectedDatasetTasks {
        try ProjectedDatasetTasks(dataset: dataset ?? self.dataset, datasetName: datasetName ?? self.datasetName,
                                  inputDimension: inputDimension, classCount: classCount, taskCount: taskCount ?? self.taskCount,
                                  seed: seed ?? self.seed, unpermutedFraction: unpermutedFraction ?? self.unpermutedFraction,
                                  classImbalance: classImbalance ?? self.classImbalance)
    }

    /// The distribution held-out prompts come from: no unpermuted fraction, uniform rows.
    public var heldOut: ProjectedDatasetTasks {
        (try? with(unpermutedFraction: 0, classImbalance: .some(nil))) ?? self
    }

    /// ``heldOut``.
    public var heldOutDistribution: any TaskDistribution { heldOut }

    /// Task `index` of the pool (any `index ≥ 0` for an infinite pool), derived from (`seed`, `index`).
    public func task(at index: Int) -> Task {
        var generator = RandomGenerator(seed: TaskPool.mix(TaskPool.mix(seed) &+ UInt64(truncatingIfNeeded: index)))
        return Self.drawTask(featureCount: dataset.featureCount, width: inputDimension, classes: dataset.classNames.count, using: &generator)
    }

    /// A uniformly chosen pool task, or a fresh one for an infinite pool.
    public func sampleTask(using generator: inout RandomGenerator) -> any TaskFunction {
        guard let taskCount else {
            return Self.drawTask(featureCount: dataset.featureCount, width: inputDimension, classes: dataset.classNames.count, using: &generator)
        }
        return task(at: generator.nextIndex(below: taskCount))
    }

    /// Projected rows are drawn with their labels in ``sample(tasks:pointCount:options:using:)``;
    /// this returns the projections of `count` random rows (their labels are dropped).
    public func sampleInputs(count: Int, for task: any TaskFunction, using generator: inout RandomGenerator) -> [Float] {
        let rows = drawRows(count, using: &generator)
        return project(rows: rows, with: (task as! Task).projection).scalars
    }

    /// For each task, `pointCount` random rows projected by its `A` and labelled by its `π`; the
    /// first `round(unpermutedFraction · tasks.count)` keep the identity permutation. Options
    /// zero the coordinates beyond `activeDimensions` and scale the inputs.
    public func sample(tasks: [any TaskFunction], pointCount: Int, options: SamplingOptions = .standard,
                       using generator: inout RandomGenerator) -> TaskBatch {
        let d = inputDimension
        let active = min(max(options.activeDimensions ?? d, 0), d)
        let unpermuted = Int((unpermutedFraction * Double(tasks.count)).rounded())
        var inputs: [Float] = [], targets: [Float] = []
        inputs.reserveCapacity(tasks.count * pointCount * d)
        targets.reserveCapacity(tasks.count * pointCount)
        for (index, any) in tasks.enumerated() {
            let task = any as! Task
            let rows = drawRows(pointCount, using: &generator)
            var x = project(rows: rows, with: task.projection).scalars
            options.apply(to: &x, dimension: d, activeDimensions: active)
            inputs += x
            targets += rows.map { Float(index < unpermuted ? dataset.labels[$0] : task.permutation[dataset.labels[$0]]) }
        }
        return TaskBatch(inputs: Tensor(shape: [tasks.count, pointCount, d], scalars: inputs),
                         targets: Tensor(shape: [tasks.count, pointCount], scalars: targets), kind: kind, activeDimensions: active)
    }

    /// `count` row indices drawn uniformly without replacement (with replacement when the dataset
    /// has fewer rows), so that a query is never a copy of one of its examples.
    func drawRows(_ count: Int, using generator: inout RandomGenerator) -> [Int] {
        if let classImbalance, dataset.count >= count { return drawImbalancedRows(count, concentration: classImbalance, using: &generator) }
        guard dataset.count >= count else { return (0..<count).map { _ in generator.nextIndex(below: dataset.count) } }
        var chosen = Set<Int>(minimumCapacity: count), rows: [Int] = []
        rows.reserveCapacity(count)
        while rows.count < count {
            let row = generator.nextIndex(below: dataset.count)
            if chosen.insert(row).inserted { rows.append(row) }
        }
        return rows
    }

    /// `count` distinct rows whose classes follow proportions `p ~ Dirichlet(α)` (a class whose
    /// rows are used up is redrawn).
    func drawImbalancedRows(_ count: Int, concentration: Double, using generator: inout RandomGenerator) -> [Int] {
        let gammas = rowsByClass.map { $0.isEmpty ? 0 : generator.nextGamma(shape: concentration) }
        let total = gammas.reduce(0, +)
        let cumulative = gammas.reduce(into: [Double]()) { $0.append(($0.last ?? 0) + $1 / max(total, .leastNormalMagnitude)) }
        var used = [Int](repeating: 0, count: rowsByClass.count)
        var chosen = Set<Int>(minimumCapacity: count), rows: [Int] = []
        while rows.count < count {
            let u = generator.nextDouble()
            var label = cumulative.firstIndex { u < $0 } ?? (rowsByClass.count - 1)
            if used[label] == rowsByClass[label].count {
                let open = rowsByClass.indices.filter { used[$0] < rowsByClass[$0].count }
                label = open[generator.nextIndex(below: open.count)]
            }
            let candidates = rowsByClass[label]
            while true {
                let row = candidates[generator.nextIndex(below: candidates.count)]
                if chosen.insert(row).inserted { rows.append(row); used[label] += 1; break }
            }
        }
        return rows
    }

    /// `x̃ = Aᵀx` for the given rows: `[rows, inputDimension]`.
    func project(rows: [Int], with projection: [Float]) -> Tensor {
        dataset.rows(rows).matmul(Tensor(shape: [dataset.featureCount, inputDimension], scalars: projection))
    }

    static func drawTask(featureCount: Int, width: Int, classes: Int, using generator: inout RandomGenerator) -> Task {
        let scale = 1 / Float(featureCount).squareRoot()
        let projection = (0..<(featureCount * width)).map { _ in generator.nextNormal() * scale }
        return Task(projection: projection, permutation: Tensor.randomPermutation(classes, using: &generator))
    }
}
