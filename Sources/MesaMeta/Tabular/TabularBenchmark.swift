import Foundation
import MesaCore

/// `mesa benchmark-tabular`: Mesa's in-context tabular predictors (``TabularClassifier``,
/// ``TabularRegressor``) beside logistic regression or ridge regression and k-nearest neighbours
/// on every CSV table of a folder (``TabularEvaluation``), over seeded 50/50 splits (stratified
/// by class for classification).
///
/// The folder's `manifest.json`, when present, a list of `{"id": name, "task": "classification"
/// | "regression", "categorical_columns": [...]}` entries, says each table's task and
/// categorical columns; otherwise the task is detected (``TabularEvaluation/detectKind(_:)``)
/// and the columns read as they look. Mesa runs with up to 10 classes grouped and 100 features
/// subsampled per ensemble member, so every table is scored. ``run(on:writingTo:progress:)``
/// writes, into its output folder:
/// - `tabular-benchmark.csv`: one row per dataset, split and method
///   (`dataset,kind,rows,features,classes,split,method,accuracy,log_loss,roc_auc,r2,rmse,seconds,mode`);
/// - `tabular-benchmark.md`: per dataset the means over splits (accuracy, ROC AUC and log loss,
///   or R² and RMSE, and Mesa's seconds), and the mean over datasets of each method;
/// - `tabular-benchmark.svg`: mean accuracy per classification dataset and method (``SVGChart``).
///
/// ```swift
/// let benchmark = TabularBenchmark(splitCount: 5)
/// print(try benchmark.run(on: URL(fileURLWithPath: "tables"), writingTo: URL(fileURLWithPath: "runs/tabular-benchmark")))
/// ```
public struct TabularBenchmark: Sendable {
    /// Seeded splits per dataset (split `i` has seed `i`).
    public var splitCount: Int
    /// Ensemble members of Mesa's predictor (`nil`: the predictor's default,
    /// ``TabularPredictionOptions/resolvedEnsembleSize(labelledRowCount:)``).
    public var ensembleSize: Int?
    /// Only the tables whose file name contains this, when set.
    public var filter: String?
    /// A classification checkpoint of ``TabularPretrainer`` instead of the shipped model.
    public var classifierModel: URL?
    /// A regression checkpoint of ``TabularPretrainer`` instead of the shipped model.
    public var regressorModel: URL?

    /// A benchmark with the given settings (the defaults are `mesa benchmark-tabular`'s).
    public init(splitCount: Int = 5, ensembleSize: Int? = nil, filter: String? = nil, classifierModel: URL? = nil, regressorModel: URL? = nil) {
        self.splitCount = splitCount
        self.ensembleSize = ensembleSize
        self.filter = filter
        self.classifierModel = classifierModel
        self.regressorModel = regressorModel
    }

    /// What the benchmark measured and wrote.
    public struct Report: Sendable, CustomStringConvertible {
        /// Every dataset's every split.
        public var rows: [Row]
        /// The Markdown summary written to `tabular-benchmark.md`.
        public var markdown: String
        /// The folder written to.
        public var folder: URL

        /// The Markdown summary and the files written.
        public var description: String { markdown + "\nwrote \(folder.path)/tabular-benchmark.{md,csv,svg}" }
    }

    /// The tables the benchmark reads in `directory`: its CSV files (those matching ``filter``),
    /// sorted by name.
    public func tables(in directory: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { url in url.pathExtension == "csv" && (filter.map { url.lastPathComponent.contains($0) } ?? true) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Scores every table of `directory` on every split and writes the files described above
    /// into `output` (created if needed). A table that cannot be read or scored is skipped with
    /// a note.
    ///
    /// - Parameter progress: called as splits are scored (`total`: tables × splits), and with a
    ///   note for each table skipped.
    /// - Throws: the errors of listing the folder, reading `manifest.json`, and writing the files.
    public func run(on directory: URL, writingTo output: URL, progress: (ProgressUpdate) -> Void = { _ in }) throws -> Report {
        let files = try tables(in: directory)
        let manifest = try Self.manifest(in: directory)
        try OutputFile.prepareFolder(output, contents: "the benchmark reports")
        var classifier: TabularClassifier?, regressor: TabularRegressor?
        var rows: [Row] = []
        let total = files.count * splitCount
        progress(ProgressUpdate(completed: 0, total: total))
        for (fileIndex, file) in files.enumerated() {
            let name = file.deletingPathExtension().lastPathComponent
            let entry = manifest[name]
            do {
                let table = try TabularTable(CSVTable(contentsOf: file), source: file.lastPathComponent)
                let kind = entry?.kind ?? TabularEvaluation.detectKind(table)
                var options = TabularPredictionOptions()
                options.ensembleSize = ensembleSize
                for column in entry?.categoricalColumns ?? [] { options.columnKinds[column] = .categorical }
                options.manyClasses = true
                options.subsampleFeatures = true
                let classes = kind == .classification ? Set(table.targets).count : 0
                for split in 0..<splitCount {
                    options.seed = UInt64(split)
                    let (trainRows, testRows) = TabularEvaluation.split(table, kind: kind, seed: UInt64(split))
                    let train = table.selecting(trainRows), test = table.selecting(testRows)
                    let scores: [TabularScores]
                    let mode: String
                    if kind == .classification {
                        let model = try classifier ?? TabularClassifier(modelURL: classifierModel)
                        classifier = model
                        model.options = options
                        scores = try TabularEvaluation.classification(train: train, test: test, classifier: model)
                        mode = model.mode
                    } else {
                        let model = try regressor ?? TabularRegressor(modelURL: regressorModel)
                        regressor = model
                        model.options = options
                        scores = try TabularEvaluation.regression(train: train, test: test, regressor: model)
                        mode = model.mode
                    }
                    rows.append(Row(dataset: name, kind: kind, rows: table.count, features: table.featureNames.count,
                                    classes: classes, split: split, mode: mode, scores: scores))
                    progress(ProgressUpdate(completed: fileIndex * splitCount + split + 1, total: total))
                }
            } catch {
                progress(ProgressUpdate(completed: fileIndex * splitCount, total: total, note: "\(name): skipped: \(error)"))
            }
        }
        return try writeReports(rows, to: output)
    }

    /// One table's entry of `manifest.json`.
    struct ManifestEntry {
        /// The task, when the manifest says.
        var kind: TabularTaskKind?
        /// The columns to read as categorical.
        var categoricalColumns: [String]
    }

    /// The entries of `directory/manifest.json` by table name (`id`); none without the file.
    static func manifest(in directory: URL) throws -> [String: ManifestEntry] {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("manifest.json").path),
              let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [:] }
        var manifest: [String: ManifestEntry] = [:]
        for entry in list {
            guard let id = entry["id"] as? String else { continue }
            manifest[id] = ManifestEntry(kind: (entry["task"] as? String).map { $0 == "regression" ? .regression : .classification },
                                         categoricalColumns: entry["categorical_columns"] as? [String] ?? [])
        }
        return manifest
    }
}
