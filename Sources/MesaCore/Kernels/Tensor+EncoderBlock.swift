import Foundation

// A whole Transformer encoder block as one inference kernel, in the spirit of PyTorch's
// "fast path" for `nn.TransformerEncoderLayer` in eval mode. Training goes through the
// differentiable layers; this kernel records nothing and exists for speed:
// - every step works on a block of rows small enough to stay in cache (one sequence, or a
//   few dozen rows), so activations are not streamed through memory between operations;
// - biases, residual sums, the activation and the layer normalisations are applied while a
//   GEMM's output is still in cache, instead of in separate passes over fresh tensors;
// - one sequence at a time per thread when there are enough sequences (one hand-off per
//   block); otherwise heads, then rows, are split across threads, two hand-offs per block.

extension Tensor {
    /// A stack of Transformer encoder blocks applied for inference, as a single fused kernel.
    ///
    /// Shapes: `input` `[…, sequence, d]` → the same (rank 2 means one sequence); every block has
    /// model size `d`. Each block maps `x` as follows, with `SA` the multi-head self-attention
    /// `softmax(Q Kᵀ / √(d/h) + M) V` projected by `W_O`, and `FF(x) = W₂ act(W₁ x + b₁) + b₂`:
    /// - post-normalisation: `x ← LN₁(x + SA(x))`, then `x ← LN₂(x + FF(x))`;
    /// - pre-normalisation (``EncoderBlockParameters/normalizesFirst``): `x ← x + SA(LN₁(x))`,
    ///   then `x ← x + FF(LN₂(x))`.
    ///
    /// `mask`, when given, holds 1 where a query may attend to a key and 0 where it may not; it
    /// has shape `[sequence, sequence]` (leading axes of size 1 allowed) and is shared by every
    /// sequence, head and block. No dropout is applied.
    ///
    /// `lastRows`, when given (1 ≤ `lastRows` ≤ sequence), asks only for the last `lastRows`
    /// positions of every sequence, as a head that reads the last token does: the result has
    /// shape `[…, lastRows, d]`, and the final block projects queries, attends and runs its
    /// position-wise part for those rows alone (keys and values still come from every row).
    /// The values equal the matching rows of the full result.
    ///
    /// Blocks run one after the other (a block's weights stay in cache across sequences). With at
    /// least as many sequences as threads, each thread takes whole sequences through a block, so
    /// threads meet once per block; otherwise each block splits heads, then rows, across threads.
    ///
    /// The result never requires a gradient and records nothing, whatever ``GradientMode`` says:
    /// use it inside ``withoutGradients(_:)``. It equals the composition of ``linear(_:weight:bias:)``,
    /// ``multiHeadAttention(query:key:value:headCount:mask:)``, ``layerNormalized(gain:bias:epsilon:)``
    /// and the activation up to Float32 rounding.
    public static func encoderBlocksInference(_ input: Tensor, blocks: [EncoderBlockParameters], mask: Tensor? = nil,
                                              lastRows: Int? = nil) -> Tensor {
        guard check(input.rank >= 2, .shapeMismatch, "encoderBlocksInference: input of shape \(input.shape) is not [..., sequence, features]")
        else { return .placeholder }
        let d = input.shape.last!
        for (index, p) in blocks.enumerated() {
            guard Self.checkBlock(p, index: index, modelSize: d) else { return .placeholder }
        }
        let sequence = input.shape[input.rank - 2]
        let kept = lastRows ?? sequence
        guard lastRows == nil || check(kept >= 1 && kept <= sequence, .invalidArgument,
                    "encoderBlocksInference: lastRows \(kept) is not in 1...\(sequence) (the sequence length of input \(input.shape))")
        else { return .placeholder }
        var additiveMask: TensorStorage?
        if let mask {
            guard check(mask.rank >= 2 && Array(mask.shape.suffix(2)) == [sequence, sequence] && mask.shape.dropLast(2).allSatisfy { $0 == 1 },
                        .shapeMismatch, "encoderBlocksInference: mask of shape \(mask.shape) is not [\(sequence), \(sequence)]")
            else { return .placeholder }
            // 0 where allowed, −10³⁰ where blocked, as the differentiable attention does.
            let storage = TensorStorage(uninitializedCount: sequence * sequence)
            for index in 0..<(sequence * sequence) { storage.base[index] = (mask.storage.base[index] - 1) * 1e30 }
            additiveMask = storage
        }
        // A mask that lets every row see the same first `t` rows and nothing else (an in-context
        // learner's labelled rows) needs no mask at all: keys and values are projected and
        // attended for those `t` rows only.
        var keys = sequence
        if let mask, let prefix = Self.prefixKeyCount(mask.storage.base, sequence: sequence) {
            keys = prefix
            additiveMask = nil
        }
        guard !blocks.isEmpty, input.scalarCount > 0 else {
            return kept == sequence ? input.detached() : input.detached().slice(alongAxis: input.rank - 2, from: sequence - kept)
        }
        let kernels = blocks.map { EncoderBlockKernel(parameters: $0, sequence: sequence, keys: keys, mask: additiveMask.map { UnsafePointer($0.base) }) }
        let batch = input.scalarCount / (sequence * d)
        let threads = Parallelism.threadCount
        let result = Tensor(uninitializedShape: Array(input.shape.dropLast(2)) + [kept, d])
        let x = UnsafePointer(input.storage.base), y = result.storage.base
        let keptRows = (sequence - kept)..<sequence
        if batch >= threads {
            // Block by block (a block's weights stay in cache across sequences), whole sequences per thread.
            let between = TensorStorage(uninitializedCount: (kernels.count > 1 ? 2 : 0) * input.scalarCount)
            // A few sequences per item (up to about 400 rows): the position-wise products then pack
            // each weight once for several sequences (3–4 % less time at 101 tokens than one per
            // item), while leaving at least four items per thread to balance the load.
            let perItem = Swift.max(1, Swift.min(batch / (4 * threads), 400 / sequence))
            var source = x
            for (position, kernel) in kernels.enumerated() {
                let isLast = position == kernels.count - 1
                let destination = isLast ? y : between.base + (position % 2) * input.scalarCount
                let rows = isLast ? keptRows : 0..<sequence
                let items = (batch + perItem - 1) / perItem
                Parallelism.forEachIndex(items) { item in
                    let first = item * perItem, count = Swift.min(perItem, batch - first)
                    kernel.sequences(source + first * sequence * d, count: count, queryRows: rows,
                                     output: destination + first * rows.count * d)
                }
                source = UnsafePointer(destination)
            }
            return result
        }
        // Few sequences: each block splits its heads across threads, then its rows.
        let rows = batch * sequence
        let queryKeyValue = TensorStorage(uninitializedCount: rows * 3 * d), attended = TensorStorage(uninitializedCount: rows * d)
        let between = TensorStorage(uninitializedCount: (kernels.count > 1 ? 2 : 0) * rows * d)
        var source = x
        for (position, kernel) in kernels.enumerated() {
            let isLast = position == kernels.count - 1
            let destination = isLast ? y : between.base + (position % 2) * rows * d
            let queryRows = isLast ? keptRows : 0..<sequence, outputRows = batch * queryRows.count
            let heads = kernel.p.headCount, groups = Swift.min(heads, threads)
            Parallelism.forEachIndex(batch * groups) { index in
                let (item, group) = index.quotientAndRemainder(dividingBy: groups)
                kernel.attention(source + item * sequence * d, heads: (heads * group / groups)..<(heads * (group + 1) / groups),
                                 queryRows: queryRows, queryKeyValue: queryKeyValue.base + item * sequence * 3 * d,
                                 output: attended.base + item * queryRows.count * d)
            }
            // The position-wise part reads the block's input at the kept rows: gather them when pruned.
            let residual = kernel.keptRows(source, batch: batch, queryRows: queryRows)
            let input = residual.map { UnsafePointer($0.base) } ?? source
            let chunks = Swift.min(Swift.max(threads, (outputRows + 127) / 128), outputRows)
            Parallelism.forEachIndex(chunks) { chunk in
                let start = outputRows * chunk / chunks, end = outputRows * (chunk + 1) / chunks
                guard end > start else { return }
                kernel.positionWise(attended: attended.base + start * d, input: input + start * d, output: destination + start * d, rows: end - start)
            }
            withExtendedLifetime(residual) {}
            source = UnsafePointer(destination)
        }
        return result
    }

