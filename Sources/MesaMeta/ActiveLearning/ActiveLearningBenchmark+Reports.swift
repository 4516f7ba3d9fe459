import Foundation
import MesaCore

extension ActiveLearningBenchmark {
    /// A mean and its standard error.
    public struct Summary: Sendable, Equatable {
        /// The mean.
        public var mean: Double
        /// The standard error of the mean (sample standard deviation / √n; 0 for one value).
        public var standardError: Double

        /// The mean and standard error of `values`.
        public init(_ values: [Double]) {
            let n = Double(values.count)
            let mean = values.reduce(0, +) / max(n, 1)
            let variance = values.count > 1 ? values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) : 0
            self.mean = mean
            standardError = (variance / max(n, 1)).squareRoot()
        }

        /// The mean over tables of per-table summaries, whose standard error propagates theirs:
        /// `√(Σ SE_t²) / T` (the repetitions' noise; the spread between tables is not noise).
        public init(overTables tables: [Summary]) {
            let n = Double(max(tables.count, 1))
            mean = tables.reduce(0) { $0 + $1.mean } / n
            standardError = tables.reduce(0) { $0 + $1.standardError * $1.standardError }.squareRoot() / n
        }

        /// `0.812 ± 0.004`.
        public var formatted: String { String(format: "%.3f ± %.3f", mean, standardError) }
    }

    /// Writes the CSV, Markdown and SVG reports of `runs` into `folder`.
    public func writeReports(_ runs: [Run], to folder: URL) throws -> Report {
        var csv = "dataset,rows,classes,repetition,strategy,budget,aubc,initial_accuracy,final_accuracy,median_decision_seconds\n"
        for run in runs {
            csv += "\(run.dataset),\(run.rows),\(run.classes),\(run.repetition),\(run.strategy.rawValue),\(run.curve.points.last?.queries ?? 0),"
                + String(format: "%.6f,%.6f,%.6f,%.4f\n", run.curve.areaUnderBudgetCurve, run.curve.points.first?.score ?? .nan,
                         run.curve.points.last?.score ?? .nan, run.medianDecisionSeconds)
        }
        try OutputFile(folder.appendingPathComponent("active-learning-benchmark.csv"), contents: "the benchmark table").write(csv)
        let datasets = Array(Set(runs.map(\.dataset))).sorted()
        let used = strategies.filter { s in runs.contains { $0.strategy == s } }
        var markdown = "# mesa benchmark-active-learning\n\n"
            + "AUBC (mean test accuracy over the budget, trapezoidal), mean ± standard error over \(repetitions) repetitions; "
            + "initial set: one row per class plus rows up to \(initialSize); budget min(\(maximumBudget), half the pool).\n\n"
            + "| dataset | rows | classes | budget | " + used.map(\.rawValue).joined(separator: " | ") + " | "
            + used.map { "\($0.rawValue) s/query" }.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: 4 + 2 * used.count) + "\n"
        var perTable: [QueryStrategy: [Summary]] = [:]
        var groups: [SVGChart.BarGroup] = []
        for dataset in datasets {
            let own = runs.filter { $0.dataset == dataset }
            let summaries = used.map { s in Summary(own.filter { $0.strategy == s }.map(\.curve.areaUnderBudgetCurve)) }
            let seconds = used.map { s in Summary(own.filter { $0.strategy == s }.map(\.medianDecisionSeconds)).mean }
            for (s, summary) in zip(used, summaries) { perTable[s, default: []].append(summary) }
            markdown += "| \(dataset) | \(own[0].rows) | \(own[0].classes) | \(own[0].curve.points.last?.queries ?? 0) | "
                + summaries.map(\.formatted).joined(separator: " | ") + " | " + seconds.map { String(format: "%.3f", $0) }.joined(separator: " | ") + " |\n"
            groups.append(SVGChart.BarGroup(label: dataset, values: summaries.map(\.mean)))
        }
        let overall = used.map { Summary(overTables: perTable[$0] ?? []) }
        markdown += "| **mean over \(datasets.count) tables** | | | | " + overall.map(\.formatted).joined(separator: " | ") + " |" + String(repeating: " |", count: used.count) + "\n"
        try OutputFile(folder.appendingPathComponent("active-learning-benchmark.md"), contents: "the benchmark summary").write(markdown)
        let chart = SVGChart.groupedBars(title: "Active learning: mean AUBC per table", valueLabel: "AUBC", groups: groups, categories: used.map(\.rawValue))
        try OutputFile(folder.appendingPathComponent("active-learning-benchmark.svg"), contents: "the benchmark chart").write(chart.svg())
        return Report(runs: runs, markdown: markdown, folder: folder)
    }
}
