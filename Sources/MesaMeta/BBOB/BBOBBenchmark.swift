import Foundation

/// The BBOB protocol of COCO for Mesa's optimisers: every method on every chosen function,
/// dimension and instance, with a budget of `budgetMultiplier × d` evaluations, recording when
/// each of COCO's 51 targets `f − f_opt ≤ 10^{2 − 0.2k}`, `k = 0…50` (`10²` … `10⁻⁸`), is first
/// reached. A run stops at the budget or at the last target.
///
/// Every method starts as COCO's examples start pycma: first points uniform in `[−4, 4]^d`,
/// `σ₀ = 2`, search box `[−5, 5]^d` for the DE family. Runs are seeded by
/// `(seed, function, dimension, instance)`, so a method's runs are reproducible and different
/// methods see the same instances.
///
/// ``report(_:dimensions:budgetMultiplier:reference:)`` turns the runs into the expected running
/// times, the empirical cumulative distributions of runtimes (COCO's ECDF: the fraction of
/// (function, instance, target) triples reached against evaluations / d) and average ranks.
public struct BBOBBenchmark: Sendable {
    /// COCO's targets on `f − f_opt`: `10²`, `10^1.8`, …, `10⁻⁸`.
    public static let targets: [Double] = (0...50).map { pow(10, 2 - 0.2 * Double($0)) }

    /// The methods to run.
    public var methods: [EvolutionMethod]
    /// COCO's function numbers.
    public var functions: [BBOBFunction]
    /// The dimensions.
    public var dimensions: [Int]
    /// COCO's instance numbers.
    public var instances: [Int]
    /// The budget per run is `budgetMultiplier × d` evaluations (COCO's protocol: 10⁴).
    public var budgetMultiplier: Int
    /// The base seed.
    public var seed: UInt64

    /// A benchmark.
    public init(methods: [EvolutionMethod], functions: [BBOBFunction] = BBOBFunction.allCases, dimensions: [Int] = [5, 20],
                instances: [Int] = Array(1...5), budgetMultiplier: Int = 10_000, seed: UInt64 = 1) {
        self.methods = methods
        self.functions = functions
        self.dimensions = dimensions
        self.instances = instances
        self.budgetMultiplier = budgetMultiplier
        self.seed = seed
    }

    /// The number of runs.
    public var runCount: Int { methods.count * functions.count * dimensions.count * instances.count }

    /// Runs everything, reporting each finished run to `progress`.
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` for a dimension or instance outside the suite.
    public func run(progress: (ProgressUpdate) -> Void = { _ in }) throws -> [BBOBRun] {
        var runs: [BBOBRun] = []
        for dimension in dimensions {
            for function in functions {
                for instance in instances {
                    let problem = try BBOBProblem(function: function, dimension: dimension, instance: instance)
                    for method in methods {
                        let run = try Self.run(method, on: problem, budget: budgetMultiplier * dimension,
                                               seed: seed &+ UInt64(function.rawValue) &* 1_000_003 &+ UInt64(dimension) &* 10_007 &+ UInt64(instance))
                        runs.append(run)
                        progress(ProgressUpdate(completed: runs.count, total: runCount,
                                                note: "\(method.rawValue) \(problem.identifier): best f − f_opt \(String(format: "%.2e", run.bestDelta)) after \(run.evaluations) evaluations"))
                    }
                }
            }
        }
        return runs
    }

    /// One run of `method` on `problem` with at most `budget` evaluations.
    public static func run(_ method: EvolutionMethod, on problem: BBOBProblem, budget: Int, seed: UInt64) throws -> BBOBRun {
        let d = problem.dimension
        var optimizer = try method.makeOptimizer(lowerBounds: problem.lowerBounds, upperBounds: problem.upperBounds,
                                                 initialLowerBounds: Array(repeating: -4, count: d), initialUpperBounds: Array(repeating: 4, count: d),
                                                 stepSize: 2, evaluations: budget, seed: seed)
        var hits = [Int?](repeating: nil, count: targets.count)
        var reached = 0   // targets[..<reached] are reached
        var used = 0, generations = 0
        var best = Double.infinity
        var evaluationSeconds = 0.0
        let start = DispatchTime.now().uptimeNanoseconds
        while used < budget && reached < targets.count {
            let points = optimizer.ask()
            var values: [Double] = []
            values.reserveCapacity(points.count)
            let before = DispatchTime.now().uptimeNanoseconds
            for point in points {
                let value = problem.value(at: point)
                values.append(value)
                used += 1
                let delta = value - problem.optimalValue
                if delta < best {
                    best = delta
                    while reached < targets.count && best <= targets[reached] { hits[reached] = used; reached += 1 }
                }
                if used == budget || reached == targets.count { break }
            }
            evaluationSeconds += Double(DispatchTime.now().uptimeNanoseconds - before) * 1e-9
            values += Array(repeating: .infinity, count: points.count - values.count)
            try optimizer.tell(points, values: values)
            generations += 1
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        return BBOBRun(method: method.rawValue, function: problem.function.rawValue, dimension: d, instance: problem.instance, evaluations: used,
                       bestDelta: best, seconds: seconds, overheadSeconds: Swift.max(0, seconds - evaluationSeconds), generations: generations, hits: hits)
    }
}