    /// `t` when the `[sequence, sequence]` 0/1 mask `mask` allows exactly the keys `0..<t` to
    /// every query (`1 ≤ t`), else `nil`.
    static func prefixKeyCount(_ mask: UnsafePointer<Float>, sequence: Int) -> Int? {
        var t = 0
        while t < sequence && mask[t] == 1 { t += 1 }
        guard t >= 1 else { return nil }
        for query in 0..<sequence {
            let row = mask + query * sequence
            for key in 0..<sequence where row[key] != (key < t ? 1 : 0) { return nil }
        }
        return t
    }

    /// Reports a block whose shapes do not fit model size `d`.
    private static func checkBlock(_ p: EncoderBlockParameters, index: Int, modelSize d: Int) -> Bool {
        let f = p.feedForwardSize, heads = p.headCount
        func fits(_ tensor: Tensor?, _ shape: [Int]) -> Bool { tensor.map { $0.shape == shape } ?? true }
        return check(heads > 0 && d > 0 && f > 0 && d % heads == 0 && p.modelSize == d, .shapeMismatch,
                     "encoderBlocksInference: block \(index) has model size \(p.modelSize) and \(heads) heads for inputs of \(d) features, feed-forward size \(f)")
            && check(fits(p.queryWeight, [d, d]) && fits(p.keyWeight, [d, d]) && fits(p.valueWeight, [d, d]) && fits(p.outputWeight, [d, d])
                     && fits(p.queryBias, [d]) && fits(p.keyBias, [d]) && fits(p.valueBias, [d]) && fits(p.outputBias, [d])
                     && fits(p.feedForwardInWeight, [f, d]) && fits(p.feedForwardInBias, [f])
                     && fits(p.feedForwardOutWeight, [d, f]) && fits(p.feedForwardOutBias, [d])
                     && fits(p.attentionNormGain, [d]) && fits(p.attentionNormBias, [d])
                     && fits(p.feedForwardNormGain, [d]) && fits(p.feedForwardNormBias, [d]),
                     .shapeMismatch, "encoderBlocksInference: parameter shapes of block \(index) do not fit model size \(d) and feed-forward size \(f)")
    }
}

