import MesaCore
import MesaNN

/// Dai et al. 2023's comparison of in-context learning with explicit fine-tuning ("Why Can GPT
/// Learn In-Context? Language Models Secretly Perform Gradient Descent as Meta-Optimizers", §4–5),
/// on a trained softmax ``TransformerLearner`` and held-out tasks of its distribution.
///
/// Each held-out prompt has `k` demonstrations followed by a *query part* of `q` points whose last
/// point is the query (`q = 1`: the query alone, the paper's zero-shot input; `q > 1` adds `q − 1`
/// labelled points that every setting sees, so that attention to the query part has more than one
/// key). Three settings predict the query:
///
/// - **ICL**: the whole prompt (demonstrations, then the query part);
/// - **ZSL**: the query part alone;
/// - **FT**: the query part alone, after one epoch of SGD (learning rate `η`, batch size 1, the
///   demonstrations in prompt order) on the key and value projections of every attention layer
///   (``TransformerLearner/fineTuneKeysAndValues(on:learningRate:)``), each training example being
///   the query part's `q − 1` labelled points followed by one demonstration, scored at that
///   demonstration. The weights are restored after every task.
///
/// Measures (``DualFormComparisonResult``), with two baselines: **FT-other**, fine-tuning on the
/// demonstrations of *another* task (is the agreement specific to the demonstrations?), and a
/// **random** direction `r ~ N(0, I)` in place of FT's change (Dai et al.'s random baseline):
///
/// - `Rec2FTP`: of the queries that FT turns from wrong (ZSL) to right, the share ICL gets right;
///   for regression "right" reads "squared error below ZSL's".
/// - output-change similarity: the mean cosine of `ŷ_ICL − ŷ_ZSL` and `ŷ_FT − ŷ_ZSL` (logit
///   vectors; for a regression value the sign agreement, `+1` or `−1`).
/// - `SimAOU` per layer: the mean cosine of `a_ICL − a_ZSL` and `a_FT − a_ZSL`, `a` the attention
///   sublayer's output at the query token.
/// - `SimAM` per layer: the mean over heads and tasks of the cosine between the query token's
///   attention weights on the query part's tokens in ICL and in FT; the baseline is ICL against
///   ZSL. Undefined (NaN) for `q = 1`, where the query part is a single visible token.
/// - the dual form of the trained softmax layers (§3): the cosine and relative distance between
///   the relaxed linear-attention output `Σᵢ vᵢ kᵢᵀ q` and the true softmax head output (baseline:
///   the cosine of uniform attention `Σᵢ vᵢ / n` with the softmax output), and the
///   largest deviation of `(W_ZSL + ΔW) q` from the relaxed output (the identity, float rounding).
///
/// ```swift
/// let comparison = try DualFormComparison(taskCount: 256, demonstrationCount: 19, learningRate: 0.01)
/// let result = try comparison.run(on: learner, tasks: distribution)
/// print(result.markdown)
/// ```
public struct DualFormComparison: Sendable {
    /// Held-out tasks.
    public var taskCount: Int
    /// Demonstrations `k` before the query part.
    public var demonstrationCount: Int
    /// Points `q ≥ 1` of the query part (the last one is the query).
    public var queryPointCount: Int
    /// The fine-tuning learning rate `η`.
    public var learningRate: Float
    /// Seeds the held-out tasks and the random baseline.
    public var seed: UInt64

    /// Checks and stores the settings.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for a non-positive task,
    ///   demonstration or query-part count, or a negative or non-finite learning rate.
    public init(taskCount: Int = 256, demonstrationCount: Int, queryPointCount: Int = 1, learningRate: Float = 0.01, seed: UInt64 = 0) throws {
        guard taskCount > 1 else { throw InContextError.invalidConfiguration("dual-form comparison: the task count must be at least 2 (the FT-other baseline pairs tasks), got \(taskCount)") }
        guard demonstrationCount > 0 else { throw InContextError.invalidConfiguration("dual-form comparison: the demonstration count must be positive, got \(demonstrationCount)") }
        guard queryPointCount > 0 else { throw InContextError.invalidConfiguration("dual-form comparison: the query part needs at least 1 point, got \(queryPointCount)") }
        guard learningRate >= 0, learningRate.isFinite else {
            throw InContextError.invalidConfiguration("dual-form comparison: the learning rate must be finite and ≥ 0, got \(learningRate)")
        }
        self.taskCount = taskCount
        self.demonstrationCount = demonstrationCount
        self.queryPointCount = queryPointCount
        self.learningRate = learningRate
        self.seed = seed
    }

