import Foundation
import MesaCore
import MesaMeta
import XCTest

final class PriorFittedSurrogateTests: XCTestCase {
    func testTheShippedCheckpointLoadsWithItsRecipe() throws {
        let surrogate = try PriorFittedSurrogate()
        XCTAssertEqual(surrogate.name, "pfn")
        XCTAssertEqual(surrogate.maximumDimension, 6)
        XCTAssertTrue(surrogate.metadata["mesa.recipe"]?.contains("GaussianProcessFunctionPrior") ?? false)
        XCTAssertNotNil(Double(surrogate.metadata["mesa.trainingSeconds"] ?? ""))
        let configuration = try TabularPretrainingConfiguration(json: Data(surrogate.metadata["mesa.configuration"]!.utf8), source: "metadata")
        XCTAssertEqual(configuration.functionPrior?.dimensions, 1...6)
    }

    func testThePredictiveMeanTracksASmoothOneDimensionalFunction() throws {
        let f = { (x: Double) in sin(6 * x) + 0.5 * x }
        let observations = (0..<12).map { i -> Observation in
            let x = (Double(i) + 0.5) / 12
            return Observation(point: [x], value: f(x))
        }
        let posterior = try PriorFittedSurrogate().posterior(given: observations)
        let queries = (0..<25).map { [Double($0) / 24] }
        let means = posterior.distributions(at: queries).map(\.mean)
        // Standardised like the context: compare against the function standardised the same way.
        let (mean, scale) = GaussianProcessFunctionPrior.standardization(of: observations.map(\.value))
        let truth = queries.map { (f($0[0]) - mean) / scale }
        let error = (zip(means, truth).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(truth.count)).squareRoot()
        XCTAssertLessThan(error, 0.25, "root-mean-square error \(error) (standardised units) of the predictive mean")
        // The uncertainty is smaller at an observed point than between far-apart ones.
        XCTAssertGreaterThan(posterior.distributions(at: [[0.5]])[0].variance, 0)
    }

    func testAFewPointsGiveFiniteAcquisitionsBatchedOrNot() throws {
        var surrogate = try PriorFittedSurrogate()
        var generator = RandomGenerator(seed: 3)
        let observations = [Observation(point: [0.2, 0.8], value: 1.5), Observation(point: [0.6, 0.1], value: -0.3),
                            Observation(point: [0.9, 0.5], value: 0.4)]
        let posterior = try surrogate.fit(to: observations, using: &generator)
        XCTAssertFalse(posterior.providesGradients)
        let points = (0..<20).map { _ in [Double(generator.nextUniform()), Double(generator.nextUniform())] }
        for acquisition in [Acquisition.logExpectedImprovement, .upperConfidenceBound(beta: 2)] {
            let batched = posterior.acquisitionValues(acquisition, at: points)
            for (point, value) in zip(points, batched) {
                let single = posterior.acquisitionValue(acquisition, at: point, withGradient: true)
                XCTAssertTrue(value.isFinite, "\(acquisition) at \(point)")
                XCTAssertNil(single.gradient)
                XCTAssertEqual(single.value, value, accuracy: 1e-4 * Swift.max(1, Swift.abs(value)))
            }
        }
        let fantasised = posterior.conditionedOnFantasy(at: [0.5, 0.5]) as! PriorFittedPosterior
        XCTAssertEqual(fantasised.points.count, 4)
        XCTAssertTrue(fantasised.acquisitionValues(.logExpectedImprovement, at: points).allSatisfy(\.isFinite))
    }

    func testNormalScoresKeepTheOrderAndShareTies() {
        let scores = PriorFittedSurrogate.normalScores(of: [3, -1, 1000, 3, 0])
        // Ranks 2.5, 0, 4, 2.5, 1 of 5: Φ⁻¹((r + ½)/5).
        let expected = [2.5, 0, 4, 2.5, 1].map { standardNormalQuantile(($0 + 0.5) / 5) }
        for (score, value) in zip(scores, expected) { XCTAssertEqual(score, value, accuracy: 1e-12) }
        XCTAssertEqual(scores[3], scores[0])
        XCTAssertLessThan(scores[1], scores[4])
    }

    func testAnObservedPointIsNeverWorthEvaluatingAgain() throws {
        let observations = [Observation(point: [0.2, 0.8], value: 1.5), Observation(point: [0.6, 0.1], value: -0.3)]
        let posterior = try PriorFittedSurrogate().posterior(given: observations)
        let values = posterior.acquisitionValues(.logExpectedImprovement, at: [[0.6, 0.1], [0.6 + 1e-7, 0.1], [0.61, 0.1]])
        XCTAssertEqual(values[0], -.infinity)
        XCTAssertEqual(values[1], -.infinity)
        XCTAssertTrue(values[2].isFinite)
    }

    func testTheOptimiserFindsTheMinimumOfAQuadraticInFewEvaluations() throws {
        // A smaller acquisition budget than the default keeps the debug-mode test fast.
        let maximizer = AcquisitionOptimizer(rawSampleCount: 128, localSampleCount: 32, restartCount: 4)
        var optimizer = try BayesianOptimizer(dimension: 1, configuration: .init(initialPointCount: 4, surrogate: .pfn,
                                                                                 acquisitionOptimizer: maximizer, seed: 2))
        for _ in 0..<10 {
            let x = try optimizer.ask()[0]
            optimizer.tell(x, value: (x[0] - 0.3) * (x[0] - 0.3))
        }
        let best = optimizer.observations.min { $0.value < $1.value }!
        XCTAssertEqual(best.point[0], 0.3, accuracy: 0.03, "best of \(optimizer.observations.map(\.point))")
    }

    func testBadModelsAndDimensionsAreClearErrors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-pfn-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let garbage = directory.appendingPathComponent("garbage.safetensors")
        try Data("not a model".utf8).write(to: garbage)
        XCTAssertThrowsError(try PriorFittedSurrogate(contentsOf: garbage)) { error in
            XCTAssertTrue("\(error)".contains("cannot use \(garbage.path) as the PFN surrogate"), "\(error)")
        }
        let tabular = try XCTUnwrap(TabularModelFile.shippedURL(for: .regression))
        XCTAssertThrowsError(try PriorFittedSurrogate(contentsOf: tabular)) { error in
            XCTAssertTrue("\(error)".contains("pre-trained on tables, not a PFN surrogate"), "\(error)")
        }
        XCTAssertThrowsError(try BayesianOptimizer(dimension: 7, configuration: .init(surrogate: .pfn))) { error in
            XCTAssertTrue("\(error)".contains("at most 6 unit-cube coordinates, and this problem has 7"), "\(error)")
        }
    }
}
