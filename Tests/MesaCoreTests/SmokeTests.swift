import MesaCore
import MesaTestSupport
import XCTest

final class SmokeTests: XCTestCase {
    func testBasics() {
        let inputs = GradientCheck.randomInputs([[3, 4], [4]], seed: 1)
        GradientCheck.assertMatches({ ($0[0] * $0[1] + $0[0].exp()).tanh() }, at: inputs)
        GradientCheck.assertMatches({ Tensor.matmul($0[0], $0[1].reshaped(to: [4, 1])) }, at: inputs)
        GradientCheck.assertMatches({ $0[0].softmax().log() }, at: inputs)
        GradientCheck.assertMatches({ $0[0].layerNormalized(gain: $0[1], bias: $0[1]) }, at: inputs)
        let err = GradientCheck.hessianVectorError(of: { ($0 * $0 * $0).sin().sum() }, at: inputs[0], direction: inputs[0])
        XCTAssertLessThan(err, 1e-2)
        let err2 = GradientCheck.hessianVectorError(of: { $0.layerNormalized().softmax().pow(3).sum() }, at: inputs[0], direction: inputs[0])
        XCTAssertLessThan(err2, 1e-2)
    }
}
