import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class TabularClassifierTests: XCTestCase {
    /// One untrained model file shared by the tests (made once, lazily).
    static let modelURL: URL = try! TabularFixtures.modelFile(kind: .classification)

    private func classifier(ensemble: Int = 1) throws -> TabularClassifier {
        var options = TabularPredictionOptions()
        options.ensembleSize = ensemble
        return try TabularClassifier(modelURL: Self.modelURL, options: options)
    }

    func testProbabilitiesAreDistributionsOverTheTrainingClasses() throws {
        let table = try TabularFixtures.table(TabularFixtures.blobs(rows: 40, seed: 1))
        let model = try classifier(ensemble: 3)
        try model.fit(table.selecting(Array(0..<30)))
        XCTAssertEqual(model.classNames, ["a", "b"])
        let probabilities = try model.predictProbabilities(table.selecting(Array(30..<40)))
        XCTAssertEqual(probabilities.count, 10)
        for p in probabilities {
            XCTAssertEqual(p.count, 2)
            XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-4)
            XCTAssertTrue(p.allSatisfy { $0 >= 0 })
        }
        XCTAssertEqual(try model.predict(table.selecting(Array(30..<40))).count, 10)
    }

    /// Rows are tokens without positions and unlabelled rows never see each other: shuffling the
    /// labelled rows, or predicting a row alone instead of with others, changes nothing
    /// (tolerance 1e-4: float sums in another order).
    func testInvariantToTrainingOrderAndIndependentOfOtherTestRows() throws {
        let table = try TabularFixtures.table(TabularFixtures.blobs(rows: 50, seed: 2))
        let train = table.selecting(Array(0..<40)), test = table.selecting(Array(40..<50))
        let model = try classifier()
        try model.fit(train)
        let reference = try model.predictProbabilities(test)
        try model.fit(train.selecting(Array((0..<40).reversed())))
        let shuffled = try model.predictProbabilities(test)
        let alone = try model.predictProbabilities(test.selecting([3]))
        model.options.maximumTestRowsPerPass = 3
        let chunked = try model.predictProbabilities(test)
        XCTAssertEqual(shuffled.joined().count, chunked.joined().count, "paired lengths")
        for (a, b) in zip(shuffled.joined(), chunked.joined()) { XCTAssertEqual(a, b, accuracy: 1e-4) }
        XCTAssertEqual(reference.joined().count, shuffled.joined().count, "paired lengths")
        for (a, b) in zip(reference.joined(), shuffled.joined()) { XCTAssertEqual(a, b, accuracy: 1e-4) }
        XCTAssertEqual(reference[3].count, alone[0].count, "paired lengths")
        for (a, b) in zip(reference[3], alone[0]) { XCTAssertEqual(a, b, accuracy: 1e-4) }
    }

    /// A one-member ensemble's probabilities at temperature `T` are `softmax(log p / T)` of its
    /// probabilities at 1, so the most probable class stays and gets more probable below 1.
    func testTemperatureRescalesEachMembersLogits() throws {
        let table = try TabularFixtures.table(TabularFixtures.blobs(rows: 40, seed: 5))
        let model = try classifier()
        try model.fit(table.selecting(Array(0..<30)))
        let test = table.selecting(Array(30..<40))
        let plain = try model.predictProbabilities(test)
        model.options.softmaxTemperature = 0.5
        let sharp = try model.predictProbabilities(test)
        for (p, q) in zip(plain, sharp) {
            let scores = p.map { Double($0) * Double($0) }   // softmax(log p / 0.5) ∝ p²
            let total = scores.reduce(0, +)
            for (expected, actual) in zip(scores, q) { XCTAssertEqual(Float(expected / total), actual, accuracy: 1e-4) }
            XCTAssertGreaterThanOrEqual(q.max()!, p.max()! - 1e-6)
        }
    }

    /// ``TabularPredictionOptions/contextCalibration`` (off by default): fitted once per fit on
    /// the folds, reproducibly, and applied to the ensemble's probabilities; `nil`, with the
    /// reason in the mode, for too few rows per class or with fine-tuning.
    func testContextCalibrationIsFittedOnTheLabelledRowsWhereItApplies() throws {
        let table = try TabularFixtures.table(TabularFixtures.blobs(rows: 60, seed: 7))
        let labelled = table.selecting(Array(0..<40)), test = table.selecting(Array(40..<60))
        let model = try classifier(ensemble: 2)
        try model.fit(labelled)
        XCTAssertNil(try model.contextCalibration(), "off by default")
        let plain = try model.predictProbabilities(test)
        model.options.contextCalibration = true
        model.options.ignoredColumns = ["colour"]
        try model.fit(labelled)
        let calibration = try XCTUnwrap(model.contextCalibration())
        let uncalibrated = try classifier(ensemble: 2)
        uncalibrated.options.ignoredColumns = ["colour"]
        try uncalibrated.fit(labelled)
        let calibrated = try model.predictProbabilities(test)
        for (p, q) in zip(try uncalibrated.predictProbabilities(test), calibrated) {
            for (a, b) in zip(calibration.applied(to: p), q) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        }
        XCTAssertNotEqual(plain, calibrated)
        XCTAssertTrue(model.mode.contains("calibrated on 5-fold predictions of the labelled rows"), model.mode)
        let again = try classifier(ensemble: 2)
        again.options.contextCalibration = true
        again.options.ignoredColumns = ["colour"]
        try again.fit(labelled)
        XCTAssertEqual(try again.contextCalibration(), calibration, "reproducible from the seed")

        try model.fit(table.selecting(Array(0..<19)))   // 19 rows, 2 classes: fewer than 10 per class
        XCTAssertNil(try model.contextCalibration())
        _ = try model.predictProbabilities(test)
        XCTAssertTrue(model.mode.contains("not calibrated (calibration needs at least 10 labelled rows per class"), model.mode)
        model.options.fineTuningSteps = 1
        try model.fit(labelled)
        XCTAssertNil(try model.contextCalibration(), "not with fine-tuning")
    }

    func testManyClassesAndManyFeaturesNeedTheirOptions() throws {
        var text = "x,y\n"
        for i in 0..<24 { text += "\(i),class\(i % 12)\n" }
        let twelve = try TabularFixtures.table(text)
        let model = try classifier(ensemble: 6)
        model.options.localContextRows = nil   // by default more than 10 classes go through local contexts
        XCTAssertThrowsError(try model.fit(twelve)) { XCTAssertTrue("\($0)".contains("12 classes") && "\($0)".contains("--many-classes"), "\($0)") }
        model.options.manyClasses = true
        try model.fit(twelve)
        let probabilities = try model.predictProbabilities(twelve.selecting([0, 1]))
        XCTAssertEqual(probabilities[0].count, 12)
        XCTAssertEqual(probabilities[0].reduce(0, +), 1, accuracy: 1e-4)
        XCTAssertTrue(model.mode.contains("class hierarchy"), model.mode)

        let header = (0..<120).map { "f\($0)" }.joined(separator: ",") + ",y\n"
        let wide = try TabularFixtures.table(header + (0..<6).map { i in (0..<120).map { "\(($0 * 7 + i) % 5)" }.joined(separator: ",") + ",\(i % 2)\n" }.joined())
        let narrow = try classifier()
        try narrow.fit(wide)
        XCTAssertThrowsError(try narrow.predictProbabilities(wide)) { XCTAssertTrue("\($0)".contains("120 features") && "\($0)".contains("--subsample-features"), "\($0)") }
        narrow.options.subsampleFeatures = true
        XCTAssertEqual(try narrow.predictProbabilities(wide).count, 6)
        // Wider than the pre-training prior's 40 features: each member reads a random 40.
        XCTAssertTrue(narrow.mode.contains("40 of 120 features per member"), narrow.mode)
        narrow.options.maximumFeaturesPerMember = 100
        _ = try narrow.predictProbabilities(wide)
        XCTAssertTrue(narrow.mode.contains("100 of 120 features per member"), narrow.mode)
    }

    func testLargeTablesUseStratifiedSubsamplesAndSayHow() throws {
        let table = try TabularFixtures.table(TabularFixtures.blobs(rows: 60, seed: 3))
        let model = try classifier(ensemble: 2)
        model.options.maximumContextRows = 20
        model.options.localContextRows = nil
        try model.fit(table.selecting(Array(0..<50)))
        _ = try model.predictProbabilities(table.selecting(Array(50..<60)))
        XCTAssertTrue(model.mode.contains("20 labelled rows in context (stratified subsamples of 50)"), model.mode)
        model.options.localContextRows = 10   // the default (100) for tables beyond one context
        _ = try model.predictProbabilities(table.selecting(Array(50..<60)))
        XCTAssertTrue(model.mode.contains("local contexts of each row's 10 nearest labelled rows (of 50)"), model.mode)
    }

    /// With local contexts each row is predicted from its nearest labelled rows: probabilities
    /// are distributions, a class absent from a row's neighbourhood gets none, and more classes
    /// than the model's 10 need no grouping.
    func testLocalContextsUseEachRowsNeighbours() throws {
        // 12 classes on a line: class c at x ≈ 10c, four rows each.
        var text = "x,y\n"
        for i in 0..<48 { text += "\(Double(i % 12) * 10 + Double(i / 12) * 0.1),class\(String(format: "%02d", i % 12))\n" }
        let table = try TabularFixtures.table(text)
        var options = TabularPredictionOptions()
        options.ensembleSize = 2
        options.localContextRows = 6
        options.maximumContextRows = 40   // beyond one context: local contexts alone (no class hierarchy beside them)
        let model = try TabularClassifier(modelURL: Self.modelURL, options: options)
        try model.fit(table)
        XCTAssertEqual(model.classNames.count, 12)
        let test = try TabularFixtures.table("x,y\n0.05,class00\n110.2,class11\n")
        let probabilities = try model.predictProbabilities(test)
        XCTAssertTrue(model.mode.contains("local contexts"), model.mode)
        for p in probabilities { XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-4) }
        // Row 0's six nearest rows are classes 00 and 01: classes from 02 on get only the floor.
        let floor = Float(TabularClassifier.localContextFloor / 12)
        XCTAssertTrue(probabilities[0][2...].allSatisfy { abs($0 - floor) < 1e-7 }, "\(probabilities[0])")
        XCTAssertTrue(probabilities[1][..<10].allSatisfy { abs($0 - floor) < 1e-7 }, "\(probabilities[1])")
        XCTAssertGreaterThan(probabilities[0][0] + probabilities[0][1], 0.99)
        XCTAssertEqual(try model.predictProbabilities(test), probabilities, "seeded: the same again")
    }

    /// Class labels that read as missing values in feature columns (`None`, `NA`) are classes;
    /// only an empty label cell is missing, and the error says so.
    func testLabelsThatLookMissingAreClasses() throws {
        var text = "x,y\n"
        for i in 0..<30 { text += "\(i),\(["None", "Some", "Marked"][i % 3])\n" }
        let model = try classifier()
        try model.fit(try TabularFixtures.table(text))
        XCTAssertEqual(model.classNames, ["Marked", "None", "Some"])
        XCTAssertEqual(try model.predictProbabilities(try TabularFixtures.table("x,y\n4,\n")).first?.count, 3)
        XCTAssertTrue(TabularTable.isMissingLabel("  ") && !TabularTable.isMissingLabel("NA") && TabularTable.isMissing("NA"))
        XCTAssertThrowsError(try model.fit(try TabularFixtures.table("x,y\n1,a\n2,\n3,b\n"))) { error in
            XCTAssertTrue("\(error)".contains("training row 2 has an empty cell"), "\(error)")
        }
    }

    /// `--ignore` must name feature columns of the training table and leave at least one.
    func testIgnoredColumnsAreChecked() throws {
        let table = try TabularFixtures.table("x,z,y\n1,5,a\n2,6,b\n3,7,a\n4,8,b\n")
        let model = try classifier()
        model.options.ignoredColumns = ["w"]
        XCTAssertThrowsError(try model.fit(table)) { XCTAssertTrue("\($0)".contains("does not have: w") && "\($0)".contains("x, z"), "\($0)") }
        model.options.ignoredColumns = ["x", "z"]
        XCTAssertThrowsError(try model.fit(table)) { XCTAssertTrue("\($0)".contains("drops every feature column"), "\($0)") }
        model.options.ignoredColumns = ["z"]
        try model.fit(table)
        XCTAssertEqual(try model.predictProbabilities(table).count, 4)
    }

    func testBadTablesAreClearErrors() throws {
        let model = try classifier()
        XCTAssertThrowsError(try model.fit(TabularFixtures.table("x,y\n1,a\n2,a\n"))) { XCTAssertTrue("\($0)".contains("single class"), "\($0)") }
        XCTAssertThrowsError(try model.fit(TabularFixtures.table("x,y\n1,a\n2,\n"))) { XCTAssertTrue("\($0)".contains("row 2 has an empty cell"), "\($0)") }
        XCTAssertThrowsError(try model.predictProbabilities(TabularFixtures.table("x,y\n1,a\n"))) { XCTAssertTrue("\($0)".contains("call fit")) }
        XCTAssertThrowsError(try TabularClassifier(modelURL: URL(fileURLWithPath: "/nonexistent/model.safetensors"))) {
            XCTAssertTrue("\($0)".contains("cannot read the model"), "\($0)")
        }
        let regressionModel = try TabularFixtures.modelFile(kind: .regression)
        XCTAssertThrowsError(try TabularClassifier(modelURL: regressionModel)) { XCTAssertTrue("\($0)".contains("regression model"), "\($0)") }
    }
}
