import Foundation
import MesaCore
import MesaNN
import MesaOptim

/// Meta-trains the network of the learned evolution strategy (``LearnedEvolutionStrategy``) on a
/// few BBOB functions, as the paper's MetaBBO does (Lange et al. 2023): an evolution strategy over
/// the network's parameters whose fitness is how well LES, run with those parameters, optimises
/// randomly drawn problems. It runs in the shared resumable training loop (``TrainingRun``): one
/// meta generation is one optimizer step.
///
/// One step, with `θ` the network's parameters (``LearnedEvolutionNetwork/flatParameters``):
///
/// 1. draw ``LearnedEvolutionConfiguration/tasksPerStep`` tasks (function cycling through
///    ``LearnedEvolutionConfiguration/functions``, dimension uniform in
///    `minimumDimension…maximumDimension`, a random instance, a seed for the inner run) and
///    `K = metaPairs` directions `εₖ ~ N(0, I)`;
/// 2. run LES with `θ ± σ_meta εₖ` on every task for `generations` generations of
///    `populationSize` members and score each run by ``precisionScore(of:on:evaluations:)``
///    (the mean of `max(log10(f_best − f_opt), −8)` over a log-uniform budget, lower better:
///    the single-problem form of COCO's ECDF area without its ceiling at `10²`);
/// 3. standardise the scores of each task across the `2K` candidates (so that no function's scale
///    dominates), average over the tasks, turn the averages into centred ranks and form OpenAI-ES's
///    search gradient (``OpenAIES/gradientEstimate(ranks:directions:noiseScale:)``);
/// 4. step `θ` with the configured optimizer (Adam by default) through ``TrainingState/update(_:)``.
///
/// Everything random comes from the state's generator, so a resumed run continues bit for bit.
public final class LearnedEvolutionTrainer: TrainingRun {
    /// The configuration.
    public let configuration: LearnedEvolutionConfiguration
    /// The network being trained.
    public let network: LearnedEvolutionNetwork
    /// Steps, generator, optimizer and checkpoint bookkeeping.
    public let state: TrainingState
    /// When to log, evaluate and checkpoint.
    public var intervals: TrainingIntervals { configuration.intervals }

    /// Starts a run in `directory` (an existing checkpoint there is an error).
    public convenience init(configuration: LearnedEvolutionConfiguration, directory: URL) throws {
        let lock = try RunFolder.startNewRun(in: directory, configuration: try configuration.jsonData())
        try self.init(configuration: configuration, directory: directory, step: 0, seconds: 0, lock: lock)
    }

    /// Continues the run in `directory` from its last checkpoint (to `steps` steps when given).
    public convenience init(resumingFrom directory: URL, extendingTo steps: Int? = nil) throws {
        let point: ResumePoint<LearnedEvolutionConfiguration> = try RunFolder.resumePoint(in: directory, extendingTo: steps)
        try self.init(configuration: point.recipe, directory: directory, step: point.step, seconds: point.seconds, lock: point.lock)
        try network.restore(from: point.checkpoint, strict: false)
        try RunFolder.completeResume(point, state: state)
    }

    private init(configuration: LearnedEvolutionConfiguration, directory: URL, step: Int, seconds: Double, lock: RunFolderLock?) throws {
        self.configuration = configuration
        var initialization = RandomGenerator(seed: configuration.seed)
        network = LearnedEvolutionNetwork(attentionWidth: configuration.attentionWidth, hiddenWidth: configuration.hiddenWidth, using: &initialization)
        state = TrainingState(directory: directory, optimizer: configuration.optimizer, parameters: network.parameters,
                              totalSteps: configuration.steps, generator: initialization.split(), step: step, trainingSeconds: seconds, lock: lock)
    }

    /// One inner problem: a BBOB instance and the seed of the run on it.
    public struct Task: Sendable {
        /// The problem.
        public var problem: BBOBProblem
        /// The seed of the optimiser's run (its starting mean and its samples).
        public var seed: UInt64
    }

