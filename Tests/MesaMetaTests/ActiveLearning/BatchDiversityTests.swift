import Foundation
@testable import MesaMeta
import XCTest

final class BatchDiversityTests: XCTestCase {
    /// Rows 0 and 1 are near-copies with the top scores; a batch of two takes row 0 and then the
    /// farthest candidate, not its copy.
    func testFarthestFirstSkipsNearCopiesOfChosenRows() {
        let features: [Float] = [0, 0, 0.01, 0, 5, 5, 1, 1]
        let scores = [0.9, 0.89, 0.5, 0.6]
        XCTAssertEqual(BatchDiversity.farthestFirst(scores: scores, features: features, width: 2, count: 2), [0, 2])
        // Candidates are the top scores only: with a factor of 1, row 2 (score 0.5) is not one.
        XCTAssertEqual(BatchDiversity.farthestFirst(scores: scores, features: features, width: 2, count: 2, candidateFactor: 1), [0, 1])
        XCTAssertEqual(BatchDiversity.farthestFirst(scores: [1, -.infinity], features: [0, 1], width: 1, count: 2), [0])
    }
}
