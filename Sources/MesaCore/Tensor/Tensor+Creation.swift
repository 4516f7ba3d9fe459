// Factory functions for common tensors.

extension Tensor {
    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }
    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }
    /// A tensor with every element `value`.
    public static func full(_ shape: [Int], value: Float) -> Tensor { Tensor(repeating: value, shape: shape) }
    /// Zeros shaped like `other`.
    public static func zeros(like other: Tensor) -> Tensor { zeros(other.shape) }
    /// Ones shaped like `other`.
    public static func ones(like other: Tensor) -> Tensor { ones(other.shape) }

    /// `[start, start + step, …]` below `end` (rank 1), as NumPy's `arange`.
    public static func arange(from start: Float = 0, to end: Float, by step: Float = 1) -> Tensor {
        guard check(step != 0 && step.isFinite, .invalidArgument, "arange: step must be finite and non-zero, got \(step)")
        else { return .placeholder }
        let count = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        return Tensor((0..<count).map { start + Float($0) * step })
    }

    /// `count` evenly spaced values from `start` to `end` inclusive (rank 1).
    public static func linspace(from start: Float, to end: Float, count: Int) -> Tensor {
        guard check(count >= 0, .invalidArgument, "linspace: count must be non-negative, got \(count)") else { return .placeholder }
        if count == 1 { return Tensor([start]) }
        let step = (Double(end) - Double(start)) / Double(Swift.max(count - 1, 1))
        return Tensor((0..<count).map { Float(Double(start) + Double($0) * step) })
    }

    /// The `size × size` identity matrix.
    public static func eye(_ size: Int) -> Tensor {
        guard check(size >= 0, .invalidArgument, "eye: size must be non-negative, got \(size)") else { return .placeholder }
        let result = zeros([size, size])
        for index in 0..<size { result.storage.base[index * size + index] = 1 }
        return result
    }
}
