import MesaCore
@testable import MesaMeta
import XCTest

final class FewShotEpisodesTests: XCTestCase {
    /// 6 classes of 10 rows; feature 0 holds the class, feature 1 the row.
    private func dataset() throws -> LabelledDataset {
        let labels = (0..<60).map { $0 / 10 }
        return try LabelledDataset(features: labels.enumerated().flatMap { [Float($1), Float($0)] }, labels: labels, featureCount: 2,
                                   classNames: (0..<6).map { "c\($0)" })
    }

    func testEpisodesHaveNWayKShotStructureAndConsistentRelabelling() throws {
        let sampler = try FewShotEpisodes(dataset: try dataset(), classes: [0, 2, 3, 5], ways: 3, shots: 2, queries: 4)
        var generator = RandomGenerator(seed: 0)
        for episode in sampler.sample(count: 20, using: &generator) {
            XCTAssertEqual(episode.support.inputs.shape, [6, 2])
            XCTAssertEqual(episode.query.inputs.shape, [12, 2])
            var classOfLabel: [Int: Float] = [:]
            var rows = Set<Float>()
            for set in [episode.support, episode.query] {
                let x = set.inputs.scalars
                for (index, label) in set.labels.enumerated() {
                    XCTAssertTrue((0..<3).contains(label))
                    XCTAssertTrue([0, 2, 3, 5].contains(Int(x[index * 2])), "only the sampler's classes")
                    if let known = classOfLabel[label] { XCTAssertEqual(known, x[index * 2]) } else { classOfLabel[label] = x[index * 2] }
                    XCTAssertTrue(rows.insert(x[index * 2 + 1]).inserted, "no row twice in an episode")
                }
            }
            XCTAssertEqual(Set(classOfLabel.values).count, 3)
        }
    }

    func testBadSettingsAreClearErrors() throws {
        let data = try dataset()
        XCTAssertThrowsError(try FewShotEpisodes(dataset: data, classes: [0, 1], ways: 3, shots: 1, queries: 1)) {
            XCTAssertTrue("\($0)".contains("at least 3 classes"))
        }
        XCTAssertThrowsError(try FewShotEpisodes(dataset: data, classes: [0, 1], ways: 2, shots: 6, queries: 5)) {
            XCTAssertTrue("\($0)".contains("has 10 rows"))
        }
    }
}
