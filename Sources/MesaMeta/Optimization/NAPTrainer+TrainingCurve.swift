import Foundation

extension NAPTrainer {
    /// `training-curve.svg` in the run folder.
    public var trainingCurveURL: URL { directory.appendingPathComponent("training-curve.svg") }

    /// Writes ``trainingCurveURL`` from `metrics.jsonl`, against the PPO iteration: the median
    /// final log10 regret of the greedy policy on the meta-validation functions
    /// (`evaluationLogRegret`), the same with its neural-process head's expected improvement
    /// alone (`evaluationLogRegretEI`), and the training episodes' mean final log10 regret
    /// (`finalLogRegret`, averaged over the last 10 logged iterations). An unreadable metrics
    /// file gives an empty chart.
    public func writeTrainingCurve() throws {
        let records = (try? MetricsLog.read(metricsURL)) ?? []
        let epochs = Double(configuration.epochs)
        func perIteration(_ key: String) -> [(x: Double, y: Double)] {
            MetricsLog.series(key, in: records).map { (x: $0.x / epochs, y: $0.y) }
        }
        let training = perIteration("finalLogRegret")
        let smoothed = training.indices.map { i in
            let window = training[Swift.max(0, i - 9)...i]
            return (x: training[i].x, y: window.reduce(0) { $0 + $1.y } / Double(window.count))
        }
        let chart = SVGChart.lines(title: "\(configuration.name): NAP meta-training (PPO + neural-process loss)", xLabel: "iteration",
                                   yLabel: "final log10 simple regret",
                                   series: [SVGChart.Series(name: "validation functions: policy (median)", points: perIteration("evaluationLogRegret")),
                                            SVGChart.Series(name: "validation functions: its head's EI alone (median)", points: perIteration("evaluationLogRegretEI")),
                                            SVGChart.Series(name: "training episodes (mean, 10-iteration average)", points: smoothed)])
        try chart.write(to: trainingCurveURL)
    }
}
