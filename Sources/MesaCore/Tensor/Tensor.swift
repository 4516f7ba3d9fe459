import Foundation

/// An n-dimensional array of `Float` with value semantics, the one data type of Mesa.
///
/// Elements are stored contiguously in row-major order. Copies share storage until one of
/// them is written (copy-on-write). A tensor that requires a gradient also carries a node of
/// the autodiff graph (see `Tensor+Gradient.swift`); every operation on such tensors records
/// how to pull gradients back through it.
///
/// Shapes are written `[batch, sequence, features]` in doc comments. A rank-0 tensor (shape
/// `[]`) is a scalar.
///
/// ```swift
/// let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// let y = (x * 2 + 1).sum(alongAxes: [1])   // [2]: [15, 33]
/// ```
public struct Tensor: @unchecked Sendable {
    /// The size of each dimension.
    public internal(set) var shape: [Int]
    @usableFromInline var storage: TensorStorage
    /// The autodiff node, present exactly when this tensor requires a gradient.
    @usableFromInline var node: GradientNode?

    @usableFromInline
    init(shape: [Int], storage: TensorStorage, node: GradientNode? = nil) {
        self.shape = shape
        self.storage = storage
        self.node = node
        checkInvariants()
    }

    /// Debug-build check that the shape and the storage agree (as swift-collections'
    /// `_checkInvariants`); compiled out of release builds.
    @inline(__always)
    func checkInvariants() {
        assert(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == storage.count,
               "Tensor invariant: shape \(shape) does not describe \(storage.count) stored elements")
        assert(node.map { $0.shape == shape } ?? true, "Tensor invariant: autodiff node shape differs from \(shape)")
    }

    /// Creates a tensor of `shape` from `scalars` in row-major order.
    ///
    /// The number of scalars must equal the product of `shape`.
    public init(shape: [Int], scalars: [Float]) {
        let count = shape.reduce(1, *)
        guard check(shape.allSatisfy { $0 >= 0 }, .invalidArgument, "Tensor(shape:scalars:): negative dimension in \(shape)"),
              check(count == scalars.count, .shapeMismatch,
                    "Tensor(shape:scalars:): shape \(shape) holds \(count) elements but \(scalars.count) were given")
        else {
            self.init(shape: [0], storage: TensorStorage(uninitializedCount: 0))
            return
        }
        self.init(shape: shape, storage: scalars.withUnsafeBufferPointer { TensorStorage(copying: $0) })
    }

    /// Creates a rank-1 tensor from `scalars`.
    public init(_ scalars: [Float]) {
        self.init(shape: [scalars.count], scalars: scalars)
    }

    /// Creates a rank-2 tensor from rows of equal length.
    public init(_ rows: [[Float]]) {
        let columns = rows.first?.count ?? 0
        guard check(rows.allSatisfy { $0.count == columns }, .shapeMismatch,
                    "Tensor(rows): rows have different lengths \(rows.map(\.count))")
        else {
            self.init(shape: [0], storage: TensorStorage(uninitializedCount: 0))
            return
        }
        self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
    }

    /// Creates a scalar (rank-0) tensor.
    public init(_ value: Float) {
        self.init(shape: [], storage: TensorStorage(repeating: value, count: 1))
    }

    /// Creates a tensor of `shape` with every element equal to `value`.
    public init(repeating value: Float, shape: [Int]) {
        let ok = check(shape.allSatisfy { $0 >= 0 }, .invalidArgument, "Tensor(repeating:shape:): negative dimension in \(shape)")
        let shape = ok ? shape : [0]
        self.init(shape: shape, storage: TensorStorage(repeating: value, count: shape.reduce(1, *)))
    }

    /// Creates an uninitialised tensor; every element must be written before it is read.
    @usableFromInline
    init(uninitializedShape shape: [Int]) {
        self.init(shape: shape, storage: TensorStorage(uninitializedCount: shape.reduce(1, *)))
    }

    /// An empty placeholder returned by an operation that reported an error.
    @usableFromInline
    static var placeholder: Tensor { Tensor(shape: [0], storage: TensorStorage(uninitializedCount: 0)) }

    /// The number of dimensions.
    @inlinable public var rank: Int { shape.count }
    /// The number of elements (the product of the shape; 1 for a scalar).
    @inlinable public var scalarCount: Int { storage.count }
    /// The elements in row-major order.
    public var scalars: [Float] { Array(storage.buffer) }

    /// The single element of a tensor with one element (any rank).
    public var scalar: Float {
        guard check(scalarCount == 1, .invalidArgument, "scalar: tensor of shape \(shape) has \(scalarCount) elements, not 1")
        else { return .nan }
        return storage.base[0]
    }

    /// The element at a full multi-index, e.g. `x[1, 2]` for a rank-2 tensor (read-only).
    public subscript(indices: Int...) -> Float {
        guard check(indices.count == rank, .indexOutOfRange, "subscript: \(indices.count) indices for shape \(shape)") else { return .nan }
        var offset = 0
        for (axis, index) in indices.enumerated() {
            guard check(index >= 0 && index < shape[axis], .indexOutOfRange,
                        "subscript: index \(index) out of range for axis \(axis) of shape \(shape)") else { return .nan }
            offset = offset * shape[axis] + index
        }
        return storage.base[offset]
    }

    /// Calls `body` with the elements, read-only.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(storage.buffer)
    }

    /// Calls `body` with the elements, writable, copying the storage first if it is shared.
    ///
    /// Writing through this pointer does not record anything in the autodiff graph: use it on
    /// data, parameters outside of a differentiated computation, or optimizer state.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) {
            storage = TensorStorage(copying: storage.buffer)
        }
        return try body(storage.mutableBuffer)
    }

    /// Whether every element is finite (no NaN, no infinity).
    public var isFinite: Bool {
        storage.buffer.allSatisfy { $0.isFinite }
    }

    /// Throws ``TensorError/Kind/nonFinite`` when an element is NaN or infinite.
    ///
    /// - Parameter label: names the tensor in the message, e.g. `"loss"`.
    public func checkFinite(_ label: String = "tensor") throws {
        if let index = storage.buffer.firstIndex(where: { !$0.isFinite }) {
            throw TensorError(.nonFinite, "\(label) of shape \(shape) has a non-finite value \(storage.base[index]) at flat index \(index)")
        }
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(12).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        let more = scalarCount > 12 ? ", …" : ""
        return "Tensor(shape: \(shape), [\(shown)\(more)]\(node != nil ? ", requiresGradient" : ""))"
    }
}

extension Tensor {
    /// Whether two tensors have the same shape and elements within `tolerance` (absolute plus
    /// relative to the larger magnitude).
    public func isApproximatelyEqual(to other: Tensor, tolerance: Float = 1e-5) -> Bool {
        guard shape == other.shape else { return false }
        for (a, b) in Swift.zip(storage.buffer, other.storage.buffer) {
            if Swift.abs(a - b) > tolerance * (1 + Swift.max(Swift.abs(a), Swift.abs(b))) { return false }
        }
        return true
    }
}
