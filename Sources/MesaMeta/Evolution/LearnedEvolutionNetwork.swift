import Foundation
import MesaCore
import MesaNN

/// The network of the learned evolution strategy (Lange, Schaul, Chen, Zahavy, Dalibard, Lu, Singh
/// & Flennerhag 2023, *Discovering Evolution Strategies via Meta-Black-Box Optimization*, ICLR):
/// a one-head self-attention layer that turns the population's fitness features into
/// recombination weights, and a per-dimension MLP that turns evolution paths and the generation
/// into learning rates for the mean and the step sizes. ``LearnedEvolutionStrategy`` runs it.
///
/// Shapes (`N` members, `n` dimensions, `F = featureCount`, `P = pathInputCount + timeScales.count`):
///
/// ```
/// attention   Q = F W_Q + b_Q, K = F W_K + b_K   [N, attentionWidth];  V = F W_V + b_V  [N, 1]
///             w = softmax(softmax(Q Kᵀ / √attentionWidth) V)                            [N]
/// rates       h = relu(W_h u + b_h)  per dimension, u = [p_c, p_σ, time]                 [n, P] → [n, hiddenWidth]
///             α_m = sigmoid(w_m·h + b_m),  α_σ = sigmoid(w_σ·h + b_σ)                    [n]
/// ```
///
/// The layers are ``Linear``s so that checkpoints use Mesa's safetensors machinery; the forward
/// passes run in plain `Double` loops over ``flatParameters`` (``Forward``), because the network is
/// trained without gradients (an evolution strategy over its parameters, ``LearnedEvolutionTrainer``)
/// and runs once per generation, where tensor overhead would dominate.
public final class LearnedEvolutionNetwork: Module {
    /// Fitness features per member: centred rank, z-score, improvement flag.
    public static let featureCount = 3
    /// The evolution paths' timescales `c` (`p ← (1 − c) p + c y`), as in the paper.
    public static let pathTimescales: [Double] = [0.1, 0.5, 0.9]
    /// Path inputs per dimension: `p_c` and `p_σ` at each timescale.
    public static var pathInputCount: Int { 2 * pathTimescales.count }
    /// The generation embedding's timescales `T`: features `tanh(t / T − 1)` (Metz et al. 2022's
    /// form; the paper's learned optimisers use the same embedding).
    public static let timeScales: [Double] = [1, 3, 10, 30, 100, 300, 1000, 3000]

    /// Features → attention queries.
    public let query: Linear
    /// Features → attention keys.
    public let key: Linear
    /// Features → attention values (one per member).
    public let value: Linear
    /// Paths and time → hidden units, per dimension.
    public let hidden: Linear
    /// Hidden → the mean's learning rate (before the sigmoid).
    public let meanRate: Linear
    /// Hidden → the step sizes' learning rate (before the sigmoid).
    public let stepRate: Linear

    /// The width of queries and keys.
    public var attentionWidth: Int { query.outputSize }
    /// The hidden units of the learning-rate MLP.
    public var hiddenWidth: Int { hidden.outputSize }

    /// A freshly initialised network (PyTorch's `Linear` initialisation).
    public init(attentionWidth: Int = 8, hiddenWidth: Int = 8, using generator: inout RandomGenerator) {
        let features = Self.featureCount, inputs = Self.pathInputCount + Self.timeScales.count
        query = Linear(inputSize: features, outputSize: attentionWidth, using: &generator)
        key = Linear(inputSize: features, outputSize: attentionWidth, using: &generator)
        value = Linear(inputSize: features, outputSize: 1, using: &generator)
        hidden = Linear(inputSize: inputs, outputSize: hiddenWidth, using: &generator)
        meanRate = Linear(inputSize: hiddenWidth, outputSize: 1, using: &generator)
        stepRate = Linear(inputSize: hiddenWidth, outputSize: 1, using: &generator)
    }

    /// All parameters concatenated in ``Module/namedParameters`` order (each `[out, in]` weight
    /// row-major, then its bias): the vector the meta-level evolution strategy searches.
    public var flatParameters: [Float] { parameters.flatMap(\.value.scalars) }

    /// Replaces the parameters by `values` (in ``flatParameters`` order).
    public func assign(flatParameters values: [Float]) {
        precondition(values.count == parameterCount, "assign(flatParameters:): \(values.count) values for \(parameterCount) parameters")
        var start = 0
        for parameter in parameters {
            let count = parameter.value.scalarCount
            parameter.assign(Tensor(shape: parameter.shape, scalars: Array(values[start..<(start + count)])))
            start += count
        }
    }

