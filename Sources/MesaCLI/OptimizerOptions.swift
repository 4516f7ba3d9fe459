import ArgumentParser
import Foundation
import Mesa

/// The options `mesa optimize` and `mesa suggest` share: how the Bayesian optimiser suggests
/// points (``BayesianOptimizer/Configuration``).
struct OptimizerOptions: ParsableArguments {
    @Option(help: "The surrogate model: gp (a Gaussian process), pfn (the shipped prior-fitted Transformer, PFNs4BO; at most 6 unit-cube coordinates) or nap (the shipped end-to-end acquisition network trained by reinforcement learning; at most 3 coordinates).") var surrogate = SurrogateChoice.gp
    @Option(help: "With --surrogate pfn: a PFN checkpoint of `mesa pretrain`; with --surrogate nap: a policy of `mesa train-nap` (default: the shipped one).") var surrogateModel: String?
    @Option(help: "The acquisition function: log-ei (log expected improvement) or ucb (upper confidence bound).") var acquisition = AcquisitionChoice.logEI
    @Option(help: "UCB's exploration weight β (with --acquisition ucb).") var beta = 2.0
    @Option(help: "The number of initial Latin-hypercube points before the model is used.") var initial = 10
    @Option(help: "The seed of the initial design and of each suggestion's random draws (keep it across resumed runs).") var seed: UInt64 = 0

    /// An acquisition function by name.
    enum AcquisitionChoice: String, CaseIterable, ExpressibleByArgument {
        case logEI = "log-ei"
        case ucb
    }

    func validate() throws {
        guard initial >= 1 else { throw ValidationError("--initial must be at least 1, got \(initial)") }
        guard beta > 0, beta.isFinite else { throw ValidationError("--beta must be a positive number, got \(beta)") }
        if surrogateModel != nil && surrogate == .gp { throw ValidationError("--surrogate-model is the PFN surrogate's or the NAP policy's checkpoint: add --surrogate pfn or --surrogate nap") }
    }

    /// The optimiser's configuration.
    var configuration: BayesianOptimizer.Configuration {
        let model = surrogateModel.map { URL(fileURLWithPath: $0) }
        var configuration = BayesianOptimizer.Configuration(initialPointCount: initial,
                                                            acquisition: acquisition == .ucb ? .upperConfidenceBound(beta: beta) : .logExpectedImprovement,
                                                            surrogate: surrogate, priorFittedModel: surrogate == .pfn ? model : nil, seed: seed)
        configuration.napModel = surrogate == .nap ? model : nil
        return configuration
    }
}

/// `--surrogate gp|pfn|nap`: an unknown value lists the valid ones.
extension SurrogateChoice: ExpressibleByArgument {}