/// One block of ``Tensor/encoderBlocksInference(_:blocks:mask:)`` on raw row blocks.
/// Every method is single-threaded and allocates its own scratch, so threads may run them on
/// disjoint rows at once.
struct EncoderBlockKernel {
    let p: EncoderBlockParameters
    let d: Int, f: Int, headSize: Int, sequence: Int
    /// The rows every query attends to, `0..<keys` (the whole sequence unless the mask is a
    /// shared prefix, ``Tensor/prefixKeyCount(_:sequence:)``).
    let keys: Int
    let mask: UnsafePointer<Float>?

    init(parameters: EncoderBlockParameters, sequence: Int, keys: Int, mask: UnsafePointer<Float>?) {
        p = parameters
        d = parameters.modelSize
        f = parameters.feedForwardSize
        headSize = d / parameters.headCount
        self.sequence = sequence
        self.keys = keys
        self.mask = mask
    }

    /// The block on `count` consecutive sequences `[count, sequence, d]`, for the rows
    /// `queryRows` of each (all of them but in the last block of a pruned stack): attention one
    /// sequence at a time, then the position-wise part on all their kept rows at once. Writes
    /// `[count, queryRows.count, d]`.
    func sequences(_ x: UnsafePointer<Float>, count: Int, queryRows: Range<Int>, output: UnsafeMutablePointer<Float>) {
        let kept = queryRows.count
        let scratch = TensorStorage(uninitializedCount: (sequence * 3 + count * kept) * d)
        let queryKeyValue = scratch.base, attended = scratch.base + sequence * 3 * d
        for index in 0..<count {
            attention(x + index * sequence * d, heads: 0..<p.headCount, queryRows: queryRows, queryKeyValue: queryKeyValue,
                      output: attended + index * kept * d)
        }
        let residual = keptRows(x, batch: count, queryRows: queryRows)
        positionWise(attended: attended, input: residual.map { UnsafePointer($0.base) } ?? x, output: output, rows: count * kept)
        withExtendedLifetime(residual) {}
    }

