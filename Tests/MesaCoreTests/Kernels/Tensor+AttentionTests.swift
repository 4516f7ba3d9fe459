import MesaCore
import MesaTestSupport
import XCTest

final class TensorAttentionTests: XCTestCase {
    /// softmax(q·k/√d) v computed with plain loops for one [queries, d] × [keys, d] problem.
    func naiveAttention(_ q: [[Float]], _ k: [[Float]], _ v: [[Float]], allowed: (Int, Int) -> Bool) -> [[Float]] {
        let scale = 1 / Float(q[0].count).squareRoot()
        return q.enumerated().map { i, query in
            let keys = k.indices.filter { allowed(i, $0) }
            let scores = keys.map { j in zip(query, k[j]).map(*).reduce(0, +) * scale }
            let m = scores.max() ?? 0
            let weights = scores.map { Foundation.exp($0 - m) }
            let total = weights.reduce(0, +)
            return (0..<v[0].count).map { c in zip(keys, weights).map { v[$0][c] * $1 }.reduce(0, +) / total }
        }
    }

    func rows(_ t: Tensor) -> [[Float]] {
        let n = t.shape.last!
        return stride(from: 0, to: t.scalarCount, by: n).map { Array(t.scalars[$0..<($0 + n)]) }
    }

    func testAgainstNaiveLoopsWithAndWithoutMasks() {
        var generator = RandomGenerator(seed: 110)
        let q = Tensor.randomNormal([5, 4], using: &generator), k = Tensor.randomNormal([6, 4], using: &generator)
        let v = Tensor.randomNormal([6, 3], using: &generator)
        let custom = Tensor.randomBernoulli([5, 6], probability: 0.6, using: &generator).maskedFill(where: Tensor.eye(6).slice(alongAxis: 0, from: 0, to: 5), with: 1)
        let masks: [(Tensor?, (Int, Int) -> Bool)] = [
            (nil, { _, _ in true }),
            (Tensor.causalMask(size: 6).slice(alongAxis: 0, from: 0, to: 5), { $1 <= $0 }),
            (custom, { custom[$0, $1] != 0 }),
        ]
        for (mask, allowed) in masks {
            let result = Tensor.scaledDotProductAttention(query: q, key: k, value: v, mask: mask)
            let expected = naiveAttention(rows(q), rows(k), rows(v), allowed: allowed)
            XCTAssertEqual(result.scalars.count, expected.flatMap { $0 }.count, "paired lengths")
            for (a, b) in zip(result.scalars, expected.flatMap { $0 }) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        }
    }

