import Foundation
import MesaCore
import MesaMeta
import XCTest

final class GaussianProcessFunctionPriorTests: XCTestCase {
    func testASetIsStandardisedOnItsContextAndEncodedInTheCube() {
        let prior = GaussianProcessFunctionPrior()
        var generator = RandomGenerator(seed: 1)
        var dimensions = Set<Int>()
        for _ in 0..<40 {
            let sample = prior.sample(rowCount: 30, trainCount: 12, split: .metaTraining, using: &generator)
            dimensions.insert(sample.featureCount)
            XCTAssertEqual(sample.features.count, 30 * sample.featureCount)
            XCTAssertTrue(sample.features.allSatisfy { $0 >= -1 && $0 <= 1 })
            let context = sample.targets.prefix(12).map(Double.init)
            let mean = context.reduce(0, +) / 12
            XCTAssertEqual(mean, 0, accuracy: 1e-5)
            XCTAssertEqual((context.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 12).squareRoot(), 1, accuracy: 1e-4)
        }
        XCTAssertEqual(dimensions, Set(1...6))
    }

    func testNearbyPointsSitNextToTheContext() {
        func meanDistanceToContext(nearbyFraction: Double) -> Double {
            var prior = GaussianProcessFunctionPrior()
            prior.dimensions = 3...3
            prior.nearbyFraction = nearbyFraction
            var generator = RandomGenerator(seed: 2)
            var total = 0.0, count = 0
            for _ in 0..<50 {
                let sample = prior.sample(rowCount: 40, trainCount: 10, split: .metaTraining, using: &generator)
                let rows: [[Double]] = (0..<40).map { r in (0..<3).map { Double(sample.features[r * 3 + $0]) } }
                for query in rows[10...] {
                    var nearest = Double.infinity
                    for context in rows[..<10] {
                        var squared = 0.0
                        for j in 0..<3 { squared += (context[j] - query[j]) * (context[j] - query[j]) }
                        nearest = Swift.min(nearest, squared.squareRoot())
                    }
                    total += nearest
                    count += 1
                }
            }
            return total / Double(count)
        }
        XCTAssertLessThan(meanDistanceToContext(nearbyFraction: 1), 0.8 * meanDistanceToContext(nearbyFraction: 0))
    }

    func testTheSetsFollowTheSeedAndTheSplit() {
        let prior = GaussianProcessFunctionPrior()
        func first(_ split: GaussianProcessFunctionSampler.Split) -> [Float] {
            var generator = RandomGenerator(seed: 9)
            return prior.sample(rowCount: 10, trainCount: 5, split: split, using: &generator).targets
        }
        XCTAssertEqual(first(.metaTraining), first(.metaTraining))
        XCTAssertNotEqual(first(.metaTraining), first(.metaValidation))
    }

    func testAPretrainingConfigurationChecksItsFunctionPrior() throws {
        func error(_ json: String) -> String {
            do { _ = try TabularPretrainingConfiguration(json: Data(json.utf8), source: "c.json"); return "" } catch { return "\(error)" }
        }
        let ok = try TabularPretrainingConfiguration(json: Data(#"{"model": {"kind": "regression", "maximumFeatures": 6}, "functionPrior": {}}"#.utf8), source: "c.json")
        XCTAssertEqual(ok.functionPrior, GaussianProcessFunctionPrior())
        XCTAssertTrue(error(#"{"model": {"kind": "classification"}, "functionPrior": {}}"#).contains("set model.kind to regression"))
        XCTAssertTrue(error(#"{"model": {"kind": "regression", "maximumFeatures": 4}, "functionPrior": {}}"#).contains("more than model.maximumFeatures (4)"))
        XCTAssertTrue(error(#"{"model": {"kind": "regression"}, "functionPrior": {"dimension": [1, 3]}}"#).contains("unknown field 'dimension'; known fields: dimensions"))
        XCTAssertTrue(error(#"{"model": {"kind": "regression"}, "functionPrior": {"dimensions": [0, 3]}}"#).contains("must start at 1"))
    }

    func testThePretrainerDrawsFunctionSetsAndLearnsFromThem() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-function-prior-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = TabularPretrainingConfiguration(kind: .regression)
        configuration.model = try JSONDecoder().decode(TabularModelConfiguration.self, from: Data(#"{"kind": "regression", "modelSize": 16, "layerCount": 1, "headCount": 2, "feedForwardSize": 32, "maximumFeatures": 6, "binCount": 16}"#.utf8))
        configuration.functionPrior = GaussianProcessFunctionPrior()
        configuration.minimumRows = 8
        configuration.maximumRows = 16
        configuration.steps = 3
        let trainer = try TabularPretrainer(configuration: configuration, directory: directory)
        var generator = RandomGenerator(seed: 4)
        let batch = TabularPretrainer.sampleBatch(configuration, model: trainer.model, using: &generator)
        XCTAssertEqual(batch.features.shape[2], 6)
        XCTAssertTrue(try trainer.trainStep().loss.isFinite)
        XCTAssertTrue(trainer.evaluate().isFinite)
        try trainer.saveCheckpoint()
        let recipe = try SafeTensors(contentsOf: trainer.checkpointURL).metadata["mesa.recipe"] ?? ""
        XCTAssertTrue(recipe.contains("GaussianProcessFunctionPrior"), recipe)
    }
}
