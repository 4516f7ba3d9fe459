import Foundation
import MesaCore

/// Scoring the in-context predictors beside the baselines on a labelled split: what
/// `mesa predict --compare` and `mesa benchmark-tabular` report.
public enum TabularEvaluation {
    /// Regression when the target is numeric with more than 10 distinct values or a
    /// non-integer, classification otherwise.
    public static func detectKind(_ table: TabularTable) -> TabularTaskKind {
        let present = table.targets.filter { !TabularTable.isMissing($0) }
        let numbers = present.compactMap { TabularTable.number($0) ?? nil }
        guard numbers.count == present.count, !numbers.isEmpty else { return .classification }
        let distinct = Set(numbers)
        return distinct.count > 10 || numbers.contains { $0 != $0.rounded() } ? .regression : .classification
    }

    /// A seeded split putting `fraction` of the rows (of each class, for classification) in the
    /// training part: returns (training rows, test rows).
    public static func split(_ table: TabularTable, kind: TabularTaskKind, fraction: Double = 0.5, seed: UInt64) -> ([Int], [Int]) {
        var generator = RandomGenerator(seed: seed)
        let strata: [String: [Int]] = kind == .classification
            ? Dictionary(grouping: table.targets.indices, by: { table.targets[$0].trimmingSpaces() })
            : ["all": Array(table.targets.indices)]
        var train: [Int] = [], test: [Int] = []
        for key in strata.keys.sorted() {
            var rows = strata[key]!
            generator.shuffle(&rows)
            let cut = rows.count == 1 ? 1 : Swift.min(Swift.max(1, Int((Double(rows.count) * fraction).rounded())), rows.count - 1)
            train += rows.prefix(cut)
            test += rows.dropFirst(cut)
        }
        return (train.sorted(), test.sorted())
    }

    /// The class labels of `test` that no row of `train` has, with how many test rows carry
    /// each (most rows first, then by name); blank labels are left out. No classifier can
    /// predict such a label, so the accuracies here count those rows as wrong.
    public static func unseenLabels(train: TabularTable, test: TabularTable) -> [(label: String, rows: Int)] {
        let known = Set(train.targets.map { $0.trimmingSpaces() })
        var counts: [String: Int] = [:]
        for label in test.targets.map({ $0.trimmingSpaces() }) where !label.isEmpty && !known.contains(label) {
            counts[label, default: 0] += 1
        }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { (label: $0.key, rows: $0.value) }
    }

    /// Mesa's classifier, logistic regression and k-NN on a labelled test table.
    public static func classification(train: TabularTable, test: TabularTable, classifier: TabularClassifier) throws -> [TabularScores] {
        var start = Date()
        try classifier.fit(train)
        let probabilities = try classifier.predictProbabilities(test)
        let mesaSeconds = Date().timeIntervalSince(start)
        let index = Dictionary(uniqueKeysWithValues: classifier.classNames.enumerated().map { ($1, $0) })
        // Test rows of classes absent from training count as errors (index −1 never wins).
        let labels = test.targets.map { index[$0.trimmingSpaces()] ?? -1 }
        let known = labels.indices.filter { labels[$0] >= 0 }
        func scores(_ method: String, _ p: [[Float]], _ seconds: Double) -> TabularScores {
            let classCount = classifier.classNames.count
            let correct = zip(p, labels).filter { probabilities, label in probabilities.indices.max { probabilities[$0] < probabilities[$1] } == label }.count
            return TabularScores(method: method, accuracy: Double(correct) / Double(max(labels.count, 1)),
                                 logLoss: TabularMetrics.logLoss(known.map { p[$0] }, labels: known.map { labels[$0] }),
                                 rocAUC: TabularMetrics.rocAUC(known.map { p[$0] }, labels: known.map { labels[$0] }, classCount: classCount),
                                 seconds: seconds)
        }
        var results = [scores("mesa", probabilities, mesaSeconds)]
        start = Date()
        let ignored = classifier.options.ignoredColumns
        let preprocessor = try TabularPreprocessor(fitting: train.removingColumns(ignored), test: test.removingColumns(ignored),
                                                   kinds: classifier.options.columnKinds)
        let x = try preprocessor.transform(train.removingColumns(ignored)), z = try preprocessor.transform(test.removingColumns(ignored))
        // The baselines read the rows in the table's own order (the classifier's `labels` follow its
        // canonical order instead), so their labels come from the table itself.
        let width = preprocessor.featureCount, trainLabels = train.targets.map { index[$0.trimmingSpaces()]! }
        let prep = Date().timeIntervalSince(start)
        start = Date()
        let logistic = TabularBaselines.logisticRegression(train: x, labels: trainLabels, test: z, width: width, classCount: classifier.classNames.count)
        results.append(scores("logistic regression", logistic, Date().timeIntervalSince(start) + prep))
        start = Date()
        let neighbours = TabularBaselines.nearestNeighbors(train: x, labels: trainLabels, test: z, width: width, classCount: classifier.classNames.count)
        results.append(scores("k-NN", neighbours, Date().timeIntervalSince(start) + prep))
        return results
    }

    /// Mesa's regressor, ridge regression and k-NN on a labelled test table.
    public static func regression(train: TabularTable, test: TabularTable, regressor: TabularRegressor) throws -> [TabularScores] {
        var start = Date()
        try regressor.fit(train)
        let predictions = try regressor.predict(test).map(\.mean)
        let mesaSeconds = Date().timeIntervalSince(start)
        let truth = try test.targets.enumerated().map { row, field -> Double in
            guard case .some(.some(let value)) = TabularTable.number(field), value.isFinite else {
                throw TabularError.invalidTable("test row \(row + 1): target '\(field)' is not a finite number")
            }
            return value
        }
        func scores(_ method: String, _ p: [Double], _ seconds: Double) -> TabularScores {
            TabularScores(method: method, rSquared: TabularMetrics.rSquared(p, targets: truth),
                          rootMeanSquaredError: TabularMetrics.rootMeanSquaredError(p, targets: truth), seconds: seconds)
        }
        var results = [scores("mesa", predictions, mesaSeconds)]
        start = Date()
        let trainTable = train.removingColumns(regressor.options.ignoredColumns)
        let testTable = test.removingColumns(regressor.options.ignoredColumns)
        let preprocessor = try TabularPreprocessor(fitting: trainTable, test: testTable, kinds: regressor.options.columnKinds)
        let x = try preprocessor.transform(trainTable), z = try preprocessor.transform(testTable)
        let targets = trainTable.targets.map { Double($0.trimmingSpaces()) ?? .nan }
        let prep = Date().timeIntervalSince(start)
        start = Date()
        results.append(scores("ridge", TabularBaselines.ridge(train: x, targets: targets, test: z, width: preprocessor.featureCount),
                              Date().timeIntervalSince(start) + prep))
        start = Date()
        results.append(scores("k-NN", TabularBaselines.nearestNeighbors(train: x, targets: targets, test: z, width: preprocessor.featureCount),
                              Date().timeIntervalSince(start) + prep))
        return results
    }
}
