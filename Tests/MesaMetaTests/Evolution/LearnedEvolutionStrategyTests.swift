import Foundation
import MesaCore
import MesaNN
import XCTest
@testable import MesaMeta

final class LearnedEvolutionStrategyTests: XCTestCase {
    /// A freshly initialised (untrained) network: the properties below hold for any parameters.
    func randomNetwork(seed: UInt64 = 3) -> LearnedEvolutionNetwork.Forward {
        var generator = RandomGenerator(seed: seed)
        return LearnedEvolutionNetwork(using: &generator).forward
    }

    func sphere(_ x: [Double]) -> Double { x.reduce(0) { $0 + $1 * $1 } }

    func testShufflingThePopulationPermutesTheWeightsAndLeavesTheUpdateUnchanged() throws {
        let network = randomNetwork()
        let a = try LearnedEvolutionStrategy(mean: [1, -2, 0.5, 3], stepSize: 0.7, populationSize: 9, network: network, seed: 11)
        let b = try LearnedEvolutionStrategy(mean: [1, -2, 0.5, 3], stepSize: 0.7, populationSize: 9, network: network, seed: 11)
        for generation in 0..<5 {
            let points = a.ask(), shuffledSource = b.ask()
            for (p, q) in zip(points, shuffledSource) { XCTAssertEqual(p, q, accuracy: 1e-10) }
            var order = Array(points.indices)
            var generator = RandomGenerator(seed: UInt64(generation))
            for i in order.indices.reversed() where i > 0 { order.swapAt(i, Int(generator.next() % UInt64(i + 1))) }
            try a.tell(points, values: points.map(sphere))
            try b.tell(order.map { shuffledSource[$0] }, values: order.map { sphere(shuffledSource[$0]) })
            XCTAssertEqual(a.mean, b.mean, accuracy: 1e-10)
            XCTAssertEqual(a.stepSizes, b.stepSizes, accuracy: 1e-10)
            for (position, index) in order.enumerated() {
                XCTAssertEqual(b.recombinationWeights[position], a.recombinationWeights[index], accuracy: 1e-10)
            }
            XCTAssertEqual(a.recombinationWeights.reduce(0, +), 1, accuracy: 1e-12)
        }
    }

    func testFitnessFeaturesAreRanksZScoresAndImprovementFlagsWithInfinitiesRankedLast() {
        let features = LearnedEvolutionStrategy.fitnessFeatures([3, 1, .infinity, 2], best: 2.5)
        XCTAssertEqual(features.map { $0[0] }, [1.0 / 6, -0.5, 0.5, -1.0 / 6], accuracy: 1e-12)
        // The infinite value counts as the largest finite one (3) in the z-scores.
        let cleaned = [3.0, 1, 3, 2], mean = 2.25
        let sd = (cleaned.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 4).squareRoot()
        XCTAssertEqual(features.map { $0[1] }, cleaned.map { ($0 - mean) / sd }, accuracy: 1e-12)
        XCTAssertEqual(features.map { $0[2] }, [0, 1, 0, 1])
    }

    func testAskTellRoundTripIsReproducibleFromItsSeedAndRefusesMismatchedTells() throws {
        func run(seed: UInt64) throws -> [Double] {
            var es = try LearnedEvolutionStrategy(mean: [2, 2, 2], stepSize: 1, populationSize: 6, network: randomNetwork(), seed: seed)
            es.minimize(sphere, evaluations: 120)
            return es.mean + [es.bestValue]
        }
        XCTAssertEqual(try run(seed: 5), try run(seed: 5))
        XCTAssertNotEqual(try run(seed: 5), try run(seed: 6))
        let es = try LearnedEvolutionStrategy(mean: [0, 0], stepSize: 1, populationSize: 4, network: randomNetwork(), seed: 1)
        let points = es.ask()
        XCTAssertThrowsError(try es.tell(Array(points.prefix(3)), values: [1, 2, 3])) { error in
            XCTAssertEqual(error as? EvolutionError, .invalidTell("tell got 3 points and 3 values; the last ask proposed 4"))
        }
        XCTAssertThrowsError(try LearnedEvolutionStrategy(mean: [0], stepSize: 0, network: randomNetwork(), seed: 1)) { error in
            XCTAssertEqual("\(error)", "the learned evolution strategy's step size must be positive, got 0.0")
        }
    }

    func testTheShippedNetworkLoadsWithItsTrainingRecipe() throws {
        let url = try XCTUnwrap(LearnedEvolutionNetwork.shippedURL)
        let metadata = try SafeTensors(contentsOf: url).metadata
        XCTAssertEqual(metadata["mesa.format"], LearnedEvolutionNetwork.format)
        XCTAssertTrue(metadata["mesa.recipe"]?.contains("f1, f8, f11, f15, f17, f21") == true, metadata["mesa.recipe"] ?? "no recipe")
        XCTAssertNotNil(metadata["mesa.configuration"])
        let network = try LearnedEvolutionNetwork.load()
        XCTAssertEqual(network.parameterCount, LearnedEvolutionNetwork.Forward.parameterCount(attentionWidth: 8, hiddenWidth: 8))
    }

