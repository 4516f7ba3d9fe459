import Foundation
import MesaCore

/// Builds baseline predictors from short names, as configuration files and `mesa eval
/// --baselines` give them, with the hyperparameters that the task configuration implies.
///
/// | name | predictor |
/// |---|---|
/// | `leastSquares` | ``LeastSquaresPredictor`` (minimum norm) |
/// | `ridge` | ``RidgePredictor/bayesOptimal(noise:weightScale:)`` with the task's σ and τ (σ = 0: least squares) |
/// | `lasso[:α]` | ``LassoPredictor`` (default α = 0.01) |
/// | `knn[:k]` | ``NearestNeighborsPredictor`` (default k = 3) |
/// | `averaging` | ``AveragingPredictor`` |
/// | `gd[:steps]` | ``GradientDescentPredictor`` with η tuned on 4 batches of fresh tasks (default 1 step) |
/// | `gp` | ``GaussianProcessPredictor`` under the task's kernel (Gaussian-process tasks) |
/// | `network[:steps]` | ``TrainedNetworkPredictor`` (2-layer ReLU network, Adam, default 200 steps) |
/// | `logistic[:λ]` | ``LogisticRegressionPredictor`` (default λ = 0.1) |
/// | `mixture` | ``MixturePosteriorPredictor`` for the task's linear / sparse-linear components (Bayes-optimal) |
public enum BaselineFactory {
    /// The known names (with their optional `:parameter`).
    public static let names = ["leastSquares", "ridge", "lasso[:penalty]", "knn[:k]", "averaging", "gd[:steps]", "gp",
                               "network[:steps]", "logistic[:penalty]", "mixture"]

    /// The baseline called `name` for tasks of `task`.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for an unknown name, a malformed
    ///   parameter, or a baseline that does not fit the task family.
    public static func make(_ name: String, for task: TaskConfiguration) throws -> any InContextPredictor {
        let parts = name.split(separator: ":", maxSplits: 1).map(String.init)
        let base = parts.first ?? ""
        func parameter<T: LosslessStringConvertible>(_ fallback: T) throws -> T {
            guard parts.count == 2 else { return fallback }
            guard let value = T(parts[1]) else {
                throw InContextError.invalidConfiguration("baseline '\(name)': '\(parts[1])' is not a valid \(T.self)")
            }
            return value
        }
        switch base {
        case "leastSquares":
            return LeastSquaresPredictor()
        case "ridge":
            return try RidgePredictor.bayesOptimal(noise: task.noise, weightScale: task.weightScale)
        case "lasso":
            return try LassoPredictor(penalty: parameter(Float(0.01)))
        case "knn":
            return try NearestNeighborsPredictor(neighborCount: parameter(3))
        case "averaging":
            return AveragingPredictor()
        case "gd":
            let steps: Int = try parameter(1)
            var generator = RandomGenerator(seed: 777)
            let distribution = try task.makeDistribution()
            let batches = (0..<4).map { _ in distribution.sample(batchSize: 64, pointCount: 20, using: &generator) }
            let candidates = (0...40).map { Float(pow(10, -3 + 0.1 * Double($0))) }
            return try GradientDescentPredictor.tuned(steps: steps, on: batches, candidates: candidates)
        case "gp":
            guard task.family == .gaussianProcess else {
                throw InContextError.invalidConfiguration("baseline 'gp' needs a gaussianProcess task (it uses the task's kernel), not '\(task.family)'")
            }
            return try GaussianProcessPredictor(lengthScale: task.lengthScale, signalVariance: task.signalVariance, noise: task.noise)
        case "network":
            return try TrainedNetworkPredictor(steps: parameter(200))
        case "logistic":
            return try LogisticRegressionPredictor(penalty: parameter(Float(0.1)))
        case "mixture":
            return try mixturePosterior(for: task)
        default:
            throw InContextError.invalidConfiguration("unknown baseline '\(name)'; known: \(names.joined(separator: ", "))")
        }
    }

    /// The Bayes-optimal predictor for a linear, sparse-linear or mixture-of-both task family.
    static func mixturePosterior(for task: TaskConfiguration) throws -> MixturePosteriorPredictor {
        func component(_ configuration: TaskConfiguration, weight: Float) throws -> MixturePosteriorPredictor.Component {
            switch configuration.family {
            case .linear: return .init(weight: weight, kind: .dense)
            case .sparseLinear: return .init(weight: weight, kind: .sparse(nonZeroCount: configuration.nonZeroCount))
            default:
                throw InContextError.invalidConfiguration("baseline 'mixture' covers linear and sparseLinear tasks, not '\(configuration.family)'")
            }
        }
        let components = try task.family == .mixture
            ? (task.components ?? []).map { try component($0.task, weight: Float($0.weight)) }
            : [component(task, weight: 1)]
        let noise = max(task.family == .mixture ? (task.components?.map(\.task.noise).max() ?? 0) : task.noise, 1e-3)
        return try MixturePosteriorPredictor(inputDimension: task.inputDimension, components: components, noise: noise,
                                             weightScale: task.weightScale)
    }
}
