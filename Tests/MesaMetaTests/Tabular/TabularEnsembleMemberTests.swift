import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class TabularEnsembleMemberTests: XCTestCase {
    /// 300 rows of `(s, s + c·a)`, `s ~ N(0, 9)`, `a ~ N(0, 1)`, and the hidden factor `a`.
    private func sizeAndShape(c: Float) -> (rows: [Float], shape: [Double]) {
        var generator = RandomGenerator(seed: 7)
        var rows: [Float] = [], shape: [Double] = []
        for _ in 0..<300 {
            let s = generator.nextNormal() * 3, a = generator.nextNormal()
            rows += [s, s + c * a]
            shape.append(Double(a))
        }
        return (rows, shape)
    }

    private func decorrelated(_ rows: [Float]) -> [Double] {
        let member = TabularEnsembleMember(featureOrder: [0, 1], variant: .decorrelated, contextRows: Array(0..<300))
        return member.features(train: rows, test: rows, width: 2, testRows: 0..<0).map(Double.init)
    }

    private func covariance(_ x: [Double], _ y: [Double]) -> Double {
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        return zip(x, y).map { ($0 - mx) * ($1 - my) }.reduce(0, +) / Double(x.count)
    }

    func testDecorrelatedFeaturesAreWhiteOnTheContextRows() {
        let z = decorrelated(sizeAndShape(c: 1).rows)
        let first = (0..<300).map { z[$0 * 2] }, second = (0..<300).map { z[$0 * 2 + 1] }
        // Mean 0, identity covariance. The ridge (10⁻³ of the mean variance, about 0.01 here)
        // shrinks the residual's unit variance by about 1 %: tolerance 0.02.
        XCTAssertEqual(first.reduce(0, +) / 300, 0, accuracy: 1e-6)
        XCTAssertEqual(covariance(first, first), 1, accuracy: 0.02)
        XCTAssertEqual(covariance(second, second), 1, accuracy: 0.02)
        XCTAssertEqual(covariance(first, second), 0, accuracy: 0.02)
    }

    func testNewRowsGoThroughTheContextRowsMap() {
        let (rows, _) = sizeAndShape(c: 1)
        let member = TabularEnsembleMember(featureOrder: [1, 0], variant: .decorrelated, contextRows: Array(0..<300))
        // The first 10 rows again as new rows: exactly their context values (same mean and factor).
        let z = member.features(train: rows, test: rows, width: 2, testRows: 0..<10)
        XCTAssertEqual(Array(z[600..<620]), Array(z[0..<20]))
        // Passing the fitted map gives the same result as fitting it inside.
        let map = member.fittedMap(train: rows, width: 2)
        XCTAssertNotNil(map)
        XCTAssertEqual(member.features(train: rows, test: rows, width: 2, testRows: 0..<10, map: map), z)
        XCTAssertNil(TabularEnsembleMember(featureOrder: [0], variant: .plain, contextRows: [0]).fittedMap(train: rows, width: 2))
    }

    func testALowVarianceShapeFactorBecomesAFeature() {
        // The second feature differs from the first by 0.3·a: 1 % of its variance.
        let (rows, shape) = sizeAndShape(c: 0.3)
        let z = decorrelated(rows)
        let second = (0..<300).map { z[$0 * 2 + 1] }
        let correlation = covariance(second, shape) / (covariance(second, second) * covariance(shape, shape)).squareRoot()
        XCTAssertGreaterThan(correlation, 0.98)   // in-sample regression and Float rounding: about 0.989
        XCTAssertGreaterThan(covariance(second, second), 0.8)   // the ridge shrinks it somewhat
    }

    func testVariantsTakeTurnsAndSquashingIsSignedLog() {
        var generator = RandomGenerator(seed: 1)
        let members = TabularEnsembleMember.draw(count: 5, width: 3, featureLimit: 3, trainCount: 10, maximumRows: 1000,
                                                 strata: Array(repeating: 0, count: 10), using: &generator)
        XCTAssertEqual(members.map(\.variant), [.plain, .squashed, .decorrelated, .quantile, .plain])
        // Fewer than 2 context rows per feature: the third member stays plain.
        let few = TabularEnsembleMember.draw(count: 3, width: 3, featureLimit: 3, trainCount: 5, maximumRows: 1000,
                                             strata: Array(repeating: 0, count: 5), using: &generator)
        XCTAssertEqual(few.map(\.variant), [.plain, .squashed, .plain])
        let squashed = TabularEnsembleMember(featureOrder: [0, 1], variant: .squashed, contextRows: [0])
        let values = squashed.features(train: [-2, 3], test: [], width: 2, testRows: 0..<0)
        XCTAssertEqual(values[0], -Float(log(3.0)), accuracy: 1e-6)
        XCTAssertEqual(values[1], Float(log(4.0)), accuracy: 1e-6)
    }

    func testQuantileVariantGivesNormalScoresOfMidRanks() {
        // Context values 10, 20, 20, 30 (n = 4): mid-ranks 0, 1.5, 1.5, 3 → Φ⁻¹((p + ½) / 4).
        let member = TabularEnsembleMember(featureOrder: [0], variant: .quantile, contextRows: [0, 1, 2, 3])
        let z = member.features(train: [10, 20, 20, 30], test: [25, 5, 1000], width: 1, testRows: 0..<3)
        let expected = [0.125, 0.5, 0.5, 0.875].map { Float(standardNormalQuantile($0)) }
        for (value, target) in zip(z.prefix(4), expected) { XCTAssertEqual(value, target, accuracy: 1e-6) }
        // 25 lies halfway between ranks 2 (the last 20) and 3: position 2.5.
        XCTAssertEqual(z[4], Float(standardNormalQuantile(3.0 / 4)), accuracy: 1e-6)
        // Outside the context's range: clamped to the outermost ranks.
        XCTAssertEqual(z[5], expected[0], accuracy: 1e-6)
        XCTAssertEqual(z[6], expected[3], accuracy: 1e-6)
    }

    func testQuantileVariantIsMonotoneAndIgnoresScale() {
        var generator = RandomGenerator(seed: 3)
        let values = (0..<50).map { _ in exp(generator.nextNormal() * 3) }   // heavy right tail
        let member = TabularEnsembleMember(featureOrder: [0], variant: .quantile, contextRows: Array(0..<50))
        let z = member.features(train: values, test: [], width: 1, testRows: 0..<0)
        let scaled = member.features(train: values.map { 1000 * $0 - 7 }, test: [], width: 1, testRows: 0..<0)
        XCTAssertEqual(z, scaled)   // ranks only
        for i in 0..<50 { for j in 0..<50 where values[i] < values[j] { XCTAssertLessThan(z[i], z[j]) } }
        // A constant feature maps to 0.
        XCTAssertEqual(normalScore(Float(4), among: [4, 4, 4]), 0)
    }

    func testEnsembleSizeDefaultsToEightSharingAContextAndFourOtherwise() {
        var options = TabularPredictionOptions()
        XCTAssertEqual(options.resolvedEnsembleSize(labelledRowCount: options.maximumContextRows), 8)
        XCTAssertEqual(options.resolvedEnsembleSize(labelledRowCount: options.maximumContextRows + 1), 4)
        options.ensembleSize = 3
        XCTAssertEqual(options.resolvedEnsembleSize(labelledRowCount: options.maximumContextRows), 3)
        XCTAssertEqual(options.resolvedEnsembleSize(labelledRowCount: options.maximumContextRows + 1), 3)
    }
}
