import Foundation
import MesaNN

/// A meta-learning run on episodes (JSON; every field optional with a default, unknown fields
/// are an error naming them). `mesa meta-train --print-config` shows a complete one.
public struct EpisodicConfiguration: Codable, Sendable, Equatable {
    /// The run's name (the default folder is `runs/<name>`).
    public var name = "episodic"
    /// The algorithm.
    public var algorithm = EpisodicAlgorithm.maml
    /// Second- or first-order meta-gradients (MAML, Meta-SGD, ANIL).
    public var order = DerivativeOrder.second
    /// MAML only: adapt all tasks of a meta-batch at once with per-task fast weights.
    public var batched = true
    /// The episode source.
    public var source = EpisodeSource.sinusoid
    /// The CSV file (`table`) or the folder of IDX files (`fashionMNIST`, default Debian's).
    public var path: String?
    /// The label column of a table (default: the last).
    public var target: String?
    /// Regression: support points per task (K).
    public var supportCount = 10
    /// Regression: query points per task.
    public var queryCount = 10
    /// Classification: classes per episode (N).
    public var ways = 5
    /// Classification: support examples per class (K).
    public var shots = 1
    /// Classification: query examples per class.
    public var queries = 15
    /// Classification: the meta-training classes (defaults per source; see ``EpisodicTrainer``).
    public var trainClasses: [Int]?
    /// Classification: the meta-validation classes (empty: validate on held-out rows of the training classes).
    public var validationClasses: [Int]?
    /// Classification: the meta-test classes, never seen in meta-training.
    public var testClasses: [Int]?
    /// Hidden layer widths of the MLP (embedding for ProtoNets, body for ANIL).
    public var hiddenSizes = [40, 40]
    /// The nonlinearity between layers.
    public var activation = Activation.relu
    /// ProtoNets: the embedding width.
    public var embeddingSize = 64
    /// ProtoNets: transductive refinement steps (0: inductive).
    public var refinementSteps = 0
    /// The inner step size α (initial value for Meta-SGD).
    public var innerLearningRate: Float = 0.01
    /// Inner steps during meta-training.
    public var innerSteps = 1
    /// Inner steps at meta-validation and meta-test (default: ``innerSteps``).
    public var testInnerSteps: Int?
    /// Tasks per meta-batch.
    public var metaBatchSize = 25
    /// The outer optimizer and its schedule (default: Adam at a constant 10⁻³; Reptile's presets
    /// use SGD with `ε` decaying linearly to 0). Files written before this section existed give
    /// `metaLearningRate` and `metaOptimizer` (`adam`, or `sgd` with that linear decay) instead,
    /// and still decode.
    public var optimizer = Self.defaultOptimizer
    /// Meta-iterations (outer steps).
    public var iterations = 70_000
    /// Meta-validation every this many iterations.
    public var validationInterval = 1000
    /// Episodes per meta-validation.
    public var validationEpisodes = 100
    /// Episodes for `mesa meta-test`.
    public var testEpisodes = 600
    /// A checkpoint every this many iterations.
    public var checkpointInterval = 1000
    /// A metrics line every this many iterations.
    public var logInterval = 50
    /// The seed of initialisation and sampling.
    public var seed: UInt64 = 0

    /// The defaults.
    public init() {}

