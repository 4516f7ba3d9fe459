import Foundation
import MesaCore

/// `mesa benchmark-bo`: Bayesian optimisers on the named test functions and on held-out
/// functions from Gaussian-process priors, under one protocol, with random search as the floor.
///
/// **Protocol** (issue 18): each run starts from ``initialPointCount`` Latin-hypercube points
/// (seeded by the problem and the seed, the same for every method) and then makes
/// ``evaluationCount`` − ``initialPointCount`` suggestions, one at a time. Each named function
/// is run with seeds `0..<seedCount`; each of the ``heldOutCount`` held-out functions
/// (``GaussianProcessFunctionSampler/heldOutFunctions(count:dimensions:)``, dimensions cycling
/// through ``heldOutDimensions``) once, with seed 0. Reported: the log10 simple regret
/// `log10(max(best − f*, 10⁻⁸))` after 10, 25 and 50 evaluations (median and quartiles over
/// runs), the average rank of each method (by final regret, ties shared) and the wall time per
/// suggestion (surrogate fit plus acquisition maximisation).
///
/// **Yardsticks** (never defaults): `gp-oracle` (the Gaussian process given each held-out
/// function's true hyperparameters) and `gp-bayes` (hyperparameters integrated out over the
/// held-out functions' prior) bound what a better model of the function prior could gain with
/// expected improvement; both use the Gaussian process's acquisition maximiser and noise floor.
///
/// **Files** (in the output folder):
/// - `designs.json`: every problem (box, minimum, and for a sampled function its Fourier
///   features) and every run's initial design and values: what `benchmarks/optimize/botorch_reference.py`
///   reads to run BoTorch on the same problems, seeds and designs;
/// - `traces.csv`: one row per method, problem, seed and evaluation
///   (`method,problem,seed,evaluation,value,best,seconds`; `seconds` is the time of the
///   suggestion that chose the point, 0 for design points);
/// - `bo-benchmark.md`, `bo-benchmark.csv` and one `bo-benchmark-<group>.svg` per function or
///   held-out dimension (median log10 regret against evaluations), from ``report(in:including:)``,
///   which also reads the traces of other tools (BoTorch's) in the same format.
public struct BayesianOptimizationBenchmark: Sendable {
    /// An optimiser the benchmark runs.
    public enum Method: String, CaseIterable, Sendable {
        /// ``BayesianOptimizer`` with the Gaussian process and log expected improvement.
        case mesa
        /// ``BayesianOptimizer`` with the PFN surrogate (``PriorFittedSurrogate``) and log
        /// expected improvement from its bar distribution.
        case pfn
        /// ``BayesianOptimizer`` with the end-to-end acquisition network (``NAPSurrogate``).
        case nap
        /// Uniform random points after the initial design: the floor.
        case random
        /// A yardstick, held-out GP-prior functions only: the Gaussian process with each
        /// function's true kernel, length-scales and output scale (``OracleGaussianProcessSurrogate``).
        case gpOracle = "gp-oracle"
        /// A yardstick: the Gaussian process with its hyperparameters integrated out over the
        /// held-out functions' prior (``MarginalizedGaussianProcessSurrogate``, ``mixtureDrawCount`` draws).
        case gpBayes = "gp-bayes"

        /// The methods of the full protocol: the GP, the PFN surrogate and random search (NAP
        /// only when asked, since it accepts at most the dimensions it was trained on).
        public static let protocolDefaults: [Method] = [.mesa, .pfn, .random]
    }

