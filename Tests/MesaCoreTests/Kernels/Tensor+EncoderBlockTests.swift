@testable import MesaCore
import MesaTestSupport
import XCTest

/// The fused inference kernel against the same block composed from differentiable operations.
final class TensorEncoderBlockTests: XCTestCase {
    private func parameters(d: Int, heads: Int, f: Int, pre: Bool, activation: EncoderBlockParameters.FeedForwardActivation,
                            biases: Bool = true, seed: UInt64) -> EncoderBlockParameters {
        var generator = RandomGenerator(seed: seed)
        func weight(_ shape: [Int]) -> Tensor { .randomUniform(shape, low: -0.5, high: 0.5, using: &generator) }
        func bias(_ size: Int) -> Tensor? { biases ? .randomUniform([size], low: -0.5, high: 0.5, using: &generator) : nil }
        func gain() -> Tensor { .randomUniform([d], low: 0.5, high: 1.5, using: &generator) }
        return EncoderBlockParameters(
            headCount: heads, queryWeight: weight([d, d]), queryBias: bias(d), keyWeight: weight([d, d]), keyBias: bias(d),
            valueWeight: weight([d, d]), valueBias: bias(d), outputWeight: weight([d, d]), outputBias: bias(d),
            feedForwardInWeight: weight([f, d]), feedForwardInBias: bias(f), feedForwardOutWeight: weight([d, f]), feedForwardOutBias: bias(d),
            attentionNormGain: gain(), attentionNormBias: gain(), feedForwardNormGain: gain(), feedForwardNormBias: gain(),
            epsilon: 1e-5, normalizesFirst: pre, activation: activation)
    }

    /// The block from differentiable operations (the path training takes).
    private func composed(_ x: Tensor, _ p: EncoderBlockParameters, mask: Tensor?) -> Tensor {
        func attention(_ x: Tensor) -> Tensor {
            let q = Tensor.linear(x, weight: p.queryWeight, bias: p.queryBias)
            let k = Tensor.linear(x, weight: p.keyWeight, bias: p.keyBias)
            let v = Tensor.linear(x, weight: p.valueWeight, bias: p.valueBias)
            let merged = Tensor.multiHeadAttention(query: q, key: k, value: v, headCount: p.headCount, mask: mask)
            return Tensor.linear(merged, weight: p.outputWeight, bias: p.outputBias)
        }
        func feedForward(_ x: Tensor) -> Tensor {
            var hidden = Tensor.linear(x, weight: p.feedForwardInWeight, bias: p.feedForwardInBias)
            switch p.activation {
            case .relu: hidden = hidden.relu()
            case .gelu: hidden = hidden.gelu()
            case .identity: break
            }
            return Tensor.linear(hidden, weight: p.feedForwardOutWeight, bias: p.feedForwardOutBias)
        }
        func norm1(_ x: Tensor) -> Tensor { x.layerNormalized(gain: p.attentionNormGain, bias: p.attentionNormBias, epsilon: p.epsilon) }
        func norm2(_ x: Tensor) -> Tensor { x.layerNormalized(gain: p.feedForwardNormGain, bias: p.feedForwardNormBias, epsilon: p.epsilon) }
        if p.normalizesFirst {
            let mixed = x + attention(norm1(x))
            return mixed + feedForward(norm2(mixed))
        }
        let mixed = norm1(x + attention(x))
        return norm2(mixed + feedForward(mixed))
    }

    func testMatchesComposedOperationsOnRandomShapes() {
        var generator = RandomGenerator(seed: 800)
        for trial in 0..<24 {
            let heads = [1, 2, 3, 4][trial % 4], headSize = [1, 4, 8][trial % 3]
            let d = heads * headSize, f = [3, 16, 40][trial % 3]
            let sequence = [1, 2, 5, 17][(trial / 2) % 4]
            let batch = [[], [1], [2], [3, 2]][(trial / 3) % 4]
            let p = parameters(d: d, heads: heads, f: f, pre: trial % 2 == 0, activation: [.relu, .gelu, .identity][trial % 3],
                               biases: trial % 5 != 0, seed: 801 + UInt64(trial))
            let x = Tensor.randomNormal(batch + [sequence, d], using: &generator)
            let mask: Tensor? = trial % 4 == 1 ? Tensor.causalMask(size: sequence) : nil
            let fused = Tensor.encoderBlocksInference(x, blocks: [p], mask: mask)
            XCTAssertEqual(fused.shape, x.shape)
            let expected = withoutGradients { composed(x, p, mask: mask) }
            XCTAssertTrue(fused.isApproximatelyEqual(to: expected, tolerance: 2e-5),
                          "trial \(trial): heads \(heads), d \(d), f \(f), shape \(x.shape): \(fused) vs \(expected)")
        }
    }

