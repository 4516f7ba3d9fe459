import Foundation
import MesaCore
@testable import MesaMeta
import MesaNN
import MesaOptim
import XCTest

/// Dai et al. 2023's comparison of in-context learning with fine-tuning (``DualFormComparison``).
final class DualFormComparisonTests: XCTestCase {
    func makeLearner(kind: TaskKind = .regression, encoding: PromptEncoding = .interleaved, seed: UInt64 = 1) -> TransformerLearner {
        var generator = RandomGenerator(seed: seed)
        return TransformerLearner(inputDimension: 3, kind: kind, encoding: encoding, maximumPointCount: 8, modelSize: 8, layerCount: 2,
                                  headCount: 2, using: &generator)
    }

    /// The trace's prediction is the learner's own output for the last point, and the dual form
    /// `(W_ZSL + ΔW) q` equals the relaxed attention `Σᵢ vᵢ kᵢᵀ q` to float precision.
    func testTheTraceReproducesTheLearnerAndTheDualFormIdentity() throws {
        let learner = makeLearner()
        var generator = RandomGenerator(seed: 2)
        let batch = try LinearRegressionTasks(inputDimension: 3).sample(batchSize: 5, pointCount: 6, using: &generator)
        let trace = learner.attentionTrace(for: batch, demonstrationTokenCount: 8)
        let outputs = learner.predictions(for: batch).slice(alongAxis: 1, from: 5, to: 6).scalars
        for (a, b) in zip(trace.prediction.scalars, outputs) { XCTAssertEqual(a, b, accuracy: 1e-4 * (1 + abs(b))) }
        XCTAssertEqual(trace.queryPosition, 10)
        XCTAssertEqual(trace.outputs.count, 2)
        for layer in 0..<2 {
            XCTAssertEqual(trace.weights[layer].shape, [5, 2, 12])
            let weights = trace.weights[layer].scalars
            for row in 0..<10 {
                XCTAssertEqual(weights[(row * 12)..<(row * 12 + 11)].reduce(0, +), 1, accuracy: 1e-5, "softmax rows sum to 1")
                XCTAssertEqual(weights[row * 12 + 11], 0, "the query's own y token is masked")
            }
            for (a, b) in zip(trace.dualFormOutputs[layer].scalars, trace.relaxedOutputs[layer].scalars) {
                XCTAssertEqual(a, b, accuracy: 1e-5 * (1 + abs(b)))
            }
        }
    }

    /// The softmax head outputs of the trace are the attention sublayer's: `W_O` of them plus the bias.
    func testTheHeadOutputsMapToTheAttentionOutput() throws {
        let learner = makeLearner()
        var generator = RandomGenerator(seed: 3)
        let batch = try LinearRegressionTasks(inputDimension: 3).sample(batchSize: 4, pointCount: 5, using: &generator)
        let trace = learner.attentionTrace(for: batch, demonstrationTokenCount: 0)
        for layer in 0..<2 {
            let mapped = withoutGradients { learner.encoder.layers[layer].attention.output(trace.headOutputs[layer]) }
            for (a, b) in zip(mapped.scalars, trace.outputs[layer].scalars) { XCTAssertEqual(a, b, accuracy: 1e-5 * (1 + abs(b))) }
        }
    }

    /// With one visible key (a one-point prompt) softmax and uniform attention both return its value.
    func testUniformAttentionEqualsSoftmaxOverOneKey() throws {
        let learner = makeLearner()
        var generator = RandomGenerator(seed: 5)
        let trace = learner.attentionTrace(for: try LinearRegressionTasks(inputDimension: 3).sample(batchSize: 3, pointCount: 1, using: &generator),
                                           demonstrationTokenCount: 0)
        for layer in 0..<2 {
            for (a, b) in zip(trace.uniformOutputs[layer].scalars, trace.headOutputs[layer].scalars) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        }
    }

