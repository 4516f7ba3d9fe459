import ArgumentParser
import Foundation
import Mesa

/// `mesa predict`: classifies or regresses the rows of a table with the shipped pre-trained
/// in-context model, in one forward pass (no training), optionally beside classic baselines.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict a table's targets with the shipped in-context model: labelled rows in, predictions with probabilities out, no training.",
        discussion: """
        With --train and --test: the labelled rows are --train, the rows to predict --test; the predictions go to --output. \
        With --train alone: a seeded 50/50 split (stratified by class) is predicted and scored. With neither: the bundled \
        wine table (scikit-learn's, 178 rows, 3 classes) is split and scored beside logistic regression and k-NN.         --seed (default 0) seeds the split and the ensemble.
        """
    )

    @Option(help: "The labelled rows (CSV with a header).") var train: String?
    @Option(help: "The rows to predict (CSV with the training columns; the target column may be absent).") var test: String?
    @Option(help: "The target column (default: the last column).") var target: String?
    @Option(help: "classification, regression or auto (numeric targets with more than 10 values are regression).") var task = PredictionTask.auto
    @Option(help: "Where to write the predictions (CSV; default runs/predict/predictions.csv; - for standard output, the messages then go to standard error).") var output: String?
    @Flag(help: "Print the baselines' scores beside Mesa's (logistic regression and k-NN; ridge and k-NN for regression).") var compare = false
    @Option(help: "Ensemble members (feature orders, class labellings, preprocessing variants; default: 8 when the labelled rows fit in one context (1,000), 4 for larger tables).") var ensemble: Int?
    @Option(help: "A model checkpoint of `mesa pretrain` instead of the shipped one.") var model: String?
    @Option(help: "Columns to read as categorical (comma-separated names).") var categorical: String?
    @Option(help: "Columns to read as numeric (comma-separated names).") var numeric: String?
    @Option(help: "Columns to drop (comma-separated names).") var ignore: String?
    @Option(help: "The field separator of the CSV files: , ; tab or | (default: detected from the header line and the first rows).") var delimiter: String?
    @Flag(help: "Read the tables, print how their columns are read (numeric or categorical, cells that are not numbers), and stop without predicting.") var describe = false
    @Flag(help: "Allow more than 10 classes without local contexts: each member predicts a group of classes, then the class within its group (a class hierarchy).") var manyClasses = false
    @Flag(help: "Allow more than 100 features (each member sees 100, the most relevant first, the others weighted by relevance).") var subsampleFeatures = false
    @Option(help: "Classification with more labelled rows than one context holds (1,000) or more than 10 classes: give each row to predict its own context of its this many nearest labelled rows (with more than 10 classes and at most 1,000 labelled rows, averaged with a class hierarchy over all of them; 0: never, the subsample ensemble or --many-classes instead).") var localContext = 100
    @Option(help: "Fine-tune a copy of the model on the labelled rows for this many steps before predicting (0: no fine-tuning; 100 is a good start; slower: about 0.05–0.3 s per step).") var fineTune = 0
    @Option(help: "The learning rate of --fine-tune (Adam).") var fineTuneRate: Float = 3e-5
    @Option(help: "The softmax temperature of each member's class probabilities before they are averaged (below 1: sharper members).") var temperature: Float = 1
    @Flag(help: "Classification: correct the probabilities by a scale and class biases fitted on 5-fold cross-validated predictions of the labelled rows (at least 10 labelled rows per class, at most 1,000 rows; about twice the time; docs/tabular.md).") var calibrate = false
    @Option(help: "The training fraction of the split when no --test is given.") var holdout = 0.5
    @OptionGroup var seedOption: SeedOption
    /// The seed of the split and of the ensemble (default 0).
    var seed: UInt64 { seedOption.value ?? 0 }
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        guard (ensemble ?? 1) >= 1 else { throw ValidationError("--ensemble must be ≥ 1") }
        guard localContext == 0 || localContext >= 2 else { throw ValidationError("--local-context must be 0 (off) or at least 2 rows, got \(localContext)") }
        guard fineTune >= 0 else { throw ValidationError("--fine-tune must be 0 (off) or a number of steps, got \(fineTune)") }
        guard fineTuneRate > 0 && fineTuneRate.isFinite else { throw ValidationError("--fine-tune-rate must be a positive learning rate, got \(fineTuneRate)") }
        guard temperature > 0 && temperature.isFinite else { throw ValidationError("--temperature must be a positive number, got \(temperature)") }
        guard holdout > 0 && holdout < 1 else { throw ValidationError("--holdout must be between 0 and 1") }
        if test != nil && train == nil { throw ValidationError("--test needs --train (the labelled rows)") }
        if let delimiter, CSVDelimiter(argument: delimiter) == nil {
            throw ValidationError("--delimiter must be one of , ; | or tab, got '\(delimiter)'")
        }
    }

    /// Prints `message` as a note on standard error (standard output keeps the results).
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("note: \(message)\n".utf8))
    }

    func run() throws {
        threads.apply()
        let start = Date()
        let compare = self.compare || train == nil   // the bundled demo always shows the baselines
        let trainURL = train.map { URL(fileURLWithPath: $0) }
            ?? (Bundle.module.resourceURL ?? Bundle.module.bundleURL).appendingPathComponent("Data/wine.csv")
        let trainSource = train ?? "bundled wine.csv"
        let destination = try checkedOutput().reservingStandardOutput()
        let separator = delimiter.flatMap(CSVDelimiter.init(argument:))
        let trainCSV = try CSVTable(contentsOf: trainURL, delimiter: separator)
        trainCSV.notes.forEach(Self.note)
        var labelled = try TabularTable(trainCSV, target: target, source: trainSource)
        var options = TabularPredictionOptions()
        options.ensembleSize = ensemble
        options.seed = seed
        options.manyClasses = manyClasses
        options.subsampleFeatures = subsampleFeatures
        options.localContextRows = localContext > 0 ? localContext : nil
        options.fineTuningSteps = fineTune
        options.fineTuningLearningRate = fineTuneRate
        options.softmaxTemperature = temperature
        options.contextCalibration = calibrate
        options.ignoredColumns = Set(Self.names(ignore))
        for name in Self.names(categorical) { options.columnKinds[name] = .categorical }
        for name in Self.names(numeric) { options.columnKinds[name] = .numeric }
        // How the columns are read is decided once, on every labelled row (before any split), and
        // kept for the fit, so the note says what the model sees.
        let reading = try TabularPreprocessor(fitting: labelled.removingColumns(options.ignoredColumns), kinds: options.columnKinds)
        if !reading.columns.isEmpty { Self.note("\(trainSource): \(reading.readingNote(for: labelled, declared: options.columnKinds))") }
        for column in reading.columns { options.columnKinds[column.name] = column.kind }
        var unlabelled: TabularTable
        var scored = true
        let kind = task.kind(for: labelled)
        if calibrate && kind == .regression {
            throw ValidationError("--calibrate corrects class probabilities; '\(labelled.targetName)' is read as a regression target (pass --task classification if its values are classes)")
        }
        if let test {
            let table = try CSVTable(contentsOf: URL(fileURLWithPath: test), delimiter: separator)
            table.notes.forEach(Self.note)
            unlabelled = try TabularTable(table, target: labelled.targetName, requireTarget: false, source: test)
            if let odd = reading.oddCellsNote(for: unlabelled) { Self.note("\(test): \(odd)") }
            let unlabelledRows = unlabelled.targets.contains { kind == .classification ? TabularTable.isMissingLabel($0) : TabularTable.isMissing($0) }
            scored = table.header.contains(labelled.targetName) && !unlabelledRows
            if !scored { unlabelled.targets = Array(repeating: "", count: unlabelled.count) }
        } else {
            let (trainRows, testRows) = TabularEvaluation.split(labelled, kind: kind, fraction: holdout, seed: seed)
            let whole = consume labelled
            (labelled, unlabelled) = whole.partitioned(trainRows, testRows)
        }
        let extra = Set(unlabelled.featureNames).subtracting(labelled.featureNames).subtracting(options.ignoredColumns)
        if !extra.isEmpty { print("note: ignoring test columns absent from the training table: \(extra.sorted().joined(separator: ", "))") }
        let modelURL = model.map { URL(fileURLWithPath: $0) }
        print("mesa predict: \(trainSource): \(labelled.count) labelled rows, \(unlabelled.count) to predict, \(labelled.featureNames.filter { !options.ignoredColumns.contains($0) }.count) features; \(kind.rawValue) of '\(labelled.targetName)'")
        if describe { return }
        let unseen = scored && kind == .classification ? TabularEvaluation.unseenLabels(train: labelled, test: unlabelled) : []
        if !unseen.isEmpty {
            let rows = unseen.map(\.rows).reduce(0, +)
            let listed = unseen.prefix(5).map { "'\($0.label)' (\($0.rows) row\($0.rows == 1 ? "" : "s"))" }.joined(separator: ", ") + (unseen.count > 5 ? ", …" : "")
            Self.note("\(rows) of the \(unlabelled.count) rows to predict have a label no labelled row has: \(listed); no prediction can match it, so the accuracy counts these rows as wrong")
        }

        if kind == .classification {
            let classifier = try TabularClassifier(modelURL: modelURL, options: options)
            if scored && compare {
                let results = try TabularEvaluation.classification(train: labelled, test: unlabelled, classifier: classifier)
                Self.printTable(results, classification: true)
            }
            try classifier.fit(labelled)
            let probabilities = try classifier.predictProbabilities(unlabelled)
            try destination.write(TabularPredictionFile.classification(classNames: classifier.classNames, probabilities: probabilities))
            if scored && !compare {
                let index = Dictionary(uniqueKeysWithValues: classifier.classNames.enumerated().map { ($1, $0) })
                let labels = unlabelled.targets.map { index[$0.trimmingCharacters(in: .whitespaces)] ?? -1 }
                var line = String(format: "accuracy %.4f on the %d held-out rows", TabularMetrics.accuracy(probabilities, labels: labels), labels.count)
                let seen = labels.indices.filter { labels[$0] >= 0 }
                if seen.count < labels.count {
                    line += seen.isEmpty ? " (none has a label seen in training)"
                        : String(format: " (%d with labels unseen in training count as wrong; %.4f on the other %d)", labels.count - seen.count,
                                 TabularMetrics.accuracy(seen.map { probabilities[$0] }, labels: seen.map { labels[$0] }), seen.count)
                }
                print(line)
            }
            print("model: \(classifier.mode); \(classifier.metadata["architecture"] ?? "")")
        } else {
            let regressor = try TabularRegressor(modelURL: modelURL, options: options)
            if scored && compare {
                Self.printTable(try TabularEvaluation.regression(train: labelled, test: unlabelled, regressor: regressor), classification: false)
            }
            try regressor.fit(labelled)
            let predictions = try regressor.predict(unlabelled)
            try destination.write(TabularPredictionFile.regression(predictions))
            if scored && !compare {
                let truth = unlabelled.targets.map { Double($0.trimmingCharacters(in: .whitespaces)) ?? .nan }
                print(String(format: "R² %.4f on the %d held-out rows", TabularMetrics.rSquared(predictions.map(\.mean), targets: truth), truth.count))
            }
            print("model: \(regressor.mode); \(regressor.metadata["architecture"] ?? "")")
        }
        print(String(format: "wrote %@ (%.2f s in all, model load included)", destination.path == "-" ? "the predictions to standard output" : destination.path,
                     Date().timeIntervalSince(start)))
    }

    /// The predictions' destination, checked before any work: its folder exists (the default
    /// folder runs/predict is created) and takes files, it is not a folder, and it is none of the
    /// input files.
    func checkedOutput() throws -> OutputFile {
        let defaultPath = "runs/predict/predictions.csv"
        if output == nil {
            try OutputFile.prepareFolder(URL(fileURLWithPath: defaultPath).deletingLastPathComponent(), contents: "predictions", option: "--output")
        }
        let destination = OutputFile(path: output ?? defaultPath, contents: "predictions", option: "--output")
        let inputs = [("--train", train), ("--test", test), ("--model", model)].compactMap { role, path in path.map { (role: role, url: URL(fileURLWithPath: $0)) } }
        try destination.check(notOverwriting: inputs)
        return destination
    }

    static func names(_ list: String?) -> [String] {
        (list ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func printTable(_ results: [TabularScores], classification: Bool) {
        if classification {
            print("method                 accuracy   log loss    ROC AUC   seconds")
            for r in results {
                print(r.method.padding(toLength: 20, withPad: " ", startingAt: 0)
                      + String(format: " %10.4f %10.4f %10@ %9.3f", r.accuracy ?? .nan, r.logLoss ?? .nan,
                               r.rocAUC.map { String(format: "%.4f", $0) } ?? "–", r.seconds))
            }
        } else {
            print("method                       R²       RMSE   seconds")
            for r in results {
                print(r.method.padding(toLength: 20, withPad: " ", startingAt: 0)
                      + String(format: " %10.4f %10.4g %9.3f", r.rSquared ?? .nan, r.rootMeanSquaredError ?? .nan, r.seconds))
            }
        }
    }
}
