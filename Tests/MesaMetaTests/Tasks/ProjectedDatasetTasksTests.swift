import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class ProjectedDatasetTasksTests: XCTestCase {
    /// 40 rows of 6 random features, 4 classes (row i has class i mod 4).
    private func dataset(rows: Int = 40, features: Int = 6, classes: Int = 4, seed: UInt64 = 1) throws -> LabelledDataset {
        var generator = RandomGenerator(seed: seed)
        return try LabelledDataset(features: (0..<(rows * features)).map { _ in generator.nextNormal() * 3 + 1 },
                                   labels: (0..<rows).map { $0 % classes }, featureCount: features,
                                   classNames: (0..<classes).map { "c\($0)" })
    }

    /// The row of `tasks.dataset` whose projection by `projection` is `point` (to 1e-4), if exactly one.
    private func matchingRow(_ point: ArraySlice<Float>, _ tasks: ProjectedDatasetTasks, _ projection: [Float]) -> Int? {
        let all = tasks.project(rows: Array(0..<tasks.dataset.count), with: projection).scalars
        let d = tasks.inputDimension
        let matches = (0..<tasks.dataset.count).filter { row in
            zip(all[(row * d)..<((row + 1) * d)], point).allSatisfy { abs($0 - $1) <= 1e-4 }
        }
        return matches.count == 1 ? matches[0] : nil
    }

    func testPromptsAreProjectedRowsWithPermutedLabels() throws {
        let tasks = try ProjectedDatasetTasks(dataset: try dataset(), inputDimension: 3, classCount: 10, taskCount: 8, seed: 5)
        var generator = RandomGenerator(seed: 0)
        let chosen = (0..<3).map { tasks.task(at: $0) }
        let batch = tasks.sample(tasks: chosen, pointCount: 12, using: &generator)
        XCTAssertEqual(batch.inputs.shape, [3, 12, 3])
        XCTAssertEqual(batch.kind, .classification(classCount: 10))
        let x = batch.inputs.scalars, y = batch.targets.scalars
        for (prompt, task) in chosen.enumerated() {
            XCTAssertEqual(task.permutation.sorted(), [0, 1, 2, 3], "a permutation of the dataset's own classes")
            var rows = Set<Int>()
            for point in 0..<12 {
                let index = prompt * 12 + point
                let row = try XCTUnwrap(matchingRow(x[(index * 3)..<((index + 1) * 3)], tasks, task.projection))
                XCTAssertEqual(Int(y[index]), task.permutation[tasks.dataset.labels[row]])
                XCTAssertTrue(rows.insert(row).inserted, "rows are drawn without replacement")
            }
        }
    }

    func testProjectionIsAOfStandardisedFeaturesWithUnitVariance() throws {
        let data = try dataset(rows: 400, features: 50, classes: 2)
        let tasks = try ProjectedDatasetTasks(dataset: data, inputDimension: 8)
        // The dataset is standardised: every feature has mean 0 and variance 1 (tolerance 1e-4).
        for feature in [0, 17, 49] {
            let column = (0..<400).map { Double(tasks.dataset.features[$0 * 50 + feature]) }
            XCTAssertEqual(column.reduce(0, +) / 400, 0, accuracy: 1e-4)
            XCTAssertEqual(column.reduce(0) { $0 + $1 * $1 } / 400, 1, accuracy: 1e-4)
        }
        // x̃ = Aᵀx exactly (1e-4), and with A ~ N(0, 1/50) the coordinates have variance ≈ 1 (±0.2 over 3,200 values).
        let task = tasks.task(at: 3)
        let projected = tasks.project(rows: [7], with: task.projection).scalars
        for j in 0..<8 {
            let expected = (0..<50).reduce(Float(0)) { $0 + tasks.dataset.features[7 * 50 + $1] * task.projection[$1 * 8 + j] }
            XCTAssertEqual(projected[j], expected, accuracy: 1e-4)
        }
        let all = tasks.project(rows: Array(0..<400), with: task.projection).scalars.map(Double.init)
        XCTAssertEqual(all.reduce(0) { $0 + $1 * $1 } / Double(all.count), 1, accuracy: 0.2)
    }

    func testFinitePoolRepeatsItsTasksAndInfinitePoolDoesNot() throws {
        let data = try dataset()
        let pool = try ProjectedDatasetTasks(dataset: data, inputDimension: 2, taskCount: 2, seed: 9)
        let infinite = try ProjectedDatasetTasks(dataset: data, inputDimension: 2, taskCount: nil, seed: 9)
        var generator = RandomGenerator(seed: 3)
        let pooled = Set((0..<50).map { _ in (pool.sampleTask(using: &generator) as! ProjectedDatasetTasks.Task).projection })
        let fresh = Set((0..<50).map { _ in (infinite.sampleTask(using: &generator) as! ProjectedDatasetTasks.Task).projection })
        XCTAssertEqual(pooled.count, 2)
        XCTAssertEqual(fresh.count, 50)
        let again = try ProjectedDatasetTasks(dataset: data, inputDimension: 2, taskCount: 2, seed: 9)
        XCTAssertEqual(again.task(at: 1).projection, pool.task(at: 1).projection, "a pool is fixed by its size and seed")
        XCTAssertNotEqual(try pool.with(seed: 10).task(at: 1).projection, pool.task(at: 1).projection)
    }

    func testUnpermutedFractionKeepsTheIdentityForTheFirstPrompts() throws {
        let tasks = try ProjectedDatasetTasks(dataset: try dataset(), inputDimension: 3, taskCount: nil, seed: 2, unpermutedFraction: 0.5)
        var generator = RandomGenerator(seed: 4)
        var chosen: [ProjectedDatasetTasks.Task] = []
        while chosen.count < 4 {   // tasks whose permutation is not the identity, so the check can fail
            let task = tasks.sampleTask(using: &generator) as! ProjectedDatasetTasks.Task
            if task.permutation != [0, 1, 2, 3] { chosen.append(task) }
        }
        let batch = tasks.sample(tasks: chosen, pointCount: 10, using: &generator)
        let x = batch.inputs.scalars, y = batch.targets.scalars
        for prompt in 0..<4 {
            var identity = true
            for point in 0..<10 {
                let index = prompt * 10 + point
                let row = try XCTUnwrap(matchingRow(x[(index * 3)..<((index + 1) * 3)], tasks, chosen[prompt].projection))
                identity = identity && Int(y[index]) == tasks.dataset.labels[row]
            }
            XCTAssertEqual(identity, prompt < 2, "prompt \(prompt)")
        }
    }

    func testBadSettingsAreClearErrors() throws {
        let data = try dataset()
        XCTAssertThrowsError(try ProjectedDatasetTasks(dataset: data, inputDimension: 0)) { XCTAssertTrue("\($0)".contains("projection width")) }
        XCTAssertThrowsError(try ProjectedDatasetTasks(dataset: data, inputDimension: 4, classCount: 3)) {
            XCTAssertTrue("\($0)".contains("has 4 classes; the learner reads 2...3"), "\($0)")
        }
        XCTAssertThrowsError(try ProjectedDatasetTasks(dataset: data, inputDimension: 4, taskCount: 0)) { XCTAssertTrue("\($0)".contains("poolSize")) }
        XCTAssertThrowsError(try ProjectedDatasetTasks(dataset: data, inputDimension: 4, unpermutedFraction: 1.5)) {
            XCTAssertTrue("\($0)".contains("unpermutedFraction"))
        }
        var configuration = TaskConfiguration(family: .projectedDataset, inputDimension: 4, classCount: 10, datasetSplit: "validation")
        XCTAssertThrowsError(try configuration.makeDistribution()) { XCTAssertTrue("\($0)".contains("datasetSplit"), "\($0)") }
        configuration.dataset = "/nonexistent/table.csv"
        XCTAssertThrowsError(try configuration.makeDistribution()) { XCTAssertTrue("\($0)".contains("cannot read /nonexistent/table.csv"), "\($0)") }
        let mixture = TaskConfiguration(family: .mixture, inputDimension: 4, classCount: 10, components: [
            .init(weight: 1, task: TaskConfiguration(family: .linearClassification, inputDimension: 4, classCount: 10)),
            .init(weight: 1, task: configuration)])
        XCTAssertThrowsError(try mixture.makeDistribution()) { XCTAssertTrue("\($0)".contains("cannot be mixed"), "\($0)") }
    }

    func testConfigurationFromJSONTrainsOnACSVTable() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("projected-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try dataset(rows: 60, features: 5, classes: 3)
        var csv = "a,b,c,d,e,class\n"
        for row in 0..<60 {
            csv += (0..<5).map { String(data.features[row * 5 + $0]) }.joined(separator: ",") + ",k\(data.labels[row])\n"
        }
        let table = folder.appendingPathComponent("table.csv")
        try csv.write(to: table, atomically: true, encoding: .utf8)
        let json = """
        {"name": "t", "task": {"family": "projectedDataset", "dataset": "\(table.path)", "inputDimension": 4, "classCount": 5, "poolSize": 16, "unpermutedFraction": 0.25},
         "learner": {"modelSize": 16, "layerCount": 1, "headCount": 2, "encoding": "concatenated", "maximumPointCount": 20},
         "training": {"steps": 3, "batchSize": 4, "pointCount": 20, "evaluationPromptCount": 8, "evaluationInterval": 3}}
        """
        let configuration = try InContextTrainingConfiguration(json: Data(json.utf8))
        XCTAssertEqual(configuration.task.kind, .classification(classCount: 5))
        let trainer = try InContextTrainer(configuration: configuration, directory: folder.appendingPathComponent("run"))
        let tasks = try XCTUnwrap(trainer.distribution as? ProjectedDatasetTasks)
        XCTAssertEqual(tasks.taskCount, 16)
        XCTAssertEqual(tasks.unpermutedFraction, 0.25)
        try trainer.run()
        XCTAssertEqual(trainer.step, 3)
        XCTAssertTrue(trainer.evaluate().loss.isFinite)
    }

    func testClassImbalanceSkewsPromptsAndHeldOutPromptsStayUniform() throws {
        let data = try dataset(rows: 400, features: 3, classes: 4)
        let skewed = try ProjectedDatasetTasks(dataset: data, inputDimension: 3, classImbalance: 0.3)
        var generator = RandomGenerator(seed: 8)
        // The largest class share of a 40-row prompt: about 0.25–0.4 for uniform rows, larger under Dirichlet(0.3).
        func meanLargestShare(_ tasks: ProjectedDatasetTasks) -> Double {
            (0..<200).map { _ -> Double in
                let rows = tasks.drawRows(40, using: &generator)
                XCTAssertEqual(Set(rows).count, 40, "rows stay distinct")
                let counts = (0..<4).map { label in rows.filter { tasks.dataset.labels[$0] == label }.count }
                return Double(counts.max()!) / 40
            }.reduce(0, +) / 200
        }
        let skewedShare = meanLargestShare(skewed), uniformShare = meanLargestShare(skewed.heldOut)
        XCTAssertNil(skewed.heldOut.classImbalance)
        let heldOut = try XCTUnwrap(skewed.heldOutDistribution as? ProjectedDatasetTasks, "the protocol's held-out distribution is heldOut")
        XCTAssertNil(heldOut.classImbalance)
        XCTAssertGreaterThan(skewedShare, 0.55, "Dirichlet(0.3) over 4 classes: the largest share averages about 0.65")
        XCTAssertLessThan(uniformShare, 0.40)
        XCTAssertThrowsError(try ProjectedDatasetTasks(dataset: data, inputDimension: 3, classImbalance: 0)) {
            XCTAssertTrue("\($0)".contains("classImbalance"))
        }
    }

    func testGammaSamplesHaveTheirMeanAndVariance() {
        var generator = RandomGenerator(seed: 11)
        for shape in [0.3, 1.0, 4.0] {
            let samples = (0..<20000).map { _ in generator.nextGamma(shape: shape) }
            let mean = samples.reduce(0, +) / 20000
            let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 19999
            // Gamma(k, 1): mean k, variance k; tolerances are about 4 standard errors.
            XCTAssertEqual(mean, shape, accuracy: 4 * (shape / 20000).squareRoot(), "shape \(shape)")
            XCTAssertEqual(variance, shape, accuracy: 0.1 * shape + 0.02, "shape \(shape)")
            XCTAssertTrue(samples.allSatisfy { $0 >= 0 })
        }
    }
}
