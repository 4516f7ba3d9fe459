/// The heap buffer behind a ``Tensor``: a block of `Float`s (64-byte aligned from 64 KiB up, 16-byte below).
///
/// Tensors share a storage until one of them is mutated (copy-on-write, see
/// ``Tensor/withUnsafeMutableBufferPointer(_:)``). The class is `@unchecked Sendable`
/// because a storage is never mutated while it is shared: a writer first checks that it
/// holds the only reference.
public final class TensorStorage: @unchecked Sendable {
    /// The first element.
    public let base: UnsafeMutablePointer<Float>
    /// The number of elements.
    public let count: Int

    /// Allocates `count` uninitialised elements.
    public init(uninitializedCount count: Int) {
        self.count = count
        let raw = BufferPool.shared.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride)
        base = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// Allocates `count` elements set to `value`.
    public convenience init(repeating value: Float, count: Int) {
        self.init(uninitializedCount: count)
        base.initialize(repeating: value, count: count)
    }

    /// Allocates a copy of `buffer`.
    public convenience init(copying buffer: UnsafeBufferPointer<Float>) {
        self.init(uninitializedCount: buffer.count)
        if let source = buffer.baseAddress { base.update(from: source, count: buffer.count) }
    }

    deinit { BufferPool.shared.deallocate(UnsafeMutableRawPointer(base), byteCount: max(count, 1) * MemoryLayout<Float>.stride) }

    /// The elements as a read-only buffer.
    @inlinable public var buffer: UnsafeBufferPointer<Float> { UnsafeBufferPointer(start: base, count: count) }
    /// The elements as a mutable buffer.
    @inlinable public var mutableBuffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: base, count: count) }
}
