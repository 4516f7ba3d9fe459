import ArgumentParser
import Foundation
import Mesa

/// `mesa suggest`: the ask/tell form of Bayesian optimisation, for loops that evaluate elsewhere.
struct SuggestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Print the next points to evaluate, given a search space and the evaluations so far.",
        discussion: """
        Prints CSV on standard output: a header with the parameter names, then one row per suggestion. Evaluate them, \
        append each with its objective to the history (the columns of the header, then objective), and ask again. \
        A missing history file means no evaluations yet (the first suggestions are the initial design). Batches \
        (--batch q > 1) use the kriging believer: each point is chosen as if the previous ones had returned the model's \
        prediction. The same history, seed and options always give the same suggestions.
        """
    )

    @Option(help: "The search space (JSON).") var space: String
    @Option(help: "The evaluations so far (CSV: one column per parameter, then objective).") var history: String
    @Option(help: "How many points to suggest.") var batch = 1
    @Flag(help: "The objective is to be maximised.") var maximize = false
    @OptionGroup var optimizer: OptimizerOptions

    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1, got \(batch)") }
    }

    func run() throws {
        threads.apply()
        let searchSpace = try SearchSpace(contentsOf: URL(fileURLWithPath: space))
        let url = URL(fileURLWithPath: history)
        let evaluations = FileManager.default.fileExists(atPath: url.path) ? try OptimizationHistory.read(from: url, space: searchSpace) : []
        let suggestions = try BayesianOptimizer.suggestions(for: searchSpace, history: evaluations, count: batch, maximize: maximize,
                                                            configuration: optimizer.configuration)
        print(searchSpace.names.joined(separator: ","))
        for values in suggestions { print(OptimizationHistory.line(for: values)) }
    }
}
