import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class EpisodicTrainerTests: XCTestCase {
    private func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("mesa-episodic-\(UUID().uuidString)")
    }

    private func sineConfiguration(_ algorithm: EpisodicAlgorithm) -> EpisodicConfiguration {
        var c = EpisodicConfiguration()
        c.algorithm = algorithm
        c.hiddenSizes = [16, 16]
        c.iterations = 40
        c.metaBatchSize = 4
        c.validationInterval = 20
        c.validationEpisodes = 10
        c.checkpointInterval = 10
        c.logInterval = 10
        if algorithm == .reptile { c.optimizer = OptimizerConfiguration(algorithm: .sgd, learningRate: 0.5, decay: .linear, minimumLearningRate: 0); c.innerSteps = 3 }
        return c
    }

    /// An interrupted and resumed run ends with the same parameters, bit for bit.
    func testResumeIsExactForEveryGradientBasedAlgorithm() throws {
        for algorithm in [EpisodicAlgorithm.maml, .metaSGD, .anil, .reptile] {
            let c = sineConfiguration(algorithm)
            let straight = folder(), interrupted = folder()
            defer { try? FileManager.default.removeItem(at: straight); try? FileManager.default.removeItem(at: interrupted) }
            let whole = try EpisodicTrainer(configuration: c, directory: straight)
            try whole.run()
            try EpisodicTrainer(configuration: c, directory: interrupted).run(stoppingAt: 20)
            let resumed = try EpisodicTrainer(resumingFrom: interrupted)
            XCTAssertEqual(resumed.iteration, 20)
            try resumed.run()
            XCTAssertEqual(resumed.parameters.parameters.map { $0.value.scalars }, whole.parameters.parameters.map { $0.value.scalars },
                           "\(algorithm)")
            let metrics = try String(contentsOf: resumed.metricsURL, encoding: .utf8)
            XCTAssertEqual(metrics, try String(contentsOf: whole.metricsURL, encoding: .utf8),
                           "\(algorithm): the resumed run's metrics equal the uninterrupted run's")
        }
    }

    /// A few hundred MAML iterations already beat the untrained network on held-out sinusoids.
    func testMAMLLearnsSinusoids() throws {
        var c = sineConfiguration(.maml)
        c.iterations = 300
        c.metaBatchSize = 10
        c.innerLearningRate = 0.01
        let directory = folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let trainer = try EpisodicTrainer(configuration: c, directory: directory)
        let before = trainer.evaluate(split: .test, episodeCount: 100, seed: 7).loss.mean
        try trainer.run()
        let after = trainer.evaluate(split: .test, episodeCount: 100, seed: 7).loss.mean
        XCTAssertLessThan(after, 0.8 * before, "MSE before \(before), after \(after)")
    }

    /// ProtoNets on a table where 4 features separate the classes and 8 are loud noise shared by
    /// all classes: meta-training learns to embed the informative features, which carries over to
    /// classes never seen in meta-training (accuracy rises well above the untrained embedding's).
    func testPrototypicalNetworkGeneralisesToNewClassesOfATable() throws {
        var generator = RandomGenerator(seed: 1)
        var text = (0..<12).map { "f\($0)" }.joined(separator: ",") + ",label\n"
        for c in 0..<10 {
            let centre = (0..<4).map { _ in generator.nextNormal() * 2 }
            for _ in 0..<30 {
                let informative = centre.map { $0 + generator.nextNormal() * 0.5 }
                let noise = (0..<8).map { _ in generator.nextNormal() * 3 }
                text += (informative + noise).map { String($0) }.joined(separator: ",") + ",class\(c)\n"
            }
        }
        let directory = folder()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("blobs.csv")
        try text.write(to: csv, atomically: true, encoding: .utf8)
        var c = EpisodicConfiguration()
        c.algorithm = .prototypicalNetwork
        c.source = .table
        c.path = csv.path
        c.ways = 2
        c.shots = 3
        c.queries = 5
        c.hiddenSizes = [16]
        c.embeddingSize = 8
        c.iterations = 200
        c.metaBatchSize = 4
        c.validationInterval = 100
        c.validationEpisodes = 10
        c.checkpointInterval = 100
        let trainer = try EpisodicTrainer(configuration: c, directory: directory.appendingPathComponent("run"))
        let before = trainer.evaluate(split: .test, episodeCount: 200, seed: 3).accuracy!.mean
        try trainer.run()
        let accuracy = trainer.evaluate(split: .test, episodeCount: 200, seed: 3).accuracy!.mean
        print("ProtoNet blobs: test accuracy \(before) before, \(accuracy) after")
        XCTAssertGreaterThan(accuracy, before + 0.1)
        XCTAssertGreaterThan(accuracy, 0.8)
    }

    func testBadConfigurationsAreClearErrors() throws {
        func message(_ json: String) -> String {
            do { _ = try EpisodicConfiguration(json: Data(json.utf8), source: "c.json"); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message(#"{"algorithmm": "maml"}"#).contains("unknown field 'algorithmm'"))
        XCTAssertTrue(message(#"{"algorithm": "prototypicalNetwork"}"#).contains("classifies"))
        XCTAssertTrue(message(#"{"source": "table"}"#).contains("needs 'path'"))
        XCTAssertTrue(message(#"{"metaOptimizer": "rmsprop"}"#).contains("metaOptimizer"))
        let directory = folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        var c = sineConfiguration(.maml)
        c.iterations = 1
        try EpisodicTrainer(configuration: c, directory: directory).run()
        XCTAssertThrowsError(try EpisodicTrainer(configuration: c, directory: directory)) { XCTAssertTrue("\($0)".contains("already holds a run")) }
    }

    /// A session holds its run folder: a second one is refused while it lives, a meta-test may
    /// still read the run, and after it ends the run resumes.
    func testASessionHoldsItsRunFolder() throws {
        let directory = folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        var c = sineConfiguration(.maml)
        c.iterations = 20
        do {
            let trainer = try EpisodicTrainer(configuration: c, directory: directory)
            try trainer.run(stoppingAt: 10)
            XCTAssertThrowsError(try EpisodicTrainer(resumingFrom: directory)) { XCTAssertTrue($0 is RunFolderInUse, "\($0)") }
            XCTAssertThrowsError(try EpisodicTrainer(configuration: c, directory: directory)) { XCTAssertTrue($0 is RunFolderInUse, "\($0)") }
            XCTAssertEqual(try EpisodicTrainer.load(from: directory).iteration, 10, "reading for a meta-test needs no lock")
        }
        XCTAssertEqual(try EpisodicTrainer(resumingFrom: directory).iteration, 10)
    }
}