    func testCosineSimilaritiesFollowTheirFormula() {
        XCTAssertEqual(DualFormComparisonResult.cosine([1, 0], [1, 1]), 1 / 2.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(DualFormComparisonResult.cosine([3, 4], [-6, -8]), -1, accuracy: 1e-12)
        XCTAssertEqual(DualFormComparisonResult.cosine([1, 2, 3], [4, 5, 6]), 32 / (14.0 * 77).squareRoot(), accuracy: 1e-12)
        XCTAssertTrue(DualFormComparisonResult.cosine([0, 0], [1, 2]).isNaN, "undefined for a zero vector")
        // The mean leaves undefined pairs out: (1 + 0) / 2.
        XCTAssertEqual(DualFormComparisonResult.meanCosine([[1, 0], [0, 0], [0, 1]], [[2, 0], [1, 1], [1, 0]]), 0.5, accuracy: 1e-12)
        XCTAssertTrue(DualFormComparisonResult.meanCosine([[0]], [[1]]).isNaN)
        // Paired differences cos(a, b) − cos(a, c) per row: 1 − 0 and 0 − (−1); the zero row is left out.
        let paired = DualFormComparisonResult.pairedDifference([[1, 0], [0, 1], [0, 0]], [[2, 0], [1, 0], [1, 1]], [[0, 3], [0, -1], [1, 0]])
        XCTAssertEqual(paired.count, 2)
        XCTAssertEqual(paired.mean, 1, accuracy: 1e-12)
        XCTAssertEqual(paired.halfWidth95, 0, accuracy: 1e-12)
    }

    /// Fine-tuning moves only the key and value projections, by one SGD step per example.
    func testFineTuningChangesOnlyTheKeyAndValueProjections() throws {
        let learner = makeLearner()
        var generator = RandomGenerator(seed: 4)
        let examples = try (0..<3).map { _ in try LinearRegressionTasks(inputDimension: 3).sample(batchSize: 1, pointCount: 2, using: &generator) }
        XCTAssertEqual(learner.keyValueParameters.count, 8, "2 layers × key and value × weight and bias")
        let tuned = Set(learner.keyValueParameters.map(ObjectIdentifier.init))
        let before = learner.namedParameters.map { ($0.name, $0.parameter.value.scalars) }
        // The expected first step: −η ∇ of the last-point loss of the first example.
        learner.clearGradients()
        learner.lastPointLoss(on: examples[0]).backward()
        let firstGradient = learner.keyValueParameters[0].gradient!.scalars
        learner.clearGradients()
        learner.fineTuneKeysAndValues(on: [examples[0]], learningRate: 0.1)
        for (a, (b, g)) in zip(learner.keyValueParameters[0].value.scalars, zip(before.first { $0.0 == "encoder.layers.0.attention.key.weight" }!.1, firstGradient)) {
            XCTAssertEqual(a, b - 0.1 * g, accuracy: 1e-6)
        }
        learner.fineTuneKeysAndValues(on: Array(examples.dropFirst()), learningRate: 0.1)
        var changed = 0
        for ((name, old), (_, parameter)) in zip(before, learner.namedParameters) {
            if tuned.contains(ObjectIdentifier(parameter)) {
                if old != parameter.value.scalars { changed += 1 }
            } else {
                XCTAssertEqual(old, parameter.value.scalars, "\(name) must not change")
            }
        }
        XCTAssertEqual(changed, 8, "every key and value weight and bias moves")
        XCTAssertTrue(learner.parameters.allSatisfy { $0.gradient == nil }, "gradients are cleared")
    }

    /// End to end on a small random learner: learning rate 0 makes FT zero-shot; the measures lie
    /// in their ranges; the weights are restored; SimAM is undefined for the query alone only.
    func testTheComparisonMeasuresAndRestoresTheWeights() throws {
        let learner = makeLearner()
        let tasks = try LinearRegressionTasks(inputDimension: 3)
        let before = learner.parameters.map(\.value.scalars)
        let frozen = try DualFormComparison(taskCount: 6, demonstrationCount: 4, learningRate: 0).run(on: learner, tasks: tasks)
        XCTAssertEqual(frozen.predictions.fineTuned, frozen.predictions.zeroShot, accuracy: 1e-6)
        XCTAssertEqual(frozen.predictions.fineTuningCorrectionCount, 0)
        XCTAssertTrue(frozen.layers.allSatisfy { $0.attentionOutputSimilarity.isNaN && $0.attentionMapSimilarity.isNaN })
        XCTAssertTrue(frozen.layers.allSatisfy { $0.specificAttentionOutputSimilarity.count == 0 })
        XCTAssertTrue(frozen.csv.contains("\nsimaou_specific,0,nan\n"), frozen.csv)
        XCTAssertEqual(learner.parameters.map(\.value.scalars), before, "the weights are restored")

        var updates: [Int] = []
        let result = try DualFormComparison(taskCount: 6, demonstrationCount: 4, queryPointCount: 2, learningRate: 0.5)
            .run(on: learner, tasks: tasks) { updates.append($0.completed) }
        XCTAssertEqual(updates, Array(0...6))
        XCTAssertEqual(learner.parameters.map(\.value.scalars), before, "the weights are restored")
        XCTAssertEqual(result.layers.count, 2)
        for layer in result.layers {
            for value in [layer.attentionOutputSimilarity, layer.otherAttentionOutputSimilarity, layer.randomAttentionOutputSimilarity, layer.relaxedCosine] {
                XCTAssertTrue((-1.0001...1.0001).contains(value), "\(value)")
            }
            XCTAssertTrue((0...1.0001).contains(layer.attentionMapSimilarity), "non-negative weights: \(layer.attentionMapSimilarity)")
            XCTAssertTrue((0...1.0001).contains(layer.zeroShotAttentionMapSimilarity))
            XCTAssertLessThan(layer.dualFormIdentityError, 1e-5)
            XCTAssertGreaterThan(layer.relaxedRelativeDistance, 0)
        }
        XCTAssertTrue(result.csv.hasPrefix("measure,layer,value\nzero_shot_squared_error,,"), result.csv)
        XCTAssertTrue(result.csv.contains("\nsimaou,1,"))
        XCTAssertEqual(result.markdown.components(separatedBy: "\n| 1 |").count, 2, result.markdown)
    }

    /// Classification: accuracies, and Rec2FTP as the share of FT's corrections ICL gets right.
    func testClassificationReportsAccuracyAndRecall() throws {
        let learner = makeLearner(kind: .classification(classCount: 3))
        let result = try DualFormComparison(taskCount: 8, demonstrationCount: 5, learningRate: 1)
            .run(on: learner, tasks: try LinearClassificationTasks(inputDimension: 3, classCount: 3))
        for accuracy in [result.predictions.zeroShot, result.predictions.inContext, result.predictions.fineTuned] {
            XCTAssertTrue((0...1).contains(accuracy))
        }
        XCTAssertEqual(result.metricName, "accuracy")
        let recall = result.predictions.recallOfFineTuningCorrections
        XCTAssertTrue(result.predictions.fineTuningCorrectionCount == 0 ? recall.isNaN : (0...1).contains(recall))
    }

    func testBadSettingsAreRefusedClearly() throws {
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message { _ = try DualFormComparison(taskCount: 1, demonstrationCount: 3) }.contains("task count must be at least 2"))
        XCTAssertTrue(message { _ = try DualFormComparison(demonstrationCount: 0) }.contains("demonstration count must be positive"))
        XCTAssertTrue(message { _ = try DualFormComparison(demonstrationCount: 3, queryPointCount: 0) }.contains("query part needs at least 1 point"))
        XCTAssertTrue(message { _ = try DualFormComparison(demonstrationCount: 3, learningRate: -1) }.contains("learning rate must be finite"))
        XCTAssertTrue(message { _ = try DualFormComparison(demonstrationCount: 3, learningRate: .nan) }.contains("learning rate must be finite"))
        let tasks = try LinearRegressionTasks(inputDimension: 3)
        let long = try DualFormComparison(taskCount: 2, demonstrationCount: 8)
        XCTAssertTrue(message { _ = try long.run(on: makeLearner(), tasks: tasks) }.contains("prompts have 9 points, the learner reads at most 8"))
        let concatenated = try DualFormComparison(taskCount: 2, demonstrationCount: 3)
        XCTAssertTrue(message { _ = try concatenated.run(on: makeLearner(encoding: .concatenated), tasks: tasks) }.contains("interleaved encoding"))
        let classification = try LinearClassificationTasks(inputDimension: 3, classCount: 3)
        XCTAssertTrue(message { _ = try concatenated.run(on: makeLearner(), tasks: classification) }.contains("classification"))
    }
}
