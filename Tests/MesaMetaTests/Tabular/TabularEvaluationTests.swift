import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class TabularEvaluationTests: XCTestCase {
    /// Test labels that no training row has are listed with their row counts (most first);
    /// blank labels are not labels.
    func testUnseenLabels() throws {
        let train = try TabularFixtures.table("x,y\n1,a\n2,b\n3, a\n")
        let test = try TabularFixtures.table("x,y\n1,c\n2,a\n3,d\n4,c\n5,\n6,b\n")
        let unseen = TabularEvaluation.unseenLabels(train: train, test: test)
        XCTAssertEqual(unseen.map(\.label), ["c", "d"])
        XCTAssertEqual(unseen.map(\.rows), [2, 1])
        XCTAssertTrue(TabularEvaluation.unseenLabels(train: train, test: train).isEmpty)
    }

    /// The baselines pair each training row with its own label whatever the rows' order: on a
    /// separable table whose file order is not the classifier's canonical one, logistic regression
    /// and k-NN are perfect, and shuffling the training rows changes none of their scores.
    func testTheBaselinesKeepEachRowsLabelInAnyRowOrder() throws {
        func table(_ rows: [Int]) throws -> TabularTable {
            try TabularFixtures.table("x,z,y\n" + rows.map { "\(Double($0) * (($0 % 2 == 0) ? 1 : -1) + Double($0 % 2 == 0 ? 3 : -3)),\(($0 * 37) % 11),\($0 % 2 == 0 ? "even" : "odd")" }.joined(separator: "\n"))
        }
        let rows = Array(0..<40)
        let test = try table(Array(40..<60))
        var options = TabularPredictionOptions()
        options.ensembleSize = 1
        let classifier = try TabularClassifier(modelURL: InContextActiveLearnerTests.classifierURL, options: options)
        var generator = RandomGenerator(seed: 9)
        var shuffled = rows
        generator.shuffle(&shuffled)
        let first = try TabularEvaluation.classification(train: try table(rows), test: test, classifier: classifier)
        let second = try TabularEvaluation.classification(train: try table(shuffled), test: test, classifier: classifier)
        for method in ["logistic regression", "k-NN"] {
            let a = try XCTUnwrap(first.first { $0.method == method }), b = try XCTUnwrap(second.first { $0.method == method })
            XCTAssertEqual(a.accuracy, 1, "\(method)")
            XCTAssertEqual(a.accuracy, b.accuracy, "\(method)")
            XCTAssertEqual(a.logLoss ?? .nan, b.logLoss ?? .nan, accuracy: 1e-4, "\(method)")
        }
    }
}
