import ArgumentParser
import Foundation
import Mesa

/// `mesa eval`: error-versus-examples curves of a meta-trained learner beside the baselines of
/// its configuration, in distribution and under the out-of-distribution probes, as CSV and SVG.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Error versus number of in-context examples for a trained learner and baselines (CSV + SVG).",
        discussion: "With --run, evaluates the learner of that run folder and also writes differences.csv: the learner minus each baseline on the same prompts, with paired standard errors. With --preset/--config alone, only the baselines."
    )

    @Option(name: .customLong("run"), help: "A run folder written by `mesa train` (its checkpoint.safetensors is evaluated).") var runFolder: String?
    @Option(help: "A preset, to evaluate baselines only.") var preset: String?
    @Option(help: "A configuration file, to evaluate baselines only.") var config: String?
    @Option(help: "Where to write curves.csv and the plots (default: <run>/eval or runs/<name>/eval).") var output: String?
    @Option(help: "Baselines, comma-separated (default: the configuration's evaluation.baselines).") var baselines: String?
    @Option(help: "Evaluation prompts (default: the configuration's evaluation.promptCount).") var prompts: Int?
    @Option(help: "Points per prompt (default: the configuration's).") var points: Int?
    @Option(help: "Seed of the evaluation prompts (default: the configuration's evaluation.seed); another seed draws an independent set.") var seed: UInt64?
    @Flag(help: "Skip the out-of-distribution probes.") var noProbes = false
    @Option(help: "Threads for tensor kernels.") var threads = 2

    func validate() throws {
        let sources = [runFolder, preset, config].compactMap { $0 }.count
        guard sources == 1 else { throw ValidationError("give exactly one of --run FOLDER, --preset NAME or --config FILE") }
        if let prompts, prompts <= 0 { throw ValidationError("--prompts must be positive") }
        if let points, points <= 0 { throw ValidationError("--points must be positive") }
    }

    func run() throws {
        Parallelism.threadCount = threads
        var configuration: InContextTrainingConfiguration
        var predictors: [any InContextPredictor] = []
        var folder: String
        if let run = runFolder {
            let (loaded, learner, step) = try InContextTrainer.loadLearner(from: URL(fileURLWithPath: run).appendingPathComponent("checkpoint.safetensors"))
            configuration = loaded
            predictors.append(NamedPredictor(name: "\(loaded.learner.architecture) (step \(step))", base: learner))
            folder = output ?? "\(run)/eval"
        } else {
            configuration = try Presets.load(preset: preset, file: config)
            folder = output ?? "runs/\(configuration.name)/eval"
        }
        if let seed { configuration.evaluation.seed = seed }
        let distribution = try configuration.task.makeDistribution().heldOutDistribution
        if let lsa = predictors.first.flatMap({ ($0 as? NamedPredictor)?.base as? LinearSelfAttentionLearner }), let contextCount = lsa.contextCount {
            try compareWithGradientDescent(lsa, contextCount: contextCount, distribution: distribution, configuration: configuration, folder: folder)
            return
        }
        let names = baselines.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            ?? configuration.evaluation.baselines
        for name in names { predictors.append(try BaselineFactory.make(name, for: configuration.task)) }
        guard !predictors.isEmpty else { throw ValidationErrorMessage("nothing to evaluate: no learner and no baselines") }
        let pointCount = points ?? configuration.evaluation.pointCount ?? configuration.training.pointCount
        if runFolder != nil, pointCount > configuration.learner.maximumPointCount {
            throw ValidationErrorMessage("--points \(pointCount) exceeds the learner's maximum prompt length \(configuration.learner.maximumPointCount)")
        }
        let promptCount = prompts ?? configuration.evaluation.promptCount
        let probes = [EvaluationProbe.inDistribution]
            + (noProbes || !configuration.evaluation.probes ? [] : EvaluationProbe.outOfDistribution(inputDimension: distribution.inputDimension, kind: distribution.kind))

        let directory = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        print("mesa eval: \(distribution.name); \(predictors.map(\.name).joined(separator: ", ")); \(promptCount) prompts of \(pointCount) points → \(folder)")
        var csv = "probe,predictor,examples,metric,mean,standard_error\n"
        var pairedCSV = "probe,baseline,examples,metric,mean_difference,standard_error\n"
        let started = Date()
        var progress = ProgressBar(total: probes.count * predictors.count, label: "eval")
        for (probeIndex, probe) in probes.enumerated() {
            var generator = RandomGenerator(seed: configuration.evaluation.seed)
            let batches = stride(from: 0, to: promptCount, by: 256).map { start in
                distribution.sample(batchSize: min(256, promptCount - start), pointCount: pointCount, options: probe.options, using: &generator)
            }
            var scores: [PromptScores] = []
            for (index, predictor) in predictors.enumerated() {
                scores.append(PromptScores.measure(predictor, on: batches))
                progress.update(completed: probeIndex * predictors.count + index + 1)
            }
            let curves = scores.map { $0.curve() }
            for curve in curves {
                for point in curve.points {
                    csv += "\(probe.name),\(curve.predictor),\(point.examples),\(curve.metric),\(point.mean),\(point.standardError)\n"
                }
            }
            if runFolder != nil, let learner = scores.first, scores.count > 1 {
                // The learner against each baseline on the same prompts: paired differences.
                let differences = try scores.dropFirst().map { try learner.difference(from: $0) }
                for (baseline, difference) in zip(scores.dropFirst(), differences) {
                    for point in difference.points {
                        pairedCSV += "\(probe.name),\(baseline.predictor),\(point.examples),\(difference.metric),\(point.mean),\(point.standardError)\n"
                    }
                }
                print(Self.pairedTable(differences, baselines: scores.dropFirst().map(\.predictor), title: "\(probe.name): learner − baseline on the same prompts (mean ± paired standard error)"))
            }
            let plot = SVGChart.lines(title: "\(distribution.name): \(probe.name)", xLabel: "in-context examples",
                                yLabel: curves.first?.metric ?? "", series: curves.map { curve in
                                    // Exact fits (≈ 1e-15) would stretch a log axis over 15 decades: floor at 1e-4.
                                    .init(name: curve.predictor, points: curve.points.map {
                                        (Double($0.examples), distribution.kind.isClassification ? $0.mean : max($0.mean, 1e-4))
                                    })
                                }, logarithmicY: !distribution.kind.isClassification)
            let file = "curves-\(Self.slug(probe.name)).svg"
            try plot.svg().write(to: directory.appendingPathComponent(file), atomically: true, encoding: .utf8)
            print(Self.table(curves, title: "\(probe.name) (\(curves.first?.metric ?? "")), plot \(folder)/\(file)"))
        }
        try csv.write(to: directory.appendingPathComponent("curves.csv"), atomically: true, encoding: .utf8)
        let pairedURL = directory.appendingPathComponent("differences.csv")
        if runFolder != nil, predictors.count > 1 {
            try pairedCSV.write(to: pairedURL, atomically: true, encoding: .utf8)
            print("wrote \(folder)/differences.csv (learner minus each baseline, prompt by prompt)")
        } else if FileManager.default.fileExists(atPath: pairedURL.path) {
            try FileManager.default.removeItem(at: pairedURL)   // a stale comparison from an earlier evaluation
        }
        print(String(format: "wrote %@/curves.csv (%.1f s)", folder, Date().timeIntervalSince(started)))
    }

    /// von Oswald et al.'s comparison for a linear-self-attention learner with a fixed context:
    /// its ½·MSE on one query per task beside `L` steps of gradient descent at a tuned learning
    /// rate (`L` = its layer count) and the zero predictor; printed and written as JSON.
    func compareWithGradientDescent(_ learner: LinearSelfAttentionLearner, contextCount: Int, distribution: any TaskDistribution,
                                    configuration: InContextTrainingConfiguration, folder: String) throws {
        let steps = learner.layers.count
        let comparison = try GradientDescentComparison(tasks: distribution, contextCount: contextCount, stepCount: steps,
                                                       evaluationTaskCount: prompts ?? configuration.evaluation.promptCount,
                                                       seed: configuration.evaluation.seed)
        let result = comparison.run(learner: learner)
        let relative = (result.learner ?? .nan) / result.gradientDescent - 1
        print("mesa eval: \(distribution.name), \(contextCount) examples, \(steps)-layer linear self-attention vs \(steps) step\(steps > 1 ? "s" : "") of gradient descent")
        print(String(format: "½·MSE on %d tasks: zero %.4f · gradient descent ×%d (η = %.4g) %.4f · trained LSA %.4f (%+.1f %% vs GD)",
                     comparison.evaluationSet.batchSize, result.zeroPrediction, steps, result.learningRate, result.gradientDescent,
                     result.learner ?? .nan, 100 * relative))
        let directory = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(result).write(to: directory.appendingPathComponent("gradient-descent-comparison.json"), options: .atomic)
        print("wrote \(folder)/gradient-descent-comparison.json")
    }

    /// A file-name-safe version of `text`.
    static func slug(_ text: String) -> String {
        String(text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    /// A plain-text table: one row per predictor, columns at a few numbers of examples.
    static func table(_ curves: [ErrorCurve], title: String) -> String {
        guard let count = curves.first?.points.count, count > 0 else { return title }
        let columns = Array(Set([0, 1, 2, count / 4, count / 2, (3 * count) / 4, count - 1].filter { $0 < count })).sorted()
        let width = max(12, (curves.map(\.predictor.count).max() ?? 0) + 2)
        var text = title + "\n" + "examples".padding(toLength: width, withPad: " ", startingAt: 0)
            + columns.map { String(format: " %9d", $0) }.joined() + "\n"
        for curve in curves {
            text += curve.predictor.padding(toLength: width, withPad: " ", startingAt: 0)
                + columns.map { String(format: " %9.4g", curve.points[$0].mean) }.joined() + "\n"
        }
        return text
    }

    /// A plain-text table of paired differences: one row per number of examples, one column per
    /// baseline (named by `baselines`) holding `mean ± standard error`, marked `*` where the difference is more than two
    /// standard errors from zero.
    static func pairedTable(_ differences: [ErrorCurve], baselines: [String], title: String) -> String {
        guard let count = differences.first?.points.count, count > 0 else { return title }
        let width = max(22, (baselines.map(\.count).max() ?? 0) + 2)
        var text = title + "\nexamples" + baselines.map { $0.leftPadding(toLength: width) }.joined() + "\n"
        for index in 0..<count {
            text += String(format: "%8d", index) + differences.map { difference in
                let point = difference.points[index]
                let marked = abs(point.mean) > 2 * point.standardError ? "*" : " "
                return String(format: "%+.5f ± %.5f%@", point.mean, point.standardError, marked).leftPadding(toLength: width)
            }.joined() + "\n"
        }
        return text
    }
}

extension String {
    /// The string right-aligned in a field of `length` characters.
    func leftPadding(toLength length: Int) -> String {
        count >= length ? self : String(repeating: " ", count: length - count) + self
    }
}

/// A predictor shown under another name (e.g. the learner with its training step).
struct NamedPredictor: InContextPredictor {
    let name: String
    let base: any InContextPredictor
    func predictions(for batch: TaskBatch) -> Tensor { base.predictions(for: batch) }
}
