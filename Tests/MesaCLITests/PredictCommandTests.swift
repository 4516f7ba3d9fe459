import Foundation
import XCTest

/// `mesa pretrain`, `mesa predict` and `mesa benchmark-tabular` end to end with a tiny model.
final class PredictCommandTests: ScratchFolderTestCase {
    var model: String!

    override func setUpWithError() throws {
        try super.setUpWithError()
        let config = directory.appendingPathComponent("tiny.json")
        try #"{"name": "tiny", "model": {"modelSize": 16, "layerCount": 1, "headCount": 2, "feedForwardSize": 32}, "steps": 3, "batchSize": 2, "maximumRows": 30}"#
            .write(to: config, atomically: true, encoding: .utf8)
        let run = directory.appendingPathComponent("run").path
        let pretrain = try MesaProcess.run(["pretrain", "--config", config.path, "--output", run])
        XCTAssertEqual(pretrain.status, 0, pretrain.error)
        model = directory.appendingPathComponent("model.safetensors").path
        let export = try MesaProcess.run(["pretrain", "--output", run, "--export", model])
        XCTAssertEqual(export.status, 0, export.error)
    }

    func testPredictsTheBundledTableBesideTheBaselines() throws {
        let output = directory.appendingPathComponent("predictions.csv").path
        let result = try MesaProcess.run(["predict", "--model", model, "--output", output, "--ensemble", "2"])
        XCTAssertEqual(result.status, 0, result.error)
        for expected in ["bundled wine.csv: 90 labelled rows, 88 to predict", "logistic regression", "k-NN", "ROC AUC"] {
            XCTAssertTrue(result.output.contains(expected), "\(expected) missing from: \(result.output)")
        }
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "prediction,p_class_0,p_class_1,p_class_2")
        XCTAssertEqual(lines.count, 89)
    }

    func testTrainAndTestFilesWithRegressionOutput() throws {
        var train = "size,colour,price\n", test = "colour,size\n"
        for i in 0..<30 { train += "\(i),\(i % 2 == 0 ? "red" : "blue"),\(100 + 3 * i)\n" }
        for i in 0..<5 { test += "\(i % 2 == 0 ? "red" : "NA"),\(i * 2)\n" }
        let output = directory.appendingPathComponent("regression.csv").path
        let regression = try MesaProcess.run(["predict", "--train", try write("train.csv", train), "--test", try write("test.csv", test),
                                              "--model", model.replacingOccurrences(of: "model.safetensors", with: "none"), "--output", output])
        XCTAssertNotEqual(regression.status, 0, "a classification model file cannot regress")
        XCTAssertTrue(regression.error.contains("cannot read the model") || regression.error.contains("regression"), regression.error)
    }

    func testBenchmarkTabularWritesItsThreeReports() throws {
        let tables = directory.appendingPathComponent("tables")
        try FileManager.default.createDirectory(at: tables, withIntermediateDirectories: true)
        var csv = "a,b,label\n"
        for i in 0..<30 { csv += "\(i % 7),\(i % 3 == 0 ? "x" : "y"),\(i % 2 == 0 ? "p" : "q")\n" }
        try csv.write(to: tables.appendingPathComponent("small.csv"), atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("benchmark").path
        let result = try MesaProcess.run(["benchmark-tabular", tables.path, "--model", model, "--splits", "2", "--ensemble", "1", "--output", output])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("## Classification") && result.output.contains("| small | 30 | 2 | 2 |"), result.output)
        XCTAssertTrue(result.output.contains("wrote \(output)/tabular-benchmark.{md,csv,svg}"), result.output)
        for file in ["tabular-benchmark.md", "tabular-benchmark.csv", "tabular-benchmark.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(output)/\(file)"), "missing \(file)")
        }
    }

    func testBadInputIsAClearError() throws {
        func failure(_ arguments: [String]) throws -> String {
            let result = try MesaProcess.run(["predict", "--model", model] + arguments)
            XCTAssertNotEqual(result.status, 0, "\(arguments) should fail")
            return result.error
        }
        XCTAssertTrue(try failure(["--train", try write("empty.csv", "")]).contains("is empty"))
        XCTAssertTrue(try failure(["--train", try write("header.csv", "a,b,y\n")]).contains("no data rows"))
        XCTAssertTrue(try failure(["--train", try write("ragged.csv", "a,y\n1,p\n2,q,3\n")]).contains("line 3: 3 fields, but the header has 2 (data row 2)"))
        XCTAssertTrue(try failure(["--train", try write("trailing.csv", "a,y,\n1,p\n2,q\n")]).contains("column 3 of the header has no name (a trailing comma?)"))
        XCTAssertTrue(try failure(["--train", try write("ok.csv", "a,y\n1,p\n"), "--delimiter", ":"]).contains("--delimiter must be one of"))
        XCTAssertTrue(try failure(["--train", try write("t.csv", "a,y\n1,p\n2,q\n"), "--target", "label"]).contains("no column named 'label'"))
        let binary = directory.appendingPathComponent("image.csv")
        try Data([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00]).write(to: binary)
        XCTAssertTrue(try failure(["--train", binary.path]).contains("not UTF-8 text"))
        let train = try write("train2.csv", "a,b,y\n1,2,p\n2,3,q\n3,4,p\n4,5,q\n")
        XCTAssertTrue(try failure(["--train", train, "--test", try write("test2.csv", "a\n1\n")]).contains("lacks the training column 'b'"))
        XCTAssertTrue(try failure(["--train", train, "--task", "regression"]).contains("not a regression one"))
        XCTAssertTrue(try failure(["--train", train, "--fine-tune=-3"]).contains("--fine-tune must be 0 (off) or a number of steps"))
        XCTAssertTrue(try failure(["--train", train, "--fine-tune", "5", "--fine-tune-rate", "0"]).contains("--fine-tune-rate must be a positive learning rate"))
        XCTAssertTrue(try failure(["--train", train, "--temperature", "0"]).contains("--temperature must be a positive number"))
        var numbers = "a,y\n"
        for i in 0..<30 { numbers += "\(i),\(Double(i) * 1.5)\n" }
        XCTAssertTrue(try failure(["--train", try write("numbers.csv", numbers), "--calibrate"]).contains("--calibrate corrects class probabilities; 'y' is read as a regression target"))
    }

    /// --calibrate says in the model line that the probabilities were calibrated.
    func testCalibrationIsReported() throws {
        var text = "a,b,y\n"
        for i in 0..<60 { text += "\(i),\(i % 5),\(i % 2 == 0 ? "p" : "q")\n" }
        let result = try MesaProcess.run(["predict", "--model", model, "--train", try write("calibrate.csv", text), "--calibrate", "--ensemble", "2",
                                          "--output", directory.appendingPathComponent("calibrated.csv").path])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("calibrated on 5-fold predictions of the labelled rows (scale "), result.output)
    }

    /// --fine-tune says so in the model line.
    func testFineTuningIsReported() throws {
        var text = "a,b,y\n"
        for i in 0..<24 { text += "\(i),\(i % 5),\(i % 2 == 0 ? "p" : "q")\n" }
        let result = try MesaProcess.run(["predict", "--model", model, "--train", try write("tune.csv", text), "--fine-tune", "3",
                                          "--output", directory.appendingPathComponent("tuned.csv").path])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("fine-tuned for 3 steps on the labelled rows"), result.output)
    }

    /// A semicolon-separated file with a typo in a numeric column and thousands separators:
    /// read, with notes on standard error saying how; --describe stops there.
    func testReadingNotesAndDescribe() throws {
        var train = "x;price;colour;label\n"
        for i in 0..<30 { train += "\(i == 4 ? "12..5" : String(i));\(i % 3 == 0 ? "1,\(100 + i)" : String(10 * i));\(i % 2 == 0 ? "red" : "blue");\(i % 2 == 0 ? "p" : "q")\n" }
        let path = try write("semicolons.csv", train)
        let output = directory.appendingPathComponent("described.csv").path
        let result = try MesaProcess.run(["predict", "--model", model, "--train", path, "--describe", "--output", output])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("16 labelled rows, 14 to predict, 3 features"), result.output)
        for expected in ["note: semicolons.csv: read as semicolon-separated",
                         "read 2 numeric and 1 categorical columns; column 'x': 1 cell that is not a number treated as missing (line 6 '12..5'); column 'price': numbers with thousands separators ('1,100')"] {
            XCTAssertTrue(result.error.contains(expected), "\(expected) missing from: \(result.error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: output), "--describe predicts nothing")
        let given = try MesaProcess.run(["predict", "--model", model, "--train", path, "--describe", "--delimiter", ";", "--categorical", "x"])
        XCTAssertEqual(given.status, 0, given.error)
        XCTAssertTrue(given.error.contains("read 1 numeric and 2 categorical columns"), given.error)
    }

    /// Test labels that training never saw are named, and the accuracy says how it counts them.
    func testUnseenTestLabelsAreNoted() throws {
        var train = "a,b,y\n", test = "a,b,y\n"
        for i in 0..<20 { train += "\(i),\(i % 4),\(i % 2 == 0 ? "p" : "q")\n" }
        for i in 0..<4 { test += "\(i),\(i % 4),\(["p", "r", "q", "r"][i])\n" }
        let output = directory.appendingPathComponent("unseen.csv").path
        let result = try MesaProcess.run(["predict", "--model", model, "--train", try write("seen.csv", train), "--test", try write("unseen-test.csv", test),
                                          "--ensemble", "1", "--output", output])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.error.contains("note: 2 of the 4 rows to predict have a label no labelled row has: 'r' (2 rows)"), result.error)
        XCTAssertTrue(result.output.contains("on the 4 held-out rows (2 with labels unseen in training count as wrong;"), result.output)
    }
}
