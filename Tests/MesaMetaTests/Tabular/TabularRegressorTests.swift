import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class TabularRegressorTests: XCTestCase {
    func testMeansAndOrderedQuantilesOnTheTargetsScale() throws {
        let url = try TabularFixtures.modelFile(kind: .regression)
        var options = TabularPredictionOptions()
        options.ensembleSize = 2
        let model = try TabularRegressor(modelURL: url, options: options)
        var text = "x,y\n"
        for i in 0..<30 { text += "\(i),\(1000 + 10 * i)\n" }
        let table = try TabularFixtures.table(text)
        try model.fit(table.selecting(Array(0..<20)))
        let predictions = try model.predict(table.selecting(Array(20..<30)))
        XCTAssertEqual(predictions.count, 10)
        for p in predictions {
            XCTAssertEqual(p.quantiles.count, TabularRegressor.quantileLevels.count)
            XCTAssertEqual(p.quantiles, p.quantiles.sorted())
            // The bins span ±4 standard deviations (57.7) of the training targets around their mean (1095).
            let low: Double = 1095 - 4 * 57.7 - 1, high: Double = 1095 + 4 * 57.7 + 1
            XCTAssertTrue(low <= p.mean && p.mean <= high, "\(p.mean)")
        }
        // Targets of scale 10⁻³⁰ are standardised by their own spread, not taken as constant.
        var tiny = "x,y\n"
        for i in 0..<20 { tiny += "\(i),\(Double(i) * 1e-30)\n" }
        try model.fit(TabularFixtures.table(tiny))
        XCTAssertEqual(model.scale / 1e-30, (399.0 / 12).squareRoot(), accuracy: 1e-9)
    }

    func testNonNumericTargetsAreAClearError() throws {
        let model = try TabularRegressor(modelURL: try TabularFixtures.modelFile(kind: .regression))
        XCTAssertThrowsError(try model.fit(TabularFixtures.table("x,y\n1,cat\n2,dog\n"))) {
            XCTAssertTrue("\($0)".contains("not a finite number") && "\($0)".contains("classification"), "\($0)")
        }
    }
}
