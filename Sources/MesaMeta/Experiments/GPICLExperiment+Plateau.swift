import Foundation
import MesaCore

extension GPICLExperiment {
    /// The ``plateau`` results: how long each lever keeps training on the loss plateau (Kirsch et
    /// al. 2022, §4.4).
    ///
    /// Reads every run's held-out evaluations from its `metrics.jsonl` (``MetricsLog``:
    /// `evaluationLoss` and `lastPointMetric`, the accuracy at the last point) and writes
    /// `plateau-curves.csv` (`run,step,heldout_loss,heldout_accuracy`), `plateau.csv` (one row per
    /// run: its lever, the step and time at which it leaves the plateau, the first evaluation at
    /// twice chance accuracy, seconds per step, final accuracy), `plateau.svg` (accuracy against
    /// steps) and `plateau-loss.svg` (held-out loss against steps).
    public static func writePlateau(runs: [Run], trainers: [InContextTrainer], to folder: URL) throws -> Analysis {
        try checkPairs(runs, trainers)
        var curves = "run,step,heldout_loss,heldout_accuracy\n"
        var summary = "run,batch_size,epsilon,unpermuted_fraction,encoding,architecture,plateau_end_step,plateau_end_seconds,seconds_per_step,final_accuracy\n"
        var accuracySeries: [SVGChart.Series] = [], lossSeries: [SVGChart.Series] = []
        var lines: [String] = []
        for (run, trainer) in zip(runs, trainers) {
            let points = try MetricsLog.read(trainer.metricsURL).compactMap { record -> (step: Int, loss: Double, accuracy: Double)? in
                guard let step = record["step"], let loss = record["evaluationLoss"], let accuracy = record["lastPointMetric"] else { return nil }
                return (Int(step), loss, accuracy)
            }
            for point in points { curves += "\(run.name),\(point.step),\(fourDecimals(point.loss)),\(fourDecimals(point.accuracy))\n" }
            let chance = 1 / Double(run.configuration.task.classCount)
            let end = points.first { $0.accuracy >= 2 * chance }?.step
            let secondsPerStep = trainer.trainingSeconds / Double(max(trainer.step, 1))
            let c = run.configuration
            summary += "\(run.name),\(c.training.batchSize),\(c.training.optimizer.epsilon),\(c.task.unpermutedFraction),\(c.learner.resolvedEncoding.rawValue),\(c.learner.architecture),\(end.map(String.init) ?? "not left"),\(end.map { fourDecimals(Double($0) * secondsPerStep) } ?? ""),\(fourDecimals(secondsPerStep)),\(fourDecimals(points.last?.accuracy ?? .nan))\n"
            accuracySeries.append(SVGChart.Series(name: run.name, points: points.map { (Double($0.step), $0.accuracy) }))
            lossSeries.append(SVGChart.Series(name: run.name, points: points.map { (Double($0.step), $0.loss) }))
            lines.append("\(run.name): plateau left at step \(end.map(String.init) ?? "—"), final accuracy \(fourDecimals(points.last?.accuracy ?? .nan)), \(fourDecimals(secondsPerStep)) s/step")
        }
        let curvesURL = folder.appendingPathComponent("plateau-curves.csv"), lossURL = folder.appendingPathComponent("plateau-loss.svg")
        try OutputFile(curvesURL, contents: "the plateau curves").write(curves)
        let (files, line) = try write(csv: summary, chart: SVGChart.lines(title: "Held-out accuracy at the last point (unseen tasks)", xLabel: "step",
                                                                         yLabel: "accuracy", series: accuracySeries),
                                      name: "plateau", to: folder)
        try SVGChart.lines(title: "Held-out loss", xLabel: "step", yLabel: "cross-entropy", series: lossSeries).write(to: lossURL)
        return Analysis(lines: lines + [line], files: [curvesURL] + files + [lossURL])
    }
}
