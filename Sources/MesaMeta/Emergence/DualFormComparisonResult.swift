import Foundation
import MesaCore

/// The measures of a ``DualFormComparison`` (Dai et al. 2023, §4–5), with their baselines.
/// Similarities are means over the held-out tasks (and heads, for `SimAM`) of cosine
/// similarities; a cosine with a zero vector is left out of its mean.
public struct DualFormComparisonResult: Sendable {
    /// Prediction-level measures of one setting against zero-shot.
    public struct Predictions: Sendable, Equatable {
        /// Mean squared error (regression) or accuracy (classification) of ZSL, ICL, FT and FT-other.
        public var zeroShot, inContext, fineTuned, otherTuned: Double
        /// `Rec2FTP`: of the queries FT corrects (wrong → right, or for regression squared error
        /// below ZSL's), the share ICL also gets right (regression: also improves).
        public var recallOfFineTuningCorrections: Double
        /// The same recall for FT-other's corrections (the task-mismatched baseline).
        public var recallOfOtherCorrections: Double
        /// How many queries FT corrects.
        public var fineTuningCorrectionCount: Int
        /// Mean cosine of the output changes `ŷ_ICL − ŷ_ZSL` and `ŷ_FT − ŷ_ZSL`.
        public var outputChangeSimilarity: Double
        /// The same against FT-other's change.
        public var otherOutputChangeSimilarity: Double
        /// The same against a random direction.
        public var randomOutputChangeSimilarity: Double
        /// The paired per-task difference of the two cosines, ICL·FT − ICL·FT-other, with its 95 %
        /// interval: the part of the agreement specific to the task's own demonstrations.
        public var specificOutputChangeSimilarity: MeanWithInterval
    }

    /// Per-layer measures.
    public struct Layer: Sendable, Equatable {
        /// The layer index, from 0.
        public var index: Int
        /// `SimAOU`: mean cosine of the attention output changes of ICL and FT (against ZSL).
        public var attentionOutputSimilarity: Double
        /// `SimAOU` with FT-other in place of FT.
        public var otherAttentionOutputSimilarity: Double
        /// `SimAOU` with a random direction in place of FT's change.
        public var randomAttentionOutputSimilarity: Double
        /// The paired per-task difference `SimAOU(ICL, FT) − SimAOU(ICL, FT-other)` with its 95 % interval.
        public var specificAttentionOutputSimilarity: MeanWithInterval
        /// `SimAM`: ICL's and FT's attention weights on the query part (NaN when it is one token).
        public var attentionMapSimilarity: Double
        /// `SimAM` of ICL against ZSL (the paper's baseline).
        public var zeroShotAttentionMapSimilarity: Double
        /// Mean cosine of the relaxed linear-attention head outputs and the softmax ones (ICL prompts).
        public var relaxedCosine: Double
        /// Mean cosine of uniform-attention head outputs `Σᵢ vᵢ / n` and the softmax ones (the baseline of ``relaxedCosine``).
        public var uniformCosine: Double
        /// Mean `‖o' − o‖ / ‖o‖` of relaxed (`o'`) and softmax (`o`) head outputs (ICL prompts).
        public var relaxedRelativeDistance: Double
        /// Largest `|(W_ZSL + ΔW) q − Σᵢ vᵢ kᵢᵀ q| / (1 + |Σᵢ vᵢ kᵢᵀ q|)` over tasks and features.
        public var dualFormIdentityError: Double
    }

    /// The settings that produced the result.
    public var comparison: DualFormComparison
    /// Regression or classification.
    public var kind: TaskKind
    /// Prediction-level measures.
    public var predictions: Predictions
    /// Per-layer measures, first layer first.
    public var layers: [Layer]

