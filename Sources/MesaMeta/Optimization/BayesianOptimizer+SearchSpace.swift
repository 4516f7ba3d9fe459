import Foundation

extension BayesianOptimizer {
    /// An optimiser over `space`'s unit cube (snapping to evaluable points) that has been told
    /// every evaluation of `history` (negated when `maximize`).
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` for a surrogate not built yet, and
    ///   ``OptimizationError/invalidHistory(_:)`` for a value outside the space.
    public init(space: SearchSpace, history: [OptimizationHistory.Evaluation], maximize: Bool = false,
                configuration: Configuration = Configuration()) throws {
        try self.init(dimension: space.dimension, configuration: configuration, snap: { space.snappedCandidates($0) })
        for evaluation in history {
            tell(try space.unitPoint(of: evaluation.values), value: maximize ? -evaluation.objective : evaluation.objective)
        }
    }

    /// The next `count` suggestions for `space` given the evaluations so far (the ask/tell form
    /// of `mesa suggest`): the rest of the initial design first, then Bayesian optimisation,
    /// batches by the kriging believer. The same history and seed give the same suggestions.
    public static func suggestions(for space: SearchSpace, history: [OptimizationHistory.Evaluation], count: Int = 1, maximize: Bool = false,
                                   configuration: Configuration = Configuration()) throws -> [[ParameterValue]] {
        var optimizer = try BayesianOptimizer(space: space, history: history, maximize: maximize, configuration: configuration)
        return try optimizer.ask(count: count).map { space.values(fromUnit: $0) }
    }
}
