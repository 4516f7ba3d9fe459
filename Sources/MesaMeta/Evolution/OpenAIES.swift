import Foundation
import MesaCore
import MesaNN
import MesaOptim

/// The evolution strategy of Salimans, Ho, Chen, Sidor & Sutskever 2017 (*Evolution Strategies
/// as a Scalable Alternative to Reinforcement Learning*): a Gaussian search distribution
/// `N(θ, σ² I)` of fixed `σ` whose mean follows a Monte-Carlo estimate of the gradient of the
/// smoothed objective, stepped by one of Mesa's gradient optimizers (Adam, Lion, …).
///
/// Each generation samples `λ/2` directions `εₖ ~ N(0, I)` and evaluates the antithetic pairs
/// `θ ± σ εₖ`. Values are replaced by centred ranks (`rank/(λ − 1) − ½`, the best `−½`), which makes
/// the update invariant to monotone transformations of `f`, and
///
/// ```
/// ĝ = 1/(λ σ) Σₖ (r(θ + σεₖ) − r(θ − σεₖ)) εₖ        θ ← optimizer step on ĝ
/// ```
///
/// `θ` is kept in `Double`; the optimizer (Float) steps a zero-valued parameter each generation
/// and its displacement is added to `θ`, so that the optimizer's state (moments, momentum) is
/// its own but the mean keeps full precision. Weight decay is therefore not applied.
public final class OpenAIES: AskTellOptimizer {
    public let dimension: Int
    /// `λ`, even: `λ/2` antithetic pairs.
    public let populationSize: Int
    /// The fixed search width `σ`.
    public let noiseScale: Double
    /// The mean `θ`.
    public private(set) var mean: [Double]
    public private(set) var bestPoint: [Double]?
    public private(set) var bestValue = Double.infinity
    /// The number of completed generations.
    public private(set) var generation = 0

    let parameter: Parameter
    let optimizer: any Optimizer
    var generator: RandomGenerator
    var directions: [[Double]] = []
    var pending: [[Double]] = []

    /// An OpenAI-ES from `mean` with noise `noiseScale` and the update rule `update`
    /// (its algorithm and learning rate; Adam with `η = 0.1 σ`-scale rates works on BBOB-sized boxes).
    ///
    /// - Throws: ``EvolutionError/invalidConfiguration(_:)`` for an empty mean, `σ ≤ 0`, an odd or
    ///   too small population, or an update with weight decay.
    public init(mean: [Double], noiseScale: Double, populationSize: Int? = nil, update: OptimizerConfiguration, seed: UInt64) throws {
        let n = mean.count
        guard n >= 1 else { throw EvolutionError.invalidConfiguration("OpenAI-ES needs at least one variable") }
        guard noiseScale > 0, noiseScale.isFinite else {
            throw EvolutionError.invalidConfiguration("the OpenAI-ES noise scale σ must be positive, got \(noiseScale)")
        }
        let lambda = populationSize ?? Swift.max(8, 2 * ((4 + Int(3 * log(Double(n))) + 1) / 2))
        guard lambda >= 2, lambda % 2 == 0 else {
            throw EvolutionError.invalidConfiguration("the OpenAI-ES population must be even (antithetic pairs) and at least 2, got \(lambda)")
        }
        guard update.weightDecay == 0 else {
            throw EvolutionError.invalidConfiguration("OpenAI-ES steps the mean by the optimizer's displacement, so weight decay must be 0, got \(update.weightDecay)")
        }
        dimension = n
        self.populationSize = lambda
        self.noiseScale = noiseScale
        self.mean = mean
        parameter = Parameter(Tensor(repeating: 0, shape: [n]))
        optimizer = update.makeOptimizer(for: [parameter])
        generator = RandomGenerator(seed: seed)
    }

    /// The `λ` points `θ + σε₁, θ − σε₁, θ + σε₂, …`.
    public func ask() -> [[Double]] {
        directions = (0..<(populationSize / 2)).map { _ in (0..<dimension).map { _ in Double(generator.nextNormal()) } }
        pending = directions.flatMap { epsilon in
            [zip(mean, epsilon).map { $0 + noiseScale * $1 }, zip(mean, epsilon).map { $0 - noiseScale * $1 }]
        }
        return pending
    }

    /// The centred ranks of `values`: `rank/(λ − 1) − ½`, lowest value `−½`.
    public static func centredRanks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        let last = Double(Swift.max(1, values.count - 1))
        for (rank, index) in order.enumerated() { ranks[index] = Double(rank) / last - 0.5 }
        return ranks
    }

    /// The search-gradient estimate `ĝ = 1/(λσ) Σₖ (r₂ₖ − r₂ₖ₊₁) εₖ` from the shaped values `ranks` of
    /// the antithetic pairs `θ + σεₖ, θ − σεₖ` (in that order, `λ = 2 × directions.count`).
    /// ``LearnedEvolutionTrainer`` uses it too, on the learned ES's network parameters.
    public static func gradientEstimate(ranks: [Double], directions: [[Double]], noiseScale: Double) -> [Float] {
        precondition(ranks.count == 2 * directions.count, "gradientEstimate: \(ranks.count) ranks for \(directions.count) antithetic pairs")
        let dimension = directions.first?.count ?? 0
        var gradient = [Float](repeating: 0, count: dimension)
        let scale = 1 / (Double(ranks.count) * noiseScale)
        for (k, epsilon) in directions.enumerated() {
            let difference = ranks[2 * k] - ranks[2 * k + 1]
            for j in 0..<dimension { gradient[j] += Float(scale * difference * epsilon[j]) }
        }
        return gradient
    }

    /// Leaves the search gradient `gradient` (`ĝ`, flat, in the order of `parameters`) in the
    /// parameters' gradients, for an optimizer step on a network's weights: back-propagates
    /// `Σ θ ⊙ ĝ`, whose gradient in `θ` is `ĝ`. ``LearnedEvolutionTrainer`` and
    /// ``QueryPolicyTrainer``'s evolution method step their networks with it.
    public static func backpropagate(_ gradient: [Float], into parameters: [Parameter]) {
        var start = 0
        var total: Tensor?
        for parameter in parameters {
            let count = parameter.value.scalarCount
            let term = (parameter.value * Tensor(shape: parameter.shape, scalars: Array(gradient[start..<(start + count)]))).sum()
            total = total.map { $0 + term } ?? term
            start += count
        }
        total?.backward()
    }

    /// Estimates `ĝ` from the ranks and steps `θ` (see the type).
    public func tell(_ points: [[Double]], values: [Double]) throws {
        try validateTell(points, values, expected: populationSize, dimension: dimension)
        for (point, value) in zip(points, values) where value < bestValue { bestValue = value; bestPoint = point }
        let gradient = Self.gradientEstimate(ranks: Self.centredRanks(values), directions: directions, noiseScale: noiseScale)
        parameter.assign(Tensor(repeating: 0, shape: [dimension]))
        optimizer.clearGradients()
        (parameter.value * Tensor(shape: [dimension], scalars: gradient)).sum().backward()
        optimizer.step()
        let displacement = parameter.value.scalars
        for j in 0..<dimension { mean[j] += Double(displacement[j]) }
        generation += 1
    }
}
