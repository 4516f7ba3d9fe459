import Foundation
import MesaCore

extension TabularBenchmark {
    /// The methods compared on each kind of task, Mesa first (``TabularScores/method``).
    static func methods(for kind: TabularTaskKind) -> [String] {
        kind == .classification ? ["mesa", "logistic regression", "k-NN"] : ["mesa", "ridge", "k-NN"]
    }

    /// Writes `tabular-benchmark.csv` (every split), `tabular-benchmark.md` (means over splits
    /// per dataset, and over datasets per method) and `tabular-benchmark.svg` (mean accuracy per
    /// classification dataset and method) into `folder`, from the rows of
    /// ``run(on:writingTo:progress:)``.
    public func writeReports(_ rows: [Row], to folder: URL) throws -> Report {
        var csv = "dataset,kind,rows,features,classes,split,method,accuracy,log_loss,roc_auc,r2,rmse,seconds,mode\n"
        for row in rows {
            for s in row.scores {
                let fields: [String] = [row.dataset, row.kind.rawValue, "\(row.rows)", "\(row.features)", "\(row.classes)", "\(row.split)", s.method,
                                        s.accuracy.map { "\($0)" } ?? "", s.logLoss.map { "\($0)" } ?? "", s.rocAUC.map { "\($0)" } ?? "",
                                        s.rSquared.map { "\($0)" } ?? "", s.rootMeanSquaredError.map { "\($0)" } ?? "", "\(s.seconds)", "\"\(row.mode)\""]
                csv += fields.joined(separator: ",") + "\n"
            }
        }
        try OutputFile(folder.appendingPathComponent("tabular-benchmark.csv"), contents: "the benchmark table").write(csv)

        func mean(_ values: [Double?]) -> Double? {
            let present = values.compactMap { $0 }
            return present.isEmpty ? nil : present.reduce(0, +) / Double(present.count)
        }
        func f(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "–" }
        var markdown = "# mesa benchmark-tabular\n\n\(splitCount) seeded 50/50 splits per dataset (stratified for classification); means over splits.\n\n"
        var chart: [SVGChart.BarGroup] = []
        for kind in [TabularTaskKind.classification, .regression] {
            let datasets = Array(Set(rows.filter { $0.kind == kind }.map(\.dataset))).sorted()
            guard !datasets.isEmpty else { continue }
            let methods = Self.methods(for: kind)
            markdown += "## \(kind.rawValue.capitalized)\n\n"
            if kind == .classification {
                markdown += "| dataset | rows | features | classes | " + methods.map { "\($0) acc" }.joined(separator: " | ") + " | "
                    + methods.map { "\($0) AUC" }.joined(separator: " | ") + " | " + methods.map { "\($0) log loss" }.joined(separator: " | ")
                    + " | mesa s | mode |\n|" + String(repeating: "---|", count: 4 + 3 * methods.count + 2) + "\n"
            } else {
                markdown += "| dataset | rows | features | " + methods.map { "\($0) R²" }.joined(separator: " | ") + " | "
                    + methods.map { "\($0) RMSE" }.joined(separator: " | ") + " | mesa s | mode |\n|"
                    + String(repeating: "---|", count: 3 + 2 * methods.count + 2) + "\n"
            }
            var overall: [String: [Double]] = [:]
            for dataset in datasets {
                let runs = rows.filter { $0.dataset == dataset }
                func metric(_ method: String, _ key: KeyPath<TabularScores, Double?>) -> Double? {
                    mean(runs.flatMap { $0.scores.filter { $0.method == method }.map { $0[keyPath: key] } })
                }
                let first = runs[0]
                let time = f(mean(runs.flatMap { $0.scores.filter { $0.method == "mesa" }.map(\.seconds) }))
                if kind == .classification {
                    let accuracy = methods.map { metric($0, \.accuracy) }
                    markdown += "| \(dataset) | \(first.rows) | \(first.features) | \(first.classes) | " + accuracy.map(f).joined(separator: " | ") + " | "
                        + methods.map { f(metric($0, \.rocAUC)) }.joined(separator: " | ") + " | "
                        + methods.map { f(metric($0, \.logLoss)) }.joined(separator: " | ") + " | \(time) | \(first.mode) |\n"
                    for (method, value) in zip(methods, accuracy) { if let value { overall[method, default: []].append(value) } }
                    chart.append(SVGChart.BarGroup(label: dataset, values: accuracy.map { $0 ?? 0 }))
                } else {
                    let r2 = methods.map { metric($0, \.rSquared) }
                    markdown += "| \(dataset) | \(first.rows) | \(first.features) | " + r2.map(f).joined(separator: " | ") + " | "
                        + methods.map { f(metric($0, \.rootMeanSquaredError)) }.joined(separator: " | ") + " | \(time) | \(first.mode) |\n"
                    for (method, value) in zip(methods, r2) { if let value { overall[method, default: []].append(value) } }
                }
            }
            markdown += "\nMean over datasets: " + methods.map { "\($0) \(f(mean(overall[$0, default: []].map { $0 })))" }.joined(separator: ", ") + "\n\n"
        }
        try OutputFile(folder.appendingPathComponent("tabular-benchmark.md"), contents: "the benchmark report").write(markdown)
        try SVGChart.groupedBars(title: "mesa benchmark-tabular: accuracy (mean of \(splitCount) splits)", groups: chart,
                                 categories: Self.methods(for: .classification))
            .write(to: folder.appendingPathComponent("tabular-benchmark.svg"))
        return Report(rows: rows, markdown: markdown, folder: folder)
    }
}
