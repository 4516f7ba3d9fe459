import Foundation
import MesaCore

extension GPICLExperiment {
    /// The ``transition`` results (Kirsch et al. 2022, Fig. 2: memorisation → task identification
    /// → general learning as the number of training tasks grows).
    ///
    /// For every run, accuracy on its training tasks and on unseen tasks
    /// (``seenAndUnseenAccuracy(of:testImages:promptCount:)``) with 10 examples and at the last
    /// point, and its ``Regime``; written as `transition.csv`
    /// (`architecture,tasks,seen_accuracy,seen_se,unseen_accuracy,unseen_se,seen_accuracy_10,unseen_accuracy_10,regime,parameters,steps,training_seconds`)
    /// and `transition.svg` (accuracy at the last point against log₂ of the pool size, the
    /// infinite pool two exponents right of the largest).
    public static func writeTransition(runs: [Run], trainers: [InContextTrainer], testImages: LabelledDataset?, promptCount: Int,
                                       to folder: URL) throws -> Analysis {
        try checkPairs(runs, trainers)
        var csv = "architecture,tasks,seen_accuracy,seen_se,unseen_accuracy,unseen_se,seen_accuracy_10,unseen_accuracy_10,regime,parameters,steps,training_seconds\n"
        var series: [String: [(x: Double, y: Double)]] = [:]
        var lines: [String] = []
        let infiniteX = 2.0 + Double(runs.compactMap(\.x).max() ?? 14)
        for (run, trainer) in zip(runs, trainers) {
            let (seenCurve, unseenCurve) = try seenAndUnseenAccuracy(of: trainer, testImages: testImages, promptCount: promptCount)
            let (seen, unseen) = (seenCurve.points.last!, unseenCurve.points.last!)
            let early = min(10, seenCurve.points.count - 1)
            let regime = Self.regime(seen: seen.mean, unseen: unseen.mean, chance: 1 / Double(run.configuration.task.classCount))
            let tasks = run.configuration.task.poolSize.map(String.init) ?? "infinite"
            csv += "\(run.series),\(tasks),\(fourDecimals(seen.mean)),\(fourDecimals(seen.standardError)),\(fourDecimals(unseen.mean)),\(fourDecimals(unseen.standardError)),"
                + "\(fourDecimals(seenCurve.points[early].mean)),\(fourDecimals(unseenCurve.points[early].mean)),\(regime.rawValue),"
                + "\(trainer.learner.parameterCount),\(trainer.step),\(fourDecimals(trainer.trainingSeconds))\n"
            let x = run.x ?? infiniteX
            series["\(run.series), training tasks", default: []].append((x, seen.mean))
            series["\(run.series), unseen tasks", default: []].append((x, unseen.mean))
            lines.append("\(run.name): seen \(fourDecimals(seen.mean)) ± \(fourDecimals(seen.standardError)), unseen \(fourDecimals(unseen.mean)) ± \(fourDecimals(unseen.standardError)): \(regime.rawValue)")
        }
        let chart = SVGChart.lines(title: "Memorisation → general learning (infinite pool at x = \(Int(infiniteX)))",
                                   xLabel: "log₂ number of training tasks", yLabel: "accuracy at the last point",
                                   series: series.keys.sorted().map { SVGChart.Series(name: $0, points: series[$0]!) })
        let (files, line) = try write(csv: csv, chart: chart, name: "transition", to: folder)
        return Analysis(lines: lines + [line], files: files)
    }
}