    func testTheShippedNetworkSolvesTheTenDimensionalSphere() throws {
        let problem = try BBOBProblem(function: .sphere, dimension: 10, instance: 1)
        var used: [Int] = []
        for seed: UInt64 in 1...3 {
            var generator = RandomGenerator(seed: seed)
            let mean = (0..<10).map { _ in -4 + 8 * Double(generator.nextUniform()) }
            var es = try LearnedEvolutionStrategy(mean: mean, stepSize: 2, seed: seed)
            used.append(es.minimize(problem.value(at:), evaluations: 20_000, target: problem.optimalValue + 1e-8))
            XCTAssertLessThanOrEqual(es.bestValue - problem.optimalValue, 1e-8, "seed \(seed)")
        }
        XCTAssertLessThanOrEqual(used.max()!, 2_500, "evaluations to 10⁻⁸: \(used)")
    }

    func testMissingForeignAndIncompatibleCheckpointsAreClearErrors() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("les-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("none.safetensors")
        XCTAssertThrowsError(try LearnedEvolutionNetwork.load(missing)) { error in
            XCTAssertEqual("\(error)", "no learned evolution strategy at \(missing.path): the file does not exist")
        }
        let garbage = folder.appendingPathComponent("garbage.safetensors")
        try Data("not a safetensors file".utf8).write(to: garbage)
        XCTAssertThrowsError(try LearnedEvolutionNetwork.load(garbage)) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot read the learned evolution strategy \(garbage.path)"), "\(error)")
        }
        var generator = RandomGenerator(seed: 1)
        let foreign = folder.appendingPathComponent("foreign.safetensors")
        try Linear(inputSize: 2, outputSize: 2, using: &generator).save(to: foreign, metadata: ["mesa.format": "query-policy-1"])
        XCTAssertThrowsError(try LearnedEvolutionNetwork.load(foreign)) { error in
            XCTAssertEqual("\(error)", "\(foreign.path) is not a learned evolution strategy of `mesa train-les` (its mesa.format is query-policy-1, expected learned-es-1)")
        }
        let wide = folder.appendingPathComponent("wide.safetensors")
        let network = LearnedEvolutionNetwork(attentionWidth: 4, hiddenWidth: 8, using: &generator)
        try network.save(to: wide, metadata: ["mesa.format": LearnedEvolutionNetwork.format, "mesa.attentionWidth": "8", "mesa.hiddenWidth": "8"])
        XCTAssertThrowsError(try LearnedEvolutionNetwork.load(wide)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(wide.path) does not fit a learned evolution strategy of attention width 8 and hidden width 8"), "\(error)")
        }
        let unstated = folder.appendingPathComponent("unstated.safetensors")
        try network.save(to: unstated, metadata: ["mesa.format": LearnedEvolutionNetwork.format])
        XCTAssertThrowsError(try LearnedEvolutionNetwork.load(unstated)) { error in
            XCTAssertEqual("\(error)", "\(unstated.path) does not state its widths (mesa.attentionWidth, mesa.hiddenWidth as positive integers)")
        }
    }

    func testFlatParametersRoundTripThroughTheForwardLayout() {
        var generator = RandomGenerator(seed: 2)
        let network = LearnedEvolutionNetwork(attentionWidth: 3, hiddenWidth: 5, using: &generator)
        XCTAssertEqual(network.parameterCount, LearnedEvolutionNetwork.Forward.parameterCount(attentionWidth: 3, hiddenWidth: 5))
        let values = (0..<network.parameterCount).map { Float($0) / 100 }
        network.assign(flatParameters: values)
        XCTAssertEqual(network.flatParameters, values)
        // The value layer's bias shifts every score equally, so it cannot change the weights.
        let features = LearnedEvolutionStrategy.fitnessFeatures([4, 1, 3, 2], best: .infinity)
        let before = network.forward.recombinationWeights(features)
        network.value.bias!.assign(Tensor(shape: [1], scalars: [5]))
        XCTAssertEqual(network.forward.recombinationWeights(features), before, accuracy: 1e-12)
        // The learning rates are sigmoids: in (0, 1).
        let rates = network.forward.learningRates(paths: [0.1, -0.2, 0.3, 1, 2, -3], time: LearnedEvolutionStrategy.timeEmbedding(generation: 7))
        XCTAssertTrue((0...1).contains(rates.mean) && (0...1).contains(rates.step))
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
