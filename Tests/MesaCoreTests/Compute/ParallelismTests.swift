@testable import MesaCore
import Synchronization
import XCTest

final class ParallelismTests: XCTestCase {
    func testEveryIndexIsVisitedExactlyOnceForManySizes() {
        for count in [0, 1, 7, 100, 1000, 65_537] {
            for minimumChunk in [1, 10, 1 << 16] {
                var visits = [Int](repeating: 0, count: count)
                visits.withUnsafeMutableBufferPointer { buffer in
                    let base = buffer.baseAddress
                    Parallelism.forEachRange(count, minimumChunk: minimumChunk) { range in
                        for index in range { base![index] += 1 }
                    }
                }
                XCTAssertEqual(visits, [Int](repeating: 1, count: count), "count \(count), minimum chunk \(minimumChunk)")
            }
        }
    }

    func testNestedAndRepeatedCallsComplete() {
        // A call made from inside a parallel range runs serially in its caller (no deadlock);
        // thousands of back-to-back jobs exercise the workers' spin/sleep hand-off.
        let total = Atomic<Int>(0)
        for _ in 0..<2000 {
            Parallelism.forEachRange(4, minimumChunk: 1) { outer in
                for _ in outer {
                    Parallelism.forEachRange(3, minimumChunk: 1) { inner in total.add(inner.count, ordering: .relaxed) }
                }
            }
        }
        XCTAssertEqual(total.load(ordering: .relaxed), 2000 * 4 * 3)
        usleep(20_000)   // let the workers fall asleep, then wake them again
        let after = Atomic<Int>(0)
        Parallelism.forEachRange(8, minimumChunk: 1) { after.add($0.count, ordering: .relaxed) }
        XCTAssertEqual(after.load(ordering: .relaxed), 8)
    }

    func testThreadCountSetting() {
        let saved = Parallelism.threadCount
        defer { Parallelism.threadCount = saved }
        Parallelism.threadCount = 0
        XCTAssertEqual(Parallelism.threadCount, 1, "at least one thread")
        // With one thread, results are the same as with several.
        var generator = RandomGenerator(seed: 150)
        let a = Tensor.randomNormal([300, 300], using: &generator), b = Tensor.randomNormal([300, 300], using: &generator)
        let serial = (a.matmul(b).tanh() + a).softmax()
        Parallelism.threadCount = 2
        XCTAssertTrue(serial.isApproximatelyEqual(to: (a.matmul(b).tanh() + a).softmax(), tolerance: 1e-5))
    }

    func testForEachIndexVisitsEveryIndexOnceForAnyThreadCount() {
        let saved = Parallelism.threadCount
        defer { Parallelism.threadCount = saved }
        for threads in [1, 2, 5] {
            Parallelism.threadCount = threads
            for count in [0, 1, 2, 3, 64, 1001] {
                var visits = [Int](repeating: 0, count: count)
                visits.withUnsafeMutableBufferPointer { buffer in
                    let base = buffer.baseAddress
                    Parallelism.forEachIndex(count) { base![$0] += 1 }
                }
                XCTAssertEqual(visits, [Int](repeating: 1, count: count), "\(threads) threads, count \(count)")
            }
        }
    }

    func testCallerThatBlocksWaitingForASlowWorkerIsWokenEveryTime() {
        // One slow chunk (milliseconds, far beyond the caller's spin) makes whichever thread
        // finishes first wait; when that is the caller, it must be woken by the worker.
        let saved = Parallelism.threadCount
        defer { Parallelism.threadCount = saved }
        Parallelism.threadCount = 2
        let total = Atomic<Int>(0)
        for round in 0..<40 {
            Parallelism.forEachIndex(2) { index in
                if index == round % 2 { usleep(2_000) }
                total.add(1, ordering: .relaxed)
            }
        }
        XCTAssertEqual(total.load(ordering: .relaxed), 80)
    }
}

import Foundation