    /// A mask that shows every row the same first `t` rows (an in-context learner's labelled
    /// rows) takes the path that projects and attends those keys only; it must equal the
    /// composed operations, as must a mask that is almost such a prefix (the general path).
    func testPrefixMasksMatchComposedOperations() {
        var generator = RandomGenerator(seed: 840)
        let blocks = [
            parameters(d: 12, heads: 3, f: 20, pre: true, activation: .gelu, seed: 841),
            parameters(d: 12, heads: 2, f: 16, pre: false, activation: .relu, seed: 842),
        ]
        let saved = Parallelism.threadCount
        defer { Parallelism.threadCount = saved }
        for (trial, shape) in [[1, 11, 12], [6, 11, 12], [11, 12]].enumerated() {
            for t in [1, 4, 11] {
                for nearlyPrefix in [false, true] {
                    var scalars = [Float](repeating: 0, count: 11 * 11)
                    for query in 0..<11 { for key in 0..<t { scalars[query * 11 + key] = 1 } }
                    if nearlyPrefix { scalars[5 * 11 + min(t, 10)] = t < 11 ? 1 : 0 }   // row 5 sees one key more (or less)
                    let mask = Tensor(shape: [11, 11], scalars: scalars)
                    XCTAssertEqual(scalars.withUnsafeBufferPointer { Tensor.prefixKeyCount($0.baseAddress!, sequence: 11) }, nearlyPrefix ? nil : t)
                    let x = Tensor.randomNormal(shape, using: &generator)
                    var expected = x
                    for block in blocks { expected = withoutGradients { composed(expected, block, mask: mask) } }
                    for threads in [1, 2] {
                        Parallelism.threadCount = threads
                        let fused = Tensor.encoderBlocksInference(x, blocks: blocks, mask: mask)
                        XCTAssertTrue(fused.isApproximatelyEqual(to: expected, tolerance: 5e-5), "trial \(trial), t \(t), nearly \(nearlyPrefix), \(threads) threads")
                        let last = Tensor.encoderBlocksInference(x, blocks: blocks, mask: mask, lastRows: 3)
                        XCTAssertTrue(last.isApproximatelyEqual(to: expected.slice(alongAxis: x.rank - 2, from: 8), tolerance: 5e-5))
                    }
                }
            }
        }
    }

    func testStackOfDifferentBlocksMatchesApplyingThemInTurn() {
        var generator = RandomGenerator(seed: 820)
        let blocks = [
            parameters(d: 12, heads: 3, f: 20, pre: false, activation: .relu, seed: 821),
            parameters(d: 12, heads: 2, f: 7, pre: true, activation: .gelu, biases: false, seed: 822),
            parameters(d: 12, heads: 4, f: 30, pre: false, activation: .identity, seed: 823),
        ]
        // Batch 1 and 2 split each block across threads; batch 5 runs whole sequences through the stack.
        for shape in [[1, 9, 12], [2, 9, 12], [5, 9, 12], [9, 12]] {
            let x = Tensor.randomNormal(shape, using: &generator)
            let mask = Tensor.causalMask(size: 9)
            var expected = x
            for block in blocks { expected = withoutGradients { composed(expected, block, mask: mask) } }
            let fused = Tensor.encoderBlocksInference(x, blocks: blocks, mask: mask)
            XCTAssertTrue(fused.isApproximatelyEqual(to: expected, tolerance: 5e-5), "\(shape)")
        }
        let x = Tensor.randomNormal([2, 3, 12], using: &generator)
        XCTAssertEqual(Tensor.encoderBlocksInference(x, blocks: []).scalars, x.scalars, "no blocks: the input")
        XCTAssertThrowsError(try withTensorErrors {
            Tensor.encoderBlocksInference(x, blocks: [blocks[0], parameters(d: 8, heads: 2, f: 8, pre: false, activation: .relu, seed: 824)])
        }) { XCTAssertTrue("\($0)".contains("block 1")) }
    }

    func testLastRowsEqualTheLastRowsOfTheFullResult() {
        // Pruning the final block to the rows a head reads must not change those rows, on both
        // the split-block path (few sequences) and the whole-sequence path (many), with and
        // without a mask, pre- and post-normalisation (tolerance: Float32 rounding, 1e-5).
        var generator = RandomGenerator(seed: 830)
        let blocks = [
            parameters(d: 12, heads: 3, f: 20, pre: false, activation: .relu, seed: 831),
            parameters(d: 12, heads: 2, f: 16, pre: true, activation: .gelu, seed: 832),
        ]
        let saved = Parallelism.threadCount
        defer { Parallelism.threadCount = saved }
        for (trial, shape) in [[1, 9, 12], [2, 9, 12], [7, 9, 12], [9, 12], [3, 2, 9, 12]].enumerated() {
            let x = Tensor.randomNormal(shape, using: &generator)
            let mask: Tensor? = trial % 2 == 0 ? Tensor.causalMask(size: 9) : nil
            let full = Tensor.encoderBlocksInference(x, blocks: blocks, mask: mask)
            for kept in [1, 4, 9] {
                for threads in [1, 2] {
                    Parallelism.threadCount = threads
                    let pruned = Tensor.encoderBlocksInference(x, blocks: blocks, mask: mask, lastRows: kept)
                    let expected = full.slice(alongAxis: x.rank - 2, from: 9 - kept)
                    XCTAssertEqual(pruned.shape, expected.shape)
                    XCTAssertTrue(pruned.isApproximatelyEqual(to: expected, tolerance: 1e-5), "\(shape), last \(kept), \(threads) threads")
                }
            }
        }
        let x = Tensor.randomNormal([2, 9, 12], using: &generator)
        for bad in [0, 10] {
            XCTAssertThrowsError(try withTensorErrors { Tensor.encoderBlocksInference(x, blocks: blocks, lastRows: bad) }) {
                XCTAssertTrue("\($0)".contains("lastRows \(bad)"), "\($0)")
            }
        }
    }

