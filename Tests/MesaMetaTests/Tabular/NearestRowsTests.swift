import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class NearestRowsTests: XCTestCase {
    /// Against a brute-force sort of every distance, over random shapes, `k` and block sizes.
    func testMatchesBruteForce() {
        var generator = RandomGenerator(seed: 3)
        for trial in 0..<12 {
            let width = 1 + generator.nextIndex(below: 6), rowCount = 5 + generator.nextIndex(below: 60)
            let queryCount = 1 + generator.nextIndex(below: 20), k = 1 + generator.nextIndex(below: rowCount + 3)
            // Integer-valued coordinates make exact ties common: ties must keep the lower index.
            let rows = (0..<(rowCount * width)).map { _ in Float(generator.nextIndex(below: 5)) }
            let queries = (0..<(queryCount * width)).map { _ in Float(generator.nextIndex(below: 5)) }
            let found = NearestRows.search(queries: queries, queryCount: queryCount, rows: rows, rowCount: rowCount, width: width, k: k,
                                           block: 1 + generator.nextIndex(below: 7))
            XCTAssertEqual(found.count, queryCount)
            for q in 0..<queryCount {
                let distances = (0..<rowCount).map { r in
                    (0..<width).reduce(Float(0)) { total, j in
                        let d = queries[q * width + j] - rows[r * width + j]
                        return total + d * d
                    }
                }
                let expected = (0..<rowCount).sorted { (distances[$0], $0) < (distances[$1], $1) }.prefix(min(k, rowCount))
                XCTAssertEqual(found[q], Array(expected), "trial \(trial), query \(q)")
            }
        }
    }

    func testEmptyInputs() {
        XCTAssertEqual(NearestRows.search(queries: [], queryCount: 0, rows: [1, 2], rowCount: 2, width: 1, k: 1), [])
        XCTAssertEqual(NearestRows.search(queries: [1], queryCount: 1, rows: [1, 2], rowCount: 2, width: 1, k: 0), [[]])
    }
}
