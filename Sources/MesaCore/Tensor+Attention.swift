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
        return fusedAttention(query: query, key: key, value: value, additiveMask: additiveMask)
    }

    /// Attention from differentiable operations (any broadcasting; recorded backward passes).
    static func composedAttention(query: Tensor, key: Tensor, value: Tensor, additiveMask: Tensor?) -> Tensor {
        let scale = 1 / Float(query.shape.last ?? 1).squareRoot()
        var scores = matmul(query, key, transposeB: true) * scale
        if let additiveMask { scores = scores + additiveMask }
        return scores.softmax().matmul(value)
    }

    /// One fused pass per (batch, head): scores, mask, softmax and the weighted sum of values,
    /// keeping the weights `P` for the backward pass.
    static func fusedAttention(query: Tensor, key: Tensor, value: Tensor, additiveMask: Tensor?) -> Tensor {
        let d = query.shape.last!, dv = value.shape.last!
        let queries = query.shape[query.rank - 2], keys = key.shape[key.rank - 2]
        let batch = Array(query.shape.dropLast(2))
        let groups = batch.reduce(1, *)
        let scale = 1 / Float(d).squareRoot()
        // A mask shared by all groups is read in place; otherwise it is laid out per group.
        let maskIsShared = additiveMask.map { $0.shape.dropLast(2).allSatisfy { $0 == 1 } } ?? true
        let mask = additiveMask.map { maskIsShared ? $0.broadcast(to: [queries, keys]) : $0.broadcast(to: batch + [queries, keys]) }
        let weights = Tensor(uninitializedShape: batch + [queries, keys])
        let result = Tensor(uninitializedShape: batch + [queries, dv])
        let q = query.storage.base, k = key.storage.base, v = value.storage.base
        let p = weights.storage.base, o = result.storage.base, m = mask?.storage.base
        Parallelism.forEachRange(groups, minimumChunk: 1) { range in
            for group in range {
                let scores = p + group * queries * keys
                BLAS.sgemm(transposeA: false, transposeB: true, m: queries, n: keys, k: d, alpha: scale,
                           a: q + group * queries * d, lda: d, b: k + group * keys * d, ldb: d,
                           c: scores, ldc: keys, parallel: false)
                if let m {
                    let groupMask = maskIsShared ? m : m + group * queries * keys
                    for index in 0..<(queries * keys) { scores[index] += groupMask[index] }
                }
                softmaxRows(scores, rows: queries, columns: keys)
                BLAS.sgemm(transposeA: false, transposeB: false, m: queries, n: dv, k: keys,
                           a: scores, lda: keys, b: v + group * keys * dv, ldb: dv,
                           c: o + group * queries * dv, ldc: dv, parallel: false)
            }
        }
        // The three pullbacks share ∂S: the first to run computes the fused gradients, the
        // others take theirs from the cache (keyed by the output gradient's storage).
        let cache = AttentionGradientCache()
        func fusedGradients(_ g: Tensor) -> (Tensor, Tensor, Tensor) {
            if let cached = cache.gradients, cached.key === g.storage { return cached.value }
            let computed = fusedAttentionBackward(g, query: query, key: key, value: value, weights: weights, scale: scale)
            cache.gradients = (g.storage, computed)
            return computed
        }
        func recorded(_ g: Tensor) -> (Tensor, Tensor, Tensor) {
            let probabilities = (matmul(query, key, transposeB: true) * scale + (mask ?? Tensor(0))).softmax()
            let valueGradient = matmul(probabilities, g, transposeA: true)
            let weightGradient = matmul(g, value, transposeB: true)
            let scoreGradient = probabilities * (weightGradient - (weightGradient * probabilities).sum(alongAxis: -1, keepingDimensions: true)) * scale
            return (matmul(scoreGradient, key), matmul(scoreGradient, query, transposeA: true), valueGradient)
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
    static func fusedAttentionBackward(_ g: Tensor, query: Tensor, key: Tensor, value: Tensor, weights: Tensor, scale: Float) -> (Tensor, Tensor, Tensor) {
        let d = query.shape.last!, dv = value.shape.last!
        let queries = query.shape[query.rank - 2], keys = key.shape[key.rank - 2]
        let groups = query.scalarCount / (queries * d)
        let queryGradient = Tensor(uninitializedShape: query.shape), keyGradient = Tensor(uninitializedShape: key.shape)
        let valueGradient = Tensor(uninitializedShape: value.shape)
        let scratch = Tensor(uninitializedShape: [groups, queries, keys])
        let q = query.storage.base, k = key.storage.base, v = value.storage.base, p = weights.storage.base
        let gg = g.storage.base, dq = queryGradient.storage.base, dk = keyGradient.storage.base, dvOut = valueGradient.storage.base
        let s = scratch.storage.base
        Parallelism.forEachRange(groups, minimumChunk: 1) { range in
            for group in range {
                let probabilities = p + group * queries * keys, outputGradient = gg + group * queries * dv
                let scores = s + group * queries * keys
                // ∂V = Pᵀ G
                BLAS.sgemm(transposeA: true, transposeB: false, m: keys, n: dv, k: queries,
                           a: probabilities, lda: keys, b: outputGradient, ldb: dv, c: dvOut + group * keys * dv, ldc: dv, parallel: false)
                // ∂P = G Vᵀ, then ∂S = P ⊙ (∂P − rowsum(P ⊙ ∂P)) · scale, in place
                BLAS.sgemm(transposeA: false, transposeB: true, m: queries, n: keys, k: dv,
                           a: outputGradient, lda: dv, b: v + group * keys * dv, ldb: dv, c: scores, ldc: keys, parallel: false)
                for row in 0..<queries {
                    let pr = probabilities + row * keys, sr = scores + row * keys
                    var dot: Float = 0
                    for j in 0..<keys { dot += pr[j] * sr[j] }
                    for j in 0..<keys { sr[j] = pr[j] * (sr[j] - dot) * scale }
                }
                // ∂Q = ∂S K, ∂K = ∂Sᵀ Q
                BLAS.sgemm(transposeA: false, transposeB: false, m: queries, n: d, k: keys,
                           a: scores, lda: keys, b: k + group * keys * d, ldb: d, c: dq + group * queries * d, ldc: d, parallel: false)
                BLAS.sgemm(transposeA: true, transposeB: false, m: keys, n: d, k: queries,
                           a: scores, lda: keys, b: q + group * queries * d, ldb: d, c: dk + group * keys * d, ldc: d, parallel: false)
            }
        }
        return (queryGradient, keyGradient, valueGradient)
    }

    /// In-place softmax of each row of a `[rows, columns]` block.
    @inline(__always)
    static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        for row in 0..<rows {
            let r = x + row * columns
            var maximum = VectorMath.maximum(r, count: columns)
            if maximum == -.infinity { maximum = 0 }
            let inverse = 1 / VectorMath.exponentiate(r, count: columns, shift: maximum)
            for j in 0..<columns { r[j] *= inverse }
        }
    }
}

/// Holds the fused attention gradients between the three pullbacks of one backward pass.
final class AttentionGradientCache: @unchecked Sendable {
    var gradients: (key: TensorStorage, value: (Tensor, Tensor, Tensor))?
}
