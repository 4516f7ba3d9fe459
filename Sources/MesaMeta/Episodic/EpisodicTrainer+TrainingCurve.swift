import Foundation

extension EpisodicTrainer {
    /// `training-curve.svg` in the run folder.
    public var trainingCurveURL: URL { directory.appendingPathComponent("training-curve.svg") }

    /// Writes ``trainingCurveURL``: the meta-training loss (`loss`, the mean query loss of each
    /// logged meta-batch) and the meta-validation loss (`validationLoss`) of `metrics.jsonl`
    /// against the iteration, on a logarithmic axis (query cross-entropy for classification,
    /// query MSE for regression). An unreadable metrics file gives an empty chart.
    public func writeTrainingCurve() throws {
        let records = (try? MetricsLog.read(metricsURL)) ?? []
        let c = configuration
        let chart = SVGChart.lines(title: "\(c.name): \(c.algorithm.rawValue) meta-training", xLabel: "iteration",
                                   yLabel: c.isClassification ? "query cross-entropy" : "query MSE",
                                   series: [SVGChart.Series(name: "meta-training batch", points: MetricsLog.series("loss", in: records)),
                                            SVGChart.Series(name: "meta-validation", points: MetricsLog.series("validationLoss", in: records))],
                                   logarithmicY: true)
        try chart.write(to: trainingCurveURL)
    }
}
