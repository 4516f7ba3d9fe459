import ArgumentParser
import Foundation
import Mesa

/// `mesa benchmark-bo`: the Bayesian-optimisation benchmark protocol (``BayesianOptimizationBenchmark``).
struct BenchmarkBOCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark-bo",
        abstract: "Benchmark Mesa's Bayesian optimisers (GP, PFN and NAP surrogates) against random search on test functions and held-out GP-prior functions.",
        discussion: """
        The protocol: 10 Latin-hypercube points, then 40 suggestions; 20 seeds per named function (branin, hartmann3, \
        hartmann6, ackley5, levy4, rosenbrock4, michalewicz2); 50 held-out GP-prior functions in 2, 3, 4 and 6 dimensions, \
        one seed each. Methods: mesa (the Gaussian process), pfn (the prior-fitted Transformer surrogate), random (the default three), \
        and nap (the end-to-end acquisition network, at most 3 dimensions: run it with --functions branin,hartmann3,michalewicz2 --held-out-dimensions 2,3). \
        Two yardsticks, not optimisers for users: gp-oracle (the Gaussian process given each held-out function's true kernel, \
        length-scales and output scale; held-out functions only, --seeds 0) and gp-bayes (its hyperparameters integrated out \
        over the held-out functions' prior, --mixture-draws draws per suggestion). Writes designs.json (read by benchmarks/optimize/botorch_reference.py), traces.csv, and \
        bo-benchmark.{md,csv} with one SVG per problem group. --include adds another tool's traces (same format) to the report; \
        --report-only rewrites the report from the files already in --output.
        """
    )

    @Option(help: "Where to write the designs, traces and reports.") var output = "runs/benchmark-bo"
    @Option(help: "Seeds per named function.") var seeds = 20
    @Option(help: "The named functions (comma-separated), or all.") var functions = "all"
    @Option(help: "The number of held-out GP-prior functions.") var heldOut = 50
    @Option(help: "Evaluations per run, initial points included.") var budget = 50
    @Option(help: "Initial Latin-hypercube points per run.") var initial = 10
    @Option(help: "The dimensions the held-out GP-prior functions cycle through (comma-separated).") var heldOutDimensions = "2,3,4,6"
    @Option(help: "The methods (comma-separated) from mesa, pfn, nap, random, gp-oracle, gp-bayes, or all (each where it can run: gp-oracle on the held-out functions, pfn and nap up to the dimensions they were trained on).") var methods = "mesa,pfn,random"
    @Option(help: "The PFN surrogate's checkpoint (default: the shipped one).") var surrogateModel: String?
    @Option(help: "The NAP policy (default: the shipped one).") var napModel: String?
    @Option(help: "The PFN surrogate's transform of the values: none (default; chosen on meta-validation functions) or normal-scores (ranks through the normal quantile).") var pfnWarping = PriorFittedSurrogate.ValueWarping.none
    @Option(help: "Where the held-out GP-prior functions come from: meta-test (the protocol's) or meta-validation (for choosing settings).") var heldOutSplit = HeldOutSplit.metaTest
    @Option(help: "Another tool's traces CSV to include in the report (repeatable).") var include: [String] = []
    @Flag(help: "Only rewrite the report from --output's designs.json and traces.csv (and --include).") var reportOnly = false
    @Option(help: "The acquisition maximiser: uniform raw samples (default: 512 for mesa, 256 for pfn and nap).") var rawSamples: Int?
    @Option(help: "The acquisition maximiser: samples around the best points (default: 128).") var localSamples: Int?
    @Option(help: "The acquisition maximiser: samples refined (by gradient for mesa, by sampling for pfn and nap; default 10 for mesa, 5 for pfn and nap).") var restarts: Int?
    @Option(help: "Mesa's Gaussian process: starts of the hyperparameter fit.") var hyperparameterStarts = 3
    @Option(help: "Mesa's Gaussian process: the smallest noise variance (standardised units).") var noiseFloor = 1e-6
    @Option(help: "gp-bayes: hyperparameter draws from the held-out functions' prior per suggestion (64 is too few to converge in 4-6 dimensions).") var mixtureDraws = 512

    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        guard rawSamples ?? 1 >= 1, localSamples ?? 0 >= 0, restarts ?? 1 >= 1, hyperparameterStarts >= 1 else {
            throw ValidationError("--raw-samples, --restarts and --hyperparameter-starts must be at least 1, --local-samples at least 0")
        }
        guard noiseFloor > 0, noiseFloor < 1 else { throw ValidationError("--noise-floor must be in (0, 1), got \(noiseFloor)") }
        guard mixtureDraws >= 1 else { throw ValidationError("--mixture-draws must be at least 1, got \(mixtureDraws)") }
        guard seeds >= 0, heldOut >= 0 else { throw ValidationError("--seeds and --held-out must be 0 or more") }
        guard initial >= 1, budget > initial else { throw ValidationError("--budget (\(budget)) must exceed --initial (\(initial)), which must be at least 1") }
    }

    func run() throws {
        threads.apply()
        let folder = URL(fileURLWithPath: output)
        let included = include.map { URL(fileURLWithPath: $0) }
        if reportOnly {
            print(try BayesianOptimizationBenchmark.report(in: folder, including: included))
            return
        }
        var named = NamedBenchmark.allCases
        if functions != "all" {
            named = try functions.split(separator: ",").map { name in
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                guard let function = NamedBenchmark(rawValue: trimmed) else {
                    throw ValidationErrorMessage("unknown function '\(trimmed)' in --functions; valid: \(NamedBenchmark.allCases.map(\.rawValue).joined(separator: ", ")), or all")
                }
                return function
            }
        }
        var chosen = BayesianOptimizationBenchmark.Method.allCases
        if methods != "all" {
            chosen = try methods.split(separator: ",").map { name in
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                guard let method = BayesianOptimizationBenchmark.Method(rawValue: trimmed) else {
                    throw ValidationErrorMessage("unknown method '\(trimmed)' in --methods; valid: \(BayesianOptimizationBenchmark.Method.allCases.map(\.rawValue).joined(separator: ", ")), or all")
                }
                return method
            }
        }
        let dimensions = try heldOutDimensions.split(separator: ",").map { item in
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard let value = Int(trimmed), value >= 1 else { throw ValidationErrorMessage("--held-out-dimensions wants positive whole numbers separated by commas, got '\(trimmed)'") }
            return value
        }
        guard !dimensions.isEmpty else { throw ValidationErrorMessage("--held-out-dimensions needs at least one dimension") }
        var settings = BayesianOptimizer.Configuration()
        settings.napModel = napModel.map { URL(fileURLWithPath: $0) }
        settings.priorFittedModel = surrogateModel.map { URL(fileURLWithPath: $0) }
        settings.priorFittedWarping = pfnWarping
        if rawSamples != nil || localSamples != nil || restarts != nil {
            // Given options override the default of both surrogates; the others keep the GP's.
            settings.acquisitionOptimizer = AcquisitionOptimizer(rawSampleCount: rawSamples ?? 512, localSampleCount: localSamples ?? 128, restartCount: restarts ?? 10)
        }
        settings.gaussianProcess = GaussianProcessSurrogate(prior: GaussianProcessPrior(noiseFloor: noiseFloor), startCount: hyperparameterStarts)
        var benchmark = BayesianOptimizationBenchmark(functions: named, seedCount: seeds, heldOutCount: heldOut, heldOutDimensions: dimensions,
                                                      initialPointCount: initial, evaluationCount: budget, methods: chosen, configuration: settings)
        benchmark.heldOutSplit = heldOutSplit == .metaTest ? .metaTest : .metaValidation
        benchmark.mixtureDrawCount = mixtureDraws
        benchmark.onlyWhereApplicable = methods == "all"   // all: each method where it can run
        try benchmark.checkMethods()   // a bad checkpoint or a problem a network cannot run fails before any run
        print(try benchmark.run(writingTo: folder, including: included, progress: ProgressBar.handler(label: "benchmark-bo")))
    }

    /// `--held-out-split`.
    enum HeldOutSplit: String, CaseIterable, ExpressibleByArgument {
        case metaTest = "meta-test"
        case metaValidation = "meta-validation"
    }
}

/// `--pfn-warping none|normal-scores`.
extension PriorFittedSurrogate.ValueWarping: ExpressibleByArgument {}
