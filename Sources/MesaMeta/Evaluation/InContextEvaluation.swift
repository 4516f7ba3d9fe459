import Foundation
import MesaCore

/// `mesa eval`: the error of a meta-trained in-context learner against the number of examples in
/// its prompt, beside the baselines of its configuration, in distribution and under
/// out-of-distribution probes, written as CSV and SVG.
///
/// What is evaluated, and on which prompts, is the configuration's ``EvaluationConfiguration``
/// (`configuration.evaluation`: baselines, prompts, points per prompt, seed, probes). For each
/// probe (``EvaluationProbe/inDistribution``, then, when `evaluation.probes` is on, Garg et al.
/// 2022's ``EvaluationProbe/outOfDistribution(inputDimension:kind:)`` probes) every predictor
/// sees the same `promptCount` prompts of the held-out task distribution, drawn from
/// `evaluation.seed` in chunks of 256, and is scored prompt by prompt (``PromptScores``: the
/// normalised squared error or the accuracy after each number of examples). ``run(to:progress:)``
/// writes, into its folder:
///
/// - `curves.csv`: `probe,predictor,examples,metric,mean,standard_error`, one row per probe,
///   predictor and number of examples (``ErrorCurve``);
/// - `differences.csv` (with a learner and at least one baseline):
///   `probe,baseline,examples,metric,mean_difference,standard_error`, the learner minus each
///   baseline on the same prompts with its paired standard error
///   (``PromptScores/difference(from:)``); an earlier evaluation's file is removed otherwise;
/// - `curves-<probe>.svg`: the curves of each probe (``SVGChart``; a logarithmic axis for
///   regression, floored at 10⁻⁴ so that exact fits do not stretch it over 15 decades).
///
/// A linear self-attention learner with a fixed context (`learner.architecture` `"lsa"` with a
/// `contextCount`) is instead compared with as many steps of gradient descent as it has layers,
/// von Oswald et al. 2023's experiment (``GradientDescentComparison``), written as
/// `gradient-descent-comparison.json`.
///
/// ```swift
/// let evaluation = try InContextEvaluation(checkpoint: run.appendingPathComponent("checkpoint.safetensors"))
/// let report = try evaluation.run(to: run.appendingPathComponent("eval"))
/// print(report)   // the tables, one per probe
/// ```
public struct InContextEvaluation {
    /// The tasks, the baselines and the evaluation settings (`configuration.evaluation`).
    public var configuration: InContextTrainingConfiguration
    /// The trained learner, or `nil` to evaluate the baselines alone.
    public var learner: (any InContextLearner)?
    /// The training step of ``learner``, shown in its name (`"transformer (step 6000)"`).
    public var step: Int

    /// Prompts per chunk of the evaluation set (bounds the memory of one forward pass).
    static let chunkSize = 256

    /// An evaluation of `learner` (trained `step` steps under `configuration`), or of the
    /// baselines of `configuration` alone when `learner` is `nil`.
    public init(configuration: InContextTrainingConfiguration, learner: (any InContextLearner)? = nil, step: Int = 0) {
        self.configuration = configuration
        self.learner = learner
        self.step = step
    }

    /// An evaluation of the learner in a training checkpoint (``InContextTrainer/loadLearner(from:)``),
    /// under the configuration it was trained with.
    public init(checkpoint url: URL) throws {
        let (configuration, learner, step) = try InContextTrainer.loadLearner(from: url)
        self.init(configuration: configuration, learner: learner, step: step)
    }

    /// The number of points per prompt: `evaluation.pointCount`, else the training prompt length.
    public var pointCount: Int { configuration.evaluation.pointCount ?? configuration.training.pointCount }

