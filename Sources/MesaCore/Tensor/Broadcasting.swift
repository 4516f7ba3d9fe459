/// Shape arithmetic shared by the operations: NumPy broadcasting and axis normalisation.
enum Broadcasting {
    /// The broadcast shape of `a` and `b` (NumPy rules: align trailing dimensions; a dimension
    /// of 1 stretches), or `nil` when they are incompatible.
    static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for index in 0..<rank {
            let x = index < rank - a.count ? 1 : a[index - (rank - a.count)]
            let y = index < rank - b.count ? 1 : b[index - (rank - b.count)]
            if x == y || y == 1 { result[index] = x } else if x == 1 { result[index] = y } else { return nil }
        }
        return result
    }

    /// The element strides of a contiguous tensor of `shape` read as a tensor of the broadcast
    /// shape `target`: 0 along stretched or missing dimensions.
    static func strides(of shape: [Int], broadcastTo target: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: target.count)
        var running = 1
        for index in stride(from: shape.count - 1, through: 0, by: -1) {
            let targetIndex = index + target.count - shape.count
            strides[targetIndex] = shape[index] == 1 ? 0 : running
            running *= shape[index]
        }
        return strides
    }

    /// Row-major strides of a contiguous tensor of `shape`.
    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for index in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[index] = running
            running *= shape[index]
        }
        return strides
    }
}

extension Tensor {
    /// `axis` mapped into `0..<rank` (negative axes count from the end), or `nil` after
    /// reporting an invalid-axis error for `operation`.
    @usableFromInline
    func normalizedAxis(_ axis: Int, _ operation: String, rank: Int? = nil) -> Int? {
        let rank = rank ?? self.rank
        let normalized = axis < 0 ? axis + rank : axis
        guard check(normalized >= 0 && normalized < rank, .invalidAxis,
                    "\(operation): axis \(axis) is out of range for a tensor of shape \(shape) (rank \(rank))")
        else { return nil }
        return normalized
    }

    /// Sorted, unique, non-negative axes, or `nil` after reporting an error.
    func normalizedAxes(_ axes: [Int], _ operation: String) -> [Int]? {
        var result: [Int] = []
        for axis in axes {
            guard let normalized = normalizedAxis(axis, operation) else { return nil }
            guard check(!result.contains(normalized), .invalidAxis, "\(operation): axis \(axis) repeated in \(axes) for shape \(shape)")
            else { return nil }
            result.append(normalized)
        }
        return result.sorted()
    }
}
