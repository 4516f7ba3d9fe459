// Checks shared by the task distributions' initialisers; each throws
// `InContextError.invalidConfiguration` with a message that names the distribution and the bad value.

extension InputDistribution {
    /// Throws ``InContextError/invalidConfiguration(_:)`` unless the distribution is proper:
    /// a positive finite standard deviation, or finite bounds with `low < high`.
    func validate(in context: String) throws {
        switch self {
        case .normal(let standardDeviation):
            guard standardDeviation > 0, standardDeviation.isFinite else {
                throw InContextError.invalidConfiguration("\(context): the input standard deviation must be positive and finite, got \(standardDeviation)")
            }
        case .uniform(let low, let high):
            guard low.isFinite, high.isFinite, low < high else {
                throw InContextError.invalidConfiguration("\(context): the input range needs finite low < high, got [\(low), \(high))")
            }
        }
    }
}

/// Throws ``InContextError/invalidConfiguration(_:)`` unless `noise` is finite and ≥ 0.
func validateNoise(_ noise: Float, in context: String, named label: String = "noise") throws {
    guard noise >= 0, noise.isFinite else {
        throw InContextError.invalidConfiguration("\(context): \(label) must be finite and ≥ 0, got \(noise)")
    }
}

/// Throws ``InContextError/invalidConfiguration(_:)`` unless `inputDimension` is positive.
func validateInputDimension(_ inputDimension: Int, in context: String) throws {
    guard inputDimension > 0 else {
        throw InContextError.invalidConfiguration("\(context): inputDimension must be positive, got \(inputDimension)")
    }
}
