import MesaCore
import XCTest

/// A test case whose tests run Mesa's kernels on one thread (restored afterwards): for tests on
/// tiny tensors, where splitting across threads gains nothing and, on a busy machine, makes
/// every operation wait for a descheduled worker.
open class SingleThreadedTestCase: XCTestCase {
    private var savedThreadCount = 1

    open override func setUp() {
        super.setUp()
        savedThreadCount = Parallelism.threadCount
        Parallelism.threadCount = 1
    }

    open override func tearDown() {
        Parallelism.threadCount = savedThreadCount
        super.tearDown()
    }
}
