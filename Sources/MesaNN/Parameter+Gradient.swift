import MesaCore

/// Editing a parameter's accumulated gradient between `backward()` and an optimizer step.
extension Parameter {
    /// Replaces the accumulated gradient (`nil` clears it); `gradient` must have the parameter's shape.
    ///
    /// For gradients an optimizer should apply that did not come from ``Tensor/backward(createGraph:)``
    /// on this parameter: Reptile's `θ − φ`, or a gradient averaged across tasks. The value must
    /// require a gradient, as it always does outside a functional call
    /// (``Module/callAsFunction(substituting:_:)``).
    public func setGradient(_ gradient: Tensor?) {
        value.setGradient(gradient)
    }

    /// Multiplies the accumulated gradient by `factor` in place (nothing happens without one).
    ///
    /// `g ← factor · g`, written into the gradient's own buffer when no other tensor shares it
    /// (otherwise copy-on-write gives this parameter a scaled copy and leaves the sharer
    /// untouched). A gradient that carries an autodiff graph (from `backward(createGraph: true)`)
    /// is instead replaced by the differentiable product, so its graph stays truthful.
    public func scaleGradient(by factor: Float) {
        guard var gradient = value.gradient else { return }
        if gradient.requiresGradient {
            value.setGradient(gradient * factor)
            return
        }
        // Let the leaf drop its reference first, so the buffer is ours alone and is scaled in
        // place instead of copied.
        value.setGradient(nil)
        gradient.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices { buffer[index] *= factor }
        }
        value.setGradient(gradient)
    }
}
