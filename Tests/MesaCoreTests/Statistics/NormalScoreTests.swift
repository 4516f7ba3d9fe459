import MesaCore
import XCTest

final class NormalScoreTests: XCTestCase {
    func testMidRanksInterpolationAndClamping() {
        let sorted: [Double] = [10, 20, 20, 30]   // positions 0, 1.5, 1.5, 3 of n = 4
        XCTAssertEqual(normalScore(10.0, among: sorted), standardNormalQuantile(0.125), accuracy: 1e-15)
        XCTAssertEqual(normalScore(20.0, among: sorted), 0, accuracy: 1e-15)
        XCTAssertEqual(normalScore(25.0, among: sorted), standardNormalQuantile(0.75), accuracy: 1e-15)   // position 2.5
        XCTAssertEqual(normalScore(-1e9, among: sorted), standardNormalQuantile(0.125), accuracy: 1e-15)
        XCTAssertEqual(normalScore(1e9, among: sorted), standardNormalQuantile(0.875), accuracy: 1e-15)
    }

    func testFewerThanTwoDistinctValuesGiveZero() {
        XCTAssertEqual(normalScore(3.0, among: [3.0]), 0)
        XCTAssertEqual(normalScore(Float(1), among: [2, 2, 2]), 0)
    }
}
