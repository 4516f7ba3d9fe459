import MesaCore
import MesaNN
@testable import MesaMeta
import XCTest

final class PromptEncodingTests: XCTestCase {
    func batch(points: Int = 4, dimension: Int = 3, seed: UInt64 = 1) throws -> TaskBatch {
        var generator = RandomGenerator(seed: seed)
        return try LinearRegressionTasks(inputDimension: dimension).sample(batchSize: 2, pointCount: points, using: &generator)
    }

    func testInterleavedTokensAlternateInputsAndTargets() throws {
        let batch = try batch()
        let prompt = PromptEncoding.interleaved.encode(batch)
        XCTAssertEqual(prompt.tokens.shape, [2, 8, 3])
        for point in 0..<4 {
            for c in 0..<3 { XCTAssertEqual(prompt.tokens[1, 2 * point, c], batch.inputs[1, point, c]) }
            XCTAssertEqual(prompt.tokens[1, 2 * point + 1, 0], batch.targets[1, point])
            XCTAssertEqual(prompt.tokens[1, 2 * point + 1, 1], 0)
        }
        // Predictions are read at the x-tokens.
        let outputs = Tensor.arange(from: 0, to: 8).reshaped(to: [1, 8, 1])
        XCTAssertEqual(prompt.predictionOutputs(outputs).scalars, [0, 2, 4, 6])
    }

    func testConcatenatedMaskHidesEachQueryTargetAndLaterPairs() throws {
        let mask = PromptEncoding.prefixMask(pointCount: 3)
        // Query 1 (token 4) sees context 0 and itself only.
        XCTAssertEqual((0..<6).map { mask[4, $0] }, [1, 0, 0, 0, 1, 0])
        // Context 2 sees contexts 0…2.
        XCTAssertEqual((0..<6).map { mask[2, $0] }, [1, 1, 1, 0, 0, 0])
        let prompt = PromptEncoding.concatenated.encode(try batch(points: 3))
        XCTAssertEqual(prompt.tokens.shape, [2, 6, 4])
        XCTAssertEqual(prompt.tokens[0, 4, 3], 0, "a query token carries no target")
    }

    func testPreviousTargetShiftsTargetsByOne() throws {
        let batch = try batch()
        let prompt = PromptEncoding.previousTarget.encode(batch)
        XCTAssertEqual(prompt.tokens.shape, [2, 4, 4])
        XCTAssertEqual(prompt.tokens[0, 0, 3], 0)
        XCTAssertEqual(prompt.tokens[0, 2, 3], batch.targets[0, 1])
    }

    /// The causality every encoding promises: changing target i (and anything after input i)
    /// leaves predictions 0…i unchanged, for a randomly initialised Transformer.
    func testTransformerPredictionsAreCausalForEveryEncoding() throws {
        for encoding in PromptEncoding.allCases {
            var generator = RandomGenerator(seed: 7)
            let learner = TransformerLearner(inputDimension: 3, kind: .regression, encoding: encoding, maximumPointCount: 6,
                                             modelSize: 16, layerCount: 2, headCount: 2, using: &generator)
            let original = try batch(points: 6)
            var changed = original
            changed.targets = original.targets + Tensor.oneHot([3], classCount: 6).reshaped(to: [1, 6]) * 5
            let before = learner.predictions(for: original), after = learner.predictions(for: changed)
            for point in 0..<6 {
                let same = abs(before[0, point] - after[0, point]) < 1e-5
                XCTAssertEqual(same, point <= 3, "\(encoding): prediction \(point) \(same ? "ignored" : "saw") target 3")
            }
        }
    }
}
