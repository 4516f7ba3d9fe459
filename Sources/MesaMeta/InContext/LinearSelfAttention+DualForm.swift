import MesaCore
import MesaNN

extension LinearSelfAttention {
    /// The demonstrations' update of every head in attention's dual form (Dai et al. 2023, "Why
    /// Can GPT Learn In-Context? Language Models Secretly Perform Gradient Descent as
    /// Meta-Optimizers", §3.1): `ΔW_h = Σᵢ vᵢ kᵢᵀ` with `vᵢ = W_V,h eᵢ` and `kᵢ = W_K,h eᵢ` over
    /// the demonstration tokens `eᵢ`, i.e. `W_V,h (Σᵢ eᵢ eᵢᵀ) W_K,hᵀ`.
    ///
    /// Linear attention of a query `q = W_Q,h e` over the demonstrations is then a linear map
    /// applied to it, `Σᵢ vᵢ (kᵢᵀ q) = ΔW_h q`: the demonstrations act on the query as the
    /// outer-product update `Σᵢ vᵢ ⊗ kᵢ` that one gradient-descent step gives a linear layer
    /// (``dualFormUpdate(of:demonstrations:)``).
    ///
    /// Shapes: `demonstrations` `[n, D]` → `[H, D, D]`.
    public func demonstrationUpdate(demonstrations: Tensor) -> Tensor {
        precondition(demonstrations.rank == 2 && demonstrations.shape[1] == tokenWidth,
                     "demonstrationUpdate: demonstrations \(demonstrations.shape) must be [n, \(tokenWidth)]")
        let gram = Tensor.matmul(demonstrations, demonstrations, transposeA: true)                     // [D, D]: Σ eᵢ eᵢᵀ
        return Tensor.matmul(valueWeights.value.matmul(gram), keyWeights.value, transposeB: true)      // [H, D, D]
    }

    /// The layer's change of `token` `[D]` when it attends, with weight `1/n` each, to the `n`
    /// demonstrations `[n, D]`, computed in the dual form: `Σ_h ΔW_h W_Q,h e / n`. It equals the
    /// layer's own update (``callAsFunction(_:contextWeights:)``) of a query token whose context
    /// is the demonstrations. Returns `[D]`.
    public func dualFormUpdate(of token: Tensor, demonstrations: Tensor) -> Tensor {
        precondition(token.rank == 1 && token.shape[0] == tokenWidth, "dualFormUpdate: token \(token.shape) must be [\(tokenWidth)]")
        let query = queryWeights.value.matmul(token.reshaped(to: [tokenWidth, 1]))                    // [H, D, 1]: q_h
        let update = demonstrationUpdate(demonstrations: demonstrations).matmul(query)                  // [H, D, 1]
        return update.sum(alongAxis: 0).reshaped(to: [tokenWidth]) / Float(demonstrations.shape[0])
    }
}
