import Foundation
@testable import MesaMeta
import XCTest

final class TabularPredictionFileTests: XCTestCase {
    func testClassificationFileNamesTheMostProbableClassAndQuotes() throws {
        let text = TabularPredictionFile.classification(classNames: ["a", "b,c"], probabilities: [[0.25, 0.75], [0.9, 0.1]])
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, ["prediction,p_a,\"p_b,c\"", "\"b,c\",0.250000,0.750000", "a,0.900000,0.100000"])
        let table = try CSVTable(text: text)
        XCTAssertEqual(table.header, ["prediction", "p_a", "p_b,c"])
    }

    func testRegressionFileHasTheMeanThenEveryQuantile() {
        let levels = TabularRegressor.quantileLevels
        let prediction = RegressionPrediction(mean: 1.5, quantiles: levels.map { Double($0) })
        let lines = TabularPredictionFile.regression([prediction]).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines[0].split(separator: ",").count, 1 + levels.count)
        XCTAssertTrue(lines[0].hasPrefix("mean,q"))
        XCTAssertEqual(lines[1].split(separator: ",").first, "1.5")
    }
}