    /// The rows `queryRows` of each of `batch` sequences at `x`, gathered contiguously
    /// `[batch, queryRows.count, d]`; `nil` when that is every row (use `x` itself).
    func keptRows(_ x: UnsafePointer<Float>, batch: Int, queryRows: Range<Int>) -> TensorStorage? {
        guard queryRows.count < sequence else { return nil }
        let kept = queryRows.count
        let gathered = TensorStorage(uninitializedCount: batch * kept * d)
        for item in 0..<batch {
            (gathered.base + item * kept * d).update(from: x + (item * sequence + queryRows.lowerBound) * d, count: kept * d)
        }
        return gathered
    }

    /// Self-attention of one sequence for the heads in `heads`, before the output projection:
    /// projects those heads' keys and values for the rows `0..<keys`, and their queries for the rows
    /// `queryRows`, into `queryKeyValue` `[sequence, 3d]` (query, key, value side by side), and
    /// writes the attended values of the query rows into the heads' columns of `output`
    /// `[queryRows.count, d]`. Pre-normalisation blocks normalise `x` first.
    func attention(_ x: UnsafePointer<Float>, heads: Range<Int>, queryRows: Range<Int>,
                   queryKeyValue: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>) {
        guard !heads.isEmpty else { return }
        let scratch = TensorStorage(uninitializedCount: sequence * (sequence + 1) + (p.normalizesFirst ? sequence * d : 0))
        let scores = scratch.base, rowScales = scratch.base + sequence * sequence
        var source = x
        if p.normalizesFirst {
            let normalized = scratch.base + sequence * (sequence + 1)
            let gain = p.attentionNormGain.storage.base, bias = p.attentionNormBias.storage.base
            for row in 0..<sequence {
                VectorMath.normalizeRow(x + row * d, into: normalized + row * d, count: d, gain: gain, bias: bias, epsilon: p.epsilon)
            }
            source = UnsafePointer(normalized)
        }
        let columns = heads.lowerBound * headSize, width = heads.count * headSize
        for (index, (weight, bias)) in [(p.queryWeight, p.queryBias), (p.keyWeight, p.keyBias), (p.valueWeight, p.valueBias)].enumerated() {
            let rows = index == 0 ? queryRows : 0..<keys
            Self.project(source + rows.lowerBound * d, lda: d, rows: rows.count, inputSize: d, weight: weight.storage.base + columns * d,
                         bias: bias.map { UnsafePointer($0.storage.base + columns) }, outputSize: width,
                         into: queryKeyValue + rows.lowerBound * 3 * d + index * d + columns, ldc: 3 * d)
        }
        let scale = 1 / Float(headSize).squareRoot()
        for head in heads {
            let column = head * headSize
            Tensor.attendHead(query: queryKeyValue + queryRows.lowerBound * 3 * d + column, key: queryKeyValue + d + column,
                              value: queryKeyValue + 2 * d + column,
                              output: output + column, queryStride: 3 * d, keyStride: 3 * d, valueStride: 3 * d, outputStride: d,
                              queries: queryRows.count, keys: keys, headSize: headSize, valueSize: headSize, scale: scale,
                              mask: mask.map { $0 + queryRows.lowerBound * sequence }, scores: scores, rowScales: rowScales)
        }
    }

