import MesaCore

/// k-nearest neighbours: the prediction at point `i` comes from the `k` previous inputs nearest
/// to `xᵢ` in Euclidean distance (all of them while `i < k`).
///
/// Regression: the mean of their targets (Garg et al. 2022's "3-nearest neighbours" curve uses
/// `k = 3`, uniform weights). Classification: the class frequencies among them, as probabilities.
/// Ties in distance go to the earlier point. `O(points² · d)` per prompt.
///
/// Out: `[batch, points]` (regression, 0 at `i = 0`) or `[batch, points, classCount]`
/// (classification, uniform at `i = 0`).
public struct NearestNeighborsPredictor: InContextPredictor {
    /// The number of neighbours `k ≥ 1`.
    public let neighborCount: Int

    public var name: String { "\(neighborCount)-nearest neighbours" }

    /// Creates the predictor.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` unless `neighborCount ≥ 1`.
    public init(neighborCount: Int = 3) throws {
        guard neighborCount >= 1 else {
            throw InContextError.invalidConfiguration("nearest neighbours: neighborCount must be ≥ 1, got \(neighborCount)")
        }
        self.neighborCount = neighborCount
    }

    public func predictions(for batch: TaskBatch) -> Tensor {
        let k = neighborCount
        guard batch.kind.isClassification else {
            return batch.predictionsPerPrompt(width: nil) { prompt in
                (0..<prompt.pointCount).map { i in
                    let neighbors = Self.nearest(k, to: i, in: prompt)
                    return neighbors.isEmpty ? 0 : neighbors.reduce(0) { $0 + prompt.targets[$1] } / Double(neighbors.count)
                }
            }
        }
        let classCount = batch.requireClassification(by: "NearestNeighborsPredictor")
        return batch.predictionsPerPrompt(width: classCount) { prompt in
            var result = [Double](repeating: 0, count: prompt.pointCount * classCount)
            for i in 0..<prompt.pointCount {
                let neighbors = Self.nearest(k, to: i, in: prompt)
                guard !neighbors.isEmpty else {
                    for c in 0..<classCount { result[i * classCount + c] = 1 / Double(classCount) }
                    continue
                }
                for j in neighbors { result[i * classCount + prompt.label(j)] += 1 / Double(neighbors.count) }
            }
            return result
        }
    }

    /// The indices of the (at most) `k` points before `i` nearest to `xᵢ`, ties to the earlier point.
    static func nearest(_ k: Int, to i: Int, in prompt: PromptValues) -> [Int] {
        let candidates = (0..<i).map { (distance: prompt.squaredDistance($0, i), index: $0) }
        return candidates.sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }.prefix(k).map(\.index)
    }
}
