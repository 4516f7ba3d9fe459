import Foundation
import MesaCore
import MesaNN

/// How the tabular predictors treat a request: ensemble size, limits and the options that lift them.
public struct TabularPredictionOptions: Sendable {
    /// Ensemble members: each sees its own feature order, class labelling (classification) and
    /// preprocessing variant (``TabularEnsembleMember/Variant``: plain robust scaling, a signed
    /// log squashing of it, decorrelated features, or normal quantiles of the ranks), and, for
    /// large tables, its own subsample of the labelled rows. `nil` (the default):
    /// ``resolvedEnsembleSize(labelledRowCount:)``.
    public var ensembleSize: Int?
    /// The most labelled rows in one context; larger tables go through a subsample ensemble.
    public var maximumContextRows = 1000
    /// Local context (retrieval): each row to predict gets its own context, its this many nearest
    /// labelled rows (Euclidean distance in the encoded features), instead of a shared one
    /// (Thomas et al. 2024, LoCalPFN; Ma et al. 2024, TabDPT). Used for classification when the
    /// labelled rows exceed ``maximumContextRows`` or the classes exceed the model's (then, when
    /// all the labelled rows fit in one context, averaged half and half with the class hierarchy
    /// of ``manyClasses``); `nil`: never. Default 100, chosen on the development half of the
    /// benchmark tables (letter, dna, vowel; `benchmarks/tabular/dev.txt`) against no local
    /// context; 300 was no better on dna.
    public var localContextRows: Int? = 100
    /// The most rows to predict in one forward pass (memory grows with the square of a pass's
    /// rows; passes do not affect each other's predictions).
    public var maximumTestRowsPerPass = 1000
    /// Features per ensemble member for wider tables; `nil`: the most the model saw in
    /// pre-training (its prior's feature range), so no member reads input positions the
    /// pre-training never used. Tables within it are read whole.
    public var maximumFeaturesPerMember: Int?
    /// Allow more features than the model reads: each member gets a subset, the first member the
    /// most relevant features (between- to within-class variance; target deciles for regression),
    /// the others a sample weighted by relevance.
    public var subsampleFeatures = false
    /// Allow more classes than the model's 10 without local contexts: each member predicts
    /// through its own random class hierarchy, a group of classes from the whole context, then
    /// the class within the group from that group's rows (`TabularClassifier+ClassHierarchy.swift`;
    /// TabICL's hierarchical classification).
    public var manyClasses = false
    /// Columns to read as numeric or categorical, by name (overriding detection).
    public var columnKinds: [String: TabularPreprocessor.ColumnKind] = [:]
    /// Columns to drop.
    public var ignoredColumns: Set<String> = []
    /// Steps of fine-tuning a copy of the model on the labelled rows before predicting (0, the
    /// default: none): the pre-training objective on the table itself (`TabularFineTuning`).
    /// Not applied with more classes than the model's.
    public var fineTuningSteps = 0
    /// The learning rate of the fine-tuning steps (Adam).
    public var fineTuningLearningRate: Float = 3e-5
    /// The softmax temperature `T` of each member's class probabilities, `softmax(logits / T)`,
    /// before the members are averaged (classification). Below 1 sharpens each member, so the
    /// average leans towards the members' votes; TabPFN v2 (Hollmann et al. 2025) uses 0.9.
    public var softmaxTemperature: Float = 1
    /// Correct the classifier's probabilities by a ``TabularContextCalibration`` fitted on
    /// cross-validated predictions of the labelled rows (off by default): used when the members
    /// share one context (at most ``maximumContextRows`` labelled rows and the model's classes),
    /// with at least ``TabularContextCalibration/minimumRowsPerClass`` labelled rows per class
    /// and without fine-tuning; it costs ``TabularContextCalibration/foldCount`` predictions of
    /// a fold by ``TabularContextCalibration/memberCount`` members, once per
    /// ``TabularClassifier/fit(_:)``, about as much again as the prediction itself. On the
    /// development half of the benchmark tables it gained +0.0026 ± 0.0012 accuracy with the
    /// stage-4 classifier (10 splits, paired), below the +0.003 fixed beforehand for a default,
    /// and +0.0016 ± 0.0005 with the stage-5 one shipped since; it doubles the time of the
    /// 500-row speed benchmark, so it is an option (docs/tabular.md).
    public var contextCalibration = false
    /// The seed of the ensemble's permutations and subsamples.
    public var seed: UInt64 = 0

    /// The defaults.
    public init() {}

    /// The members to draw: ``ensembleSize`` when set, else 8 when all the labelled rows fit in
    /// one context (at most ``maximumContextRows``) and 4 when they do not (local contexts, or
    /// subsamples of a large table), where each member costs a pass per row or a full context and
    /// the speed targets of `benchmarks/tabular/speed.py` bind. With more classes than the model's
    /// and all rows in one context, the 8 members serve both the local contexts and the class
    /// hierarchy they are averaged with. Eight members over the four preprocessing variants were
    /// chosen on the development half of the benchmark tables (`benchmarks/tabular/dev.txt`;
    /// docs/tabular.md) against four, and for many classes on a suite built from it.
    public func resolvedEnsembleSize(labelledRowCount: Int) -> Int {
        max(1, ensembleSize ?? (labelledRowCount <= maximumContextRows ? 8 : 4))
    }

    /// The features each member reads: all `width` when they fit, else a relevance-weighted subset of
    /// ``maximumFeaturesPerMember`` (default: `trained`), never more than the model's input.
    func featuresPerMember(width: Int, model: TabularTransformer, trained: Int) -> Int {
        min(width, model.configuration.maximumFeatures, max(1, maximumFeaturesPerMember ?? trained))
    }

    /// `table` without the ignored columns; an error when it has no rows.
    func checkedTrainingTable(_ table: TabularTable) throws -> TabularTable {
        let unknown = ignoredColumns.subtracting(table.featureNames)
        guard unknown.isEmpty else {
            throw TabularError.invalidTable("--ignore names \(unknown.count == 1 ? "a column" : "columns") the training table does not have: \(unknown.sorted().joined(separator: ", ")) (its feature columns: \(table.featureNames.joined(separator: ", ")))")
        }
        let kept = table.removingColumns(ignoredColumns)
        guard !kept.featureNames.isEmpty else {
            throw TabularError.invalidTable("--ignore drops every feature column (\(table.featureNames.joined(separator: ", "))); keep at least one to predict from")
        }
        guard kept.count > 0 else { throw TabularError.invalidTable("the training table has a header but no rows") }
        return kept
    }

    /// The training features of `train`'s `rows` (in that order) and the test features, as the
    /// model reads them (before padding), and their count; too many features is an error unless
    /// ``subsampleFeatures``.
    func encode(train: TabularTable, rows: [Int], test: TabularTable, model: TabularTransformer) throws -> (train: [Float], test: [Float], width: Int) {
        let preprocessor = try TabularPreprocessor(fitting: train, test: test, kinds: columnKinds)
        let width = preprocessor.featureCount, limit = model.configuration.maximumFeatures
        if width > limit && !subsampleFeatures {
            throw TabularError.unsupported("the table has \(width) features after encoding (missing-value indicators included); the model reads \(limit). Pass --subsample-features (options.subsampleFeatures) to give each ensemble member \(limit) of them, chosen by relevance")
        }
        return (try preprocessor.transform(train, rows: rows), try preprocessor.transform(test), width)
    }
}
