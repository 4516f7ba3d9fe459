import Foundation
import MesaCore
import MesaNN

/// Classifies the rows of a table in one forward pass of a pre-trained tabular in-context
/// model: no training, no tuning.
///
/// ```swift
/// let model = try TabularClassifier()                 // the shipped checkpoint
/// try model.fit(trainTable)                               // stores the labelled rows
/// let probabilities = try model.predictProbabilities(testTable)   // [rows][classes]
/// let labels = try model.predict(testTable)
/// ```
public final class TabularClassifier {
    /// The pre-trained model.
    public let model: TabularTransformer
    /// The checkpoint's metadata (recipe, configuration, training time).
    public let metadata: [String: String]
    /// Ensemble, limits and column options (changing them drops the fitted calibration).
    public var options: TabularPredictionOptions { didSet { calibration = nil } }
    /// The class labels, sorted, in the order of the probability columns.
    public private(set) var classNames: [String] = []
    /// How the last prediction used the model (context size, ensemble), for the user.
    public private(set) var mode = ""
    /// The most raw features of the tables the model was pre-trained on (its prior's range).
    let trainedFeatureCount: Int
    var train: TabularTable?
    /// The labelled rows in the order the model reads them (``TabularTable/canonicalRowOrder()``).
    var trainRows: [Int] = []
    /// The labelled rows' class indices (into ``classNames``), in ``trainRows`` order.
    var labels: [Int] = []
    /// The calibration fitted for the labelled rows, once computed (`.some(nil)`: none applies).
    private var calibration: TabularContextCalibration??

    /// Loads `modelURL`, or the shipped classifier.
    public init(modelURL: URL? = nil, options: TabularPredictionOptions = TabularPredictionOptions()) throws {
        let loaded = try TabularModelFile.load(modelURL, kind: .classification)
        (model, metadata, trainedFeatureCount) = (loaded.model, loaded.metadata, loaded.recipe.prior.featureRange.upperBound)
        self.options = options
    }

    /// A classifier sharing `model` (the cross-validation folds of ``contextCalibration()``).
    init(model: TabularTransformer, metadata: [String: String], trainedFeatureCount: Int, options: TabularPredictionOptions) {
        (self.model, self.metadata, self.trainedFeatureCount, self.options) = (model, metadata, trainedFeatureCount, options)
    }

    /// Stores the labelled rows (a table whose targets are class labels, any strings).
    public func fit(_ table: TabularTable) throws {
        let table = try options.checkedTrainingTable(table)
        if let missing = table.targets.firstIndex(where: TabularTable.isMissingLabel) {
            throw TabularError.invalidTable("training row \(missing + 1) has an empty cell in the target column '\(table.targetName)'; every training row needs a label")
        }
        let names = table.targets.map { $0.trimmingSpaces() }
        classNames = Array(Set(names)).sorted()
        guard classNames.count >= 2 else {
            throw TabularError.invalidTable("the target column '\(table.targetName)' has a single class ('\(classNames.first ?? "")'); classification needs at least two")
        }
        if classNames.count > model.configuration.maximumClasses && !options.manyClasses && options.localContextRows == nil {
            throw TabularError.unsupported("the target has \(classNames.count) classes; the model handles \(model.configuration.maximumClasses) in one pass. Pass --many-classes (options.manyClasses) to predict through a class hierarchy (groups of classes, then the class within its group), or --local-context K (options.localContextRows) to predict each row from its K nearest labelled rows")
        }
        _ = try TabularPreprocessor(fitting: table, kinds: options.columnKinds)   // column errors surface at fit time
        // Predictions depend on the table, not on the order of its file's columns and rows.
        let sorted = table.sortingColumnsByName()
        trainRows = sorted.canonicalRowOrder()
        let index = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        labels = trainRows.map { index[names[$0]]! }
        train = sorted
        calibration = nil
    }

    /// The class probabilities of every row of `table`: `[rows][classNames.count]`; with
    /// ``TabularPredictionOptions/contextCalibration``, corrected by ``contextCalibration()``.
    public func predictProbabilities(_ table: TabularTable) throws -> [[Float]] {
        let combined = try ensembleProbabilities(table, keepingMembers: false).combined
        guard let calibration = try contextCalibration() else {
            if options.contextCalibration {
                mode += ", not calibrated (calibration needs at least \(TabularContextCalibration.minimumRowsPerClass) labelled rows per class, one shared context of at most \(options.maximumContextRows) rows and \(model.configuration.maximumClasses) classes, and no fine-tuning)"
            }
            return combined
        }
        mode += ", calibrated on \(TabularContextCalibration.foldCount)-fold predictions of the labelled rows (scale \(String(format: "%.2f", calibration.scale)))"
        return combined.map { calibration.applied(to: $0) }
    }

