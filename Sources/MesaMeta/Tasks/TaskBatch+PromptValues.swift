import MesaCore

/// One prompt of a ``TaskBatch`` in `Double`: what the closed-form baselines fit, prefix by prefix.
struct PromptValues {
    /// The inputs, row-major `[pointCount, dimension]`.
    let inputs: [Double]
    /// The targets `[pointCount]` (class indices for classification).
    let targets: [Double]
    /// The number of input–target pairs.
    let pointCount: Int
    /// The width of each input.
    let dimension: Int

    /// `x_aᵀ x_b`.
    func dot(_ a: Int, _ b: Int) -> Double {
        var sum = 0.0
        for c in 0..<dimension { sum += inputs[a * dimension + c] * inputs[b * dimension + c] }
        return sum
    }

    /// `x_pointᵀ w` for `w` of `dimension` values.
    func dot(_ point: Int, _ w: [Double]) -> Double {
        var sum = 0.0
        for c in 0..<dimension { sum += inputs[point * dimension + c] * w[c] }
        return sum
    }

    /// `‖x_a − x_b‖²`.
    func squaredDistance(_ a: Int, _ b: Int) -> Double {
        var sum = 0.0
        for c in 0..<dimension {
            let difference = inputs[a * dimension + c] - inputs[b * dimension + c]
            sum += difference * difference
        }
        return sum
    }

    /// The class index of target `point`.
    func label(_ point: Int) -> Int { Int(targets[point]) }

    /// Adds pair `j` to the running sums of a growing prefix: `gram += x_j x_jᵀ` (`[d, d]`,
    /// row-major) and `moment += y_j x_j`.
    func accumulate(pair j: Int, gram: inout [Double], moment: inout [Double]) {
        let d = dimension
        for r in 0..<d {
            let xr = inputs[j * d + r]
            moment[r] += xr * targets[j]
            for c in 0..<d { gram[r * d + c] += xr * inputs[j * d + c] }
        }
    }
}

extension TaskBatch {
    /// Runs `predict` on every prompt and assembles the results: `predict` returns
    /// `pointCount × width` values (prediction `i` from pairs `0..<i` and input `i`), and the
    /// result is `[batch, points]` when `width` is `nil`, `[batch, points, width]` otherwise.
    ///
    /// Prompts are independent, so they are spread across Mesa's worker threads (`predict` must
    /// not touch shared mutable state; it calls no BLAS, so no BLAS thread competes with the pool).
    func predictionsPerPrompt(width: Int?, _ predict: (PromptValues) -> [Double]) -> Tensor {
        let (points, dimension) = (pointCount, inputDimension)
        let outputWidth = width ?? 1
        let inputValues = inputs.scalars.map(Double.init), targetValues = targets.scalars.map(Double.init)
        var output = [Float](repeating: 0, count: batchSize * points * outputWidth)
        output.withUnsafeMutableBufferPointer { buffer in
            Parallelism.forEachRange(batchSize, minimumChunk: 1) { range in
                for task in range {
                    let prompt = PromptValues(
                        inputs: Array(inputValues[(task * points * dimension)..<((task + 1) * points * dimension)]),
                        targets: Array(targetValues[(task * points)..<((task + 1) * points)]),
                        pointCount: points, dimension: dimension)
                    let values = predict(prompt)
                    precondition(values.count == points * outputWidth, "predictionsPerPrompt: \(values.count) values for \(points) points")
                    for (offset, value) in values.enumerated() { buffer[task * points * outputWidth + offset] = Float(value) }
                }
            }
        }
        return Tensor(shape: width.map { [batchSize, points, $0] } ?? [batchSize, points], scalars: output)
    }

    /// Stops with a message naming `predictor` unless this is a regression batch.
    func requireRegression(by predictor: String) {
        precondition(!kind.isClassification, "\(predictor): needs a regression batch, got \(kind)")
    }

    /// The class count, stopping with a message naming `predictor` unless this is a
    /// classification batch whose targets are class indices.
    func requireClassification(by predictor: String) -> Int {
        guard case .classification(let classCount) = kind else {
            preconditionFailure("\(predictor): needs a classification batch, got \(kind)")
        }
        precondition(targets.scalars.allSatisfy { $0 >= 0 && $0 < Float(classCount) && $0 == $0.rounded() },
                     "\(predictor): targets must be class indices in 0..<\(classCount)")
        return classCount
    }
}
