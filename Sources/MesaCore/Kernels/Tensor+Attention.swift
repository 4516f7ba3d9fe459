import Foundation

// Scaled dot-product attention (Vaswani et al. 2017): a fused kernel per (batch, head) for
// speed, with derivative rules written twice: fused loops when the backward pass is not
// recorded, and differentiable operations when it is (so second derivatives work).

extension Tensor {
    /// `softmax(Q Kᵀ / √d + M) V`.
    ///
    /// Shapes: `query` `[…, queries, d]`, `key` `[…, keys, d]`, `value` `[…, keys, dv]` →
    /// `[…, queries, dv]`. `mask`, broadcastable to `[…, queries, keys]`, holds 1 where a query
    /// may attend to a key and 0 where it may not (``causalMask(size:)`` for autoregressive
    /// attention); a row with no allowed key attends uniformly.
    ///
    /// Derivatives with `P` the attention weights, `G` the output gradient:
    /// `∂V = Pᵀ G`, `∂S = P ⊙ (G Vᵀ − rowsum(P ⊙ G Vᵀ)) / √d`, `∂Q = ∂S K`, `∂K = ∂Sᵀ Q`.
    public static func scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, mask: Tensor? = nil) -> Tensor {
        let d = query.shape.last ?? 0
        guard check(query.rank >= 2 && key.rank == query.rank && value.rank == query.rank, .shapeMismatch,
                    "attention: query \(query.shape), key \(key.shape) and value \(value.shape) need the same rank ≥ 2"),
              check(key.shape.last == d, .shapeMismatch, "attention: query \(query.shape) and key \(key.shape) differ in feature size"),
              check(key.shape[key.rank - 2] == value.shape[value.rank - 2], .shapeMismatch,
                    "attention: key \(key.shape) and value \(value.shape) differ in number of keys")
        else { return .placeholder }
        let queries = query.shape[query.rank - 2], keys = key.shape[key.rank - 2]
        let batch = Array(query.shape.dropLast(2))
        let scoreShape = batch + [queries, keys]
        var additiveMask: Tensor?
        if let mask {
            guard let joined = Broadcasting.shape(mask.shape, scoreShape), joined == scoreShape else {
                raise(TensorError(.shapeMismatch, "attention: mask of shape \(mask.shape) does not broadcast to scores of shape \(scoreShape)"))
                return .placeholder
            }
            // 0 where allowed, −10³⁰ where blocked (finite, so no NaN from −∞ − −∞).
            additiveMask = (mask.detached() - 1) * 1e30
        }
        let sameBatch = Array(key.shape.dropLast(2)) == batch && Array(value.shape.dropLast(2)) == batch
        guard sameBatch, d > 0, queries > 0, keys > 0 else {
            return composedAttention(query: query, key: key, value: value, additiveMask: additiveMask)
        }
        let layout = HeadLayout(headCount: 1, queries: queries, keys: keys, headSize: d, valueSize: value.shape.last!)
        return fusedAttention(query: query, key: key, value: value, layout: layout, batch: batch, additiveMask: additiveMask)
    }

    /// Attention from differentiable operations (any broadcasting; recorded backward passes).
    static func composedAttention(query: Tensor, key: Tensor, value: Tensor, additiveMask: Tensor?) -> Tensor {
        let scale = 1 / Float(query.shape.last ?? 1).squareRoot()
        var scores = matmul(query, key, transposeB: true) * scale
        if let additiveMask { scores = scores + additiveMask }
        return scores.softmax().matmul(value)
    }

    /// How the heads of a fused attention call are laid out in memory: `headCount` heads side by
    /// side in the last axis (`[…, sequence, headCount × headSize]`, the layout of a projection's
    /// output), or one head per leading index (`headCount == 1`, `[…, sequence, headSize]`).
    struct HeadLayout {
        var headCount: Int
        var queries: Int, keys: Int, headSize: Int, valueSize: Int
        /// Row strides of query/key and value/output rows.
        var keyRowStride: Int { headCount * headSize }
        var valueRowStride: Int { headCount * valueSize }
        /// Offsets of group `g = batch · headCount + head` into query, key, value and output.
        func queryOffset(_ g: Int) -> Int { (g / headCount) * queries * keyRowStride + (g % headCount) * headSize }
        func keyOffset(_ g: Int) -> Int { (g / headCount) * keys * keyRowStride + (g % headCount) * headSize }
        func valueOffset(_ g: Int) -> Int { (g / headCount) * keys * valueRowStride + (g % headCount) * valueSize }
        func outputOffset(_ g: Int) -> Int { (g / headCount) * queries * valueRowStride + (g % headCount) * valueSize }
    }

    /// Multi-head attention on projections whose heads sit side by side in the last axis, with no
    /// copy to split or merge heads: head `h` of `query` `[…, queries, heads × d]` is columns
    /// `h·d ..< (h+1)·d`. Returns `[…, queries, heads × dv]` with the heads side by side again.
    ///
    /// Equivalent to splitting heads (`reshape` to `[…, queries, heads, d]`, moving the head axis
    /// before the sequence), ``scaledDotProductAttention(query:key:value:mask:)``, and merging back.
    /// `mask` broadcasts to `[…, heads, queries, keys]` (1 attend, 0 blocked).
    public static func multiHeadAttention(query: Tensor, key: Tensor, value: Tensor, headCount: Int, mask: Tensor? = nil) -> Tensor {
        guard check(headCount > 0 && query.rank >= 2 && key.rank == query.rank && value.rank == query.rank, .shapeMismatch,
                    "multiHeadAttention: query \(query.shape), key \(key.shape), value \(value.shape) need the same rank ≥ 2 and headCount > 0"),
              check(query.shape.last! % headCount == 0 && value.shape.last! % headCount == 0 && key.shape.last == query.shape.last,
                    .shapeMismatch, "multiHeadAttention: feature sizes of query \(query.shape), key \(key.shape), value \(value.shape) do not split into \(headCount) heads"),
              check(Array(key.shape.dropLast(2)) == Array(query.shape.dropLast(2)) && key.shape.dropLast() == value.shape.dropLast(),
                    .shapeMismatch, "multiHeadAttention: query \(query.shape), key \(key.shape) and value \(value.shape) differ in batch or key count")
        else { return .placeholder }
        let batch = Array(query.shape.dropLast(2))
        let layout = HeadLayout(headCount: headCount, queries: query.shape[query.rank - 2], keys: key.shape[key.rank - 2],
                                headSize: query.shape.last! / headCount, valueSize: value.shape.last! / headCount)
        let scoreShape = batch + [headCount, layout.queries, layout.keys]
        var additiveMask: Tensor?
        if let mask {
            guard let joined = Broadcasting.shape(mask.shape, scoreShape), joined == scoreShape else {
                raise(TensorError(.shapeMismatch, "multiHeadAttention: mask of shape \(mask.shape) does not broadcast to scores of shape \(scoreShape)"))
                return .placeholder
            }
            additiveMask = (mask.detached() - 1) * 1e30
        }
        guard layout.headSize > 0, layout.queries > 0, layout.keys > 0 else {
            func split(_ x: Tensor, _ size: Int) -> Tensor {
                x.reshaped(to: batch + [x.shape[x.rank - 2], headCount, size]).permuted(Array(0..<batch.count) + [batch.count + 1, batch.count, batch.count + 2])
            }
            let attended = composedAttention(query: split(query, layout.headSize), key: split(key, layout.headSize),
                                             value: split(value, layout.valueSize), additiveMask: additiveMask)
            return attended.permuted(Array(0..<batch.count) + [batch.count + 1, batch.count, batch.count + 2])
                .reshaped(to: batch + [layout.queries, headCount * layout.valueSize])
        }
        return fusedAttention(query: query, key: key, value: value, layout: layout, batch: batch, additiveMask: additiveMask)
    }

    /// One fused pass per (batch, head): scores, mask, softmax and the weighted sum of values,
    /// keeping the weights `P` `[…, heads, queries, keys]` for the backward pass when one will be
    /// recorded (in inference each thread reuses one small scores block instead).
    static func fusedAttention(query: Tensor, key: Tensor, value: Tensor, layout: HeadLayout, batch: [Int], additiveMask: Tensor?) -> Tensor {
        let (queries, keys, d, dv) = (layout.queries, layout.keys, layout.headSize, layout.valueSize)
        let groups = batch.reduce(1, *) * layout.headCount
        let scale = 1 / Float(d).squareRoot()
        let groupShape = layout.headCount == 1 ? batch : batch + [layout.headCount]
        // A mask shared by all groups is read in place (its leading axes of size 1 dropped first:
        // broadcasting cannot lower a rank); otherwise it is laid out per group.
        let maskIsShared = additiveMask.map { $0.shape.dropLast(2).allSatisfy { $0 == 1 } } ?? true
        let mask = additiveMask.map { maskIsShared ? $0.reshaped(to: Array($0.shape.suffix(2))).broadcast(to: [queries, keys]) : $0.broadcast(to: groupShape + [queries, keys]) }
        let result = Tensor(uninitializedShape: batch + [queries, layout.valueRowStride])
        let q = query.storage.base, k = key.storage.base, v = value.storage.base
        let o = result.storage.base, m = mask?.storage.base
        let ldk = layout.keyRowStride, ldv = layout.valueRowStride
        let needsWeights = GradientMode.isRecording && [query, key, value].contains { $0.node != nil }
        guard needsWeights else {
            // Inference: each thread keeps one group's scores in a small scratch block.
            Parallelism.forEachRange(groups, minimumChunk: 1) { range in
                let scratch = TensorStorage(uninitializedCount: queries * keys + queries)
                for group in range {
                    attendHead(query: q + layout.queryOffset(group), key: k + layout.keyOffset(group), value: v + layout.valueOffset(group),
                               output: o + layout.outputOffset(group), queryStride: ldk, keyStride: ldk, valueStride: ldv, outputStride: ldv,
                               queries: queries, keys: keys, headSize: d, valueSize: dv, scale: scale,
                               mask: m.map { maskIsShared ? $0 : $0 + group * queries * keys }, scores: scratch.base,
                               rowScales: scratch.base + queries * keys)
                }
            }
            return result
        }
        let weights = Tensor(uninitializedShape: groupShape + [queries, keys])
        let p = weights.storage.base
        Parallelism.forEachRange(groups, minimumChunk: 1) { range in
            for group in range {
                attendHead(query: q + layout.queryOffset(group), key: k + layout.keyOffset(group), value: v + layout.valueOffset(group),
                           output: o + layout.outputOffset(group), queryStride: ldk, keyStride: ldk, valueStride: ldv, outputStride: ldv,
                           queries: queries, keys: keys, headSize: d, valueSize: dv, scale: scale,
                           mask: m.map { maskIsShared ? $0 : $0 + group * queries * keys }, scores: p + group * queries * keys)
            }
        }
        // The three pullbacks share ∂S: the first to run computes the fused gradients, the
        // others take theirs from the cache (keyed by the output gradient's storage).
        let cache = AttentionGradientCache()
        func fusedGradients(_ g: Tensor) -> (Tensor, Tensor, Tensor) {
            if let cached = cache.gradients, cached.key === g.storage { return cached.value }
            let computed = fusedAttentionBackward(g, query: query, key: key, value: value, weights: weights, layout: layout, scale: scale)
            cache.gradients = (g.storage, computed)
            return computed
        }
        func recorded(_ g: Tensor) -> (Tensor, Tensor, Tensor) {
            // The same formulas from differentiable operations, on heads moved to their own axis.
            let heads = layout.headCount
            let headAxis = batch.count, sequenceAxis = batch.count + 1
            let order = Array(0..<batch.count) + [sequenceAxis, headAxis, batch.count + 2]   // swaps heads and sequence
            func split(_ x: Tensor, _ size: Int) -> Tensor {
                heads == 1 ? x : x.reshaped(to: batch + [x.shape[x.rank - 2], heads, size]).permuted(order)
            }
            func merge(_ x: Tensor) -> Tensor {
                heads == 1 ? x : x.permuted(order).reshaped(to: batch + [x.shape[x.rank - 2], heads * x.shape[x.rank - 1]])
            }
            let (qs, ks, vs, gs) = (split(query, d), split(key, d), split(value, dv), split(g, dv))
            let probabilities = (matmul(qs, ks, transposeB: true) * scale + (mask ?? Tensor(0))).softmax()
            let valueGradient = matmul(probabilities, gs, transposeA: true)
            let weightGradient = matmul(gs, vs, transposeB: true)
            let scoreGradient = probabilities * (weightGradient - (weightGradient * probabilities).sum(alongAxis: -1, keepingDimensions: true)) * scale
            return (merge(matmul(scoreGradient, ks)), merge(matmul(scoreGradient, qs, transposeA: true)), merge(valueGradient))
        }
        func pick(_ index: Int) -> (Tensor) -> Tensor {
            { g in
                let all = GradientMode.isRecording ? recorded(g) : fusedGradients(g)
                return index == 0 ? all.0 : (index == 1 ? all.1 : all.2)
            }
        }
        return record(result, "attention", inputs: [query, key, value], pullbacks: [pick(0), pick(1), pick(2)])
    }

    /// `∂Q, ∂K, ∂V` of fused attention for a backward pass that is not recorded.
    static func fusedAttentionBackward(
        _ g: Tensor, query: Tensor, key: Tensor, value: Tensor, weights: Tensor, layout: HeadLayout, scale: Float
    ) -> (Tensor, Tensor, Tensor) {
        let (queries, keys, d, dv) = (layout.queries, layout.keys, layout.headSize, layout.valueSize)
        let groups = weights.scalarCount / (queries * keys)
        let queryGradient = Tensor(uninitializedShape: query.shape), keyGradient = Tensor(uninitializedShape: key.shape)
        let valueGradient = Tensor(uninitializedShape: value.shape)
        let scratch = Tensor(uninitializedShape: [groups, queries, keys])
        let q = query.storage.base, k = key.storage.base, v = value.storage.base, p = weights.storage.base
        let gg = g.storage.base, dq = queryGradient.storage.base, dk = keyGradient.storage.base, dvOut = valueGradient.storage.base
        let s = scratch.storage.base
        let ldk = layout.keyRowStride, ldv = layout.valueRowStride
        Parallelism.forEachRange(groups, minimumChunk: 1) { range in
            for group in range {
                let probabilities = p + group * queries * keys, outputGradient = gg + layout.outputOffset(group)
                let scores = s + group * queries * keys
                // ∂V = Pᵀ G
                BLAS.sgemm(transposeA: true, transposeB: false, m: keys, n: dv, k: queries,
                           a: probabilities, lda: keys, b: outputGradient, ldb: ldv, c: dvOut + layout.valueOffset(group), ldc: ldv,
                           parallel: false)
                // ∂P = G Vᵀ, then ∂S = P ⊙ (∂P − rowsum(P ⊙ ∂P)) · scale, in place
                BLAS.sgemm(transposeA: false, transposeB: true, m: queries, n: keys, k: dv,
                           a: outputGradient, lda: ldv, b: v + layout.valueOffset(group), ldb: ldv, c: scores, ldc: keys, parallel: false)
                for row in 0..<queries {
                    let pr = probabilities + row * keys, sr = scores + row * keys
                    var dot: Float = 0
                    for j in 0..<keys { dot += pr[j] * sr[j] }
                    for j in 0..<keys { sr[j] = pr[j] * (sr[j] - dot) * scale }
                }
                // ∂Q = ∂S K, ∂K = ∂Sᵀ Q
                BLAS.sgemm(transposeA: false, transposeB: false, m: queries, n: d, k: keys,
                           a: scores, lda: keys, b: k + layout.keyOffset(group), ldb: ldk, c: dq + layout.queryOffset(group), ldc: ldk,
                           parallel: false)
                BLAS.sgemm(transposeA: true, transposeB: false, m: keys, n: d, k: queries,
                           a: scores, lda: keys, b: q + layout.queryOffset(group), ldb: ldk, c: dk + layout.keyOffset(group), ldc: ldk,
                           parallel: false)
            }
        }
        return (queryGradient, keyGradient, valueGradient)
    }

    /// One head of attention on strided rows: `S = scale · Q Kᵀ (+ M)` into `scores`
    /// `[queries, keys]`, softmax of each row, and `output = softmax(S) V`.
    ///
    /// `mask`, when given, is an additive `[queries, keys]` block (0 allowed, −10³⁰ blocked).
    /// With `rowScales` (room for `queries` floats) the rows are left unnormalised, `e^(S − max)`,
    /// and the output rows are divided by their sums instead (`dv` rather than `keys` divisions
    /// per row: inference); without it, `scores` ends holding the weights `P` (for a backward
    /// pass). Single-threaded: callers split heads across threads.
    @inline(__always)
    static func attendHead(
        query: UnsafePointer<Float>, key: UnsafePointer<Float>, value: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
        queryStride: Int, keyStride: Int, valueStride: Int, outputStride: Int,
        queries: Int, keys: Int, headSize: Int, valueSize: Int, scale: Float,
        mask: UnsafePointer<Float>?, scores: UnsafeMutablePointer<Float>, rowScales: UnsafeMutablePointer<Float>? = nil
    ) {
        BLAS.sgemm(transposeA: false, transposeB: true, m: queries, n: keys, k: headSize, alpha: scale,
                   a: query, lda: queryStride, b: key, ldb: keyStride, c: scores, ldc: keys, parallel: false)
        if let mask {
            for index in 0..<(queries * keys) { scores[index] += mask[index] }
        }
        if let rowScales {
            for row in 0..<queries {
                let r = scores + row * keys
                var maximum = VectorMath.maximum(r, count: keys)
                if maximum == -.infinity { maximum = 0 }
                rowScales[row] = 1 / VectorMath.exponentiate(r, count: keys, belowMaximum: maximum)
            }
        } else {
            softmaxRows(scores, rows: queries, columns: keys)
        }
        BLAS.sgemm(transposeA: false, transposeB: false, m: queries, n: valueSize, k: keys,
                   a: scores, lda: keys, b: value, ldb: valueStride, c: output, ldc: outputStride, parallel: false)
        if let rowScales {
            for row in 0..<queries {
                let o = output + row * outputStride, factor = rowScales[row]
                for j in 0..<valueSize { o[j] *= factor }
            }
        }
    }

    /// In-place softmax of each row of a `[rows, columns]` block.
    @inline(__always)
    static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        for row in 0..<rows {
            let r = x + row * columns
            var maximum = VectorMath.maximum(r, count: columns)
            if maximum == -.infinity { maximum = 0 }
            let inverse = 1 / VectorMath.exponentiate(r, count: columns, belowMaximum: maximum)
            for j in 0..<columns { r[j] *= inverse }
        }
    }
}

/// Holds the fused attention gradients between the three pullbacks of one backward pass.
final class AttentionGradientCache: @unchecked Sendable {
    var gradients: (key: TensorStorage, value: (Tensor, Tensor, Tensor))?
}
