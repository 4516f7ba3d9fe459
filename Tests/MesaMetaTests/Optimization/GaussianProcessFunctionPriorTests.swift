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

    func testATraceClosesInOnItsIncumbentAndQueriesNextToIt() {
        let function = GaussianProcessFunctionSampler().fourierFunction(index: 3, dimension: 2, split: .metaTraining)
        var generator = RandomGenerator(seed: 5)
        var lateDistance = 0.0, earlyDistance = 0.0, queryDistance = 0.0, uniformDistance = 0.0
        var inside = true
        for _ in 0..<60 {
            let (points, values) = GaussianProcessFunctionPrior.sampleTrace(of: function, rowCount: 60, trainCount: 40, using: &generator)
            XCTAssertEqual(points.count, 60)
            XCTAssertEqual(values.count, 60)
            inside = inside && points.allSatisfy { $0.count == 2 && $0.allSatisfy { (0...1).contains($0) } }
            for (i, x) in points.enumerated() { XCTAssertEqual(values[i], function.value(at: x), accuracy: 1e-12) }
            let best = points[values.prefix(40).indices.min { values[$0] < values[$1] }!]
            func distance(_ a: [Double], _ b: [Double]) -> Double { ((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1])).squareRoot() }
            earlyDistance += points[1..<10].map { distance($0, best) }.reduce(0, +) / 9
            lateDistance += points[30..<40].map { distance($0, best) }.reduce(0, +) / 10
            queryDistance += points[40...].map { query in points.prefix(40).map { distance($0, query) }.min()! }.reduce(0, +) / 20
            var g = RandomGenerator(seed: 7)
            uniformDistance += (0..<20).map { _ in
                let query = [Double(g.nextUniform()), Double(g.nextUniform())]
                return points.prefix(40).map { distance($0, query) }.min()!
            }.reduce(0, +) / 20
        }
        XCTAssertTrue(inside)
        // Later context points sit closer to the final incumbent than early ones, and queries
        // closer to the context than uniform points would.
        XCTAssertLessThan(lateDistance, 0.8 * earlyDistance)
        XCTAssertLessThan(queryDistance, 0.8 * uniformDistance)
    }

    func testTraceSetsAreDrawnAtTheirFractionOnly() {
        var prior = GaussianProcessFunctionPrior()
        var a = RandomGenerator(seed: 9), b = RandomGenerator(seed: 9)
        prior.traceFraction = 0
        let plain = prior.sample(rowCount: 20, trainCount: 8, split: .metaTraining, using: &a)
        XCTAssertEqual(plain.targets, GaussianProcessFunctionPrior().sample(rowCount: 20, trainCount: 8, split: .metaTraining, using: &b).targets)
        prior.traceFraction = 1
        var c = RandomGenerator(seed: 9)
        let trace = prior.sample(rowCount: 20, trainCount: 8, split: .metaTraining, using: &c)
        XCTAssertEqual(trace.rowCount, 20)
        XCTAssertEqual(trace.trainCount, 8)
        XCTAssertNotEqual(trace.targets, plain.targets)
        let context = trace.targets.prefix(8).map(Double.init)
        XCTAssertEqual(context.reduce(0, +) / 8, 0, accuracy: 1e-5)
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
        XCTAssertTrue(error(#"{"model": {"kind": "regression", "maximumFeatures": 6}, "functionPrior": {"traceFraction": 1.5}}"#).contains("traceFraction must be in [0, 1]"))
        XCTAssertTrue(error(#"{"model": {"kind": "regression", "maximumFeatures": 6}, "functionPrior": {"traceFraction": 0.5}}"#).isEmpty)
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