    /// Computes every measure from the traces of the four settings (prompts in the same order)
    /// and the queries' `targets` `[tasks, q]`; `generator` draws the random directions.
    init(comparison: DualFormComparison, kind: TaskKind, targets: Tensor, inContext: TransformerLearner.AttentionTrace,
         zeroShot: TransformerLearner.AttentionTrace, fineTuned: TransformerLearner.AttentionTrace,
         otherTuned: TransformerLearner.AttentionTrace, using generator: inout RandomGenerator) {
        self.comparison = comparison
        self.kind = kind
        let n = comparison.taskCount
        let truth = Self.rows(targets).map { $0.last! }
        let outputs = [zeroShot, inContext, fineTuned, otherTuned].map { Self.rows($0.prediction) }
        // Correct (classification) or squared error (regression) of each setting.
        func score(_ rows: [[Float]]) -> [Double] {
            zip(rows, truth).map { row, target in
                kind.isClassification ? (row.indices.max { row[$0] < row[$1] } == Int(target) ? 1 : 0) : Double((row[0] - target) * (row[0] - target))
            }
        }
        let scores = outputs.map(score)
        func right(_ setting: Int, _ task: Int) -> Bool {
            kind.isClassification ? scores[setting][task] == 1 : scores[setting][task] < scores[0][task]
        }
        func recall(of setting: Int) -> (Double, Int) {
            let corrected = (0..<n).filter { right(setting, $0) && (kind.isClassification ? !right(0, $0) : true) }
            return (Double(corrected.filter { right(1, $0) }.count) / Double(corrected.count), corrected.count)
        }
        func change(_ setting: Int) -> [[Float]] { zip(outputs[setting], outputs[0]).map { zip($0, $1).map { $0 - $1 } } }
        let randomOutputs = (0..<n).map { _ in (0..<kind.outputWidth).map { _ in generator.nextNormal() } }
        let (fineTuningRecall, corrections) = recall(of: 2)
        predictions = Predictions(
            zeroShot: Self.mean(scores[0]), inContext: Self.mean(scores[1]), fineTuned: Self.mean(scores[2]), otherTuned: Self.mean(scores[3]),
            recallOfFineTuningCorrections: fineTuningRecall, recallOfOtherCorrections: recall(of: 3).0, fineTuningCorrectionCount: corrections,
            outputChangeSimilarity: Self.meanCosine(change(1), change(2)), otherOutputChangeSimilarity: Self.meanCosine(change(1), change(3)),
            randomOutputChangeSimilarity: Self.meanCosine(change(1), randomOutputs),
            specificOutputChangeSimilarity: Self.pairedDifference(change(1), change(2), change(3)))

        let q = comparison.queryPointCount
        layers = inContext.outputs.indices.map { l in
            func outputChange(_ trace: TransformerLearner.AttentionTrace) -> [[Float]] {
                zip(Self.rows(trace.outputs[l]), Self.rows(zeroShot.outputs[l])).map { zip($0, $1).map { $0 - $1 } }
            }
            let iclChange = outputChange(inContext)
            let random = iclChange.map { $0.map { _ in generator.nextNormal() } }
            // The query part's visible tokens: the last 2q − 1 up to the query token in ICL, all of them in ZSL and FT.
            func queryPartWeights(_ trace: TransformerLearner.AttentionTrace) -> [[Float]] {
                let end = trace.queryPosition + 1
                return Self.rows(trace.weights[l].slice(alongAxis: 2, from: end - (2 * q - 1), to: end).reshaped(to: [-1, 2 * q - 1]))
            }
            let mapSimilarity: (TransformerLearner.AttentionTrace) -> Double = { q == 1 ? .nan : Self.meanCosine(queryPartWeights(inContext), queryPartWeights($0)) }
            let softmax = Self.rows(inContext.headOutputs[l]), relaxed = Self.rows(inContext.relaxedOutputs[l])
            let distances = zip(relaxed, softmax).map { Self.norm(zip($0, $1).map { $0 - $1 }) / Self.norm($1) }
            let identity = zip(Self.rows(inContext.dualFormOutputs[l]).joined(), relaxed.joined()).map { Double(abs($0 - $1) / (1 + abs($1))) }
            return Layer(index: l, attentionOutputSimilarity: Self.meanCosine(iclChange, outputChange(fineTuned)),
                         otherAttentionOutputSimilarity: Self.meanCosine(iclChange, outputChange(otherTuned)),
                         randomAttentionOutputSimilarity: Self.meanCosine(iclChange, random),
                         specificAttentionOutputSimilarity: Self.pairedDifference(iclChange, outputChange(fineTuned), outputChange(otherTuned)),
                         attentionMapSimilarity: mapSimilarity(fineTuned), zeroShotAttentionMapSimilarity: mapSimilarity(zeroShot),
                         relaxedCosine: Self.meanCosine(relaxed, softmax),
                         uniformCosine: Self.meanCosine(Self.rows(inContext.uniformOutputs[l]), softmax), relaxedRelativeDistance: Self.mean(distances.filter(\.isFinite)),
                         dualFormIdentityError: identity.max() ?? 0)
        }
    }

