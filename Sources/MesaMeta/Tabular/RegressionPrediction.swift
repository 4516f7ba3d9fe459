import Foundation
import MesaCore
import MesaNN

/// A predictive distribution for one row: its mean and quantiles.
public struct RegressionPrediction: Sendable, Equatable {
    /// The predictive mean.
    public var mean: Double
    /// The quantiles at ``TabularRegressor/quantileLevels``.
    public var quantiles: [Double]
    /// The predictive variance (of the piecewise-constant density over the model's bins:
    /// `Σ_b p_b (c_b² + w²/12) − mean²`, in the target's units squared); active learning's
    /// uncertainty for regression.
    public var variance: Double = 0
}
