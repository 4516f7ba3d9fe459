import MesaNN

/// AdamW: Adam with decoupled weight decay (Loshchilov & Hutter 2019, "Decoupled Weight Decay
/// Regularization"), with PyTorch's `torch.optim.AdamW` semantics.
///
/// Instead of adding `λ·p` to the gradient, where Adam's normalisation would shrink it for
/// parameters with large gradients, the weights decay directly before the ``Adam`` update:
///
/// ```
/// p ← p − η·λ·p
/// m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²
/// p ← p − η·m̂ / (√v̂ + ε)      with the bias-corrected m̂, v̂ of Adam
/// ```
///
/// The decay is scaled by the learning rate (PyTorch's convention; the paper's schedule
/// multiplier `ηₜ` plays that role), so a learning-rate schedule also schedules the decay.
///
/// ```swift
/// let optimizer = AdamW(parameters: model.parameters, learningRate: 3e-4, weightDecay: 0.1)
/// ```
public final class AdamW: Adam {
    /// Creates an AdamW optimizer for `parameters` with PyTorch's defaults.
    ///
    /// - Parameters:
    ///   - learningRate: the step size `η`.
    ///   - beta1, beta2: the moments' decay rates, in `[0, 1)`.
    ///   - epsilon: the denominator's `ε`.
    ///   - weightDecay: the decoupled decay rate `λ ≥ 0`.
    public init(
        parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
        epsilon: Float = 1e-8, weightDecay: Float = 1e-2
    ) {
        super.init(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                   weightDecay: weightDecay, decouplesWeightDecay: true)
    }
}
