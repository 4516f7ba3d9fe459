import MesaCore

/// A trainable tensor with identity: a leaf of the autodiff graph that optimizers update and
/// checkpoints save.
///
/// Parameters are reference types (identity matters: an optimizer keeps state per parameter);
/// modules hold them as stored properties, and ``Module/namedParameters`` finds them.
public final class Parameter: @unchecked Sendable {
    /// The current value. Normally a leaf that requires a gradient; during a functional call
    /// (``Module/callAsFunction(substituting:_:)``) temporarily any tensor, e.g. MAML's fast weights.
    public var value: Tensor

    /// Creates a parameter holding `value` as a gradient-requiring leaf.
    public init(_ value: Tensor) {
        self.value = value.detached().requiringGradient()
    }

    /// The shape of the value.
    public var shape: [Int] { value.shape }

    /// The gradient accumulated by the last ``Tensor/backward(createGraph:)``, if any.
    public var gradient: Tensor? { value.gradient }

    /// Forgets the accumulated gradient.
    public func clearGradient() { value.clearGradient() }

    /// Replaces the value with new data, keeping the parameter a fresh gradient-requiring leaf.
    ///
    /// The shape must stay the same (checkpoints and optimizers rely on it).
    public func assign(_ newValue: Tensor) {
        precondition(newValue.shape == value.shape,
                     "Parameter.assign: new shape \(newValue.shape) differs from the parameter's shape \(value.shape)")
        value = newValue.detached().requiringGradient()
    }

    /// Updates the value in place with `body` over its elements (an optimizer step), keeping the
    /// same leaf and its accumulated gradient.
    public func update(_ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        value.withUnsafeMutableBufferPointer(body)
    }
}
