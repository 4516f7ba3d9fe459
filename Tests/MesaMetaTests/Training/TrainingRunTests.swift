import Foundation
import MesaCore
import MesaNN
import XCTest
@testable import MesaMeta

/// The shared loop on a minimal run: a linear layer fitted to `y = 2x` by the optimizer of an
/// ``OptimizerConfiguration``, so the loop's cadence, time limit and resume are checked apart
/// from any trainer.
final class TrainingRunTests: XCTestCase {
    final class LineFit: TrainingRun {
        let layer: Linear
        let state: TrainingState
        let intervals: TrainingIntervals
        var evaluations = 0

        init(directory: URL, steps: Int, intervals: TrainingIntervals, step: Int = 0) {
            var generator = RandomGenerator(seed: 4)
            layer = Linear(inputSize: 1, outputSize: 1, using: &generator)
            self.intervals = intervals
            state = TrainingState(directory: directory, optimizer: OptimizerConfiguration(learningRate: 0.05, decay: .linear, gradientClipNorm: 10),
                                  parameters: layer.parameters, totalSteps: steps, generator: generator.split(), step: step)
        }

        func trainStep() throws -> TrainingStepResult {
            let x = Tensor.randomNormal([8, 1], using: &state.generator)
            let loss = try state.update {
                let difference = layer(x) - 2 * x
                let loss = (difference * difference).mean()
                loss.backward()
                return loss.scalar
            }
            return TrainingStepResult(loss: loss, metrics: ["extra": 1])
        }

        func evaluationMetrics() -> [String: Double] {
            evaluations += 1
            return ["evaluationLoss": Double(layer.parameters[0].value.scalars[0])]
        }

        func saveCheckpoint() throws {
            try state.writeCheckpoint(layer.checkpoint(metadata: [:]), format: "test-1", configuration: ["kind": "line"])
        }
    }

    private var directories: [URL] = []
    override func tearDown() { for url in directories { try? FileManager.default.removeItem(at: url) } }
    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-loop-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try Data().write(to: url.appendingPathComponent("metrics.jsonl"))
        directories.append(url)
        return url
    }

    func testLogsEvaluatesAndCheckpointsOnItsIntervals() throws {
        let run = LineFit(directory: try folder(), steps: 10, intervals: TrainingIntervals(log: 3, evaluation: 4, checkpoint: 5))
        let initialSlope = run.layer.parameters[0].value.scalars[0]
        var events: [String] = []
        try run.run { event in
            switch event {
            case .step(let step, _, let metrics):
                events.append("s\(step)")
                XCTAssertEqual(metrics["extra"], 1)
                XCTAssertNotNil(metrics["learningRate"])
            case .evaluation(let step, _): events.append("e\(step)")
            case .checkpoint(let step, _): events.append("c\(step)")
            }
        }
        XCTAssertEqual(events, ["s3", "e4", "c5", "s6", "e8", "s9", "s10", "e10", "c10"])
        XCTAssertTrue(run.isFinished)
        XCTAssertLessThan(abs(run.layer.parameters[0].value.scalars[0] - 2), abs(initialSlope - 2), "the fit moves towards the slope 2")
        let lines = try String(contentsOf: run.metricsURL, encoding: .utf8).split(separator: "\n").map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Double])
        }
        XCTAssertEqual(lines.compactMap { $0["loss"] == nil ? nil : Int($0["step"]!) }, [3, 6, 9, 10])
        XCTAssertEqual(lines.compactMap { $0["evaluationLoss"] == nil ? nil : Int($0["step"]!) }, [4, 8, 10])
        let rates = lines.compactMap { $0["learningRate"] }
        // The rate of the update that ended step s is the schedule's at s − 1: 0.05 → 0.005 linearly over 10 steps.
        let expected = [2.0, 5, 8, 9].map { 0.05 - 0.045 * $0 / 10 }
        XCTAssertEqual(rates.count, expected.count)
        for (rate, value) in zip(rates, expected) { XCTAssertEqual(rate, value, accuracy: 1e-6) }
    }

    func testAPassedDeadlineStopsAfterOneStepWithACheckpoint() throws {
        let run = LineFit(directory: try folder(), steps: 100, intervals: TrainingIntervals(log: 50, evaluation: 50, checkpoint: 50))
        var checkpoints: [Int] = []
        try run.run(deadline: Date.distantPast) { if case .checkpoint(let step, _) = $0 { checkpoints.append(step) } }
        XCTAssertEqual(run.step, 1)
        XCTAssertEqual(checkpoints, [1])
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.checkpointURL.path))
        XCTAssertGreaterThanOrEqual(run.trainingSeconds, 0)
    }

    /// Generator and optimizer come back from the checkpoint: a run stopped at 4 and continued
    /// to 9 ends where an uninterrupted one does, bit for bit.
    func testStateRestoresExactly() throws {
        let intervals = TrainingIntervals(log: 1, evaluation: 100, checkpoint: 100)
        let straight = LineFit(directory: try folder(), steps: 9, intervals: intervals)
        try straight.run()
        let directory = try folder()
        let first = LineFit(directory: directory, steps: 9, intervals: intervals)
        try first.run(stoppingAt: 4)
        let checkpoint = try SafeTensors(contentsOf: first.checkpointURL)
        let second = LineFit(directory: directory, steps: 9, intervals: intervals, step: 4)
        try second.layer.restore(from: checkpoint, strict: false)
        try second.state.restore(from: checkpoint, url: first.checkpointURL)
        try second.run()
        XCTAssertEqual(second.layer.parameters.map(\.value.scalars), straight.layer.parameters.map(\.value.scalars))
        XCTAssertEqual(checkpoint.metadata["mesa.format"], "test-1")
        XCTAssertEqual(checkpoint.metadata["mesa.step"], "4")
    }
}