    /// The network's forward passes over a flat parameter vector (``flatParameters`` order), in `Double`.
    public struct Forward: Sendable {
        let attentionWidth: Int
        let hiddenWidth: Int
        let queryWeight: [Double], queryBias: [Double]
        let keyWeight: [Double], keyBias: [Double]
        let valueWeight: [Double], valueBias: Double
        let hiddenWeight: [Double], hiddenBias: [Double]
        let meanWeight: [Double], meanBias: Double
        let stepWeight: [Double], stepBias: Double

        /// The forward passes of `parameters` (``flatParameters`` order) for the given widths.
        public init(parameters: [Float], attentionWidth: Int, hiddenWidth: Int) {
            let f = LearnedEvolutionNetwork.featureCount
            let inputs = LearnedEvolutionNetwork.pathInputCount + LearnedEvolutionNetwork.timeScales.count
            var cursor = 0
            func take(_ count: Int) -> [Double] {
                defer { cursor += count }
                return parameters[cursor..<(cursor + count)].map(Double.init)
            }
            self.attentionWidth = attentionWidth
            self.hiddenWidth = hiddenWidth
            queryWeight = take(attentionWidth * f); queryBias = take(attentionWidth)
            keyWeight = take(attentionWidth * f); keyBias = take(attentionWidth)
            valueWeight = take(f); valueBias = take(1)[0]
            hiddenWeight = take(hiddenWidth * inputs); hiddenBias = take(hiddenWidth)
            meanWeight = take(hiddenWidth); meanBias = take(1)[0]
            stepWeight = take(hiddenWidth); stepBias = take(1)[0]
            precondition(cursor == parameters.count, "LearnedEvolutionNetwork.Forward: \(parameters.count) parameters for widths \(attentionWidth), \(hiddenWidth) (expected \(cursor))")
        }

        /// The number of parameters of a network with these widths.
        public static func parameterCount(attentionWidth: Int, hiddenWidth: Int) -> Int {
            let f = LearnedEvolutionNetwork.featureCount
            let inputs = LearnedEvolutionNetwork.pathInputCount + LearnedEvolutionNetwork.timeScales.count
            return 2 * attentionWidth * (f + 1) + f + 1 + hiddenWidth * (inputs + 1) + 2 * (hiddenWidth + 1)
        }

        /// The recombination weights `w = softmax(softmax(Q Kᵀ/√d_K) V)` of members with
        /// `features` `[N][featureCount]`; they sum to 1 and permute with the members.
        public func recombinationWeights(_ features: [[Double]]) -> [Double] {
            let count = features.count, width = attentionWidth, f = LearnedEvolutionNetwork.featureCount
            var queries = [Double](repeating: 0, count: count * width), keys = queries
            var values = [Double](repeating: valueBias, count: count)
            for i in 0..<count {
                for a in 0..<width {
                    var q = queryBias[a], k = keyBias[a]
                    for j in 0..<f {
                        q += queryWeight[a * f + j] * features[i][j]
                        k += keyWeight[a * f + j] * features[i][j]
                    }
                    queries[i * width + a] = q
                    keys[i * width + a] = k
                }
                for j in 0..<f { values[i] += valueWeight[j] * features[i][j] }
            }
            let scale = 1 / Double(width).squareRoot()
            var scores = [Double](repeating: 0, count: count), row = [Double](repeating: 0, count: count)
            for i in 0..<count {
                for k in 0..<count {
                    var dot = 0.0
                    for a in 0..<width { dot += queries[i * width + a] * keys[k * width + a] }
                    row[k] = dot * scale
                }
                let attention = softmax(row)
                for k in 0..<count { scores[i] += attention[k] * values[k] }
            }
            return softmax(scores)
        }

        /// The learning rates `(α_m, α_σ)` of one dimension from its `paths` (`p_c` at each
        /// timescale, then `p_σ`) and the generation embedding `time`.
        public func learningRates(paths: [Double], time: [Double]) -> (mean: Double, step: Double) {
            let inputs = paths.count + time.count
            var mean = meanBias, step = stepBias
            for h in 0..<hiddenWidth {
                var z = hiddenBias[h]
                let row = h * inputs
                for j in 0..<paths.count { z += hiddenWeight[row + j] * paths[j] }
                for j in 0..<time.count { z += hiddenWeight[row + paths.count + j] * time[j] }
                let activation = Swift.max(0, z)
                mean += meanWeight[h] * activation
                step += stepWeight[h] * activation
            }
            return (1 / (1 + exp(-mean)), 1 / (1 + exp(-step)))
        }
    }

    /// The forward passes at the current parameters.
    public var forward: Forward { Forward(parameters: flatParameters, attentionWidth: attentionWidth, hiddenWidth: hiddenWidth) }
}

/// `exp(x − max x) / Σ exp(x − max x)`.
func softmax(_ x: [Double]) -> [Double] {
    let largest = x.max() ?? 0
    let exps = x.map { exp($0 - largest) }
    let total = exps.reduce(0, +)
    return exps.map { $0 / total }
}
