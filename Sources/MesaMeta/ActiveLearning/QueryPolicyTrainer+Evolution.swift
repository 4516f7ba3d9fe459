import Foundation
import MesaCore
import MesaNN
import MesaOptim

/// The evolution method of ``QueryPolicyTrainer`` (``QueryPolicyMethod/evolution``): whole
/// active-learning episodes on prior tables, scored against margin sampling, and OpenAI-ES on the
/// policy's weights (see the trainer's summary).
extension QueryPolicyTrainer {
    /// One episode of the evolution method: a prior table and the benchmark protocol's split of it.
    public struct EpisodeTask {
        /// The prior table as text cells.
        public var table: TabularTable
        /// The protocol's split: initial labelled rows, pool, test rows and budget.
        public var split: ActiveLearningBenchmark.Split
        /// The seed of the learner's ensemble and of the loop.
        public var seed: UInt64
    }

    /// Draws an episode: a prior table of ``QueryPolicyConfiguration/minimumRows``–``QueryPolicyConfiguration/maximumRows``
    /// rows (log-uniform; one of a single class is drawn again) and ``ActiveLearningBenchmark/split(_:seed:)``'s
    /// split with a budget of at most ``QueryPolicyConfiguration/episodeBudget``.
    public func episodeTask(using generator: inout RandomGenerator) -> EpisodeTask {
        let c = configuration
        while true {
            let seed = generator.next()
            guard let drawn = ActiveLearningBenchmark.priorTables(count: 1, prior: c.prior, rows: c.minimumRows...c.maximumRows, seed: seed).first else { continue }
            let split = ActiveLearningBenchmark(maximumBudget: c.episodeBudget).split(drawn.table, seed: seed)
            if split.budget >= 1 { return EpisodeTask(table: drawn.table, split: split, seed: seed) }
        }
    }

    /// The AUBC of `strategy` on `task` (with `policy` for the learned strategy), as
    /// ``ActiveLearningBenchmark`` measures it.
    public func areaUnderBudgetCurve(_ strategy: QueryStrategy, policy: LearnedQueryPolicy? = nil, on task: EpisodeTask) throws -> Double {
        let learner = try episodeLearner.get()
        learner.classifier?.options.seed = task.seed
        learner.policy = policy
        let simulation = ActiveLearningSimulation(strategy: strategy, budget: task.split.budget, seed: task.seed)
        return try simulation.run(task.table, labelled: task.split.initial, pool: task.split.pool, test: task.split.test, learner: learner)
            .curve.areaUnderBudgetCurve
    }

    /// The policy's weights, flat (in ``Module/parameters`` order).
    var flatParameters: [Float] { policy.parameters.flatMap(\.value.scalars) }

    /// A copy of the policy with the weights `values` (in ``flatParameters`` order).
    func policy(withParameters values: [Float]) -> LearnedQueryPolicy {
        var generator = RandomGenerator(seed: 0)
        let copy = LearnedQueryPolicy(width: configuration.width, residualScale: configuration.residualScale, using: &generator)
        var start = 0
        for parameter in copy.parameters {
            let count = parameter.value.scalarCount
            parameter.assign(Tensor(shape: parameter.shape, scalars: Array(values[start..<(start + count)])))
            start += count
        }
        return copy
    }

    /// One generation of the evolution method (see the type); the loss is minus the mean AUBC
    /// gain over margin sampling of the step's perturbed policies.
    func evolutionStep() throws -> TrainingStepResult {
        let c = configuration
        let theta = flatParameters
        let tasks = (0..<c.tasksPerStep).map { _ in episodeTask(using: &state.generator) }
        let directions = (0..<c.evolutionPairs).map { _ in theta.map { _ in Double(state.generator.nextNormal()) } }
        let baselines = try tasks.map { try areaUnderBudgetCurve(.margin, on: $0) }
        var gains: [[Double]] = []
        for epsilon in directions {
            for sign in [1.0, -1.0] {
                let candidate = policy(withParameters: zip(theta, epsilon).map { Float(Double($0) + sign * Double(c.noiseScale) * $1) })
                gains.append(try zip(tasks, baselines).map { try areaUnderBudgetCurve(.learned, policy: candidate, on: $0) - $1 })
            }
        }
        // Minimising: lower ranks for larger gains.
        let ranks = OpenAIES.centredRanks(LearnedEvolutionTrainer.normalisedFitness(gains.map { $0.map { -$0 } }))
        let gradient = OpenAIES.gradientEstimate(ranks: ranks, directions: directions, noiseScale: Double(c.noiseScale))
        let meanGain = gains.joined().reduce(0, +) / Double(gains.count * tasks.count)
        let loss = try state.update {
            OpenAIES.backpropagate(gradient, into: policy.parameters)
            return Float(-meanGain)
        }
        return TrainingStepResult(loss: loss, metrics: ["gainOverMargin": meanGain])
    }
}
