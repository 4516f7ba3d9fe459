// Layer normalisation over the last axis (Ba, Kiros & Hinton 2016), fused forward and backward.

extension Tensor {
    /// `y = (x − μ) / √(σ² + ε) · gain + bias` over the last axis, with `μ`, `σ²` the mean and
    /// (biased) variance of each row.
    ///
    /// Shapes: `x` is `[…, features]`; `gain` and `bias` are `[features]` (either may be `nil`).
    /// Derivative with `x̂ = (x − μ)/σ`, `ĝ = g ⊙ gain`:
    /// `∂L/∂x = (ĝ − mean(ĝ) − x̂ ⊙ mean(ĝ ⊙ x̂)) / σ`, `∂L/∂gain = Σ g ⊙ x̂`, `∂L/∂bias = Σ g`.
    public func layerNormalized(gain: Tensor? = nil, bias: Tensor? = nil, epsilon: Float = 1e-5) -> Tensor {
        let n = shape.last ?? 0
        guard check(rank >= 1 && n > 0, .invalidArgument, "layerNorm: needs a non-empty last axis, got shape \(shape)"),
              check(gain.map { $0.shape == [n] } ?? true, .shapeMismatch,
                    "layerNorm: gain of shape \(gain?.shape ?? []) does not match features \(n) of input shape \(shape)"),
              check(bias.map { $0.shape == [n] } ?? true, .shapeMismatch,
                    "layerNorm: bias of shape \(bias?.shape ?? []) does not match features \(n) of input shape \(shape)")
        else { return .placeholder }
        let rows = scalarCount / n
        let normalized = Tensor(uninitializedShape: shape), result = Tensor(uninitializedShape: shape)
        let inverseDeviation = Tensor(uninitializedShape: Array(shape.dropLast()) + [1])
        let x = storage.base, xhat = normalized.storage.base, y = result.storage.base, r = inverseDeviation.storage.base
        let gamma = gain?.storage.base, beta = bias?.storage.base
        Parallelism.forEachRange(rows, minimumChunk: Swift.max(1, Tensor.parallelChunk / n)) { range in
          for row in range {
            let input = x + row * n, output = y + row * n, hat = xhat + row * n
            var mean: Float = 0
            for j in 0..<n { mean += input[j] }
            mean /= Float(n)
            var variance: Float = 0
            for j in 0..<n { let d = input[j] - mean; variance += d * d }
            let inverse = 1 / (variance / Float(n) + epsilon).squareRoot()
            r[row] = inverse
            for j in 0..<n {
                let h = (input[j] - mean) * inverse
                hat[j] = h
                output[j] = h * (gamma?[j] ?? 1) + (beta?[j] ?? 0)
            }
          }
        }
        let features = n
        var inputs = [self], pullbacks: [(Tensor) -> Tensor] = [{ g in
            if GradientMode.isRecording {
                // Differentiable form, so second derivatives see how μ and σ depend on x.
                let centered = self - self.mean(alongAxis: -1, keepingDimensions: true)
                let inverse = ((centered * centered).mean(alongAxis: -1, keepingDimensions: true) + epsilon).rsqrt()
                let hat = centered * inverse
                let scaled = gain.map { g * $0 } ?? g
                return (scaled - scaled.mean(alongAxis: -1, keepingDimensions: true)
                        - hat * (scaled * hat).mean(alongAxis: -1, keepingDimensions: true)) * inverse
            }
            return Self.layerNormBackward(g, normalized: normalized, inverseDeviation: inverseDeviation, gain: gain)
        }]
        if let gain {
            inputs.append(gain)
            pullbacks.append { g in
                let hat = GradientMode.isRecording
                    ? (self - self.mean(alongAxis: -1, keepingDimensions: true))
                        * (self.variance(alongAxis: -1, keepingDimensions: true) + epsilon).rsqrt()
                    : normalized
                return (g * hat).reshaped(to: [-1, features]).sum(alongAxis: 0)
            }
        }
        if let bias {
            inputs.append(bias)
            pullbacks.append { g in g.reshaped(to: [-1, features]).sum(alongAxis: 0) }
        }
        return Self.record(result, "layerNorm", inputs: inputs, pullbacks: pullbacks)
    }

    /// The fused input gradient of layer normalisation for backward passes that are not recorded.
    static func layerNormBackward(_ g: Tensor, normalized: Tensor, inverseDeviation: Tensor, gain: Tensor?) -> Tensor {
        let n = g.shape.last ?? 1
        let rows = g.scalarCount / n
        let result = Tensor(uninitializedShape: g.shape)
        let gg = g.storage.base, hat = normalized.storage.base, r = inverseDeviation.storage.base, out = result.storage.base
        let gamma = gain?.storage.base
        Parallelism.forEachRange(rows, minimumChunk: Swift.max(1, parallelChunk / n)) { range in
          for row in range {
            let grad = gg + row * n, h = hat + row * n, o = out + row * n
            var meanScaled: Float = 0, meanScaledHat: Float = 0
            for j in 0..<n {
                let s = grad[j] * (gamma?[j] ?? 1)
                meanScaled += s
                meanScaledHat += s * h[j]
            }
            meanScaled /= Float(n)
            meanScaledHat /= Float(n)
            let inverse = r[row]
            for j in 0..<n {
                let s = grad[j] * (gamma?[j] ?? 1)
                o[j] = (s - meanScaled - h[j] * meanScaledHat) * inverse
            }
          }
        }
        return result
    }
}
