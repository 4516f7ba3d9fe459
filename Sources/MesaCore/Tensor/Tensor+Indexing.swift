// Slicing, joining and indexing. Indices are passed as `[Int]` or as tensors holding whole
// numbers (Mesa has one element type, Float32, which represents integers exactly below 2²⁴).

extension Tensor {
    /// The elements `start, start + stride, …` (below `end`) along `axis`.
    ///
    /// Negative `start`/`end` count from the end of the axis. The gradient scatters back into
    /// zeros of the input's shape.
    public func slice(alongAxis axis: Int, from start: Int, to end: Int? = nil, by stride: Int = 1) -> Tensor {
        guard let axis = normalizedAxis(axis, "slice") else { return .placeholder }
        let size = shape[axis]
        let lower = start < 0 ? start + size : start
        let upper = end.map { $0 < 0 ? $0 + size : $0 } ?? size
        guard check(stride > 0, .invalidArgument, "slice: stride must be positive, got \(stride)"),
              check(lower >= 0 && lower <= upper && upper <= size, .indexOutOfRange,
                    "slice: range \(start)..<\(end.map(String.init) ?? "end") is out of bounds for axis \(axis) of shape \(shape)")
        else { return .placeholder }
        let count = (upper - lower + stride - 1) / stride
        var newShape = shape
        newShape[axis] = count
        var strides = Broadcasting.contiguousStrides(shape)
        let offset = lower * strides[axis]
        strides[axis] *= stride
        let result = Tensor(uninitializedShape: newShape)
        Self.stridedCopy(from: storage.base + offset, strides: strides, shape: newShape, to: result.storage.base)
        let original = shape
        return Self.record(result, "slice", input: self) { g in
            g.embedded(in: original, alongAxis: axis, from: lower, by: stride)
        }
    }

    /// The adjoint of ``slice(alongAxis:from:to:by:)``: zeros of `shape` with `self` written at
    /// `start, start + stride, …` along `axis`.
    func embedded(in target: [Int], alongAxis axis: Int, from start: Int, by stride: Int) -> Tensor {
        let result = Tensor(repeating: 0, shape: target)
        var strides = Broadcasting.contiguousStrides(target)
        let offset = start * strides[axis]
        strides[axis] *= stride
        // Scatter: walk `self` contiguously, writing through the strided view.
        let count = scalarCount
        if count > 0 {
            let source = storage.base, destination = result.storage.base + offset
            let rank = shape.count
            var position = [Int](repeating: 0, count: rank)
            var targetOffset = 0
            for index in 0..<count {
                destination[targetOffset] = source[index]
                var dimension = rank - 1
                while dimension >= 0 {
                    position[dimension] += 1
                    targetOffset += strides[dimension]
                    if position[dimension] < shape[dimension] { break }
                    targetOffset -= strides[dimension] * shape[dimension]
                    position[dimension] = 0
                    dimension -= 1
                }
            }
        }
        return Self.record(result, "embed", input: self) { g in
            g.slice(alongAxis: axis, from: start, to: start + (self.shape[axis] - 1) * stride + 1, by: stride)
        }
    }

