import Foundation

// Softmax and log-softmax: fused row kernels along the last axis, whose derivative rules are
// written with differentiable operations (recomputed when the backward pass is recorded).

extension Tensor {
    /// `softmax(x)ᵢ = exp(xᵢ − max x) / Σⱼ exp(xⱼ − max x)` along `axis` (default: last).
    ///
    /// Derivative: `∂L/∂x = y ⊙ (g − Σ(y ⊙ g))` with `y = softmax(x)`.
    public func softmax(alongAxis axis: Int = -1) -> Tensor {
        guard let axis = normalizedAxis(axis, "softmax") else { return .placeholder }
        let y: Tensor
        if axis == rank - 1 {
            y = Self.rowSoftmax(detached(), logarithm: false)
        } else {
            let shifted = detached() - detached().max(alongAxis: axis, keepingDimensions: true)
            let e = shifted.exp()
            y = e / e.sum(alongAxis: axis, keepingDimensions: true)
        }
        return Self.record(y, "softmax", input: self) { g in
            if GradientMode.isRecording {
                let s = self.softmax(alongAxis: axis)
                return s * (g - (s * g).sum(alongAxis: axis, keepingDimensions: true))
            }
            if axis == self.rank - 1 { return Self.rowSoftmaxBackward(y, g) }
            return y * (g - (y * g).sum(alongAxis: axis, keepingDimensions: true))
        }
    }

    /// `log softmax(x) = x − logΣexp(x)` along `axis` (default: last), computed stably.
    ///
    /// Derivative: `∂L/∂x = g − softmax(x) ⊙ Σg`.
    public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
        guard let axis = normalizedAxis(axis, "logSoftmax") else { return .placeholder }
        let y: Tensor
        if axis == rank - 1 {
            y = Self.rowSoftmax(detached(), logarithm: true)
        } else {
            y = detached() - detached().logSumExp(alongAxis: axis, keepingDimensions: true)
        }
        return Self.record(y, "logSoftmax", input: self) { g in
            let probabilities = GradientMode.isRecording ? self.softmax(alongAxis: axis) : y.exp()
            return g - probabilities * g.sum(alongAxis: axis, keepingDimensions: true)
        }
    }

    /// Row-wise (last axis) softmax or log-softmax of a tensor that needs no gradient.
    static func rowSoftmax(_ x: Tensor, logarithm: Bool) -> Tensor {
        let n = x.shape.last ?? 1
        let rows = n == 0 ? 0 : x.scalarCount / n
        let result = Tensor(uninitializedShape: x.shape)
        let source = x.storage.base, destination = result.storage.base
        Parallelism.forEachRange(rows, minimumChunk: Swift.max(1, parallelChunk / Swift.max(n, 1))) { range in
            for row in range {
                let input = source + row * n, output = destination + row * n
                var maximum = VectorMath.maximum(input, count: n)
                if !maximum.isFinite { maximum = 0 }
                output.update(from: input, count: n)
                let total = VectorMath.exponentiate(output, count: n, shift: maximum)
                if logarithm {
                    let shift = maximum + Foundation.log(total)
                    for j in 0..<n { output[j] = input[j] - shift }
                } else {
                    let scale = 1 / total
                    for j in 0..<n { output[j] *= scale }
                }
            }
        }
        return result
    }

    /// `y ⊙ (g − Σ(y ⊙ g))` row by row (last axis), for backward passes that are not recorded.
    static func rowSoftmaxBackward(_ y: Tensor, _ g: Tensor) -> Tensor {
        let n = y.shape.last ?? 1
        let rows = n == 0 ? 0 : y.scalarCount / n
        let result = Tensor(uninitializedShape: y.shape)
        let p = y.storage.base, q = g.storage.base, r = result.storage.base
        Parallelism.forEachRange(rows, minimumChunk: Swift.max(1, parallelChunk / Swift.max(n, 1))) { range in
            for row in range {
                let yy = p + row * n, gg = q + row * n, out = r + row * n
                var dot: Float = 0
                for j in 0..<n { dot += yy[j] * gg[j] }
                for j in 0..<n { out[j] = yy[j] * (gg[j] - dot) }
            }
        }
        return result
    }
}
