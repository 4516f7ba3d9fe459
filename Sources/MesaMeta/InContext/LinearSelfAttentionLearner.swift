import MesaCore
import MesaNN

/// A stack of linear self-attention layers that learns linear regression in context (von Oswald
/// et al. 2023, "Transformers Learn In-Context by Gradient Descent"), and the explicit
/// construction whose `k` layers perform `k` steps of gradient descent.
///
/// Tokens are the concatenated pairs `e_i = (x_i, y_i) ∈ R^{d+1}` followed by queries `(x, 0)`;
/// ``layers`` update them with ``LinearSelfAttention`` (no read-in, read-out, positions, softmax,
/// MLP or LayerNorm), and the prediction for a query is minus its y-coordinate after the stack,
/// `ŷ = −e_q[d]`, as in the paper. Two settings:
///
/// - **prefix scoring** (``contextCount`` `nil`): ``PromptEncoding/concatenated``: `N` context
///   tokens then `N` queries; query `i` reads contexts `j < i`, context `i` reads contexts
///   `j ≤ i`, so one pass predicts every target from the pairs before it, like every other
///   ``InContextLearner``.
/// - **fixed context** (``contextCount`` `C`): ``PromptEncoding/encodeWithFixedContext(_:contextCount:)``:
///   the first `C` points are the context, every token reads all of it, and points `C..<N` are
///   queries, the paper's setting. Only the queries are predicted: ``outputs(for:)`` holds
///   `0` (the prior guess, a constant) at the `C` context positions, so the generic
///   ``InContextLearner/loss(on:)`` has the gradient of the query loss scaled by `(N − C)/N`
///   but also the constant `C/N · mean(y_context²)` in its value; train and report with
///   ``queryLoss(on:)`` instead.
///
/// Shapes: a ``TaskBatch`` of `[batch, points, d']` inputs (`d' ≤ d`, zero-padded) → outputs
/// `[batch, points, 1]`. Regression only.
///
/// ```swift
/// let learner = try LinearSelfAttentionLearner(inputDimension: 10, contextCount: 10, using: &generator)
/// let gd = LinearSelfAttentionLearner.gradientDescent(inputDimension: 10, learningRate: 2, steps: 3, contextCount: 10)
/// ```
public final class LinearSelfAttentionLearner: InContextLearner {
    /// The layers, applied in order to the residual stream.
    public let layers: [LinearSelfAttention]

    /// Always ``PromptEncoding/concatenated`` (the fixed-context setting uses the same tokens).
    public let encoding: PromptEncoding
    /// Always ``TaskKind/regression``.
    public let kind: TaskKind
    /// The input dimension `d` (smaller inputs are zero-padded); tokens have width `d + 1`.
    public let inputDimension: Int
    /// The longest prompt ``InContextLearner/validate(_:)`` accepts. Linear self-attention has
    /// no positional parameters and reads prompts of any length; this only bounds validation.
    public let maximumPointCount: Int
    /// The number of leading context points in the fixed-context setting, or `nil` for prefix scoring.
    public let contextCount: Int?

    /// The token width `d + 1`.
    public var tokenWidth: Int { inputDimension + 1 }

    /// Creates a learner with fresh parameters: every weight of every layer drawn from
    /// `N(0, initialStandardDeviation²)` (default `0.05`, small: the stack starts near the
    /// identity, predicting ≈ 0, and Adam grows the weights from there).
    ///
    /// - Parameters:
    ///   - inputDimension: the largest input dimension `d`.
    ///   - kind: must be ``TaskKind/regression``.
    ///   - contextCount: `nil` for prefix scoring, or the number `C ≥ 1` of context points in the
    ///     fixed-context setting (prompts then need more than `C` points).
    ///   - layerCount, headCount: depth `L` and heads `H` per layer.
    ///   - maximumPointCount: the longest prompt accepted by validation.
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for classification, non-positive
    ///   sizes, a non-positive context count or one that leaves no room for a query.
    public init(inputDimension: Int, kind: TaskKind = .regression, contextCount: Int? = nil, layerCount: Int = 1, headCount: Int = 1,
                maximumPointCount: Int = 1024, initialStandardDeviation: Float = 0.05, using generator: inout RandomGenerator) throws {
        try Self.validate(inputDimension: inputDimension, kind: kind, contextCount: contextCount, layerCount: layerCount,
                          headCount: headCount, maximumPointCount: maximumPointCount)
        guard initialStandardDeviation >= 0, initialStandardDeviation.isFinite else {
            throw InContextError.invalidConfiguration("linear self-attention: initialStandardDeviation must be finite and ≥ 0, got \(initialStandardDeviation)")
        }
        self.layers = (0..<layerCount).map { _ in
            LinearSelfAttention(tokenWidth: inputDimension + 1, headCount: headCount, standardDeviation: initialStandardDeviation, using: &generator)
        }
        self.encoding = .concatenated
        self.kind = kind
        self.inputDimension = inputDimension
        self.maximumPointCount = maximumPointCount
        self.contextCount = contextCount
    }

