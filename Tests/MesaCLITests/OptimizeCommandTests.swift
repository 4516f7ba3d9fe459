import Foundation
import XCTest

/// `mesa optimize`, `mesa suggest` and `mesa benchmark-bo` end to end.
final class OptimizeCommandTests: ScratchFolderTestCase {
    var space: String!

    override func setUpWithError() throws {
        try super.setUpWithError()
        space = try write("space.json", """
            {"parameters": [{"name": "x", "type": "continuous", "low": -2, "high": 2},
                            {"name": "act", "type": "categorical", "values": ["relu", "gelu"]}]}
            """)
    }

    /// `(x − 0.5)² + [act = relu]`, printed after a line of chatter.
    private let objective = ["--", "/bin/sh", "-c", "echo training {act}; awk 'BEGIN { print \"loss\", ({x} - 0.5) ^ 2 + (\"{act}\" == \"relu\") }'"]

    func testOptimizeRunsResumesAndKeepsItsHistory() throws {
        let history = directory.appendingPathComponent("runs/history.csv").path
        let first = try MesaProcess.run(["optimize", "--space", space, "--budget", "6", "--initial", "4", "--history", history] + objective)
        XCTAssertEqual(first.status, 0, first.error)
        XCTAssertTrue(first.output.contains("best objective"), first.output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("runs/best-so-far.svg").path))
        var lines = try String(contentsOfFile: history, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "x,act,objective")
        XCTAssertEqual(lines.count, 7)
        let resumed = try MesaProcess.run(["optimize", "--space", space, "--budget", "8", "--initial", "4", "--history", history] + objective)
        XCTAssertEqual(resumed.status, 0, resumed.error)
        XCTAssertTrue(resumed.error.contains("resuming from the 6 evaluations"), resumed.error)
        lines = try String(contentsOfFile: history, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 9)
        let done = try MesaProcess.run(["optimize", "--space", space, "--budget", "8", "--history", history] + objective)
        XCTAssertTrue(done.output.contains("already holds 8 evaluations"), done.output)
    }

    func testAFailingCommandIsAClearErrorAndLosesNothing() throws {
        let history = directory.appendingPathComponent("history.csv").path
        let script = try write("objective.sh", "#!/bin/sh\nif [ -f \(directory.path)/broken ]; then echo 'CUDA error' >&2; exit 2; fi\necho $1\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        let ok = try MesaProcess.run(["optimize", "--space", space, "--budget", "3", "--history", history, "--", script, "{x}", "{act}"])
        XCTAssertEqual(ok.status, 0, ok.error)
        _ = try write("broken", "")
        let failed = try MesaProcess.run(["optimize", "--space", space, "--budget", "5", "--history", history, "--", script, "{x}", "{act}"])
        XCTAssertNotEqual(failed.status, 0)
        XCTAssertTrue(failed.error.contains("evaluation 4 failed") && failed.error.contains("exited with status 2") && failed.error.contains("CUDA error"), failed.error)
        XCTAssertTrue(failed.error.contains("3 evaluations are kept in \(history)"), failed.error)
        XCTAssertEqual(try String(contentsOfFile: history, encoding: .utf8).split(separator: "\n").count, 4)
    }

    func testBadInputIsAClearError() throws {
        func failure(_ arguments: [String]) throws -> String {
            let result = try MesaProcess.run(arguments)
            XCTAssertNotEqual(result.status, 0, "\(arguments) should fail")
            return result.error
        }
        let bad = try write("bad.json", #"{"parameters": [{"name": "x", "type": "continuous", "low": 1, "high": 0}]}"#)
        XCTAssertTrue(try failure(["optimize", "--space", bad, "--", "/bin/echo", "{x}"]).contains("bad.json: parameter 1 (\"x\"): \"low\" must be below \"high\""))
        XCTAssertTrue(try failure(["optimize", "--space", space, "--", "/bin/echo", "{x}"]).contains("never uses {act}"))
        XCTAssertTrue(try failure(["optimize", "--space", space]).contains("no objective command: give it after --"))
        let surrogate = try failure(["optimize", "--space", space, "--surrogate", "nap", "--surrogate-model", "/nonexistent/nap.safetensors",
                                     "--history", directory.appendingPathComponent("h.csv").path] + objective)
        XCTAssertTrue(surrogate.contains("the NAP checkpoint /nonexistent/nap.safetensors does not exist"), surrogate)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("h.csv").path), "a refused run writes nothing")
        let notModel = try write("model.safetensors", "not a model")
        let badModel = try failure(["optimize", "--space", space, "--surrogate", "pfn", "--surrogate-model", notModel,
                                    "--history", directory.appendingPathComponent("h.csv").path] + objective)
        XCTAssertTrue(badModel.contains("cannot use \(notModel) as the PFN surrogate"), badModel)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("h.csv").path), "a refused run writes nothing")
        XCTAssertTrue(try failure(["suggest", "--space", space, "--history", "none.csv", "--surrogate-model", notModel]).contains("add --surrogate pfn or --surrogate nap"))
        let wide = try write("wide.json", #"{"parameters": [{"name": "a", "type": "continuous", "low": 0, "high": 1}, {"name": "b", "type": "continuous", "low": 0, "high": 1}, {"name": "c", "type": "categorical", "values": ["u", "v"]}]}"#)
        XCTAssertTrue(try failure(["suggest", "--space", wide, "--history", "none.csv", "--surrogate", "nap"])
            .contains("trained on functions of at most 3 unit-cube coordinates, and this problem has 4"))
        XCTAssertTrue(try failure(["suggest", "--space", space, "--history", "none.csv", "--surrogate", "tpe"]).contains("'gp', 'pfn' or 'nap'"))
    }

    func testSuggestPrintsABatchGivenAHistory() throws {
        var history = "x,act,objective\n"
        for (x, act) in [(-1.5, "relu"), (-0.5, "gelu"), (0.2, "gelu"), (1.1, "relu"), (1.8, "gelu")] {
            history += "\(x),\(act),\((x - 0.5) * (x - 0.5) + (act == "relu" ? 1 : 0))\n"
        }
        let path = try write("history.csv", history)
        let result = try MesaProcess.run(["suggest", "--space", space, "--history", path, "--batch", "3", "--initial", "5"])
        XCTAssertEqual(result.status, 0, result.error)
        let lines = result.output.split(separator: "\n")
        XCTAssertEqual(lines.first, "x,act")
        XCTAssertEqual(lines.count, 4)
        XCTAssertEqual(Set(lines.dropFirst()).count, 3, "the batch's points must differ")
        let again = try MesaProcess.run(["suggest", "--space", space, "--history", path, "--batch", "3", "--initial", "5"])
        XCTAssertEqual(again.output, result.output, "the same history gives the same suggestions")
        let empty = try MesaProcess.run(["suggest", "--space", space, "--history", directory.appendingPathComponent("none.csv").path])
        XCTAssertEqual(empty.status, 0, empty.error)
        XCTAssertEqual(empty.output.split(separator: "\n").count, 2)
    }

    func testBenchmarkBOWritesItsReports() throws {
        let output = directory.appendingPathComponent("bo").path
        let result = try MesaProcess.run(["benchmark-bo", "--functions", "branin", "--seeds", "1", "--held-out", "1", "--budget", "7", "--initial", "5", "--output", output])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("| branin | mesa | 1 |") && result.output.contains("| branin | pfn | 1 |")
                      && result.output.contains("| gp-prior-d2 | random | 1 |"), result.output)
        for file in ["designs.json", "traces.csv", "bo-benchmark.md", "bo-benchmark.csv", "bo-benchmark-branin.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(output)/\(file)"), "missing \(file)")
        }
        let report = try MesaProcess.run(["benchmark-bo", "--output", output, "--report-only"])
        XCTAssertEqual(report.status, 0, report.error)
        let unknown = try MesaProcess.run(["benchmark-bo", "--functions", "braninn", "--output", output])
        XCTAssertTrue(unknown.error.contains("unknown function 'braninn'"), unknown.error)
        let method = try MesaProcess.run(["benchmark-bo", "--methods", "gp,random", "--output", output])
        XCTAssertTrue(method.error.contains("unknown method 'gp' in --methods; valid: mesa, pfn, nap, random, gp-oracle, gp-bayes, or all"), method.error)
        let validation = try MesaProcess.run(["benchmark-bo", "--functions", "branin", "--seeds", "0", "--held-out", "1", "--budget", "6", "--initial", "5",
                                              "--methods", "pfn", "--held-out-split", "meta-validation", "--output", output + "-validation"])
        XCTAssertEqual(validation.status, 0, validation.error)
        XCTAssertTrue(validation.output.contains("| gp-validation-d2 | pfn | 1 |") && !validation.output.contains("mesa |"), validation.output)
    }

    func testBenchmarkBORunsTheYardsticksOnHeldOutFunctions() throws {
        let output = directory.appendingPathComponent("bo-yardsticks").path
        let result = try MesaProcess.run(["benchmark-bo", "--seeds", "0", "--held-out", "1", "--budget", "7", "--initial", "5",
                                          "--methods", "mesa,gp-oracle,gp-bayes", "--mixture-draws", "8", "--output", output])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("| gp-prior-d2 | gp-oracle | 1 |") && result.output.contains("| gp-prior-d2 | gp-bayes | 1 |"), result.output)
        let named = try MesaProcess.run(["benchmark-bo", "--functions", "branin", "--seeds", "1", "--held-out", "1", "--methods", "gp-oracle", "--output", output + "-named"])
        XCTAssertNotEqual(named.status, 0)
        XCTAssertTrue(named.error.contains("the oracle knows the hyperparameters of GP-prior functions only, and branin has none; run it on held-out functions alone (--seeds 0)"), named.error)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output + "-named"))
        let draws = try MesaProcess.run(["benchmark-bo", "--seeds", "0", "--methods", "gp-bayes", "--mixture-draws", "0", "--output", output + "-draws"])
        XCTAssertTrue(draws.error.contains("--mixture-draws must be at least 1, got 0"), draws.error)
    }

    func testThePFNSurrogateRunsEndToEnd() throws {
        let history = directory.appendingPathComponent("pfn/history.csv").path
        let run = try MesaProcess.run(["optimize", "--space", space, "--budget", "6", "--initial", "4", "--surrogate", "pfn", "--history", history] + objective)
        XCTAssertEqual(run.status, 0, run.error)
        XCTAssertTrue(run.output.contains("best objective"), run.output)
        XCTAssertEqual(try String(contentsOfFile: history, encoding: .utf8).split(separator: "\n").count, 7)
        let suggest = try MesaProcess.run(["suggest", "--space", space, "--history", history, "--batch", "2", "--surrogate", "pfn"])
        XCTAssertEqual(suggest.status, 0, suggest.error)
        let lines = suggest.output.split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        XCTAssertNotEqual(lines[1], lines[2], "the batch's points must differ")
    }

    func testBenchmarkBOReadsTheGivenPFNCheckpoint() throws {
        // A tiny PFN surrogate pre-trained for 2 steps on 1–2-dimensional functions, exported.
        let config = try write("tiny-pfn.json", """
            {"name": "tiny-pfn", "model": {"kind": "regression", "modelSize": 8, "layerCount": 1, "headCount": 2, "feedForwardSize": 16,
             "maximumFeatures": 2, "binCount": 16, "binRange": 5}, "functionPrior": {"dimensions": [1, 2], "featureCount": 16},
             "steps": 2, "batchSize": 2, "minimumRows": 10, "maximumRows": 16, "checkpointInterval": 1, "evaluationInterval": 2, "logInterval": 1}
            """)
        let run = directory.appendingPathComponent("tiny-pfn").path, model = directory.appendingPathComponent("tiny-pfn.safetensors").path
        let pretrain = try MesaProcess.run(["pretrain", "--config", config, "--output", run, "--threads", "1"])
        XCTAssertEqual(pretrain.status, 0, pretrain.error)
        XCTAssertEqual(try MesaProcess.run(["pretrain", "--output", run, "--export", model]).status, 0)
        let output = directory.appendingPathComponent("bo-tiny").path
        let arguments = ["benchmark-bo", "--seeds", "1", "--held-out", "0", "--budget", "6", "--initial", "5", "--methods", "pfn", "--surrogate-model"]
        let benchmark = try MesaProcess.run(arguments + [model, "--functions", "branin", "--output", output])
        XCTAssertEqual(benchmark.status, 0, benchmark.error)
        XCTAssertTrue(benchmark.output.contains("| branin | pfn | 1 |"), benchmark.output)
        // The given network (2 inputs), not the shipped one (6), decides what can run: before any run.
        let refused = directory.appendingPathComponent("bo-refused").path
        let wide = try MesaProcess.run(arguments + [model, "--functions", "hartmann3", "--output", refused])
        XCTAssertNotEqual(wide.status, 0)
        XCTAssertTrue(wide.error.contains("pre-trained on functions of at most 2 dimensions, and hartmann3 has 3"), wide.error)
        let missing = try MesaProcess.run(arguments + ["/nonexistent/pfn.safetensors", "--functions", "branin", "--output", refused])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.error.contains("cannot use /nonexistent/pfn.safetensors as the PFN surrogate"), missing.error)
        let notModel = try write("not-a-model.safetensors", "not a model")
        let bad = try MesaProcess.run(arguments + [notModel, "--functions", "branin", "--output", refused])
        XCTAssertTrue(bad.error.contains("cannot use \(notModel) as the PFN surrogate"), bad.error)
        XCTAssertFalse(FileManager.default.fileExists(atPath: refused), "a refused benchmark writes nothing")
    }

    func testTheNAPPolicyRunsEndToEnd() throws {
        let history = directory.appendingPathComponent("nap/history.csv").path
        let run = try MesaProcess.run(["optimize", "--space", space, "--budget", "6", "--initial", "4", "--surrogate", "nap", "--history", history] + objective)
        XCTAssertEqual(run.status, 0, run.error)
        XCTAssertTrue(run.output.contains("best objective"), run.output)
        XCTAssertEqual(try String(contentsOfFile: history, encoding: .utf8).split(separator: "\n").count, 7)
        let suggest = try MesaProcess.run(["suggest", "--space", space, "--history", history, "--batch", "2", "--surrogate", "nap"])
        XCTAssertEqual(suggest.status, 0, suggest.error)
        let lines = suggest.output.split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        XCTAssertNotEqual(lines[1], lines[2], "the batch's points must differ")
        let output = directory.appendingPathComponent("bo-nap").path
        let benchmark = try MesaProcess.run(["benchmark-bo", "--functions", "branin", "--seeds", "1", "--held-out", "0",
                                             "--budget", "6", "--initial", "5", "--methods", "nap,random", "--output", output])
        XCTAssertEqual(benchmark.status, 0, benchmark.error)
        XCTAssertTrue(benchmark.output.contains("| branin | nap | 1 |"), benchmark.output)
        let tooWide = try MesaProcess.run(["benchmark-bo", "--methods", "nap", "--output", output])
        XCTAssertNotEqual(tooWide.status, 0)
        XCTAssertTrue(tooWide.error.contains("the NAP policy accepts at most 3 dimensions, and hartmann6 has 6"), tooWide.error)
        let wideHeldOut = try MesaProcess.run(["benchmark-bo", "--methods", "nap", "--functions", "branin", "--held-out-dimensions", "2,5", "--output", output])
        XCTAssertTrue(wideHeldOut.error.contains("and a held-out GP-prior function has 5"), wideHeldOut.error)
        let badDimensions = try MesaProcess.run(["benchmark-bo", "--held-out-dimensions", "2,x", "--output", output])
        XCTAssertTrue(badDimensions.error.contains("--held-out-dimensions wants positive whole numbers separated by commas, got 'x'"), badDimensions.error)
    }
}
