import Dispatch
import Foundation

/// Mesa's thread-pool setting: how many cores tensor kernels may split work across.
///
/// Large matrix products are split by rows (or columns) and batched products by batch, each
/// piece a single-threaded BLAS call; large elementwise and row-wise kernels are split into
/// contiguous ranges. Pieces run on Dispatch's worker threads (`concurrentPerform`). BLAS's own
/// threading is switched off, so no BLAS worker spins while Mesa's own loops run (OpenBLAS's
/// spinning threads can slow a busy machine down many times).
public enum Parallelism {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var storedThreadCount = min(ProcessInfo.processInfo.activeProcessorCount, 8)

    /// The number of threads kernels use (at least 1). Defaults to the active cores, at most 8.
    public static var threadCount: Int {
        get { lock.withLock { storedThreadCount } }
        set { lock.withLock { storedThreadCount = max(1, newValue) } }
    }

    /// Runs `body` over `0..<count` split into at most ``threadCount`` contiguous ranges of at
    /// least `minimumChunk` elements each; serially when that gives one range.
    @inlinable
    public static func forEachRange(_ count: Int, minimumChunk: Int, _ body: (Range<Int>) -> Void) {
        let chunks = Swift.min(threadCount, count / Swift.max(minimumChunk, 1))
        if chunks <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        // The pieces write disjoint ranges: sharing `body` across the workers is safe.
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = count * chunk / chunks, end = count * (chunk + 1) / chunks
                shared.value(start..<end)
            }
        }
    }
}

/// Wraps a value the compiler cannot prove thread-safe, where the caller guarantees it is used
/// safely (the workers of ``Parallelism/forEachRange(_:minimumChunk:_:)`` touch disjoint memory).
@usableFromInline
struct UncheckedSendable<Value>: @unchecked Sendable {
    @usableFromInline let value: Value
    @inlinable init(_ value: Value) { self.value = value }
}
