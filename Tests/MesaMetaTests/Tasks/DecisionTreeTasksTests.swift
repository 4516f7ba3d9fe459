import MesaCore
@testable import MesaMeta
import XCTest

final class DecisionTreeTasksTests: XCTestCase {
    /// Depth 2: the root tests x₂, its left child x₀, its right child x₁; leaves 10, 20, 30, 40.
    let tree = DecisionTreeFunction(inputDimension: 3, splitCoordinates: [2, 0, 1], leafValues: [10, 20, 30, 40])

    func testHandPickedInputsReachTheRightLeaves() {
        var generator = RandomGenerator(seed: 0)
        let inputs: [Float] = [
            -1, 5, 0.5,    // x₂ ≥ 0 → right; x₁ ≥ 0 → right: leaf 3
            0, -1, -2,     // x₂ < 0 → left; x₀ = 0 goes right: leaf 1
            -3, 9, -0.1,   // left; x₀ < 0 → left: leaf 0
            7, -0.5, 0,    // x₂ = 0 goes right; x₁ < 0 → left: leaf 2
        ]
        XCTAssertEqual(tree.targets(for: inputs, count: 4, using: &generator), [40, 20, 10, 30])
        XCTAssertEqual(tree.leafIndex(for: inputs, offset: 3), 1)
    }

    func testSampledTreesHaveTheRightShapeAndRouteLikeAnIndependentWalk() throws {
        let tasks = try DecisionTreeTasks(inputDimension: 5, depth: 3)
        let drawn = sampleTasks(tasks, count: 4)
        let batch = samplePrompts(tasks, tasks: drawn, pointCount: 30)
        for (row, task) in drawn.enumerated() {
            let tree = try XCTUnwrap(task as? DecisionTreeFunction)
            XCTAssertEqual(tree.splitCoordinates.count, 7)
            XCTAssertEqual(tree.leafValues.count, 8)
            XCTAssertTrue(tree.splitCoordinates.allSatisfy { (0..<5).contains($0) })
            for point in 0..<30 {
                // Walk down level by level, tracking the position within the level.
                var position = 0
                for level in 0..<3 {
                    let coordinate = tree.splitCoordinates[(1 << level) - 1 + position]
                    position = 2 * position + (batch.inputs[row, point, coordinate] < 0 ? 0 : 1)
                }
                XCTAssertEqual(batch.targets[row, point], tree.leafValues[position])
            }
        }
    }

    func testSplitCoordinatesAreUniformAndLeavesStandardNormal() throws {
        let trees = sampleTasks(try DecisionTreeTasks(inputDimension: 4, depth: 4), count: 200).map { $0 as! DecisionTreeFunction }
        var counts = [Int](repeating: 0, count: 4)
        for coordinate in trees.flatMap(\.splitCoordinates) { counts[coordinate] += 1 }
        // 3000 splits, 750 per coordinate expected (standard deviation ≈ 24).
        for count in counts { XCTAssertEqual(Double(count), 750, accuracy: 100) }
        let leaves = trees.flatMap(\.leafValues).map(Double.init)
        // 3200 leaves: the mean's standard error is ≈ 0.018, the variance's ≈ 0.025.
        let mean = leaves.reduce(0, +) / Double(leaves.count)
        XCTAssertEqual(mean, 0, accuracy: 0.08)
        XCTAssertEqual(leaves.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(leaves.count), 1, accuracy: 0.1)
    }

    func testSameSeedGivesIdenticalBatches() throws {
        assertSeededBatchesRepeat(try DecisionTreeTasks(inputDimension: 4))
    }

    func testBadConfigurationsThrow() {
        assertInvalidConfiguration(try DecisionTreeTasks(inputDimension: 0), mentions: "inputDimension", "got 0")
        assertInvalidConfiguration(try DecisionTreeTasks(inputDimension: 3, depth: 0), mentions: "depth", "got 0")
        assertInvalidConfiguration(try DecisionTreeTasks(inputDimension: 3, depth: 17), mentions: "depth", "got 17")
    }
}
