import Foundation
import MesaCore
import MesaNN

/// Regresses the rows of a table in one forward pass of a pre-trained tabular in-context model.
///
/// Targets are standardised on the labelled rows; the model predicts a distribution over bins
/// of the standardised target (piecewise-constant density), averaged over the ensemble, from
/// which the mean and quantiles come, mapped back to the target's scale.
///
/// ```swift
/// let model = try TabularRegressor()
/// try model.fit(trainTable)
/// let predictions = try model.predict(testTable)   // mean and quantiles per row
/// ```
public final class TabularRegressor {
    /// The quantile levels reported: 5 %, 25 %, 50 %, 75 %, 95 %.
    public static let quantileLevels: [Double] = [0.05, 0.25, 0.5, 0.75, 0.95]
    /// The pre-trained model.
    public let model: TabularTransformer
    /// The checkpoint's metadata.
    public let metadata: [String: String]
    /// Ensemble, limits and column options (``TabularPredictionOptions/manyClasses`` is unused).
    public var options: TabularPredictionOptions
    /// How the last prediction used the model.
    public private(set) var mode = ""
    /// The most raw features of the tables the model was pre-trained on (its prior's range).
    let trainedFeatureCount: Int
    var train: TabularTable?
    /// The labelled rows in the order the model reads them (``TabularTable/canonicalRowOrder()``).
    var trainRows: [Int] = []
    /// The labelled rows' standardised targets, in ``trainRows`` order.
    var standardised: [Float] = []
    var mean = 0.0, scale = 1.0

    /// Loads `modelURL`, or the shipped regressor.
    public init(modelURL: URL? = nil, options: TabularPredictionOptions = TabularPredictionOptions()) throws {
        let loaded = try TabularModelFile.load(modelURL, kind: .regression)
        (model, metadata, trainedFeatureCount) = (loaded.model, loaded.metadata, loaded.recipe.prior.featureRange.upperBound)
        self.options = options
    }

    /// Stores the labelled rows (numeric targets).
    public func fit(_ table: TabularTable) throws {
        let checked = try options.checkedTrainingTable(table)
        for (row, field) in checked.targets.enumerated() {
            if TabularTable.isMissing(field) {
                throw TabularError.invalidTable("training row \(row + 1) has no value in the target column '\(checked.targetName)'; every training row needs a target")
            }
            guard case .some(.some(let value)) = TabularTable.number(field), value.isFinite else {
                throw TabularError.invalidTable("the target column '\(checked.targetName)' holds '\(field)' (row \(row + 1)), not a finite number; regression needs numeric targets (for labels, use classification)")
            }
        }
        _ = try TabularPreprocessor(fitting: checked, kinds: options.columnKinds)   // column errors surface at fit time
        // Predictions depend on the table, not on the order of its file's columns and rows (the
        // sums below included).
        let table = checked.sortingColumnsByName()
        trainRows = table.canonicalRowOrder()
        let values = trainRows.map { TabularTable.number(table.targets[$0])!! }   // checked above
        mean = values.reduce(0, +) / Double(values.count)
        let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        // Targets of any magnitude (10⁻³⁰ too) are standardised; only a spread that is rounding
        // noise next to the targets' magnitude counts as constant.
        scale = TabularPreprocessor.isSpread(sd, magnitude: values.map(abs).max() ?? 0) ? sd : 1
        standardised = values.map { Float(($0 - mean) / scale) }
        train = table
    }

    /// The predictive mean and quantiles of every row of `table`.
    public func predict(_ table: TabularTable) throws -> [RegressionPrediction] {
        guard let train else { throw TabularError.invalidTable("call fit(_:) with a labelled table before predicting") }
        let test = table.removingColumns(options.ignoredColumns)
        guard test.count > 0 else { return [] }
        let (trainFeatures, testFeatures, width) = try options.encode(train: train, rows: trainRows, test: test, model: model)
        var generator = RandomGenerator(seed: options.seed)
        // Strata for subsampling: target deciles.
        let order = standardised.indices.sorted { standardised[$0] < standardised[$1] }
        var strata = [Int](repeating: 0, count: train.count)
        for (rank, row) in order.enumerated() { strata[row] = rank * 10 / max(train.count, 1) }
        let members = TabularEnsembleMember.draw(count: options.resolvedEnsembleSize(labelledRowCount: train.count), width: width, featureLimit: options.featuresPerMember(width: width, model: model, trained: trainedFeatureCount),
                                                 trainCount: train.count, maximumRows: options.maximumContextRows, strata: strata,
                                                 relevance: width > options.featuresPerMember(width: width, model: model, trained: trainedFeatureCount)
                                                     ? TabularEnsembleMember.relevance(features: trainFeatures, width: width, strata: strata) : nil,
                                                 using: &generator)
        var model = self.model
        if options.fineTuningSteps > 0 {
            let standardised = self.standardised
            model = try TabularFineTuning.tuned(model, options: options, trainFeatures: trainFeatures, width: width, members: members,
                                                classCount: 0, targets: { rows, _ in rows.map { standardised[$0] } }, generator: &generator)
        }
        let bins = model.configuration.binCount
        var probabilities = [Double](repeating: 0, count: test.count * bins)
        for member in members {
            let logits = member.logits(train: trainFeatures, test: testFeatures, width: width, testCount: test.count,
                                       contextTargets: member.contextRows.map { standardised[$0] }, model: model,
                                       chunk: options.maximumTestRowsPerPass)
            for row in 0..<test.count {
                let slice = (0..<bins).map { Double(logits[row * bins + $0]) }
                let largest = slice.max()!, total = slice.map { exp($0 - largest) }.reduce(0, +)
                for b in 0..<bins { probabilities[row * bins + b] += exp(slice[b] - largest) / total / Double(members.count) }
            }
        }
        mode = "\(members.count)-member ensemble, \(members[0].contextRows.count) labelled rows in context"
            + (train.count > options.maximumContextRows ? " (stratified subsamples of \(train.count))" : "")
            + (members[0].featureOrder.count < width ? ", \(members[0].featureOrder.count) of \(width) features per member" : "")
            + (options.fineTuningSteps > 0 ? ", fine-tuned for \(options.fineTuningSteps) steps on the labelled rows" : "")
        let centers = model.binCenters.map(Double.init)
        let binWidth = 2 * Double(model.configuration.binRange) / Double(bins)
        return (0..<test.count).map { row in
            let p = Array(probabilities[(row * bins)..<((row + 1) * bins)])
            let standardisedMean = zip(p, centers).map { $0 * $1 }.reduce(0, +)
            let quantiles = Self.quantileLevels.map { level -> Double in
                var cumulative = 0.0
                for b in 0..<bins {
                    if cumulative + p[b] >= level {
                        let within = p[b] > 0 ? (level - cumulative) / p[b] : 0.5
                        return (centers[b] - binWidth / 2 + within * binWidth) * scale + mean
                    }
                    cumulative += p[b]
                }
                return (centers[bins - 1] + binWidth / 2) * scale + mean
            }
            // A bin's own spread (uniform over width w) adds w²/12 to its centre's square.
            let secondMoment = zip(p, centers).map { $0 * ($1 * $1 + binWidth * binWidth / 12) }.reduce(0, +)
            let variance = max(secondMoment - standardisedMean * standardisedMean, 0) * scale * scale
            return RegressionPrediction(mean: standardisedMean * scale + mean, quantiles: quantiles, variance: variance)
        }
    }
}
