import MesaCore
@testable import MesaMeta
import XCTest

final class RandomGeneratorTaskSamplingTests: XCTestCase {
    /// `shuffle` is a permutation, reproducible from the generator's state, the same draws as
    /// the Fisher–Yates loop written out, and it reaches every order of three elements.
    func testShuffleIsASeededFisherYatesPermutation() {
        var a = RandomGenerator(seed: 7), b = RandomGenerator(seed: 7), c = RandomGenerator(seed: 7)
        var shuffled = Array(0..<50), again = Array(0..<50), byHand = Array(0..<50)
        a.shuffle(&shuffled)
        b.shuffle(&again)
        for i in byHand.indices.reversed() where i > 0 { byHand.swapAt(i, c.nextIndex(below: i + 1)) }
        XCTAssertEqual(shuffled, again)
        XCTAssertEqual(shuffled, byHand)
        XCTAssertEqual(a, c, "the same number of draws")
        XCTAssertEqual(shuffled.sorted(), Array(0..<50))
        XCTAssertNotEqual(shuffled, Array(0..<50))
        var orders = Set<[Int]>()
        var generator = RandomGenerator(seed: 1)
        for _ in 0..<200 {
            var three = [0, 1, 2]
            generator.shuffle(&three)
            orders.insert(three)
        }
        XCTAssertEqual(orders.count, 6)
        var empty: [Int] = []
        generator.shuffle(&empty)
        XCTAssertEqual(empty, [])
    }
}
