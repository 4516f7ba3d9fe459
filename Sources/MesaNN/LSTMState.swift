import MesaCore

/// The recurrent state of an LSTM: the hidden state `h` (also the output) and the cell state `c`.
///
/// Shapes: `[batch, hiddenSize]` each for one ``LSTMCell``; `[layerCount, batch, hiddenSize]`
/// each for a stacked ``LSTM`` (PyTorch's `(h_n, c_n)` layout).
public struct LSTMState: Sendable {
    /// The hidden state `h`.
    public var hidden: Tensor
    /// The cell state `c`.
    public var cell: Tensor

    /// Creates a state from its two tensors (of equal shape).
    public init(hidden: Tensor, cell: Tensor) {
        self.hidden = hidden
        self.cell = cell
    }

    /// The all-zero state of `shape` (PyTorch's default initial state).
    public static func zeros(_ shape: [Int]) -> LSTMState {
        LSTMState(hidden: .zeros(shape), cell: .zeros(shape))
    }
}
