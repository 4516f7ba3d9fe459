import MesaCore
@testable import MesaMeta
import XCTest

final class MixturePosteriorPredictorTests: XCTestCase {
    /// With the sparse component's weight at 0 the posterior is the dense one's: ridge with
    /// λ = σ²/τ². Tolerance 1e-4 relative.
    func testDenseOnlyEqualsBayesOptimalRidge() throws {
        let (noise, scale): (Float, Float) = (0.4, 1.5)
        let batch = try TaskBatch.linear(tasks: 3, points: 9, dimension: 5, noise: noise, seed: 15)
        let mixture = try MixturePosteriorPredictor(
            inputDimension: 5, components: [.init(weight: 1, kind: .dense), .init(weight: 0, kind: .sparse(nonZeroCount: 2))],
            noise: noise, weightScale: scale)
        XCTAssertEqual(mixture.hypotheses.count, 1)
        let expected = try RidgePredictor.bayesOptimal(noise: noise, weightScale: scale).predictions(for: batch)
        let actual = mixture.predictions(for: batch)
        for (a, e) in zip(actual.scalars, expected.scalars) { XCTAssertEqual(a, e, accuracy: 1e-4 * max(1, abs(e))) }
    }

    /// On noise-free 3-sparse tasks in d = 10 the sparse posterior beats least squares on short
    /// prefixes (i = 4…9 < d): its mean squared error is below a tenth of least squares'.
    func testBeatsLeastSquaresOnSparseTasksAtShortPrefixes() throws {
        let batch = try TaskBatch.sparse(tasks: 16, points: 10, dimension: 10, nonZeroCount: 3, seed: 16)
        let bayes = try MixturePosteriorPredictor(inputDimension: 10, components: [.init(weight: 1, kind: .sparse(nonZeroCount: 3))],
                                                  noise: 1e-3)
        XCTAssertEqual(bayes.hypotheses.count, 120)
        let errors = [bayes.predictions(for: batch), LeastSquaresPredictor().predictions(for: batch)].map { predictions in
            var sum: Float = 0
            for task in 0..<16 {
                for i in 4..<10 { sum += (predictions[task, i] - batch.targets[task, i]) * (predictions[task, i] - batch.targets[task, i]) }
            }
            return sum / Float(16 * 6)
        }
        XCTAssertLessThan(errors[0], 0.1 * errors[1], "Bayes \(errors[0]) vs least squares \(errors[1])")
    }

    /// Both components: once the data rule out the sparse supports the dense hypothesis takes over.
    /// A dense task in d = 4 with 1-sparse and dense components, noise-free: by prefix 8 the
    /// prediction matches the target (to 1e-3).
    func testMixturePicksTheDenseComponentForDenseData() throws {
        let batch = try TaskBatch.linear(tasks: 2, points: 9, dimension: 4, seed: 17)
        let mixture = try MixturePosteriorPredictor(
            inputDimension: 4, components: [.init(weight: 0.5, kind: .dense), .init(weight: 0.5, kind: .sparse(nonZeroCount: 1))],
            noise: 1e-3)
        XCTAssertEqual(mixture.hypotheses.count, 5)
        XCTAssertEqual(mixture.name, "Bayes (dense + 1-sparse)")
        let predictions = mixture.predictions(for: batch)
        for task in 0..<2 { XCTAssertEqual(predictions[task, 8], batch.targets[task, 8], accuracy: 1e-3 * max(1, abs(batch.targets[task, 8]))) }
    }

    func testSupportsAreEveryKSubsetInOrder() {
        let subsets = MixturePosteriorPredictor.subsets(of: 5, size: 2)
        XCTAssertEqual(subsets.count, 10)
        XCTAssertEqual(subsets.first, [0, 1])
        XCTAssertEqual(subsets[4], [1, 2])
        XCTAssertEqual(subsets.last, [3, 4])
        XCTAssertEqual(MixturePosteriorPredictor.subsets(of: 3, size: 3), [[0, 1, 2]])
        XCTAssertEqual(MixturePosteriorPredictor.binomial(10, 3), 120)
    }
}