    /// The position-wise rest of the block on `rows` rows: output projection, residual sums,
    /// normalisations and the feed-forward network. `attended` holds the heads' attended values
    /// `[rows, d]`, `input` the block's input rows.
    func positionWise(attended: UnsafePointer<Float>, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, rows: Int) {
        let scratch = TensorStorage(uninitializedCount: rows * (2 * d + f))
        let mixed = scratch.base, normalized = scratch.base + rows * d, hidden = scratch.base + 2 * rows * d
        // mixed = input + attended W_Oᵀ + b_O
        Self.project(attended, lda: d, rows: rows, inputSize: d, weight: p.outputWeight.storage.base, bias: nil, outputSize: d, into: mixed, ldc: d)
        Self.addRows(mixed, rows: rows, count: d, bias: p.outputBias.map { UnsafePointer($0.storage.base) }, residual: input)
        let gain1 = p.attentionNormGain.storage.base, beta1 = p.attentionNormBias.storage.base
        let gain2 = p.feedForwardNormGain.storage.base, beta2 = p.feedForwardNormBias.storage.base
        // The feed-forward network's input: LN₁(mixed) in place (post), or LN₂(mixed) aside (pre).
        let feedForwardInput = p.normalizesFirst ? normalized : mixed
        for row in 0..<rows {
            let r = mixed + row * d
            if p.normalizesFirst {
                VectorMath.normalizeRow(r, into: normalized + row * d, count: d, gain: gain2, bias: beta2, epsilon: p.epsilon)
            } else {
                VectorMath.normalizeRow(r, into: r, count: d, gain: gain1, bias: beta1, epsilon: p.epsilon)
            }
        }
        Self.project(feedForwardInput, lda: d, rows: rows, inputSize: d, weight: p.feedForwardInWeight.storage.base, bias: nil,
                     outputSize: f, into: hidden, ldc: f)
        activate(hidden, rows: rows)
        if p.normalizesFirst {
            // output = mixed + hidden W₂ᵀ + b₂
            Self.project(hidden, lda: f, rows: rows, inputSize: f, weight: p.feedForwardOutWeight.storage.base, bias: nil,
                         outputSize: d, into: output, ldc: d)
            Self.addRows(output, rows: rows, count: d, bias: p.feedForwardOutBias.map { UnsafePointer($0.storage.base) }, residual: mixed)
        } else {
            // output = LN₂(mixed + hidden W₂ᵀ + b₂)
            Self.project(hidden, lda: f, rows: rows, inputSize: f, weight: p.feedForwardOutWeight.storage.base, bias: nil,
                         outputSize: d, into: normalized, ldc: d)
            Self.addRows(normalized, rows: rows, count: d, bias: p.feedForwardOutBias.map { UnsafePointer($0.storage.base) }, residual: mixed)
            for row in 0..<rows {
                VectorMath.normalizeRow(normalized + row * d, into: output + row * d, count: d, gain: gain2, bias: beta2, epsilon: p.epsilon)
            }
        }
    }

    /// `hidden ← act(hidden + b₁)` on `[rows, f]`.
    private func activate(_ hidden: UnsafeMutablePointer<Float>, rows: Int) {
        let bias = p.feedForwardInBias?.storage.base
        for row in 0..<rows {
            let h = hidden + row * f
            if let bias { for j in 0..<f { h[j] += bias[j] } }
            switch p.activation {
            case .relu: let relu = Unary.ReLU(); for j in 0..<f { h[j] = relu(h[j]) }
            case .gelu: let gelu = Unary.GELU(); for j in 0..<f { h[j] = gelu(h[j]) }
            case .identity: break
            }
        }
    }

    /// `c[rows, outputSize] = a[rows, inputSize] · Wᵀ (+ b)` with `W` `[outputSize, inputSize]` rows
    /// contiguous; single-threaded.
    static func project(_ a: UnsafePointer<Float>, lda: Int, rows: Int, inputSize: Int, weight: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, outputSize: Int, into c: UnsafeMutablePointer<Float>, ldc: Int) {
        BLAS.sgemm(transposeA: false, transposeB: true, m: rows, n: outputSize, k: inputSize,
                   a: a, lda: lda, b: weight, ldb: inputSize, c: c, ldc: ldc, parallel: false)
        if let bias {
            for row in 0..<rows {
                let r = c + row * ldc
                for j in 0..<outputSize { r[j] += bias[j] }
            }
        }
    }

    /// `x[row] += bias + residual[row]` on `[rows, count]` blocks, rows contiguous.
    static func addRows(_ x: UnsafeMutablePointer<Float>, rows: Int, count: Int, bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>) {
        for row in 0..<rows {
            let r = x + row * count, s = residual + row * count
            if let bias {
                for j in 0..<count { r[j] += bias[j] + s[j] }
            } else {
                for j in 0..<count { r[j] += s[j] }
            }
        }
    }
}
