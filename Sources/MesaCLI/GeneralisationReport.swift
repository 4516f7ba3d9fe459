import Foundation
import Mesa

/// The generalisation experiment of ``GPICLExperiment``: a trained general-purpose in-context
/// learner, beside logistic regression and k-nearest neighbours given the same examples, on
/// unseen projections of Fashion-MNIST test images, on scikit-learn digits (bundled) and on every
/// classification table of a folder with 2–10 classes and at least as many rows as a prompt.
/// Each dataset is standardised and randomly projected to the learner's width with fresh
/// projections and label permutations (``ProjectedDatasetTasks``, infinite pool).
struct GeneralisationReport {
    let runFolder: URL
    let tablesFolder: URL?
    let promptCount: Int
    /// The numbers of in-context examples reported.
    static let exampleCounts = [10, 25, 50, 99]

    func write(to folder: URL) throws {
        let (configuration, learner, step) = try InContextTrainer.loadLearner(from: runFolder.appendingPathComponent("checkpoint.safetensors"))
        guard configuration.task.family == "projectedDataset" else {
            throw ValidationErrorMessage("\(runFolder.path) was not trained on projectedDataset tasks (family \(configuration.task.family))")
        }
        let pointCount = configuration.training.pointCount
        let counts = Self.exampleCounts.filter { $0 < pointCount }
        guard !counts.isEmpty else {
            throw ValidationErrorMessage("\(runFolder.path) reads prompts of \(pointCount) points; the report needs more than \(Self.exampleCounts[0])")
        }
        let predictors: [any InContextPredictor] = [
            NamedPredictor(name: "mesa \(configuration.learner.architecture) (step \(step))", base: learner),
            try LogisticRegressionPredictor(penalty: 0.01, prefixes: Set(counts)),
            try NearestNeighborsPredictor(neighborCount: 5),
        ]
        var datasets: [(name: String, data: LabelledDataset)] = []
        var testTask = configuration.task
        testTask.datasetSplit = "test"
        let (base, baseName) = try testTask.loadDataset()   // a CSV base has no test split: its own rows, unseen projections
        datasets.append((testTask.dataset == "fashion-mnist" ? baseName : "\(baseName) (training rows)", base))
        let digits = Bundle.module.url(forResource: "digits", withExtension: "csv", subdirectory: "Data")!
        datasets.append(("digits", try LabelledDataset(table: try CSVTable(contentsOf: digits), source: "digits.csv")))
        datasets = datasets.filter { dataset in
            guard dataset.data.classNames.count <= configuration.task.classCount else {
                print("skipping \(dataset.name): \(dataset.data.classNames.count) classes, the learner reads \(configuration.task.classCount)")
                return false
            }
            return true
        }
        let fixedCount = datasets.count
        if let tablesFolder { datasets += try tables(in: tablesFolder, minimumRows: pointCount, maximumClasses: configuration.task.classCount) }

        var csv = "dataset,method,examples,accuracy,standard_error\n"
        var markdown = "| dataset | " + counts.flatMap { count in predictors.indices.map { "\(count): \(short($0))" } }.joined(separator: " | ") + " |\n"
        markdown += "|---|" + String(repeating: "---|", count: counts.count * predictors.count) + "\n"
        var tableMeans = [[Double]](repeating: [Double](repeating: 0, count: counts.count), count: predictors.count)
        var tableCount = 0
        var progress = ProgressBar(total: datasets.count, label: "datasets")
        for (index, dataset) in datasets.enumerated() {
            let tasks = try ProjectedDatasetTasks(dataset: dataset.data, datasetName: dataset.name, inputDimension: configuration.task.inputDimension,
                                                  classCount: configuration.task.classCount, taskCount: nil, seed: 0x5EED &+ UInt64(index))
            let curves = GPICLExperiment.accuracy(of: predictors, on: tasks, promptCount: promptCount, pointCount: pointCount, seed: 303)
            var cells: [String] = []
            for (c, count) in counts.enumerated() {
                for (p, curve) in curves.enumerated() {
                    let point = curve.points[count]
                    csv += "\(quoted(dataset.name)),\(quoted(curve.predictor)),\(count),\(fourDecimals(point.mean)),\(fourDecimals(point.standardError))\n"
                    cells.append(String(format: "%.3f", point.mean))
                    if index >= fixedCount { tableMeans[p][c] += point.mean }
                }
            }
            if index >= fixedCount { tableCount += 1 }
            markdown += "| \(dataset.name) | " + cells.joined(separator: " | ") + " |\n"
            if index < fixedCount { try plot(curves, counts: counts, title: dataset.name, file: dataset.name == "digits" ? "digits" : "fashion-mnist", folder: folder) }
            progress.update(completed: index + 1)
            progress.note("\(dataset.name): " + curves.map { "\($0.predictor) \(String(format: "%.3f", $0.points[counts.last!].mean))" }.joined(separator: ", ") + " at \(counts.last!) examples")
        }
        if tableCount > 0 {
            markdown += "| mean of \(tableCount) tables | " + counts.indices.flatMap { c in predictors.indices.map { String(format: "%.3f", tableMeans[$0][c] / Double(tableCount)) } }.joined(separator: " | ") + " |\n"
            let series = predictors.indices.map { p in
                SVGChart.Series(name: predictors[p].name, points: counts.indices.map { (Double(counts[$0]), tableMeans[p][$0] / Double(tableCount)) })
            }
            try SVGChart.lines(title: "Mean over \(tableCount) tables", xLabel: "examples in context", yLabel: "accuracy", series: series).svg()
                .write(to: folder.appendingPathComponent("tables.svg"), atomically: true, encoding: .utf8)
        }
        try csv.write(to: folder.appendingPathComponent("generalisation.csv"), atomically: true, encoding: .utf8)
        try markdown.write(to: folder.appendingPathComponent("generalisation.md"), atomically: true, encoding: .utf8)
        print(markdown)
        print("wrote \(folder.path)/generalisation.{csv,md} and SVG plots")
    }

