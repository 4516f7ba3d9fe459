import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class LearnedQueryPolicyTests: XCTestCase {
    func testFeaturesFollowTheirDefinitions() {
        let probabilities: [[Float]] = [[0.9, 0.1], [0.5, 0.5], [0.7, 0.3]]
        let pool: [Float] = [0, 0, 1, 0, 4, 0]              // width 2
        let labelled: [Float] = [0, 0, 4, 0]
        let f = QueryPolicyFeatures.make(probabilities: probabilities, pool: pool, labelled: labelled, width: 2, labelledClasses: [0, 0])
        XCTAssertEqual(f.count, 3)
        XCTAssertTrue(f.allSatisfy { $0.count == QueryPolicyFeatures.count })
        XCTAssertEqual(f[0][0], 0.9, accuracy: 1e-6)
        XCTAssertEqual(f[0][1], 0.8, accuracy: 1e-6)                   // margin p₁ − p₂
        XCTAssertEqual(f[1][2], 1, accuracy: 1e-6)                     // uniform: normalised entropy 1
        XCTAssertEqual(f.map { $0[3] }, [0, 1, 0.5])                   // entropy ranks
        XCTAssertEqual(f[1][5], Float(log1p(1.0 / (1.0 / 3))), accuracy: 1e-5)   // nearest labelled 1, mean 1/3
        XCTAssertEqual(f[0][5], 0)
        XCTAssertEqual(f[0][7], Float(log1p(2.0)), accuracy: 1e-6)    // both labelled rows in the predicted class, C = 2
        XCTAssertEqual(f[0][9], 0.2, accuracy: 1e-6)
    }

    func testTheLearnedStrategyFollowsThePolicyScores() throws {
        var evidence = PoolEvidence(probabilities: [[0.5, 0.5], [0.9, 0.1], [0.6, 0.4]])
        evidence.policyScores = [0.1, 0.7, 0.3]
        var generator = RandomGenerator(seed: 0)
        let scores = try QueryStrategy.learned.scores(evidence, using: &generator)
        XCTAssertEqual(scores, [0.1, 0.7, 0.3])
    }

    /// Two steps on tiny prior tasks with the small test model; resuming continues the run, and
    /// the exported file loads as a policy that scores rows.
    func testTrainsResumesAndExports() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-query-policy-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = QueryPolicyConfiguration()
        configuration.steps = 2
        configuration.tasksPerStep = 1
        configuration.candidatesPerTask = 4
        configuration.minimumRows = 20
        configuration.maximumRows = 30
        configuration.maximumLabelled = 6
        configuration.width = 8
        configuration.prior.featureRange = 1...5
        configuration.learnerModel = InContextActiveLearnerTests.classifierURL.path
        configuration.checkpointInterval = 1
        configuration.evaluationInterval = 2
        do {   // the first session ends (and frees the folder's lock) with this scope
            let trainer = try QueryPolicyTrainer(configuration: configuration, directory: folder)
            try trainer.run(stoppingAt: 1)
            XCTAssertEqual(trainer.step, 1)
        }
        let resumed = try QueryPolicyTrainer(resumingFrom: folder)
        XCTAssertEqual(resumed.step, 1)
        var metrics: [String: Double] = [:]
        try resumed.run { if case .evaluation(_, let values) = $0 { metrics = values } }
        XCTAssertEqual(resumed.step, 2)
        XCTAssertTrue(metrics["evaluationLoss"]?.isFinite ?? false, "\(metrics)")
        let file = folder.appendingPathComponent("policy.safetensors")
        try resumed.export(to: file)
        let policy = try LearnedQueryPolicy.load(file)
        let features = [[Float]](repeating: [Float](repeating: 0.5, count: QueryPolicyFeatures.count), count: 3)
        XCTAssertEqual(policy.scores(features), resumed.policy.scores(features))
        XCTAssertThrowsError(try LearnedQueryPolicy.load(InContextActiveLearnerTests.classifierURL)) {
            XCTAssertTrue("\($0)".contains("is not a query policy"), "\($0)")
        }
    }
}
