import Foundation
import MesaCore

/// One method's scores on one split.
public struct TabularScores: Codable, Sendable, Equatable {
    /// `mesa`, `logistic regression`, `k-NN` or `ridge`.
    public var method: String
    /// Classification: accuracy.
    public var accuracy: Double?
    /// Classification: log loss.
    public var logLoss: Double?
    /// Classification: ROC AUC (macro one-vs-rest for several classes).
    public var rocAUC: Double?
    /// Regression: R².
    public var rSquared: Double?
    /// Regression: RMSE.
    public var rootMeanSquaredError: Double?
    /// Fit plus predict wall time, in seconds.
    public var seconds: Double
}