    /// Runs the comparison on `learner` with held-out prompts of `tasks`.
    ///
    /// - Parameter progress: called after each task's two fine-tunings.
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` when the learner does not use the
    ///   interleaved encoding; ``InContextError/incompatibleBatch(_:)`` when the prompts do not fit
    ///   it (kind, dimension, `k + q` above its maximum length).
    public func run(on learner: TransformerLearner, tasks: any TaskDistribution, progress: (ProgressUpdate) -> Void = { _ in }) throws -> DualFormComparisonResult {
        guard learner.encoding == .interleaved else {
            throw InContextError.invalidConfiguration("dual-form comparison: needs a Transformer with the interleaved encoding (x, y tokens), this one uses \(learner.encoding)")
        }
        let (k, q, n) = (demonstrationCount, queryPointCount, taskCount)
        var generator = RandomGenerator(seed: seed)
        let prompts = tasks.heldOutDistribution.sample(batchSize: n, pointCount: k + q, using: &generator)
        try learner.validate(prompts)
        let queryParts = Self.points(of: prompts, tasks: 0..<n, from: k, to: k + q)
        let inContext = learner.attentionTrace(for: prompts, demonstrationTokenCount: 2 * k)
        let zeroShot = learner.attentionTrace(for: queryParts, demonstrationTokenCount: 0)

        let saved = learner.keyValueParameters.map { Tensor(shape: $0.shape, scalars: $0.value.scalars) }
        var fineTuned: [TransformerLearner.AttentionTrace] = [], otherTuned: [TransformerLearner.AttentionTrace] = []
        progress(ProgressUpdate(completed: 0, total: n))
        for task in 0..<n {
            let query = Self.points(of: prompts, tasks: task..<(task + 1), from: k, to: k + q)
            for (source, traces) in [(task, 0), ((task + 1) % n, 1)] {
                let examples = (0..<k).map { i in
                    Self.joined(Self.points(of: prompts, tasks: task..<(task + 1), from: k, to: k + q - 1),
                                Self.points(of: prompts, tasks: source..<(source + 1), from: i, to: i + 1))
                }
                learner.fineTuneKeysAndValues(on: examples, learningRate: learningRate)
                let trace = learner.attentionTrace(for: query, demonstrationTokenCount: 0)
                if traces == 0 { fineTuned.append(trace) } else { otherTuned.append(trace) }
                zip(learner.keyValueParameters, saved).forEach { $0.assign($1) }
            }
            progress(ProgressUpdate(completed: task + 1, total: n))
        }
        return DualFormComparisonResult(comparison: self, kind: learner.kind, targets: queryParts.targets, inContext: inContext,
                                        zeroShot: zeroShot, fineTuned: Self.stacked(fineTuned), otherTuned: Self.stacked(otherTuned),
                                        using: &generator)
    }

    /// Points `start..<end` of the prompts `tasks` of `batch`.
    static func points(of batch: TaskBatch, tasks: Range<Int>, from start: Int, to end: Int) -> TaskBatch {
        let inputs = batch.inputs.slice(alongAxis: 0, from: tasks.lowerBound, to: tasks.upperBound).slice(alongAxis: 1, from: start, to: end)
        let targets = batch.targets.slice(alongAxis: 0, from: tasks.lowerBound, to: tasks.upperBound).slice(alongAxis: 1, from: start, to: end)
        return TaskBatch(inputs: inputs, targets: targets, kind: batch.kind, activeDimensions: batch.activeDimensions)
    }

    /// The points of `first` followed by those of `second` (same tasks).
    static func joined(_ first: TaskBatch, _ second: TaskBatch) -> TaskBatch {
        guard first.pointCount > 0 else { return second }
        return TaskBatch(inputs: Tensor.concatenate([first.inputs, second.inputs], alongAxis: 1),
                         targets: Tensor.concatenate([first.targets, second.targets], alongAxis: 1),
                         kind: first.kind, activeDimensions: first.activeDimensions)
    }

    /// One-prompt traces stacked into one trace of all prompts (prompt axis first).
    static func stacked(_ traces: [TransformerLearner.AttentionTrace]) -> TransformerLearner.AttentionTrace {
        let first = traces[0]
        func layers(_ path: KeyPath<TransformerLearner.AttentionTrace, [Tensor]>) -> [Tensor] {
            first[keyPath: path].indices.map { layer in Tensor.concatenate(traces.map { $0[keyPath: path][layer] }, alongAxis: 0) }
        }
        return TransformerLearner.AttentionTrace(queryPosition: first.queryPosition, outputs: layers(\.outputs), weights: layers(\.weights),
                                                 headOutputs: layers(\.headOutputs), relaxedOutputs: layers(\.relaxedOutputs), uniformOutputs: layers(\.uniformOutputs),
                                                 dualFormOutputs: layers(\.dualFormOutputs),
                                                 prediction: Tensor.concatenate(traces.map(\.prediction), alongAxis: 0))
    }
}
