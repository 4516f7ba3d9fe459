import Foundation
import MesaCore

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
