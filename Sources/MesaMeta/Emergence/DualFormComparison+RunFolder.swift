import Foundation
import MesaCore

extension DualFormComparison {
    /// Measures the dual form of a trained run (`mesa experiment dual-form --run FOLDER`) and writes
    /// `dual-form.csv` and `dual-form.md` into `folder` (which must exist); returns the Markdown.
    ///
    /// - a softmax ``TransformerLearner``: the full ``DualFormComparison`` on held-out tasks of the
    ///   run's own distribution, with `demonstrationCount` (default: the run's training prompt
    ///   length minus the query part) demonstrations;
    /// - a ``LinearSelfAttentionLearner``: the dual-form identity on its trained weights
    ///   (``LinearSelfAttentionLearner/dualFormDeviation(on:)``) over `taskCount` held-out prompts
    ///   of the run's training length.
    ///
    /// - Throws: ``InContextError`` for another learner, settings that do not fit the run or a
    ///   checkpoint that cannot be read; ``OutputFileError`` when writing fails.
    public static func measure(runFolder: URL, taskCount: Int, demonstrationCount: Int?, queryPointCount: Int, learningRate: Float,
                               seed: UInt64 = 0, to folder: URL, progress: (ProgressUpdate) -> Void = { _ in }) throws -> String {
        let (configuration, learner, step) = try InContextTrainer.loadLearner(from: runFolder.appendingPathComponent("checkpoint.safetensors"))
        let distribution = try configuration.task.makeDistribution()
        let pointCount = configuration.training.pointCount
        let title = "# Dual form of \(runFolder.lastPathComponent) (\(configuration.learner.architecture), step \(step))\n\n"
        let csv: String, markdown: String
        switch learner {
        case let transformer as TransformerLearner:
            let comparison = try DualFormComparison(taskCount: taskCount, demonstrationCount: demonstrationCount ?? max(pointCount - queryPointCount, 1),
                                                    queryPointCount: queryPointCount, learningRate: learningRate, seed: seed)
            let result = try comparison.run(on: transformer, tasks: distribution, progress: progress)
            (csv, markdown) = (result.csv, title + result.markdown)
        case let linear as LinearSelfAttentionLearner:
            guard taskCount > 0 else { throw InContextError.invalidConfiguration("dual-form identity: the task count must be positive, got \(taskCount)") }
            var generator = RandomGenerator(seed: seed)
            let prompts = distribution.heldOutDistribution.sample(batchSize: taskCount, pointCount: pointCount, using: &generator)
            try linear.validate(prompts)
            let deviation = linear.dualFormDeviation(on: prompts)
            csv = "measure,layer,value\ndual_form_identity_error,,\(String(format: "%.3e", deviation))\n"
            markdown = title + "Linear self-attention, \(linear.layers.count) layer(s), \(taskCount) held-out prompts of \(pointCount) points: "
                + "largest |layer update − ΔW q| / (1 + |ΔW q|) = \(String(format: "%.1e", deviation))\n"
        default:
            throw InContextError.invalidConfiguration("dual-form: \(runFolder.path) holds a \(configuration.learner.architecture) learner; the measurement needs a Transformer (softmax attention) or linear self-attention")
        }
        try OutputFile(folder.appendingPathComponent("dual-form.csv"), contents: "the dual-form measures").write(csv)
        try OutputFile(folder.appendingPathComponent("dual-form.md"), contents: "the dual-form report").write(markdown)
        return markdown
    }
}
