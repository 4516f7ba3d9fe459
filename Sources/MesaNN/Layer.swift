import MesaCore

/// A module that maps one tensor to another.
public protocol Layer: Module {
    /// Applies the layer.
    func callAsFunction(_ input: Tensor) -> Tensor
}
