import Foundation

extension BlackBoxCommand {
    /// Runs the command for each of `batch` (values per point), at most `parallel` at once, and
    /// returns the objectives in the batch's order, or for each point the error that stopped it.
    ///
    /// Each point runs on its own thread (the command is a separate process, so the threads mostly
    /// wait); a failed point does not stop the others of its group.
    public func evaluate(batch: [[ParameterValue]], parallel: Int) -> [Result<Double, OptimizationError>] {
        let results = BatchResults(count: batch.count)
        var start = 0
        while start < batch.count {
            let group = start..<Swift.min(batch.count, start + Swift.max(1, parallel))
            let finished = DispatchGroup()
            for index in group {
                finished.enter()
                let values = batch[index]
                let thread = Thread { [self] in
                    let result: Result<Double, OptimizationError>
                    do { result = .success(try evaluate(values)) } catch let error as OptimizationError {
                        result = .failure(error)
                    } catch {
                        result = .failure(.evaluationFailed("the objective command failed: \(error.localizedDescription)"))
                    }
                    results.set(index, result)
                    finished.leave()
                }
                thread.start()
            }
            finished.wait()
            start = group.upperBound
        }
        return results.values
    }
}

/// The results of a batch, written by its threads under a lock.
private final class BatchResults: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Result<Double, OptimizationError>?]

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<Double, OptimizationError>) {
        lock.lock()
        storage[index] = result
        lock.unlock()
    }

    var values: [Result<Double, OptimizationError>] {
        lock.lock()
        defer { lock.unlock() }
        return storage.map { $0 ?? .failure(.evaluationFailed("an objective command did not finish")) }
    }
}
