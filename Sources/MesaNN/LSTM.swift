import MesaCore

/// A (possibly stacked) long short-term memory network over sequences, batch first: PyTorch's
/// `nn.LSTM(batch_first=True)`.
///
/// Layer 1 reads the input sequence; layer `l > 1` reads the hidden states of layer `l − 1`.
/// Each layer is an ``LSTMCell`` (see it for the equations and initialisation) unrolled over
/// time from the given initial state (zeros by default).
///
/// Shapes: input `[batch, sequence, inputSize]` → output `[batch, sequence, hiddenSize]` (the
/// last layer's `h` at every step) and final state `[layerCount, batch, hiddenSize]` each.
/// Any number of leading batch dimensions works, including none (`[sequence, inputSize]`, with
/// state `[layerCount, hiddenSize]`, as PyTorch's unbatched input). Parameters are named
/// `layers.0.weightInputHidden`, `layers.0.weightHiddenHidden`, `layers.0.biasInputHidden`,
/// `layers.0.biasHiddenHidden`, `layers.1.…` (PyTorch's `weight_ih_l0`, `weight_hh_l0`, …).
///
/// ```swift
/// let lstm = LSTM(inputSize: 3, hiddenSize: 8, layerCount: 2, using: &generator)
/// let (output, state) = lstm(x, initialState: nil)   // [4, 10, 3] → [4, 10, 8], state [2, 4, 8]
/// ```
public final class LSTM: Layer {
    /// The layers, bottom (reading the input) to top.
    public let layers: [LSTMCell]

    /// The number of input features.
    public var inputSize: Int { layers[0].inputSize }
    /// The number of hidden features of every layer.
    public var hiddenSize: Int { layers[0].hiddenSize }
    /// The number of stacked layers.
    public var layerCount: Int { layers.count }

    /// Creates `layerCount` layers with PyTorch's default initialisation.
    public init(inputSize: Int, hiddenSize: Int, layerCount: Int = 1, bias: Bool = true, using generator: inout RandomGenerator) {
        precondition(layerCount >= 1, "LSTM: needs at least one layer, got \(layerCount)")
        var layers: [LSTMCell] = []
        for index in 0..<layerCount {
            layers.append(LSTMCell(inputSize: index == 0 ? inputSize : hiddenSize, hiddenSize: hiddenSize, bias: bias,
                                   using: &generator))
        }
        self.layers = layers
    }

    /// Creates a stack from existing cells (each reading the previous one's hidden size).
    public init(layers: [LSTMCell]) {
        precondition(!layers.isEmpty, "LSTM: needs at least one layer")
        self.layers = layers
    }

    /// Runs the network over `input` from `initialState`.
    ///
    /// - Parameters:
    ///   - input: `[batch, sequence, inputSize]`.
    ///   - initialState: `[layerCount, batch, hiddenSize]` each, or `nil` for zeros.
    /// - Returns: the top layer's hidden states `[batch, sequence, hiddenSize]` and the final
    ///   state of every layer, `[layerCount, batch, hiddenSize]` each.
    public func callAsFunction(_ input: Tensor, initialState: LSTMState?) -> (output: Tensor, state: LSTMState) {
        guard input.rank >= 2 else {
            // Let the projection report the bad rank (matmul needs rank ≥ 2).
            return (layers[0].inputGates(input), initialState ?? .zeros([layerCount, hiddenSize]))
        }
        let batchShape = Array(input.shape.dropLast(2)), sequence = input.shape[input.rank - 2]
        // Flatten the leading dimensions; keep the feature size as given so a wrong one is
        // reported by the projection rather than absorbed by this reshape.
        var x = input.reshaped(to: [-1, sequence, input.shape[input.rank - 1]])   // [batch, sequence, features]
        let batch = x.shape[0]
        let initial = initialState.map {
            LSTMState(hidden: $0.hidden.reshaped(to: [layerCount, -1, hiddenSize]),   // [layers, batch, hidden]
                      cell: $0.cell.reshaped(to: [layerCount, -1, hiddenSize]))
        }
        var finalHidden: [Tensor] = [], finalCell: [Tensor] = []
        for (index, layer) in layers.enumerated() {
            var state = initial.map {
                LSTMState(hidden: $0.hidden.slice(alongAxis: 0, from: index, to: index + 1).squeezed(at: 0),
                          cell: $0.cell.slice(alongAxis: 0, from: index, to: index + 1).squeezed(at: 0))
            } ?? .zeros([batch, hiddenSize])
            let gates = layer.inputGates(x)   // [batch, sequence, 4·hidden], all steps in one product
            var outputs: [Tensor] = []
            for time in 0..<sequence {
                let gatesAtTime = gates.slice(alongAxis: 1, from: time, to: time + 1).squeezed(at: 1)   // [batch, 4·hidden]
                state = layer.step(inputGates: gatesAtTime, state: state)
                outputs.append(state.hidden)
            }
            x = sequence > 0 ? Tensor.stack(outputs, alongAxis: 1) : .zeros([batch, 0, hiddenSize])   // [batch, sequence, hidden]
            finalHidden.append(state.hidden)
            finalCell.append(state.cell)
        }
        let stateShape = [layerCount] + batchShape + [hiddenSize]
        let state = LSTMState(hidden: Tensor.stack(finalHidden).reshaped(to: stateShape),
                              cell: Tensor.stack(finalCell).reshaped(to: stateShape))
        return (x.reshaped(to: batchShape + [sequence, hiddenSize]), state)
    }

    /// The top layer's hidden states from a zero initial state:
    /// `[batch, sequence, inputSize]` → `[batch, sequence, hiddenSize]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        self(input, initialState: nil).output
    }
}