    /// Creates a learner from given layers (of token width `inputDimension + 1`).
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` as the other initializer, or for
    ///   layers of the wrong width.
    public init(inputDimension: Int, layers: [LinearSelfAttention], contextCount: Int? = nil, maximumPointCount: Int = 1024) throws {
        try Self.validate(inputDimension: inputDimension, kind: .regression, contextCount: contextCount, layerCount: layers.count,
                          headCount: layers.first?.headCount ?? 1, maximumPointCount: maximumPointCount)
        guard layers.allSatisfy({ $0.tokenWidth == inputDimension + 1 }) else {
            throw InContextError.invalidConfiguration("linear self-attention: every layer must have token width \(inputDimension + 1)")
        }
        self.layers = layers
        self.encoding = .concatenated
        self.kind = .regression
        self.inputDimension = inputDimension
        self.maximumPointCount = maximumPointCount
        self.contextCount = contextCount
    }

    private static func validate(inputDimension: Int, kind: TaskKind, contextCount: Int?, layerCount: Int, headCount: Int,
                                 maximumPointCount: Int) throws {
        guard kind == .regression else {
            throw InContextError.invalidConfiguration("linear self-attention learns regression in context (it predicts −y from the token's y-slot), not \(kind)")
        }
        guard inputDimension > 0, layerCount > 0, headCount > 0, maximumPointCount > 0 else {
            throw InContextError.invalidConfiguration("linear self-attention sizes must be positive (d \(inputDimension), layers \(layerCount), heads \(headCount), points \(maximumPointCount))")
        }
        if let contextCount, contextCount < 1 || contextCount >= maximumPointCount {
            throw InContextError.invalidConfiguration("linear self-attention: contextCount must be in 1..<\(maximumPointCount) (room for a query), got \(contextCount)")
        }
    }

    /// The `k`-layer construction that performs `k` steps of gradient descent from `w₀ = 0` on the
    /// in-context loss `L(w) = (1/2N) Σᵢ (wᵀxᵢ − yᵢ)²` of its `N` context points (von Oswald et
    /// al. 2023, Proposition 1), with learning rate `η`.
    ///
    /// Every layer has one head (extra heads, if asked for, are zero) with
    ///
    /// ```
    /// W_K = W_Q = [[I_d, 0], [0, 0]]        so  e_iᵀ W_Kᵀ W_Q e_t = x_iᵀ x_t
    /// W_V       = [[0,   0], [0, −η]]       so  W_V e_i = (0, −η·y_i)   (P folded in)
    /// ```
    ///
    /// Each layer therefore leaves the x-slots alone and adds `−(η/N) Σᵢ y_i x_iᵀ x_t` to the
    /// y-slot of every token `t`, where `y_i` is the *current* y-slot of context token `i`.
    /// By induction, after layer `k` context token `i` holds the residual `y_i − w_kᵀx_i` and a
    /// query holds `−w_kᵀx_q`, with `w_k` the `k`-th gradient descent iterate:
    ///
    /// - `k = 0`: residuals `y_i − 0` and query slot `0 = −w₀ᵀx_q`.
    /// - step: `∇L(w_k) = −(1/N) Σᵢ (y_i − w_kᵀx_i) x_i`, so `w_{k+1} = w_k + (η/N) Σᵢ r_i x_i` with
    ///   `r_i = y_i − w_kᵀx_i`, and the layer adds `−(η/N) Σᵢ r_i x_iᵀ x_t = −(w_{k+1} − w_k)ᵀ x_t`:
    ///   context slots become `y_i − w_{k+1}ᵀx_i` and query slots `−w_{k+1}ᵀx_q`.
    ///
    /// The prediction `−e_q[d] = w_kᵀ x_q` is thus `k` steps of gradient descent. This is exact
    /// when every token sees the same `N` context points (fixed context, `contextCount: N`). With
    /// prefix scoring (`contextCount: nil`) query `i` sees contexts `j < i`, so one layer is
    /// exactly one step on the first `i` pairs (`w₁ = (η/i) Σ_{j<i} y_j x_j`, `0` for `i = 0`);
    /// deeper stacks mix steps on different prefixes (context `j` updates with contexts `≤ j`).
    public static func gradientDescent(inputDimension d: Int, learningRate η: Float, steps k: Int, contextCount: Int? = nil,
                                       headCount: Int = 1, maximumPointCount: Int = 1024) -> LinearSelfAttentionLearner {
        precondition(d > 0 && k > 0 && headCount > 0, "gradientDescent: inputDimension, steps and headCount must be positive")
        let width = d + 1
        var projection = [Float](repeating: 0, count: headCount * width * width)   // [H, D, D]: head 0 is [[I_d, 0], [0, 0]]
        for i in 0..<d { projection[i * width + i] = 1 }
        var value = [Float](repeating: 0, count: headCount * width * width)        // head 0 is [[0, 0], [0, −η]]
        value[d * width + d] = -η
        let shape = [headCount, width, width]
        let layers = (0..<k).map { _ in
            LinearSelfAttention(query: Tensor(shape: shape, scalars: projection), key: Tensor(shape: shape, scalars: projection),
                                value: Tensor(shape: shape, scalars: value))
        }
        do {
            return try LinearSelfAttentionLearner(inputDimension: d, layers: layers, contextCount: contextCount, maximumPointCount: maximumPointCount)
        } catch {
            preconditionFailure("gradientDescent: \(error)")
        }
    }