    /// The ``TabularContextCalibration`` that ``predictProbabilities(_:)`` applies for the
    /// labelled rows of the last ``fit(_:)``, fitted on its first call: each of
    /// ``TabularContextCalibration/foldCount`` stratified folds of the labelled rows predicted
    /// by ``TabularContextCalibration/memberCount`` members from the other folds (preprocessing
    /// fitted on those, as for any table). `nil` when ``TabularPredictionOptions/contextCalibration``
    /// is off or does not apply: fine-tuning, local contexts, more classes than the model's,
    /// more labelled rows than one context, fewer than
    /// ``TabularContextCalibration/minimumRowsPerClass`` rows per class, or a fold whose other
    /// rows hold a single class.
    public func contextCalibration() throws -> TabularContextCalibration? {
        if let calibration { return calibration }
        guard let train else { throw TabularError.invalidTable("call fit(_:) with a labelled table before predicting") }
        let classCount = classNames.count
        guard options.contextCalibration, options.fineTuningSteps == 0, classCount <= model.configuration.maximumClasses,
              train.count <= options.maximumContextRows, !usesLocalContext(trainCount: train.count),
              train.count >= TabularContextCalibration.minimumRowsPerClass * classCount else {
            calibration = .some(nil)
            return nil
        }
        var rowLabels = [Int](repeating: 0, count: train.count)
        for (position, row) in trainRows.enumerated() { rowLabels[row] = labels[position] }
        var generator = RandomGenerator(seed: options.seed)
        let folds = TabularContextCalibration.stratifiedFolds(labels: rowLabels, count: TabularContextCalibration.foldCount, using: &generator)
        var foldOptions = options
        foldOptions.contextCalibration = false
        foldOptions.ignoredColumns = []   // already dropped from `train`
        foldOptions.ensembleSize = min(TabularContextCalibration.memberCount, options.resolvedEnsembleSize(labelledRowCount: train.count))
        var probabilities = [[Double]](repeating: [], count: train.count)
        for fold in folds where !fold.isEmpty {
            let held = Set(fold)
            let others = (0..<train.count).filter { !held.contains($0) }
            guard Set(others.map { rowLabels[$0] }).count >= 2 else {
                calibration = .some(nil)
                return nil
            }
            let classifier = TabularClassifier(model: model, metadata: metadata, trainedFeatureCount: trainedFeatureCount, options: foldOptions)
            try classifier.fit(train.selecting(others))
            let predicted = try classifier.predictProbabilities(train.selecting(fold))
            let column = classifier.classNames.map { classNames.firstIndex(of: $0)! }
            for (row, p) in zip(fold, predicted) {
                var full = [Double](repeating: 0, count: classCount)
                for (j, c) in column.enumerated() { full[c] = Double(p[j]) }
                probabilities[row] = full
            }
        }
        let fitted = TabularContextCalibration.fitted(probabilities: probabilities, labels: rowLabels, classCount: classCount)
        calibration = .some(fitted)
        return fitted
    }

    /// Every ensemble member's class probabilities for every row of `table`:
    /// `[members][rows][classNames.count]`; their mean is ``predictProbabilities(_:)``. For a
    /// committee's disagreement (active learning's query by committee). Only where members share
    /// one context and see every class: at most ``TabularModelConfiguration/maximumClasses``
    /// classes and at most ``TabularPredictionOptions/maximumContextRows`` labelled rows (or no
    /// local context).
    public func predictMemberProbabilities(_ table: TabularTable) throws -> [[[Float]]] {
        guard let members = try ensembleProbabilities(table, keepingMembers: true).members else {
            throw TabularError.unsupported("per-member probabilities need at most \(model.configuration.maximumClasses) classes and a shared context (at most \(options.maximumContextRows) labelled rows); this table has \(classNames.count) classes and \(train?.count ?? 0) labelled rows")
        }
        return members
    }

    /// The ensemble's members for the labelled rows' `trainFeatures` (`width` per row), drawn from `generator`.
    func drawMembers(trainFeatures: [Float], width: Int, trainCount: Int, using generator: inout RandomGenerator) -> [TabularEnsembleMember] {
        let limit = options.featuresPerMember(width: width, model: model, trained: trainedFeatureCount)
        return TabularEnsembleMember.draw(count: options.resolvedEnsembleSize(labelledRowCount: trainCount), width: width, featureLimit: limit,
                                          trainCount: trainCount, maximumRows: options.maximumContextRows, strata: labels,
                                          relevance: width > limit ? TabularEnsembleMember.relevance(features: trainFeatures, width: width, strata: labels) : nil,
                                          using: &generator)
    }

    /// A member's class labelling: class `c` → `code[c]`, a random permutation of the classes
    /// (at most the model's), drawn from `generator`.
    func classCode(using generator: inout RandomGenerator) -> [Int] {
        var code = Array(0..<classNames.count)
        generator.shuffle(&code)
        return code
    }

