import MesaCore
import XCTest

final class EncoderBlockParametersTests: XCTestCase {
    func testSizesComeFromTheWeights() {
        func zeros(_ shape: [Int]) -> Tensor { Tensor.zeros(shape) }
        let p = EncoderBlockParameters(
            headCount: 3, queryWeight: zeros([12, 12]), queryBias: nil, keyWeight: zeros([12, 12]), keyBias: nil,
            valueWeight: zeros([12, 12]), valueBias: nil, outputWeight: zeros([12, 12]), outputBias: zeros([12]),
            feedForwardInWeight: zeros([20, 12]), feedForwardInBias: zeros([20]), feedForwardOutWeight: zeros([12, 20]), feedForwardOutBias: nil,
            attentionNormGain: zeros([12]), attentionNormBias: zeros([12]), feedForwardNormGain: zeros([12]), feedForwardNormBias: zeros([12]),
            epsilon: 1e-6, normalizesFirst: true, activation: .gelu)
        XCTAssertEqual(p.modelSize, 12)
        XCTAssertEqual(p.feedForwardSize, 20)
        XCTAssertEqual(p.headCount, 3)
        XCTAssertNil(p.queryBias)
        XCTAssertEqual(p.outputBias?.shape, [12])
        XCTAssertTrue(p.normalizesFirst)
        XCTAssertEqual(p.epsilon, 1e-6)
    }
}
