import Foundation
import MesaCore

extension GPICLExperiment {
    /// What the analysis of an experiment's trained runs found and wrote.
    public struct Analysis: Sendable, CustomStringConvertible {
        /// What to report: one line per run (its result), then one per file set written.
        public var lines: [String]
        /// The CSV and SVG files written.
        public var files: [URL]

        /// The lines, one per row.
        public var description: String { lines.joined(separator: "\n") }
    }

    /// Evaluates the trained runs of a training experiment (`trainers[i]` trained `runs[i]`, the
    /// runs of ``runs(base:)``) and writes its CSV and SVG results into `folder`:
    /// ``writeTransition(runs:trainers:testImages:promptCount:to:)``,
    /// ``writePlateau(runs:trainers:to:)`` or
    /// ``writeStateSize(runs:trainers:testImages:promptCount:to:)``. Unseen tasks are drawn from
    /// the test images when the base dataset is Fashion-MNIST (loaded once, shared by every run),
    /// else from the base dataset's own rows.
    ///
    /// - Parameter promptCount: evaluation prompts per accuracy curve.
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for ``generalisation`` (it evaluates
    ///   one trained run: ``GeneralisationReport``) or runs and trainers that do not pair up; the
    ///   errors of loading the test images and of writing the files.
    public func analyse(runs: [Run], trainers: [InContextTrainer], base: InContextTrainingConfiguration, promptCount: Int,
                        to folder: URL) throws -> Analysis {
        guard self != .generalisation else {
            throw InContextError.invalidConfiguration("\(rawValue) evaluates one trained run: use GeneralisationReport")
        }
        // Every run shares the base dataset: its unseen tasks use the test images, loaded once.
        var testImages: LabelledDataset?
        if self != .plateau, base.task.dataset == "fashion-mnist" {
            var testTask = base.task
            testTask.datasetSplit = "test"
            testImages = try testTask.loadDataset().0
        }
        switch self {
        case .transition: return try Self.writeTransition(runs: runs, trainers: trainers, testImages: testImages, promptCount: promptCount, to: folder)
        case .plateau: return try Self.writePlateau(runs: runs, trainers: trainers, to: folder)
        case .stateSize: return try Self.writeStateSize(runs: runs, trainers: trainers, testImages: testImages, promptCount: promptCount, to: folder)
        case .generalisation: preconditionFailure("handled above")
        }
    }

    /// Checks that `runs` and `trainers` pair up, one trainer per run.
    static func checkPairs(_ runs: [Run], _ trainers: [InContextTrainer]) throws {
        guard runs.count == trainers.count else {
            throw InContextError.invalidConfiguration("an experiment analysis needs one trainer per run: \(runs.count) runs, \(trainers.count) trainers")
        }
    }

    /// Writes `csv` as `<name>.csv` and `chart` as `<name>.svg` in `folder`; returns the files
    /// and the line reporting them.
    static func write(csv: String, chart: SVGChart, name: String, to folder: URL) throws -> (files: [URL], line: String) {
        let csvURL = folder.appendingPathComponent("\(name).csv"), svgURL = folder.appendingPathComponent("\(name).svg")
        try OutputFile(csvURL, contents: "the \(name) table").write(csv)
        try chart.write(to: svgURL)
        return ([csvURL, svgURL], "wrote \(csvURL.path) and \(name).svg")
    }

    /// Four decimals, for CSV cells and reports.
    static func fourDecimals(_ value: Double) -> String { String(format: "%.4f", value) }
}