    func testManySequencesGroupedPerThreadForSeveralThreadCounts() {
        // Enough sequences that each work item takes several, with a shorter last item.
        var generator = RandomGenerator(seed: 825)
        let p = parameters(d: 8, heads: 2, f: 12, pre: false, activation: .relu, seed: 826)
        let saved = Parallelism.threadCount
        defer { Parallelism.threadCount = saved }
        for shape in [[17, 3, 8], [20, 5, 8], [3, 11, 5, 8]] {
            let x = Tensor.randomNormal(shape, using: &generator)
            let expected = withoutGradients { composed(x, p, mask: nil) }
            for threads in [1, 2, 3] {
                Parallelism.threadCount = threads
                let fused = Tensor.encoderBlocksInference(x, blocks: [p, p])
                let twice = withoutGradients { composed(expected, p, mask: nil) }
                XCTAssertTrue(fused.isApproximatelyEqual(to: twice, tolerance: 5e-5), "\(shape), \(threads) threads")
            }
        }
    }

    func testFullyMaskedRowsAttendUniformlyAsTheComposedPathDoes() {
        let p = parameters(d: 8, heads: 2, f: 8, pre: false, activation: .relu, seed: 840)
        var generator = RandomGenerator(seed: 841)
        let x = Tensor.randomNormal([2, 4, 8], using: &generator)
        let mask = Tensor.ones([4, 4]).maskedFill(where: Tensor([[1, 1, 1, 1], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]), with: 0)
        let fused = Tensor.encoderBlocksInference(x, blocks: [p], mask: mask)
        XCTAssertTrue(fused.isApproximatelyEqual(to: withoutGradients { composed(x, p, mask: mask) }, tolerance: 2e-5))
    }

    func testResultRecordsNoGradientEvenWhileRecording() {
        let p = parameters(d: 4, heads: 2, f: 4, pre: true, activation: .gelu, seed: 850)
        let x = Tensor.ones([1, 3, 4]).requiringGradient()
        XCTAssertFalse(Tensor.encoderBlocksInference(x, blocks: [p]).requiresGradient)
    }

    func testEmptyBatch() {
        let p = parameters(d: 4, heads: 2, f: 4, pre: false, activation: .relu, seed: 860)
        XCTAssertEqual(Tensor.encoderBlocksInference(Tensor.zeros([0, 3, 4]), blocks: [p]).shape, [0, 3, 4])
        XCTAssertEqual(Tensor.encoderBlocksInference(Tensor.zeros([2, 0, 4]), blocks: [p]).shape, [2, 0, 4], "empty sequences")
    }

    func testBadShapes() {
        let p = parameters(d: 8, heads: 2, f: 8, pre: false, activation: .relu, seed: 870)
        XCTAssertThrowsError(try withTensorErrors { Tensor.encoderBlocksInference(Tensor.zeros([2, 3, 6]), blocks: [p]) }) {
            XCTAssertTrue("\($0)".contains("block 0"))
        }
        XCTAssertThrowsError(try withTensorErrors { Tensor.encoderBlocksInference(Tensor.zeros([8]), blocks: [p]) })
        XCTAssertThrowsError(try withTensorErrors {
            Tensor.encoderBlocksInference(Tensor.zeros([2, 3, 8]), blocks: [p], mask: Tensor.ones([3, 4]))
        }) { XCTAssertTrue("\($0)".contains("mask")) }
        var odd = p
        odd.headCount = 3
        XCTAssertThrowsError(try withTensorErrors { Tensor.encoderBlocksInference(Tensor.zeros([2, 3, 8]), blocks: [odd]) })
        var wrong = p
        wrong.feedForwardOutWeight = Tensor.zeros([8, 7])
        XCTAssertThrowsError(try withTensorErrors { Tensor.encoderBlocksInference(Tensor.zeros([2, 3, 8]), blocks: [wrong]) }) {
            XCTAssertTrue("\($0)".contains("parameter shapes of block 0"))
        }
    }
}
