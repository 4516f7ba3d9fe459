import Foundation
import MesaCore
import MesaNN
@testable import MesaMeta
import XCTest

final class MetaTrainerTests: XCTestCase {
    var directories: [URL] = []

    override func tearDown() {
        for directory in directories { try? FileManager.default.removeItem(at: directory) }
    }

    func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-trainer-\(UUID())")
        directories.append(url)
        return url
    }

    func smallConfiguration(architecture: String = "transformer", steps: Int = 12) -> MetaTrainingConfiguration {
        MetaTrainingConfiguration(
            name: "test", task: TaskConfiguration(family: "linear", inputDimension: 3),
            learner: LearnerConfiguration(architecture: architecture, modelSize: 16, layerCount: 1, headCount: 2, maximumPointCount: 8),
            training: TrainingConfiguration(steps: steps, batchSize: 8, pointCount: 8, learningRate: 3e-3, warmUpSteps: 2,
                                            curriculum: CurriculumConfiguration(startDimensions: 1, startPoints: 3, interval: 4),
                                            evaluationInterval: 4, evaluationPromptCount: 16, checkpointInterval: 5, logInterval: 1))
    }

    /// The acceptance test of resumability: stopping after 5 steps and resuming from the
    /// checkpoint gives, after 12 steps, exactly (bit for bit) the parameters of an uninterrupted run.
    func testInterruptedAndResumedRunEqualsUninterruptedRun() throws {
        for architecture in ["transformer", "lstm"] {
            let configuration = smallConfiguration(architecture: architecture)
            let straight = try MetaTrainer(configuration: configuration, directory: temporaryDirectory())
            try straight.run()

            let directory = temporaryDirectory()
            let first = try MetaTrainer(configuration: configuration, directory: directory)
            try first.run(stoppingAt: 5)
            // Steps taken after the checkpoint by a session that then died are lost and redone.
            try first.trainStep()
            let resumed = try MetaTrainer(resumingFrom: directory)
            XCTAssertEqual(resumed.step, 5)
            try resumed.run()
            XCTAssertEqual(resumed.step, 12)
            for ((name, a), (_, b)) in zip(straight.learner.namedParameters, resumed.learner.namedParameters) {
                XCTAssertEqual(a.value.scalars, b.value.scalars, "\(architecture): parameter \(name) differs after resuming")
            }
            let steps = try String(contentsOf: resumed.metricsURL, encoding: .utf8).split(separator: "\n")
                .filter { $0.contains("\"loss\"") }.count
            XCTAssertEqual(steps, 12, "metrics hold each step once")
        }
    }

    func testCurriculumGrowsDimensionsAndPromptLength() throws {
        let trainer = try MetaTrainer(configuration: smallConfiguration(), directory: temporaryDirectory())
        XCTAssertEqual(trainer.stage(atStep: 0).dimensions, 1)
        XCTAssertEqual(trainer.stage(atStep: 0).points, 3)
        XCTAssertEqual(trainer.stage(atStep: 4).dimensions, 2)
        XCTAssertEqual(trainer.stage(atStep: 4).points, 5)
        XCTAssertEqual(trainer.stage(atStep: 100).dimensions, 3)
        XCTAssertEqual(trainer.stage(atStep: 100).points, 8)
    }

    /// A few hundred steps on 2-D linear regression must bring the held-out loss clearly below
    /// that of predicting zero (the mean squared target, ≈ 2 for w, x ~ N(0, I₂)), which needs
    /// learning from the context; a seconds-long sanity check, not a benchmark.
    func testTrainingBeatsPredictingZero() throws {
        var configuration = smallConfiguration(steps: 400)
        configuration.task.inputDimension = 2
        configuration.learner.modelSize = 32
        configuration.learner.layerCount = 2
        configuration.training.curriculum = nil
        configuration.training.learningRate = 3e-3
        configuration.training.evaluationInterval = 400
        configuration.training.checkpointInterval = 400
        let trainer = try MetaTrainer(configuration: configuration, directory: temporaryDirectory())
        let targets = trainer.evaluationBatch.targets
        let zeroLoss = (targets * targets).mean().scalar
        try trainer.run()
        let after = trainer.evaluate().loss
        XCTAssertLessThan(after, 0.6 * zeroLoss, "held-out loss \(after) vs \(zeroLoss) for predicting zero")
    }

    func testNewRunRefusesToOverwriteAndResumeNeedsACheckpoint() throws {
        let directory = temporaryDirectory()
        try MetaTrainer(configuration: smallConfiguration(steps: 2), directory: directory).run()
        XCTAssertThrowsError(try MetaTrainer(configuration: smallConfiguration(), directory: directory)) { error in
            XCTAssertTrue("\(error)".contains("already holds a run"), "\(error)")
        }
        XCTAssertThrowsError(try MetaTrainer(resumingFrom: temporaryDirectory())) { error in
            XCTAssertTrue("\(error)".contains("nothing to resume"), "\(error)")
        }
    }

    func testCorruptCheckpointIsAClearError() throws {
        let directory = temporaryDirectory()
        try MetaTrainer(configuration: smallConfiguration(steps: 2), directory: directory).run()
        let url = directory.appendingPathComponent("checkpoint.safetensors")
        let data = try Data(contentsOf: url)
        try data.prefix(data.count / 2).write(to: url)
        XCTAssertThrowsError(try MetaTrainer(resumingFrom: directory)) { error in
            XCTAssertTrue(error is CheckpointError, "\(error)")
        }
    }
}
