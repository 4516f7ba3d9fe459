import Foundation
import XCTest

/// `mesa pretrain` with a per-cell front end, `--evaluate`, and `mesa predict` with the result.
final class PretrainCellsCommandTests: ScratchFolderTestCase {

    private func config(_ name: String, cells: Bool, prior: String = "") throws -> String {
        try write("\(name).json", #"{"name": "\#(name)", "model": {"modelSize": 16, "layerCount": 1, "headCount": 2, "feedForwardSize": 32"#
            + (cells ? #", "cells": {"size": 8, "inducingPoints": 4, "rowLayers": 1}"# : "")
            + #"}, "steps": 4, "batchSize": 2, "maximumRows": 40"# + (prior.isEmpty ? "" : #", "prior": {\#(prior)}"#) + "}")
    }

    func testACellsModelTrainsEvaluatesAndPredicts() throws {
        let run = directory.appendingPathComponent("run").path, model = directory.appendingPathComponent("cells.safetensors").path
        let pretrain = try MesaProcess.run(["pretrain", "--config", try config("cells", cells: true), "--output", run])
        XCTAssertEqual(pretrain.status, 0, pretrain.error)
        XCTAssertTrue(pretrain.output.contains("finished at step 4"), pretrain.output)
        let export = try MesaProcess.run(["pretrain", "--output", run, "--export", model])
        XCTAssertEqual(export.status, 0, export.error)

        // One model on two priors: two different held-out losses, each printed once.
        let plain = try MesaProcess.run(["pretrain", "--config", try config("plain", cells: true), "--evaluate", model])
        let trees = try MesaProcess.run(["pretrain", "--config", try config("trees", cells: true, prior: #""treeProbability": 1"#),
                                         "--evaluate", model])
        XCTAssertEqual(plain.status, 0, plain.error)
        XCTAssertEqual(trees.status, 0, trees.error)
        func loss(_ text: String) -> Double? { text.components(separatedBy: "held-out prior loss ").last.flatMap { Double($0.prefix(6)) } }
        let (a, b) = (try XCTUnwrap(loss(plain.output)), try XCTUnwrap(loss(trees.output)))
        XCTAssertTrue(a.isFinite && b.isFinite && a != b, "\(plain.output) \(trees.output)")
        XCTAssertTrue(trees.output.contains("trees's prior"), trees.output)
        let moreClasses = try MesaProcess.run(["pretrain", "--config", try config("many", cells: true, prior: #""maximumClasses": 12"#),
                                               "--evaluate", model])
        XCTAssertNotEqual(moreClasses.status, 0)
        XCTAssertTrue(moreClasses.error.contains("predicts at most 10 classes; the prior draws up to 12"), moreClasses.error)

        var train = "a,b,c,label\n", test = "a,b,c\n"
        for i in 0..<40 { train += "\(i % 7),\(Double(i) / 10),\(i % 3),\(i % 7 < 3 ? "low" : "high")\n" }
        for i in 0..<6 { test += "\(i),\(Double(i) / 5),\(i % 3)\n" }
        let output = directory.appendingPathComponent("predictions.csv").path
        let predict = try MesaProcess.run(["predict", "--train", try write("train.csv", train), "--test", try write("test.csv", test),
                                           "--model", model, "--output", output])
        XCTAssertEqual(predict.status, 0, predict.error)
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 7, "a header and one line per test row")
    }

    func testEvaluateBadInputIsAClearError() throws {
        let missing = try MesaProcess.run(["pretrain", "--evaluate", directory.appendingPathComponent("none.safetensors").path])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.error.contains("none.safetensors"), missing.error)
        let resumed = try MesaProcess.run(["pretrain", "--evaluate", "x.safetensors", "--resume", "--output", directory.path])
        XCTAssertNotEqual(resumed.status, 0)
        XCTAssertTrue(resumed.error.contains("--evaluate only reads a model and a prior"), resumed.error)
        let badCells = try MesaProcess.run(["pretrain", "--config", try write("bad.json", #"{"model": {"cells": {"size": 9, "headCount": 2}}}"#),
                                            "--output", directory.appendingPathComponent("bad").path])
        XCTAssertNotEqual(badCells.status, 0)
        XCTAssertTrue(badCells.error.contains("size 9 is not a multiple of headCount 2"), badCells.error)
    }

    func testSampleTablesWritesPriorTablesThatPredictReads() throws {
        let folder = directory.appendingPathComponent("tables").path
        let sampled = try MesaProcess.run(["pretrain", "--config", try config("small", cells: false), "--sample-tables", "3", "--output", folder])
        XCTAssertEqual(sampled.status, 0, sampled.error)
        XCTAssertTrue(sampled.output.contains("wrote 3 tables of small's prior"), sampled.output)
        let summary = try String(contentsOfFile: folder + "/tables.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(summary.count, 4)
        // The same seed draws the same tables.
        let again = directory.appendingPathComponent("again").path
        XCTAssertEqual(try MesaProcess.run(["pretrain", "--config", try config("small", cells: false), "--sample-tables", "3", "--output", again]).status, 0)
        XCTAssertEqual(try String(contentsOfFile: folder + "/table-0002/test.csv", encoding: .utf8),
                       try String(contentsOfFile: again + "/table-0002/test.csv", encoding: .utf8))
        // A written table is a table mesa predict reads (its target column included in test.csv).
        let output = directory.appendingPathComponent("p.csv").path
        let predict = try MesaProcess.run(["predict", "--train", folder + "/table-0000/train.csv", "--test", folder + "/table-0000/test.csv",
                                           "--task", "classification", "--output", output, "--ensemble", "1"])
        XCTAssertEqual(predict.status, 0, predict.error)

        // Bad input: a count below 1, a folder that is not empty, options that do not go with it.
        let zero = try MesaProcess.run(["pretrain", "--sample-tables", "0", "--output", folder])
        XCTAssertNotEqual(zero.status, 0)
        XCTAssertTrue(zero.error.contains("--sample-tables must be positive, got 0"), zero.error)
        let full = try MesaProcess.run(["pretrain", "--sample-tables", "1", "--output", folder])
        XCTAssertNotEqual(full.status, 0)
        XCTAssertTrue(full.error.contains("exists and is not an empty folder"), full.error)
        let mixed = try MesaProcess.run(["pretrain", "--sample-tables", "1", "--evaluate", "m.safetensors"])
        XCTAssertNotEqual(mixed.status, 0)
        XCTAssertTrue(mixed.error.contains("--sample-tables only draws tables from a prior"), mixed.error)
    }
}