    /// Evaluates and writes the files described above into `folder` (created if needed).
    ///
    /// - Parameter progress: called once per predictor and probe evaluated.
    /// - Returns: what was measured and written; its description is the printed report.
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for an unknown baseline, nothing
    ///   to evaluate, or prompts longer than the learner reads; the errors of building the task
    ///   distribution and of writing the files.
    public func run(to folder: URL, progress: (ProgressUpdate) -> Void = { _ in }) throws -> InContextEvaluationReport {
        let started = Date()
        let evaluation = configuration.evaluation
        let distribution = try configuration.task.makeDistribution().heldOutDistribution
        if let learner, configuration.learner.architecture == .lsa, let contextCount = configuration.learner.contextCount {
            return try compareWithGradientDescent(learner, contextCount: contextCount, distribution: distribution, to: folder, started: started)
        }
        var predictors: [any InContextPredictor] = learner.map { [NamedPredictor(name: "\(configuration.learner.architecture) (step \(step))", base: $0)] } ?? []
        for name in evaluation.baselines { predictors.append(try BaselineFactory.make(name, for: configuration.task)) }
        guard !predictors.isEmpty else { throw InContextError.invalidConfiguration("nothing to evaluate: no learner and no baselines") }
        let pointCount = self.pointCount
        if learner != nil, pointCount > configuration.learner.maximumPointCount {
            throw InContextError.invalidConfiguration(
                "prompts of \(pointCount) points exceed the learner's maximum prompt length \(configuration.learner.maximumPointCount)")
        }
        let promptCount = evaluation.promptCount
        let probes = [EvaluationProbe.inDistribution]
            + (evaluation.probes ? EvaluationProbe.outOfDistribution(inputDimension: distribution.inputDimension, kind: distribution.kind) : [])
        try OutputFile.prepareFolder(folder, contents: "the evaluation")

        var csv = "probe,predictor,examples,metric,mean,standard_error\n"
        var pairedCSV = "probe,baseline,examples,metric,mean_difference,standard_error\n"
        var results: [InContextEvaluationReport.Probe] = []
        progress(ProgressUpdate(completed: 0, total: probes.count * predictors.count))
        for (probeIndex, probe) in probes.enumerated() {
            var generator = RandomGenerator(seed: evaluation.seed)
            let batches = stride(from: 0, to: promptCount, by: Self.chunkSize).map { start in
                distribution.sample(batchSize: min(Self.chunkSize, promptCount - start), pointCount: pointCount, options: probe.options, using: &generator)
            }
            var scores: [PromptScores] = []
            for (index, predictor) in predictors.enumerated() {
                scores.append(PromptScores.measure(predictor, on: batches))
                progress(ProgressUpdate(completed: probeIndex * predictors.count + index + 1, total: probes.count * predictors.count))
            }
            let curves = scores.map { $0.curve() }
            for curve in curves {
                for point in curve.points {
                    csv += "\(probe.name),\(curve.predictor),\(point.examples),\(curve.metric),\(point.mean),\(point.standardError)\n"
                }
            }
            var differences: [ErrorCurve] = []
            if learner != nil, let learnerScores = scores.first, scores.count > 1 {
                // The learner against each baseline on the same prompts: paired differences.
                differences = try scores.dropFirst().map { try learnerScores.difference(from: $0) }
                for (baseline, difference) in zip(scores.dropFirst(), differences) {
                    for point in difference.points {
                        pairedCSV += "\(probe.name),\(baseline.predictor),\(point.examples),\(difference.metric),\(point.mean),\(point.standardError)\n"
                    }
                }
            }
            let plotURL = folder.appendingPathComponent("curves-\(Self.slug(probe.name)).svg")
            try SVGChart.lines(title: "\(distribution.name): \(probe.name)", xLabel: "in-context examples", yLabel: curves.first?.metric ?? "",
                               series: curves.map { curve in
                                   // Exact fits (≈ 1e-15) would stretch a log axis over 15 decades: floor at 1e-4.
                                   SVGChart.Series(name: curve.predictor, points: curve.points.map {
                                       (Double($0.examples), distribution.kind.isClassification ? $0.mean : max($0.mean, 1e-4))
                                   })
                               }, logarithmicY: !distribution.kind.isClassification)
                .write(to: plotURL)
            results.append(InContextEvaluationReport.Probe(name: probe.name, curves: curves, differences: differences,
                                                           baselines: scores.dropFirst().map(\.predictor), plotURL: plotURL))
        }
        let curvesURL = folder.appendingPathComponent("curves.csv")
        try OutputFile(curvesURL, contents: "the evaluation curves").write(csv)
        let pairedURL = folder.appendingPathComponent("differences.csv")
        var differencesURL: URL?
        if learner != nil, predictors.count > 1 {
            try OutputFile(pairedURL, contents: "the paired differences").write(pairedCSV)
            differencesURL = pairedURL
        } else if FileManager.default.fileExists(atPath: pairedURL.path) {
            try FileManager.default.removeItem(at: pairedURL)   // a stale comparison from an earlier evaluation
        }
        return InContextEvaluationReport(taskName: distribution.name, predictors: predictors.map(\.name), promptCount: promptCount,
                                         pointCount: pointCount, folder: folder, probes: results, gradientDescent: nil,
                                         curvesURL: curvesURL, differencesURL: differencesURL, seconds: Date().timeIntervalSince(started))
    }

    /// von Oswald et al.'s comparison for a linear-self-attention learner with a fixed context:
    /// its ½·MSE on one query per task beside `L` steps of gradient descent at a tuned learning
    /// rate (`L` = its layer count) and the zero predictor, written as JSON.
    private func compareWithGradientDescent(_ learner: any InContextLearner, contextCount: Int, distribution: any TaskDistribution,
                                            to folder: URL, started: Date) throws -> InContextEvaluationReport {
        let steps = configuration.learner.layerCount
        let comparison = try GradientDescentComparison(tasks: distribution, contextCount: contextCount, stepCount: steps,
                                                       evaluationTaskCount: configuration.evaluation.promptCount,
                                                       seed: configuration.evaluation.seed)
        let result = comparison.run(learner: learner)
        try OutputFile.prepareFolder(folder, contents: "the gradient-descent comparison")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let url = folder.appendingPathComponent("gradient-descent-comparison.json")
        try OutputFile(url, contents: "the gradient-descent comparison").write(try encoder.encode(result))
        let gradientDescent = InContextEvaluationReport.GradientDescent(contextCount: contextCount, stepCount: steps,
                                                                        taskCount: comparison.evaluationSet.batchSize, result: result, url: url)
        return InContextEvaluationReport(taskName: distribution.name, predictors: [learner.name], promptCount: comparison.evaluationSet.batchSize,
                                         pointCount: contextCount + 1, folder: folder, probes: [], gradientDescent: gradientDescent,
                                         curvesURL: nil, differencesURL: nil, seconds: Date().timeIntervalSince(started))
    }

    /// A file-name-safe version of `text`: lowercase letters and digits, anything else `-`.
    static func slug(_ text: String) -> String {
        String(text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }
}