    /// The usable classification tables of `folder`, standardised after TabularPreprocessor's
    /// encoding (categories, missing values); the reason is printed for each table left out.
    func tables(in folder: URL, minimumRows: Int, maximumClasses: Int) throws -> [(name: String, data: LabelledDataset)] {
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "csv" && !$0.lastPathComponent.contains("digits") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var result: [(String, LabelledDataset)] = []
        for file in files {
            let name = file.deletingPathExtension().lastPathComponent
            guard let read = try? TabularTable(try CSVTable(contentsOf: file), source: file.lastPathComponent),
                  TabularEvaluation.detectKind(read) == .classification else { continue }
            var table = read.selecting(read.targets.indices.filter { !TabularTable.isMissing(read.targets[$0]) })   // unlabelled rows out
            table.targets = table.targets.map { $0.trimmingCharacters(in: .whitespaces) }
            let classNames = Array(Set(table.targets)).sorted()
            guard (2...maximumClasses).contains(classNames.count), table.count >= minimumRows else {
                print("skipping \(name): \(classNames.count) classes, \(table.count) rows")
                continue
            }
            let features = try TabularPreprocessor(fitting: table).transform(table)
            let classIndex = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
            result.append((name, try LabelledDataset(features: features, labels: table.targets.map { classIndex[$0]! },
                                                     featureCount: features.count / table.count, classNames: classNames)))
        }
        return result
    }

    func plot(_ curves: [ErrorCurve], counts: [Int], title: String, file: String, folder: URL) throws {
        let series = curves.map { curve in SVGChart.Series(name: curve.predictor, points: counts.map { (Double($0), curve.points[$0].mean) }) }
        try SVGChart.lines(title: "\(title): accuracy in context (10-way chance 0.1)", xLabel: "examples in context", yLabel: "accuracy", series: series).svg()
            .write(to: folder.appendingPathComponent("\(file).svg"), atomically: true, encoding: .utf8)
    }

    func short(_ index: Int) -> String { ["mesa", "logistic", "5-NN"][index] }
    func quoted(_ text: String) -> String { "\"\(text.replacingOccurrences(of: "\"", with: "\"\""))\"" }
}
