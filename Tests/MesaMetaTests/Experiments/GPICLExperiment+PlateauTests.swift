import Foundation
@testable import MesaMeta
import MesaTestSupport
import XCTest

final class GPICLExperimentPlateauTests: SingleThreadedTestCase {
    func testWritesTheHeldOutCurvesAndOneSummaryRowPerRun() throws {
        let fixture = try GPICLFixture()
        let folder = fixture.directory.appendingPathComponent("plateau")
        let (runs, trainers) = try fixture.train(.plateau, names: ["baseline", "epsilon-1e-6"], in: folder)
        let analysis = try GPICLExperiment.plateau.analyse(runs: runs, trainers: trainers, base: fixture.base, promptCount: 4, to: folder)
        let curves = try String(contentsOf: folder.appendingPathComponent("plateau-curves.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(curves.first, "run,step,heldout_loss,heldout_accuracy")
        XCTAssertEqual(curves.dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: ",") },
                       ["baseline,1", "baseline,2", "epsilon-1e-6,1", "epsilon-1e-6,2"], "one row per held-out evaluation in metrics.jsonl")
        let summary = try String(contentsOf: folder.appendingPathComponent("plateau.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(summary.count, 3)
        XCTAssertTrue(summary[2].hasPrefix("epsilon-1e-6,2,1e-06,0.0,concatenated,transformer,"), String(summary[2]))
        for file in ["plateau.svg", "plateau-loss.svg"] {
            let svg = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 2, file)
        }
        XCTAssertEqual(Set(analysis.files.map(\.lastPathComponent)), ["plateau-curves.csv", "plateau.csv", "plateau.svg", "plateau-loss.svg"])
        XCTAssertTrue(analysis.description.contains("baseline: plateau left at step"), analysis.description)
    }
}
