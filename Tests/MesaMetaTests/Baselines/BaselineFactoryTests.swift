@testable import MesaMeta
import XCTest

final class BaselineFactoryTests: XCTestCase {
    func testEveryNameBuildsForAFittingTask() throws {
        let linear = TaskConfiguration(family: .linear, inputDimension: 4, noise: 0.5)
        let gp = TaskConfiguration(family: .gaussianProcess, inputDimension: 1, lengthScale: 0.5)
        let mixture = TaskConfiguration(family: .mixture, inputDimension: 6, components: [
            .init(weight: 1, task: TaskConfiguration(family: .linear, inputDimension: 6)),
            .init(weight: 3, task: TaskConfiguration(family: .sparseLinear, inputDimension: 6, nonZeroCount: 2)),
        ])
        let cases: [(String, TaskConfiguration, String)] = [
            ("leastSquares", linear, "LeastSquaresPredictor"), ("ridge", linear, "RidgePredictor"), ("lasso:0.1", linear, "LassoPredictor"),
            ("knn:5", linear, "NearestNeighborsPredictor"), ("averaging", linear, "AveragingPredictor"),
            ("gd:2", linear, "GradientDescentPredictor"), ("gp", gp, "GaussianProcessPredictor"),
            ("network:10", linear, "TrainedNetworkPredictor"), ("logistic:0.5", linear, "LogisticRegressionPredictor"),
            ("mixture", mixture, "MixturePosteriorPredictor"),
        ]
        for (name, task, type) in cases {
            let predictor = try BaselineFactory.make(name, for: task)
            XCTAssertEqual(String(describing: Swift.type(of: predictor)), type, name)
        }
        let ridge = try XCTUnwrap(try BaselineFactory.make("ridge", for: linear) as? RidgePredictor)
        XCTAssertEqual(ridge.penalty, 0.25, accuracy: 1e-6, "σ²/τ² with σ = 0.5, τ = 1")
        let posterior = try XCTUnwrap(try BaselineFactory.mixturePosterior(for: mixture))
        XCTAssertEqual(posterior.components.map(\.weight), [1, 3])
    }

    func testUnknownNamesBadParametersAndMismatchedTasksThrow() {
        let linear = TaskConfiguration(family: .linear, inputDimension: 4)
        for (name, expected) in [("oracle", "unknown baseline 'oracle'"), ("knn:three", "'three' is not a valid Int"),
                                 ("gp", "needs a gaussianProcess task"), ("lasso:-1", "lasso")] {
            XCTAssertThrowsError(try BaselineFactory.make(name, for: linear), name) { error in
                XCTAssertTrue("\(error)".lowercased().contains(expected.lowercased()), "\(name): \(error)")
            }
        }
        XCTAssertThrowsError(try BaselineFactory.make("mixture", for: TaskConfiguration(family: .reluNetwork, inputDimension: 2)))
    }
}