    /// Throws unless every method can be loaded and suits every problem: the PFN surrogate and
    /// the NAP policy accept only the dimensions they were trained on (their checkpoints are
    /// ``BayesianOptimizer/Configuration/priorFittedModel`` and
    /// ``BayesianOptimizer/Configuration/napModel`` of ``configuration``, `nil` for the shipped ones).
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` for a checkpoint that cannot be used, or
    ///   naming the first problem a method cannot run.
    /// With ``onlyWhereApplicable`` the mismatches are not errors: the method is left out of
    /// the problems it cannot run (the checkpoints must still load).
    public func checkMethods() throws {
        if methods.contains(.gpBayes) { _ = try MarginalizedGaussianProcessSurrogate(sampler: sampler, drawCount: mixtureDrawCount) }
        let dimensions = try maximumDimensions()
        guard !onlyWhereApplicable else { return }
        if methods.contains(.gpOracle), seedCount > 0, let named = functions.first {
            throw OptimizationError.unavailable("--methods gp-oracle: the oracle knows the hyperparameters of GP-prior functions only, and \(named.rawValue) has none; run it on held-out functions alone (--seeds 0)")
        }
        // From the named functions and the held-out dimensions, without drawing the held-out
        // functions (each costs a search for its minimum).
        let named = seedCount > 0 ? functions.map { ($0.rawValue, $0.function.dimension) } : []
        let problems = named + heldOutDimensions.prefix(heldOutCount).map { ("a held-out GP-prior function", $0) }
        if let maximum = dimensions[.pfn], let (name, dimension) = problems.first(where: { $0.1 > maximum }) {
            throw OptimizationError.unavailable("--methods pfn: the PFN surrogate was pre-trained on functions of at most \(maximum) dimensions, and \(name) has \(dimension); choose problems it can run (--functions, --held-out-dimensions) or a surrogate pre-trained on more (functionPrior.dimensions)")
        }
        if let maximum = dimensions[.nap], let (name, dimension) = problems.first(where: { $0.1 > maximum }) {
            throw OptimizationError.unavailable("--methods nap: the NAP policy accepts at most \(maximum) dimensions, and \(name) has \(dimension); choose problems it can run, e.g. --functions branin,hartmann3,michalewicz2 --held-out-dimensions 2,3")
        }
    }

    /// The most dimensions the network methods among ``methods`` accept (their checkpoints
    /// loaded once): `.pfn` and `.nap` when asked for.
    func maximumDimensions() throws -> [Method: Int] {
        var result: [Method: Int] = [:]
        if methods.contains(.pfn) { result[.pfn] = try PriorFittedSurrogate(contentsOf: configuration.priorFittedModel).maximumDimension }
        if methods.contains(.nap) { result[.nap] = try NAPSurrogate(contentsOf: configuration.napModel).maximumDimension }
        return result
    }

    /// Whether `method` can run on `function`: the oracle needs a GP-prior function's true
    /// hyperparameters, and the networks accept at most `maximumDimensions[method]` dimensions.
    static func applies(_ method: Method, to function: BenchmarkFunction, maximumDimensions: [Method: Int]) -> Bool {
        if method == .gpOracle {
            guard case .sampled(let features) = function.definition else { return false }
            return features.hyperparameters != nil
        }
        return function.dimension <= maximumDimensions[method, default: .max]
    }

    /// The named functions run.
    public var functions: [NamedBenchmark]
    /// Seeds per named function.
    public var seedCount: Int
    /// The number of held-out GP-prior functions.
    public var heldOutCount: Int
    /// The dimensions the held-out functions cycle through.
    public var heldOutDimensions: [Int]
    /// The initial Latin-hypercube points of every run.
    public var initialPointCount: Int
    /// The evaluations of every run, initial points included.
    public var evaluationCount: Int
    /// The methods run.
    public var methods: [Method]
    /// The sampler of the held-out functions.
    public var sampler: GaussianProcessFunctionSampler
    /// The split the held-out functions come from: meta-test (the protocol's), or meta-validation
    /// for choosing settings without looking at the meta-test functions.
    public var heldOutSplit: GaussianProcessFunctionSampler.Split = .metaTest
    /// The Bayesian optimiser's settings (its initial design is the benchmark's).
    public var configuration: BayesianOptimizer.Configuration
    /// The hyperparameter draws per fit of ``Method/gpBayes``.
    public var mixtureDrawCount = 512
    /// Whether a method is run only on the problems it can run (`--methods all`): the oracle on
    /// the held-out GP-prior functions, the PFN surrogate and NAP up to the dimensions they were
    /// trained on. When `false` (methods named one by one), such a mismatch is an error of
    /// ``checkMethods()`` and of ``run(_:on:seed:)``.
    public var onlyWhereApplicable = false

    /// A benchmark; the defaults are the full protocol.
    public init(functions: [NamedBenchmark] = NamedBenchmark.allCases, seedCount: Int = 20, heldOutCount: Int = 50,
                heldOutDimensions: [Int] = [2, 3, 4, 6], initialPointCount: Int = 10, evaluationCount: Int = 50,
                methods: [Method] = Method.protocolDefaults, sampler: GaussianProcessFunctionSampler = GaussianProcessFunctionSampler(),
                configuration: BayesianOptimizer.Configuration = BayesianOptimizer.Configuration()) {
        self.functions = functions
        self.seedCount = seedCount
        self.heldOutCount = heldOutCount
        self.heldOutDimensions = heldOutDimensions
        self.initialPointCount = initialPointCount
        self.evaluationCount = evaluationCount
        self.methods = methods
        self.sampler = sampler
        self.configuration = configuration
    }

    /// A problem and the seeds it is run with.
    public struct Problem: Sendable {
        /// The function.
        public var function: BenchmarkFunction
        /// The report row it belongs to: the function's name, or `gp-prior-d<d>`.
        public var group: String
        /// The seeds of its runs.
        public var seeds: [UInt64]
    }

    /// The problems of the protocol, named functions first.
    public func problems() -> [Problem] {
        functions.map { Problem(function: $0.function, group: $0.rawValue, seeds: (0..<UInt64(seedCount)).map { $0 }) }
            + sampler.heldOutFunctions(count: heldOutCount, dimensions: heldOutDimensions, split: heldOutSplit)
            .map { Problem(function: $0, group: "\(heldOutSplit == .metaValidation ? "gp-validation" : "gp-prior")-d\($0.dimension)", seeds: [0]) }
    }

    /// The initial design of `function`'s run with `seed` (unit cube), the same for every method.
    public func initialDesign(for function: BenchmarkFunction, seed: UInt64) -> [[Double]] {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325       // FNV-1a of the name, then the seed
        for byte in function.name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return LatinHypercube.sample(count: initialPointCount, dimension: function.dimension, seed: hash ^ (seed &* 0x9E37_79B9_7F4A_7C15))
    }

    /// One evaluation of one run.
    public struct Trace: Sendable, Equatable {
        /// The method (`mesa`, `pfn`, `nap`, `random`, or another tool's name such as `botorch`).
        public var method: String
        /// The problem's name.
        public var problem: String
        /// The run's seed.
        public var seed: UInt64
        /// The evaluation's number, from 1.
        public var evaluation: Int
        /// The objective's value.
        public var value: Double
        /// The best value among evaluations `1...evaluation`.
        public var best: Double
        /// The wall time of the suggestion that chose the point (0 for design points).
        public var seconds: Double
    }

    /// The evaluations of one run of `method` on `function` from its initial design.
    public func run(_ method: Method, on function: BenchmarkFunction, seed: UInt64) throws -> [Trace] {
        let design = initialDesign(for: function, seed: seed)
        var traces: [Trace] = []
        var best = Double.infinity
        func record(_ point: [Double], seconds: Double) -> Double {
            let value = function.value(atUnitPoint: point)
            best = Swift.min(best, value)
            traces.append(Trace(method: method.rawValue, problem: function.name, seed: seed, evaluation: traces.count + 1,
                                value: value, best: best, seconds: seconds))
            return value
        }
        let clock = ContinuousClock()
        switch method {
        case .mesa, .pfn, .nap, .gpOracle, .gpBayes:
            var settings = configuration
            settings.surrogate = [.pfn: .pfn, .nap: .nap][method] ?? .gp
            settings.initialPointCount = 0
            settings.seed = seed
            let noise = configuration.gaussianProcess.prior.noiseFloor
            var optimizer: BayesianOptimizer
            switch method {
            case .gpOracle:
                guard case .sampled(let features) = function.definition, let truth = features.hyperparameters else {
                    throw OptimizationError.unavailable("--methods gp-oracle: the oracle knows the hyperparameters of GP-prior functions only, and \(function.name) has none; run it on held-out functions alone (--seeds 0)")
                }
                optimizer = try BayesianOptimizer(dimension: function.dimension, surrogate: OracleGaussianProcessSurrogate(hyperparameters: truth, noiseVariance: noise),
                                                  configuration: settings)
            case .gpBayes:
                let surrogate = try MarginalizedGaussianProcessSurrogate(sampler: sampler, drawCount: mixtureDrawCount, noiseVariance: noise)
                optimizer = try BayesianOptimizer(dimension: function.dimension, surrogate: surrogate, configuration: settings)
            default:
                optimizer = try BayesianOptimizer(dimension: function.dimension, configuration: settings)
            }
            for point in design { optimizer.tell(point, value: record(point, seconds: 0)) }
            while traces.count < evaluationCount {
                var point: [Double] = []
                let elapsed = try clock.measure { point = try optimizer.ask()[0] }
                optimizer.tell(point, value: record(point, seconds: Self.seconds(elapsed)))
            }
        case .random:
            var generator = RandomGenerator(seed: seed ^ 0x5241_4E44_4F4D)
            for point in design { _ = record(point, seconds: 0) }
            while traces.count < evaluationCount {
                var point: [Double] = []
                let elapsed = clock.measure { point = (0..<function.dimension).map { _ in Double(generator.next() >> 11) * 0x1p-53 } }
                _ = record(point, seconds: Self.seconds(elapsed))
            }
        }
        return traces
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// Runs every method on every problem and seed, writes `designs.json` and `traces.csv` into
    /// `folder`, then the reports (``report(in:including:)`` with `including`).
    public func run(writingTo folder: URL, including: [URL] = [], progress: (ProgressUpdate) -> Void = { _ in }) throws -> Report {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let problems = problems()
        try writeDesigns(problems, to: folder.appendingPathComponent("designs.json"))
        let dimensions = onlyWhereApplicable ? try maximumDimensions() : [:]
        func runs(_ method: Method, _ problem: Problem) -> Bool {
            !onlyWhereApplicable || Self.applies(method, to: problem.function, maximumDimensions: dimensions)
        }
        let total = problems.reduce(0) { sum, problem in sum + problem.seeds.count * methods.filter { runs($0, problem) }.count }
        progress(ProgressUpdate(completed: 0, total: total, note: "wrote \(folder.appendingPathComponent("designs.json").path)"))
        var traces: [Trace] = []
        var done = 0
        for problem in problems {
            for method in methods where runs(method, problem) {
                for seed in problem.seeds {
                    traces += try run(method, on: problem.function, seed: seed)
                    done += 1
                    progress(ProgressUpdate(completed: done, total: total))
                }
            }
        }
        try Self.writeTraces(traces, to: folder.appendingPathComponent("traces.csv"))
        return try Self.report(in: folder, including: including)
    }
}
