import MesaCore
@testable import MesaMeta
import XCTest

/// Asserts that `expression` throws ``InContextError/invalidConfiguration(_:)`` whose message
/// contains every one of `fragments` (the name of the bad setting and its value).
func assertInvalidConfiguration<T>(_ expression: @autoclosure () throws -> T, mentions fragments: String...,
                                   file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try expression(), file: file, line: line) { error in
        guard case .invalidConfiguration(let message)? = error as? InContextError else {
            return XCTFail("expected InContextError.invalidConfiguration, got \(error)", file: file, line: line)
        }
        for fragment in fragments {
            XCTAssertTrue(message.contains(fragment), "\"\(message)\" does not mention \"\(fragment)\"", file: file, line: line)
        }
    }
}

/// Asserts that the same seed gives identical batches and another seed a different one.
func assertSeededBatchesRepeat(_ distribution: any TaskDistribution, batchSize: Int = 4, pointCount: Int = 6,
                               file: StaticString = #filePath, line: UInt = #line) {
    func batch(_ seed: UInt64) -> TaskBatch {
        var generator = RandomGenerator(seed: seed)
        return distribution.sample(batchSize: batchSize, pointCount: pointCount, using: &generator)
    }
    let first = batch(11), second = batch(11), other = batch(12)
    XCTAssertEqual(first.inputs.scalars, second.inputs.scalars, "\(distribution.name): inputs differ for one seed", file: file, line: line)
    XCTAssertEqual(first.targets.scalars, second.targets.scalars, "\(distribution.name): targets differ for one seed", file: file, line: line)
    XCTAssertNotEqual(first.targets.scalars, other.targets.scalars, "\(distribution.name): two seeds gave the same targets", file: file, line: line)
    XCTAssertEqual(first.inputs.shape, [batchSize, pointCount, distribution.inputDimension], file: file, line: line)
    XCTAssertEqual(first.kind, distribution.kind, file: file, line: line)
}

/// Draws `count` tasks with a generator seeded by `seed`.
func sampleTasks(_ distribution: any TaskDistribution, count: Int, seed: UInt64 = 3) -> [any TaskFunction] {
    var generator = RandomGenerator(seed: seed)
    return (0..<count).map { _ in distribution.sampleTask(using: &generator) }
}

/// A prompt of `pointCount` points for each of `tasks`, so that a test knows which task made which row.
func samplePrompts(_ distribution: any TaskDistribution, tasks: [any TaskFunction], pointCount: Int,
                   seed: UInt64 = 4) -> TaskBatch {
    var generator = RandomGenerator(seed: seed)
    return distribution.sample(tasks: tasks, pointCount: pointCount, using: &generator)
}
