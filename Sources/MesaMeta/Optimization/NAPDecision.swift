/// One decision of the end-to-end acquisition network (``NAPPolicy``): the evaluations so far
/// and the candidate points it chooses among.
///
/// Points are in the unit cube, `[d]` each; values are the history's objective values
/// standardised on the history itself (``GaussianProcessFunctionPrior/standardization(of:)``),
/// so the network never sees the objective's units.
public struct NAPDecision: Sendable, Equatable {
    /// The evaluated points, `n × [d]`.
    public var points: [[Double]]
    /// Their standardised values, `n`.
    public var values: [Float]
    /// The candidates, `N × [d]`.
    public var candidates: [[Double]]
    /// The share of the episode's evaluations still to come, in `(0, 1]` (only the value head reads it).
    public var remainingFraction: Float

    /// Creates a decision.
    public init(points: [[Double]], values: [Float], candidates: [[Double]], remainingFraction: Float = 1) {
        precondition(!points.isEmpty && points.count == values.count && !candidates.isEmpty,
                     "NAPDecision: needs a non-empty history with one value per point and at least one candidate")
        self.points = points
        self.values = values
        self.candidates = candidates
        self.remainingFraction = remainingFraction
    }

    /// The number of unit-cube coordinates.
    public var dimension: Int { points[0].count }
    /// The best (lowest) standardised value: expected improvement's reference.
    public var incumbent: Float { values.min()! }
}