    /// The cosine similarity `aᵀb / (‖a‖ ‖b‖)`, NaN when either vector is zero.
    public static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count, "cosine: vectors of \(a.count) and \(b.count) elements")
        let dot = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let product = norm(a) * norm(b)
        return product > 0 ? dot / product : .nan
    }

    /// The mean cosine similarity of paired rows, over the pairs where it is defined (NaN if none is).
    public static func meanCosine(_ a: [[Float]], _ b: [[Float]]) -> Double {
        mean(zip(a, b).map { cosine($0, $1) }.filter { !$0.isNaN })
    }

    /// Per row, `cos(a, b) − cos(a, c)`, over the rows where both are defined: mean and 95 % interval.
    public static func pairedDifference(_ a: [[Float]], _ b: [[Float]], _ c: [[Float]]) -> MeanWithInterval {
        MeanWithInterval(zip(a, zip(b, c)).map { cosine($0, $1.0) - cosine($0, $1.1) }.filter { !$0.isNaN })
    }

    static func norm(_ a: [Float]) -> Double { a.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() }

    static func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }

    /// The rows of a tensor `[n, …]`, each flattened.
    static func rows(_ tensor: Tensor) -> [[Float]] {
        let n = tensor.shape[0], width = tensor.scalarCount / max(n, 1), scalars = tensor.scalars
        return (0..<n).map { Array(scalars[($0 * width)..<(($0 + 1) * width)]) }
    }
}

extension DualFormComparisonResult {
    /// The name of the prediction metric: mean squared error or accuracy.
    public var metricName: String { kind.isClassification ? "accuracy" : "mean squared error" }

