import ArgumentParser
import Foundation
import Mesa

/// `mesa benchmark-tabular DIR`: Mesa's in-context predictors beside the baselines on every CSV
/// of a folder, five seeded 50/50 splits each.
struct BenchmarkTabularCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark-tabular",
        abstract: "Score mesa predict beside logistic regression / ridge and k-NN on every CSV of a folder (5 seeded stratified 50/50 splits).",
        discussion: "Uses the folder's manifest.json (task, categorical columns) when present; otherwise detects them. Writes a Markdown table, a CSV of every split and an SVG chart."
    )

    @Argument(help: "A folder of CSV files (target in the last column).") var directory: String
    @Option(help: "Where to write tabular-benchmark.{md,csv,svg}.") var output = "runs/tabular-benchmark"
    @Option(help: "Splits per dataset.") var splits = 5
    @Option(help: "Ensemble members.") var ensemble = 4
    @Option(help: "Only datasets whose name contains this.") var filter: String?
    @Option(help: "A classification checkpoint of `mesa pretrain` instead of the shipped one.") var model: String?
    @Option(help: "A regression checkpoint of `mesa pretrain` instead of the shipped one.") var regressionModel: String?
    @OptionGroup var threads: ThreadsOption

    struct Row: Codable {
        var dataset: String, kind: String, rows: Int, features: Int, classes: Int, split: Int, mode: String
        var scores: [TabularScores]
    }

    func run() throws {
        threads.apply()
        let folder = URL(fileURLWithPath: directory)
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { url in url.pathExtension == "csv" && (filter.map { url.lastPathComponent.contains($0) } ?? true) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var manifest: [String: [String: Any]] = [:]
        if let data = FileManager.default.contents(atPath: folder.appendingPathComponent("manifest.json").path),
           let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] {
            for entry in list { if let id = entry["id"] as? String { manifest[id] = entry } }
        }
        let outputURL = URL(fileURLWithPath: output)
        try FileManager.default.createDirectory(at: outputURL, withIntermediateDirectories: true)
        var classifier: TabularClassifier?, regressor: TabularRegressor?
        var rows: [Row] = []
        var progress = ProgressBar(total: files.count * splits, label: "benchmark")
        for (fileIndex, file) in files.enumerated() {
            let name = file.deletingPathExtension().lastPathComponent
            let entry = manifest[name]
            do {
                let table = try TabularTable(CSVTable(contentsOf: file), source: file.lastPathComponent)
                let kind: TabularTaskKind = (entry?["task"] as? String).map { $0 == "regression" ? .regression : .classification }
                    ?? TabularEvaluation.detectKind(table)
                var options = TabularPredictionOptions()
                options.ensembleSize = ensemble
                for column in entry?["categorical_columns"] as? [String] ?? [] { options.columnKinds[column] = .categorical }
                options.manyClasses = true
                options.subsampleFeatures = true
                let classes = kind == .classification ? Set(table.targets).count : 0
                for split in 0..<splits {
                    options.seed = UInt64(split)
                    let (trainRows, testRows) = TabularEvaluation.split(table, kind: kind, seed: UInt64(split))
                    let train = table.selecting(trainRows), test = table.selecting(testRows)
                    let scores: [TabularScores]
                    let mode: String
                    if kind == .classification {
                        if classifier == nil { classifier = try TabularClassifier(modelURL: model.map { URL(fileURLWithPath: $0) }) }
                        classifier!.options = options
                        scores = try TabularEvaluation.classification(train: train, test: test, classifier: classifier!)
                        mode = classifier!.mode
                    } else {
                        if regressor == nil { regressor = try TabularRegressor(modelURL: regressionModel.map { URL(fileURLWithPath: $0) }) }
                        regressor!.options = options
                        scores = try TabularEvaluation.regression(train: train, test: test, regressor: regressor!)
                        mode = regressor!.mode
                    }
                    rows.append(Row(dataset: name, kind: kind.rawValue, rows: table.count, features: table.featureNames.count,
                                    classes: classes, split: split, mode: mode, scores: scores))
                    progress.update(completed: fileIndex * splits + split + 1)
                }
            } catch {
                progress.note("\(name): skipped: \(error)")
            }
        }
        try writeReports(rows, to: outputURL)
    }

    /// Per-dataset means over splits, the Markdown table, the CSV and the SVG.
    func writeReports(_ rows: [Row], to folder: URL) throws {
        var csv = "dataset,kind,rows,features,classes,split,method,accuracy,log_loss,roc_auc,r2,rmse,seconds,mode\n"
        for row in rows {
            for s in row.scores {
                let fields: [String] = [row.dataset, row.kind, "\(row.rows)", "\(row.features)", "\(row.classes)", "\(row.split)", s.method,
                                        s.accuracy.map { "\($0)" } ?? "", s.logLoss.map { "\($0)" } ?? "", s.rocAUC.map { "\($0)" } ?? "",
                                        s.rSquared.map { "\($0)" } ?? "", s.rootMeanSquaredError.map { "\($0)" } ?? "", "\(s.seconds)", "\"\(row.mode)\""]
                csv += fields.joined(separator: ",") + "\n"
            }
        }
        try csv.write(to: folder.appendingPathComponent("tabular-benchmark.csv"), atomically: true, encoding: .utf8)

        func mean(_ values: [Double?]) -> Double? {
            let present = values.compactMap { $0 }
            return present.isEmpty ? nil : present.reduce(0, +) / Double(present.count)
        }
        func f(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "–" }
        var markdown = "# mesa benchmark-tabular\n\n\(splits) seeded 50/50 splits per dataset (stratified for classification); means over splits.\n\n"
        var chart: [(String, [Double])] = []
        for kind in ["classification", "regression"] {
            let datasets = Array(Set(rows.filter { $0.kind == kind }.map(\.dataset))).sorted()
            guard !datasets.isEmpty else { continue }
            let methods = kind == "classification" ? ["mesa", "logistic regression", "k-NN"] : ["mesa", "ridge", "k-NN"]
            markdown += "## \(kind.capitalized)\n\n"
            if kind == "classification" {
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
                if kind == "classification" {
                    let accuracy = methods.map { metric($0, \.accuracy) }
                    markdown += "| \(dataset) | \(first.rows) | \(first.features) | \(first.classes) | " + accuracy.map(f).joined(separator: " | ") + " | "
                        + methods.map { f(metric($0, \.rocAUC)) }.joined(separator: " | ") + " | "
                        + methods.map { f(metric($0, \.logLoss)) }.joined(separator: " | ") + " | \(time) | \(first.mode) |\n"
                    for (method, value) in zip(methods, accuracy) { if let value { overall[method, default: []].append(value) } }
                    chart.append((dataset, accuracy.map { $0 ?? 0 }))
                } else {
                    let r2 = methods.map { metric($0, \.rSquared) }
                    markdown += "| \(dataset) | \(first.rows) | \(first.features) | " + r2.map(f).joined(separator: " | ") + " | "
                        + methods.map { f(metric($0, \.rootMeanSquaredError)) }.joined(separator: " | ") + " | \(time) | \(first.mode) |\n"
                    for (method, value) in zip(methods, r2) { if let value { overall[method, default: []].append(value) } }
                }
            }
            markdown += "\nMean over datasets: " + methods.map { "\($0) \(f(mean(overall[$0, default: []].map { $0 })))" }.joined(separator: ", ") + "\n\n"
        }
        try markdown.write(to: folder.appendingPathComponent("tabular-benchmark.md"), atomically: true, encoding: .utf8)
        try SVGChart.groupedBars(title: "mesa benchmark-tabular: accuracy (mean of \(splits) splits)",
                                 groups: chart.map { SVGChart.BarGroup(label: $0.0, values: $0.1) },
                                 categories: ["mesa", "logistic regression", "k-NN"])
            .write(to: folder.appendingPathComponent("tabular-benchmark.svg"))
        print(markdown)
        print("wrote \(folder.path)/tabular-benchmark.{md,csv,svg}")
    }
}
