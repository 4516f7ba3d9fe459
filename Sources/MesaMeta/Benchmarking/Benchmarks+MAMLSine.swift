import MesaCore
import MesaNN
import MesaOptim

extension Benchmarks {
    /// One MAML meta-step on Finn et al.'s sinusoids (the `maml-sine` reference workload):
    /// MLP 1-40-40-1 ReLU, 25 tasks of 10 support + 10 query points, 5 inner SGD steps at 0.01,
    /// Adam(1e-3) on the mean query MSE, task sampling included; one task at a time (`loop`) or
    /// all at once with per-task fast weights (`batched`), second or first order.
    func mamlSine(emit: (BenchmarkResult) -> Void) {
        for implementation in ["loop", "batched"] {
            for order in [DerivativeOrder.second, .first] where runs("\(implementation)-\(order.rawValue)") {
                var generator = RandomGenerator(seed: 0)
                let model = MLP(sizes: [1, 40, 40, 1], activation: .relu, using: &generator)
                let maml = MAML(model: model, loss: .meanSquaredError, innerLearningRate: 0.01, innerSteps: 5, order: order)
                let episodes = RegressionEpisodes(tasks: SinusoidTasks(), supportCount: 10, queryCount: 10)
                let optimizer = Adam(parameters: maml.metaParameters, learningRate: 1e-3)
                let samples = timeMilliseconds(warmup: 5, steps: quick ? 10 : 50) {
                    let tasks = episodes.sample(count: 25, using: &generator)
                    optimizer.clearGradients()
                    let loss = implementation == "loop" ? maml.metaLoss(on: tasks) : maml.metaLoss(on: EpisodeBatch(tasks))
                    loss.backward()
                    optimizer.step()
                }
                emit(BenchmarkResult(workload: "maml-sine", variant: "\(implementation)-\(order.rawValue)", samples: samples))
            }
        }
    }
}
