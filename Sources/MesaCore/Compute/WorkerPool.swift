import Dispatch
import Foundation
import Synchronization

/// A small fixed pool of worker threads for splitting one kernel across cores with low latency.
///
/// Dispatching a job costs about a microsecond when the workers are awake: they spin briefly on
/// an atomic generation counter after each job (as OpenMP runtimes do) before blocking on a
/// semaphore, so the many medium-sized kernels of a training step do not each pay a thread wake-up.
/// Chunks are handed out through an atomic counter, so a late worker simply takes fewer. Only one
/// job runs at a time: a call made while the pool is busy (from inside a job, or from another
/// thread) runs serially in its caller.
final class WorkerPool: @unchecked Sendable {
    /// The pool used by ``Parallelism``.
    static let shared = WorkerPool(workerCount: max(0, min(ProcessInfo.processInfo.activeProcessorCount, 8) - 1))

    private let workerCount: Int
    private let generation = Atomic<Int>(0)
    private let nextChunk = Atomic<Int>(0)
    private let unfinished = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let activeWorkers = Atomic<Int>(0)
    private let sleeping: [SleepFlag]
    private let wakeUps: [DispatchSemaphore]
    private let callerSleeping = Atomic<Bool>(false)
    private let callerWakeUp = DispatchSemaphore(value: 0)
    // Written by the caller before `generation` is published, read by workers after they see it.
    private var job: ((Int) -> Void)?
    private var chunkCount = 0
    private var participants = 0

    private init(workerCount: Int) {
        self.workerCount = workerCount
        sleeping = (0..<workerCount).map { _ in SleepFlag() }
        wakeUps = (0..<workerCount).map { _ in DispatchSemaphore(value: 0) }
        for index in 0..<workerCount {
            let thread = Thread { [unowned(unsafe) self] in self.workerLoop(index) }
            thread.name = "mesa-worker-\(index)"
            thread.start()
        }
    }

    /// Runs `body(0..<chunks)` across the caller and up to `threads − 1` workers; returns when all
    /// chunks are done. Returns `false` (having run nothing) when the pool is busy.
    func run(chunks: Int, threads: Int, _ body: (Int) -> Void) -> Bool {
        guard workerCount > 0, threads > 1, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return false }
        defer { busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { body in
            job = body
            chunkCount = chunks
            participants = min(threads - 1, workerCount)
            nextChunk.store(0, ordering: .relaxed)
            unfinished.store(chunks, ordering: .relaxed)
            activeWorkers.store(participants, ordering: .relaxed)
            // Sequentially consistent with the worker's "store asleep, then re-read generation":
            // a store–load pair that weaker orderings may reorder (a lost wake-up).
            generation.add(1, ordering: .sequentiallyConsistent)
            for index in 0..<participants where sleeping[index].value.exchange(false, ordering: .sequentiallyConsistent) {
                wakeUps[index].signal()
            }
            work()
            // Wait for the chunks, and for every participating worker to have dropped its
            // reference to `body` (it must not outlive this call).
            waitForWorkers()
            job = nil
        }
        return true
    }

    /// Waits until every chunk is done and every participating worker has left the job: spins
    /// (200,000 relaxed loads, about 0.1–0.2 ms: longer than the halves of the products that are
    /// split, so an idle machine never pays a semaphore wake-up of tens of microseconds on a
    /// small product), then blocks on `callerWakeUp`, which the last worker to leave signals. Blocking
    /// (rather than spinning on) matters on a loaded machine, where the worker we wait for may
    /// need the very core we would spin on; a woken thread is also scheduled promptly, unlike
    /// one that yields.
    private func waitForWorkers() {
        func done() -> Bool { unfinished.load(ordering: .acquiring) == 0 && activeWorkers.load(ordering: .sequentiallyConsistent) == 0 }
        var spins = 0
        while !done() {
            spins += 1
            if spins < 200_000 { spinPause(); continue }
            // The same store-then-recheck hand-off as the workers' sleep (see `workerLoop`).
            callerSleeping.store(true, ordering: .sequentiallyConsistent)
            if done() {
                if !callerSleeping.exchange(false, ordering: .sequentiallyConsistent) { callerWakeUp.wait() }
            } else {
                callerWakeUp.wait()
            }
            return
        }
    }

    /// Takes chunks until none are left. Not inlined, so its reference to the job is released
    /// before the caller reports the worker done.
    @inline(never)
    private func work() {
        guard let job else { return }
        while true {
            let chunk = nextChunk.add(1, ordering: .relaxed).oldValue
            guard chunk < chunkCount else { return }
            job(chunk)
            unfinished.subtract(1, ordering: .releasing)
        }
    }

    private func workerLoop(_ index: Int) {
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins < 500_000 { spinPause(); continue }
                // Idle for a while: block until the next job wakes this worker.
                sleeping[index].value.store(true, ordering: .sequentiallyConsistent)
                if generation.load(ordering: .sequentiallyConsistent) != seen {
                    if !sleeping[index].value.exchange(false, ordering: .sequentiallyConsistent) { wakeUps[index].wait() }
                } else {
                    wakeUps[index].wait()
                }
                spins = 0
            }
            seen = generation.load(ordering: .acquiring)
            if index < participants {
                work()
                // The last worker out wakes the caller if it went to sleep waiting.
                if activeWorkers.subtract(1, ordering: .sequentiallyConsistent).newValue == 0,
                   callerSleeping.exchange(false, ordering: .sequentiallyConsistent) {
                    callerWakeUp.signal()
                }
            }
        }
    }

    @inline(__always)
    private func spinPause() {
        #if arch(x86_64) || arch(i386)
        _mm_pause_substitute()
        #endif
    }

    @inline(__always)
    private func _mm_pause_substitute() {
        // A relaxed load keeps the loop from being optimised away without a fence per spin.
        _ = busy.load(ordering: .relaxed)
    }
}

/// One worker's "asleep on its semaphore" flag (atomics cannot live in arrays directly).
private final class SleepFlag: Sendable {
    let value = Atomic<Bool>(false)
}
