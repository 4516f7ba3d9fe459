import MesaCore
@testable import MesaMeta
import XCTest

final class TaskPoolTests: XCTestCase {
    let base = try! LinearRegressionTasks(inputDimension: 3, inputs: .uniform(low: 2, high: 3))

    func weights(_ task: any TaskFunction) -> [Float] { (task as! LinearFunction).weights }

    func testAPoolOfFourYieldsAtMostFourTasksChosenUniformly() throws {
        let pool = try TaskPool(base: base, taskCount: 4, seed: 7)
        let members = (0..<4).map { weights(pool.task(at: $0)) }
        XCTAssertEqual(Set(members).count, 4)
        var counts = [Int](repeating: 0, count: 4)
        var generator = RandomGenerator(seed: 1)
        for _ in 0..<500 {
            // A task's weights identify it among the pool's four.
            let task = pool.sampleTask(using: &generator)
            counts[try XCTUnwrap(members.firstIndex(of: weights(task)))] += 1
        }
        // 125 of 500 expected per task (standard deviation ≈ 9.7).
        for count in counts { XCTAssertEqual(Double(count), 125, accuracy: 40) }
        // Whole batches: every prompt is explained by one of the four weight vectors.
        let batch = pool.sample(batchSize: 50, pointCount: 4, using: &generator)
        for row in 0..<50 {
            let explained = members.contains { w in
                (0..<4).allSatisfy { point in
                    abs(batch.targets[row, point] - (0..<3).map { w[$0] * batch.inputs[row, point, $0] }.reduce(0, +)) < 1e-4
                }
            }
            XCTAssertTrue(explained, "prompt \(row) does not come from the pool")
        }
    }

    func testSameSeedGivesTheSamePoolAndOtherSeedsOthers() throws {
        let pool = try TaskPool(base: base, taskCount: 8, seed: 42)
        let again = try TaskPool(base: base, taskCount: 8, seed: 42)
        let other = try TaskPool(base: base, taskCount: 8, seed: 43)
        let larger = try TaskPool(base: base, taskCount: 16, seed: 42)
        for index in 0..<8 {
            XCTAssertEqual(weights(pool.task(at: index)), weights(again.task(at: index)))
            XCTAssertEqual(weights(pool.task(at: index)), weights(larger.task(at: index)), "task i depends only on (seed, i)")
        }
        let neighbours = Set((0..<8).map { weights(pool.task(at: $0)) } + (0..<8).map { weights(other.task(at: $0)) })
        XCTAssertEqual(neighbours.count, 16, "nearby seeds give disjoint pools")
        assertSeededBatchesRepeat(pool)
    }

    func testAnInfinitePoolDrawsFreshTasks() throws {
        let pool = try TaskPool(base: base, taskCount: nil, seed: 0)
        XCTAssertEqual(pool.name, "linear regression (d = 3), infinite pool")
        let drawn = sampleTasks(pool, count: 200).map(weights)
        XCTAssertEqual(Set(drawn).count, 200)
        XCTAssertEqual(drawn, sampleTasks(base, count: 200).map(weights), "an infinite pool is the base distribution")
    }

    func testThePoolKeepsTheBasesInputsDimensionAndKind() throws {
        let pool = try TaskPool(base: base, taskCount: 2, seed: 3)
        XCTAssertEqual(pool.inputDimension, 3)
        XCTAssertEqual(pool.kind, .regression)
        XCTAssertEqual(pool.name, "linear regression (d = 3), pool of 2 tasks")
        var generator = RandomGenerator(seed: 0)
        XCTAssertTrue(pool.sample(batchSize: 3, pointCount: 5, using: &generator).inputs.scalars.allSatisfy { (2..<3).contains($0) })
        let classifiers = try TaskPool(base: try LinearClassificationTasks(inputDimension: 2, classCount: 4), taskCount: 2, seed: 3)
        XCTAssertEqual(classifiers.kind, .classification(classCount: 4))
    }

    func testBadConfigurationsThrow() {
        assertInvalidConfiguration(try TaskPool(base: base, taskCount: 0, seed: 0), mentions: "taskCount", "got 0")
        assertInvalidConfiguration(try TaskPool(base: base, taskCount: -4, seed: 0), mentions: "taskCount", "got -4")
    }
}
