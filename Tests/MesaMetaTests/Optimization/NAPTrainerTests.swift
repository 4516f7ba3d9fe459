import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class NAPTrainerTests: XCTestCase {
    private func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("mesa-nap-trainer-\(UUID())")
    }

    /// A run small enough for a debug build: 2 episodes of 2 decisions among 8 candidates each.
    private func tinyConfiguration() -> NAPConfiguration {
        var c = NAPConfiguration()
        c.iterations = 3
        c.epochs = 2
        c.episodesPerIteration = 2
        c.horizon = 2
        c.initialPoints = 3...4
        c.uniformCandidates = 6
        c.localCandidates = 2
        c.evaluationFunctions = 1
        c.functionPrior.dimensions = 1...2
        c.checkpointInterval = 1
        c.evaluationInterval = 2
        c.logInterval = 1
        return c
    }

    func testTheTrainerResumesExactly() throws {
        let c = tinyConfiguration()
        let straight = folder(), interrupted = folder()
        defer { try? FileManager.default.removeItem(at: straight); try? FileManager.default.removeItem(at: interrupted) }
        let whole = try NAPTrainer(configuration: c, directory: straight)
        let before = whole.policy.parameters.map { $0.value.scalars }
        try whole.run()
        XCTAssertEqual(whole.step, 6, "3 iterations of 2 PPO epochs")
        XCTAssertNotEqual(whole.policy.parameters.map { $0.value.scalars }, before, "training moved the weights")
        try NAPTrainer(configuration: c, directory: interrupted).run(stoppingAt: 2)
        let resumed = try NAPTrainer(resumingFrom: interrupted)
        XCTAssertEqual(resumed.step, 2)
        try resumed.run()
        XCTAssertEqual(resumed.policy.parameters.map { $0.value.scalars }, whole.policy.parameters.map { $0.value.scalars })
        XCTAssertEqual(try String(contentsOf: resumed.metricsURL, encoding: .utf8), try String(contentsOf: whole.metricsURL, encoding: .utf8),
                       "the resumed run's metrics equal the uninterrupted run's")
        let lines = try String(contentsOf: whole.metricsURL, encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(lines.contains { $0.contains("\"evaluationLogRegret\"") && $0.contains("\"evaluationLogRegretEI\"") })
        XCTAssertTrue(lines.contains { $0.contains("\"neuralProcessLoss\"") && $0.contains("\"clippedObjective\"") })
    }

    func testTheExportLoadsAsASurrogateWithItsRecipe() throws {
        let directory = folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        var c = tinyConfiguration()
        c.iterations = 1
        let trainer = try NAPTrainer(configuration: c, directory: directory)
        try trainer.run()
        let url = directory.appendingPathComponent("nap.safetensors")
        try trainer.export(to: url)
        let surrogate = try NAPSurrogate(contentsOf: url)
        XCTAssertEqual(surrogate.maximumDimension, 2)
        XCTAssertEqual(surrogate.metadata["mesa.iterations"], "1")
        XCTAssertNotNil(Double(surrogate.metadata["mesa.trainingSeconds"] ?? ""))
        XCTAssertEqual(try NAPConfiguration(json: Data(surrogate.metadata["mesa.configuration"]!.utf8), source: "metadata"), c)
        // The run checkpoint itself is a policy file too.
        XCTAssertNoThrow(try NAPSurrogate(contentsOf: trainer.checkpointURL))
    }

    func testReturnsAreTheRemainingLogRegretReduction() {
        let returns = NAPTrainer.returns(logRegrets: [[0, -1, -1, -3], [2, 2, 1, 1]])
        XCTAssertEqual(returns, [[3, 1], [2, 1], [2, 0]])
    }
}
