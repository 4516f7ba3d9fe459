import Foundation
import MesaCore
import MesaNN
import MesaOptim

/// Fine-tuning a pre-trained tabular model on one table's labelled rows before it predicts that
/// table: the pre-training objective, applied to the table itself instead of the prior's tables
/// (as fine-tuned prior-fitted networks do: Thomas et al. 2024, LoCalPFN; Feuer et al. 2024,
/// TuneTables).
///
/// Each of ``TabularPredictionOptions/fineTuningSteps`` Adam steps takes one ensemble member's
/// view (its feature order and preprocessing variant, the members in turn) of a random subsample
/// of the labelled rows (at most ``TabularPredictionOptions/maximumContextRows``), splits it at
/// random into a context (50–90 % of the rows) and held-out rows, and minimises the model's loss on
/// the held-out rows given the context: cross-entropy of their classes (under a fresh random
/// class labelling each step) or of their standardised targets' bins. The gradient norm is
/// clipped at 1. The pre-trained model is left unchanged; predictions use the tuned copy.
enum TabularFineTuning {
    /// A tuned copy of `model`.
    ///
    /// - Parameters:
    ///   - trainFeatures: the labelled rows' encoded features, row-major, `width` per row.
    ///   - members: the ensemble members whose views the steps cycle through.
    ///   - targets: the model targets of the given labelled rows for one step (class codes, or
    ///     standardised values), drawing any relabelling from the generator.
    ///   - classCount: the classes the table has (ignored for regression).
    static func tuned(_ model: TabularTransformer, options: TabularPredictionOptions, trainFeatures: [Float], width: Int,
                      members: [TabularEnsembleMember], classCount: Int,
                      targets: (_ rows: [Int], _ generator: inout RandomGenerator) -> [Float],
                      generator: inout RandomGenerator) throws -> TabularTransformer {
        var initial = RandomGenerator(seed: 0)
        let copy = TabularTransformer(configuration: model.configuration, using: &initial)
        try copy.restore(from: try model.checkpoint())
        let trainCount = trainFeatures.count / Swift.max(width, 1)
        guard options.fineTuningSteps > 0, trainCount >= 4, !members.isEmpty else { return copy }
        let optimizer = Adam(parameters: copy.parameters, learningRate: options.fineTuningLearningRate)
        let maps = members.map { $0.fittedMap(train: trainFeatures, width: width) }
        for step in 0..<options.fineTuningSteps {
            let index = step % members.count, member = members[index]
            var rows = Array(0..<trainCount)
            generator.shuffle(&rows)
            rows = Array(rows.prefix(options.maximumContextRows))
            let contextCount = Swift.min(Swift.max(2, Int(Double(rows.count) * (0.5 + 0.4 * generator.nextDouble()))), rows.count - 1)
            var features: [Float] = []
            features.reserveCapacity(rows.count * member.featureOrder.count)
            for row in rows { features += member.transformed(trainFeatures, row, width: width, map: maps[index]) }
            let input = Tensor(shape: [1, rows.count, model.configuration.maximumFeatures],
                               scalars: copy.paddedFeatures(features, rows: rows.count, featureCount: member.featureOrder.count))
            let loss = copy.loss(features: input, targets: targets(rows, &generator), trainCount: contextCount, classCounts: [classCount],
                                 featureCounts: [member.featureOrder.count])
            try loss.checkFinite("fine-tuning loss at step \(step + 1)")
            loss.backward()
            _ = clipGradientNorm(optimizer.parameters, maximumNorm: 1)
            optimizer.step()
            optimizer.clearGradients()
        }
        return copy
    }
}
