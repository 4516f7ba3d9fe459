import MesaCore

/// One step of a long short-term memory cell (Hochreiter & Schmidhuber 1997, with the forget
/// gate of Gers et al. 2000), PyTorch's `nn.LSTMCell`.
///
/// With `x` the input, `(h, c)` the previous state and gates stacked in PyTorch's order
/// `i, f, g, o`:
///
/// ```
/// [i, f, g, o] = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh
/// i, f, o = σ(i), σ(f), σ(o);   g = tanh(g)
/// c' = f ⊙ c + i ⊙ g
/// h' = o ⊙ tanh(c')
/// ```
///
/// Shapes: input `[batch, inputSize]`, state `[batch, hiddenSize]` each → new state; weights
/// `weightInputHidden` `[4·hiddenSize, inputSize]`, `weightHiddenHidden` `[4·hiddenSize, hiddenSize]`,
/// biases `[4·hiddenSize]` (PyTorch's `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`).
/// Initialised as PyTorch does: every parameter `U(−1/√hiddenSize, 1/√hiddenSize)`.
/// Built from differentiable tensor operations, so gradients of gradients flow through it.
public final class LSTMCell: Module {
    /// The input-to-gates weights `W_ih` `[4·hiddenSize, inputSize]`, gate blocks `i, f, g, o`.
    public let weightInputHidden: Parameter
    /// The hidden-to-gates weights `W_hh` `[4·hiddenSize, hiddenSize]`.
    public let weightHiddenHidden: Parameter
    /// The input-side gate bias `b_ih` `[4·hiddenSize]`, if any.
    public let biasInputHidden: Parameter?
    /// The hidden-side gate bias `b_hh` `[4·hiddenSize]`, if any.
    public let biasHiddenHidden: Parameter?

    /// The number of input features.
    public var inputSize: Int { weightInputHidden.shape[1] }
    /// The number of hidden (and cell) features.
    public var hiddenSize: Int { weightHiddenHidden.shape[1] }

    /// Creates a cell with PyTorch's default initialisation.
    public init(inputSize: Int, hiddenSize: Int, bias: Bool = true, using generator: inout RandomGenerator) {
        let bound = 1 / Float(max(hiddenSize, 1)).squareRoot()
        func uniform(_ shape: [Int]) -> Parameter {
            Parameter(.randomUniform(shape, low: -bound, high: bound, using: &generator))
        }
        weightInputHidden = uniform([4 * hiddenSize, inputSize])
        weightHiddenHidden = uniform([4 * hiddenSize, hiddenSize])
        biasInputHidden = bias ? uniform([4 * hiddenSize]) : nil
        biasHiddenHidden = bias ? uniform([4 * hiddenSize]) : nil
    }

    /// The new state after reading `input` `[batch, inputSize]` in `state` (`[batch, hiddenSize]` each).
    public func callAsFunction(_ input: Tensor, state: LSTMState) -> LSTMState {
        step(inputGates: inputGates(input), state: state)
    }

    /// The input's contribution to the gates, `x W_ihᵀ + b_ih + b_hh`:
    /// `[…, inputSize]` → `[…, 4·hiddenSize]`. Computed for a whole sequence at once by ``LSTM``.
    func inputGates(_ input: Tensor) -> Tensor {
        var gates = Tensor.matmul(input, weightInputHidden.value, transposeB: true)
        if let biasInputHidden { gates = gates + biasInputHidden.value }
        if let biasHiddenHidden { gates = gates + biasHiddenHidden.value }
        return gates
    }

    /// One step given the input's gate contribution `[batch, 4·hiddenSize]` (from ``inputGates(_:)``).
    func step(inputGates: Tensor, state: LSTMState) -> LSTMState {
        let gates = inputGates + Tensor.matmul(state.hidden, weightHiddenHidden.value, transposeB: true)
        let parts = gates.split(into: 4, alongAxis: -1)   // i, f, g, o: [batch, hiddenSize] each
        guard parts.count == 4 else { return state }      // a shape error was reported
        let inputGate = parts[0].sigmoid(), forgetGate = parts[1].sigmoid()
        let candidate = parts[2].tanh(), outputGate = parts[3].sigmoid()
        let cell = forgetGate * state.cell + inputGate * candidate
        return LSTMState(hidden: outputGate * cell.tanh(), cell: cell)
    }
}
