import Foundation
import MesaCore

extension GPICLExperiment {
    /// The ``stateSize`` results: unseen-task accuracy at the last point against the learner's
    /// state size (``stateSize(of:pointCount:)``; Kirsch et al. 2022, §4.3: accuracy follows the
    /// state, not the parameter count).
    ///
    /// Writes `state-size.csv` (`architecture,size,parameters,state_size,unseen_accuracy,unseen_se`)
    /// and `state-size.svg` (accuracy against log₂ state size, one line per architecture).
    public static func writeStateSize(runs: [Run], trainers: [InContextTrainer], testImages: LabelledDataset?, promptCount: Int,
                                      to folder: URL) throws -> Analysis {
        try checkPairs(runs, trainers)
        var csv = "architecture,size,parameters,state_size,unseen_accuracy,unseen_se\n"
        var series: [String: [(x: Double, y: Double)]] = [:]
        var lines: [String] = []
        for (run, trainer) in zip(runs, trainers) {
            let unseen = try seenAndUnseenAccuracy(of: trainer, testImages: testImages, promptCount: promptCount).unseen.points.last!
            let state = stateSize(of: run.configuration.learner, pointCount: run.configuration.training.pointCount)
            csv += "\(run.series),\(run.configuration.learner.modelSize),\(trainer.learner.parameterCount),\(state),\(fourDecimals(unseen.mean)),\(fourDecimals(unseen.standardError))\n"
            series[run.series, default: []].append((log2(Double(state)), unseen.mean))
            lines.append("\(run.name): state \(state), \(trainer.learner.parameterCount) parameters, unseen accuracy \(fourDecimals(unseen.mean)) ± \(fourDecimals(unseen.standardError))")
        }
        let chart = SVGChart.lines(title: "Accuracy against state size", xLabel: "log₂ state size (numbers)", yLabel: "unseen-task accuracy at the last point",
                                   series: series.keys.sorted().map { SVGChart.Series(name: $0, points: series[$0]!) })
        let (files, line) = try write(csv: csv, chart: chart, name: "state-size", to: folder)
        return Analysis(lines: lines + [line], files: files)
    }
}
