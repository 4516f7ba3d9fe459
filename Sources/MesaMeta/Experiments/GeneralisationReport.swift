import Foundation
import MesaCore

/// The generalisation experiment of ``GPICLExperiment`` (``GPICLExperiment/generalisation``;
/// Kirsch et al. 2022, §4.2: a general-purpose in-context learner meta-tested on datasets it never
/// saw): a trained learner, beside logistic regression (λ = 0.01) and 5-nearest neighbours given
/// the same examples, on unseen projections of Fashion-MNIST test images, on scikit-learn's
/// digits (bundled with the library) and on every classification table of a folder with 2 to
/// the learner's number of classes and at least as many rows as a prompt.
///
/// Each dataset is standardised and randomly projected to the learner's input width with fresh
/// projections and label permutations (``ProjectedDatasetTasks``, infinite pool); accuracy is
/// measured after ``exampleCounts`` examples. ``write(to:progress:)`` writes
/// `generalisation.csv` (`dataset,method,examples,accuracy,standard_error`), `generalisation.md`
/// (one row per dataset, and the mean over the tables), `fashion-mnist.svg` and `digits.svg`
/// (the curves on the two fixed datasets) and, with tables, `tables.svg` (their mean curves).
///
/// ```swift
/// let report = GeneralisationReport(runFolder: URL(fileURLWithPath: "runs/gpicl-fashion-mnist"), promptCount: 512)
/// print(try report.write(to: URL(fileURLWithPath: "runs/gpicl-generalisation")))
/// ```
public struct GeneralisationReport {
    /// The trained run (its `checkpoint.safetensors` is evaluated; it must have trained on
    /// `projectedDataset` tasks).
    public var runFolder: URL
    /// A folder of CSV tables (the class in the last column), or `nil` for none.
    public var tablesFolder: URL?
    /// Evaluation prompts per dataset.
    public var promptCount: Int

    /// The numbers of in-context examples reported (those below the learner's prompt length).
    public static let exampleCounts = [10, 25, 50, 99]

    /// Creates a report of the run in `runFolder`.
    public init(runFolder: URL, tablesFolder: URL? = nil, promptCount: Int = 512) {
        self.runFolder = runFolder
        self.tablesFolder = tablesFolder
        self.promptCount = promptCount
    }

    /// What the report found and wrote.
    public struct Result: Sendable, CustomStringConvertible {
        /// One line for each dataset or table left out, with the reason.
        public var skipped: [String]
        /// The Markdown table written to `generalisation.md`.
        public var markdown: String
        /// The files written.
        public var files: [URL]
        /// The folder written to.
        public var folder: URL

        /// The skipped datasets, the Markdown table and the files written.
        public var description: String {
            (skipped + [markdown, "wrote \(folder.path)/generalisation.{csv,md} and SVG plots"]).joined(separator: "\n")
        }
    }

    /// scikit-learn's copy of the UCI optical recognition of handwritten digits (1,797 images of
    /// 8 × 8 pixels, 10 classes; the class in the last column), bundled with the library.
    public static var digitsURL: URL {
        (Bundle.module.resourceURL ?? Bundle.module.bundleURL).appendingPathComponent("Datasets/digits.csv")
    }

