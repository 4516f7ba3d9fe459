import Foundation

/// A meta-training run of the learned evolution strategy (``LearnedEvolutionTrainer``), as JSON;
/// every field optional with a default, unknown fields an error.
///
/// The defaults are the recipe of the shipped network: the paper's MetaBBO loop at CPU size,
/// OpenAI-ES with Adam over the network's parameters, on six BBOB functions (one or two per
/// BBOB group: sphere, Rosenbrock, discus, Rastrigin, Schaffers F7, Gallagher 101 peaks) in
/// dimensions 2–20 drawn at random, random instances.
public struct LearnedEvolutionConfiguration: Codable, Sendable, Equatable {
    /// The run's name.
    public var name = "learned-es"
    /// Meta generations (optimizer steps).
    public var steps = 600
    /// The BBOB functions the network is trained on (COCO numbers; the others stay unseen).
    public var functions: [BBOBFunction] = [.sphere, .rosenbrock, .discus, .rastrigin, .schaffersF7, .gallagher101]
    /// Tasks per meta generation; task `k` uses `functions[k mod functions.count]`.
    public var tasksPerStep = 6
    /// The smallest dimension drawn (uniformly) for a task.
    public var minimumDimension = 2
    /// The largest dimension drawn for a task.
    public var maximumDimension = 20
    /// Instances are drawn uniformly from `1…maximumInstance`.
    public var maximumInstance = 100
    /// Generations of each inner LES run.
    public var generations = 150
    /// Members per generation of the inner LES runs.
    public var populationSize = 16
    /// The inner runs' initial step size (means start uniformly in `[−4, 4]^d`, as in the benchmark).
    public var initialStepSize = 2.0
    /// Antithetic pairs of the meta-level OpenAI-ES (its population is twice this).
    public var metaPairs = 16
    /// The meta-level OpenAI-ES's noise scale on the network's parameters.
    public var metaNoiseScale = 0.05
    /// The width of the attention's queries and keys.
    public var attentionWidth = 8
    /// The hidden units of the learning-rate MLP.
    public var hiddenWidth = 8
    /// The update rule of the meta-level OpenAI-ES (default: Adam at 2·10⁻², cosine decay).
    public var optimizer = OptimizerConfiguration(algorithm: .adam, learningRate: 2e-2, decay: .cosine, warmUpSteps: 0)
    /// The seed.
    public var seed: UInt64 = 0
    /// A checkpoint every this many steps.
    public var checkpointInterval = 25
    /// An evaluation on fixed tasks every this many steps.
    public var evaluationInterval = 50
    /// A metrics line every this many steps.
    public var logInterval = 5

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, steps, functions, tasksPerStep, minimumDimension, maximumDimension, maximumInstance, generations, populationSize
        case initialStepSize, metaPairs, metaNoiseScale, attentionWidth, hiddenWidth, optimizer, seed
        case checkpointInterval, evaluationInterval, logInterval
    }

    /// Decodes with defaults; unknown fields and unknown function numbers are errors that list the valid ones.
    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "learned-ES configuration")
        let c = try decoder.container(keyedBy: CodingKeys.self), d = LearnedEvolutionConfiguration()
        name = try c.value(.name, default: d.name)
        steps = try c.value(.steps, default: d.steps)
        if let numbers = try c.decodeIfPresent([Int].self, forKey: .functions) {
            functions = try numbers.map(BBOBFunction.init(number:))
        }
        tasksPerStep = try c.value(.tasksPerStep, default: d.tasksPerStep)
        minimumDimension = try c.value(.minimumDimension, default: d.minimumDimension)
        maximumDimension = try c.value(.maximumDimension, default: d.maximumDimension)
        maximumInstance = try c.value(.maximumInstance, default: d.maximumInstance)
        generations = try c.value(.generations, default: d.generations)
        populationSize = try c.value(.populationSize, default: d.populationSize)
        initialStepSize = try c.value(.initialStepSize, default: d.initialStepSize)
        metaPairs = try c.value(.metaPairs, default: d.metaPairs)
        metaNoiseScale = try c.value(.metaNoiseScale, default: d.metaNoiseScale)
        attentionWidth = try c.value(.attentionWidth, default: d.attentionWidth)
        hiddenWidth = try c.value(.hiddenWidth, default: d.hiddenWidth)
        optimizer = try OptimizerConfiguration.decode(from: c, forKey: .optimizer, defaults: d.optimizer)
        seed = try c.value(.seed, default: d.seed)
        checkpointInterval = try c.value(.checkpointInterval, default: d.checkpointInterval)
        evaluationInterval = try c.value(.evaluationInterval, default: d.evaluationInterval)
        logInterval = try c.value(.logInterval, default: d.logInterval)
    }

    /// Decodes and validates.
    ///
    /// - Throws: ``EvolutionError/invalidConfiguration(_:)`` naming `source` and what is wrong.
    public init(json: Data, source: String) throws {
        do { self = try JSONDecoder().decode(LearnedEvolutionConfiguration.self, from: json) } catch {
            throw EvolutionError.invalidConfiguration("\(source): \(error)")
        }
        guard steps >= 1, tasksPerStep >= 1, generations >= 1, populationSize >= 2, metaPairs >= 1, attentionWidth >= 1, hiddenWidth >= 1,
              maximumInstance >= 1, !functions.isEmpty else {
            throw EvolutionError.invalidConfiguration("\(source): need steps, tasksPerStep, generations, metaPairs, attentionWidth, hiddenWidth, maximumInstance ≥ 1, populationSize ≥ 2 and at least one function")
        }
        guard 2 <= minimumDimension, minimumDimension <= maximumDimension, maximumDimension <= 40 else {
            throw EvolutionError.invalidConfiguration("\(source): need 2 ≤ minimumDimension ≤ maximumDimension ≤ 40 (BBOB's dimensions), got \(minimumDimension) and \(maximumDimension)")
        }
        guard metaNoiseScale > 0, initialStepSize > 0 else {
            throw EvolutionError.invalidConfiguration("\(source): metaNoiseScale and initialStepSize must be positive, got \(metaNoiseScale) and \(initialStepSize)")
        }
        do { try optimizer.validate(in: "optimizer") } catch { throw EvolutionError.invalidConfiguration("\(source): \(error)") }
    }
}

extension LearnedEvolutionConfiguration: TrainingRecipe {
    /// `steps`.
    public var totalSteps: Int {
        get { steps }
        set { steps = newValue }
    }
    /// The log, evaluation and checkpoint intervals.
    public var intervals: TrainingIntervals {
        TrainingIntervals(log: logInterval, evaluation: evaluationInterval, checkpoint: checkpointInterval)
    }
}
