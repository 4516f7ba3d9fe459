import Foundation
import MesaCore

/// Restarts with an increasing population, IPOP (Auger & Hansen 2005, *A Restart CMA Evolution
/// Strategy With Increasing Population Size*, CEC 2005), for any ``RestartableEvolutionStrategy``:
/// whenever the current run meets one of its stop criteria (``RestartableEvolutionStrategy/stopReason``),
/// a new run starts from a uniformly random mean in the initial box with the same `σ₀` and the
/// population multiplied by `populationGrowth`.
///
/// The first run starts at `mean` (or a uniform draw in the box) with its own `λ₀`; restart `k`
/// uses `round(λ₀ gᵏ)`. The best point is kept across runs. ``IPOPCMAES`` is IPOP-CMA-ES;
/// ``IPOPLearnedEvolutionStrategy`` restarts the learned evolution strategy the same way.
public struct IPOPRestarts<Strategy: RestartableEvolutionStrategy>: AskTellOptimizer {
    public let dimension: Int
    /// The run in progress.
    public private(set) var current: Strategy
    /// The number of restarts so far.
    public private(set) var restarts = 0
    /// Why each finished run stopped, in order.
    public private(set) var stopReasons: [EvolutionStopReason] = []
    public private(set) var bestPoint: [Double]?
    public private(set) var bestValue = Double.infinity

    let lowerBounds: [Double]
    let upperBounds: [Double]
    let initialStepSize: Double
    let initialPopulation: Int
    /// The factor on `λ` per restart.
    public let populationGrowth: Double
    var generator: RandomGenerator

    /// Restarts of the strategy `start(mean, seed)` builds, whose restarts draw their mean
    /// uniformly in `[lowerBounds, upperBounds]`.
    ///
    /// - Parameters:
    ///   - mean: the first run's mean; `nil` for a uniform draw in the box (the first draw of `seed`'s generator).
    ///   - stepSize: `σ₀` of every run.
    ///   - populationGrowth: the factor on `λ` per restart (2 in the paper).
    ///   - start: builds the first run from its mean and seed.
    /// - Throws: ``EvolutionError/invalidConfiguration(_:)`` for an empty or inverted box, a growth
    ///   below 1, a step size that is not positive, or what `start` throws.
    public init(lowerBounds: [Double], upperBounds: [Double], mean: [Double]? = nil, stepSize: Double, populationGrowth: Double = 2, seed: UInt64,
                start: (_ mean: [Double], _ seed: UInt64) throws -> Strategy) throws {
        guard !lowerBounds.isEmpty, lowerBounds.count == upperBounds.count, zip(lowerBounds, upperBounds).allSatisfy({ $0 < $1 }) else {
            throw EvolutionError.invalidConfiguration("IPOP restarts need a box with lower bounds below upper bounds in every coordinate")
        }
        guard populationGrowth >= 1, populationGrowth.isFinite else {
            throw EvolutionError.invalidConfiguration("the IPOP population growth must be at least 1, got \(populationGrowth)")
        }
        guard stepSize > 0, stepSize.isFinite else {
            throw EvolutionError.invalidConfiguration("the IPOP restarts' step size must be positive, got \(stepSize)")
        }
        if let mean, mean.count != lowerBounds.count {
            throw EvolutionError.invalidConfiguration("the first mean has \(mean.count) coordinates but the box has \(lowerBounds.count)")
        }
        dimension = lowerBounds.count
        self.lowerBounds = lowerBounds
        self.upperBounds = upperBounds
        initialStepSize = stepSize
        self.populationGrowth = populationGrowth
        generator = RandomGenerator(seed: seed)
        var first = generator
        let origin = mean ?? zip(lowerBounds, upperBounds).map { low, high in low + Double(first.nextUniform()) * (high - low) }
        generator = first
        current = try start(origin, generator.next())
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
            let origin = zip(lowerBounds, upperBounds).map { low, high in low + Double(generator.nextUniform()) * (high - low) }
            let lambda = Int((Double(initialPopulation) * pow(populationGrowth, Double(restarts))).rounded())
            current = try current.restarted(mean: origin, stepSize: initialStepSize, populationSize: lambda, seed: generator.next())
        }
    }
}

extension IPOPRestarts: Sendable where Strategy: Sendable {}
