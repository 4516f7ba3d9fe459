import Foundation
import MesaCore

/// JADE's adaptation of the scale factor `F` and the crossover rate `CR` (Zhang & Sanderson 2009,
/// *JADE: Adaptive Differential Evolution With Optional External Archive*, IEEE TEC 13(5)).
///
/// Each individual draws `CRᵢ ~ N(μ_CR, 0.1)` clipped to `[0, 1]` and `Fᵢ ~ Cauchy(μ_F, 0.1)`,
/// truncated to 1 above and drawn again when `≤ 0`. After a generation, with `S_CR`, `S_F` the
/// values of the trials that replaced their parents:
///
/// ```
/// μ_CR ← (1 − c) μ_CR + c · mean_A(S_CR)          arithmetic mean
/// μ_F  ← (1 − c) μ_F  + c · mean_L(S_F)           Lehmer mean Σ F² / Σ F
/// ```
///
/// Both means stay unchanged in a generation without success.
public struct JADEAdaptation: Sendable, Equatable, Codable {
    /// `μ_CR`, the location of the crossover rates (0.5 at the start).
    public var meanCrossoverRate: Double
    /// `μ_F`, the location of the scale factors (0.5 at the start).
    public var meanScaleFactor: Double
    /// The learning rate `c` (0.1 in the paper).
    public var learningRate: Double

    /// The paper's settings: `μ_CR = μ_F = 0.5`, `c = 0.1`.
    public init(meanCrossoverRate: Double = 0.5, meanScaleFactor: Double = 0.5, learningRate: Double = 0.1) {
        self.meanCrossoverRate = meanCrossoverRate
        self.meanScaleFactor = meanScaleFactor
        self.learningRate = learningRate
    }

    /// Draws one individual's `(F, CR)`.
    public func sample(using generator: inout RandomGenerator) -> (scaleFactor: Double, crossoverRate: Double) {
        let rate = Swift.min(1, Swift.max(0, meanCrossoverRate + 0.1 * Double(generator.nextNormal())))
        var scale = 0.0
        repeat {
            // A Cauchy draw: location + scale · tan(π (u − ½)).
            let u = (Double(generator.next() >> 11) + 0.5) * 0x1p-53
            scale = meanScaleFactor + 0.1 * tan(Double.pi * (u - 0.5))
        } while scale <= 0
        return (Swift.min(scale, 1), rate)
    }

    /// Moves `μ_CR` and `μ_F` towards the successful values (see the type); no change when there were none.
    public mutating func adapt(successfulScaleFactors: [Double], successfulCrossoverRates: [Double]) {
        guard !successfulScaleFactors.isEmpty else { return }
        let arithmetic = successfulCrossoverRates.reduce(0, +) / Double(successfulCrossoverRates.count)
        let lehmer = successfulScaleFactors.reduce(0) { $0 + $1 * $1 } / successfulScaleFactors.reduce(0, +)
        meanCrossoverRate = (1 - learningRate) * meanCrossoverRate + learningRate * arithmetic
        meanScaleFactor = (1 - learningRate) * meanScaleFactor + learningRate * lehmer
    }
}
