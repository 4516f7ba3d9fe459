import Foundation
import MesaCore
@testable import MesaMeta

/// A tiny GPICL setting for the experiment tests: a 3-class table of 60 rows projected to 4
/// dimensions, a one-layer Transformer of width 16, runs of 2 steps.
final class GPICLFixture {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-gpicl-\(UUID())")
    var tablesFolder: URL { directory.appendingPathComponent("tables") }

    init() throws {
        var csv = "a,b,c,d,class\n"
        for row in 0..<60 {
            let label = row % 3
            csv += "\(Double(label) + 0.1 * Double(row % 7)),\(Double(row % 5)),\(-Double(label)),\(Double(row % 11) / 11),k\(label)\n"
        }
        try FileManager.default.createDirectory(at: tablesFolder, withIntermediateDirectories: true)
        try csv.write(to: tablesFolder.appendingPathComponent("three.csv"), atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// The base configuration of the experiments.
    var base: InContextTrainingConfiguration {
        InContextTrainingConfiguration(
            name: "tiny",
            task: TaskConfiguration(family: .projectedDataset, inputDimension: 4, classCount: 10,
                                    dataset: tablesFolder.appendingPathComponent("three.csv").path),
            learner: LearnerConfiguration(architecture: .transformer, encoding: .concatenated, modelSize: 16, layerCount: 1, headCount: 2,
                                          maximumPointCount: 20),
            training: TrainingConfiguration(steps: 2, batchSize: 2, pointCount: 20, optimizer: OptimizerConfiguration(warmUpSteps: 1, minimumLearningRate: 1e-5, gradientClipNorm: 1), evaluationInterval: 1,
                                            evaluationPromptCount: 4, checkpointInterval: 1, logInterval: 1),
            evaluation: EvaluationConfiguration(probes: false))
    }

    /// Trains the runs of `experiment` named in `names` (in the order of the experiment) in
    /// `folder`, returning them with their trainers.
    func train(_ experiment: GPICLExperiment, names: Set<String>, in folder: URL) throws -> (runs: [GPICLExperiment.Run], trainers: [InContextTrainer]) {
        let runs = try experiment.runs(base: base).filter { names.contains($0.name) }
        precondition(runs.count == names.count, "unknown run names \(names)")
        return (runs, try runs.map { try GPICLExperiment.train($0, in: folder) })
    }
}
