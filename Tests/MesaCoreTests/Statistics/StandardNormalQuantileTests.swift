import Foundation
import MesaCore
import XCTest

final class StandardNormalQuantileTests: XCTestCase {
    func testKnownQuantiles() {
        XCTAssertEqual(standardNormalQuantile(0.5), 0, accuracy: 1e-15)
        XCTAssertEqual(standardNormalQuantile(0.975), 1.959963984540054, accuracy: 1e-12)
        XCTAssertEqual(standardNormalQuantile(0.841344746068543), 1, accuracy: 1e-12)
        XCTAssertEqual(standardNormalQuantile(1e-10), -6.361340902404056, accuracy: 1e-9)
    }

    func testInvertsTheNormalCumulativeAndIsAntisymmetric() {
        for p in Array(stride(from: 1e-6, to: 1, by: 0.0371)) + [1e-12, 1e-3, 0.999999] {
            let x = standardNormalQuantile(p)
            XCTAssertEqual(0.5 * erfc(-x / 2.squareRoot()), p, accuracy: 1e-13 + 1e-10 * p)
            // 1 − p rounds away the tail mass below about 10⁻⁶: the antisymmetry is checked above it.
            if p >= 1e-6 { XCTAssertEqual(standardNormalQuantile(1 - p), -x, accuracy: 1e-9 * max(1, abs(x))) }
        }
    }

    func testEndsAndOutsideTheUnitInterval() {
        XCTAssertEqual(standardNormalQuantile(0), -.infinity)
        XCTAssertEqual(standardNormalQuantile(1), .infinity)
        XCTAssertTrue(standardNormalQuantile(-0.1).isNaN)
        XCTAssertTrue(standardNormalQuantile(1.5).isNaN)
        XCTAssertTrue(standardNormalQuantile(.nan).isNaN)
    }
}