    /// Joins tensors along `axis`; all other dimensions must agree.
    public static func concatenate(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
        guard let first = tensors.first else {
            raise(TensorError(.invalidArgument, "concatenate: needs at least one tensor"))
            return .placeholder
        }
        guard let axis = first.normalizedAxis(axis, "concatenate") else { return .placeholder }
        for tensor in tensors {
            var a = tensor.shape, b = first.shape
            guard check(a.count == b.count, .shapeMismatch, "concatenate: ranks differ in shapes \(tensors.map(\.shape))")
            else { return .placeholder }
            a[axis] = 0
            b[axis] = 0
            guard check(a == b, .shapeMismatch, "concatenate: shapes \(tensors.map(\.shape)) differ outside axis \(axis)")
            else { return .placeholder }
        }
        var newShape = first.shape
        newShape[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
        let result = Tensor(uninitializedShape: newShape)
        let outer = first.shape[..<axis].reduce(1, *)
        let inner = first.shape[(axis + 1)...].reduce(1, *)
        let rowLength = newShape[axis] * inner
        var column = 0
        for tensor in tensors {
            let length = tensor.shape[axis] * inner
            for o in 0..<outer {
                (result.storage.base + o * rowLength + column).update(from: tensor.storage.base + o * length, count: length)
            }
            column += length
        }
        var starts: [Int] = []
        var running = 0
        for tensor in tensors { starts.append(running); running += tensor.shape[axis] }
        return record(result, "concatenate", inputs: tensors, pullbacks: tensors.indices.map { index in
            { g in g.slice(alongAxis: axis, from: starts[index], to: starts[index] + tensors[index].shape[axis]) }
        })
    }

    /// Stacks tensors of equal shape along a new axis.
    public static func stack(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
        guard let first = tensors.first else {
            raise(TensorError(.invalidArgument, "stack: needs at least one tensor"))
            return .placeholder
        }
        guard check(tensors.allSatisfy { $0.shape == first.shape }, .shapeMismatch, "stack: shapes differ: \(tensors.map(\.shape))")
        else { return .placeholder }
        return concatenate(tensors.map { $0.unsqueezed(at: axis) }, alongAxis: axis)
    }

    /// Splits along `axis` into pieces of the given sizes (which must add up to the axis size).
    public func split(sizes: [Int], alongAxis axis: Int = 0) -> [Tensor] {
        guard let axis = normalizedAxis(axis, "split") else { return [] }
        guard check(sizes.reduce(0, +) == shape[axis] && sizes.allSatisfy { $0 >= 0 }, .shapeMismatch,
                    "split: sizes \(sizes) do not add up to axis \(axis) of shape \(shape)") else { return [] }
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return slice(alongAxis: axis, from: start, to: start + size)
        }
    }

    /// Splits along `axis` into `count` equal pieces.
    public func split(into count: Int, alongAxis axis: Int = 0) -> [Tensor] {
        guard let normalized = normalizedAxis(axis, "split") else { return [] }
        guard check(count > 0 && shape[normalized] % count == 0, .shapeMismatch,
                    "split: axis \(axis) of shape \(shape) does not split into \(count) equal pieces") else { return [] }
        return split(sizes: Array(repeating: shape[normalized] / count, count: count), alongAxis: normalized)
    }

    /// The slices at `indices` along `axis` (`index_select`): result axis size `indices.count`.
    /// The gradient adds back into the selected slices (repeated indices accumulate).
    public func indexSelect(alongAxis axis: Int, indices: [Int]) -> Tensor {
        guard let axis = normalizedAxis(axis, "indexSelect") else { return .placeholder }
        guard check(indices.allSatisfy { $0 >= 0 && $0 < shape[axis] }, .indexOutOfRange,
                    "indexSelect: an index in \(indices.prefix(8)) is out of range for axis \(axis) of shape \(shape)")
        else { return .placeholder }
        let (outer, size, inner) = reductionExtents(from: axis, through: axis)
        var newShape = shape
        newShape[axis] = indices.count
        let result = Tensor(uninitializedShape: newShape)
        for o in 0..<outer {
            for (j, index) in indices.enumerated() {
                (result.storage.base + (o * indices.count + j) * inner).update(from: storage.base + (o * size + index) * inner, count: inner)
            }
        }
        let original = shape
        return Self.record(result, "indexSelect", input: self) { g in
            g.indexAdd(alongAxis: axis, indices: indices, into: original)
        }
    }

    /// The adjoint of ``indexSelect(alongAxis:indices:)``: zeros of `target` with slice `j` of
    /// `self` added at `indices[j]` along `axis`.
    func indexAdd(alongAxis axis: Int, indices: [Int], into target: [Int]) -> Tensor {
        let result = Tensor(repeating: 0, shape: target)
        let outer = target[..<axis].reduce(1, *), size = target[axis], inner = target[(axis + 1)...].reduce(1, *)
        for o in 0..<outer {
            for (j, index) in indices.enumerated() {
                let from = storage.base + (o * indices.count + j) * inner, to = result.storage.base + (o * size + index) * inner
                for i in 0..<inner { to[i] += from[i] }
            }
        }
        return Self.record(result, "indexAdd", input: self) { $0.indexSelect(alongAxis: axis, indices: indices) }
    }

