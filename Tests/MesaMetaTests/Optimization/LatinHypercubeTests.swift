import MesaCore
import MesaMeta
import XCTest

final class LatinHypercubeTests: XCTestCase {
    func testEverySliceOfEveryCoordinateHoldsOnePoint() {
        for (count, dimension) in [(10, 2), (7, 6), (1, 3)] {
            let points = LatinHypercube.sample(count: count, dimension: dimension, seed: 4)
            XCTAssertEqual(points.count, count)
            for j in 0..<dimension {
                let slices = points.map { Int($0[j] * Double(count)) }.sorted()
                XCTAssertEqual(slices, Array(0..<count), "coordinate \(j)")
            }
        }
    }

    func testSeeded() {
        XCTAssertEqual(LatinHypercube.sample(count: 5, dimension: 3, seed: 9), LatinHypercube.sample(count: 5, dimension: 3, seed: 9))
        XCTAssertNotEqual(LatinHypercube.sample(count: 5, dimension: 3, seed: 9), LatinHypercube.sample(count: 5, dimension: 3, seed: 10))
    }
}
