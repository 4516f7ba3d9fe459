import ArgumentParser
import Foundation
import Mesa

/// `mesa optimize`: Bayesian optimisation of a black-box command (``BlackBoxOptimization``).
struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Minimise (or maximise) the number a command prints, over a search space, by Bayesian optimisation.",
        discussion: """
        Example: mesa optimize --space space.json --budget 50 -- ./objective.sh {x} --lr={lr}. Each evaluation runs the \
        command after -- with every {name} replaced by the parameter's value; the objective is the last number it prints. \
        Every evaluation is appended to the history CSV at once (one column per parameter, then objective); running the same \
        command again resumes from it. The first --initial points are a Latin-hypercube design, then a Gaussian process with \
        log expected improvement chooses each point. A best-so-far plot (SVG) is redrawn after each evaluation. \
        --method cmaes|sep-cmaes|de|jade|metade|openai-es|les uses a population method instead (see docs/evolution.md), whose \
        batches run --parallel commands at once; resuming replays the history with the same --method and --seed.
        """
    )

    @Option(help: "The search space (JSON: {\"parameters\": [{\"name\": \"x\", \"type\": \"continuous\", \"low\": 0, \"high\": 1}]}).") var space: String
    @Option(help: "The number of evaluations the history should hold at the end.") var budget = 50
    @Flag(help: "Maximise the objective instead of minimising it.") var maximize = false
    @Option(help: "The evaluation history (CSV), created or resumed.") var history = "runs/optimize/history.csv"
    @Option(help: "The best-so-far plot (default: best-so-far.svg beside the history).") var plot: String?
    @Option(help: "The optimiser: bayes (Gaussian process, the default) or a population method: \(EvolutionMethod.names.joined(separator: ", ")).")
    var method = "bayes"
    @Option(help: "How many objective commands run at once (population methods).") var parallel = 1
    @OptionGroup var optimizer: OptimizerOptions
    @Argument(parsing: .postTerminator, help: "The objective command after --, with {name} placeholders.") var command: [String] = []

    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        guard budget >= 1 else { throw ValidationError("--budget must be at least 1, got \(budget)") }
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1, got \(parallel)") }
        if method != "bayes", EvolutionMethod(rawValue: method) == nil {
            throw ValidationError("unknown --method '\(method)'; valid: bayes, \(EvolutionMethod.names.joined(separator: ", "))")
        }
    }

    func run() throws {
        threads.apply()
        let searchSpace = try SearchSpace(contentsOf: URL(fileURLWithPath: space))
        let objective = try BlackBoxCommand(arguments: command, space: searchSpace)
        let optimization = BlackBoxOptimization(space: searchSpace, command: objective, budget: budget, maximize: maximize,
                                                historyURL: URL(fileURLWithPath: history), plotURL: plot.map { URL(fileURLWithPath: $0) },
                                                configuration: optimizer.configuration, evolutionMethod: EvolutionMethod(rawValue: method),
                                                parallelism: parallel)
        let summary = try optimization.run(progress: ProgressBar.handler(label: "optimize"))
        if summary.resumedCount >= budget {
            print("the history already holds \(summary.resumedCount) evaluations (budget \(budget)): nothing to run; raise --budget to continue")
        }
        if let best = summary.best, let index = summary.evaluations.firstIndex(of: best) {
            let assignment = zip(searchSpace.names, best.values).map { "\($0)=\($1)" }.joined(separator: " ")
            print("best objective \(best.objective) at \(assignment) (evaluation \(index + 1) of \(summary.evaluations.count))")
        }
        print("history: \(optimization.historyURL.path); plot: \(optimization.plotURL.path)")
    }
}
