import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class TabularContextCalibrationTests: XCTestCase {
    /// Rows whose probabilities lean towards class 0 by a constant factor of the odds, their
    /// labels drawn from the honest probabilities: the fit learns a bias of about `log 3` for
    /// class 1 (relative to class 0) and the corrected probabilities of the borderline rows
    /// change their most probable class.
    func testAConstantLeanIsCorrectedByTheBiases() {
        var generator = RandomGenerator(seed: 2)
        var probabilities: [[Double]] = [], labels: [Int] = []
        for _ in 0..<3000 {
            let honest = 0.05 + 0.9 * Double(generator.nextUniform())   // p(class 1) a calibrated model would give
            let label = Double(generator.nextUniform()) < honest ? 1 : 0
            let leaning = honest / (honest + 3 * (1 - honest))            // the same odds divided by 3
            probabilities.append([1 - leaning, leaning])
            labels.append(label)
        }
        let calibration = TabularContextCalibration.fitted(probabilities: probabilities, labels: labels, classCount: 2)
        XCTAssertEqual(calibration.biases[1] - calibration.biases[0], log(3), accuracy: 0.25, "the odds' lean, log 3")
        XCTAssertEqual(calibration.scale, 1, accuracy: 0.2)
        let borderline = calibration.applied(to: [0.6, 0.4])
        XCTAssertGreaterThan(borderline[1], borderline[0], "0.4 against 0.6 is 2:1 odds for class 1 after the lean is removed")
        XCTAssertEqual(Double(borderline.reduce(0, +)), 1, accuracy: 1e-6)
    }

    /// Probabilities that are right but too timid (odds shrunk towards 1) get a scale above 1;
    /// too confident ones a scale below 1; the biases stay near 0 for balanced classes.
    func testTheScaleSharpensTimidAndFlattensOverconfidentProbabilities() {
        var generator = RandomGenerator(seed: 3)
        func rows(power: Double) -> ([[Double]], [Int]) {
            var probabilities: [[Double]] = [], labels: [Int] = []
            for _ in 0..<400 {
                let truth = Double(generator.nextUniform())                  // p(class 1)
                let label = Double(generator.nextUniform()) < truth ? 1 : 0
                let a = pow(1 - truth, power), b = pow(truth, power)         // odds raised to `power`
                probabilities.append([a / (a + b), b / (a + b)])
                labels.append(label)
            }
            return (probabilities, labels)
        }
        let (timid, timidLabels) = rows(power: 0.5)
        let sharpened = TabularContextCalibration.fitted(probabilities: timid, labels: timidLabels, classCount: 2)
        XCTAssertGreaterThan(sharpened.scale, 1.3)
        let (bold, boldLabels) = rows(power: 2)
        let flattened = TabularContextCalibration.fitted(probabilities: bold, labels: boldLabels, classCount: 2)
        XCTAssertLessThan(flattened.scale, 0.8)
        for calibration in [sharpened, flattened] {
            XCTAssertLessThan(abs(calibration.biases[1] - calibration.biases[0]), 0.4, "\(calibration)")
        }
    }

    /// With a handful of rows the penalty keeps the fit close to the identity; a class the folds
    /// never predicted (probability 0) stays finite.
    func testFewRowsStayNearTheIdentityAndZerosAreFinite() {
        let calibration = TabularContextCalibration.fitted(probabilities: [[0.6, 0.4, 0], [0.3, 0.7, 0], [0.5, 0.2, 0.3]], labels: [0, 1, 2], classCount: 3)
        XCTAssertEqual(calibration.scale, 1, accuracy: 0.5)
        XCTAssertTrue(calibration.biases.allSatisfy { abs($0) < 1.5 && $0.isFinite }, "\(calibration.biases)")
        let applied = calibration.applied(to: [1, 0, 0])
        XCTAssertTrue(applied.allSatisfy(\.isFinite))
        XCTAssertEqual(Double(applied.reduce(0, +)), 1, accuracy: 1e-6)
        let identity = TabularContextCalibration(scale: 1, biases: [0, 0, 0]).applied(to: [0.2, 0.3, 0.5])
        for (a, b) in zip(identity, [Float(0.2), 0.3, 0.5]) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    }

    /// The fit lowers the penalised objective it minimises below the identity's (property, on
    /// random rows and labels).
    func testTheFitDoesNoWorseThanTheIdentity() {
        var generator = RandomGenerator(seed: 11)
        for trial in 0..<5 {
            let classes = 2 + trial % 3
            var probabilities: [[Double]] = [], labels: [Int] = []
            for _ in 0..<60 {
                let raw = (0..<classes).map { _ in Double(generator.nextUniform()) + 0.01 }
                let total = raw.reduce(0, +)
                probabilities.append(raw.map { $0 / total })
                labels.append(generator.nextIndex(below: classes))
            }
            func objective(_ c: TabularContextCalibration) -> Double {
                var value = 0.5 * pow(log(c.scale), 2) / pow(TabularContextCalibration.logScaleDeviation, 2)
                    + c.biases.reduce(0) { $0 + 0.5 * $1 * $1 } / pow(TabularContextCalibration.biasDeviation, 2)
                for (p, y) in zip(probabilities, labels) { value -= log(Double(c.applied(to: p.map(Float.init))[y])) }
                return value
            }
            let fitted = TabularContextCalibration.fitted(probabilities: probabilities, labels: labels, classCount: classes)
            XCTAssertLessThanOrEqual(objective(fitted), objective(TabularContextCalibration(scale: 1, biases: Array(repeating: 0, count: classes))) + 1e-6)
        }
    }

    /// Stratified folds partition the rows, differ in size by at most one, spread each class
    /// evenly, and depend only on the seed.
    func testStratifiedFoldsPartitionTheRowsEvenly() {
        var generator = RandomGenerator(seed: 5)
        let labels = (0..<53).map { _ in generator.nextIndex(below: 3) }
        var first = RandomGenerator(seed: 9), second = RandomGenerator(seed: 9), other = RandomGenerator(seed: 10)
        let folds = TabularContextCalibration.stratifiedFolds(labels: labels, count: 5, using: &first)
        XCTAssertEqual(folds, TabularContextCalibration.stratifiedFolds(labels: labels, count: 5, using: &second))
        XCTAssertNotEqual(folds, TabularContextCalibration.stratifiedFolds(labels: labels, count: 5, using: &other))
        XCTAssertEqual(folds.flatMap { $0 }.sorted(), Array(0..<53))
        let sizes = folds.map(\.count)
        XCTAssertLessThanOrEqual(sizes.max()! - sizes.min()!, 1)
        for c in 0..<3 {
            let counts = folds.map { fold in fold.filter { labels[$0] == c }.count }
            XCTAssertLessThanOrEqual(counts.max()! - counts.min()!, 1, "class \(c): \(counts)")
        }
    }
}
