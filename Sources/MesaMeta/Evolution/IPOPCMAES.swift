import Foundation
import MesaCore

/// CMA-ES with restarts and an increasing population, IPOP-CMA-ES (Auger & Hansen 2005, *A
/// Restart CMA Evolution Strategy With Increasing Population Size*, CEC 2005): whenever the
/// current run meets one of ``CMAES/stopReason``'s criteria, a new run starts from a uniformly
/// random mean in the initial box with the same `σ₀` and twice the population size.
///
/// The first run starts at `mean` with the default `λ` (or the one given); restart `k` uses
/// `λ₀ 2ᵏ`. Ask/tell as ``CMAES``; the best point is kept across runs.
public struct IPOPCMAES: AskTellOptimizer, Sendable {
    public let dimension: Int
    /// The run in progress.
    public private(set) var current: CMAES
    /// The number of restarts so far.
    public private(set) var restarts = 0
    /// Why each finished run stopped, in order.
    public private(set) var stopReasons: [CMAESStopReason] = []
    public private(set) var bestPoint: [Double]?
    public private(set) var bestValue = Double.infinity

    let lowerBounds: [Double]
    let upperBounds: [Double]
    let initialStepSize: Double
    let initialPopulation: Int
    let separable: Bool
    let populationGrowth: Double
    var generator: RandomGenerator

    /// An IPOP-CMA-ES whose restarts draw their mean uniformly in `[lowerBounds, upperBounds]`.
    ///
    /// - Parameters:
    ///   - mean: the first run's mean; `nil` for a uniform draw in the box.
    ///   - stepSize: `σ₀` of every run.
    ///   - populationGrowth: the factor on `λ` per restart (2 in the paper).
    /// - Throws: ``EvolutionError/invalidConfiguration(_:)`` for an empty or inverted box, or a bad `CMAES` setting.
    public init(lowerBounds: [Double], upperBounds: [Double], mean: [Double]? = nil, stepSize: Double, populationSize: Int? = nil,
                separable: Bool = false, populationGrowth: Double = 2, seed: UInt64) throws {
        guard !lowerBounds.isEmpty, lowerBounds.count == upperBounds.count, zip(lowerBounds, upperBounds).allSatisfy({ $0 < $1 }) else {
            throw EvolutionError.invalidConfiguration("IPOP-CMA-ES needs a box with lower bounds below upper bounds in every coordinate")
        }
        guard populationGrowth >= 1 else {
            throw EvolutionError.invalidConfiguration("the IPOP population growth must be at least 1, got \(populationGrowth)")
        }
        dimension = lowerBounds.count
        self.lowerBounds = lowerBounds
        self.upperBounds = upperBounds
        initialStepSize = stepSize
        self.separable = separable
        self.populationGrowth = populationGrowth
        generator = RandomGenerator(seed: seed)
        var first = generator
        let start = mean ?? zip(lowerBounds, upperBounds).map { low, high in low + Double(first.nextUniform()) * (high - low) }
        generator = first
        current = try CMAES(mean: start, stepSize: stepSize, populationSize: populationSize, separable: separable, seed: generator.next())
        initialPopulation = current.populationSize
    }

    public mutating func ask() -> [[Double]] { current.ask() }

    /// Tells the current run; restarts it when it should stop.
    public mutating func tell(_ points: [[Double]], values: [Double]) throws {
        try current.tell(points, values: values)
        if current.bestValue < bestValue { bestValue = current.bestValue; bestPoint = current.bestPoint }
        if let reason = current.stopReason {
            stopReasons.append(reason)
            restarts += 1
            let start = zip(lowerBounds, upperBounds).map { low, high in low + Double(generator.nextUniform()) * (high - low) }
            let lambda = Int((Double(initialPopulation) * pow(populationGrowth, Double(restarts))).rounded())
            current = try CMAES(mean: start, stepSize: initialStepSize, populationSize: lambda, separable: separable, seed: generator.next())
        }
    }
}