    /// Evaluates the run on every dataset and writes the files described above into `folder`
    /// (which must exist).
    ///
    /// - Parameter progress: called when the datasets are known and after each one, with its
    ///   accuracies at the most examples as the note.
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` when the run did not train on
    ///   `projectedDataset` tasks or reads prompts too short for the report; the errors of
    ///   loading the checkpoint, the datasets and the tables and of writing the files.
    public func write(to folder: URL, progress: (ProgressUpdate) -> Void = { _ in }) throws -> Result {
        let (configuration, learner, step) = try InContextTrainer.loadLearner(from: runFolder.appendingPathComponent("checkpoint.safetensors"))
        guard configuration.task.family == .projectedDataset else {
            throw InContextError.invalidConfiguration("\(runFolder.path) was not trained on projectedDataset tasks (family \(configuration.task.family))")
        }
        let pointCount = configuration.training.pointCount
        let counts = Self.exampleCounts.filter { $0 < pointCount }
        guard !counts.isEmpty else {
            throw InContextError.invalidConfiguration("\(runFolder.path) reads prompts of \(pointCount) points; the report needs more than \(Self.exampleCounts[0])")
        }
        let predictors: [any InContextPredictor] = [
            NamedPredictor(name: "mesa \(configuration.learner.architecture) (step \(step))", base: learner),
            try LogisticRegressionPredictor(penalty: 0.01, prefixes: Set(counts)),
            try NearestNeighborsPredictor(neighborCount: 5),
        ]
        var skipped: [String] = []
        var datasets: [(name: String, data: LabelledDataset)] = []
        var testTask = configuration.task
        testTask.datasetSplit = "test"
        let (base, baseName) = try testTask.loadDataset()   // a CSV base has no test split: its own rows, unseen projections
        datasets.append((testTask.dataset == "fashion-mnist" ? baseName : "\(baseName) (training rows)", base))
        datasets.append(("digits", try LabelledDataset(table: try CSVTable(contentsOf: Self.digitsURL), source: "digits.csv")))
        datasets = datasets.filter { dataset in
            guard dataset.data.classNames.count <= configuration.task.classCount else {
                skipped.append("skipping \(dataset.name): \(dataset.data.classNames.count) classes, the learner reads \(configuration.task.classCount)")
                return false
            }
            return true
        }
        let fixedCount = datasets.count
        if let tablesFolder {
            let (tables, skippedTables) = try Self.tables(in: tablesFolder, minimumRows: pointCount, maximumClasses: configuration.task.classCount)
            datasets += tables
            skipped += skippedTables
        }

        var csv = "dataset,method,examples,accuracy,standard_error\n"
        var markdown = "| dataset | " + counts.flatMap { count in predictors.indices.map { "\(count): \(Self.shortNames[$0])" } }.joined(separator: " | ") + " |\n"
        markdown += "|---|" + String(repeating: "---|", count: counts.count * predictors.count) + "\n"
        var tableMeans = [[Double]](repeating: [Double](repeating: 0, count: counts.count), count: predictors.count)
        var tableCount = 0
        var files: [URL] = []
        progress(ProgressUpdate(completed: 0, total: datasets.count))
        for (index, dataset) in datasets.enumerated() {
            let tasks = try ProjectedDatasetTasks(dataset: dataset.data, datasetName: dataset.name, inputDimension: configuration.task.inputDimension,
                                                  classCount: configuration.task.classCount, taskCount: nil, seed: 0x5EED &+ UInt64(index))
            let curves = GPICLExperiment.accuracy(of: predictors, on: tasks, promptCount: promptCount, pointCount: pointCount, seed: 303)
            var cells: [String] = []
            for (c, count) in counts.enumerated() {
                for (p, curve) in curves.enumerated() {
                    let point = curve.points[count]
                    csv += "\(Self.quoted(dataset.name)),\(Self.quoted(curve.predictor)),\(count),"
                        + "\(GPICLExperiment.fourDecimals(point.mean)),\(GPICLExperiment.fourDecimals(point.standardError))\n"
                    cells.append(String(format: "%.3f", point.mean))
                    if index >= fixedCount { tableMeans[p][c] += point.mean }
                }
            }
            if index >= fixedCount { tableCount += 1 }
            markdown += "| \(dataset.name) | " + cells.joined(separator: " | ") + " |\n"
            if index < fixedCount {
                let url = folder.appendingPathComponent(dataset.name == "digits" ? "digits.svg" : "fashion-mnist.svg")
                let series = curves.map { curve in SVGChart.Series(name: curve.predictor, points: counts.map { (Double($0), curve.points[$0].mean) }) }
                try SVGChart.lines(title: "\(dataset.name): accuracy in context (10-way chance 0.1)", xLabel: "examples in context",
                                   yLabel: "accuracy", series: series).write(to: url)
                files.append(url)
            }
            progress(ProgressUpdate(completed: index + 1, total: datasets.count, note: "\(dataset.name): "
                + curves.map { "\($0.predictor) \(String(format: "%.3f", $0.points[counts.last!].mean))" }.joined(separator: ", ") + " at \(counts.last!) examples"))
        }
        if tableCount > 0 {
            markdown += "| mean of \(tableCount) tables | "
                + counts.indices.flatMap { c in predictors.indices.map { String(format: "%.3f", tableMeans[$0][c] / Double(tableCount)) } }.joined(separator: " | ") + " |\n"
            let series = predictors.indices.map { p in
                SVGChart.Series(name: predictors[p].name, points: counts.indices.map { (Double(counts[$0]), tableMeans[p][$0] / Double(tableCount)) })
            }
            let url = folder.appendingPathComponent("tables.svg")
            try SVGChart.lines(title: "Mean over \(tableCount) tables", xLabel: "examples in context", yLabel: "accuracy", series: series).write(to: url)
            files.append(url)
        }
        let csvURL = folder.appendingPathComponent("generalisation.csv"), markdownURL = folder.appendingPathComponent("generalisation.md")
        try OutputFile(csvURL, contents: "the generalisation table").write(csv)
        try OutputFile(markdownURL, contents: "the generalisation report").write(markdown)
        return Result(skipped: skipped, markdown: markdown, files: [csvURL, markdownURL] + files, folder: folder)
    }

    /// The usable classification tables of `folder` (every CSV but digits, sorted by name),
    /// standardised after ``TabularPreprocessor``'s encoding (categories, missing values), and a
    /// line for each table left out with the reason (too few or too many classes, too few rows).
    static func tables(in folder: URL, minimumRows: Int, maximumClasses: Int) throws -> (tables: [(name: String, data: LabelledDataset)], skipped: [String]) {
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "csv" && !$0.lastPathComponent.contains("digits") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var result: [(String, LabelledDataset)] = [], skipped: [String] = []
        for file in files {
            let name = file.deletingPathExtension().lastPathComponent
            guard let read = try? TabularTable(try CSVTable(contentsOf: file), source: file.lastPathComponent),
                  TabularEvaluation.detectKind(read) == .classification else { continue }
            var table = read.selecting(read.targets.indices.filter { !TabularTable.isMissing(read.targets[$0]) })   // unlabelled rows out
            table.targets = table.targets.map { $0.trimmingCharacters(in: .whitespaces) }
            let classNames = Array(Set(table.targets)).sorted()
            guard (2...maximumClasses).contains(classNames.count), table.count >= minimumRows else {
                skipped.append("skipping \(name): \(classNames.count) classes, \(table.count) rows")
                continue
            }
            let features = try TabularPreprocessor(fitting: table).transform(table)
            let classIndex = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
            result.append((name, try LabelledDataset(features: features, labels: table.targets.map { classIndex[$0]! },
                                                     featureCount: features.count / table.count, classNames: classNames)))
        }
        return (result, skipped)
    }

    /// The predictors' short names in the Markdown header, in order.
    static let shortNames = ["mesa", "logistic", "5-NN"]

    /// `text` as a quoted CSV field (inner quotes doubled).
    static func quoted(_ text: String) -> String { "\"\(text.replacingOccurrences(of: "\"", with: "\"\""))\"" }
}
