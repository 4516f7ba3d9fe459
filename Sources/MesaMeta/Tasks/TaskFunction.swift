import MesaCore

/// One task: a function from inputs to targets, drawn from a ``TaskDistribution``.
public protocol TaskFunction: Sendable {
    /// The targets of `count` inputs given row-major in `inputs` (`[count, inputDimension]`),
    /// observation noise included (drawn from `generator`).
    func targets(for inputs: [Float], count: Int, using generator: inout RandomGenerator) -> [Float]
}