    /// The default outer optimizer: Adam at a constant 10⁻³, no clipping.
    public static let defaultOptimizer = OptimizerConfiguration(algorithm: .adam, learningRate: 0.001, decay: .constant)

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, algorithm, order, batched, source, path, target, supportCount, queryCount, ways, shots, queries
        case trainClasses, validationClasses, testClasses, hiddenSizes, activation, embeddingSize, refinementSteps
        case innerLearningRate, innerSteps, testInnerSteps, metaBatchSize, optimizer, iterations
        case validationInterval, validationEpisodes, testEpisodes, checkpointInterval, logInterval, seed
    }

    /// The outer-optimizer fields of files written before the `optimizer` section.
    enum LegacyKeys: String, CodingKey, CaseIterable { case metaLearningRate, metaOptimizer }

    /// Decodes with defaults for absent fields; unknown fields are an error.
    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(known: CodingKeys.allCases.map(\.stringValue) + LegacyKeys.allCases.map(\.stringValue),
                                      listing: CodingKeys.allCases.map(\.stringValue), in: "meta-learning configuration")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = EpisodicConfiguration()
        name = try c.value(.name, default: d.name)
        algorithm = try c.value(.algorithm, default: d.algorithm)
        order = try c.value(.order, default: d.order)
        batched = try c.value(.batched, default: d.batched)
        source = try c.value(.source, default: d.source)
        path = try c.decodeIfPresent(String.self, forKey: .path)
        target = try c.decodeIfPresent(String.self, forKey: .target)
        supportCount = try c.value(.supportCount, default: d.supportCount)
        queryCount = try c.value(.queryCount, default: d.queryCount)
        ways = try c.value(.ways, default: d.ways)
        shots = try c.value(.shots, default: d.shots)
        queries = try c.value(.queries, default: d.queries)
        trainClasses = try c.decodeIfPresent([Int].self, forKey: .trainClasses)
        validationClasses = try c.decodeIfPresent([Int].self, forKey: .validationClasses)
        testClasses = try c.decodeIfPresent([Int].self, forKey: .testClasses)
        hiddenSizes = try c.value(.hiddenSizes, default: d.hiddenSizes)
        activation = try c.value(.activation, default: d.activation)
        embeddingSize = try c.value(.embeddingSize, default: d.embeddingSize)
        refinementSteps = try c.value(.refinementSteps, default: d.refinementSteps)
        innerLearningRate = try c.value(.innerLearningRate, default: d.innerLearningRate)
        innerSteps = try c.value(.innerSteps, default: d.innerSteps)
        testInnerSteps = try c.decodeIfPresent(Int.self, forKey: .testInnerSteps)
        metaBatchSize = try c.value(.metaBatchSize, default: d.metaBatchSize)
        let legacy = try decoder.container(keyedBy: LegacyKeys.self)
        if legacy.allKeys.isEmpty {
            optimizer = try OptimizerConfiguration.decode(from: c, forKey: .optimizer, defaults: d.optimizer)
        } else {
            guard !c.contains(.optimizer) else {
                throw MetaLearningError.invalidConfiguration(
                    "give the outer optimizer either as a section (\"optimizer\": {\"algorithm\": …}) or, as older files do, as metaLearningRate/metaOptimizer, not both")
            }
            let learningRate = try legacy.value(.metaLearningRate, default: d.optimizer.learningRate)
            switch try legacy.value(.metaOptimizer, default: "adam") {
            case "adam": optimizer = OptimizerConfiguration(algorithm: .adam, learningRate: learningRate, decay: .constant)
            case "sgd": optimizer = OptimizerConfiguration(algorithm: .sgd, learningRate: learningRate, decay: .linear, minimumLearningRate: 0)
            case let name: throw MetaLearningError.invalidConfiguration("metaOptimizer must be 'adam' or 'sgd', got '\(name)'")
            }
        }
        iterations = try c.value(.iterations, default: d.iterations)
        validationInterval = try c.value(.validationInterval, default: d.validationInterval)
        validationEpisodes = try c.value(.validationEpisodes, default: d.validationEpisodes)
        testEpisodes = try c.value(.testEpisodes, default: d.testEpisodes)
        checkpointInterval = try c.value(.checkpointInterval, default: d.checkpointInterval)
        logInterval = try c.value(.logInterval, default: d.logInterval)
        seed = try c.value(.seed, default: d.seed)
    }

    /// Decodes a JSON configuration; `source` names it in errors.
    public init(json: Data, source: String) throws {
        do {
            self = try JSONDecoder().decode(EpisodicConfiguration.self, from: json)
        } catch let error as InContextError {
            throw MetaLearningError.invalidConfiguration("\(source): \(error)")
        } catch {
            throw MetaLearningError.invalidConfiguration("\(source): \(error)")
        }
        try validate()
    }


    /// Whether the episodes are classification episodes.
    public var isClassification: Bool { source != .sinusoid }

    /// Checks values and combinations, naming the offending field.
    public func validate() throws {
        func require(_ condition: Bool, _ message: String) throws {
            if !condition { throw MetaLearningError.invalidConfiguration(message) }
        }
        try require(iterations >= 1 && metaBatchSize >= 1, "iterations and metaBatchSize must be ≥ 1")
        try require(innerSteps >= 0 && (testInnerSteps ?? 0) >= 0, "innerSteps and testInnerSteps must be ≥ 0")
        try require(innerLearningRate.isFinite, "innerLearningRate must be finite")
        do { try optimizer.validate(in: "optimizer") } catch let InContextError.invalidConfiguration(message) { try require(false, message) }
        try require(validationInterval >= 1 && checkpointInterval >= 1 && logInterval >= 1, "intervals must be ≥ 1")
        try require(validationEpisodes >= 1 && testEpisodes >= 1, "validationEpisodes and testEpisodes must be ≥ 1")
        try require(hiddenSizes.allSatisfy { $0 >= 1 } && embeddingSize >= 1, "hiddenSizes and embeddingSize must be ≥ 1")
        try require(refinementSteps >= 0, "refinementSteps must be ≥ 0")
        try require(algorithm != .prototypicalNetwork || isClassification,
                     "prototypicalNetwork classifies: use source fashionMNIST or table, not sinusoid")
        try require(source != .table || path != nil, "source 'table' needs 'path', the CSV file")
        try require(algorithm != .anil || !hiddenSizes.isEmpty, "anil needs at least one hidden layer (the body)")
    }
}

extension EpisodicConfiguration: TrainingRecipe {
    /// `iterations`.
    public var totalSteps: Int {
        get { iterations }
        set { iterations = newValue }
    }
    /// The log, validation and checkpoint intervals.
    public var intervals: TrainingIntervals {
        TrainingIntervals(log: logInterval, evaluation: validationInterval, checkpoint: checkpointInterval)
    }
}
