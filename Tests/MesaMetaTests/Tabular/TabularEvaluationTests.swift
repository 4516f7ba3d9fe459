import Foundation
@testable import MesaMeta
import XCTest

final class TabularEvaluationTests: XCTestCase {
    /// Test labels that no training row has are listed with their row counts (most first);
    /// blank labels are not labels.
    func testUnseenLabels() throws {
        let train = try TabularFixtures.table("x,y\n1,a\n2,b\n3, a\n")
        let test = try TabularFixtures.table("x,y\n1,c\n2,a\n3,d\n4,c\n5,\n6,b\n")
        let unseen = TabularEvaluation.unseenLabels(train: train, test: test)
        XCTAssertEqual(unseen.map(\.label), ["c", "d"])
        XCTAssertEqual(unseen.map(\.rows), [2, 1])
        XCTAssertTrue(TabularEvaluation.unseenLabels(train: train, test: train).isEmpty)
    }
}
