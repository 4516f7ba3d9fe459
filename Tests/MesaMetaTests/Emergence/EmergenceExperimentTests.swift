import Foundation
import MesaCore
@testable import MesaMeta
import MesaTestSupport
import XCTest

final class EmergenceExperimentTests: SingleThreadedTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-emergence-\(UUID())")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
        super.tearDown()
    }

    /// A tiny base run: 6 steps on 16 classes.
    func tinyBase() -> EmergenceRunConfiguration {
        var base = EmergenceExperiment.standardBase
        base.tasks = BurstyClassificationConfiguration(classCount: 64, labelCount: 4, inputDimension: 4, contextCount: 4, burstiness: 2)
        base.learner.modelSize = 8
        base.learner.feedForwardSize = 8
        base.learner.maximumPointCount = 5
        base.training.steps = 6
        base.training.batchSize = 4
        base.training.evaluationInterval = 3
        base.training.evaluationPromptCount = 8
        base.training.checkpointInterval = 3
        base.training.logInterval = 3
        base.training.optimizer.warmUpSteps = 1
        return base
    }

    func testTheGridVariesOneFactorAtATimeAroundTheBase() throws {
        let runs = try EmergenceExperiment.runs(base: EmergenceExperiment.standardBase, seeds: 2)
        XCTAssertEqual(runs.count, 2 * 12)
        XCTAssertEqual(Set(runs.map(\.name)).count, runs.count)
        let base = try XCTUnwrap(runs.first { $0.name == "base-seed1" })
        XCTAssertEqual(base.memberships.count, EmergenceExperiment.Factor.allCases.count)
        XCTAssertEqual(base.configuration.tasks.seed, 1)
        XCTAssertEqual(Set(runs.compactMap { $0.memberships[.zipf] }), [0, 0.5, 1, 1.5])
        XCTAssertEqual(Set(runs.compactMap { $0.memberships[.burstiness] }), [0, 1, 2, 4])
        for run in runs where run.name != "base-seed0" && run.name != "base-seed1" { XCTAssertEqual(run.memberships.count, 1) }
        // The LSTM has about as many parameters as the Transformer.
        var generator = RandomGenerator(seed: 0)
        let lstm = try XCTUnwrap(runs.first { $0.name == "lstm-seed0" }).configuration
        let t = try base.configuration.learner.makeLearner(inputDimension: 16, kind: .classification(classCount: 32), using: &generator).parameterCount
        let l = try lstm.learner.makeLearner(inputDimension: 16, kind: .classification(classCount: 32), using: &generator).parameterCount
        XCTAssertEqual(Double(l) / Double(t), 1, accuracy: 0.1)
    }

    func testAFactorSubsetKeepsTheBaseAndThatFactorsArmsOnly() throws {
        let runs = try EmergenceExperiment.runs(base: EmergenceExperiment.standardBase, seeds: 2, factors: [.zipf])
        XCTAssertEqual(runs.map(\.name), ["base-seed0", "zipf-0.5-seed0", "zipf-1.0-seed0", "zipf-1.5-seed0",
                                          "base-seed1", "zipf-0.5-seed1", "zipf-1.0-seed1", "zipf-1.5-seed1"])
        XCTAssertTrue(runs.allSatisfy { Array($0.memberships.keys) == [.zipf] })
        XCTAssertEqual(runs.map { $0.memberships[.zipf]! }, [0, 0.5, 1, 1.5, 0, 0.5, 1, 1.5])
        XCTAssertEqual(runs.map(\.configuration.tasks.zipfExponent), [0, 0.5, 1, 1.5, 0, 0.5, 1, 1.5])
        // The same run in a subset and in the whole grid is the same configuration, so their folders are interchangeable.
        let whole = try EmergenceExperiment.runs(base: EmergenceExperiment.standardBase, seeds: 2)
        for run in runs { XCTAssertEqual(whole.first { $0.name == run.name }?.configuration, run.configuration, run.name) }
        let two = try EmergenceExperiment.runs(base: EmergenceExperiment.standardBase, seeds: 1, factors: [.zipf, .architecture])
        XCTAssertEqual(two.map(\.name), ["base-seed0", "zipf-0.5-seed0", "zipf-1.0-seed0", "zipf-1.5-seed0", "lstm-seed0"])
        XCTAssertEqual(two.first?.memberships, [.zipf: 0, .architecture: 0])
    }

    func testFactorsParseFromAListAndUnknownNamesAreAClearError() throws {
        XCTAssertEqual(try EmergenceExperiment.factors(parsing: "zipf, burstiness"), [.zipf, .burstiness])
        XCTAssertEqual(try EmergenceExperiment.factors(parsing: "all"), Set(EmergenceExperiment.Factor.allCases))
        for text in ["zipff", "", " , "] {
            XCTAssertThrowsError(try EmergenceExperiment.factors(parsing: text)) { error in
                XCTAssertTrue("\(error)".contains("valid: burstiness, classes, zipf, noise, labels, architecture, or all"), "\(error)")
            }
        }
        XCTAssertEqual(try EmergenceExperiment.factors(parsing: "zipf,"), [.zipf])
        XCTAssertThrowsError(try EmergenceExperiment.factors(parsing: "zipff")) { XCTAssertTrue("\($0)".contains("unknown factor 'zipff'")) }
    }

    func testAZipfOnlyAnalysisWritesTheZipfTablesCurvesAndPairedEffects() throws {
        var base = tinyBase()
        base.training.steps = 3
        let runs = try EmergenceExperiment.runs(base: base, seeds: 2, factors: [.zipf])
        let trainers = try EmergenceExperiment.trainAll(runs, in: directory)
        let analysis = try EmergenceExperiment.analyse(runs: runs, trainers: trainers, to: directory)
        let names = Set(analysis.files.map(\.lastPathComponent))
        for name in ["emergence-zipf.svg", "emergence-zipf-in-context-curves.svg", "emergence-zipf-in-weights-curves.svg", "emergence-runs.csv"] {
            XCTAssertTrue(names.contains(name), name)
        }
        XCTAssertFalse(names.contains("emergence-burstiness.svg"), "no plot of a factor without runs")
        XCTAssertFalse(names.contains("emergence-curves.svg"), "no LSTM arm, no Transformer-against-LSTM curves")
        let curves = try String(contentsOf: directory.appendingPathComponent("emergence-zipf-in-context-curves.svg"), encoding: .utf8)
        for label in ["α = 0", "α = 0.5", "α = 1", "α = 1.5"] { XCTAssertTrue(curves.contains(label), label) }
        let outcomes = try EmergenceExperiment.outcomes(runs: runs, trainers: trainers)
        let effects = EmergenceExperiment.effects(outcomes)
        let iw = try XCTUnwrap(effects.first { $0.comparison == "IW(α=1) − IW(α=0)" })
        let expected = [0, 1].map { seed in
            outcomes.first { $0.run.name == "zipf-1.0-seed\(seed)" }!.inWeights - outcomes.first { $0.run.name == "base-seed\(seed)" }!.inWeights
        }
        XCTAssertEqual(iw.differences, expected, accuracy: 1e-12)
        let chance = try XCTUnwrap(effects.first { $0.comparison == "IW(α=1) − majority-label rate(α=1)" })
        XCTAssertEqual(chance.differences.count, 2)
        let alphaOne = outcomes.first { $0.run.name == "zipf-1.0-seed0" }!
        XCTAssertEqual(alphaOne.inWeightsChance, trainers[2].tasks.majorityLabelRate)
        XCTAssertTrue(try String(contentsOf: directory.appendingPathComponent("emergence-runs.csv"), encoding: .utf8).contains("in_weights_majority_label"))
    }

    func testSeedsCountUpFromTheBaseSeed() throws {
        var base = tinyBase()
        base.training.seed = 5
        let runs = try EmergenceExperiment.runs(base: base, seeds: 2)
        XCTAssertEqual(Set(runs.map(\.seed)), [5, 6])
        let first = try XCTUnwrap(runs.first)
        XCTAssertEqual(first.name, "base-seed5")
        XCTAssertEqual(first.configuration.tasks.seed, 5)
    }

    func testAnLSTMBaseIsTheArchitectureArmItself() throws {
        var base = tinyBase()
        base.learner = LearnerConfiguration(architecture: .lstm, modelSize: 8, layerCount: 1, headCount: 1, maximumPointCount: 5)
        let runs = try EmergenceExperiment.runs(base: base, seeds: 1)
        XCTAssertEqual(runs.first?.memberships[.architecture], 1)
        XCTAssertFalse(runs.contains { $0.name.hasPrefix("lstm") })
    }

    func testTrainerLogsBothAccuraciesAndResumesExactly() throws {
        let configuration = tinyBase()
        let whole = try EmergenceTrainer(configuration: configuration, directory: directory.appendingPathComponent("whole"))
        try whole.run()
        let records = try MetricsLog.read(whole.metricsURL).filter { $0["inContextAccuracy"] != nil }
        XCTAssertEqual(records.map { $0["step"] }, [3, 6])
        XCTAssertTrue(records.allSatisfy { (0...1).contains($0["inWeightsAccuracy"]!) })

        let pieces = directory.appendingPathComponent("pieces")
        try EmergenceTrainer(configuration: configuration, directory: pieces).run(stoppingAt: 3)
        let resumed = try EmergenceTrainer(resumingFrom: pieces)
        XCTAssertEqual(resumed.step, 3)
        try resumed.run()
        for (a, b) in zip(whole.learner.parameters, resumed.learner.parameters) { XCTAssertEqual(a.value.scalars, b.value.scalars) }
    }

    func testInWeightsAccuracyByFrequencySplitsTheOverallAccuracyByQueryClass() throws {
        var configuration = tinyBase()
        configuration.tasks.zipfExponent = 1
        configuration.training.evaluationPromptCount = 64
        let trainer = try EmergenceTrainer(configuration: configuration, directory: directory.appendingPathComponent("run"))
        try trainer.run()
        let correct = trainer.correctness(on: trainer.inWeightsBatch)
        let isCommon = trainer.inWeightsBatch.classes.map { $0.last! < trainer.tasks.commonClassCount }
        let (common, rare) = trainer.inWeightsAccuracyByFrequency()
        let commonCount = Double(isCommon.filter { $0 }.count), rareCount = Double(isCommon.count) - commonCount
        XCTAssertGreaterThan(commonCount, 0)
        XCTAssertGreaterThan(rareCount, 0)
        XCTAssertEqual((common * commonCount + rare * rareCount) / Double(correct.count), trainer.accuracy(on: trainer.inWeightsBatch), accuracy: 1e-12)
        XCTAssertEqual(common, Double(zip(correct, isCommon).filter { $0 && $1 }.count) / commonCount, accuracy: 1e-12)
    }

    func testQueryOnlyLossIgnoresTheContextLabelsPrediction() throws {
        let trainer = try EmergenceTrainer(configuration: tinyBase(), directory: directory.appendingPathComponent("run"))
        var generator = RandomGenerator(seed: 3)
        let sequences = trainer.tasks.sampleTraining(batchSize: 5, using: &generator)
        XCTAssertEqual(trainer.queryLogits(sequences).shape, [5, 4])
        let accuracy = trainer.accuracy(on: sequences)
        XCTAssertTrue([0, 0.2, 0.4, 0.6, 0.8, 1].contains(accuracy))
    }

    func testEffectsArePairedBySeed() throws {
        let base = tinyBase()
        var runs = try EmergenceExperiment.runs(base: base, seeds: 2)
        runs = runs.filter { $0.name.hasPrefix("base") || $0.name.hasPrefix("lstm") }
        func outcome(_ run: EmergenceExperiment.Run, _ ic: Double) -> EmergenceExperiment.Outcome {
            .init(run: run, inContext: ic, inWeights: 0.25, curve: [], parameterCount: 1, seconds: 0)
        }
        let outcomes = [outcome(runs[0], 0.9), outcome(runs[1], 0.5), outcome(runs[2], 0.7), outcome(runs[3], 0.6)]
        let effect = try XCTUnwrap(EmergenceExperiment.effects(outcomes).first { $0.claim == "4 architecture" })
        XCTAssertEqual(effect.differences, [0.4, 0.1].map { $0 }, accuracy: 1e-12)
        XCTAssertEqual(effect.mean, 0.25, accuracy: 1e-12)
        XCTAssertEqual(effect.standardError, 0.15, accuracy: 1e-12)
    }

    func testConfigurationsSurviveTheirJSONRoundTrip() throws {
        for run in try EmergenceExperiment.runs(base: tinyBase(), seeds: 1) {
            let json = try run.configuration.jsonData()
            XCTAssertEqual(try EmergenceRunConfiguration(json: json, source: "test"), run.configuration, String(decoding: json, as: UTF8.self))
        }
    }

    func testAnEmergenceConfigurationWithAnLSALearnerIsAClearError() {
        var configuration = tinyBase()
        configuration.learner.architecture = .lsa
        XCTAssertThrowsError(try configuration.validate()) { XCTAssertTrue("\($0)".contains("transformer or an lstm")) }
        configuration = tinyBase()
        configuration.learner.maximumPointCount = 3
        XCTAssertThrowsError(try configuration.validate()) { XCTAssertTrue("\($0)".contains("maximumPointCount (3)")) }
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}

