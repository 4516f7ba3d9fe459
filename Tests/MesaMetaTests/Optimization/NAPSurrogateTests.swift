import Foundation
import MesaCore
import MesaMeta
import XCTest

final class NAPSurrogateTests: XCTestCase {
    func testTheShippedPolicyLoadsWithItsRecipeAndTrainingTime() throws {
        let surrogate = try NAPSurrogate()
        XCTAssertEqual(surrogate.name, "nap")
        XCTAssertEqual(surrogate.maximumDimension, 3)
        XCTAssertTrue(surrogate.metadata["mesa.recipe"]?.contains("PPO") ?? false)
        let seconds = try XCTUnwrap(Double(surrogate.metadata["mesa.trainingSeconds"] ?? ""))
        XCTAssertLessThanOrEqual(seconds, 30 * 60, "trained within 30 minutes")
        let configuration = try NAPConfiguration(json: Data(surrogate.metadata["mesa.configuration"]!.utf8), source: "metadata")
        XCTAssertEqual(configuration.functionPrior.dimensions, 1...3)
    }

    func testAcquisitionsAreFiniteExceptAtObservedPoints() throws {
        var surrogate = try NAPSurrogate()
        var generator = RandomGenerator(seed: 3)
        let observations = [Observation(point: [0.2, 0.8], value: 1.5), Observation(point: [0.6, 0.1], value: -0.3),
                            Observation(point: [0.9, 0.5], value: 0.4)]
        let posterior = try surrogate.fit(to: observations, using: &generator)
        XCTAssertFalse(posterior.providesGradients)
        let points = (0..<20).map { _ in [Double(generator.nextUniform()), Double(generator.nextUniform())] }
        let batched = posterior.acquisitionValues(.logExpectedImprovement, at: points)
        for (point, value) in zip(points, batched) {
            XCTAssertTrue(value.isFinite, "at \(point)")
            XCTAssertEqual(posterior.acquisitionValue(.logExpectedImprovement, at: point, withGradient: true).value, value,
                           accuracy: 1e-4 * Swift.max(1, Swift.abs(value)))
        }
        XCTAssertEqual(posterior.acquisitionValues(.logExpectedImprovement, at: [[0.6, 0.1]])[0], -.infinity)
        let fantasised = posterior.conditionedOnFantasy(at: [0.5, 0.5]) as! NAPPosterior
        XCTAssertEqual(fantasised.points.count, 4)
        XCTAssertTrue(fantasised.values.last!.isFinite)
    }

    func testTheOptimiserFindsTheMinimumOfAQuadraticInFewEvaluations() throws {
        let maximizer = AcquisitionOptimizer(rawSampleCount: 128, localSampleCount: 32, restartCount: 4)
        var optimizer = try BayesianOptimizer(dimension: 1, configuration: .init(initialPointCount: 4, surrogate: .nap,
                                                                                 acquisitionOptimizer: maximizer, seed: 2))
        for _ in 0..<10 {
            let x = try optimizer.ask()[0]
            optimizer.tell(x, value: (x[0] - 0.3) * (x[0] - 0.3))
        }
        let best = optimizer.observations.min { $0.value < $1.value }!
        XCTAssertEqual(best.point[0], 0.3, accuracy: 0.03, "best of \(optimizer.observations.map(\.point))")
    }

    func testBadPoliciesAndDimensionsAreClearErrors() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/nap.safetensors")
        XCTAssertThrowsError(try NAPSurrogate(contentsOf: missing)) { error in
            XCTAssertTrue("\(error)".contains("the NAP checkpoint /nonexistent/nap.safetensors does not exist"), "\(error)")
        }
        XCTAssertThrowsError(try NAPSurrogate(contentsOf: try XCTUnwrap(PriorFittedSurrogate.shippedURL))) { error in
            XCTAssertTrue("\(error)".contains("is not a NAP policy written by `mesa train-nap`"), "\(error)")
        }
        XCTAssertThrowsError(try BayesianOptimizer(dimension: 4, configuration: .init(surrogate: .nap))) { error in
            XCTAssertTrue("\(error)".contains("trained on functions of at most 3 unit-cube coordinates, and this problem has 4"), "\(error)")
        }
        var benchmark = BayesianOptimizationBenchmark(functions: [.hartmann6], seedCount: 1, heldOutCount: 0, methods: [.nap])
        XCTAssertThrowsError(try benchmark.checkMethods()) { error in
            XCTAssertTrue("\(error)".contains("accepts at most 3 dimensions, and hartmann6 has 6"), "\(error)")
        }
        benchmark.functions = [.branin]
        XCTAssertNoThrow(try benchmark.checkMethods())
        // Problems that are not run (no seeds) do not count.
        benchmark.functions = NamedBenchmark.allCases
        benchmark.seedCount = 0
        XCTAssertNoThrow(try benchmark.checkMethods())
        benchmark.heldOutCount = 3
        XCTAssertThrowsError(try benchmark.checkMethods()) { error in
            XCTAssertTrue("\(error)".contains("and a held-out GP-prior function has 4"), "\(error)")
        }
        benchmark.heldOutDimensions = [2, 3, 4]
        benchmark.heldOutCount = 2
        XCTAssertNoThrow(try benchmark.checkMethods(), "only functions 0 and 1 (2-D and 3-D) are drawn")
    }
}
