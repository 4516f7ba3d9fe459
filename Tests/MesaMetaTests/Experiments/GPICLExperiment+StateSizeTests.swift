import Foundation
@testable import MesaMeta
import MesaTestSupport
import XCTest

final class GPICLExperimentStateSizeTests: SingleThreadedTestCase {
    func testWritesAccuracyAgainstStateSizePerArchitecture() throws {
        let fixture = try GPICLFixture()
        let folder = fixture.directory.appendingPathComponent("state")
        let (runs, trainers) = try fixture.train(.stateSize, names: ["transformer-d32", "lstm-h64"], in: folder)
        let analysis = try GPICLExperiment.stateSize.analyse(runs: runs, trainers: trainers, base: fixture.base, promptCount: 4, to: folder)
        let csv = try String(contentsOf: folder.appendingPathComponent("state-size.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.first, "architecture,size,parameters,state_size,unseen_accuracy,unseen_se")
        // Keys and values of 1 layer of width 32 over 20 concatenated context tokens; 2 × 64 numbers of LSTM state.
        XCTAssertTrue(csv[1].hasPrefix("transformer,32,\(trainers[0].learner.parameterCount),\(2 * 32 * 20),"), String(csv[1]))
        XCTAssertTrue(csv[2].hasPrefix("lstm,64,\(trainers[1].learner.parameterCount),128,"), String(csv[2]))
        let svg = try String(contentsOf: folder.appendingPathComponent("state-size.svg"), encoding: .utf8)
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 2)
        XCTAssertEqual(analysis.lines.last, "wrote \(folder.appendingPathComponent("state-size.csv").path) and state-size.svg")
    }

    func testUnseenTasksNeedProjectedDatasetTasks() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-unseen-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = InContextTrainingConfiguration(
            name: "linear", task: TaskConfiguration(family: .linear, inputDimension: 2),
            learner: LearnerConfiguration(modelSize: 8, layerCount: 1, headCount: 2, maximumPointCount: 6),
            training: TrainingConfiguration(steps: 1, batchSize: 2, pointCount: 6))
        let trainer = try InContextTrainer(configuration: configuration, directory: folder)
        XCTAssertThrowsError(try GPICLExperiment.seenAndUnseenAccuracy(of: trainer, testImages: nil, promptCount: 4)) { error in
            XCTAssertTrue("\(error)".contains("needs projectedDataset tasks"), "\(error)")
        }
    }
}
