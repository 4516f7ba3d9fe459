import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

/// Fine-tuning on the labelled rows (``TabularPredictionOptions/fineTuningSteps``) adapts a copy
/// of the model to the table: a barely pre-trained model gets much better on an easy table, and
/// the loaded model is left as it was.
final class TabularFineTuningTests: XCTestCase {
    private func weights(_ model: TabularTransformer) -> [Float] {
        model.parameters.flatMap { $0.value.scalars }
    }

    /// Two Gaussian blobs, 60 labelled rows and 40 to predict: the fixture model (two
    /// pre-training steps) is near chance; 40 steps at 10⁻³ must bring the held-out log loss well
    /// below it.
    func testTuningTheClassifierLowersTheHeldOutLossAndKeepsTheModel() throws {
        let table = try TabularFixtures.table(TabularFixtures.blobs(rows: 100, seed: 5))
        let train = table.selecting(Array(0..<60)), test = table.selecting(Array(60..<100))
        let url = try TabularFixtures.modelFile(kind: .classification)
        func logLoss(steps: Int) throws -> (loss: Double, model: TabularClassifier) {
            var options = TabularPredictionOptions()
            options.ensembleSize = 2
            options.fineTuningSteps = steps
            options.fineTuningLearningRate = 1e-3
            let classifier = try TabularClassifier(modelURL: url, options: options)
            try classifier.fit(train)
            let probabilities = try classifier.predictProbabilities(test)
            let loss = zip(probabilities, test.targets).map { p, label in
                -log(Double(p[classifier.classNames.firstIndex(of: label)!]) + 1e-12)
            }.reduce(0, +) / Double(test.count)
            return (loss, classifier)
        }
        let untuned = try logLoss(steps: 0)
        let before = weights(untuned.model.model)
        let tuned = try logLoss(steps: 40)
        XCTAssertLessThan(tuned.loss, untuned.loss - 0.1, "tuned \(tuned.loss), untuned \(untuned.loss)")
        XCTAssertLessThan(tuned.loss, 0.4)
        XCTAssertTrue(tuned.model.mode.contains("fine-tuned for 40 steps"), tuned.model.mode)
        XCTAssertEqual(weights(tuned.model.model), before, "the loaded model must not change")
    }

    /// y = 3x + noise: 80 steps at 3·10⁻³ lower the squared error of the regressor's means by half.
    func testTuningTheRegressorLowersTheError() throws {
        var generator = RandomGenerator(seed: 9)
        var text = "x,z,y\n"
        for _ in 0..<80 {
            let x = generator.nextNormal(), z = generator.nextNormal()
            text += "\(x),\(z),\(3 * x + 0.1 * generator.nextNormal())\n"
        }
        let table = try TabularFixtures.table(text)
        let train = table.selecting(Array(0..<50)), test = table.selecting(Array(50..<80))
        let url = try TabularFixtures.modelFile(kind: .regression)
        func error(steps: Int) throws -> Double {
            var options = TabularPredictionOptions()
            options.ensembleSize = 2
            options.fineTuningSteps = steps
            options.fineTuningLearningRate = 3e-3
            let regressor = try TabularRegressor(modelURL: url, options: options)
            try regressor.fit(train)
            return zip(try regressor.predict(test), test.targets).map { p, y in
                let d = p.mean - Double(y)!
                return d * d
            }.reduce(0, +) / Double(test.count)
        }
        let untuned = try error(steps: 0), tuned = try error(steps: 80)
        XCTAssertLessThan(tuned, 0.5 * untuned, "tuned \(tuned), untuned \(untuned)")
    }
}
