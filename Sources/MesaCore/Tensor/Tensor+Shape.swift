// Shape operations: reshape, permute, broadcast, squeeze. Tensors are always contiguous, so
// reshape shares storage and permute/broadcast copy.

extension Tensor {
    /// The same elements viewed with `newShape`; one dimension may be `-1` (inferred).
    /// Shares storage (no copy).
    public func reshaped(to newShape: [Int]) -> Tensor {
        var resolved = newShape
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        guard check(inferred.count <= 1 && newShape.allSatisfy({ $0 >= -1 }), .invalidArgument,
                    "reshape: invalid target shape \(newShape) for shape \(shape)") else { return .placeholder }
        if let index = inferred.first {
            let known = newShape.filter { $0 != -1 }.reduce(1, *)
            guard check(known > 0 && scalarCount % known == 0, .shapeMismatch,
                        "reshape: cannot reshape shape \(shape) (\(scalarCount) elements) to \(newShape)") else { return .placeholder }
            resolved[index] = scalarCount / known
        }
        guard check(resolved.reduce(1, *) == scalarCount, .shapeMismatch,
                    "reshape: cannot reshape shape \(shape) (\(scalarCount) elements) to \(newShape)") else { return .placeholder }
        if resolved == shape { return self }
        let original = shape
        return Self.record(Tensor(shape: resolved, storage: storage), "reshape", input: self) { $0.reshaped(to: original) }
    }

    /// The elements flattened into a rank-1 tensor.
    public func flattened() -> Tensor { reshaped(to: [scalarCount]) }

    /// The tensor with its axes reordered: result axis `i` is input axis `axes[i]`.
    public func permuted(_ axes: [Int]) -> Tensor {
        let normalized = axes.map { $0 < 0 ? $0 + rank : $0 }
        guard check(normalized.sorted() == Array(0..<rank), .invalidAxis,
                    "permute: \(axes) is not a permutation of the axes of shape \(shape)") else { return .placeholder }
        let axes = normalized
        if axes == Array(0..<rank) { return self }
        let newShape = axes.map { shape[$0] }
        let sourceStrides = Broadcasting.contiguousStrides(shape)
        let result = Tensor(uninitializedShape: newShape)
        Self.stridedCopy(from: storage.base, strides: axes.map { sourceStrides[$0] }, shape: newShape, to: result.storage.base)
        var inverse = [Int](repeating: 0, count: rank)
        for (index, axis) in axes.enumerated() { inverse[axis] = index }
        return Self.record(result, "permute", input: self) { $0.permuted(inverse) }
    }

    /// Swaps two axes (by default the last two: the matrix transpose of each batch element).
    public func transposed(_ first: Int = -2, _ second: Int = -1) -> Tensor {
        guard check(rank >= 2, .invalidAxis, "transpose: needs rank ≥ 2, got shape \(shape)") else { return .placeholder }
        guard let a = normalizedAxis(first, "transpose"), let b = normalizedAxis(second, "transpose") else { return .placeholder }
        var axes = Array(0..<rank)
        axes.swapAt(a, b)
        return permuted(axes)
    }

    /// The tensor repeated along stretched dimensions to `target` (NumPy broadcasting: size-1 or
    /// missing leading dimensions stretch). The gradient sums back (``sumToShape(_:)``).
    public func broadcast(to target: [Int]) -> Tensor {
        if target == shape { return self }
        guard let joined = Broadcasting.shape(shape, target), joined == target else {
            raise(TensorError(.shapeMismatch, "broadcast: shape \(shape) cannot be broadcast to \(target)"))
            return .placeholder
        }
        let result = Tensor(uninitializedShape: target)
        Self.stridedCopy(from: storage.base, strides: Broadcasting.strides(of: shape, broadcastTo: target), shape: target,
                         to: result.storage.base)
        let original = shape
        return Self.record(result, "broadcast", input: self) { $0.sumToShape(original) }
    }

    /// Inserts a size-1 axis at `axis` (in `-(rank+1)...rank`).
    public func unsqueezed(at axis: Int) -> Tensor {
        guard let axis = normalizedAxis(axis < 0 ? axis + rank + 1 : axis, "unsqueeze", rank: rank + 1) else { return .placeholder }
        var newShape = shape
        newShape.insert(1, at: axis)
        return reshaped(to: newShape)
    }

    /// Removes the size-1 axis `axis`.
    public func squeezed(at axis: Int) -> Tensor {
        guard let axis = normalizedAxis(axis, "squeeze") else { return .placeholder }
        guard check(shape[axis] == 1, .shapeMismatch, "squeeze: axis \(axis) of shape \(shape) has size \(shape[axis]), not 1")
        else { return .placeholder }
        var newShape = shape
        newShape.remove(at: axis)
        return reshaped(to: newShape)
    }

    /// Removes every size-1 axis.
    public func squeezed() -> Tensor { reshaped(to: shape.filter { $0 != 1 }) }

    /// Copies a strided view (element `strides` per axis of `shape`) into contiguous memory.
    static func stridedCopy(from source: UnsafePointer<Float>, strides: [Int], shape: [Int], to destination: UnsafeMutablePointer<Float>) {
        let count = shape.reduce(1, *)
        guard count > 0 else { return }
        let rank = shape.count
        if rank == 0 { destination[0] = source[0]; return }
        let inner = shape[rank - 1], innerStride = strides[rank - 1]
        var position = [Int](repeating: 0, count: rank)
        var sourceOffset = 0, offset = 0
        while offset < count {
            let from = source + sourceOffset, to = destination + offset
            switch innerStride {
            case 1 where inner < 64: for j in 0..<inner { to[j] = from[j] }   // short rows: no memmove call
            case 1: to.update(from: from, count: inner)
            case 0: to.update(repeating: from[0], count: inner)
            default: for j in 0..<inner { to[j] = from[j * innerStride] }
            }
            offset += inner
            var axis = rank - 2
            while axis >= 0 {
                position[axis] += 1
                sourceOffset += strides[axis]
                if position[axis] < shape[axis] { break }
                sourceOffset -= strides[axis] * shape[axis]
                position[axis] = 0
                axis -= 1
            }
        }
    }
}