    /// The mean of `max(log10(f_best − f_opt), −8)` over evaluations `e = 1…evaluations` weighted
    /// by `1/e` (a log-uniform budget), where `f_best` is the best value after `e` evaluations of
    /// `optimizer` on `problem`. Lower is better, `−8` is COCO's last target reached at once. Were
    /// it also clipped at `2`, `(2 − score)/10` would be the fraction of COCO's targets `10²…10⁻⁸`
    /// reached averaged over a log-uniform budget (one run's ECDF area); it is not, so that runs
    /// that stay above `10²` (common early in meta-training) still rank against each other.
    public static func precisionScore(of optimizer: inout some AskTellOptimizer, on problem: BBOBProblem, evaluations: Int) -> Double {
        var used = 0, best = Double.infinity, total = 0.0, weights = 0.0
        while used < evaluations {
            let points = optimizer.ask()
            var values: [Double] = []
            values.reserveCapacity(points.count)
            for point in points where used < evaluations {
                let value = problem.value(at: point)
                values.append(value)
                best = Swift.min(best, value - problem.optimalValue)
                used += 1
                let weight = 1 / Double(used)
                total += weight * Swift.max(-8, log10(Swift.max(best, 1e-300)))
                weights += weight
            }
            values += Array(repeating: .infinity, count: points.count - values.count)
            try? optimizer.tell(points, values: values)
        }
        return total / weights
    }

    /// The score (``precisionScore(of:on:evaluations:)``) of LES running `network` on `task`, from a
    /// mean uniform in `[−4, 4]^d` with step size ``LearnedEvolutionConfiguration/initialStepSize``.
    public func score(_ network: LearnedEvolutionNetwork.Forward, on task: Task) -> Double {
        var generator = RandomGenerator(seed: task.seed)
        let mean = (0..<task.problem.dimension).map { _ in -4 + 8 * generator.nextDouble() }
        // The configuration is validated, so the strategy's own checks cannot fail here.
        var strategy = try! LearnedEvolutionStrategy(mean: mean, stepSize: configuration.initialStepSize, populationSize: configuration.populationSize,
                                                    network: network, seed: generator.next())
        return Self.precisionScore(of: &strategy, on: task.problem, evaluations: configuration.generations * configuration.populationSize)
    }

    /// Draws a step's tasks from `generator` (see the type).
    func drawTasks(using generator: inout RandomGenerator) throws -> [Task] {
        let c = configuration
        return try (0..<c.tasksPerStep).map { k in
            let dimension = c.minimumDimension + generator.nextIndex(below: c.maximumDimension - c.minimumDimension + 1)
            let instance = 1 + generator.nextIndex(below: c.maximumInstance)
            return Task(problem: try BBOBProblem(function: c.functions[k % c.functions.count], dimension: dimension, instance: instance), seed: generator.next())
        }
    }

    /// Each task's scores standardised across candidates, averaged over tasks: `scores[candidate][task]` → `[candidate]`.
    static func normalisedFitness(_ scores: [[Double]]) -> [Double] {
        guard let taskCount = scores.first?.count, taskCount > 0 else { return scores.map { _ in 0 } }
        var fitness = [Double](repeating: 0, count: scores.count)
        for t in 0..<taskCount {
            let column = scores.map { $0[t] }
            let mean = column.reduce(0, +) / Double(column.count)
            let deviation = (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(column.count)).squareRoot()
            for c in column.indices { fitness[c] += (deviation > 0 ? (column[c] - mean) / deviation : 0) / Double(taskCount) }
        }
        return fitness
    }

