import Foundation
import MesaCore

/// How ``QueryPolicyTrainer`` fits the policy's scores to a task's candidate targets (the
/// expected error reductions of ``QueryPolicyTrainer/TaskExamples``). Both standardise the
/// targets within the task (`z = (δ − mean) / (sd + 0.1)`), since the policy only ranks the rows
/// of one pool.
public enum QueryPolicyLoss: String, ConfigurationChoice {
    /// Regression (Konyushkova et al. 2017): the mean squared error between the scores and `z`.
    case regression
    /// Listwise ranking, ListNet (Cao et al. 2007): the cross-entropy between the task's target
    /// distribution `softmax(z / τ)` over its candidates and the scores' `softmax(s)`, averaged
    /// over tasks. Only the order within a task matters to it, not the scores' scale.
    case listwise

    /// A task's standardised targets `(δ − mean) / (sd + 0.1)`.
    public static func standardised(_ targets: [Float]) -> [Float] {
        let n = Float(max(targets.count, 1)), mean = targets.reduce(0, +) / n
        let sd = (targets.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        return targets.map { ($0 - mean) / (sd + 0.1) }
    }

    /// ListNet's target distribution over a task's candidates, `softmax(z / temperature)`.
    public static func listwiseTargets(_ targets: [Float], temperature: Float) -> [Float] {
        let z = standardised(targets).map { $0 / temperature }, largest = z.max() ?? 0
        let exps = z.map { exp($0 - largest) }, total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }

    /// The loss of `scores` (one `[candidates, 1]` tensor per task) against each task's `targets`.
    public func callAsFunction(scores: [Tensor], targets: [[Float]], temperature: Float) -> Tensor {
        precondition(scores.count == targets.count && !scores.isEmpty, "QueryPolicyLoss: one target list per task")
        switch self {
        case .regression:
            let all = targets.flatMap(Self.standardised)
            return Tensor.meanSquaredError(Tensor.concatenate(scores, alongAxis: 0), Tensor(shape: [all.count, 1], scalars: all))
        case .listwise:
            let losses = zip(scores, targets).map { score, target -> Tensor in
                let q = Self.listwiseTargets(target, temperature: temperature)
                return -(score.logSoftmax(alongAxis: 0) * Tensor(shape: [q.count, 1], scalars: q)).sum()
            }
            return losses.dropFirst().reduce(losses[0], +) * (1 / Float(losses.count))
        }
    }
}