    /// Picks, along `axis`, the element whose index `indices` holds (PyTorch's `gather`):
    /// `result[…, j, …] = self[…, indices[…, j, …], …]`. `indices` has the input's shape except
    /// along `axis`.
    public func gather(alongAxis axis: Int, indices: Tensor) -> Tensor {
        guard let axis = normalizedAxis(axis, "gather") else { return .placeholder }
        var expected = shape
        expected[axis] = indices.rank == rank ? indices.shape[axis] : -1
        guard check(indices.shape == expected, .shapeMismatch,
                    "gather: indices of shape \(indices.shape) do not match input shape \(shape) outside axis \(axis)")
        else { return .placeholder }
        let size = shape[axis], picks = indices.shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *), outer = shape[..<axis].reduce(1, *)
        let index = indices.storage.base
        guard check((0..<indices.scalarCount).allSatisfy { index[$0] >= 0 && Int(index[$0]) < size && index[$0] == index[$0].rounded() },
                    .indexOutOfRange, "gather: indices must be whole numbers in 0..<\(size) for axis \(axis) of shape \(shape)")
        else { return .placeholder }
        let result = Tensor(uninitializedShape: indices.shape)
        let x = storage.base, y = result.storage.base
        for o in 0..<outer {
            for j in 0..<picks {
                for i in 0..<inner {
                    let at = (o * picks + j) * inner + i
                    y[at] = x[(o * size + Int(index[at])) * inner + i]
                }
            }
        }
        let original = shape
        return Self.record(result, "gather", input: self) { g in
            g.scatterAdd(alongAxis: axis, indices: indices, into: original)
        }
    }

    /// The adjoint of ``gather(alongAxis:indices:)``: zeros of `target` with each element of
    /// `self` added at the index `indices` gives along `axis`.
    func scatterAdd(alongAxis axis: Int, indices: Tensor, into target: [Int]) -> Tensor {
        let result = Tensor(repeating: 0, shape: target)
        let size = target[axis], picks = indices.shape[axis]
        let inner = target[(axis + 1)...].reduce(1, *), outer = target[..<axis].reduce(1, *)
        let index = indices.storage.base, x = storage.base, y = result.storage.base
        for o in 0..<outer {
            for j in 0..<picks {
                for i in 0..<inner {
                    let at = (o * picks + j) * inner + i
                    y[(o * size + Int(index[at])) * inner + i] += x[at]
                }
            }
        }
        return Self.record(result, "scatterAdd", input: self) { $0.gather(alongAxis: axis, indices: indices) }
    }

    /// One-hot rows: `[indices.count, classCount]` with a 1 at each index.
    public static func oneHot(_ indices: [Int], classCount: Int) -> Tensor {
        guard check(indices.allSatisfy { $0 >= 0 && $0 < classCount }, .indexOutOfRange,
                    "oneHot: an index in \(indices.prefix(8)) is outside 0..<\(classCount)") else { return .placeholder }
        let result = Tensor(repeating: 0, shape: [indices.count, classCount])
        for (row, index) in indices.enumerated() { result.storage.base[row * classCount + index] = 1 }
        return result
    }

    /// The causal attention mask `[size, size]`: 1 where key `j ≤` query `i` (may attend),
    /// 0 above the diagonal (the future).
    public static func causalMask(size: Int) -> Tensor {
        let result = Tensor(repeating: 0, shape: [size, size])
        for i in 0..<size { for j in 0...i { result.storage.base[i * size + j] = 1 } }
        return result
    }

    /// The elements as whole-number indices (for tensors produced by ``argmax(alongAxis:keepingDimensions:)``).
    ///
    /// An element that is not a whole number in `−2²⁴…2²⁴` (NaN, infinite, fractional, huge) is
    /// reported as an ``TensorError/Kind/indexOutOfRange`` error and read as −1.
    public var indices: [Int] {
        storage.buffer.map { value in
            guard value == value.rounded(), Swift.abs(value) <= 16_777_216 else {
                raise(TensorError(.indexOutOfRange, "indices: element \(value) of a tensor of shape \(shape) is not a whole-number index"))
                return -1
            }
            return Int(value)
        }
    }
}
