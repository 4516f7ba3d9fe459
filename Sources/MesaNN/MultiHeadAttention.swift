import MesaCore

/// Multi-head scaled dot-product attention (Vaswani et al. 2017, "Attention Is All You Need").
///
/// `MultiHead(Q, K, V) = Concat(head₁, …, head_h) W_Oᵀ + b_O` with
/// `headᵢ = softmax((Q W_Qᵢᵀ)(K W_Kᵢᵀ)ᵀ / √d_head + M) (V W_Vᵢᵀ)`, where the projections
/// `query`, `key`, `value` map `modelSize → modelSize` features and are split into `headCount`
/// heads of `headSize = modelSize / headCount` features each.
///
/// Shapes: query `[batch, queries, modelSize]`, key and value `[batch, keys, modelSize]` →
/// `[batch, queries, modelSize]`. Any number of leading batch dimensions works, including none
/// (`[sequence, modelSize]`); they are flattened into the one `batch` dimension of the heads
/// `[batch, headCount, sequence, headSize]`, which a custom mask broadcasts against.
///
/// Initialised as PyTorch's `nn.MultiheadAttention`: the query, key and value weights are
/// Xavier-uniform over the stacked `[3·modelSize, modelSize]` input projection
/// (`U(±√(6 / 4·modelSize))`), the output weight is Linear's default `U(±1/√modelSize)`, and all
/// biases are zero. PyTorch stores the three input projections as one `in_proj_weight`; here
/// they are separate ``Linear`` layers (`query.weight` is its first third, and so on).
/// Attention-weight dropout is not applied.
///
/// With ``momentum`` `η` set, the layer is Dai et al. 2023's momentum attention
/// (``momentumWeights(decay:queryCount:keyCount:mask:)``): every head's output at position `t`
/// gains the exponential moving average of the earlier values, `Σ_{i<t} η^{t−i} vᵢ`, before `W_O`.
public final class MultiHeadAttention: Layer {
    /// The query projection `W_Q` `[modelSize, modelSize]`.
    public let query: Linear
    /// The key projection `W_K` `[modelSize, modelSize]`.
    public let key: Linear
    /// The value projection `W_V` `[modelSize, modelSize]`.
    public let value: Linear
    /// The output projection `W_O` `[modelSize, modelSize]`.
    public let output: Linear
    /// The number of heads.
    public let headCount: Int
    /// The decay `η ∈ (0, 1)` of momentum attention (Dai et al. 2023, §5); `nil`: standard attention.
    public var momentum: Float? {
        didSet { precondition(momentum.map { $0 > 0 && $0 < 1 } ?? true, "MultiHeadAttention: momentum must be in (0, 1), got \(momentum!)") }
    }

    /// The number of features of the input and output.
    public var modelSize: Int { query.inputSize }
    /// The number of features of each head, `modelSize / headCount`.
    public var headSize: Int { modelSize / headCount }

    /// Creates the projections with PyTorch's default initialisation.
    ///
    /// - Precondition: `modelSize` is a multiple of `headCount`.
    public init(modelSize: Int, headCount: Int, bias: Bool = true, using generator: inout RandomGenerator) {
        precondition(headCount > 0 && modelSize % headCount == 0,
                     "MultiHeadAttention: modelSize \(modelSize) is not a multiple of headCount \(headCount)")
        let inputBound = (6 / Float(4 * modelSize)).squareRoot()
        let outputBound = 1 / Float(max(modelSize, 1)).squareRoot()
        func projection(bound: Float) -> Linear {
            let weight = Tensor.randomUniform([modelSize, modelSize], low: -bound, high: bound, using: &generator)
            return Linear(weight: weight, bias: bias ? .zeros([modelSize]) : nil)
        }
        query = projection(bound: inputBound)
        key = projection(bound: inputBound)
        value = projection(bound: inputBound)
        output = projection(bound: outputBound)
        self.headCount = headCount
    }

    /// Creates attention from existing projections (each `modelSize → modelSize`).
    public init(query: Linear, key: Linear, value: Linear, output: Linear, headCount: Int) {
        precondition(headCount > 0 && query.outputSize % headCount == 0,
                     "MultiHeadAttention: modelSize \(query.outputSize) is not a multiple of headCount \(headCount)")
        self.query = query
        self.key = key
        self.value = value
        self.output = output
        self.headCount = headCount
    }

    /// Attention of `query` over `key`/`value`.
    ///
    /// - Parameters:
    ///   - query: `[batch, queries, modelSize]`.
    ///   - key: `[batch, keys, modelSize]`.
    ///   - value: `[batch, keys, modelSize]`.
    ///   - mask: which keys each query may attend to.
    /// - Returns: `[batch, queries, modelSize]`.
    public func callAsFunction(query queryInput: Tensor, key keyInput: Tensor, value valueInput: Tensor,
                               mask: AttentionMask = .none) -> Tensor {
        // A wrong feature size is reported by the projections' matmul; the guards below only
        // stop this function from reading shapes of the placeholders that follow an error.
        let q = query(queryInput), k = key(keyInput), v = value(valueInput)
        guard q.rank >= 2, k.rank >= 2, v.rank >= 2 else { return q }
        let queryCount = q.shape[q.rank - 2], keyCount = k.shape[k.rank - 2]
        // Heads stay side by side in the projections' last axis: no split or merge copies.
        let maskTensor = mask.tensor(queryCount: queryCount, keyCount: keyCount)
        var merged = Tensor.multiHeadAttention(query: q, key: k, value: v, headCount: headCount, mask: maskTensor)   // […, queries, modelSize]
        if let momentum {
            // The moving average acts on every head's value features alike: one [queries, keys] matrix for all.
            merged = merged + Self.momentumWeights(decay: momentum, queryCount: queryCount, keyCount: keyCount, mask: maskTensor).matmul(v)
        }
        return output(merged)
    }

    /// Self-attention: `x` is the query, key and value. `[batch, sequence, modelSize]` → the same.
    public func callAsFunction(_ input: Tensor, mask: AttentionMask) -> Tensor {
        self(query: input, key: input, value: input, mask: mask)
    }

    /// Unmasked self-attention. `[batch, sequence, modelSize]` → the same.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        self(query: input, key: input, value: input, mask: .none)
    }
}
