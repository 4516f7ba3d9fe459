import XCTest
@testable import MesaMeta

final class BlackBoxCommandBatchTests: XCTestCase {
    func testRunsAGroupAtOnceKeepsTheOrderAndReportsEachFailure() throws {
        let space = try SearchSpace(parameters: [SearchParameter(name: "x", domain: .continuous(low: -10, high: 10, logarithmic: false))])
        let command = try BlackBoxCommand(arguments: ["/bin/sh", "-c", "sleep 0.5; if [ {x} = 3.0 ]; then exit 1; fi; echo {x}"], space: space)
        let start = Date()
        let results = command.evaluate(batch: [[.real(1)], [.real(2)], [.real(3)], [.real(4)]], parallel: 4)
        let seconds = Date().timeIntervalSince(start)
        XCTAssertLessThan(seconds, 1.6, "four half-second commands at once take about 0.5 s, not 2 s")
        XCTAssertEqual(try results[0].get(), 1)
        XCTAssertEqual(try results[1].get(), 2)
        XCTAssertThrowsError(try results[2].get())
        XCTAssertEqual(try results[3].get(), 4)
    }
}
