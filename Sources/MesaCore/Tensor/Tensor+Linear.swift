// The affine map of a fully connected layer as one primitive: the bias is written into the
// output first and the product accumulated onto it (BLAS `beta = 1`), saving a pass and a buffer.

extension Tensor {
    /// `x Wᵀ + b` over the last axis.
    ///
    /// Shapes: `input` `[…, inputSize]`, `weight` `[outputSize, inputSize]` (PyTorch's layout),
    /// `bias` `[outputSize]` → `[…, outputSize]`. Derivatives, with `G` the output gradient over
    /// all leading positions: `∂x = G W`, `∂W = Gᵀ x`, `∂b = Σ G`.
    public static func linear(_ input: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
        guard check(weight.rank == 2, .shapeMismatch, "linear: weight must be [outputSize, inputSize], got \(weight.shape)"),
              check(input.rank >= 1 && input.shape.last == weight.shape[1], .shapeMismatch,
                    "linear: input of shape \(input.shape) does not end in the weight's input size (weight \(weight.shape))"),
              check(bias.map { $0.shape == [weight.shape[0]] } ?? true, .shapeMismatch,
                    "linear: bias of shape \(bias?.shape ?? []) does not match weight \(weight.shape)")
        else { return .placeholder }
        let inputSize = weight.shape[1], outputSize = weight.shape[0]
        let rows = inputSize == 0 ? input.shape.dropLast().reduce(1, *) : input.scalarCount / inputSize
        let outputShape = Array(input.shape.dropLast()) + [outputSize]
        let result = Tensor(uninitializedShape: outputShape)
        let c = result.storage.base
        if let bias {
            let b = bias.storage.base
            Parallelism.forEachRange(rows, minimumChunk: Swift.max(1, parallelChunk / Swift.max(outputSize, 1))) { range in
                for row in range { (c + row * outputSize).update(from: b, count: outputSize) }
            }
        }
        if rows > 0 && outputSize > 0 {
            if inputSize > 0 {
                BLAS.sgemm(transposeA: false, transposeB: true, m: rows, n: outputSize, k: inputSize,
                           a: input.storage.base, lda: inputSize, b: weight.storage.base, ldb: inputSize,
                           beta: bias == nil ? 0 : 1, c: c, ldc: outputSize)
            } else if bias == nil {
                c.update(repeating: 0, count: rows * outputSize)
            }
        }
        var inputs = [input, weight]
        var pullbacks: [(Tensor) -> Tensor] = [
            { g in matmul(g.reshaped(to: [rows, outputSize]), weight).reshaped(to: input.shape) },
            { g in matmul(g.reshaped(to: [rows, outputSize]), input.reshaped(to: [rows, inputSize]), transposeA: true) },
        ]
        if let bias {
            inputs.append(bias)
            pullbacks.append { g in g.reshaped(to: [rows, outputSize]).sum(alongAxis: 0) }
        }
        return record(result, "linear", inputs: inputs, pullbacks: pullbacks)
    }
}
