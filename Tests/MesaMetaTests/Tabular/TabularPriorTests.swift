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

    /// A tree target is piecewise constant in the features: rows that agree on every feature
    /// agree on the target up to its small noise, and it takes at most 4 · 2⁵ distinct levels
    /// before the noise.
    func testTreeTargetsArePiecewiseConstantInTheFeatures() {
        var generator = RandomGenerator(seed: 5)
        let columns = (0..<3).map { _ in (0..<400).map { _ in Double(generator.nextNormal()) } }
        let duplicated = columns.map { $0 + $0 }   // every row appears twice, rows i and i + 400
        for seed in 0..<10 as Range<UInt64> {
            var g = RandomGenerator(seed: seed)
            let target = TabularPrior().treeTarget(duplicated, using: &g)
            let mean = target.reduce(0, +) / Double(target.count)
            let spread = (target.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(target.count)).squareRoot()
            let gaps = (0..<400).map { abs(target[$0] - target[$0 + 400]) }
            XCTAssertLessThan(gaps.max()!, 0.1 * 8 * spread + 1e-9, "seed \(seed): twin rows differ by more than the noise allows")
            XCTAssertGreaterThan(spread, 0, "seed \(seed): a constant target")
        }
    }

    /// With `treeProbability` 0 (the default) sampling is unchanged, so shipped recipes
    /// reproduce; with 1 every table's target is a tree target.
    func testTreeProbabilityIsOptInAndDecodes() throws {
        XCTAssertEqual(TabularPrior().treeProbability, 0)
        let decoded = try JSONDecoder().decode(TabularPrior.self, from: Data(#"{"kind": "regression", "treeProbability": 0.4}"#.utf8))
        XCTAssertEqual(decoded.treeProbability, 0.4)
        var trees = TabularPrior(kind: .regression)
        trees.treeProbability = 1
        trees.gaussianProcessProbability = 0
        var a = RandomGenerator(seed: 9), b = RandomGenerator(seed: 9)
        let withTrees = trees.sample(rowCount: 60, trainCount: 30, using: &a)
        let plain = TabularPrior(kind: .regression).sample(rowCount: 60, trainCount: 30, using: &b)
        XCTAssertNotEqual(withTrees.targets, plain.targets)
    }

    /// Discretisation keeps the order of the values, uses at most 16 levels numbered from 0, and
    /// is reproducible from its seed.
    func testDiscretisedKeepsOrderOnFewLevels() {
        var source = RandomGenerator(seed: 3)
        let column = (0..<300).map { _ in Double(source.nextNormal()) * 3 + 1 }
        for seed in 0..<20 as Range<UInt64> {
            var g = RandomGenerator(seed: seed), h = RandomGenerator(seed: seed)
            let levels = TabularPrior.discretised(column, using: &g)
            XCTAssertEqual(levels, TabularPrior.discretised(column, using: &h))
            let distinct = Set(levels)
            XCTAssertLessThanOrEqual(distinct.count, 16, "seed \(seed)")
            XCTAssertGreaterThanOrEqual(distinct.count, 2, "seed \(seed)")
            XCTAssertTrue(distinct.allSatisfy { $0 >= 0 && $0 < 16 && $0 == $0.rounded() }, "seed \(seed): levels are 0, 1, …")
            for (a, b) in zip(column.indices.sorted { column[$0] < column[$1] }, column.indices.sorted { column[$0] < column[$1] }.dropFirst()) {
                XCTAssertLessThanOrEqual(levels[a], levels[b], "seed \(seed): order not kept")
            }
        }
    }

    /// `discreteProbability` is 0 by default (sampling unchanged, so shipped recipes reproduce),
    /// decodes, and at 1 gives tables whose numeric features have fewer distinct values.
    func testDiscreteProbabilityIsOptInAndDecodes() throws {
        try assertOptIn(\.discreteProbability, named: "discreteProbability")
        var discrete = TabularPrior()
        discrete.discreteProbability = 1
        discrete.categoricalProbability = 0
        discrete.missingProbability = 0
        func distinctValues(_ prior: TabularPrior) -> Int {
            var total = 0
            for seed in 0..<10 as Range<UInt64> {
                var g = RandomGenerator(seed: seed)
                let sample = prior.sample(rowCount: 200, trainCount: 100, using: &g)
                for j in 0..<sample.featureCount { total += Set((0..<sample.rowCount).map { sample.features[$0 * sample.featureCount + j] }).count }
            }
            return total
        }
        var plain = discrete
        plain.discreteProbability = 0
        XCTAssertLessThan(distinctValues(discrete), distinctValues(plain) * 9 / 10)
    }

    /// `argmaxTargetProbability` is 0 by default and decodes; at 1 the classes are the argmax of
    /// shifted scores: well-formed class indices, other targets than the quantile cuts' from the
    /// same seed; ``TabularPrior/argmaxClasses(_:using:)`` picks the largest standardised score,
    /// and its offsets make class sizes unequal.
    func testArgmaxTargetsAreOptInAndPickTheLargestScore() throws {
        try assertOptIn(\.argmaxTargetProbability, named: "argmaxTargetProbability")
        var argmax = TabularPrior()
        argmax.argmaxTargetProbability = 1
        var different = 0
        for seed in 0..<8 as Range<UInt64> {
            var a = RandomGenerator(seed: seed), b = RandomGenerator(seed: seed)
            let sample = argmax.sample(rowCount: 120, trainCount: 60, using: &a)
            XCTAssertTrue(sample.targets.allSatisfy { $0 >= 0 && Int($0) < sample.classCount && $0 == $0.rounded() }, "seed \(seed)")
            if sample.targets != TabularPrior().sample(rowCount: 120, trainCount: 60, using: &b).targets { different += 1 }
        }
        XCTAssertGreaterThan(different, 3)

        var generator = RandomGenerator(seed: 4)
        let intended = (0..<30).map { $0 % 3 }
        let scores = (0..<3).map { c in intended.map { $0 == c ? 100.0 : Double(generator.nextNormal()) } }
        XCTAssertEqual(TabularPrior.argmaxClasses(scores, using: &generator), intended)
        let noise = (0..<3).map { _ in (0..<3000).map { _ in Double(generator.nextNormal()) } }
        let shares = (0..<3).map { c in Double(TabularPrior.argmaxClasses(noise, using: &generator).filter { $0 == c }.count) / 3000 }
        XCTAssertGreaterThan(shares.max()! - shares.min()!, 0.05, "offsets N(0, 0.5²) make the classes unequal: \(shares)")
    }

    /// `treeGraphProbability` is 0 by default and decodes; at 1 every table comes from a tree
    /// graph: well-formed, and other tables than the MLP graph's from the same seed.
    func testTreeGraphIsOptInAndWellFormed() throws {
        try assertOptIn(\.treeGraphProbability, named: "treeGraphProbability")
        var trees = TabularPrior()
        trees.treeGraphProbability = 1
        let plain = TabularPrior()
        var different = 0
        for seed in 0..<8 as Range<UInt64> {
            var a = RandomGenerator(seed: seed), b = RandomGenerator(seed: seed)
            let tree = trees.sample(rowCount: 120, trainCount: 60, using: &a)
            XCTAssertTrue(tree.features.allSatisfy { $0.isFinite && abs($0) <= 6 })
            XCTAssertTrue(tree.targets.allSatisfy { $0 >= 0 && Int($0) < tree.classCount })
            let mlp = plain.sample(rowCount: 120, trainCount: 60, using: &b)
            if tree.features != mlp.features { different += 1 }
        }
        XCTAssertEqual(different, 8)
        // The graph: the causes, then 1–4 layers of 4–32 tree nodes, each a finite column of the rows.
        var generator = RandomGenerator(seed: 11)
        for _ in 0..<20 {
            let nodes = trees.treeGraph(rows: 50, using: &generator)
            XCTAssertTrue((5...(12 + 4 * 32)).contains(nodes.count), "\(nodes.count)")
            XCTAssertTrue(nodes.allSatisfy { $0.count == 50 && $0.allSatisfy(\.isFinite) })
        }
    }

    /// `causeCountRange` and `nodeNoiseRange` default to the shipped prior's 1–12 causes and
    /// 0.01–0.5 noise (draws unchanged when given explicitly), decode, and move how learnable the
    /// causal-graph tables are: with fewer causes and less noise, a 1-nearest-neighbour
    /// classifier gains more over the majority class on the test rows.
    func testCauseCountAndNodeNoiseSetHowLearnableGraphTablesAre() throws {
        let decoded = try JSONDecoder().decode(TabularPrior.self, from: Data(#"{"causeCountRange": [1, 12], "nodeNoiseRange": [0.01, 0.5]}"#.utf8))
        XCTAssertEqual(decoded, TabularPrior())
        var graphs = TabularPrior()
        graphs.linearProbability = 0
        graphs.clusterProbability = 0
        graphs.categoricalProbability = 0
        graphs.missingProbability = 0
        var clean = graphs
        clean.causeCountRange = 1...3
        clean.nodeNoiseRange = 0.003...0.03
        func nearestNeighbourGain(_ prior: TabularPrior) -> Double {
            var total = 0.0
            for seed in 0..<40 as Range<UInt64> {
                var g = RandomGenerator(seed: seed)
                let t = prior.sample(rowCount: 200, trainCount: 100, using: &g), f = t.featureCount
                var counts = [Int](repeating: 0, count: t.classCount)
                for i in 0..<t.trainCount { counts[Int(t.targets[i])] += 1 }
                let majority = counts.indices.max { counts[$0] < counts[$1] }!
                var correct = 0, majorityShare = 0
                for i in t.trainCount..<t.rowCount {
                    var best = 0, bestDistance = Float.infinity
                    for j in 0..<t.trainCount {
                        var d: Float = 0
                        for k in 0..<f { let e = t.features[i * f + k] - t.features[j * f + k]; d += e * e }
                        if d < bestDistance { (best, bestDistance) = (j, d) }
                    }
                    if t.targets[best] == t.targets[i] { correct += 1 }
                    if Int(t.targets[i]) == majority { majorityShare += 1 }
                }
                total += Double(correct - majorityShare) / Double(t.rowCount - t.trainCount)
            }
            return total / 40
        }
        let (plainGain, cleanGain) = (nearestNeighbourGain(graphs), nearestNeighbourGain(clean))
        print("1-NN gain over the majority class: default \(plainGain), 1–3 causes and low noise \(cleanGain)")
        XCTAssertGreaterThan(cleanGain, plainGain + 0.05)
    }

    /// Settings that cannot be sampled are refused with the field and its valid values.
    func testProblemNamesTheFieldAndItsValidValues() throws {
        XCTAssertNil(TabularPrior().problem)
        XCTAssertNil(TabularPrior(kind: .regression).problem)
        func problem(_ json: String) throws -> String? { try JSONDecoder().decode(TabularPrior.self, from: Data(json.utf8)).problem }
        XCTAssertEqual(try problem(#"{"treeProbability": 1.5}"#), "prior.treeProbability must be a probability in [0, 1], got 1.5")
        XCTAssertEqual(try problem(#"{"missingProbability": -0.1}"#), "prior.missingProbability must be a probability in [0, 1], got -0.1")
        XCTAssertEqual(try problem(#"{"argmaxTargetProbability": 2}"#), "prior.argmaxTargetProbability must be a probability in [0, 1], got 2.0")
        XCTAssertEqual(try problem(#"{"causeCountRange": [0, 4]}"#), "prior.causeCountRange must start at 1 or more, got [0, 4]")
        XCTAssertEqual(try problem(#"{"nodeNoiseRange": [0, 0.1]}"#),
                       "prior.nodeNoiseRange must be positive and finite (scales drawn log-uniformly), got [0.0, 0.1]")
        XCTAssertEqual(try problem(#"{"maximumClasses": 1}"#), "prior.maximumClasses must be at least 2, got 1")
        XCTAssertEqual(try problem(#"{"featureRange": [1, 120]}"#), "prior.featureRange must lie within [1, maximumFeatures = 100], got [1, 120]")
        // A pre-training configuration with such a prior is refused when read.
        XCTAssertThrowsError(try TabularPretrainingConfiguration(json: Data(#"{"prior": {"linearProbability": 2}}"#.utf8), source: "c.json")) { error in
            XCTAssertEqual("\(error)", "c.json: prior.linearProbability must be a probability in [0, 1], got 2.0")
        }
    }

    /// An opt-in probability of the prior: 0 by default (so shipped recipes draw the same tables)
    /// and read from a configuration.
    private func assertOptIn(_ field: KeyPath<TabularPrior, Double>, named name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(TabularPrior()[keyPath: field], 0, file: file, line: line)
        let decoded = try JSONDecoder().decode(TabularPrior.self, from: Data(#"{"\#(name)": 0.3}"#.utf8))
        XCTAssertEqual(decoded[keyPath: field], 0.3, file: file, line: line)
    }
}
