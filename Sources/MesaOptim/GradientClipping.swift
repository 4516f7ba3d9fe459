import MesaNN

/// Scales the gradients of `parameters` together so that their global L2 norm is at most
/// `maximumNorm`, as PyTorch's `torch.nn.utils.clip_grad_norm_` does; returns the norm before
/// clipping.
///
/// With `‖g‖ = √(Σₚ Σᵢ gₚᵢ²)` over every parameter that has a gradient (others are ignored),
/// when `‖g‖ > maximumNorm` each gradient is multiplied in place by `maximumNorm / (‖g‖ + 10⁻⁶)`,
/// which keeps its direction and leaves the norm just below `maximumNorm`; otherwise nothing
/// changes. Clipping the global norm rather than each element or tensor is Pascanu et al. 2013,
/// "On the difficulty of training recurrent neural networks". The sum of squares is accumulated
/// in `Double`, so large but finite gradients do not overflow into an infinite norm.
///
/// - Returns: the global norm before clipping. It is infinite or NaN when a gradient holds an
///   infinity or a NaN; the gradients are then left untouched (scaling would only spread NaN to
///   all of them), and the caller must not apply them, since any optimizer step would write
///   non-finite values into the weights:
///
/// ```swift
/// loss.backward()
/// let norm = clipGradientNorm(model.parameters, maximumNorm: 1)
/// if norm.isFinite { optimizer.step() } else { skippedSteps += 1 }
/// optimizer.clearGradients()
/// ```
public func clipGradientNorm(_ parameters: [Parameter], maximumNorm: Float) -> Float {
    precondition(maximumNorm >= 0, "clipGradientNorm: maximum norm \(maximumNorm) must be non-negative")
    preconditionDistinct(parameters, "clipGradientNorm")
    var sumOfSquares: Double = 0
    for parameter in parameters {
        parameter.gradient?.withUnsafeBufferPointer { sumOfSquares += squaredNorm($0) }
    }
    let norm = sumOfSquares.squareRoot()
    // A norm beyond Float's range is reported as infinite, and treated as such.
    guard Float(norm).isFinite else { return Float(norm) }
    let factor = Double(maximumNorm) / (norm + 1e-6)
    if factor < 1 {
        for parameter in parameters { parameter.scaleGradient(by: Float(factor)) }
    }
    return Float(norm)
}

/// `Σᵢ xᵢ²` in `Double`, with four independent partial sums so that the additions do not wait
/// on each other.
private func squaredNorm(_ x: UnsafeBufferPointer<Float>) -> Double {
    var partial = SIMD4<Double>()
    var index = 0
    while index + 4 <= x.count {
        let lanes = SIMD4<Double>(Double(x[index]), Double(x[index + 1]), Double(x[index + 2]), Double(x[index + 3]))
        partial += lanes * lanes
        index += 4
    }
    var sum = partial.sum()
    while index < x.count {
        sum += Double(x[index]) * Double(x[index])
        index += 1
    }
    return sum
}
