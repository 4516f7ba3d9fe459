import Foundation

extension BlackBoxOptimization {
    /// The run with a population method (``evolutionMethod``): the optimiser works in the space's
    /// unit cube (CMA-ES and OpenAI-ES start uniformly in it with `σ₀ = 0.3`); each point it asks is
    /// clamped to the cube and snapped to an evaluable point (integers rounded, one category), and
    /// the batch is evaluated ``parallelism`` commands at a time, appended to the history in the
    /// order asked.
    ///
    /// **Resuming** replays the history: the optimiser is rebuilt from the same seed and told the
    /// recorded objectives for the points it asks again, which are the same points when the
    /// method and seed are the same (checked: otherwise an ``OptimizationError/invalidHistory(_:)``).
    func runEvolution(_ method: EvolutionMethod, progress: (ProgressUpdate) -> Void) throws -> Summary {
        var history = try OptimizationHistory(space: space, url: historyURL)
        let recorded = history.evaluations
        let d = space.dimension
        let zeros = Array(repeating: 0.0, count: d), ones = Array(repeating: 1.0, count: d)
        var optimizer = try method.makeOptimizer(lowerBounds: zeros, upperBounds: ones, initialLowerBounds: zeros, initialUpperBounds: ones,
                                                 stepSize: 0.3, evaluations: budget, seed: configuration.seed)
        let direction = maximize ? "maximising" : "minimising"
        progress(ProgressUpdate(completed: recorded.count, total: budget, note: recorded.isEmpty
            ? "\(direction) the objective in \(budget) evaluations with \(method.rawValue), \(parallelism) at a time; history: \(historyURL.path)"
            : "replaying the \(recorded.count) evaluations in \(historyURL.path) through \(method.rawValue); \(direction) to \(budget)"))
        var cursor = 0
        while cursor < Swift.max(budget, recorded.count) {
            let points = optimizer.ask()
            let snapped = points.map { space.snapped($0.map { Swift.min(1, Swift.max(0, $0)) }) }
            let values = snapped.map { space.values(fromUnit: $0) }
            var objectives = [Double?](repeating: nil, count: points.count)
            // Replayed points first; the rest (within the budget) are evaluated.
            var fresh: [Int] = []
            for index in points.indices {
                let number = cursor + index
                if number < recorded.count {
                    guard recorded[number].values == values[index] else {
                        throw OptimizationError.invalidHistory("\(historyURL.path), evaluation \(number + 1), is not the point \(method.rawValue) with seed \(configuration.seed) proposes; resume with the --method and --seed that wrote it, or start a new --history")
                    }
                    objectives[index] = recorded[number].objective
                } else if number < budget {
                    fresh.append(index)
                }
            }
            let results = command.evaluate(batch: fresh.map { values[$0] }, parallel: parallelism)
            for (index, result) in zip(fresh, results) {
                switch result {
                case .success(let objective):
                    objectives[index] = objective
                    try history.append(OptimizationHistory.Evaluation(values: values[index], objective: objective))
                    let best = history.best(maximize: maximize)?.objective ?? objective
                    let assignment = zip(space.names, values[index]).map { "\($0)=\($1)" }.joined(separator: " ")
                    progress(ProgressUpdate(completed: history.evaluations.count, total: budget,
                                            note: "\(history.evaluations.count): \(assignment) → \(objective)  (best \(best))"))
                case .failure(let error):
                    try writePlot(history.evaluations)
                    let kept = history.evaluations.count
                    throw OptimizationError.evaluationFailed(
                        "evaluation \(cursor + index + 1) failed: \(error.description)\n\(kept) evaluation\(kept == 1 ? " is" : "s are") kept in \(historyURL.path); fix the command and run the same mesa optimize again to resume")
                }
            }
            cursor += points.count
            try writePlot(history.evaluations)
            if objectives.contains(where: { $0 == nil }) { break }   // the budget ended inside this batch
            try optimizer.tell(points, values: objectives.map { maximize ? -$0! : $0! })
        }
        return Summary(evaluations: history.evaluations, resumedCount: recorded.count, best: history.best(maximize: maximize))
    }
}
