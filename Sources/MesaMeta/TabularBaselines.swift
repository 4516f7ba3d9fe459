import Foundation

/// The classic predictors `mesa predict --compare` and `mesa benchmark-tabular` put beside the
/// in-context model, on the same ``TabularPreprocessor`` features (robust-scaled, missing as 0
/// plus indicators, categorical codes).
public enum TabularBaselines {
    /// Multinomial logistic regression with an L2 penalty `‖W‖² / (2n)` on the mean
    /// cross-entropy (scikit-learn's default `C = 1`), fitted by L-BFGS. Returns `[test][classes]`.
    public static func logisticRegression(train: [Float], labels: [Int], test: [Float], width: Int, classCount: Int) -> [[Float]] {
        let trainCount = labels.count, testCount = test.count / max(width, 1)
        let prompt = PromptValues(inputs: (train + test).map(Double.init), targets: labels.map(Double.init) + Array(repeating: 0, count: testCount),
                                  pointCount: trainCount + testCount, dimension: width)
        let model = LogisticRegressionPredictor.Model(prompt: prompt, classCount: classCount, penalty: 1 / Double(trainCount))
        let parameters = model.minimize(from: Array(repeating: 0, count: classCount * (width + 1)), count: trainCount, iterations: 200, tolerance: 1e-7)
        return (0..<testCount).map { row in model.probabilities(of: trainCount + row, parameters).map(Float.init) }
    }

    /// k-nearest neighbours (Euclidean, uniform votes; k = 5 as scikit-learn's default, at most
    /// the number of training rows): class probabilities are the neighbours' shares.
    public static func nearestNeighbors(train: [Float], labels: [Int], test: [Float], width: Int, classCount: Int, k: Int = 5) -> [[Float]] {
        let neighbours = nearest(train: train, trainCount: labels.count, test: test, width: width, k: k)
        return neighbours.map { indices in
            var shares = [Float](repeating: 0, count: classCount)
            for index in indices { shares[labels[index]] += 1 / Float(indices.count) }
            return shares
        }
    }

    /// k-nearest-neighbour regression (mean of the neighbours' targets).
    public static func nearestNeighbors(train: [Float], targets: [Double], test: [Float], width: Int, k: Int = 5) -> [Double] {
        nearest(train: train, trainCount: targets.count, test: test, width: width, k: k).map { indices in
            indices.map { targets[$0] }.reduce(0, +) / Double(indices.count)
        }
    }

    static func nearest(train: [Float], trainCount: Int, test: [Float], width: Int, k: Int) -> [[Int]] {
        let testCount = test.count / max(width, 1), k = min(k, trainCount)
        return (0..<testCount).map { row in
            var distances = [(Float, Int)]()
            distances.reserveCapacity(trainCount)
            for other in 0..<trainCount {
                var sum: Float = 0
                for j in 0..<width { let d = test[row * width + j] - train[other * width + j]; sum += d * d }
                distances.append((sum, other))
            }
            return distances.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.prefix(k).map(\.1)
        }
    }

    /// Ridge regression `min ‖y − Xw − b‖² + α‖w‖²` (α = 1, scikit-learn's default; the
    /// intercept unpenalised), solved in closed form.
    public static func ridge(train: [Float], targets: [Double], test: [Float], width: Int, penalty: Double = 1) -> [Double] {
        let n = targets.count, testCount = test.count / max(width, 1)
        let mean = targets.reduce(0, +) / Double(n)
        var featureMeans = [Double](repeating: 0, count: width)
        for i in 0..<n { for j in 0..<width { featureMeans[j] += Double(train[i * width + j]) / Double(n) } }
        // Normal equations on centred data: (XᵀX + αI) w = Xᵀ(y − ȳ).
        var matrix = [Double](repeating: 0, count: width * width), right = [Double](repeating: 0, count: width)
        for i in 0..<n {
            let row = (0..<width).map { Double(train[i * width + $0]) - featureMeans[$0] }
            for a in 0..<width {
                right[a] += row[a] * (targets[i] - mean)
                for b in 0..<width { matrix[a * width + b] += row[a] * row[b] }
            }
        }
        for a in 0..<width { matrix[a * width + a] += penalty }
        let weights = CholeskyFactor(matrix: matrix, size: width, minimumPivot: 1e-10).solve(right)
        return (0..<testCount).map { row in
            mean + (0..<width).reduce(0) { $0 + (Double(test[row * width + $1]) - featureMeans[$1]) * weights[$1] }
        }
    }
}

/// Scores of predictions against the truth.
public enum TabularMetrics {
    /// The fraction of rows whose most probable class is the true one.
    public static func accuracy(_ probabilities: [[Float]], labels: [Int]) -> Double {
        let correct = zip(probabilities, labels).filter { p, label in p.indices.max { p[$0] < p[$1] } == label }.count
        return Double(correct) / Double(max(labels.count, 1))
    }

    /// The mean negative log-probability of the true class (probabilities clipped at 1e-15).
    public static func logLoss(_ probabilities: [[Float]], labels: [Int]) -> Double {
        zip(probabilities, labels).map { -log(max(Double($0[$1]), 1e-15)) }.reduce(0, +) / Double(max(labels.count, 1))
    }

    /// ROC AUC: binary, the probability that a positive outranks a negative (ties count half);
    /// multiclass, the macro average of one-vs-rest AUCs over classes with both positives and
    /// negatives among the rows. `nil` when no class qualifies.
    public static func rocAUC(_ probabilities: [[Float]], labels: [Int], classCount: Int) -> Double? {
        func auc(_ scores: [Float], _ positive: [Bool]) -> Double? {
            let order = scores.indices.sorted { scores[$0] < scores[$1] }
            var ranks = [Double](repeating: 0, count: scores.count)
            var start = 0
            while start < order.count {
                var end = start
                while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
                for k in start...end { ranks[order[k]] = Double(start + end) / 2 + 1 }
                start = end + 1
            }
            let positives = positive.filter { $0 }.count, negatives = positive.count - positives
            guard positives > 0 && negatives > 0 else { return nil }
            let rankSum = zip(ranks, positive).filter(\.1).map(\.0).reduce(0, +)
            return (rankSum - Double(positives * (positives + 1)) / 2) / Double(positives * negatives)
        }
        if classCount == 2 { return auc(probabilities.map { $0[1] }, labels.map { $0 == 1 }) }
        let aucs = (0..<classCount).compactMap { c in auc(probabilities.map { $0[c] }, labels.map { $0 == c }) }
        return aucs.isEmpty ? nil : aucs.reduce(0, +) / Double(aucs.count)
    }

    /// `1 − Σ(y − ŷ)² / Σ(y − ȳ)²`.
    public static func rSquared(_ predictions: [Double], targets: [Double]) -> Double {
        let mean = targets.reduce(0, +) / Double(max(targets.count, 1))
        let residual = zip(predictions, targets).map { ($1 - $0) * ($1 - $0) }.reduce(0, +)
        let total = targets.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
        return total > 0 ? 1 - residual / total : 0
    }

    /// `√(mean (y − ŷ)²)`.
    public static func rootMeanSquaredError(_ predictions: [Double], targets: [Double]) -> Double {
        (zip(predictions, targets).map { ($1 - $0) * ($1 - $0) }.reduce(0, +) / Double(max(targets.count, 1))).squareRoot()
    }
}