    /// Every measure as CSV: `measure,layer,value` (layer empty for prediction-level measures).
    public var csv: String {
        var lines = ["measure,layer,value"]
        func add(_ name: String, _ layer: Int?, _ value: Double) { lines.append("\(name),\(layer.map(String.init) ?? ""),\(Self.formatted(value, digits: 6))") }
        let p = predictions
        let metric = kind.isClassification ? "accuracy" : "squared_error"
        add("zero_shot_\(metric)", nil, p.zeroShot)
        add("in_context_\(metric)", nil, p.inContext)
        add("fine_tuned_\(metric)", nil, p.fineTuned)
        add("other_tuned_\(metric)", nil, p.otherTuned)
        add("rec2ftp", nil, p.recallOfFineTuningCorrections)
        add("rec2ftp_other", nil, p.recallOfOtherCorrections)
        add("fine_tuning_corrections", nil, Double(p.fineTuningCorrectionCount))
        add("output_change_similarity", nil, p.outputChangeSimilarity)
        add("output_change_similarity_other", nil, p.otherOutputChangeSimilarity)
        add("output_change_similarity_random", nil, p.randomOutputChangeSimilarity)
        add("output_change_similarity_specific", nil, p.specificOutputChangeSimilarity.count == 0 ? .nan : p.specificOutputChangeSimilarity.mean)
        add("output_change_similarity_specific_halfwidth95", nil, p.specificOutputChangeSimilarity.halfWidth95)
        for layer in layers {
            add("simaou", layer.index, layer.attentionOutputSimilarity)
            add("simaou_other", layer.index, layer.otherAttentionOutputSimilarity)
            add("simaou_random", layer.index, layer.randomAttentionOutputSimilarity)
            add("simaou_specific", layer.index, layer.specificAttentionOutputSimilarity.count == 0 ? .nan : layer.specificAttentionOutputSimilarity.mean)
            add("simaou_specific_halfwidth95", layer.index, layer.specificAttentionOutputSimilarity.halfWidth95)
            add("simam", layer.index, layer.attentionMapSimilarity)
            add("simam_zero_shot", layer.index, layer.zeroShotAttentionMapSimilarity)
            add("relaxed_cosine", layer.index, layer.relaxedCosine)
            add("uniform_cosine", layer.index, layer.uniformCosine)
            add("relaxed_relative_distance", layer.index, layer.relaxedRelativeDistance)
            add("dual_form_identity_error", layer.index, layer.dualFormIdentityError)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Two Markdown tables: predictions, then the per-layer similarities and the dual form.
    public var markdown: String {
        let c = comparison, p = predictions
        func f(_ value: Double) -> String { Self.formatted(value, digits: 3) }
        func interval(_ value: MeanWithInterval) -> String { value.count == 0 ? "nan" : "\(f(value.mean)) ± \(f(value.halfWidth95))" }
        var text = "\(c.taskCount) held-out tasks, \(c.demonstrationCount) demonstrations, query part of \(c.queryPointCount) point(s), "
            + "FT: one SGD epoch on the key/value projections, η = \(c.learningRate)\n\n"
        text += "| \(metricName): ZSL | ICL | FT | FT-other | Rec2FTP (FT corrections) | Rec2FTP vs FT-other | output-change cos ICL·FT | ICL·FT-other | ICL·random | FT − FT-other (paired, 95 %) |\n"
        text += "|---|---|---|---|---|---|---|---|---|---|\n"
        text += "| \(f(p.zeroShot)) | \(f(p.inContext)) | \(f(p.fineTuned)) | \(f(p.otherTuned)) | \(f(p.recallOfFineTuningCorrections)) (\(p.fineTuningCorrectionCount)) "
            + "| \(f(p.recallOfOtherCorrections)) | \(f(p.outputChangeSimilarity)) | \(f(p.otherOutputChangeSimilarity)) | \(f(p.randomOutputChangeSimilarity)) | \(interval(p.specificOutputChangeSimilarity)) |\n\n"
        text += "| layer | SimAOU ICL·FT | ICL·FT-other | ICL·random | FT − FT-other (paired, 95 %) | SimAM ICL·FT | ICL·ZSL | relaxed cos | uniform cos | relaxed rel. distance | dual-form identity error |\n"
        text += "|---|---|---|---|---|---|---|---|---|---|---|\n"
        for l in layers {
            text += "| \(l.index) | \(f(l.attentionOutputSimilarity)) | \(f(l.otherAttentionOutputSimilarity)) | \(f(l.randomAttentionOutputSimilarity)) | \(interval(l.specificAttentionOutputSimilarity)) "
                + "| \(f(l.attentionMapSimilarity)) | \(f(l.zeroShotAttentionMapSimilarity)) | \(f(l.relaxedCosine)) | \(f(l.uniformCosine)) | \(f(l.relaxedRelativeDistance)) "
                + "| \(String(format: "%.1e", l.dualFormIdentityError)) |\n"
        }
        return text
    }

    static func formatted(_ value: Double, digits: Int) -> String { value.isNaN ? "nan" : String(format: "%.\(digits)f", value) }
}
