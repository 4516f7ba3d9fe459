import MesaCore
@testable import MesaMeta
import XCTest

final class LogisticRegressionPredictorTests: XCTestCase {
    /// Three well-separated clusters in the plane (centres 4 apart, spread 0.3): after one
    /// example of each class, every later point is classified correctly with probability > 0.5,
    /// and every row is a distribution.
    func testSeparatesASeparableSet() throws {
        let centres: [[Float]] = [[4, 0], [-2, 3.5], [-2, -3.5]]
        var generator = RandomGenerator(seed: 13)
        let labels = [0, 1, 2] + (0..<9).map { _ in Int(generator.next() % 3) }
        let inputs = labels.map { c in centres[c].map { $0 + 0.3 * generator.nextNormal() } }
        let batch = TaskBatch.fixture(inputs: [inputs], targets: [labels.map(Float.init)], kind: .classification(classCount: 3))
        let predictions = try LogisticRegressionPredictor(penalty: 1e-3).predictions(for: batch)
        XCTAssertEqual(predictions.shape, [1, 12, 3])
        XCTAssertEqual((0..<3).map { predictions[0, 0, $0] }, [1 / 3, 1 / 3, 1 / 3])
        for i in 0..<12 {
            XCTAssertEqual((0..<3).reduce(0) { $0 + predictions[0, i, $1] }, 1, accuracy: 1e-5)
        }
        for i in 3..<12 {
            XCTAssertGreaterThan(predictions[0, i, labels[i]], 0.5, "point \(i) of class \(labels[i])")
        }
    }

    /// Fitting only some prefixes gives, there, the same predictions as fitting all (the optimum is
    /// unique; 1e-4 absolute, the solver's tolerance at work), and uniform ones elsewhere.
    func testSelectedPrefixesMatchTheFullFit() throws {
        let batch = TaskBatch.linearClassification(tasks: 3, points: 12, dimension: 3, classCount: 4, seed: 21)
        let all = try LogisticRegressionPredictor(penalty: 0.05).predictions(for: batch)
        let some = try LogisticRegressionPredictor(penalty: 0.05, prefixes: [4, 9]).predictions(for: batch)
        for task in 0..<3 {
            for point in 0..<12 {
                for c in 0..<4 {
                    let expected = [4, 9].contains(point) ? all[task, point, c] : 0.25
                    XCTAssertEqual(some[task, point, c], expected, accuracy: 1e-4, "task \(task) point \(point) class \(c)")
                }
            }
        }
    }

    /// The solver reaches a stationary point: the gradient of the penalised objective at each
    /// prefix's solution is below the tolerance (1e-6) in every entry.
    func testSolverReachesTheMinimum() throws {
        let batch = TaskBatch.linearClassification(tasks: 1, points: 10, dimension: 3, classCount: 4, seed: 14)
        let prompt = PromptValues(inputs: batch.inputs.scalars.map(Double.init), targets: batch.targets.scalars.map(Double.init),
                                  pointCount: 10, dimension: 3)
        let model = LogisticRegressionPredictor.Model(prompt: prompt, classCount: 4, penalty: 0.01)
        var parameters = [Double](repeating: 0, count: 4 * 4)
        for i in 1..<10 {
            parameters = model.minimize(from: parameters, count: i, iterations: 200, tolerance: 1e-6)
            let gradient = model.evaluate(parameters, count: i).gradient
            XCTAssertLessThanOrEqual(gradient.map(abs).max()!, 1e-6, "prefix \(i)")
        }
    }
}
