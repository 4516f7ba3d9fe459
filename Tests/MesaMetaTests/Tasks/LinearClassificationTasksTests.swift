import MesaCore
@testable import MesaMeta
import XCTest

final class LinearClassificationTasksTests: XCTestCase {
    /// argmax_c (W x)_c, computed independently in `Double`.
    func argmax(_ weights: [Float], classCount: Int, x: [Float]) -> Int {
        let d = x.count
        let scores = (0..<classCount).map { c in (0..<d).map { Double(weights[c * d + $0]) * Double(x[$0]) }.reduce(0, +) }
        return scores.indices.max { scores[$0] < scores[$1] }!
    }

    func testLabelsAreTheArgmaxOfWxAndLieInRange() throws {
        let tasks = try LinearClassificationTasks(inputDimension: 4, classCount: 5)
        XCTAssertEqual(tasks.kind, .classification(classCount: 5))
        let drawn = sampleTasks(tasks, count: 10)
        let batch = samplePrompts(tasks, tasks: drawn, pointCount: 40)
        var seen = Set<Int>()
        for (row, task) in drawn.enumerated() {
            let classifier = try XCTUnwrap(task as? LinearClassifierFunction)
            XCTAssertEqual(classifier.weights.count, 20)
            for point in 0..<40 {
                let label = batch.targets[row, point]
                XCTAssertEqual(label, label.rounded())
                XCTAssertTrue((0..<5).contains(Int(label)))
                let x = (0..<4).map { batch.inputs[row, point, $0] }
                XCTAssertEqual(Int(label), argmax(classifier.weights, classCount: 5, x: x))
                seen.insert(Int(label))
            }
        }
        XCTAssertEqual(seen, Set(0..<5), "400 points should reach every class")
    }

    func testAHandBuiltClassifier() {
        // Scores (x₀, x₁, −x₀ − x₁): x = (1, 2) → class 1, (3, −1) → class 0, (−1, −1) → class 2.
        let classifier = LinearClassifierFunction(weights: [1, 0, 0, 1, -1, -1], classCount: 3)
        var generator = RandomGenerator(seed: 0)
        XCTAssertEqual(classifier.targets(for: [1, 2, 3, -1, -1, -1], count: 3, using: &generator), [1, 0, 2])
    }

    func testLabelNoiseFlipsTheStatedFraction() throws {
        let p: Float = 0.3, k = 4
        let tasks = try LinearClassificationTasks(inputDimension: 3, classCount: k, labelNoise: p)
        let drawn = sampleTasks(tasks, count: 40)
        let batch = samplePrompts(tasks, tasks: drawn, pointCount: 100)
        var changed = 0
        for (row, task) in drawn.enumerated() {
            let weights = (task as! LinearClassifierFunction).weights
            for point in 0..<100 {
                let label = Int(batch.targets[row, point])
                XCTAssertTrue((0..<k).contains(label))
                if label != argmax(weights, classCount: k, x: (0..<3).map { batch.inputs[row, point, $0] }) { changed += 1 }
            }
        }
        // A label changes with probability p(1 − 1/k) = 0.225; over 4000 labels the standard error is ≈ 0.0066.
        XCTAssertEqual(Double(changed) / 4000, 0.225, accuracy: 0.03)
    }

    func testSameSeedGivesIdenticalBatches() throws {
        assertSeededBatchesRepeat(try LinearClassificationTasks(inputDimension: 3, classCount: 3, labelNoise: 0.2), pointCount: 20)
    }

    func testBadConfigurationsThrow() {
        assertInvalidConfiguration(try LinearClassificationTasks(inputDimension: 0, classCount: 2), mentions: "inputDimension", "got 0")
        assertInvalidConfiguration(try LinearClassificationTasks(inputDimension: 2, classCount: 1), mentions: "classCount", "got 1")
        assertInvalidConfiguration(try LinearClassificationTasks(inputDimension: 2, classCount: 2, labelNoise: 1.5), mentions: "labelNoise", "got 1.5")
        assertInvalidConfiguration(try LinearClassificationTasks(inputDimension: 2, classCount: 2, labelNoise: -0.1), mentions: "labelNoise", "got -0.1")
        assertInvalidConfiguration(try LinearClassificationTasks(inputDimension: 2, classCount: 2, labelNoise: .nan), mentions: "labelNoise", "got nan")
    }
}
