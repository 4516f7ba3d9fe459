import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class GPICLExperimentTests: XCTestCase {
    private func base() -> InContextTrainingConfiguration {
        InContextTrainingConfiguration(
            name: "base",
            task: TaskConfiguration(family: .projectedDataset, inputDimension: 8, classCount: 10),
            learner: LearnerConfiguration(architecture: .transformer, encoding: .concatenated, modelSize: 32, layerCount: 2, headCount: 2,
                                          feedForwardSize: 64, maximumPointCount: 50),
            training: TrainingConfiguration(steps: 100, batchSize: 16, pointCount: 50))
    }

    func testTransitionCoversPoolSizesForBothArchitecturesAtAboutEqualParameterCounts() throws {
        let runs = try GPICLExperiment.transition.runs(base: base())
        XCTAssertEqual(runs.count, 18)
        XCTAssertEqual(runs.filter { $0.series == "transformer" }.map(\.configuration.task.poolSize),
                       [4, 16, 64, 128, 256, 1024, 4096, 16384, nil])
        XCTAssertEqual(Set(runs.map(\.name)).count, 18, "every run has its own folder")
        var generator = RandomGenerator(seed: 0)
        let kind = TaskKind.classification(classCount: 10)
        let transformer = try runs[0].configuration.learner.makeLearner(inputDimension: 8, kind: kind, using: &generator).parameterCount
        let lstmRun = try XCTUnwrap(runs.first { $0.series == "lstm" })
        XCTAssertEqual(lstmRun.configuration.learner.resolvedEncoding, .previousTarget)
        let lstm = try lstmRun.configuration.learner.makeLearner(inputDimension: 8, kind: kind, using: &generator).parameterCount
        XCTAssertEqual(Double(lstm) / Double(transformer), 1, accuracy: 0.05, "LSTM \(lstm) vs Transformer \(transformer) parameters")
    }

    func testPlateauAndStateSizeVaryOneLeverEach() throws {
        let plateau = try GPICLExperiment.plateau.runs(base: base())
        let byName = Dictionary(uniqueKeysWithValues: plateau.map { ($0.name, $0.configuration) })
        XCTAssertEqual(byName["batch-8"]?.training.batchSize, 8)
        XCTAssertEqual(byName["batch-32"]?.training.batchSize, 32)
        XCTAssertEqual(byName["epsilon-1e-10"]?.training.optimizer.epsilon, 1e-10)
        XCTAssertEqual(byName["unpermuted-0.25"]?.task.unpermutedFraction, 0.25)
        XCTAssertEqual(byName["encoding-previousTarget"]?.learner.encoding, .previousTarget)
        var changed = byName["epsilon-1e-10"]!
        changed.training.optimizer.epsilon = base().training.optimizer.epsilon
        changed.name = "base"
        XCTAssertEqual(changed, base(), "a variant changes only its lever")
        let sizes = try GPICLExperiment.stateSize.runs(base: base())
        XCTAssertEqual(sizes.map(\.configuration.learner.modelSize), [32, 64, 128, 64, 128, 256, 512])
    }

    func testRegimesFollowSeenAndUnseenAccuracy() {
        XCTAssertEqual(GPICLExperiment.regime(seen: 0.12, unseen: 0.11, chance: 0.1), .none)
        XCTAssertEqual(GPICLExperiment.regime(seen: 0.8, unseen: 0.12, chance: 0.1), .memorisation)
        XCTAssertEqual(GPICLExperiment.regime(seen: 0.8, unseen: 0.5, chance: 0.1), .taskIdentification)
        XCTAssertEqual(GPICLExperiment.regime(seen: 0.6, unseen: 0.58, chance: 0.1), .generalLearning)
    }

    func testStateSizeCountsKeysAndValuesOrLSTMState() {
        let transformer = LearnerConfiguration(architecture: .transformer, encoding: .concatenated, modelSize: 64, layerCount: 2)
        XCTAssertEqual(GPICLExperiment.stateSize(of: transformer, pointCount: 100), 2 * 2 * 64 * 100)
        let interleaved = LearnerConfiguration(architecture: .transformer, encoding: .interleaved, modelSize: 64, layerCount: 2)
        XCTAssertEqual(GPICLExperiment.stateSize(of: interleaved, pointCount: 100), 2 * 2 * 64 * 200)
        let lstm = LearnerConfiguration(architecture: .lstm, modelSize: 128, layerCount: 1)
        XCTAssertEqual(GPICLExperiment.stateSize(of: lstm, pointCount: 100), 256)
    }

    /// A predictor that reads the answers (accuracy 1 once the label is seen) and one that guesses class 0.
    private struct Oracle: InContextPredictor {
        var name: String { "oracle" }
        func predictions(for batch: TaskBatch) -> Tensor {
            Tensor.oneHot(batch.targets.scalars.map { Int($0) }, classCount: 10).reshaped(to: [batch.batchSize, batch.pointCount, 10])
        }
    }
    private struct Constant: InContextPredictor {
        var name: String { "class 0" }
        func predictions(for batch: TaskBatch) -> Tensor {
            Tensor.oneHot([Int](repeating: 0, count: batch.batchSize * batch.pointCount), classCount: 10).reshaped(to: [batch.batchSize, batch.pointCount, 10])
        }
    }

    func testAccuracyCurvesScoreEveryPosition() throws {
        var generator = RandomGenerator(seed: 2)
        let labels = (0..<200).map { $0 % 10 }
        let data = try LabelledDataset(features: (0..<800).map { _ in generator.nextNormal() }, labels: labels, featureCount: 4,
                                       classNames: (0..<10).map { "c\($0)" })
        let tasks = try ProjectedDatasetTasks(dataset: data, inputDimension: 4)
        let curves = GPICLExperiment.accuracy(of: [Oracle(), Constant()], on: tasks, promptCount: 100, pointCount: 30, seed: 1)
        XCTAssertEqual(curves[0].points.count, 30)
        XCTAssertTrue(curves[0].points.allSatisfy { $0.mean == 1 })
        let constant = curves[1].points.map(\.mean).reduce(0, +) / 30
        XCTAssertEqual(constant, 0.1, accuracy: 0.03, "a constant guess is right one time in ten (3,000 draws)")
    }

    func testTrainResumesAndRefusesAFolderOfAnotherRun() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gpicl-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = RandomGenerator(seed: 4)
        var csv = "a,b,c,class\n"
        for row in 0..<40 { csv += "\(generator.nextNormal()),\(generator.nextNormal()),\(generator.nextNormal()),\(row % 3)\n" }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try csv.write(to: folder.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        var configuration = base()
        configuration.task.dataset = folder.appendingPathComponent("t.csv").path
        configuration.learner = LearnerConfiguration(architecture: .transformer, encoding: .concatenated, modelSize: 8, layerCount: 1,
                                                     headCount: 2, maximumPointCount: 10)
        configuration.training = TrainingConfiguration(steps: 4, batchSize: 2, pointCount: 10, evaluationInterval: 2, evaluationPromptCount: 4,
                                                       checkpointInterval: 2)
        let run = GPICLExperiment.Run(name: "r", series: "s", x: nil, configuration: configuration)
        // Each trainer holds the run folder's lock while it lives: one session after another.
        XCTAssertEqual(try GPICLExperiment.train(run, in: folder, deadline: Date.distantPast).step, 1,
                       "a passed deadline stops after the first step, with a checkpoint")
        XCTAssertEqual(try GPICLExperiment.train(run, in: folder).step, 4)
        var other = run
        other.configuration.training.batchSize = 3
        XCTAssertThrowsError(try GPICLExperiment.train(other, in: folder)) { XCTAssertTrue("\($0)".contains("another configuration"), "\($0)") }
    }
}
