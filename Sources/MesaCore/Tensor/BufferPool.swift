import Foundation

/// A cache of large freed tensor buffers, reused by the next allocation of the same size.
///
/// A training step allocates the same large activations every time. Returning them to the
/// system and faulting fresh zeroed pages back in each step cost a quarter of an encoder step
/// (half a million page faults per benchmark run); keeping them here avoids that. Only buffers of
/// at least ``minimumByteCount`` are pooled (malloc serves small ones well), and at most
/// ``capacity`` bytes are kept; ``releaseAll()`` returns everything to the system.
public final class BufferPool: @unchecked Sendable {
    /// The pool every ``TensorStorage`` uses.
    public static let shared = BufferPool()

    /// Buffers smaller than this (in bytes) bypass the pool.
    public let minimumByteCount = 1 << 16
    /// The most bytes kept for reuse.
    public var capacity: Int {
        get { lock.withLock { storedCapacity } }
        set { lock.withLock { storedCapacity = max(0, newValue) }; if newValue < cachedByteCount { releaseAll() } }
    }

    private let lock = NSLock()
    private var storedCapacity = 2 << 30
    private var free: [Int: [UnsafeMutableRawPointer]] = [:]
    private var cached = 0

    /// The bytes currently held for reuse.
    public var cachedByteCount: Int { lock.withLock { cached } }

    /// A block of at least `byteCount` bytes, 64-byte aligned when pooled (its size then rounded
    /// up to 4 KiB), 16-byte aligned otherwise.
    func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        let size = roundedSize(byteCount)
        if size >= minimumByteCount, let reused = lock.withLock({ () -> UnsafeMutableRawPointer? in
            guard let pointer = free[size]?.popLast() else { return nil }
            cached -= size
            return pointer
        }) {
            return reused
        }
        // Small blocks take malloc's own 16-byte alignment: asking for 64 sends every one through
        // memalign, which fragments the heap (malloc_consolidate was a tenth of a MAML step).
        return UnsafeMutableRawPointer.allocate(byteCount: size, alignment: size >= minimumByteCount ? 64 : 16)
    }

    /// Takes back a block from ``allocate(byteCount:)`` of the same `byteCount`.
    func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        let size = roundedSize(byteCount)
        if size >= minimumByteCount {
            let kept = lock.withLock { () -> Bool in
                guard cached + size <= storedCapacity else { return false }
                free[size, default: []].append(pointer)
                cached += size
                return true
            }
            if kept { return }
        }
        pointer.deallocate()
    }

    /// Returns every cached buffer to the system.
    public func releaseAll() {
        let pointers = lock.withLock { () -> [UnsafeMutableRawPointer] in
            defer { free = [:]; cached = 0 }
            return free.values.flatMap { $0 }
        }
        pointers.forEach { $0.deallocate() }
    }

    private func roundedSize(_ byteCount: Int) -> Int {
        let bytes = max(byteCount, 64)
        return bytes >= minimumByteCount ? (bytes + 4095) & ~4095 : (bytes + 63) & ~63
    }
}
