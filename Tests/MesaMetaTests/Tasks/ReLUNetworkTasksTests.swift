import MesaCore
@testable import MesaMeta
import XCTest

final class ReLUNetworkTasksTests: XCTestCase {
    func testTargetsEqualAHandEvaluationOfTheNetwork() throws {
        let tasks = try ReLUNetworkTasks(inputDimension: 3, hiddenSize: 5)
        let drawn = sampleTasks(tasks, count: 3)
        let batch = samplePrompts(tasks, tasks: drawn, pointCount: 7)
        for (row, task) in drawn.enumerated() {
            let network = try XCTUnwrap(task as? ReLUNetworkFunction)
            XCTAssertEqual(network.hiddenWeights.count, 15)
            XCTAssertEqual(network.outputWeights.count, 5)
            for point in 0..<7 {
                var expected = 0.0
                for unit in 0..<5 {
                    let w = network.hiddenWeights[(unit * 3)..<(unit * 3 + 3)].map(Double.init)
                    let hidden = (0..<3).map { w[$0] * Double(batch.inputs[row, point, $0]) }.reduce(0, +)
                    expected += Double(network.outputWeights[unit]) * max(hidden, 0)
                }
                XCTAssertEqual(Double(batch.targets[row, point]), expected, accuracy: 1e-4)
            }
        }
    }

    func testAHandBuiltNetwork() {
        // f(x) = 2·ReLU(x₀ − x₁) − ReLU(x₁) at x = (1, 3) and (3, 1).
        let network = ReLUNetworkFunction(hiddenWeights: [1, -1, 0, 1], outputWeights: [2, -1])
        var generator = RandomGenerator(seed: 0)
        XCTAssertEqual(network.targets(for: [1, 3, 3, 1], count: 2, using: &generator), [-3, 3])
    }

    func testWeightScalesFollowGargEtAl() throws {
        let hiddenSize = 10
        let tasks = try ReLUNetworkTasks(inputDimension: 4, hiddenSize: hiddenSize)
        let networks = sampleTasks(tasks, count: 500).map { $0 as! ReLUNetworkFunction }
        let alphas = networks.flatMap(\.outputWeights).map(Double.init), weights = networks.flatMap(\.hiddenWeights).map(Double.init)
        // E[α²] = 2/r = 0.2 from 5000 draws (relative standard error √(2/5000) = 2 %); E[w²] = 1 from 20 000.
        XCTAssertEqual(alphas.map { $0 * $0 }.reduce(0, +) / Double(alphas.count), 0.2, accuracy: 0.02)
        XCTAssertEqual(weights.map { $0 * $0 }.reduce(0, +) / Double(weights.count), 1, accuracy: 0.05)
    }

    func testSameSeedGivesIdenticalBatches() throws {
        assertSeededBatchesRepeat(try ReLUNetworkTasks(inputDimension: 3, hiddenSize: 8, noise: 0.1))
    }

    func testBadConfigurationsThrow() {
        assertInvalidConfiguration(try ReLUNetworkTasks(inputDimension: -2), mentions: "inputDimension", "got -2")
        assertInvalidConfiguration(try ReLUNetworkTasks(inputDimension: 3, hiddenSize: 0), mentions: "hiddenSize", "got 0")
        assertInvalidConfiguration(try ReLUNetworkTasks(inputDimension: 3, noise: .nan), mentions: "noise", "got nan")
    }
}
