import MesaCore
import MesaNN
import MesaOptim

/// A two-layer ReLU network trained from scratch on every prefix by Adam: Garg et al. 2022's
/// baseline for in-context learning of two-layer ReLU network tasks (a model of the tasks' own
/// architecture, fitted to the prompt by gradient descent).
///
/// For each prefix length `i ≥ 1` and each prompt, a fresh network
/// `f(x) = W₂ᵀ relu(W₁ᵀ x + b₁) + b₂` (`W₁` `[d, hiddenSize]`, `W₂` `[hiddenSize, 1]`) takes
/// ``steps`` full-batch Adam steps (PyTorch's defaults apart from the learning rate) on the mean
/// squared error over the pairs `0..<i`, then predicts `ŷᵢ = f(xᵢ)`. Every prefix starts from the
/// same initialisation, drawn from ``seed`` as PyTorch's `nn.Linear` does (`U(±1/√fan_in)`), so
/// predictions are deterministic and causal.
///
/// All prompts of the batch train at once, each with its own weights, through batched products
/// (`[batch, i, d] × [batch, d, hiddenSize]`); the loss is the sum over prompts of each prompt's
/// mean squared error, so each prompt's gradient (and, Adam being elementwise, its update) is the
/// one it would get alone.
///
/// Cost: about `5 · batch · i · d · hiddenSize` flops per step and prefix, so about
/// `2.5 · steps · batch · points² · d · hiddenSize` in all: some 95 GFLOP for 64 prompts × 40
/// points, `d = 20`, hidden size 100 and the default 200 steps. Measured in a release build on a
/// busy 2-core machine: 6 s with `Parallelism.threadCount = 1`, and about seven times longer with
/// 2 threads there (each of the many small kernels waits on the worker pool when other processes
/// hold the cores; on an idle machine the threads should help). Debug builds are much slower.
/// Scale ``steps`` to your budget.
///
/// Regression batches only; `[batch, points]` out, 0 at `i = 0`.
public struct TrainedNetworkPredictor: InContextPredictor {
    /// The width of the hidden layer.
    public let hiddenSize: Int
    /// The Adam steps per prefix.
    public let steps: Int
    /// Adam's learning rate.
    public let learningRate: Float
    /// The seed of the initial weights.
    public let seed: UInt64

    public var name: String { "2-layer ReLU network (\(hiddenSize) hidden, \(steps) Adam steps)" }

    /// Creates the predictor.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` unless `hiddenSize ≥ 1`, `steps ≥ 1`
    ///   and `learningRate` is positive and finite.
    public init(hiddenSize: Int = 100, steps: Int = 200, learningRate: Float = 1e-2, seed: UInt64 = 0) throws {
        guard hiddenSize >= 1, steps >= 1 else {
            throw InContextError.invalidConfiguration("trained network: needs hiddenSize ≥ 1 and steps ≥ 1, got \(hiddenSize) and \(steps)")
        }
        guard learningRate > 0, learningRate.isFinite else {
            throw InContextError.invalidConfiguration("trained network: learningRate must be positive and finite, got \(learningRate)")
        }
        self.hiddenSize = hiddenSize
        self.steps = steps
        self.learningRate = learningRate
        self.seed = seed
    }

    public func predictions(for batch: TaskBatch) -> Tensor {
        batch.requireRegression(by: "TrainedNetworkPredictor")
        let (tasks, points, d, h) = (batch.batchSize, batch.pointCount, batch.inputDimension, hiddenSize)
        guard points > 0 else { return Tensor.zeros([tasks, 0]) }
        var generator = RandomGenerator(seed: seed)
        let inputBound = 1 / Float(Swift.max(d, 1)).squareRoot(), hiddenBound = 1 / Float(h).squareRoot()
        let initial = [
            Tensor.randomUniform([tasks, d, h], low: -inputBound, high: inputBound, using: &generator),
            Tensor.randomUniform([tasks, 1, h], low: -inputBound, high: inputBound, using: &generator),
            Tensor.randomUniform([tasks, h, 1], low: -hiddenBound, high: hiddenBound, using: &generator),
            Tensor.randomUniform([tasks, 1, 1], low: -hiddenBound, high: hiddenBound, using: &generator),
        ]
        let inputs = batch.inputs.detached(), targets = batch.targets.detached()
        var columns = [Tensor.zeros([tasks, 1])]                              // prediction 0 at i = 0
        for i in 1..<points {
            let x = inputs.slice(alongAxis: 1, from: 0, to: i)                 // [batch, i, d]
            let y = targets.slice(alongAxis: 1, from: 0, to: i)                // [batch, i]
            let parameters = initial.map(Parameter.init)
            let network = { (input: Tensor) -> Tensor in                       // [batch, n, d] → [batch, n]
                let hidden = (input.matmul(parameters[0].value) + parameters[1].value).relu()
                return (hidden.matmul(parameters[2].value) + parameters[3].value).squeezed(at: 2)
            }
            let optimizer = Adam(parameters: parameters, learningRate: learningRate)
            withGradients {
                for _ in 0..<steps {
                    // Σ over prompts of each prompt's mean squared error: prompts stay independent.
                    let loss = Tensor.meanSquaredError(network(x), y) * Float(tasks)
                    loss.backward()
                    optimizer.step()
                    optimizer.clearGradients()
                }
            }
            columns.append(withoutGradients { network(inputs.slice(alongAxis: 1, from: i, to: i + 1)) })   // [batch, 1]
        }
        return Tensor.concatenate(columns, alongAxis: 1).detached()
    }
}
