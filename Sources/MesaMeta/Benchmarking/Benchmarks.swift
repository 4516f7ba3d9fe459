import Foundation
import MesaCore
import MesaNN
import MesaOptim

/// The reference workloads of `shared/bench/README.md`, built from Mesa's public API exactly as
/// a user would write them; `mesa bench` runs them and `../shared/bench/compare.py` puts them
/// beside PyTorch's.
///
/// ```swift
/// Benchmarks(variant: "n512").run(.matmul) { print($0.jsonLine) }
/// ```
public struct Benchmarks: Sendable {
    /// When set, only the variant of this name runs.
    public var variant: String?
    /// Fewer repetitions, for a smoke run.
    public var quick: Bool

    /// Benchmarks of `variant` (all when `nil`), shortened when `quick`.
    public init(variant: String? = nil, quick: Bool = false) {
        self.variant = variant
        self.quick = quick
    }

    /// Runs `workload`, reporting each variant's timings to `emit`.
    public func run(_ workload: BenchmarkWorkload, emit: (BenchmarkResult) -> Void) {
        switch workload {
        case .matmul: matmul(emit: emit)
        case .encoderTrain: encoderTrain(large: false, emit: emit)
        case .encoderTrainLarge: encoderTrain(large: true, emit: emit)
        case .encoderInfer: encoderInfer(emit: emit)
        case .inContextLinearTrain: inContextLinearTrain(emit: emit)
        case .mamlSine: mamlSine(emit: emit)
        }
    }

    /// Whether the variant named `name` should run.
    func runs(_ name: String) -> Bool { variant.map { $0 == name } ?? true }

    /// Wall-clock timing in milliseconds, as the reference's `time_ms`: `warmup` untimed calls,
    /// then `steps` timed ones.
    func timeMilliseconds(warmup: Int, steps: Int, _ body: () -> Void) -> [Double] {
        for _ in 0..<warmup { body() }
        return (0..<steps).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        }
    }

    /// One n×n by n×n product through the tensor API, for n in 64…1024.
    func matmul(emit: (BenchmarkResult) -> Void) {
        var generator = RandomGenerator(seed: 0)
        for n in [64, 128, 256, 512, 1024] where runs("n\(n)") {
            let x = Tensor.randomNormal([n, n], using: &generator), y = Tensor.randomNormal([n, n], using: &generator)
            let repetitions = max(1, Int(2e8 / (2 * pow(Double(n), 3))))
            let samples = timeMilliseconds(warmup: 2, steps: quick ? 3 : 7) {
                for _ in 0..<repetitions { _ = x.matmul(y) }
            }.map { $0 / Double(repetitions) }
            var result = BenchmarkResult(workload: "matmul", variant: "n\(n)", samples: samples)
            result.extra["gflops"] = 2 * pow(Double(n), 3) / (result.median * 1e6)
            emit(result)
        }
    }
}

extension Benchmarks {
    /// The reference's `Encoder`: Linear(21→d) plus learned positions over 101 tokens, a post-LN
    /// ReLU Transformer encoder without mask or dropout, and Linear(d→1) read at the last token.
    final class ReferenceEncoder: Layer {
        let embedding: Linear
        let positions: Parameter
        let encoder: TransformerEncoder
        let head: Linear

        init(inputSize: Int, modelSize: Int, layerCount: Int, headCount: Int, feedForwardSize: Int, sequenceLength: Int,
             using generator: inout RandomGenerator) {
            embedding = Linear(inputSize: inputSize, outputSize: modelSize, using: &generator)
            positions = Parameter(Tensor.zeros([1, sequenceLength, modelSize]))
            encoder = TransformerEncoder(layerCount: layerCount, modelSize: modelSize, headCount: headCount,
                                         feedForwardSize: feedForwardSize, activation: .relu, placement: .post, using: &generator)
            head = Linear(inputSize: modelSize, outputSize: 1, using: &generator)
        }