    /// The probabilities of ``predictProbabilities(_:)`` and, when `keepingMembers` and the
    /// members share a context and see every class, each member's.
    private func ensembleProbabilities(_ table: TabularTable, keepingMembers: Bool) throws -> (combined: [[Float]], members: [[[Float]]]?) {
        guard let train else { throw TabularError.invalidTable("call fit(_:) with a labelled table before predicting") }
        let test = table.removingColumns(options.ignoredColumns)
        guard test.count > 0 else { return ([], keepingMembers ? [] : nil) }
        let (trainFeatures, testFeatures, width) = try options.encode(train: train, rows: trainRows, test: test, model: model)
        let classCount = classNames.count, modelClasses = model.configuration.maximumClasses
        var generator = RandomGenerator(seed: options.seed)
        let members = drawMembers(trainFeatures: trainFeatures, width: width, trainCount: train.count, using: &generator)
        var model = self.model
        if options.fineTuningSteps > 0, classCount <= modelClasses {
            model = try TabularFineTuning.tuned(model, options: options, trainFeatures: trainFeatures, width: width, members: members,
                                                classCount: classCount, targets: { rows, generator in
                let code = classCode(using: &generator)   // a permutation: the classes fit
                return rows.map { Float(code[labels[$0]]) }
            }, generator: &generator)
        }
        if usesLocalContext(trainCount: train.count), let k = options.localContextRows {
            let mixed = classCount > modelClasses && train.count <= options.maximumContextRows
            mode = "\(members.count)-member ensemble, local contexts of each row's \(k) nearest labelled rows (of \(train.count))"
                + (mixed ? ", averaged half and half with a class hierarchy over all of them (\(classCount) classes)" : "")
                + (members[0].featureOrder.count < width ? ", \(members[0].featureOrder.count) of \(width) features per member" : "")
                + (options.fineTuningSteps > 0 && classCount <= modelClasses ? ", fine-tuned for \(options.fineTuningSteps) steps on the labelled rows" : "")
            let local = localContextProbabilities(trainFeatures: trainFeatures, testFeatures: testFeatures, width: width, testCount: test.count,
                                                  k: k, members: members, model: model, generator: &generator)
            guard mixed else { return (local, nil) }
            // More classes than the model's, all labelled rows in one context: each row's
            // neighbourhood (the ten classes nearest to it) and the whole table's evidence
            // (the hierarchy) both count. Chosen on the development half (docs/tabular.md).
            let global = hierarchyEnsemble(members: members, trainFeatures: trainFeatures, testFeatures: testFeatures, width: width,
                                           testCount: test.count, model: model, generator: &generator)
            return (zip(local, global).map { l, g in zip(l, g).map { Float(0.5 * Double($0) + 0.5 * $1) } }, nil)
        }
        mode = "\(members.count)-member ensemble, \(members[0].contextRows.count) labelled rows in context"
            + (train.count > options.maximumContextRows ? " (stratified subsamples of \(train.count))" : "")
            + (members[0].featureOrder.count < width ? ", \(members[0].featureOrder.count) of \(width) features per member" : "")
            + (classCount > modelClasses ? ", \(classCount) classes through a class hierarchy (groups of classes, then the class within its group)" : "")
            + (options.fineTuningSteps > 0 && classCount <= modelClasses ? ", fine-tuned for \(options.fineTuningSteps) steps on the labelled rows" : "")
        if classCount > modelClasses {
            let probabilities = hierarchyEnsemble(members: members, trainFeatures: trainFeatures, testFeatures: testFeatures, width: width,
                                                  testCount: test.count, model: model, generator: &generator)
            return (probabilities.map { $0.map(Float.init) }, nil)
        }
        var averaged = [Double](repeating: 0, count: test.count * classCount)
        var memberProbabilities: [[[Float]]]? = keepingMembers ? [] : nil
        for member in members {
            let code = classCode(using: &generator)
            let logits = member.logits(train: trainFeatures, test: testFeatures, width: width, testCount: test.count,
                                       contextTargets: member.contextRows.map { Float(code[labels[$0]]) }, model: model,
                                       chunk: options.maximumTestRowsPerPass)
            var own: [[Float]] = []
            for row in 0..<test.count {
                let p = memberSoftmax(logits, offset: row * modelClasses, count: classCount)
                if memberProbabilities != nil { own.append((0..<classCount).map { Float(p[code[$0]]) }) }
                for c in 0..<classCount { averaged[row * classCount + c] += p[code[c]] / Double(members.count) }
            }
            memberProbabilities?.append(own)
        }
        let combined = (0..<test.count).map { row in (0..<classCount).map { Float(averaged[row * classCount + $0]) } }
        return (combined, memberProbabilities)
    }

    /// One member's probabilities over its first `count` outputs at `offset` of `logits`:
    /// `softmax(logits / T)` with `T` the ``TabularPredictionOptions/softmaxTemperature``, in
    /// `Double`. Every prediction path (shared context, local contexts, class hierarchy,
    /// look-ahead) goes through it.
    func memberSoftmax(_ logits: [Float], offset: Int, count: Int) -> [Double] {
        let temperature = Double(options.softmaxTemperature)
        let scaled = (0..<count).map { Double(logits[offset + $0]) / temperature }
        let largest = scaled.max() ?? 0
        let exponentials = scaled.map { exp($0 - largest) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }

    /// The most probable class of every row.
    public func predict(_ table: TabularTable) throws -> [String] {
        try predictProbabilities(table).map { p in classNames[p.indices.max { p[$0] < p[$1] } ?? 0] }
    }

}
