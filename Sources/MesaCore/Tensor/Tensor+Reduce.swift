// Reductions along axes. Each runs as [outer, reduced, inner] loops over contiguous memory;
// several axes reduce one contiguous run at a time.

extension Tensor {
    /// Splits the shape around the contiguous axis run `first...last` into (outer, reduced, inner).
    func reductionExtents(from first: Int, through last: Int) -> (outer: Int, reduced: Int, inner: Int) {
        let outer = shape[..<first].reduce(1, *)
        let reduced = shape[first...last].reduce(1, *)
        let inner = shape[(last + 1)...].reduce(1, *)
        return (outer, reduced, inner)
    }

    /// Groups sorted axes into runs of consecutive axes, last run first.
    static func consecutiveRuns(_ axes: [Int]) -> [(Int, Int)] {
        var runs: [(Int, Int)] = []
        for axis in axes {
            if let last = runs.last, last.1 == axis - 1 { runs[runs.count - 1].1 = axis } else { runs.append((axis, axis)) }
        }
        return runs.reversed()
    }

    /// Sum over the contiguous axis run `first...last`, keeping those dimensions as 1.
    func sumKernel(from first: Int, through last: Int) -> Tensor {
        let (outer, reduced, inner) = reductionExtents(from: first, through: last)
        var newShape = shape
        for axis in first...last { newShape[axis] = 1 }
        let result = Tensor(repeating: 0, shape: newShape)
        let x = storage.base, y = result.storage.base
        if inner == 1 {
            for o in 0..<outer {
                let row = x + o * reduced
                var total: Float = 0
                for j in 0..<reduced { total += row[j] }
                y[o] = total
            }
        } else {
            for o in 0..<outer {
                let out = y + o * inner
                for j in 0..<reduced {
                    let row = x + (o * reduced + j) * inner
                    for i in 0..<inner { out[i] += row[i] }
                }
            }
        }
        return result
    }

