import Foundation
import MesaCore
import MesaNN
import MesaOptim

/// Meta-validation or meta-test numbers.
public struct MetaTestResult: Codable, Sendable, Equatable {
    /// The query loss (MSE for regression, cross-entropy for classification) per episode.
    public var loss: MeanWithInterval
    /// The query accuracy per episode (classification only).
    public var accuracy: MeanWithInterval?
}
