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

    /// `sortedSample` draws `count` distinct indices in increasing order, reproducibly and with the
    /// partial Fisher–Yates draws written out; a range no larger than `count` comes back whole
    /// without a draw; every index can be drawn.
    func testSortedSampleIsAPartialFisherYates() {
        var a = RandomGenerator(seed: 3), c = RandomGenerator(seed: 3)
        let sample = a.sortedSample(from: 30, count: 8)
        var byHand = Array(0..<30)
        for i in 0..<8 { byHand.swapAt(i, i + c.nextIndex(below: 30 - i)) }
        XCTAssertEqual(sample, Array(byHand.prefix(8)).sorted())
        XCTAssertEqual(a, c, "the same number of draws")
        XCTAssertEqual(Set(sample).count, 8)
        XCTAssertEqual(sample, sample.sorted())
        var b = RandomGenerator(seed: 3)
        XCTAssertEqual(b.sortedSample(from: 5, count: 8), [0, 1, 2, 3, 4])
        XCTAssertEqual(b, RandomGenerator(seed: 3), "no draw for a whole range")
        var seen = Set<Int>()
        for _ in 0..<100 { seen.formUnion(b.sortedSample(from: 10, count: 2)) }
        XCTAssertEqual(seen, Set(0..<10))
    }
}
