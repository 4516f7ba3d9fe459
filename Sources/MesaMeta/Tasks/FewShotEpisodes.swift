import MesaCore

/// N-way K-shot classification episodes (Vinyals et al. 2016; Finn et al. 2017 §5.2) drawn from
/// a subset of a dataset's classes.
///
/// Each episode picks `ways` distinct classes at random, assigns them the labels `0..<ways` in
/// random order, and draws without replacement `shots` support and `queries` query rows per
/// class. Meta-train, meta-validation and meta-test samplers use disjoint class subsets, so
/// meta-test classes are never seen in meta-training.
///
/// Shapes: support inputs `[ways · shots, features]`, targets `[ways · shots]` (labels as
/// floats); query `[ways · queries, …]`.
public struct FewShotEpisodes: Sendable {
    /// The dataset the rows come from.
    public let dataset: LabelledDataset
    /// The classes episodes draw from.
    public let classes: [Int]
    /// Classes per episode (N).
    public let ways: Int
    /// Support rows per class (K).
    public let shots: Int
    /// Query rows per class.
    public let queries: Int
    let rowsByClass: [[Int]]

    /// Creates the sampler; every class needs at least `shots + queries` rows.
    public init(dataset: LabelledDataset, classes: [Int], ways: Int, shots: Int, queries: Int) throws {
        guard ways >= 2, shots >= 1, queries >= 1 else {
            throw MetaLearningError.invalidConfiguration("episodes need ways ≥ 2, shots ≥ 1 and queries ≥ 1 (got \(ways), \(shots), \(queries))")
        }
        guard classes.count >= ways else {
            throw MetaLearningError.invalidConfiguration("\(ways)-way episodes need at least \(ways) classes, this split has \(classes.count)")
        }
        let rows = dataset.rowsByClass
        for c in classes {
            guard (0..<rows.count).contains(c) else {
                throw MetaLearningError.invalidConfiguration("class \(c) is not one of the dataset's \(rows.count) classes")
            }
            guard rows[c].count >= shots + queries else {
                throw MetaLearningError.invalidData("class '\(dataset.classNames[c])' has \(rows[c].count) rows; \(shots) shots + \(queries) queries need \(shots + queries)")
            }
        }
        self.dataset = dataset
        self.classes = classes
        self.ways = ways
        self.shots = shots
        self.queries = queries
        self.rowsByClass = rows
    }

    /// Draws one episode.
    public func sample(using generator: inout RandomGenerator) -> Episode {
        let chosen = generator.sample(classes, count: ways)
        var supportRows: [Int] = [], supportLabels: [Float] = [], queryRows: [Int] = [], queryLabels: [Float] = []
        for (label, c) in chosen.enumerated() {
            let picked = generator.sample(rowsByClass[c], count: shots + queries)
            supportRows += picked.prefix(shots)
            supportLabels += Array(repeating: Float(label), count: shots)
            queryRows += picked.suffix(queries)
            queryLabels += Array(repeating: Float(label), count: queries)
        }
        return Episode(
            support: ExampleSet(inputs: dataset.rows(supportRows), targets: Tensor(shape: [supportLabels.count], scalars: supportLabels)),
            query: ExampleSet(inputs: dataset.rows(queryRows), targets: Tensor(shape: [queryLabels.count], scalars: queryLabels)))
    }

    /// Draws `count` episodes.
    public func sample(count: Int, using generator: inout RandomGenerator) -> [Episode] {
        (0..<count).map { _ in sample(using: &generator) }
    }
}

extension RandomGenerator {
    /// `count` distinct elements of `pool` in random order (a partial Fisher–Yates shuffle).
    mutating func sample<Element>(_ pool: [Element], count: Int) -> [Element] {
        precondition(count <= pool.count, "sample: \(count) of \(pool.count) elements")
        var items = pool
        for index in 0..<count {
            let other = index + nextIndex(below: items.count - index)
            items.swapAt(index, other)
        }
        return Array(items.prefix(count))
    }
}

extension FewShotEpisodes: EpisodeSampling {}
