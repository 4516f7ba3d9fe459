/// One evaluation as the optimiser sees it: a point of the unit cube and the value there, to be
/// *minimised* (a maximised objective is told negated).
public struct Observation: Sendable, Equatable {
    /// The unit-cube coordinates.
    public var point: [Double]
    /// The objective's value (lower is better).
    public var value: Double

    /// Creates an observation.
    public init(point: [Double], value: Double) {
        self.point = point
        self.value = value
    }
}
