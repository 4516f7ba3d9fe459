import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class TabularPriorTests: XCTestCase {
    /// The mean over features of the share of a feature's variance that the class explains.
    private func classShareOfVariance(_ columns: [[Double]], labels: [Int]) -> Double {
        let shares = columns.map { column -> Double in
            let n = Double(column.count), mean = column.reduce(0, +) / n
            let total = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
            var between = 0.0
            for label in Set(labels) {
                let members = zip(column, labels).filter { $0.1 == label }.map(\.0)
                let classMean = members.reduce(0, +) / Double(members.count)
                between += Double(members.count) * (classMean - mean) * (classMean - mean)
            }
            return between / total
        }
        return shares.reduce(0, +) / Double(shares.count)
    }

    func testNuisanceFactorsHideTheClassInLowVarianceDirections() {
        var plain = TabularPrior(), nuisance = TabularPrior()
        plain.nuisanceProbability = 0
        nuisance.nuisanceProbability = 1
        var plainShare = 0.0, nuisanceShare = 0.0
        for seed in 0..<20 as Range<UInt64> {
            var a = RandomGenerator(seed: seed), b = RandomGenerator(seed: seed)
            let (plainColumns, plainLabels) = plain.clusters(rows: 200, features: 12, classes: 2, using: &a)
            let (nuisanceColumns, nuisanceLabels) = nuisance.clusters(rows: 200, features: 12, classes: 2, using: &b)
            plainShare += classShareOfVariance(plainColumns, labels: plainLabels) / 20
            nuisanceShare += classShareOfVariance(nuisanceColumns, labels: nuisanceLabels) / 20
        }
        // Nuisance spreads are 2–20 times the centres' spread, so the class's share of each
        // feature's variance falls several-fold (tolerance: at least 3 times smaller).
        XCTAssertLessThan(nuisanceShare * 3, plainShare, "class share of variance: plain \(plainShare), with nuisance \(nuisanceShare)")
    }

    func testKindSpecificDefaults() {
        XCTAssertEqual(TabularPrior(kind: .classification).featureRange, 1...100)
        XCTAssertEqual(TabularPrior(kind: .regression).featureRange, 1...40)
        XCTAssertEqual(TabularPrior(kind: .regression).nuisanceProbability, 0)
        let decoded = try? JSONDecoder().decode(TabularPrior.self, from: Data(#"{"kind": "regression"}"#.utf8))
        XCTAssertEqual(decoded, TabularPrior(kind: .regression))
    }
}
