import Foundation
import XCTest

/// `mesa train`, `mesa eval` and `mesa presets` end to end on a tiny configuration.
final class TrainCommandTests: ScratchFolderTestCase {
    func writeConfiguration(steps: Int = 30) throws -> String {
        let json = """
        {"name": "tiny", "task": {"family": "linear", "inputDimension": 3},
         "learner": {"modelSize": 16, "layerCount": 1, "headCount": 2, "maximumPointCount": 8},
         "training": {"steps": \(steps), "batchSize": 8, "pointCount": 8, "warmUpSteps": 5, "evaluationInterval": 10,
                      "evaluationPromptCount": 16, "checkpointInterval": 10, "logInterval": 5},
         "evaluation": {"baselines": ["leastSquares", "averaging"], "promptCount": 64, "probes": true}}
        """
        let url = directory.appendingPathComponent("tiny.json")
        try json.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testTrainThenEvaluateWriteTheirFiles() throws {
        let run = directory.appendingPathComponent("run").path
        let first = try MesaProcess.run(["train", "--config", writeConfiguration(), "--output", run, "--steps", "20"])
        XCTAssertEqual(first.status, 0, first.error)
        XCTAssertTrue(first.output.contains("finished at step 20"), first.output)
        for file in ["config.json", "checkpoint.safetensors", "metrics.jsonl"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(run)/\(file)"), "missing \(file)")
        }
        XCTAssertTrue(first.error.contains("held-out loss"), "evaluations are shown: \(first.error)")

        let again = try MesaProcess.run(["train", "--config", writeConfiguration(), "--output", run])
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.error.contains("already holds a run"), again.error)

        let resumed = try MesaProcess.run(["train", "--resume", "--output", run])
        XCTAssertEqual(resumed.status, 0, resumed.error)
        XCTAssertTrue(resumed.output.contains("resuming") && resumed.output.contains("is finished (20 of 20 steps)")
                      && resumed.output.contains("--steps 40") && !resumed.output.contains("nan"), resumed.output)

        let evaluation = try MesaProcess.run(["eval", "--run", run])
        XCTAssertEqual(evaluation.status, 0, evaluation.error)
        let csv = try String(contentsOfFile: "\(run)/eval/curves.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.first, "probe,predictor,examples,metric,mean,standard_error")
        // 3 predictors × 8 points × (in-distribution + 4 probes).
        XCTAssertEqual(csv.count - 1, 3 * 8 * 5)
        for probe in ["in-distribution,", "inputs x2,", "inputs x3,", "added noise 1,", "d 1 of 3,"] {
            XCTAssertTrue(csv.contains { $0.hasPrefix(probe) }, "probe \(probe) is in the CSV")
        }
        let svg = try String(contentsOfFile: "\(run)/eval/curves-in-distribution.svg", encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg") && svg.contains("polyline"))

        // Paired differences: learner minus each of the 2 baselines, consistent with the curves.
        let paired = try String(contentsOfFile: "\(run)/eval/differences.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(paired.first, "probe,baseline,examples,metric,mean_difference,standard_error")
        XCTAssertEqual(paired.count - 1, 2 * 8 * 5)
        XCTAssertTrue(evaluation.output.contains("learner − baseline on the same prompts"), evaluation.output)
        func means(_ rows: [Substring], probe: String, predictor: (String) -> Bool) -> [Double] {
            rows.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
                .filter { $0[0] == probe && predictor($0[1]) }.map { Double($0[4])! }
        }
        let learner = means(csv, probe: "in-distribution") { $0.hasPrefix("transformer") }
        let leastSquares = means(csv, probe: "in-distribution") { $0 == "least squares" }
        let difference = means(paired, probe: "in-distribution") { $0 == "least squares" }
        XCTAssertEqual(difference.count, 8)
        for (index, value) in difference.enumerated() {
            XCTAssertEqual(value, learner[index] - leastSquares[index], accuracy: 1e-9 * max(1, abs(learner[index])))
        }

        // --seed draws an independent set of prompts: the same predictors score differently.
        let reseeded = try MesaProcess.run(["eval", "--run", run, "--seed", "7", "--no-probes", "--output", "\(run)/eval-7"])
        XCTAssertEqual(reseeded.status, 0, reseeded.error)
        let other = try String(contentsOfFile: "\(run)/eval-7/curves.csv", encoding: .utf8).split(separator: "\n")
        let otherLearner = means(other, probe: "in-distribution") { $0.hasPrefix("transformer") }
        XCTAssertEqual(otherLearner.count, 8)
        XCTAssertNotEqual(otherLearner, learner)
    }

    func testBadInvocationsGiveClearErrors() throws {
        let preset = try MesaProcess.run(["train", "--preset", "no-such-preset"])
        XCTAssertNotEqual(preset.status, 0)
        XCTAssertTrue(preset.error.contains("unknown preset 'no-such-preset'") && preset.error.contains("linear"), preset.error)
        let both = try MesaProcess.run(["train", "--preset", "linear", "--config", "x.json"])
        XCTAssertNotEqual(both.status, 0)
        XCTAssertTrue(both.error.contains("exactly one of"), both.error)
        let resume = try MesaProcess.run(["train", "--resume", "--output", directory.appendingPathComponent("none").path])
        XCTAssertNotEqual(resume.status, 0)
        XCTAssertTrue(resume.error.contains("nothing to resume"), resume.error)
        let badField = directory.appendingPathComponent("bad.json")
        try #"{"task": {"family": "linear", "inputDimension": 3}, "training": {"stepz": 3}}"#.write(to: badField, atomically: true, encoding: .utf8)
        let field = try MesaProcess.run(["train", "--config", badField.path])
        XCTAssertNotEqual(field.status, 0)
        XCTAssertTrue(field.error.contains("'stepz'"), field.error)
        let eval = try MesaProcess.run(["eval", "--run", directory.path])
        XCTAssertNotEqual(eval.status, 0)
        XCTAssertTrue(eval.error.contains("checkpoint.safetensors"), eval.error)
    }

    func testEveryShippedPresetIsValid() throws {
        let result = try MesaProcess.run(["presets"])
        XCTAssertEqual(result.status, 0, result.error)
        for name in ["linear", "sparse-linear", "relu-network", "decision-tree", "fourier", "gaussian-process", "mixture", "lsa-gd-1"] {
            XCTAssertTrue(result.output.contains(name), "preset \(name) is listed: \(result.output)")
            let printed = try MesaProcess.run(["train", "--preset", name, "--print-config"])
            XCTAssertEqual(printed.status, 0, "\(name): \(printed.error)")
        }
    }
}
