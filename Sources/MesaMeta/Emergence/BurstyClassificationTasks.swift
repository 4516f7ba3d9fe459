import Foundation
import MesaCore

/// Bursty, Zipfian in-context classification sequences (Reddy 2024, "The mechanistic basis of
/// data dependence and abrupt learning in an in-context classification task", §2; the data
/// properties of Chan et al. 2022).
///
/// `K` classes are random vectors `μ_k ~ N(0, I_D / D)`; an item of class `k` is
/// `x = (μ_k + ε η) / √(1 + ε²)` with fresh `η ~ N(0, I_D / D)`. Class `k` is drawn with
/// probability `p(k) ∝ (k + 1)^(−α)` and carries one of `L` labels (fixed: a balanced random
/// assignment, `⌊K/L⌋` or `⌈K/L⌉` classes per label; or re-drawn per sequence). A sequence is
/// `N` labelled items and a query, as a ``TaskBatch`` of `N + 1` points whose last target is the
/// one to predict:
/// - **training** (``sampleTraining(batchSize:using:)``): the query's class `c ~ p`; with
///   probability `p_B` the context is bursty (`B` items of class `c`, the rest `B` items each of
///   `N/B − 1` other distinct classes drawn from `p`), else its `N` classes are drawn from `p`;
/// - **in-context** (``sampleInContext(batchSize:using:)``): two novel classes (fresh vectors),
///   `N/2` items each, two distinct random labels, the query from one of them (Chan et al.'s
///   2-way few-shot test; chance is 1/2);
/// - **in-weights** (``sampleInWeights(batchSize:using:)``): the query's class `c ~ p`, its
///   fixed label, and `N` context items of classes drawn from `p` conditioned on `≠ c` (chance
///   is about `1/L`).
public struct BurstyClassificationTasks: Sendable {
    /// The knobs.
    public let configuration: BurstyClassificationConfiguration
    /// The class means `μ_k`, row-major `[K, D]`.
    public let classMeans: [Float]
    /// The fixed label of every class, `[K]`.
    public let classLabels: [Int]
    /// The class probabilities `p(k) ∝ (k + 1)^(−α)`, `[K]`.
    public let classProbabilities: [Double]
    private let cumulative: [Double]

    /// The sequence kind: classification over the `L` labels.
    public var kind: TaskKind { .classification(classCount: configuration.labelCount) }

    /// Draws the class means and the fixed label mapping from `configuration.seed`.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for a knob outside its definition.
    public init(configuration: BurstyClassificationConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        let (k, d, l) = (configuration.classCount, configuration.inputDimension, configuration.labelCount)
        var generator = RandomGenerator(seed: configuration.seed)
        let scale = 1 / Float(d).squareRoot()
        classMeans = (0..<(k * d)).map { _ in scale * generator.nextNormal() }
        let order = generator.sample(Array(0..<k), count: k)
        var labels = [Int](repeating: 0, count: k)
        for (position, classIndex) in order.enumerated() { labels[classIndex] = position % l }
        classLabels = labels
        let weights = (0..<k).map { Foundation.pow(Double($0 + 1), -configuration.zipfExponent) }
        let total = weights.reduce(0, +)
        classProbabilities = weights.map { $0 / total }
        var running = 0.0
        cumulative = classProbabilities.map { running += $0; return running }
    }

    /// The in-weights accuracy of a model that ignores the query and always answers the label
    /// most frequent under `p`: `max_l Σ_{k : label(k) = l} p(k)` for the fixed labels. It is
    /// `1/L` for uniform classes (`α = 0`, `L` dividing `K`) and grows with `α` (class 0 alone has
    /// `p = 0.133` for `K = 1024`, `α = 1`), so it, not `1/L`, is the in-weights chance level of a
    /// Zipfian run.
    public var majorityLabelRate: Double {
        var mass = [Double](repeating: 0, count: configuration.labelCount)
        for (k, label) in classLabels.enumerated() { mass[label] += classProbabilities[k] }
        return mass.max() ?? 0
    }

    /// How many of the most frequent classes together hold at least half of `p`: the "common"
    /// classes `0..<m` (classes are numbered by decreasing frequency), against the "rare" rest
    /// (Chan et al. 2022 contrast in-weights learning of common classes with in-context learning
    /// of rare ones). `K/2` for uniform classes (`K` even); about 24 of 1,024 for `α = 1`.
    public var commonClassCount: Int {
        var total = 0.0
        for (k, probability) in classProbabilities.enumerated() {
            total += probability
            if total >= 0.5 { return k + 1 }
        }
        return classProbabilities.count
    }

