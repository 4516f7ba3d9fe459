import Foundation
@testable import MesaMeta
import MesaTestSupport
import XCTest

final class GeneralisationReportTests: SingleThreadedTestCase {
    func testEvaluatesATrainedRunOnItsRowsDigitsAndTables() throws {
        let fixture = try GPICLFixture()
        let run = fixture.directory.appendingPathComponent("run")
        try InContextTrainer(configuration: fixture.base, directory: run).run()
        // A 12-class table (more than the learner reads) and a 2-row one are skipped with the reason.
        try ("x,class\n" + (0..<24).map { "\($0),c\($0 % 12)" }.joined(separator: "\n") + "\n")
            .write(to: fixture.tablesFolder.appendingPathComponent("many.csv"), atomically: true, encoding: .utf8)
        try "x,class\n1,a\n2,b\n".write(to: fixture.tablesFolder.appendingPathComponent("short.csv"), atomically: true, encoding: .utf8)
        let folder = fixture.directory.appendingPathComponent("report")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var updates: [ProgressUpdate] = []
        let result = try GeneralisationReport(runFolder: run, tablesFolder: fixture.tablesFolder, promptCount: 4)
            .write(to: folder) { updates.append($0) }
        XCTAssertEqual(result.skipped, ["skipping many: 12 classes, 24 rows", "skipping short: 2 classes, 2 rows"])
        XCTAssertEqual(updates.map(\.completed), [0, 1, 2, 3], "the run's own rows, digits, one table")
        XCTAssertTrue(updates.last?.note?.hasPrefix("three: mesa transformer (step 2)") ?? false, "\(updates)")

        let csv = try String(contentsOf: folder.appendingPathComponent("generalisation.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.first, "dataset,method,examples,accuracy,standard_error")
        XCTAssertEqual(csv.count - 1, 3 * 3, "3 datasets × 3 predictors × 1 number of examples (10; prompts have 20 points)")
        XCTAssertTrue(csv.contains { $0.hasPrefix("\"digits\",\"logistic regression (λ = 0.01)\",10,") })
        XCTAssertTrue(csv.contains { $0.hasPrefix("\"three (training rows)\",\"5-nearest neighbours\",10,") })
        let markdown = try String(contentsOf: folder.appendingPathComponent("generalisation.md"), encoding: .utf8)
        XCTAssertEqual(markdown, result.markdown)
        XCTAssertTrue(markdown.hasPrefix("| dataset | 10: mesa | 10: logistic | 10: 5-NN |\n|---|---|---|---|\n"), markdown)
        XCTAssertTrue(markdown.contains("| mean of 1 tables | "), markdown)
        XCTAssertEqual(Set(result.files.map(\.lastPathComponent)),
                       ["generalisation.csv", "generalisation.md", "fashion-mnist.svg", "digits.svg", "tables.svg"])
        XCTAssertTrue(result.description.hasSuffix("wrote \(folder.path)/generalisation.{csv,md} and SVG plots"))
    }

    func testTheBundledDigitsAreReadable() throws {
        let digits = try LabelledDataset(table: CSVTable(contentsOf: GeneralisationReport.digitsURL), source: "digits.csv")
        XCTAssertEqual(digits.classNames.count, 10)
        XCTAssertEqual(digits.featureCount, 64)
    }

    func testARunOnOtherTasksIsRefused() throws {
        let run = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-linear-run-\(UUID())")
        defer { try? FileManager.default.removeItem(at: run) }
        let configuration = InContextTrainingConfiguration(
            name: "linear", task: TaskConfiguration(family: .linear, inputDimension: 2),
            learner: LearnerConfiguration(modelSize: 8, layerCount: 1, headCount: 2, maximumPointCount: 6),
            training: TrainingConfiguration(steps: 1, batchSize: 2, pointCount: 6))
        try InContextTrainer(configuration: configuration, directory: run).run()
        XCTAssertThrowsError(try GeneralisationReport(runFolder: run, promptCount: 4).write(to: run)) { error in
            XCTAssertTrue("\(error)".contains("was not trained on projectedDataset tasks"), "\(error)")
        }
    }
}
