import Foundation
@testable import MesaMeta
import MesaTestSupport
import XCTest

final class GPICLExperimentTransitionTests: SingleThreadedTestCase {
    func testWritesOneRowPerRunWithItsRegimeAndAChart() throws {
        let fixture = try GPICLFixture()
        let folder = fixture.directory.appendingPathComponent("transition")
        let (runs, trainers) = try fixture.train(.transition, names: ["transformer-pool-2^2", "lstm-pool-infinite"], in: folder)
        let analysis = try GPICLExperiment.writeTransition(runs: runs, trainers: trainers, testImages: nil, promptCount: 4, to: folder)
        let csv = try String(contentsOf: folder.appendingPathComponent("transition.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.first, "architecture,tasks,seen_accuracy,seen_se,unseen_accuracy,unseen_se,seen_accuracy_10,unseen_accuracy_10,regime,parameters,steps,training_seconds")
        XCTAssertEqual(csv.count, 3)
        XCTAssertTrue(csv[1].hasPrefix("transformer,4,"), String(csv[1]))
        XCTAssertTrue(csv[2].hasPrefix("lstm,infinite,"), String(csv[2]))
        let regimes = csv.dropFirst().map { $0.split(separator: ",")[8] }
        XCTAssertTrue(regimes.allSatisfy { ["memorisation", "task identification", "general learning", "at chance"].contains(String($0)) })
        let svg = try String(contentsOf: folder.appendingPathComponent("transition.svg"), encoding: .utf8)
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 4, "training and unseen tasks for each architecture")
        XCTAssertTrue(svg.contains("infinite pool at x = 4"), "two exponents right of the largest pool (2²)")
        XCTAssertEqual(analysis.lines.count, 3)
        XCTAssertTrue(analysis.lines[0].hasPrefix("transformer-pool-2^2: seen "), analysis.lines[0])
        XCTAssertEqual(analysis.files.map(\.lastPathComponent), ["transition.csv", "transition.svg"])
    }

    func testRunsAndTrainersMustPairUp() throws {
        let fixture = try GPICLFixture()
        let runs = try GPICLExperiment.transition.runs(base: fixture.base)
        XCTAssertThrowsError(try GPICLExperiment.writeTransition(runs: runs, trainers: [], testImages: nil, promptCount: 4, to: fixture.directory))
        XCTAssertThrowsError(try GPICLExperiment.generalisation.analyse(runs: [], trainers: [], base: fixture.base, promptCount: 4, to: fixture.directory))
    }
}
