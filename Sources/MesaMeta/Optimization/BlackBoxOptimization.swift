import Foundation

/// A whole black-box optimisation, the library side of `mesa optimize`: a ``SearchSpace``, an
/// objective ``BlackBoxCommand`` and a budget; each evaluation is appended to the CSV history as
/// soon as it is made, and the best-so-far plot is redrawn. Bayesian optimisation by default, or a
/// population method (``evolutionMethod``, batches run ``parallelism`` at a time; see
/// `runEvolution` in `BlackBoxOptimization+Evolution.swift`).
///
/// **Resuming.** When the history file exists, its evaluations are read (and checked against
/// the space) and the run continues from them until the history holds ``budget`` evaluations;
/// with the same seed the initial design continues where it stopped. A history that already
/// holds the budget runs nothing.
///
/// **Failures.** When the command fails, the run stops with an
/// ``OptimizationError/evaluationFailed(_:)`` that says which evaluation failed and that the
/// ones before it are in the history; running again resumes there.
public struct BlackBoxOptimization: Sendable {
    /// The parameters.
    public var space: SearchSpace
    /// The objective.
    public var command: BlackBoxCommand
    /// The number of evaluations the history should hold at the end.
    public var budget: Int
    /// Whether larger objectives are better.
    public var maximize: Bool
    /// The CSV history.
    public var historyURL: URL
    /// The best-so-far plot (SVG).
    public var plotURL: URL
    /// The optimiser's settings (for a population method, only its seed is used).
    public var configuration: BayesianOptimizer.Configuration
    /// A population method instead of Bayesian optimisation (nil: Bayesian optimisation).
    public var evolutionMethod: EvolutionMethod?
    /// How many objective commands run at once (population methods only).
    public var parallelism: Int

    /// Creates a run; the plot goes to `best-so-far.svg` beside the history unless given.
    public init(space: SearchSpace, command: BlackBoxCommand, budget: Int, maximize: Bool = false, historyURL: URL, plotURL: URL? = nil,
                configuration: BayesianOptimizer.Configuration = BayesianOptimizer.Configuration(), evolutionMethod: EvolutionMethod? = nil,
                parallelism: Int = 1) {
        self.space = space
        self.command = command
        self.budget = budget
        self.maximize = maximize
        self.historyURL = historyURL
        self.plotURL = plotURL ?? historyURL.deletingLastPathComponent().appendingPathComponent("best-so-far.svg")
        self.configuration = configuration
        self.evolutionMethod = evolutionMethod
        self.parallelism = parallelism
    }

    /// What a run did.
    public struct Summary: Sendable {
        /// Every evaluation in the history, oldest first.
        public var evaluations: [OptimizationHistory.Evaluation]
        /// How many were already in the history when the run started.
        public var resumedCount: Int
        /// The best evaluation (lowest objective, or highest when maximising).
        public var best: OptimizationHistory.Evaluation?
    }

    /// Runs the optimisation (see the type's discussion), reporting each evaluation to
    /// `progress` (a note per evaluation; `completed` counts the history's evaluations).
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` when `parallelism` is not 1 without a population method.
    public func run(progress: (ProgressUpdate) -> Void = { _ in }) throws -> Summary {
        guard parallelism >= 1 else { throw OptimizationError.unavailable("--parallel must be at least 1, got \(parallelism)") }
        if let evolutionMethod { return try runEvolution(evolutionMethod, progress: progress) }
        guard parallelism == 1 else {
            throw OptimizationError.unavailable("--parallel \(parallelism) needs a population method (--method \(EvolutionMethod.names.joined(separator: "|"))); Bayesian optimisation proposes one point at a time")
        }
        _ = try configuration.makeSurrogate()   // refuse an unavailable surrogate before writing anything
        var history = try OptimizationHistory(space: space, url: historyURL)
        let resumed = history.evaluations.count
        var optimizer = try BayesianOptimizer(space: space, history: history.evaluations, maximize: maximize, configuration: configuration)
        let direction = maximize ? "maximising" : "minimising"
        progress(ProgressUpdate(completed: resumed, total: budget, note: resumed > 0
            ? "resuming from the \(resumed) evaluation\(resumed == 1 ? "" : "s") in \(historyURL.path); \(direction) to \(budget)"
            : "\(direction) the objective in \(budget) evaluations (\(Swift.min(configuration.initialPointCount, budget)) initial); history: \(historyURL.path)"))
        while history.evaluations.count < budget {
            let point = try optimizer.ask()[0]
            let values = space.values(fromUnit: point)
            let number = history.evaluations.count + 1
            let objective: Double
            do {
                objective = try command.evaluate(values)
            } catch let error as OptimizationError {
                let kept = history.evaluations.count
                throw OptimizationError.evaluationFailed(
                    "evaluation \(number) failed: \(error.description)\n\(kept) evaluation\(kept == 1 ? " is" : "s are") kept in \(historyURL.path); fix the command and run the same mesa optimize again to resume")
            }
            try history.append(OptimizationHistory.Evaluation(values: values, objective: objective))
            optimizer.tell(point, value: maximize ? -objective : objective)
            try writePlot(history.evaluations)
            let best = history.best(maximize: maximize)?.objective ?? objective
            let assignment = zip(space.names, values).map { "\($0)=\($1)" }.joined(separator: " ")
            progress(ProgressUpdate(completed: history.evaluations.count, total: budget,
                                    note: "\(number): \(assignment) → \(objective)  (best \(best))"))
        }
        try writePlot(history.evaluations)
        return Summary(evaluations: history.evaluations, resumedCount: resumed, best: history.best(maximize: maximize))
    }

    /// Draws the objective of each evaluation and the best so far against the evaluation number.
    func writePlot(_ evaluations: [OptimizationHistory.Evaluation]) throws {
        guard !evaluations.isEmpty else { return }
        var best = evaluations[0].objective
        var bestPoints: [(x: Double, y: Double)] = [], valuePoints: [(x: Double, y: Double)] = []
        for (index, evaluation) in evaluations.enumerated() {
            best = maximize ? Swift.max(best, evaluation.objective) : Swift.min(best, evaluation.objective)
            bestPoints.append((Double(index + 1), best))
            valuePoints.append((Double(index + 1), evaluation.objective))
        }
        try FileManager.default.createDirectory(at: plotURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try SVGChart.lines(title: "mesa optimize: best objective so far (\(maximize ? "maximising" : "minimising"))", xLabel: "evaluation",
                           yLabel: "objective", series: [SVGChart.Series(name: "best so far", points: bestPoints),
                                                         SVGChart.Series(name: "each evaluation", points: valuePoints)])
            .write(to: plotURL)
    }
}