    /// The sum over `axes` (all axes when empty is not what you want: pass them explicitly, or
    /// use ``sum()``).
    ///
    /// - Parameter keepingDimensions: keep reduced axes as size 1 (for broadcasting back).
    public func sum(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        guard let axes = normalizedAxes(axes, "sum") else { return .placeholder }
        if axes.isEmpty { return self }
        var result = detached()
        for (first, last) in Self.consecutiveRuns(axes) { result = result.sumKernel(from: first, through: last) }
        let keptShape = result.shape
        if !keepingDimensions { result.shape = shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element) }
        let original = shape
        return Self.record(result, "sum", input: self) { g in g.reshaped(to: keptShape).broadcast(to: original) }
    }

    /// The sum along one axis.
    public func sum(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        sum(alongAxes: [axis], keepingDimensions: keepingDimensions)
    }

    /// The sum of all elements, as a scalar tensor.
    public func sum() -> Tensor { sum(alongAxes: Array(0..<rank)) }

    /// The mean over `axes`.
    public func mean(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        guard let normalized = normalizedAxes(axes, "mean") else { return .placeholder }
        let count = normalized.reduce(1) { $0 * shape[$1] }
        guard check(count > 0, .invalidArgument, "mean: reducing axes \(axes) of shape \(shape) averages zero elements")
        else { return .placeholder }
        return sum(alongAxes: normalized, keepingDimensions: keepingDimensions) * (1 / Float(count))
    }

    /// The mean along one axis.
    public func mean(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        mean(alongAxes: [axis], keepingDimensions: keepingDimensions)
    }

    /// The mean of all elements.
    public func mean() -> Tensor { mean(alongAxes: Array(0..<rank)) }

    /// The variance over `axes`: `mean((x − mean x)²)`, or with Bessel's correction
    /// (`n − 1` in the denominator) when `unbiased`.
    public func variance(alongAxes axes: [Int], keepingDimensions: Bool = false, unbiased: Bool = false) -> Tensor {
        guard let normalized = normalizedAxes(axes, "variance") else { return .placeholder }
        let count = normalized.reduce(1) { $0 * shape[$1] }
        guard check(count > (unbiased ? 1 : 0), .invalidArgument,
                    "variance: axes \(axes) of shape \(shape) hold \(count) elements, too few\(unbiased ? " for the unbiased estimate" : "")")
        else { return .placeholder }
        let centered = self - mean(alongAxes: normalized, keepingDimensions: true)
        let squares = (centered * centered).sum(alongAxes: normalized, keepingDimensions: keepingDimensions)
        return squares * (1 / Float(unbiased ? count - 1 : count))
    }

    /// The variance along one axis.
    public func variance(alongAxis axis: Int, keepingDimensions: Bool = false, unbiased: Bool = false) -> Tensor {
        variance(alongAxes: [axis], keepingDimensions: keepingDimensions, unbiased: unbiased)
    }

    /// Index and value of the extreme element along `axis`, as [outer, inner] arrays.
    func extremum(alongAxis axis: Int, _ operation: String, isBetter: (Float, Float) -> Bool) -> (values: Tensor, indices: Tensor)? {
        guard let axis = normalizedAxis(axis, operation) else { return nil }
        guard check(shape[axis] > 0, .invalidArgument, "\(operation): axis \(axis) of shape \(shape) is empty") else { return nil }
        let (outer, reduced, inner) = reductionExtents(from: axis, through: axis)
        var newShape = shape
        newShape[axis] = 1
        let values = Tensor(uninitializedShape: newShape), indices = Tensor(uninitializedShape: newShape)
        let x = storage.base, v = values.storage.base, k = indices.storage.base
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * reduced * inner + i
                var best = x[base], bestIndex = 0
                for j in 1..<Swift.max(reduced, 1) where isBetter(x[base + j * inner], best) || x[base + j * inner].isNaN {
                    best = x[base + j * inner]
                    bestIndex = j
                    if best.isNaN { break }
                }
                v[o * inner + i] = best
                k[o * inner + i] = Float(bestIndex)
            }
        }
        return (values, indices)
    }

    /// The maximum along `axis`. The gradient flows to the maximal elements (split evenly on ties).
    public func max(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        reduceExtreme(alongAxis: axis, keepingDimensions: keepingDimensions, "max", isBetter: >)
    }

    /// The minimum along `axis`. The gradient flows to the minimal elements (split evenly on ties).
    public func min(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        reduceExtreme(alongAxis: axis, keepingDimensions: keepingDimensions, "min", isBetter: <)
    }

    /// The largest element, as a scalar tensor.
    public func max() -> Tensor { reshaped(to: [scalarCount]).max(alongAxis: 0) }
    /// The smallest element, as a scalar tensor.
    public func min() -> Tensor { reshaped(to: [scalarCount]).min(alongAxis: 0) }

    private func reduceExtreme(alongAxis axis: Int, keepingDimensions: Bool, _ operation: String, isBetter: (Float, Float) -> Bool) -> Tensor {
        guard let (values, _) = extremum(alongAxis: axis, operation, isBetter: isBetter),
              let axis = normalizedAxis(axis, operation) else { return .placeholder }
        let keptShape = values.shape
        var result = values
        if !keepingDimensions { result.shape.remove(at: axis) }
        let original = shape
        return Self.record(result, operation, input: self) { g in
            let mask = self.detached().isEqual(to: values)
            let ties = mask.sum(alongAxes: [axis], keepingDimensions: true)
            return g.reshaped(to: keptShape).broadcast(to: original) * mask / ties
        }
    }

    /// The index of the largest element along `axis` (the first on ties), as whole-number floats.
    public func argmax(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        argExtreme(alongAxis: axis, keepingDimensions: keepingDimensions, "argmax", isBetter: >)
    }

    /// The index of the smallest element along `axis` (the first on ties), as whole-number floats.
    public func argmin(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        argExtreme(alongAxis: axis, keepingDimensions: keepingDimensions, "argmin", isBetter: <)
    }

    private func argExtreme(alongAxis axis: Int, keepingDimensions: Bool, _ operation: String, isBetter: (Float, Float) -> Bool) -> Tensor {
        guard let (_, indices) = extremum(alongAxis: axis, operation, isBetter: isBetter),
              let axis = normalizedAxis(axis, operation) else { return .placeholder }
        var result = indices
        if !keepingDimensions { result.shape.remove(at: axis) }
        return result
    }

    /// `log Σ exp(x)` along `axis`, computed stably by subtracting the maximum;
    /// derivative `softmax(x)`.
    public func logSumExp(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        guard let axis = normalizedAxis(axis, "logSumExp") else { return .placeholder }
        let m = detached().max(alongAxis: axis, keepingDimensions: true).map { $0.isFinite ? $0 : 0 }
        let shifted = (detached() - m).exp().sum(alongAxis: axis, keepingDimensions: true).log() + m
        var result = shifted
        let keptShape = result.shape
        if !keepingDimensions { result.shape.remove(at: axis) }
        let original = shape
        return Self.record(result, "logSumExp", input: self) { g in
            g.reshaped(to: keptShape).broadcast(to: original) * self.softmax(alongAxis: axis)
        }
    }
}
