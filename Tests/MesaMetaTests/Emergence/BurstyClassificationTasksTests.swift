import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class BurstyClassificationTasksTests: XCTestCase {
    func makeTasks(_ change: (inout BurstyClassificationConfiguration) -> Void = { _ in }) throws -> BurstyClassificationTasks {
        var configuration = BurstyClassificationConfiguration(classCount: 64, labelCount: 8, inputDimension: 6, contextCount: 8, burstiness: 2)
        change(&configuration)
        return try BurstyClassificationTasks(configuration: configuration)
    }

    func testBurstySequencesHoldBItemsOfTheQueryClassAndGroupsOfBOtherwise() throws {
        for b in [1, 2, 4, 8] {
            let tasks = try makeTasks { $0.burstiness = b }
            var generator = RandomGenerator(seed: UInt64(b))
            let sequences = tasks.sampleTraining(batchSize: 200, using: &generator)
            XCTAssertEqual(sequences.batch.inputs.shape, [200, 9, 6])
            for classes in sequences.classes {
                let context = classes.dropLast(), query = classes.last!
                XCTAssertEqual(context.filter { $0 == query }.count, b, "B = \(b): the query's class appears B times")
                let counts = Dictionary(grouping: context, by: { $0 }).mapValues(\.count)
                XCTAssertEqual(Set(counts.values), [b], "B = \(b): every class of the context appears exactly B times")
                XCTAssertEqual(counts.count, 8 / b)
            }
        }
    }

    func testNonBurstySequencesDrawTheirContextIndependently() throws {
        let tasks = try makeTasks { $0.burstyFraction = 0; $0.classCount = 16 }
        var generator = RandomGenerator(seed: 3)
        let sequences = tasks.sampleTraining(batchSize: 2000, using: &generator)
        // With 16 uniform classes, the query's class is absent from 8 independent items with probability (15/16)^8 ≈ 0.597.
        let absent = Double(sequences.classes.filter { !$0.dropLast().contains($0.last!) }.count) / 2000
        XCTAssertEqual(absent, Foundation.pow(15.0 / 16, 8), accuracy: 0.035)
    }

    func testBurstyFractionIsTheShareOfSequencesWithBurstyStructure() throws {
        let tasks = try makeTasks { $0.burstyFraction = 0.3; $0.classCount = 512; $0.labelCount = 8; $0.burstiness = 4 }
        var generator = RandomGenerator(seed: 4)
        let sequences = tasks.sampleTraining(batchSize: 3000, using: &generator)
        // Among 512 classes, an independent context almost never holds the query's class 4 times.
        let bursty = Double(sequences.classes.filter { classes in classes.dropLast().filter { $0 == classes.last! }.count == 4 }.count) / 3000
        XCTAssertEqual(bursty, 0.3, accuracy: 0.03)
    }

    func testClassFrequenciesFollowZipfWithinAChiSquareTolerance() throws {
        for alpha in [0.0, 0.5, 1, 1.5] {
            let tasks = try makeTasks { $0.classCount = 20; $0.zipfExponent = alpha }
            let weights = (1...20).map { Foundation.pow(Double($0), -alpha) }
            let total = weights.reduce(0, +)
            for (p, w) in zip(tasks.classProbabilities, weights) { XCTAssertEqual(p, w / total, accuracy: 1e-12) }
            var generator = RandomGenerator(seed: 7)
            let draws = 40_000
            var counts = [Int](repeating: 0, count: 20)
            for _ in 0..<draws { counts[tasks.sampleClass(using: &generator)] += 1 }
            var chiSquare = 0.0
            for (count, p) in zip(counts, tasks.classProbabilities) {
                let expected: Double = p * Double(draws)
                let deviation: Double = Double(count) - expected
                chiSquare += deviation * deviation / expected
            }
            // 19 degrees of freedom: the 99.9 % quantile of χ²₁₉ is 43.8.
            XCTAssertLessThan(chiSquare, 43.8, "α = \(alpha): χ² = \(chiSquare)")
        }
        // And the query classes of training sequences follow the same law.
        let tasks = try makeTasks { $0.classCount = 20; $0.zipfExponent = 1 }
        var generator = RandomGenerator(seed: 8)
        let queries = tasks.sampleTraining(batchSize: 20_000, using: &generator).classes.map { $0.last! }
        let head = Double(queries.filter { $0 == 0 }.count) / 20_000
        XCTAssertEqual(head, tasks.classProbabilities[0], accuracy: 0.015)
    }

    func testFixedLabelsAreBalancedAndFollowTheClass() throws {
        let tasks = try makeTasks { $0.classCount = 30; $0.labelCount = 8 }
        let perLabel = Dictionary(grouping: tasks.classLabels, by: { $0 }).mapValues(\.count)
        XCTAssertEqual(perLabel.count, 8)
        XCTAssertTrue(perLabel.values.allSatisfy { $0 == 3 || $0 == 4 }, "30 classes on 8 labels: ⌊30/8⌋ or ⌈30/8⌉ each, got \(perLabel)")
        var generator = RandomGenerator(seed: 1)
        let sequences = tasks.sampleTraining(batchSize: 100, using: &generator)
        for (row, classes) in sequences.classes.enumerated() {
            for (point, k) in classes.enumerated() { XCTAssertEqual(Int(sequences.batch.targets[row, point]), tasks.classLabels[k]) }
        }
    }

    func testPerSequenceLabelsAreConsistentWithinASequenceAndVaryAcrossSequences() throws {
        let tasks = try makeTasks { $0.labelMapping = .perSequence; $0.classCount = 8; $0.labelCount = 4; $0.burstiness = 2 }
        var generator = RandomGenerator(seed: 2)
        let sequences = tasks.sampleTraining(batchSize: 400, using: &generator)
        var labelsOfClassZero = Set<Int>()
        for (row, classes) in sequences.classes.enumerated() {
            var labelOf: [Int: Int] = [:]
            for (point, k) in classes.enumerated() {
                let label = Int(sequences.batch.targets[row, point])
                if let previous = labelOf[k] { XCTAssertEqual(previous, label, "one label per class within a sequence") }
                labelOf[k] = label
                if k == 0 { labelsOfClassZero.insert(label) }
            }
            XCTAssertEqual(Set(labelOf.values).count, labelOf.count, "distinct classes get distinct labels (4 classes, 4 labels)")
        }
        XCTAssertEqual(labelsOfClassZero, [0, 1, 2, 3], "a class takes every label across sequences")
    }

    func testInWeightsSequencesNeverShowTheQueryClassAndUseItsFixedLabel() throws {
        let tasks = try makeTasks { $0.classCount = 16; $0.zipfExponent = 1.5 }
        var generator = RandomGenerator(seed: 5)
        let sequences = tasks.sampleInWeights(batchSize: 1000, using: &generator)
        for (row, classes) in sequences.classes.enumerated() {
            XCTAssertFalse(classes.dropLast().contains(classes.last!))
            XCTAssertEqual(sequences.queryLabels[row], tasks.classLabels[classes.last!])
            XCTAssertTrue(classes.allSatisfy { $0 < 16 }, "trained classes only")
        }
    }

    func testMajorityLabelRateIsOneOverLForUniformClassesAndTheMostFrequentQueryLabelOtherwise() throws {
        XCTAssertEqual(try makeTasks().majorityLabelRate, 1.0 / 8, accuracy: 1e-12, "64 uniform classes, 8 per label")
        let tasks = try makeTasks { $0.zipfExponent = 1 }
        XCTAssertGreaterThanOrEqual(tasks.majorityLabelRate, tasks.classProbabilities[0])
        // The share of in-weights queries carrying the most common label, over many draws.
        var generator = RandomGenerator(seed: 9)
        let labels = tasks.sampleInWeights(batchSize: 20_000, using: &generator).queryLabels
        let shares = (0..<8).map { label in Double(labels.filter { $0 == label }.count) / Double(labels.count) }
        let standardError = (tasks.majorityLabelRate * (1 - tasks.majorityLabelRate) / 20_000).squareRoot()
        XCTAssertEqual(shares.max()!, tasks.majorityLabelRate, accuracy: 4 * standardError)
        XCTAssertGreaterThan(tasks.majorityLabelRate, 1.0 / 8 + 0.05, "a skewed α raises the in-weights chance level above 1/L")
    }

    func testCommonClassesAreTheFewestMostFrequentHoldingHalfTheMass() throws {
        XCTAssertEqual(try makeTasks().commonClassCount, 32, "64 uniform classes: the first half")
        for alpha in [0.5, 1, 1.5, 3] {
            let tasks = try makeTasks { $0.zipfExponent = alpha }
            let m = tasks.commonClassCount
            XCTAssertGreaterThanOrEqual(tasks.classProbabilities[..<m].reduce(0, +), 0.5, "α = \(alpha)")
            XCTAssertLessThan(tasks.classProbabilities[..<(m - 1)].reduce(0, +), 0.5, "α = \(alpha)")
        }
        XCTAssertEqual(try makeTasks { $0.zipfExponent = 3 }.commonClassCount, 1, "p(0) = 1/ζ(3) > 0.8")
    }

    func testInContextSequencesShowTwoNovelClassesWithDistinctLabels() throws {
        let tasks = try makeTasks()
        var generator = RandomGenerator(seed: 6)
        let sequences = tasks.sampleInContext(batchSize: 300, using: &generator)
        var queryLabels = Set<Int>()
        for (row, classes) in sequences.classes.enumerated() {
            XCTAssertEqual(classes.dropLast().filter { $0 == 64 }.count, 4)
            XCTAssertEqual(classes.dropLast().filter { $0 == 65 }.count, 4)
            let labels = (0..<9).map { Int(sequences.batch.targets[row, $0]) }
            XCTAssertNotEqual(labels[classes.firstIndex(of: 64)!], labels[classes.firstIndex(of: 65)!])
            let match = classes.dropLast().firstIndex(of: classes.last!)!
            XCTAssertEqual(labels[8], labels[match], "the query's label is shown in the context")
            queryLabels.insert(labels[8])
        }
        XCTAssertEqual(queryLabels.count, 8, "labels are drawn per sequence from all L")
    }

    func testItemsAreNoisyCopiesOfTheirClassMean() throws {
        let tasks = try makeTasks { $0.withinClassNoise = 0.5; $0.inputDimension = 400; $0.classCount = 8; $0.labelCount = 2 }
        var generator = RandomGenerator(seed: 9)
        let sequences = tasks.sampleTraining(batchSize: 4, using: &generator)
        // x = (μ + ε η)/√(1 + ε²), so x·μ ≈ |μ|²/√(1.25) ≈ 0.894 and |x|² ≈ 1 in 400 dimensions.
        for (row, classes) in sequences.classes.enumerated() {
            for (point, k) in classes.enumerated() {
                let x = (0..<400).map { sequences.batch.inputs[row, point, $0] }
                let mu = Array(tasks.classMeans[(k * 400)..<((k + 1) * 400)])
                XCTAssertEqual(zip(x, mu).map { Double($0 * $1) }.reduce(0, +), 1 / 1.25.squareRoot(), accuracy: 0.15)
                XCTAssertEqual(x.map { Double($0 * $0) }.reduce(0, +), 1, accuracy: 0.2)
            }
        }
    }

    func testInvalidKnobsAreClearErrors() {
        let cases: [(BurstyClassificationConfiguration, String)] = [
            (.init(burstiness: 3), "burstiness must divide contextCount"),
            (.init(classCount: 4, labelCount: 8), "classCount (4) must be at least labelCount (8)"),
            (.init(contextCount: 7, burstiness: 7), "contextCount must be even"),
            (.init(zipfExponent: -1), "zipfExponent must be"),
            (.init(burstyFraction: 2), "burstyFraction must be in [0, 1]"),
            (.init(withinClassNoise: -0.1), "withinClassNoise must be"),
        ]
        for (configuration, message) in cases {
            XCTAssertThrowsError(try BurstyClassificationTasks(configuration: configuration)) { error in
                XCTAssertTrue("\(error)".contains(message), "\(error) should contain \(message)")
            }
        }
        XCTAssertThrowsError(try JSONDecoder().decode(BurstyClassificationConfiguration.self, from: Data(#"{"labelMapping": "dynamic"}"#.utf8))) { error in
            XCTAssertTrue("\(error)".contains("fixed, perSequence"), "\(error)")
        }
        XCTAssertThrowsError(try JSONDecoder().decode(BurstyClassificationConfiguration.self, from: Data(#"{"bursty": 2}"#.utf8))) { error in
            XCTAssertTrue("\(error)".contains("bursty"), "\(error)")
        }
    }
}