    /// One meta generation (see the type). The step's loss is the mean score of its candidates;
    /// its metrics add the mean score per function.
    @discardableResult
    public func trainStep() throws -> TrainingStepResult {
        let c = configuration
        let theta = network.flatParameters.map(Double.init)
        let directions = (0..<c.metaPairs).map { _ in theta.map { _ in Double(state.generator.nextNormal()) } }
        let tasks = try drawTasks(using: &state.generator)
        var scores: [[Double]] = []
        for epsilon in directions {
            for sign in [1.0, -1.0] {
                let candidate = zip(theta, epsilon).map { Float($0 + sign * c.metaNoiseScale * $1) }
                let forward = LearnedEvolutionNetwork.Forward(parameters: candidate, attentionWidth: c.attentionWidth, hiddenWidth: c.hiddenWidth)
                scores.append(tasks.map { score(forward, on: $0) })
            }
        }
        let gradient = OpenAIES.gradientEstimate(ranks: OpenAIES.centredRanks(Self.normalisedFitness(scores)), directions: directions,
                                                 noiseScale: c.metaNoiseScale)
        let meanScore = scores.joined().reduce(0, +) / Double(scores.count * tasks.count)
        let loss = try state.update {
            OpenAIES.backpropagate(gradient, into: network.parameters)
            return Float(meanScore)
        }
        var metrics: [String: Double] = [:]
        for (index, function) in c.functions.enumerated() {
            let columns = tasks.indices.filter { $0 % c.functions.count == index }
            guard !columns.isEmpty else { continue }
            metrics["score.\(function)"] = scores.reduce(0) { sum, row in sum + columns.reduce(0) { $0 + row[$1] } } / Double(scores.count * columns.count)
        }
        return TrainingStepResult(loss: loss, metrics: metrics)
    }

    /// On fixed tasks (each training function in dimensions 5 and 10, instances 1 and 2): the mean
    /// score of LES with the current network (`lesScore`) and of OpenAI-ES with `mesa benchmark-bbob`'s
    /// settings for the same number of evaluations (`openAIESScore`), lower better.
    public func evaluationMetrics() -> [String: Double] {
        let c = configuration
        var les = 0.0, openAI = 0.0, count = 0.0
        let forward = network.forward
        for function in c.functions {
            for dimension in [5, 10] where (2...40).contains(dimension) {
                for instance in [1, 2] {
                    guard let problem = try? BBOBProblem(function: function, dimension: dimension, instance: instance) else { continue }
                    let seed = UInt64(function.rawValue * 1000 + dimension * 10 + instance)
                    les += score(forward, on: Task(problem: problem, seed: seed))
                    if var baseline = try? EvolutionMethod.openAIES.makeOptimizer(
                        lowerBounds: problem.lowerBounds, upperBounds: problem.upperBounds, initialLowerBounds: Array(repeating: -4, count: dimension),
                        initialUpperBounds: Array(repeating: 4, count: dimension), stepSize: c.initialStepSize, evaluations: c.generations * c.populationSize, seed: seed) {
                        openAI += Self.precisionScore(of: &baseline, on: problem, evaluations: c.generations * c.populationSize)
                    }
                    count += 1
                }
            }
        }
        return ["lesScore": les / count, "openAIESScore": openAI / count]
    }

    /// The metadata every file of the network carries: its architecture and the training recipe.
    func metadata() throws -> [String: String] {
        network.architectureMetadata.merging([
            "mesa.recipe": "meta-trained by `mesa train-les` (LearnedEvolutionTrainer): OpenAI-ES over the network's parameters, fitness = standardised ECDF-area score of LES on BBOB functions \(configuration.functions.map(\.description).joined(separator: ", ")), dimensions \(configuration.minimumDimension)–\(configuration.maximumDimension), random instances 1–\(configuration.maximumInstance)",
        ]) { $1 }
    }

    /// Writes the checkpoint atomically (it is also a network file ``LearnedEvolutionNetwork/load(_:)`` reads).
    public func saveCheckpoint() throws {
        try state.writeCheckpoint(try network.checkpoint(metadata: [:]), format: LearnedEvolutionNetwork.format, configuration: configuration,
                                  extra: try metadata())
    }

    /// Writes the network alone (no optimizer state) to `url`: the file to ship.
    public func export(to url: URL) throws {
        var metadata = try metadata()
        metadata["mesa.format"] = LearnedEvolutionNetwork.format
        metadata["mesa.step"] = String(state.step)
        metadata["mesa.trainingSeconds"] = String(state.trainingSeconds)
        metadata["mesa.configuration"] = try RunFolder.json(configuration)
        try network.checkpoint(metadata: metadata).write(to: OutputFile(url, contents: "the learned evolution strategy", option: "--export"))
    }
}
