/// Writing a leaf's accumulated gradient, for code that edits gradients between
/// ``Tensor/backward(createGraph:)`` and an optimizer step: gradient clipping, gradients
/// averaged across tasks or workers, or gradients computed by other means (Reptile's `θ − φ`).
extension Tensor {
    /// Replaces the gradient accumulated into this leaf (`nil` clears it).
    ///
    /// The tensor must require a gradient, and `gradient` must have its shape; a later
    /// ``backward(createGraph:)`` adds to the gradient set here, as it does to its own.
    ///
    /// ```swift
    /// let w = Tensor([1, 2]).requiringGradient()
    /// w.setGradient(Tensor([0.5, -0.5]))
    /// w.gradient!.scalars   // [0.5, -0.5]
    /// ```
    public func setGradient(_ gradient: Tensor?) {
        guard check(node != nil, .gradient, "setGradient: the tensor of shape \(shape) does not require a gradient") else { return }
        if let gradient {
            guard check(gradient.shape == shape, .shapeMismatch,
                        "setGradient: gradient of shape \(gradient.shape) for a tensor of shape \(shape)") else { return }
        }
        node?.gradient = gradient
    }
}
