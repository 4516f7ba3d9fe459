import Foundation
import MesaCore
import MesaNN
@testable import MesaMeta
import XCTest

final class InContextTrainerTests: XCTestCase {
    var directories: [URL] = []

    override func tearDown() {
        for directory in directories { try? FileManager.default.removeItem(at: directory) }
    }

    func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-trainer-\(UUID())")
        directories.append(url)
        return url
    }

    func smallConfiguration(architecture: LearnerArchitecture = .transformer, steps: Int = 12) -> InContextTrainingConfiguration {
        InContextTrainingConfiguration(
            name: "test", task: TaskConfiguration(family: .linear, inputDimension: 3),
            learner: LearnerConfiguration(architecture: architecture, modelSize: 16, layerCount: 1, headCount: 2, maximumPointCount: 8),
            training: TrainingConfiguration(steps: steps, batchSize: 8, pointCount: 8,
                                            optimizer: OptimizerConfiguration(learningRate: 3e-3, warmUpSteps: 2, minimumLearningRate: 1e-5, gradientClipNorm: 1),
                                            curriculum: CurriculumConfiguration(startDimensions: 1, startPoints: 3, interval: 4),
                                            evaluationInterval: 4, evaluationPromptCount: 16, checkpointInterval: 5, logInterval: 1))
    }

    /// The acceptance test of resumability: stopping after 5 steps and resuming from the
    /// checkpoint gives, after 12 steps, exactly (bit for bit) the parameters of an uninterrupted run.
    func testInterruptedAndResumedRunEqualsUninterruptedRun() throws {
        for architecture in [LearnerArchitecture.transformer, .lstm] {
            let configuration = smallConfiguration(architecture: architecture)
            let straight = try InContextTrainer(configuration: configuration, directory: temporaryDirectory())
            try straight.run()

            let directory = temporaryDirectory()
            do {   // the first session, which holds the run folder's lock until it ends
                let first = try InContextTrainer(configuration: configuration, directory: directory)
                try first.run(stoppingAt: 5)
                // Steps taken after the checkpoint by a session that then died are lost and redone.
                try first.trainStep()
            }
            let resumed = try InContextTrainer(resumingFrom: directory)
            XCTAssertEqual(resumed.step, 5)
            try resumed.run()
            XCTAssertEqual(resumed.step, 12)
            XCTAssertEqual(straight.learner.namedParameters.count, resumed.learner.namedParameters.count, "paired lengths")
            for ((name, a), (_, b)) in zip(straight.learner.namedParameters, resumed.learner.namedParameters) {
                XCTAssertEqual(a.value.scalars, b.value.scalars, "\(architecture): parameter \(name) differs after resuming")
            }
            let steps = try String(contentsOf: resumed.metricsURL, encoding: .utf8).split(separator: "\n")
                .filter { $0.contains("\"loss\"") }.count
            XCTAssertEqual(steps, 12, "metrics hold each step once")
        }
    }

    func testARunCanBeExtendedButNotShortened() throws {
        let directory = temporaryDirectory()
        try InContextTrainer(configuration: smallConfiguration(steps: 6), directory: directory).run()
        XCTAssertThrowsError(try InContextTrainer(resumingFrom: directory, extendingTo: 6)) { XCTAssertTrue("\($0)".contains("do not extend"), "\($0)") }
        do {   // a session holds the run folder's lock until it ends
            let extended = try InContextTrainer(resumingFrom: directory, extendingTo: 10)
            try extended.run()
            XCTAssertEqual(extended.step, 10)
        }
        XCTAssertEqual(try InContextTrainer(resumingFrom: directory).configuration.training.steps, 10)
        let saved = try InContextTrainingConfiguration(json: try Data(contentsOf: directory.appendingPathComponent("config.json")), source: "config.json")
        XCTAssertEqual(saved.training.steps, 10)
    }

    func testCurriculumGrowsDimensionsAndPromptLength() throws {
        let trainer = try InContextTrainer(configuration: smallConfiguration(), directory: temporaryDirectory())
        XCTAssertEqual(trainer.stage(atStep: 0).dimensions, 1)
        XCTAssertEqual(trainer.stage(atStep: 0).points, 3)
        XCTAssertEqual(trainer.stage(atStep: 4).dimensions, 2)
        XCTAssertEqual(trainer.stage(atStep: 4).points, 5)
        XCTAssertEqual(trainer.stage(atStep: 100).dimensions, 3)
        XCTAssertEqual(trainer.stage(atStep: 100).points, 8)
    }

    /// Training works end to end: on a pool of one fixed linear task (nothing to infer from the
    /// context), 150 steps bring the held-out loss far below its initial value and below that of
    /// predicting zero. A seconds-long check of the loop; learning in context is measured by the
    /// presets and `mesa eval`, not here.
    func testTrainingFitsAFixedTask() throws {
        var configuration = smallConfiguration(steps: 150)
        configuration.task = TaskConfiguration(family: .linear, inputDimension: 2, poolSize: 1, poolSeed: 3)
        configuration.training.curriculum = nil
        configuration.training.optimizer.learningRate = 1e-2
        configuration.training.optimizer.warmUpSteps = 10
        configuration.training.evaluationInterval = 150
        configuration.training.checkpointInterval = 150
        let trainer = try InContextTrainer(configuration: configuration, directory: temporaryDirectory())
        let targets = trainer.evaluationBatch.targets
        let zeroLoss = (targets * targets).mean().scalar
        let before = trainer.evaluate().loss
        try trainer.run()
        let after = trainer.evaluate().loss
        XCTAssertLessThan(after, 0.2 * min(before, zeroLoss), "held-out loss \(before) → \(after); predicting zero: \(zeroLoss)")
    }

    func testNewRunRefusesToOverwriteAndResumeNeedsACheckpoint() throws {
        let directory = temporaryDirectory()
        try InContextTrainer(configuration: smallConfiguration(steps: 2), directory: directory).run()
        XCTAssertThrowsError(try InContextTrainer(configuration: smallConfiguration(), directory: directory)) { error in
            XCTAssertTrue("\(error)".contains("already holds a run"), "\(error)")
        }
        XCTAssertThrowsError(try InContextTrainer(resumingFrom: temporaryDirectory())) { error in
            XCTAssertTrue("\(error)".contains("nothing to resume"), "\(error)")
        }
    }

    func testCorruptCheckpointIsAClearError() throws {
        let directory = temporaryDirectory()
        try InContextTrainer(configuration: smallConfiguration(steps: 2), directory: directory).run()
        let url = directory.appendingPathComponent("checkpoint.safetensors")
        let data = try Data(contentsOf: url)
        try data.prefix(data.count / 2).write(to: url)
        XCTAssertThrowsError(try InContextTrainer(resumingFrom: directory)) { error in
            XCTAssertTrue(error is CheckpointError, "\(error)")
        }
    }

    /// A session holds its run folder: a second one is refused while it lives; after it ends
    /// the run resumes.
    func testASessionHoldsItsRunFolder() throws {
        let directory = temporaryDirectory()
        do {
            let trainer = try InContextTrainer(configuration: smallConfiguration(steps: 6), directory: directory)
            try trainer.run(stoppingAt: 5)
            XCTAssertThrowsError(try InContextTrainer(resumingFrom: directory)) { XCTAssertTrue($0 is RunFolderInUse, "\($0)") }
            XCTAssertThrowsError(try InContextTrainer(configuration: smallConfiguration(steps: 6), directory: directory)) {
                XCTAssertTrue($0 is RunFolderInUse, "\($0)")
            }
        }
        XCTAssertEqual(try InContextTrainer(resumingFrom: directory).step, 5)
    }
}