    func testGradients() {
        let inputs = GradientCheck.randomInputs([[2, 4, 3], [2, 5, 3], [2, 5, 2]], seed: 111)
        let mask = Tensor.causalMask(size: 5).slice(alongAxis: 0, from: 0, to: 4)
        GradientCheck.assertMatches({ Tensor.scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2]) }, at: inputs)
        GradientCheck.assertMatches({ Tensor.scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], mask: mask) }, at: inputs)
    }

    func testFusedAndRecordedBackwardAgreeAndSecondOrderMatchesFiniteDifferences() {
        let inputs = GradientCheck.randomInputs([[2, 3, 4, 5], [2, 3, 6, 5], [2, 3, 6, 2]], seed: 112)
        let mask = Tensor.causalMask(size: 6).slice(alongAxis: 0, from: 2, to: 6)
        let leaves = inputs.map { $0.requiringGradient() }
        let loss = { (v: [Tensor]) in (Tensor.scaledDotProductAttention(query: v[0], key: v[1], value: v[2], mask: mask) * inputs[2].sum()).sin().sum() }
        let fused = gradients(of: loss(leaves), withRespectTo: leaves)
        let recorded = gradients(of: loss(leaves), withRespectTo: leaves, createGraph: true)
        XCTAssertEqual(fused.count, recorded.count, "paired lengths")
        for (a, b) in zip(fused, recorded) { XCTAssertTrue(a.isApproximatelyEqual(to: b, tolerance: 1e-5)) }
        for index in 0..<3 {
            let error = GradientCheck.hessianVectorError(of: { x in
                var values = inputs
                values[index] = x
                return Tensor.scaledDotProductAttention(query: values[0], key: values[1], value: values[2], mask: mask).pow(2).sum()
            }, at: inputs[index], direction: inputs[index].cos())
            XCTAssertLessThan(error, 1e-2, "second order through input \(index)")
        }
    }

    /// Heads side by side in the last axis equal splitting them onto their own axis.
    func splitHeadsAttention(_ q: Tensor, _ k: Tensor, _ v: Tensor, heads: Int, mask: Tensor?) -> Tensor {
        func split(_ x: Tensor) -> Tensor {
            x.reshaped(to: [x.shape[0], x.shape[1], heads, x.shape[2] / heads]).permuted([0, 2, 1, 3])
        }
        let attended = Tensor.scaledDotProductAttention(query: split(q), key: split(k), value: split(v), mask: mask)
        return attended.permuted([0, 2, 1, 3]).reshaped(to: [q.shape[0], q.shape[1], -1])
    }

    func testMultiHeadLayoutMatchesSplitHeadsWithGradientsAndSecondOrder() {
        let inputs = GradientCheck.randomInputs([[2, 4, 6], [2, 5, 6], [2, 5, 9]], seed: 113)
        let masks: [Tensor?] = [nil, Tensor.causalMask(size: 5).slice(alongAxis: 0, from: 1, to: 5),
                                Tensor.randomBernoulli([2, 3, 4, 5], probability: 0.7, using: &generator)]
        for mask in masks {
            let fused = Tensor.multiHeadAttention(query: inputs[0], key: inputs[1], value: inputs[2], headCount: 3, mask: mask)
            let reference = splitHeadsAttention(inputs[0], inputs[1], inputs[2], heads: 3, mask: mask)
            XCTAssertEqual(fused.shape, [2, 4, 9])
            XCTAssertTrue(fused.isApproximatelyEqual(to: reference, tolerance: 1e-5))
            GradientCheck.assertMatches({ Tensor.multiHeadAttention(query: $0[0], key: $0[1], value: $0[2], headCount: 3, mask: mask) }, at: inputs)
            let leaves = inputs.map { $0.requiringGradient() }
            let loss = { (v: [Tensor]) in Tensor.multiHeadAttention(query: v[0], key: v[1], value: v[2], headCount: 3, mask: mask).sin().sum() }
            let fast = gradients(of: loss(leaves), withRespectTo: leaves)
            let recorded = gradients(of: loss(leaves), withRespectTo: leaves, createGraph: true)
            XCTAssertEqual(fast.count, recorded.count, "paired lengths")
            for (a, b) in zip(fast, recorded) { XCTAssertTrue(a.isApproximatelyEqual(to: b, tolerance: 1e-5)) }
        }
        let error = GradientCheck.hessianVectorError(of: {
            Tensor.multiHeadAttention(query: $0, key: inputs[1], value: inputs[2], headCount: 3).pow(2).sum()
        }, at: inputs[0], direction: inputs[0].cos())
        XCTAssertLessThan(error, 1e-2)
        XCTAssertThrowsError(try withTensorErrors {
            Tensor.multiHeadAttention(query: inputs[0], key: inputs[1], value: inputs[2], headCount: 4)
        }) { XCTAssertTrue("\($0)".contains("4 heads")) }
    }

    var generator = RandomGenerator(seed: 114)

    func testInferenceForwardEqualsTheForwardThatKeepsWeights() {
        // Inputs that need no gradient take the scratch-block path; leaves keep the weights.
        let inputs = GradientCheck.randomInputs([[3, 7, 8], [3, 9, 8], [3, 9, 12]], seed: 115)
        let perGroupMask = Tensor.randomBernoulli([3, 4, 7, 9], probability: 0.7, using: &generator)
        let causal = Tensor.causalMask(size: 9).slice(alongAxis: 0, from: 2, to: 9)   // [7, 9]
        for mask in [nil, causal, causal.reshaped(to: [1, 1, 7, 9]), perGroupMask] {
            let inference = Tensor.multiHeadAttention(query: inputs[0], key: inputs[1], value: inputs[2], headCount: 4, mask: mask)
            let leaves = inputs.map { $0.requiringGradient() }
            let recorded = Tensor.multiHeadAttention(query: leaves[0], key: leaves[1], value: leaves[2], headCount: 4, mask: mask)
            XCTAssertTrue(recorded.requiresGradient)
            XCTAssertTrue(inference.isApproximatelyEqual(to: recorded.detached(), tolerance: 1e-6))
            let insideWithoutGradients = withoutGradients {
                Tensor.multiHeadAttention(query: leaves[0], key: leaves[1], value: leaves[2], headCount: 4, mask: mask)
            }
            XCTAssertFalse(insideWithoutGradients.requiresGradient)
            XCTAssertTrue(insideWithoutGradients.isApproximatelyEqual(to: inference, tolerance: 0))
        }
    }


    func testBadShapes() {
        XCTAssertThrowsError(try withTensorErrors {
            Tensor.scaledDotProductAttention(query: Tensor.zeros([2, 3]), key: Tensor.zeros([2, 4]), value: Tensor.zeros([2, 4]))
        })
        XCTAssertThrowsError(try withTensorErrors {
            Tensor.scaledDotProductAttention(query: Tensor.zeros([2, 3]), key: Tensor.zeros([4, 3]), value: Tensor.zeros([4, 3]), mask: Tensor.ones([3, 3]))
        })
    }
}

import Foundation