final class AttentionMomentumConfigurationTests: XCTestCase {
    func testMomentumReachesEveryLayerOfATransformerLearner() throws {
        var generator = RandomGenerator(seed: 0)
        let configuration = LearnerConfiguration(modelSize: 8, layerCount: 2, headCount: 2, maximumPointCount: 5, attentionMomentum: 0.5)
        let learner = try XCTUnwrap(try configuration.makeLearner(inputDimension: 3, kind: .regression, using: &generator) as? TransformerLearner)
        XCTAssertEqual(learner.encoder.layers.map(\.attention.momentum), [0.5, 0.5])
        let decoded = try JSONDecoder().decode(LearnerConfiguration.self, from: try JSONEncoder().encode(configuration))
        XCTAssertEqual(decoded, configuration)
    }

    func testBadMomentumIsAClearError() {
        var generator = RandomGenerator(seed: 0)
        for (configuration, message) in [
            (LearnerConfiguration(attentionMomentum: 1), "learner.attentionMomentum must be in (0, 1), got 1.0"),
            (LearnerConfiguration(architecture: .lstm, attentionMomentum: 0.5), "applies to transformer learners only, not lstm"),
        ] {
            XCTAssertThrowsError(try configuration.makeLearner(inputDimension: 3, kind: .regression, using: &generator)) { error in
                XCTAssertTrue("\(error)".contains(message), "\(error)")
            }
        }
    }
}
