import Foundation

/// What an ``InContextEvaluation`` measured and wrote. Its ``description`` is the report `mesa
/// eval` prints: a summary line, then for each probe a table of the curves at a few numbers of
/// examples (preceded, with a learner, by its paired differences from each baseline), then the
/// files written.
public struct InContextEvaluationReport: Sendable, CustomStringConvertible {
    /// The results under one probe.
    public struct Probe: Sendable {
        /// The probe's name, e.g. `"in-distribution"` or `"inputs x2"`.
        public var name: String
        /// One curve per predictor, the learner first.
        public var curves: [ErrorCurve]
        /// The learner minus each baseline on the same prompts (``PromptScores/difference(from:)``);
        /// empty without a learner.
        public var differences: [ErrorCurve]
        /// The names of the baselines, in the order of ``differences``.
        public var baselines: [String]
        /// The probe's SVG plot.
        public var plotURL: URL
    }

    /// von Oswald et al.'s comparison of a fixed-context linear self-attention learner with
    /// gradient descent (``GradientDescentComparison``).
    public struct GradientDescent: Sendable {
        /// Context points per task.
        public var contextCount: Int
        /// Gradient descent steps (the learner's layer count).
        public var stepCount: Int
        /// Evaluation tasks (one query each).
        public var taskCount: Int
        /// The losses and the tuned learning rate.
        public var result: GradientDescentComparison.Result
        /// The JSON file holding ``result``.
        public var url: URL
    }

    /// The held-out task distribution's name.
    public var taskName: String
    /// The predictors' names, the learner first.
    public var predictors: [String]
    /// Prompts per probe (tasks, for the gradient descent comparison).
    public var promptCount: Int
    /// Points per prompt.
    public var pointCount: Int
    /// The folder written to.
    public var folder: URL
    /// The results per probe, in order; empty for the gradient descent comparison.
    public var probes: [Probe]
    /// The gradient descent comparison, for a fixed-context linear self-attention learner.
    public var gradientDescent: GradientDescent?
    /// `curves.csv`, unless the gradient descent comparison ran instead.
    public var curvesURL: URL?
    /// `differences.csv`, when written (a learner and at least one baseline).
    public var differencesURL: URL?
    /// Wall-clock time of the evaluation.
    public var seconds: Double

    /// The printed report (paths relative as the folder was given).
    public var description: String {
        let path = folder.relativePath
        if let gradientDescent {
            let (steps, result) = (gradientDescent.stepCount, gradientDescent.result)
            let relative = (result.learner ?? .nan) / result.gradientDescent - 1
            return [
                "\(taskName), \(gradientDescent.contextCount) examples, \(steps)-layer linear self-attention vs \(steps) step\(steps > 1 ? "s" : "") of gradient descent",
                String(format: "½·MSE on %d tasks: zero %.4f · gradient descent ×%d (η = %.4g) %.4f · trained LSA %.4f (%+.1f %% vs GD)",
                       gradientDescent.taskCount, result.zeroPrediction, steps, result.learningRate, result.gradientDescent,
                       result.learner ?? .nan, 100 * relative),
                "wrote \(path)/gradient-descent-comparison.json",
            ].joined(separator: "\n")
        }
        var lines = ["\(taskName); \(predictors.joined(separator: ", ")); \(promptCount) prompts of \(pointCount) points → \(path)"]
        for probe in probes {
            if !probe.differences.isEmpty {
                lines.append(Self.pairedTable(probe.differences, baselines: probe.baselines,
                                              title: "\(probe.name): learner − baseline on the same prompts (mean ± paired standard error)"))
            }
            lines.append(Self.table(probe.curves, title: "\(probe.name) (\(probe.curves.first?.metric ?? "")), plot \(probe.plotURL.relativePath)"))
        }
        if differencesURL != nil { lines.append("wrote \(path)/differences.csv (learner minus each baseline, prompt by prompt)") }
        lines.append("wrote \(path)/curves.csv (\(String(format: "%.1f", seconds)) s)")
        return lines.joined(separator: "\n")
    }

    /// A plain-text table: one row per predictor, columns at a few numbers of examples (0, 1, 2,
    /// the quartiles and the last).
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
    /// baseline (named by `baselines`) holding `mean ± standard error`, marked `*` where the
    /// difference is more than two standard errors from zero.
    static func pairedTable(_ differences: [ErrorCurve], baselines: [String], title: String) -> String {
        guard let count = differences.first?.points.count, count > 0 else { return title }
        let width = max(22, (baselines.map(\.count).max() ?? 0) + 2)
        var text = title + "\nexamples" + baselines.map { rightAligned($0, width: width) }.joined() + "\n"
        for index in 0..<count {
            text += String(format: "%8d", index) + differences.map { difference in
                let point = difference.points[index]
                let marked = abs(point.mean) > 2 * point.standardError ? "*" : " "
                return rightAligned(String(format: "%+.5f ± %.5f", point.mean, point.standardError) + marked, width: width)
            }.joined() + "\n"
        }
        return text
    }

    /// `text` right-aligned in a field of `width` characters.
    private static func rightAligned(_ text: String, width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
