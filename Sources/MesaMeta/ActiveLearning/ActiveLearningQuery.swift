import Foundation

/// A row the loop asks to be labelled: where it is, its score and why.
public struct ActiveLearningQuery: Sendable, Equatable {
    /// The row (an index into the rows the loop was created with).
    public var row: Int
    /// The strategy's score (higher: more informative).
    public var score: Double
    /// The reason in words (``QueryStrategy/reason(score:)``).
    public var reason: String
}
