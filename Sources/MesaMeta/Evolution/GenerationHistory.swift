import Foundation

/// The best value, median value and range of values of each generation of a run, newest last: what
/// the termination criteria on the values (``EvolutionStopReason``) look at.
public struct GenerationHistory: Sendable {
    /// The best value of each generation.
    public private(set) var best: [Double] = []
    /// The median value (the `⌊λ/2⌋`-th of the sorted values) of each generation.
    public private(set) var median: [Double] = []
    /// The last generation's worst value minus its best.
    public private(set) var lastRange = Double.infinity

    /// An empty history.
    public init() {}

    /// Records a generation from its best, median and worst values.
    public mutating func record(best: Double, median: Double, worst: Double) {
        self.best.append(best)
        self.median.append(median)
        lastRange = worst - best
    }

    /// Whether the best values of the last `10 + ⌈30n/λ⌉` generations (`n = dimension`,
    /// `λ = populationSize`) and the last generation's range lie within `10⁻¹¹`
    /// (``EvolutionStopReason/functionValueTolerance``).
    public func valueToleranceReached(dimension n: Int, populationSize: Int) -> Bool {
        let span = 10 + Int((30 * Double(n) / Double(populationSize)).rounded(.up))
        guard best.count >= span else { return false }
        let recent = best.suffix(span)
        return Swift.max(recent.max()!, best.last! + lastRange) - recent.min()! < 1e-11
    }

    /// ``EvolutionStopReason/stagnation`` or ``EvolutionStopReason/generationLimit`` when one holds
    /// for a run in `dimension` variables with `populationSize` members after `generation` generations.
    public func stagnationOrLimit(dimension n: Int, populationSize: Int, generation: Int) -> EvolutionStopReason? {
        let minimumGenerations = 100 + Int(100 * pow(Double(n), 1.5) / Double(populationSize))
        let window = Swift.max(minimumGenerations / 10, best.count / 10)
        if best.count > minimumGenerations, best.count >= 2 * window {
            func middle(_ values: ArraySlice<Double>) -> Double { let s = values.sorted(); return s[s.count / 2] }
            if middle(best.suffix(window)) >= middle(best.dropLast(window).suffix(window)),
               middle(median.suffix(window)) >= middle(median.dropLast(window).suffix(window)) {
                return .stagnation
            }
        }
        if Double(generation) >= 100 + 150 * pow(Double(n) + 3, 2) / Double(populationSize).squareRoot() { return .generationLimit }
        return nil
    }
}
