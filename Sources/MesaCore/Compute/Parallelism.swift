import Dispatch
import Foundation

/// Mesa's thread-pool setting: how many cores tensor kernels may split work across.
///
/// Large matrix products are split by rows (or columns) and batched products by batch, each
/// piece a single-threaded BLAS call; large elementwise and row-wise kernels are split into
/// contiguous ranges. Pieces run on a small fixed pool of spinning worker threads (`WorkerPool`). BLAS's own
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
    public static func forEachRange(_ count: Int, minimumChunk: Int, _ body: (Range<Int>) -> Void) {
        let chunks = Swift.min(threadCount, count / Swift.max(minimumChunk, 1))
        if chunks <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        // The pieces write disjoint ranges; a busy pool (nested or concurrent calls) runs serially.
        let ran = WorkerPool.shared.run(chunks: chunks, threads: chunks) { chunk in
            body((count * chunk / chunks)..<(count * (chunk + 1) / chunks))
        }
        if !ran { body(0..<count) }
    }

    /// Runs `body(index)` for every index of `0..<count` on up to ``threadCount`` threads, handing
    /// indices out one at a time (a thread slowed by other work on the machine simply takes
    /// fewer); serially when one thread suffices or the pool is busy.
    static func forEachIndex(_ count: Int, _ body: (Int) -> Void) {
        let threads = Swift.min(threadCount, count)
        if threads > 1, WorkerPool.shared.run(chunks: count, threads: threads, body) { return }
        for index in 0..<count { body(index) }
    }
}
