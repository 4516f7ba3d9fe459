import Foundation
import MesaCore
import MesaNN
import MesaOptim

/// A mean with its 95 % confidence interval (normal approximation, `1.96 · s / √n`).
public struct MeanWithInterval: Codable, Sendable, Equatable {
    /// The sample mean.
    public var mean: Double
    /// Half the width of the 95 % confidence interval.
    public var halfWidth95: Double
    /// The number of values.
    public var count: Int

    /// Summarises `values`.
    public init(_ values: [Double]) {
        count = values.count
        mean = values.reduce(0, +) / Double(max(values.count, 1))
        let m = mean
        let variance = values.count > 1 ? values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count - 1) : 0
        halfWidth95 = 1.96 * (variance / Double(max(values.count, 1))).squareRoot()
    }
}