    /// One class drawn from `p` (inverse transform on the cumulative probabilities).
    public func sampleClass(using generator: inout RandomGenerator) -> Int {
        let u = generator.nextDouble() * cumulative[cumulative.count - 1]
        var (low, high) = (0, cumulative.count - 1)
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > u { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// One class drawn from `p` conditioned on not being in `excluded` (by rejection).
    func sampleClass(excluding excluded: Set<Int>, using generator: inout RandomGenerator) -> Int {
        precondition(excluded.count < configuration.classCount, "sampleClass: every class is excluded")
        while true {
            let k = sampleClass(using: &generator)
            if !excluded.contains(k) { return k }
        }
    }

    /// `count` distinct labels out of `L` (a random partial permutation), repeating only when `count > L`.
    func distinctLabels(_ count: Int, using generator: inout RandomGenerator) -> [Int] {
        let pool = generator.sample(Array(0..<configuration.labelCount), count: configuration.labelCount)
        return (0..<count).map { pool[$0 % pool.count] }
    }

    /// Appends an item of the class with mean `mean` (`[D]` at `offset`) to `inputs`.
    func appendItem(mean: [Float], offset: Int, to inputs: inout [Float], using generator: inout RandomGenerator) {
        let d = configuration.inputDimension
        let epsilon = Float(configuration.withinClassNoise)
        let scale = 1 / Float(d).squareRoot(), normaliser = 1 / (1 + epsilon * epsilon).squareRoot()
        for coordinate in 0..<d {
            inputs.append((mean[offset + coordinate] + epsilon * scale * generator.nextNormal()) * normaliser)
        }
    }

    /// Training sequences (see the type's description).
    public func sampleTraining(batchSize: Int, using generator: inout RandomGenerator) -> BurstySequenceBatch {
        let c = configuration
        var sequences: [[Int]] = []
        for _ in 0..<batchSize {
            let query = sampleClass(using: &generator)
            var context: [Int]
            if generator.nextDouble() < c.burstyFraction {
                context = Array(repeating: query, count: c.burstiness)
                var used: Set<Int> = [query]
                for _ in 1..<(c.contextCount / c.burstiness) {
                    let other = sampleClass(excluding: used, using: &generator)
                    used.insert(other)
                    context += Array(repeating: other, count: c.burstiness)
                }
                context = generator.sample(context, count: context.count)
            } else {
                context = (0..<c.contextCount).map { _ in sampleClass(using: &generator) }
            }
            sequences.append(context + [query])
        }
        return assemble(sequences, means: classMeans, labels: { classes, generator in
            switch c.labelMapping {
            case .fixed: return classes.map { classLabels[$0] }
            case .perSequence:
                var distinct: [Int] = []
                for k in classes where !distinct.contains(k) { distinct.append(k) }
                let drawn = distinctLabels(distinct.count, using: &generator)
                return classes.map { drawn[distinct.firstIndex(of: $0)!] }
            }
        }, using: &generator)
    }

    /// In-context evaluation sequences: two novel classes, `N/2` items each, labels drawn per sequence.
    public func sampleInContext(batchSize: Int, using generator: inout RandomGenerator) -> BurstySequenceBatch {
        let c = configuration
        let d = c.inputDimension, scale = 1 / Float(d).squareRoot()
        // Novel classes are numbered K and K + 1 in every sequence; their means are drawn per sequence.
        var means: [Float] = [], sequences: [[Int]] = []
        for _ in 0..<batchSize {
            means += (0..<(2 * d)).map { _ in scale * generator.nextNormal() }
            let halves = Array(repeating: c.classCount, count: c.contextCount / 2) + Array(repeating: c.classCount + 1, count: c.contextCount / 2)
            let context = generator.sample(halves, count: halves.count)
            sequences.append(context + [c.classCount + generator.nextIndex(below: 2)])
        }
        return assemble(sequences, means: { index, k in (means, (2 * index + k - c.classCount) * d) }, labels: { classes, generator in
            let drawn = distinctLabels(2, using: &generator)
            return classes.map { drawn[$0 - c.classCount] }
        }, using: &generator)
    }

    /// In-weights evaluation sequences: a trained query class, absent from the context, with its fixed label.
    public func sampleInWeights(batchSize: Int, using generator: inout RandomGenerator) -> BurstySequenceBatch {
        let c = configuration
        let sequences = (0..<batchSize).map { _ in
            let query = sampleClass(using: &generator)
            return (0..<c.contextCount).map { _ in sampleClass(excluding: [query], using: &generator) } + [query]
        }
        return assemble(sequences, means: classMeans, labels: { classes, _ in classes.map { classLabels[$0] } }, using: &generator)
    }

    /// Builds the batch for sequences of trained classes.
    func assemble(_ sequences: [[Int]], means: [Float], labels: ([Int], inout RandomGenerator) -> [Int],
                  using generator: inout RandomGenerator) -> BurstySequenceBatch {
        let d = configuration.inputDimension
        return assemble(sequences, means: { _, k in (means, k * d) }, labels: labels, using: &generator)
    }

    /// Builds the batch: for each sequence its labels, then an item per class entry (the query last).
    func assemble(_ sequences: [[Int]], means: (_ sequence: Int, _ classIndex: Int) -> ([Float], Int),
                  labels: ([Int], inout RandomGenerator) -> [Int], using generator: inout RandomGenerator) -> BurstySequenceBatch {
        let (d, points) = (configuration.inputDimension, configuration.contextCount + 1)
        var inputs: [Float] = [], targets: [Float] = []
        inputs.reserveCapacity(sequences.count * points * d)
        for (index, classes) in sequences.enumerated() {
            targets += labels(classes, &generator).map(Float.init)
            for k in classes {
                let (source, offset) = means(index, k)
                appendItem(mean: source, offset: offset, to: &inputs, using: &generator)
            }
        }
        let batch = TaskBatch(inputs: Tensor(shape: [sequences.count, points, d], scalars: inputs),
                              targets: Tensor(shape: [sequences.count, points], scalars: targets), kind: kind)
        return BurstySequenceBatch(batch: batch, classes: sequences)
    }
}

/// Sequences of ``BurstyClassificationTasks``: the prompts and the class of every item.
public struct BurstySequenceBatch: Sendable {
    /// The prompts: inputs `[batch, N + 1, D]`, labels `[batch, N + 1]`; the last point is the query.
    public var batch: TaskBatch
    /// The class of every item, `[batch][N + 1]` (the query's last); novel classes are numbered `K` and `K + 1`.
    public var classes: [[Int]]

    /// The query labels, `[batch]`.
    public var queryLabels: [Int] {
        let points = batch.pointCount
        return (0..<batch.batchSize).map { Int(batch.targets.scalars[$0 * points + points - 1]) }
    }
}
