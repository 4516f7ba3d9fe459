import Foundation
import MesaCore
import MesaMeta
import MesaNN
import XCTest

final class NAPPolicyTests: XCTestCase {
    /// A small policy whose acquisition head is not zero (so that the learned correction counts).
    private func smallPolicy(seed: UInt64 = 1) -> NAPPolicy {
        var generator = RandomGenerator(seed: seed)
        var trunk = TabularModelConfiguration(kind: .regression)
        trunk.modelSize = 16
        trunk.layerCount = 2
        trunk.headCount = 2
        trunk.feedForwardSize = 32
        trunk.maximumFeatures = 3
        trunk.binCount = 16
        trunk.binRange = 5
        let policy = NAPPolicy(trunk: TabularTransformer(configuration: trunk, using: &generator), headWidth: 8, maximumDimension: 3,
                               using: &generator)
        policy.acquisitionHead.layers[1].weight.assign(Tensor.randomNormal([1, 8], standardDeviation: 0.5, using: &generator))
        return policy
    }

    private func decision(seed: UInt64, history: Int = 6, candidates: Int = 5) -> NAPDecision {
        var generator = RandomGenerator(seed: seed)
        let points = (0..<history).map { _ in (0..<2).map { _ in Double(generator.nextUniform()) } }
        let values = (0..<history).map { _ in generator.nextNormal() }
        let queries = (0..<candidates).map { _ in (0..<2).map { _ in Double(generator.nextUniform()) } }
        return NAPDecision(points: points, values: values, candidates: queries, remainingFraction: 0.5)
    }

    func testTheOutputIsInvariantToTheHistorysOrder() {
        let policy = smallPolicy()
        let original = decision(seed: 2)
        var shuffled = original
        let order = [3, 0, 5, 1, 4, 2]
        shuffled.points = order.map { original.points[$0] }
        shuffled.values = order.map { original.values[$0] }
        let a = withoutGradients { policy([original]) }, b = withoutGradients { policy([shuffled]) }
        for (x, y) in zip(a.acquisition.scalars, b.acquisition.scalars) { XCTAssertEqual(x, y, accuracy: 1e-4) }
        for (x, y) in zip(a.binLogits.scalars, b.binLogits.scalars) { XCTAssertEqual(x, y, accuracy: 1e-4) }
        XCTAssertEqual(a.value.scalars[0], b.value.scalars[0], accuracy: 1e-4)
        // …and it does depend on the history's values.
        var changed = original
        changed.values[2] += 1
        let c = withoutGradients { policy([changed]) }
        XCTAssertGreaterThan(zip(a.acquisition.scalars, c.acquisition.scalars).map { abs($0 - $1) }.max()!, 1e-3)
    }

    func testACandidatesScoreDoesNotDependOnTheOtherCandidates() {
        let policy = smallPolicy()
        let base = decision(seed: 4, candidates: 6)
        let scores = policy.acquisitionValues(base)
        // The same candidates reversed, alone, and beside different ones.
        var reversed = base
        reversed.candidates.reverse()
        XCTAssertEqual(policy.acquisitionValues(reversed).reversed().map { $0 }, scores.map { $0 }, accuracy: 1e-4)
        var alone = base
        alone.candidates = [base.candidates[2]]
        XCTAssertEqual(policy.acquisitionValues(alone)[0], scores[2], accuracy: 1e-4)
        var mixed = base
        mixed.candidates = [[0.9, 0.9], base.candidates[2], [0.1, 0.5], [0.3, 0.3]]
        XCTAssertEqual(policy.acquisitionValues(mixed)[1], scores[2], accuracy: 1e-4)
        // Chunked forward passes give the same scores.
        XCTAssertEqual(policy.acquisitionValues(base, chunkSize: 4), scores, accuracy: 1e-4)
    }

    func testTheFirstTermIsTheBarDistributionsLogExpectedImprovement() {
        let policy = smallPolicy()
        let d = decision(seed: 5)
        let output = withoutGradients { policy([d]) }
        let distributions = policy.predictiveDistributions(d)
        for (j, distribution) in distributions.enumerated() {
            XCTAssertEqual(Double(output.logExpectedImprovement.scalars[j]), distribution.logExpectedImprovement(below: Double(d.incumbent)),
                           accuracy: 1e-3)
        }
        // A fresh policy (zero correction, weight 1) is exactly that expected improvement.
        var generator = RandomGenerator(seed: 9)
        let fresh = NAPPolicy(trunk: policy.trunk, headWidth: 4, maximumDimension: 3, using: &generator)
        let freshOutput = withoutGradients { fresh([d]) }
        XCTAssertEqual(freshOutput.acquisition.scalars, freshOutput.logExpectedImprovement.scalars)
    }

    func testABatchOfDecisionsEqualsEachAlone() {
        let policy = smallPolicy()
        let a = decision(seed: 6), b = decision(seed: 7)
        let batched = withoutGradients { policy([a, b]) }
        let alone = [a, b].map { d in withoutGradients { policy([d]) } }
        XCTAssertEqual(batched.acquisition.scalars, alone.flatMap(\.acquisition.scalars), accuracy: 1e-4)
        XCTAssertEqual(batched.value.scalars, alone.flatMap(\.value.scalars), accuracy: 1e-4)
    }

    func testTheTrunkGradientScaleScalesOnlyTheTrunksShareOfTheAcquisitionsGradient() throws {
        let d = decision(seed: 10)
        func gradients(scale: Float) throws -> (trunk: [Float], head: [Float], values: [Float]) {
            let policy = smallPolicy(seed: 11)
            policy.trunkGradientScale = scale
            let output = policy([d])
            output.acquisition.sum().backward()
            return (try XCTUnwrap(policy.trunk.featureEncoder.weight.gradient).scalars,
                    try XCTUnwrap(policy.acquisitionHead.layers[0].weight.gradient).scalars, output.acquisition.scalars)
        }
        let full = try gradients(scale: 1), quarter = try gradients(scale: 0.25)
        XCTAssertEqual(quarter.values, full.values, accuracy: 1e-5)
        XCTAssertEqual(quarter.head, full.head, accuracy: 1e-5)
        XCTAssertEqual(quarter.trunk, full.trunk.map { 0.25 * $0 }, accuracy: 1e-5)
        XCTAssertGreaterThan(full.trunk.map(abs).max()!, 1e-4)
    }

    func testACheckpointRoundTripsAndOtherFilesAreClearErrors() throws {
        let policy = smallPolicy()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-nap-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("nap.safetensors")
        try policy.checkpoint(extraMetadata: ["mesa.recipe": "test"]).write(to: url)
        let (loaded, metadata) = try NAPPolicy.load(contentsOf: url)
        XCTAssertEqual(metadata["mesa.recipe"], "test")
        XCTAssertEqual(loaded.architecture, policy.architecture)
        let d = decision(seed: 8)
        XCTAssertEqual(loaded.acquisitionValues(d), policy.acquisitionValues(d))
        XCTAssertThrowsError(try NAPPolicy.load(contentsOf: try XCTUnwrap(PriorFittedSurrogate.shippedURL))) { error in
            XCTAssertTrue("\(error)".contains("is not a NAP policy written by `mesa train-nap`"), "\(error)")
        }
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}

private func XCTAssertEqual(_ a: [Float], _ b: [Float], accuracy: Float, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
