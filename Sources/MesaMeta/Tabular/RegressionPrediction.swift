import Foundation
import MesaCore
import MesaNN

/// A predictive distribution for one row: its mean and quantiles.
public struct RegressionPrediction: Sendable, Equatable {
    /// The predictive mean.
    public var mean: Double
    /// The quantiles at ``TabularRegressor/quantileLevels``.
    public var quantiles: [Double]
}
