import Foundation
import MesaCore
import MesaNN

extension TabularClassifier {
    /// One "what if": row `row` of a table labelled with class `classIndex` (into ``classNames``).
    public struct Hypothesis: Sendable, Equatable {
        /// The row of the table given to ``lookAheadProbabilities(_:hypotheses:evaluating:)``.
        public var row: Int
        /// The class it is supposed to have.
        public var classIndex: Int

        /// A hypothesis.
        public init(row: Int, classIndex: Int) {
            self.row = row
            self.classIndex = classIndex
        }
    }

    /// The class probabilities of the rows `evaluated` of `table` as they would be if each
    /// hypothesis's row were added to the labelled rows with its class:
    /// `[hypotheses][evaluated][classNames.count]`. Active learning's look-ahead (expected error
    /// reduction): an in-context model learns the extra row by reading it, so each hypothesis
    /// costs one forward pass per member, and the hypotheses go through together as a batch of
    /// tables `[hypotheses, context + 1 + evaluated, features]` (in chunks of at most
    /// `maximumBatchRows` rows).
    ///
    /// Every hypothesis sees the same ensemble members as ``predictProbabilities(_:)`` (feature
    /// orders, class codes, preprocessing, fitted on the labelled rows without the extra one), so
    /// the differences between hypotheses come from the added row alone. Needs members that share
    /// one context and see every class (at most ``TabularModelConfiguration/maximumClasses``
    /// classes, at most ``TabularPredictionOptions/maximumContextRows`` labelled rows) and no
    /// fine-tuning.
    public func lookAheadProbabilities(_ table: TabularTable, hypotheses: [Hypothesis], evaluating evaluated: [Int],
                                       maximumBatchRows: Int = 20_000) throws -> [[[Float]]] {
        guard let train else { throw TabularError.invalidTable("call fit(_:) with a labelled table before looking ahead") }
        let classCount = classNames.count, modelClasses = model.configuration.maximumClasses
        guard classCount <= modelClasses, train.count < options.maximumContextRows, options.fineTuningSteps == 0 else {
            throw TabularError.unsupported("look-ahead needs at most \(modelClasses) classes, fewer than \(options.maximumContextRows) labelled rows and no fine-tuning; this table has \(classCount) classes and \(train.count) labelled rows")
        }
        let test = table.removingColumns(options.ignoredColumns)
        for hypothesis in hypotheses where !(test.count > hypothesis.row && hypothesis.row >= 0 && (0..<classCount).contains(hypothesis.classIndex)) {
            throw TabularError.invalidTable("look-ahead hypothesis (row \(hypothesis.row), class \(hypothesis.classIndex)) is outside the table's \(test.count) rows or the \(classCount) classes")
        }
        guard !hypotheses.isEmpty, !evaluated.isEmpty else { return hypotheses.map { _ in [] } }
        let (trainFeatures, testFeatures, width) = try options.encode(train: train, rows: trainRows, test: test, model: model)
        var generator = RandomGenerator(seed: options.seed)
        let members = drawMembers(trainFeatures: trainFeatures, width: width, trainCount: train.count, using: &generator)
        var sums = [Double](repeating: 0, count: hypotheses.count * evaluated.count * classCount)
        for member in members {
            let code = classCode(using: &generator)
            let map = member.fittedMap(train: trainFeatures, width: width)
            let context = member.contextRows.flatMap { member.transformed(trainFeatures, $0, width: width, map: map) }
            let contextTargets = member.contextRows.map { Float(code[labels[$0]]) }
            let evaluatedRows = evaluated.flatMap { member.transformed(testFeatures, $0, width: width, map: map) }
            let rows = member.contextRows.count + 1 + evaluated.count, used = member.featureOrder.count
            let chunk = max(1, maximumBatchRows / rows)
            for start in stride(from: 0, to: hypotheses.count, by: chunk) {
                let batch = Array(hypotheses[start..<min(start + chunk, hypotheses.count)])
                var features: [Float] = [], targets: [Float] = []
                features.reserveCapacity(batch.count * rows * used)
                for hypothesis in batch {
                    // One table per hypothesis: [context rows, the hypothesis's row, evaluated rows].
                    features += context
                    features += member.transformed(testFeatures, hypothesis.row, width: width, map: map)
                    features += evaluatedRows
                    targets += contextTargets + [Float(code[hypothesis.classIndex])]
                }
                let input = Tensor(shape: [batch.count, rows, model.configuration.maximumFeatures],
                                   scalars: model.paddedFeatures(features, rows: batch.count * rows, featureCount: used))
                let logits = withoutGradients {
                    model.logits(features: input, trainTargets: targets, trainCount: rows - evaluated.count,
                                 featureCounts: Array(repeating: used, count: batch.count))
                }.scalars                                                            // [batch, evaluated, modelClasses]
                for (offset, _) in batch.enumerated() {
                    for row in evaluated.indices {
                        let base = (offset * evaluated.count + row) * modelClasses
                        let p = memberSoftmax(logits, offset: base, count: classCount)
                        let target = ((start + offset) * evaluated.count + row) * classCount
                        for c in 0..<classCount { sums[target + c] += p[code[c]] / Double(members.count) }
                    }
                }
            }
        }
        return hypotheses.indices.map { h in
            evaluated.indices.map { row in (0..<classCount).map { Float(sums[(h * evaluated.count + row) * classCount + $0]) } }
        }
    }
}
