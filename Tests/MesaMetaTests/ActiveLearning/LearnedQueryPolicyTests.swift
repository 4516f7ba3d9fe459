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

    /// The within-task standardisation, ListNet's target distribution, and the two losses on a
    /// hand-made task: the listwise loss is smaller when the scores rank the candidates as the
    /// targets do, whatever their scale; the regression loss is the mean squared error to `z`.
    func testLossesCompareScoresWithStandardisedTargets() {
        let targets: [Float] = [1, 3, 2]
        let z = QueryPolicyLoss.standardised(targets)
        let sd = Float((2.0 / 3.0).squareRoot())
        XCTAssertEqual(z[0], -1 / (sd + 0.1), accuracy: 1e-5)
        XCTAssertEqual(z[1], 1 / (sd + 0.1), accuracy: 1e-5)
        XCTAssertEqual(z[2], 0, accuracy: 1e-6)
        let q = QueryPolicyLoss.listwiseTargets(targets, temperature: 0.5)
        XCTAssertEqual(q.reduce(0, +), 1, accuracy: 1e-6)
        XCTAssertEqual(q[1] / q[2], exp(z[1] / 0.5), accuracy: 1e-3)
        func loss(_ kind: QueryPolicyLoss, _ scores: [Float]) -> Float {
            kind(scores: [Tensor(shape: [3, 1], scalars: scores)], targets: [targets], temperature: 0.5).scalar
        }
        XCTAssertLessThan(loss(.listwise, [0, 2, 1]), loss(.listwise, [2, 0, 1]))
        XCTAssertEqual(loss(.listwise, [0, 2, 1]), loss(.listwise, [5, 7, 6]), accuracy: 1e-5, "only differences within a task matter")
        let expected = zip([Float](arrayLiteral: 0, 2, 1), z).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / 3
        XCTAssertEqual(loss(.regression, [0, 2, 1]), expected, accuracy: 1e-5)
    }

    func testBadConfigurationsAreRefused() {
        XCTAssertThrowsError(try QueryPolicyConfiguration(json: Data(#"{"loss": "pairwise"}"#.utf8), source: "q.json")) {
            XCTAssertTrue("\($0)".contains("unknown value \"pairwise\"") && "\($0)".contains("valid values: regression, listwise"), "\($0)")
        }
        for json in [#"{"temperature": 0}"#, #"{"ensembleSize": 0}"#, #"{"taskPoolSize": -1}"#] {
            XCTAssertThrowsError(try QueryPolicyConfiguration(json: Data(json.utf8), source: "q.json"), json) {
                XCTAssertTrue("\($0)".contains("temperature > 0"), "\($0)")
            }
        }
    }

    /// The residual form scores margin sampling's uncertainty plus `s · tanh` of the network: a
    /// row far less uncertain than the best is never chosen over it, however the network scores
    /// it; between near-ties the network decides.
    func testTheResidualFormDepartsFromMarginOnlyBetweenNearTies() throws {
        var generator = RandomGenerator(seed: 3)
        let policy = LearnedQueryPolicy(width: 4, using: &generator)
        func row(margin: Float, top: Float) -> [Float] {
            var f = [Float](repeating: 0.5, count: QueryPolicyFeatures.count)
            f[0] = top
            f[1] = margin
            return f
        }
        let features = [row(margin: 0.02, top: 0.51), row(margin: 0.03, top: 0.515), row(margin: 0.9, top: 0.95)]
        let raw = policy.scores(features)
        policy.residualScale = 0.1
        let residual = policy.scores(features)
        for (i, f) in features.enumerated() {
            XCTAssertEqual(residual[i], 1 - Double(f[1]) + 0.1 * tanh(raw[i]), accuracy: 1e-6)
        }
        XCTAssertLessThan(residual[2], min(residual[0], residual[1]), "0.87 less uncertain than the best: never chosen at s = 0.1")
        XCTAssertEqual(residual[0] > residual[1], 0.01 > 0.1 * (tanh(raw[1]) - tanh(raw[0])), "a near-tie goes to the network's preference")
    }

    /// The residual scale travels in the policy file's metadata; a bad one is refused, and so is a
    /// configuration's non-positive one.
    func testTheResidualScaleIsReadFromTheFile() throws {
        var generator = RandomGenerator(seed: 0)
        let policy = LearnedQueryPolicy(width: 4, using: &generator)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-residual-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ scale: String) throws -> URL {
            let url = folder.appendingPathComponent("p\(scale).safetensors")
            try policy.checkpoint(metadata: ["mesa.format": QueryPolicyTrainer.format, "mesa.policyWidth": "4", "mesa.residualScale": scale]).write(to: url)
            return url
        }
        XCTAssertEqual(try LearnedQueryPolicy.load(try write("0.05")).residualScale, 0.05)
        XCTAssertThrowsError(try LearnedQueryPolicy.load(try write("-1"))) {
            XCTAssertTrue("\($0)".contains("mesa.residualScale is -1, not a positive number"), "\($0)")
        }
        var configuration = QueryPolicyConfiguration()
        configuration.residualScale = 0.05
        XCTAssertEqual(QueryPolicyTrainer.metadata(configuration)["mesa.residualScale"], "0.05")
        XCTAssertEqual(try QueryPolicyConfiguration(json: Data(#"{"residualScale": 0.05}"#.utf8), source: "q.json").residualScale, 0.05)
        XCTAssertThrowsError(try QueryPolicyConfiguration(json: Data(#"{"residualScale": 0}"#.utf8), source: "q.json")) {
            XCTAssertTrue("\($0)".contains("residualScale > 0"), "\($0)")
        }
    }

    /// The evolution method: one generation plays each perturbed policy on a prior episode
    /// against margin sampling and moves the weights; the held-out metric is the gain over margin;
    /// an initial policy file is the starting point; an unknown method lists the valid ones.
    func testEvolutionStepsOnEpisodesAgainstMargin() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-query-policy-es-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = RandomGenerator(seed: 9)
        let start = LearnedQueryPolicy(width: 4, residualScale: 0.2, using: &generator)
        let startFile = folder.appendingPathComponent("start.safetensors")
        try start.checkpoint(metadata: ["mesa.format": QueryPolicyTrainer.format, "mesa.policyWidth": "4"]).write(to: startFile)
        var configuration = try QueryPolicyConfiguration(json: Data(#"{"method": "evolution"}"#.utf8), source: "q.json")
        configuration.initialPolicy = startFile.path
        configuration.steps = 1
        configuration.tasksPerStep = 1
        configuration.evolutionPairs = 1
        configuration.noiseScale = 0.5
        configuration.episodeBudget = 3
        configuration.evaluationEpisodes = 1
        configuration.minimumRows = 20
        configuration.maximumRows = 24
        configuration.width = 4
        configuration.residualScale = 0.2
        configuration.ensembleSize = 1
        configuration.prior.featureRange = 1...3
        configuration.learnerModel = InContextActiveLearnerTests.classifierURL.path
        let trainer = try QueryPolicyTrainer(configuration: configuration, directory: folder.appendingPathComponent("run"))
        XCTAssertEqual(trainer.flatParameters, start.parameters.flatMap(\.value.scalars), "starts from the initial policy")
        var generator2 = RandomGenerator(seed: 1)
        let task = trainer.episodeTask(using: &generator2)
        XCTAssertTrue((1...3).contains(task.split.budget) && (20...24).contains(task.table.count))
        let margin = try trainer.areaUnderBudgetCurve(.margin, on: task)
        XCTAssertEqual(try trainer.areaUnderBudgetCurve(.margin, on: task), margin, "an episode is reproducible")
        let result = try trainer.trainStep()
        XCTAssertTrue(result.loss.isFinite)
        XCTAssertEqual(Double(result.loss), -(result.metrics["gainOverMargin"] ?? .nan), accuracy: 1e-6)
        XCTAssertNotEqual(trainer.flatParameters, start.parameters.flatMap(\.value.scalars), "the generation moved the weights")
        XCTAssertTrue(trainer.evaluationMetrics()["evaluationGainOverMargin"]?.isFinite ?? false)
        XCTAssertTrue(QueryPolicyTrainer.metadata(configuration)["mesa.recipe"]?.contains("OpenAI-ES") ?? false)
        XCTAssertThrowsError(try QueryPolicyConfiguration(json: Data(#"{"method": "reinforce"}"#.utf8), source: "q.json")) {
            XCTAssertTrue("\($0)".contains("valid values: distillation, evolution"), "\($0)")
        }
        XCTAssertThrowsError(try QueryPolicyConfiguration(json: Data(#"{"noiseScale": 0}"#.utf8), source: "q.json")) {
            XCTAssertTrue("\($0)".contains("noiseScale > 0"), "\($0)")
        }
    }

    /// The shipped policy is the look-ahead form of benchmarks/active-learning/query-policy-look-ahead.json,
    /// with its recipe in the metadata; the previous, residual policy is kept beside that recipe.
    func testTheShippedPolicyIsTheLookAheadRecipe() throws {
        let url = try XCTUnwrap(LearnedQueryPolicy.shippedURL)
        let shipped = try LearnedQueryPolicy.load(url)
        XCTAssertEqual(shipped.lookAheadShortlist, 8)
        XCTAssertNil(shipped.residualScale)
        XCTAssertEqual(shipped.inputCount, QueryPolicyLookAhead.featureCount)
        let metadata = try SafeTensors(contentsOf: url).metadata
        XCTAssertTrue(metadata["mesa.recipe"]?.contains("true label's reduction of the test soft error") ?? false, "\(metadata)")
        let configuration = try QueryPolicyConfiguration(json: Data(try XCTUnwrap(metadata["mesa.configuration"]).utf8), source: "metadata")
        let recipe = try QueryPolicyConfiguration(json: try Data(contentsOf: Self.benchmarks.appendingPathComponent("query-policy-look-ahead.json")), source: "recipe")
        XCTAssertEqual(configuration, recipe)
        let residual = try LearnedQueryPolicy.load(Self.benchmarks.appendingPathComponent("query-policy-residual.safetensors"))
        XCTAssertEqual(residual.residualScale, 0.02)
    }

    /// The repository's benchmarks/active-learning folder.
    static let benchmarks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("benchmarks/active-learning")

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
        configuration.ensembleSize = 2
        configuration.taskPoolSize = 3
        configuration.prior.featureRange = 1...5
        configuration.learnerModel = InContextActiveLearnerTests.classifierURL.path
        configuration.checkpointInterval = 1
        configuration.evaluationInterval = 2
        do {   // the first session ends (and frees the folder's lock) with this scope
            let trainer = try QueryPolicyTrainer(configuration: configuration, directory: folder)
            try trainer.run(stoppingAt: 1)
            XCTAssertEqual(trainer.step, 1)
        }
        let firstTasks = try Data(contentsOf: folder.appendingPathComponent("tasks.json"))
        let resumed = try QueryPolicyTrainer(resumingFrom: folder)
        XCTAssertEqual(resumed.step, 1)
        let pool = try resumed.trainingTasks()
        XCTAssertEqual(pool.count, 3)
        XCTAssertEqual(try JSONDecoder().decode([QueryPolicyTrainer.TaskExamples].self, from: firstTasks), pool, "a resumed run reads the drawn tasks")
        XCTAssertTrue(pool.allSatisfy { $0.features.count == 4 && $0.reductions.count == 4 && $0.reductions.allSatisfy(\.isFinite) })
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
