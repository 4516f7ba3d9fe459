import Foundation
import MesaCore
import XCTest
@testable import MesaMeta

final class LearnedEvolutionTrainerTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("les-trainer-\(UUID())")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    func tiny(steps: Int = 4) throws -> LearnedEvolutionConfiguration {
        try LearnedEvolutionConfiguration(json: Data("""
            {"steps": \(steps), "functions": [1, 15], "tasksPerStep": 2, "maximumDimension": 4, "generations": 6, "populationSize": 6,
             "metaPairs": 3, "attentionWidth": 4, "hiddenWidth": 4, "checkpointInterval": 1, "evaluationInterval": 100, "logInterval": 1}
            """.utf8), source: "tiny")
    }

    func testAStepMovesTheNetworkAndItsCheckpointIsALoadableNetwork() throws {
        let trainer = try LearnedEvolutionTrainer(configuration: try tiny(steps: 2), directory: directory)
        let before = trainer.network.flatParameters
        try trainer.run()
        XCTAssertNotEqual(trainer.network.flatParameters, before)
        let loaded = try LearnedEvolutionNetwork.load(trainer.checkpointURL)
        XCTAssertEqual(loaded.flatParameters, trainer.network.flatParameters)
        let exported = directory.appendingPathComponent("exported.safetensors")
        try trainer.export(to: exported)
        let metadata = try SafeTensors(contentsOf: exported).metadata
        XCTAssertTrue(metadata["mesa.recipe"]?.contains("f1, f15") == true)
        XCTAssertEqual(try LearnedEvolutionNetwork.load(exported).flatParameters, trainer.network.flatParameters)
    }

    func testAResumedRunContinuesBitForBit() throws {
        let straight = try LearnedEvolutionTrainer(configuration: try tiny(), directory: directory.appendingPathComponent("straight"))
        try straight.run()
        do {
            // Released (with its folder's lock) at the end of the block, as when a process ends.
            let interrupted = try LearnedEvolutionTrainer(configuration: try tiny(), directory: directory.appendingPathComponent("interrupted"))
            try interrupted.run(stoppingAt: 2)
        }
        let resumed = try LearnedEvolutionTrainer(resumingFrom: directory.appendingPathComponent("interrupted"))
        XCTAssertEqual(resumed.step, 2)
        try resumed.run()
        XCTAssertEqual(resumed.network.flatParameters, straight.network.flatParameters)
    }

    func testEachTaskIsStandardisedAcrossCandidatesBeforeAveraging() {
        // Task 0 spans 1…3, task 1 spans 100…300: each contributes equally.
        let fitness = LearnedEvolutionTrainer.normalisedFitness([[1, 300], [2, 200], [3, 100]])
        XCTAssertEqual(fitness[0], 0, accuracy: 1e-12)
        XCTAssertEqual(fitness[1], 0, accuracy: 1e-12)
        XCTAssertEqual(fitness[2], 0, accuracy: 1e-12)
        XCTAssertEqual(LearnedEvolutionTrainer.normalisedFitness([[1, 100], [3, 300]]), [-1, 1])
    }

    func testThePrecisionScoreIsTheLogUniformMeanOfTheBestPrecision() throws {
        // A fixed optimiser whose points reach f − f_opt = 10², 10⁰, 10⁻¹⁰ (floored at −8).
        struct Scripted: AskTellOptimizer {
            let dimension = 2
            var points: [[Double]]
            var bestPoint: [Double]? { nil }
            var bestValue: Double { .infinity }
            mutating func ask() -> [[Double]] { points }
            mutating func tell(_ points: [[Double]], values: [Double]) throws {}
        }
        let problem = try BBOBProblem(function: .sphere, dimension: 2, instance: 1)
        let optimum = problem.optimum
        let points = [[optimum[0] + 10, optimum[1]], [optimum[0] + 1, optimum[1]], [optimum[0] + 1e-5, optimum[1]]]
        var optimizer = Scripted(points: points)
        let score = LearnedEvolutionTrainer.precisionScore(of: &optimizer, on: problem, evaluations: 3)
        let expected: Double = (2.0 - 8.0 / 3) / (11.0 / 6)   // values 2, 0, −8 weighted 1, ½, ⅓
        XCTAssertEqual(score, expected, accuracy: 1e-9)
    }

    func testBadConfigurationsAreClearErrors() {
        XCTAssertThrowsError(try LearnedEvolutionConfiguration(json: Data(#"{"functions": [1, 30]}"#.utf8), source: "c.json")) { error in
            XCTAssertTrue("\(error)".contains("there is no BBOB function f30; the noiseless suite has f1 … f24"), "\(error)")
        }
        XCTAssertThrowsError(try LearnedEvolutionConfiguration(json: Data(#"{"generation": 5}"#.utf8), source: "c.json")) { error in
            XCTAssertTrue("\(error)".contains("unknown field 'generation'; known fields:"), "\(error)")
        }
        XCTAssertThrowsError(try LearnedEvolutionConfiguration(json: Data(#"{"maximumDimension": 50}"#.utf8), source: "c.json")) { error in
            XCTAssertEqual("\(error)", "c.json: need 2 ≤ minimumDimension ≤ maximumDimension ≤ 40 (BBOB's dimensions), got 2 and 50")
        }
    }
}
