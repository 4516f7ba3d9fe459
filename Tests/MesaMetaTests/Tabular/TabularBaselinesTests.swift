import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class TabularBaselinesTests: XCTestCase {
    func testRidgeRecoversALinearFunctionAndLogisticSeparates() {
        var generator = RandomGenerator(seed: 0)
        let x = (0..<200).map { _ in generator.nextNormal() }      // 100 rows × 2
        let y: [Double] = (0..<100).map { row in
            let a = Double(x[row * 2]), b = Double(x[row * 2 + 1])
            return 3 * a - 2 * b + 5
        }
        let predictions = TabularBaselines.ridge(train: x, targets: y, test: [1, 1, 0, 0], width: 2, penalty: 1e-6)
        XCTAssertEqual(predictions[0], 6, accuracy: 1e-3)
        XCTAssertEqual(predictions[1], 5, accuracy: 1e-3)
        let labels = (0..<100).map { x[$0 * 2] > 0 ? 1 : 0 }
        let p = TabularBaselines.logisticRegression(train: x, labels: labels, test: [2, 0, -2, 0], width: 2, classCount: 2)
        XCTAssertGreaterThan(p[0][1], 0.9)
        XCTAssertGreaterThan(p[1][0], 0.9)
        let knn = TabularBaselines.nearestNeighbors(train: x, labels: labels, test: [2, 0], width: 2, classCount: 2)
        XCTAssertEqual(knn[0], [0, 1])
    }

    func testMetricsAgainstHandComputedValues() {
        let p: [[Float]] = [[0.9, 0.1], [0.4, 0.6], [0.35, 0.65], [0.2, 0.8]]
        let labels = [0, 0, 1, 1]
        XCTAssertEqual(TabularMetrics.accuracy(p, labels: labels), 0.75)
        XCTAssertEqual(TabularMetrics.logLoss(p, labels: labels), -(log(0.9) + log(0.4) + log(0.65) + log(0.8)) / 4, accuracy: 1e-6)
        XCTAssertEqual(TabularMetrics.rocAUC(p, labels: labels, classCount: 2)!, 1, accuracy: 1e-12)
        XCTAssertEqual(TabularMetrics.rocAUC([[0.5, 0.5], [0.5, 0.5]], labels: [0, 1], classCount: 2)!, 0.5)
        XCTAssertNil(TabularMetrics.rocAUC(p, labels: [0, 0, 0, 0], classCount: 2))
        XCTAssertEqual(TabularMetrics.rSquared([1, 2, 3], targets: [1, 2, 3]), 1)
        XCTAssertEqual(TabularMetrics.rSquared([2, 2, 2], targets: [1, 2, 3]), 0)
        XCTAssertEqual(TabularMetrics.rootMeanSquaredError([0, 0], targets: [3, 4]), (12.5).squareRoot(), accuracy: 1e-12)
    }

    func testSplitsAreStratifiedSeededAndDisjoint() throws {
        let table = try TabularFixtures.table(TabularFixtures.blobs(rows: 40, seed: 5))
        let (train, test) = TabularEvaluation.split(table, kind: .classification, seed: 1)
        XCTAssertEqual(Set(train).intersection(test), [])
        XCTAssertEqual(train.count + test.count, 40)
        XCTAssertEqual(train.filter { table.targets[$0] == "a" }.count, 10)
        XCTAssertEqual(TabularEvaluation.split(table, kind: .classification, seed: 1).0, train)
        XCTAssertNotEqual(TabularEvaluation.split(table, kind: .classification, seed: 2).0, train)
        XCTAssertEqual(TabularEvaluation.detectKind(table), .classification)
        XCTAssertEqual(TabularEvaluation.detectKind(try TabularFixtures.table("x,y\n" + (0..<20).map { "\($0),\(Double($0) * 0.5)\n" }.joined())), .regression)
    }
}