        /// `[batch, sequence, inputSize]` → `[batch]`.
        func callAsFunction(_ input: Tensor) -> Tensor {
            // Only the last position feeds the head: in inference the final layer computes that row alone.
            let last = encoder(embedding(input) + positions.value, lastPositions: 1).squeezed(at: 1)   // [batch, d]
            return head(last).squeezed(at: 1)                                         // [batch]
        }
    }

    /// One Adam training step (zero gradients, forward, MSE backward, update) on batch 64.
    func encoderTrain(large: Bool, emit: (BenchmarkResult) -> Void) {
        let (d, layers, heads, ffn) = large ? (256, 8, 8, 1024) : (128, 4, 4, 512)
        var generator = RandomGenerator(seed: 0)
        let model = ReferenceEncoder(inputSize: 21, modelSize: d, layerCount: layers, headCount: heads, feedForwardSize: ffn,
                                     sequenceLength: 101, using: &generator)
        let optimizer = Adam(parameters: model.parameters, learningRate: 1e-4)
        let x = Tensor.randomNormal([64, 101, 21], using: &generator), y = Tensor.randomNormal([64], using: &generator)
        let steps = quick ? 10 : (large ? 20 : 50)
        let samples = timeMilliseconds(warmup: large ? 5 : 10, steps: steps) {
            optimizer.clearGradients()
            Tensor.meanSquaredError(model(x), y).backward()
            optimizer.step()
        }
        var result = BenchmarkResult(workload: large ? "encoder-train-large" : "encoder-train", variant: "d\(d)-L\(layers)-B64", samples: samples)
        result.extra["params"] = Double(model.parameterCount)
        emit(result)
    }

    /// One inference forward pass of the `encoder-train` model at batch 1 and 64.
    func encoderInfer(emit: (BenchmarkResult) -> Void) {
        var generator = RandomGenerator(seed: 0)
        let model = ReferenceEncoder(inputSize: 21, modelSize: 128, layerCount: 4, headCount: 4, feedForwardSize: 512,
                                     sequenceLength: 101, using: &generator)
        for batch in [1, 64] where runs("B\(batch)") {
            let x = Tensor.randomNormal([batch, 101, 21], using: &generator)
            let samples = timeMilliseconds(warmup: 10, steps: quick ? 10 : 50) { _ = withoutGradients { model(x) } }
            emit(BenchmarkResult(workload: "encoder-infer", variant: "B\(batch)", samples: samples))
        }
    }
}

extension Benchmarks {
    /// Garg et al.'s in-context linear regression training step, sampling included: d = 20,
    /// 40 interleaved points, batch 64, a 4-layer width-128 pre-LN causal Transformer learner
    /// (4 heads, GELU MLP 512, final LayerNorm), MSE at every x token, Adam (1e-4).
    /// Built from the library's own sampler and ``TransformerLearner``, as `mesa train` runs it.
    func inContextLinearTrain(emit: (BenchmarkResult) -> Void) {
        var generator = RandomGenerator(seed: 0)
        let tasks = try! LinearRegressionTasks(inputDimension: 20)
        let learner = TransformerLearner(inputDimension: 20, kind: .regression, encoding: .interleaved, maximumPointCount: 40,
                                         modelSize: 128, layerCount: 4, headCount: 4, feedForwardSize: 512, using: &generator)
        let optimizer = Adam(parameters: learner.parameters, learningRate: 1e-4)
        let samples = timeMilliseconds(warmup: 10, steps: quick ? 10 : 50) {
            let batch = tasks.sample(batchSize: 64, pointCount: 40, using: &generator)
            optimizer.clearGradients()
            learner.loss(on: batch).backward()
            optimizer.step()
        }
        var result = BenchmarkResult(workload: "icl-linear-train", variant: "d20-n40-B64", samples: samples)
        result.extra["params"] = Double(learner.parameterCount)
        emit(result)
    }
}