    /// The tokens and mask of `batch` in this learner's setting (inputs zero-padded to `d`).
    public func encode(_ batch: TaskBatch) -> EncodedPrompt {
        let padded = paddedToInputDimension(batch)
        guard let contextCount else { return PromptEncoding.concatenated.encode(padded) }
        precondition(batch.pointCount > contextCount,
                     "LinearSelfAttentionLearner: prompts of \(batch.pointCount) points leave no query after \(contextCount) context points")
        return PromptEncoding.encodeWithFixedContext(padded, contextCount: contextCount)
    }

    /// The predictions `−e_q[d]` at the predicted positions only: `[batch, points, 1]` for prefix
    /// scoring, `[batch, points − C, 1]` (the queries) for a fixed context of `C` points.
    public func queryOutputs(for batch: TaskBatch) -> Tensor {
        let prompt = encode(batch)
        let tokenCount = prompt.tokens.shape[1]
        let weights = LinearSelfAttention.contextWeights(mask: prompt.mask, tokenCount: tokenCount, contextCount: prompt.contextCount)
        var tokens = prompt.tokens                                                               // [B, T, d + 1]
        for layer in layers { tokens = layer(tokens, contextWeights: weights) }
        let targetSlot = tokens.slice(alongAxis: 2, from: inputDimension, to: inputDimension + 1)   // [B, T, 1]
        return -prompt.predictionOutputs(targetSlot)
    }

    /// Outputs for every point, `[batch, points, 1]`: ``queryOutputs(for:)``, preceded in the
    /// fixed-context setting by the constant prior guess `0` at the `C` context positions.
    public func outputs(for batch: TaskBatch) -> Tensor {
        let queries = queryOutputs(for: batch)
        guard let contextCount else { return queries }
        return Tensor.concatenate([.zeros([batch.batchSize, contextCount, 1]), queries], alongAxis: 1)
    }

    /// The mean squared error over the predicted positions: every point for prefix scoring
    /// (then equal to ``InContextLearner/loss(on:)``), the queries `C..<N` for a fixed context.
    /// The training objective in the fixed-context setting.
    public func loss(on batch: TaskBatch) -> Tensor { queryLoss(on: batch) }

    /// The mean squared error over the predicted positions (the training objective; see ``loss(on:)``).
    public func queryLoss(on batch: TaskBatch) -> Tensor {
        let predicted = queryOutputs(for: batch).squeezed(at: 2)                                // [B, N − C]
        let targets = batch.targets.slice(alongAxis: 1, from: contextCount ?? 0, to: batch.pointCount)
        return Tensor.meanSquaredError(predicted, targets)
    }
}
